namespace ListingSync.Sdk.Model;

/// <summary>
/// One variation of a listing (size, colour, finish): its own SKU and stock, with the attributes that tell it apart
/// (JTL variations, Shopiro minor variations). Distinct from <see cref="ListingDraft.Variants"/>, the trading-card
/// variant codes (edition, finish) that describe the one item listed.
/// </summary>
public sealed record ListingVariation
{
    /// <summary>The variation's SKU, when it has one.</summary>
    public string? Sku { get; init; }

    /// <summary>The variation's GTIN, when it has one.</summary>
    public string? Gtin { get; init; }

    /// <summary>What tells this variation apart, e.g. <c>colour = red</c>.</summary>
    public IReadOnlyList<ListingAttribute> Attributes { get; init; } = [];

    /// <summary>Titles per language (ISO 639-1 code → title), where the channel titles variations.</summary>
    public IReadOnlyDictionary<string, string> Titles { get; init; } = EmptyText.Instance;

    /// <summary>Units available of this variation; not negative.</summary>
    public int Quantity { get; init; }

    /// <summary>The variation's own price, or null for the listing's.</summary>
    public Money? Price { get; init; }

    /// <summary>Indexes into the listing's <see cref="ListingDraft.Pictures"/> that show this variation.</summary>
    public IReadOnlyList<int> PictureIndexes { get; init; } = [];

    private bool PrintMembers(System.Text.StringBuilder builder) => ListingSync.Sdk.Model.ModelText.PrintMembers(this, builder);
}
