namespace ListingSync.Sdk.Webhooks;

/// <summary>What a <see cref="ListingEvent"/> reports. Channels map their own event names onto these.</summary>
public enum ListingEventKind
{
    /// <summary>A type this SDK does not know; kept (with <see cref="ListingEvent.Type"/>) and ignored by the default handlers.</summary>
    Unknown,

    /// <summary>A listing was created (Managem LISTING_CREATED; JTL Seller:Offer.New).</summary>
    ListingCreated,

    /// <summary>A listing was changed by the seller (Managem LISTING_UPDATED; JTL Seller:Offer.Update).</summary>
    ListingUpdated,

    /// <summary>A listing was deleted or ended (Managem LISTING_DELETED; JTL Seller:Offer.End).</summary>
    ListingDeleted,

    /// <summary>Only the stock of a listing changed (JTL Seller:Offer.StockUpdate).</summary>
    StockChanged,

    /// <summary>Only the price of a listing changed (JTL Seller:Offer.PriceUpdate).</summary>
    PriceChanged,

    /// <summary>An order was placed (Managem ORDER_CREATED).</summary>
    OrderCreated,

    /// <summary>An order changed (Managem ORDER_UPDATED).</summary>
    OrderUpdated,

    /// <summary>A test delivery (Managem TEST, also spelled TEST_WEBHOOK): checks connectivity only.</summary>
    Test,
}
