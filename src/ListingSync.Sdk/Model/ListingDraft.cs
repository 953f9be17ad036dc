namespace ListingSync.Sdk.Model;

/// <summary>
/// What the host wants listed: the channel-neutral form of a listing before (or regardless of)
/// its existence on a marketplace. Immutable; build variations with <c>with</c>.
/// </summary>
public sealed record ListingDraft
{
    /// <summary>
    /// The draft that describes <paramref name="listing"/> as it is: every shared field and the channel's extensions,
    /// with <paramref name="reference"/> as the host's key (e.g. when a channel's listings seed the host's records).
    /// </summary>
    public static ListingDraft From(Listing listing, string? reference)
    {
        ArgumentNullException.ThrowIfNull(listing);
        return new ListingDraft
        {
            Reference = reference,
            Item = listing.Item,
            Condition = listing.Condition,
            Language = listing.Language,
            Price = listing.Price,
            Quantity = listing.Quantity,
            Variants = listing.Variants,
            Visibility = listing.Visibility,
            Comment = listing.Comment,
            Notes = listing.Notes,
            Grading = listing.Grading,
            Titles = listing.Titles,
            Descriptions = listing.Descriptions,
            Category = listing.Category,
            Attributes = listing.Attributes,
            Pictures = listing.Pictures,
            Variations = listing.Variations,
            Package = listing.Package,
            QuantityByLocation = listing.QuantityByLocation,
            Extensions = listing.Extensions,
        };
    }

    /// <summary>
    /// The host's stable key for this listing (its internal product or listing id). Written to the
    /// marketplace where it has a place for it (Managem <c>reference</c>), it lets a later run adopt what an
    /// earlier run created instead of creating it twice. Trimmed; at most 255 characters.
    /// </summary>
    public string? Reference { get; init; }

    /// <summary>What is sold.</summary>
    public required ItemIdentity Item { get; init; }

    /// <summary>Physical condition.</summary>
    public required ListingCondition Condition { get; init; }

    /// <summary>Language of the item, as the channel names it (e.g. <c>English</c>).</summary>
    public required string Language { get; init; }

    /// <summary>Asking price; not negative.</summary>
    public required Money Price { get; init; }

    /// <summary>Quantity offered; not negative.</summary>
    public required int Quantity { get; init; }

    /// <summary>Variant identifiers (edition, finish, packaging), in the channel's vocabulary.</summary>
    public IReadOnlyList<string> Variants { get; init; } = [];

    /// <summary>Whether buyers see the listing.</summary>
    public ListingVisibility Visibility { get; init; } = ListingVisibility.Visible;

    /// <summary>Comment shown to buyers.</summary>
    public string? Comment { get; init; }

    /// <summary>Private notes, shown only to the seller.</summary>
    public string? Notes { get; init; }

    /// <summary>Professional grading, when the item is graded.</summary>
    public Grading? Grading { get; init; }

    /// <summary>Titles per language (ISO 639-1 code, e.g. <c>en</c> → title). Empty where the channel titles by catalogue item (Managem).</summary>
    public IReadOnlyDictionary<string, string> Titles { get; init; } = EmptyText.Instance;

    /// <summary>Descriptions per language (ISO 639-1 code → text or HTML, as the channel takes it).</summary>
    public IReadOnlyDictionary<string, string> Descriptions { get; init; } = EmptyText.Instance;

    /// <summary>The channel's category (id or path, as the channel names it), or null.</summary>
    public string? Category { get; init; }

    /// <summary>Attributes (name, value, group), in the channel's order.</summary>
    public IReadOnlyList<ListingAttribute> Attributes { get; init; } = [];

    /// <summary>Pictures, in display order.</summary>
    public IReadOnlyList<ListingPicture> Pictures { get; init; } = [];

    /// <summary>Variations with their own SKU and stock (size, colour), where the channel has them.</summary>
    public IReadOnlyList<ListingVariation> Variations { get; init; } = [];

    /// <summary>Shipping size and weight of one unit, or null.</summary>
    public PackageDimensions? Package { get; init; }

    /// <summary>
    /// Quantity per stock location (warehouse id → units), where the channel keeps stock per location (Shopiro
    /// warehouses). Empty: the channel keeps one quantity. When not empty, the values add up to <c>Quantity</c>.
    /// </summary>
    public IReadOnlyDictionary<string, int> QuantityByLocation { get; init; } = EmptyText.Quantities;

    /// <summary>
    /// What the channel sends that this model has no place for, kept as raw JSON by field name, so that a read,
    /// a change and a write back loses nothing (a channel writes these back unchanged). Read them; do not parse
    /// them for logic that another channel must share.
    /// </summary>
    public IReadOnlyDictionary<string, System.Text.Json.JsonElement> Extensions { get; init; } = EmptyText.Extensions;

    private bool PrintMembers(System.Text.StringBuilder builder) => ListingSync.Sdk.Model.ModelText.PrintMembers(this, builder);
}
