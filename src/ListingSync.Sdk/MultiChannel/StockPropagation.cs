using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Webhooks;

namespace ListingSync.Sdk.MultiChannel;

/// <summary>
/// Stock that follows every sale: an order event from any channel is booked in the host's inventory
/// (<see cref="IInventorySource.BookOrderAsync"/>), and the products whose stock changed are pushed to every channel
/// at once by reference through <see cref="StockPusher"/>: mapping lookups and one write per channel whose quantity
/// differs, no scan, pushes of one product serialised. A channel that fails gets the push in the pusher's backlog,
/// retried until it takes it; the event is still acknowledged, since the host's books are right and a re-delivery
/// would book nothing new.
/// </summary>
public sealed class StockPropagation : IOrderHandler
{
    private readonly StockPusher _pusher;
    private readonly IInventorySource _inventory;
    private readonly IMappingStore _store;

    /// <summary>Creates the handler (registered by <c>AddMultiChannel</c>).</summary>
    public StockPropagation(StockPusher pusher, IInventorySource inventory, IMappingStore store)
    {
        _pusher = pusher ?? throw new ArgumentNullException(nameof(pusher));
        _inventory = inventory ?? throw new ArgumentNullException(nameof(inventory));
        _store = store ?? throw new ArgumentNullException(nameof(store));
    }

    /// <inheritdoc />
    public async Task HandleAsync(OrderEvent orderEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(orderEvent);
        string? reference = null;
        if (orderEvent.ListingId is { } listingId)
        {
            reference = (await _store.FindByListingIdAsync(new MappingScope(orderEvent.Channel, orderEvent.Seller), listingId, cancellationToken).ConfigureAwait(false))?.Reference;
        }

        var changed = await _inventory.BookOrderAsync(orderEvent, reference, cancellationToken).ConfigureAwait(false);
        if (changed.Count > 0)
        {
            await _pusher.PushAsync(orderEvent.Seller, changed, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
