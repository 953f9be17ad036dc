namespace ListingSync.Sdk.Model;

/// <summary>The kinds of item identifier, in the order a resolver trusts them.</summary>
public enum ItemIdentityKind
{
    /// <summary>Nothing usable is known.</summary>
    None = 0,

    /// <summary>The marketplace's own catalogue URN (most deterministic).</summary>
    Urn = 1,

    /// <summary>A Cardmarket product id.</summary>
    CardmarketId = 2,

    /// <summary>A TCGplayer product id.</summary>
    TcgplayerId = 3,

    /// <summary>Game + set + name (+ number when known).</summary>
    GameSetName = 4,

    /// <summary>A stock-keeping unit.</summary>
    Sku = 5,

    /// <summary>A GTIN / EAN / UPC.</summary>
    Gtin = 6,
}
