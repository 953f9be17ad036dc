namespace ListingSync.Sdk.Channels.Managem;

/// <summary>Managem's webhook event types. Unknown types must be ignored, not treated as errors.</summary>
public static class ManagemEventTypes
{
    /// <summary>A listing was created.</summary>
    public const string ListingCreated = "LISTING_CREATED";

    /// <summary>The seller edited a listing (orders changing quantity do not emit this).</summary>
    public const string ListingUpdated = "LISTING_UPDATED";

    /// <summary>A listing was deleted.</summary>
    public const string ListingDeleted = "LISTING_DELETED";

    /// <summary>An order was placed.</summary>
    public const string OrderCreated = "ORDER_CREATED";

    /// <summary>An order changed.</summary>
    public const string OrderUpdated = "ORDER_UPDATED";

    /// <summary>A test delivery (one page spells it <c>TEST_WEBHOOK</c>; both are accepted).</summary>
    public const string Test = "TEST";

    /// <summary>What a sync process subscribes to.</summary>
    public static IReadOnlyList<string> SyncSubscriptions { get; } = [ListingCreated, ListingUpdated, ListingDeleted, OrderCreated, OrderUpdated];
}
