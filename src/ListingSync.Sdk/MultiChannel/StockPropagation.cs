using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ListingSync.Sdk.MultiChannel;

/// <summary>
/// Stock that follows every sale: an order event from any channel is booked in the host's inventory
/// (<see cref="IInventorySource.BookOrderAsync"/>), and the products whose stock changed are pushed to every channel
/// at once by reference (<see cref="MultiChannelSync.SyncProductsAsync"/>): mapping lookups and one write per channel
/// whose quantity differs, no scan. A channel that fails is logged and left for the next full sync; the event is still
/// acknowledged, since the host's books are right and a re-delivery would book nothing new.
/// </summary>
public sealed partial class StockPropagation : IOrderHandler
{
    private readonly MultiChannelSync _sync;
    private readonly IInventorySource _inventory;
    private readonly IMappingStore _store;
    private readonly ILogger _logger;

    /// <summary>Creates the handler (registered by <c>AddMultiChannel</c>).</summary>
    public StockPropagation(MultiChannelSync sync, IInventorySource inventory, IMappingStore store, ILogger<StockPropagation>? logger = null)
    {
        _sync = sync ?? throw new ArgumentNullException(nameof(sync));
        _inventory = inventory ?? throw new ArgumentNullException(nameof(inventory));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
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
        if (changed.Count == 0)
        {
            return;
        }

        var products = await _inventory.ReadAsync(orderEvent.Seller, changed, cancellationToken).ConfigureAwait(false);
        var pushed = await _sync.SyncProductsAsync(orderEvent.Seller, products, cancellationToken).ConfigureAwait(false);
        foreach (var failed in pushed.Writes.Where(w => w.Outcome == TargetedOutcome.Failed))
        {
            NotPushed(_logger, failed.Reference, failed.Channel, orderEvent.EventId, failed.Message);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Stock of {Reference} not pushed to {Channel} after order event {EventId}: {Message}. The next full sync repairs it.")]
    private static partial void NotPushed(ILogger logger, string reference, string channel, string eventId, string? message);
}
