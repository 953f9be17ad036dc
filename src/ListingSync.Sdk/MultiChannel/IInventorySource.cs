using ListingSync.Sdk.Model;
using ListingSync.Sdk.Webhooks;

namespace ListingSync.Sdk.MultiChannel;

/// <summary>
/// The host's inventory, the source of truth, as the multi-channel sync reads it: everything (a full sync), named
/// products (a targeted sync), and the host's own booking of a sale a channel reported.
/// </summary>
public interface IInventorySource
{
    /// <summary>Every product of the seller, as drafts (the channels' policies shape them).</summary>
    IAsyncEnumerable<ListingDraft> ReadAllAsync(SellerScope seller, CancellationToken cancellationToken = default);

    /// <summary>The named products as they are now; products the host no longer has are left out.</summary>
    Task<IReadOnlyList<ListingDraft>> ReadAsync(SellerScope seller, IReadOnlyCollection<string> references, CancellationToken cancellationToken = default);

    /// <summary>
    /// Books a sale a channel reported in the host's inventory (lowers the stock of <paramref name="reference"/>, the
    /// host product behind the sold listing, or null when no mapping names it) and returns the references whose stock
    /// changed. Called once per order event; make it idempotent by the event's id (<see cref="OrderEvent.EventId"/>),
    /// since a channel may deliver an event again.
    /// </summary>
    Task<IReadOnlyCollection<string>> BookOrderAsync(OrderEvent order, string? reference, CancellationToken cancellationToken = default);
}
