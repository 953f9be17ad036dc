using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Webhooks;

/// <summary>
/// One thing a marketplace told us, whichever way it arrived (a signed webhook, a pulled event, a stock cursor).
/// Fields a channel's payload does not carry are null: e.g. Managem webhooks carry no <see cref="Reference"/>, so the
/// default handlers re-fetch the listing.
/// </summary>
public sealed record ListingEvent
{
    /// <summary>The channel it came from, e.g. <c>managem</c>.</summary>
    public required string Channel { get; init; }

    /// <summary>The seller it concerns.</summary>
    public required SellerScope Seller { get; init; }

    /// <summary>The marketplace's event id: the same on every redelivery, so duplicates are dropped by it.</summary>
    public required string EventId { get; init; }

    /// <summary>What happened.</summary>
    public required ListingEventKind Kind { get; init; }

    /// <summary>The marketplace's own name for the event type, e.g. <c>LISTING_UPDATED</c>.</summary>
    public required string Type { get; init; }

    /// <summary>When the marketplace says it happened.</summary>
    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>The listing concerned.</summary>
    public string? ListingId { get; init; }

    /// <summary>The host reference, when the payload carries it.</summary>
    public string? Reference { get; init; }

    /// <summary>The catalogue item, when the payload names it.</summary>
    public string? ItemUrn { get; init; }

    /// <summary>Price, when carried.</summary>
    public Money? Price { get; init; }

    /// <summary>Listed quantity, when carried.</summary>
    public int? Quantity { get; init; }

    /// <summary>Quantity still available to buyers, when carried.</summary>
    public int? Available { get; init; }

    /// <summary>Condition, when carried.</summary>
    public ListingCondition? Condition { get; init; }

    /// <summary>Visibility, when carried.</summary>
    public ListingVisibility? Visibility { get; init; }

    /// <summary>The listing's own last-change time or version stamp, when carried: older events than the mapping knows are stale.</summary>
    public DateTimeOffset? ListingUpdatedAt { get; init; }

    /// <summary>The order, for order events.</summary>
    public string? OrderId { get; init; }

    /// <summary>Quantity ordered, for order events.</summary>
    public int? OrderQuantity { get; init; }

    /// <summary>Order status, for order events.</summary>
    public string? OrderStatus { get; init; }

    /// <summary>The whole listing, when the channel sends it (JTL sends the whole offer each time).</summary>
    public Listing? Listing { get; init; }

    /// <summary>
    /// The event's payload as the marketplace sent it (JSON), for events the SDK does not read field by field (JTL
    /// order events, types it does not know): a handler reads what it needs, and nothing the marketplace sent is lost.
    /// </summary>
    public string? Payload { get; init; }

    /// <summary>
    /// What the channel sent, typed, for events beyond a listing's own fields (e.g. JTL's order events as
    /// <c>JtlOrderShipping</c>, <c>JtlOrderRefund</c>, …; notifications; unlinking): match on the channel's record types.
    /// Null when the channel has nothing more to say than the fields above.
    /// </summary>
    public ChannelEventDetail? Detail { get; init; }
}
