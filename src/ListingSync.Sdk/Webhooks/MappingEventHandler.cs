using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Reconciliation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ListingSync.Sdk.Webhooks;

/// <summary>
/// The default handler: keeps the mapping store true to the marketplace.
/// <list type="bullet">
/// <item>Listing created / updated / stock / price: re-fetch the listing (Managem payloads lack <c>reference</c>) and
/// record its id, state and last change; a listing whose reference no host product maps is left for reconciliation.</item>
/// <item>Listing deleted: mark the mapping inactive.</item>
/// <item>Orders: re-read the listing's quantity and availability (authoritative whatever order events arrive in).</item>
/// <item>Test: nothing beyond a log line: it only proves connectivity.</item>
/// </list>
/// Stale events — older than the listing change the mapping already knows — are ignored.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "An IListingEventHandler, named like one.")]
public sealed partial class MappingEventHandler : IListingEventHandler
{
    private readonly IMappingStore _store;
    private readonly IEnumerable<IListingChannel> _channels;
    private readonly ILogger _logger;

    /// <summary>Creates the handler.</summary>
    public MappingEventHandler(IMappingStore store, IEnumerable<IListingChannel> channels, ILogger<MappingEventHandler>? logger = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _channels = channels ?? throw new ArgumentNullException(nameof(channels));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public async Task HandleAsync(ListingEvent listingEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(listingEvent);
        var scope = new MappingScope(listingEvent.Channel, listingEvent.Seller);
        switch (listingEvent.Kind)
        {
            case ListingEventKind.Test:
                LogTest(listingEvent.Channel, listingEvent.Seller.SellerId, listingEvent.EventId);
                return;
            case ListingEventKind.Unknown:
                LogUnknown(listingEvent.Type, listingEvent.EventId);
                return;
            case ListingEventKind.ListingDeleted:
                await DeactivateAsync(scope, listingEvent, cancellationToken).ConfigureAwait(false);
                return;
        }

        if (listingEvent.ListingId is not { } listingId)
        {
            LogNoListing(listingEvent.Type, listingEvent.EventId);
            return;
        }

        var known = await _store.FindByListingIdAsync(scope, listingId, cancellationToken).ConfigureAwait(false);
        if (listingEvent.Kind is ListingEventKind.StockChanged or ListingEventKind.PriceChanged && listingEvent.Listing is null)
        {
            // Stock and price notices carry just that field (JTL): applied to what the mapping knows.
            if (known is { State: { } state })
            {
                var next = state with { Quantity = listingEvent.Quantity ?? state.Quantity, Available = listingEvent.Quantity ?? state.Available, Price = listingEvent.Price ?? state.Price };
                await RecordAsync(scope, known.Reference, listingId, next, listingEvent.ListingUpdatedAt ?? known.RemoteUpdatedAt, null, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                LogUnmapped(listingId, listingEvent.EventId);
            }

            return;
        }

        if (known?.RemoteUpdatedAt is { } knownAt && listingEvent.ListingUpdatedAt is { } eventAt && eventAt < knownAt)
        {
            LogStale(listingEvent.EventId, listingId, eventAt, knownAt);
            return;
        }

        if (known is { IsActive: true, State: { } knownState } && FromPayload(listingEvent, knownState) is { } carried
            && (known.RemoteUpdatedAt is not { } knownVersion || listingEvent.ListingUpdatedAt > knownVersion))
        {
            // The mapping already knows this listing and the payload carries a newer version of its whole state: no
            // re-fetch. (At an equal version the payload may predate an order, which moves availability without a new
            // version, so that case is re-read.)
            await RecordAsync(scope, known.Reference, listingId, carried, listingEvent.ListingUpdatedAt, known.Item, cancellationToken).ConfigureAwait(false);
            return;
        }

        var listing = listingEvent.Listing ?? await Channel(listingEvent.Channel).GetListingAsync(listingEvent.Seller, listingId, cancellationToken).ConfigureAwait(false);
        if (listing is null)
        {
            // Gone since the event was sent (a delete overtook it).
            await DeactivateAsync(scope, listingEvent, cancellationToken).ConfigureAwait(false);
            return;
        }

        var reference = known?.Reference ?? listing.Reference;
        if (reference is null)
        {
            LogUnmapped(listingId, listingEvent.EventId);
            return;
        }

        await RecordAsync(scope, reference, listingId, Reconciler.StateOf(listing), listing.UpdatedAt ?? listingEvent.ListingUpdatedAt, listing.Item, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The listing's state from a listing event's own fields, when it carries all the marketplace reports (price,
    /// quantity, availability, visibility and its version stamp); fields no payload carries come from what is known.
    /// Order events never qualify: they carry no version, so only a re-read is safe whatever order they arrive in.
    /// </summary>
    private static ListingState? FromPayload(ListingEvent e, ListingState known) =>
        e.Kind is ListingEventKind.ListingCreated or ListingEventKind.ListingUpdated
        && e.Price is { } price && e.Quantity is { } quantity && e.Available is { } available && e.Visibility is { } visibility && e.ListingUpdatedAt is not null
            ? known with { Price = price, Quantity = quantity, Available = available, Visibility = visibility, Condition = e.Condition ?? known.Condition }
            : null;

    private async Task RecordAsync(MappingScope scope, string reference, string listingId, ListingState state, DateTimeOffset? remoteUpdatedAt, Model.ItemIdentity? item, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await _store.FindByReferenceAsync(scope, reference, cancellationToken).ConfigureAwait(false);
            if (current is { ListingId: { } otherId, IsActive: true } && !string.Equals(otherId, listingId, StringComparison.Ordinal))
            {
                // Another listing already stands for this product: a duplicate, which reconciliation reports.
                LogDuplicate(listingId, reference, otherId);
                return;
            }

            if (current is { RemoteUpdatedAt: { } currentAt } && remoteUpdatedAt is { } at && at < currentAt)
            {
                return; // a lagging read, or something newer recorded meanwhile
            }

            var next = (current ?? new ListingMapping { Scope = scope, Reference = reference }) with
            {
                ListingId = listingId,
                Item = item ?? current?.Item,
                State = state,
                RemoteUpdatedAt = remoteUpdatedAt ?? current?.RemoteUpdatedAt,
                IsActive = true,
            };
            try
            {
                await _store.UpsertAsync(next, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (MappingConflictException) when (attempt < 3)
            {
                // Another writer (the reconciler, another host) got there first: re-read and apply on top.
            }
        }
    }

    private async Task DeactivateAsync(MappingScope scope, ListingEvent listingEvent, CancellationToken cancellationToken)
    {
        if (listingEvent.ListingId is not { } listingId)
        {
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            var current = await _store.FindByListingIdAsync(scope, listingId, cancellationToken).ConfigureAwait(false);
            if (current is null || !current.IsActive)
            {
                return;
            }

            try
            {
                await _store.UpsertAsync(current with { IsActive = false }, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (MappingConflictException) when (attempt < 3)
            {
            }
        }
    }

    private IListingChannel Channel(string name) =>
        _channels.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"No IListingChannel named '{name}' is registered, so its events cannot be followed up.");

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Test webhook received for {Channel}/{Seller} ({EventId})")]
    private partial void LogTest(string channel, string seller, string eventId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Ignoring event {EventId} of unknown type {Type}")]
    private partial void LogUnknown(string type, string eventId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Event {EventId} ({Type}) names no listing; ignored")]
    private partial void LogNoListing(string type, string eventId);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "Stale event {EventId} for {ListingId}: {EventAt:O} is older than the known {KnownAt:O}")]
    private partial void LogStale(string eventId, string listingId, DateTimeOffset eventAt, DateTimeOffset knownAt);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Debug, Message = "Listing {ListingId} (event {EventId}) carries no host reference and is not mapped; left for reconciliation")]
    private partial void LogUnmapped(string listingId, string eventId);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Listing {ListingId} carries reference {Reference}, already mapped to {OtherId}: a duplicate, left for reconciliation")]
    private partial void LogDuplicate(string listingId, string reference, string otherId);
}
