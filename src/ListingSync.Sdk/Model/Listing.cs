namespace ListingSync.Sdk.Model;

/// <summary>
/// A listing as a marketplace holds it, in channel-neutral form. Immutable; constructible in tests.
/// </summary>
public sealed record Listing
{
    /// <summary>The marketplace's listing id.</summary>
    public required string Id { get; init; }

    /// <summary>The marketplace's seller id, when it reports one.</summary>
    public string? SellerId { get; init; }

    /// <summary>The host's reference stored on the listing, if any (Managem <c>reference</c>).</summary>
    public string? Reference { get; init; }

    /// <summary>What is sold, with the catalogue details the marketplace returned.</summary>
    public required ItemIdentity Item { get; init; }

    /// <summary>Physical condition.</summary>
    public required ListingCondition Condition { get; init; }

    /// <summary>Language of the item.</summary>
    public required string Language { get; init; }

    /// <summary>Asking price.</summary>
    public required Money Price { get; init; }

    /// <summary>Quantity listed.</summary>
    public required int Quantity { get; init; }

    /// <summary>Quantity still available to buyers (quantity minus reserved by open orders), when reported.</summary>
    public int? Available { get; init; }

    /// <summary>Variant identifiers.</summary>
    public IReadOnlyList<string> Variants { get; init; } = [];

    /// <summary>Whether buyers see the listing.</summary>
    public ListingVisibility Visibility { get; init; }

    /// <summary>Comment shown to buyers.</summary>
    public string? Comment { get; init; }

    /// <summary>Private notes.</summary>
    public string? Notes { get; init; }

    /// <summary>Professional grading, when graded.</summary>
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

    /// <summary>False when the marketplace holds the listing back (e.g. Managem: attachment missing).</summary>
    public bool Valid { get; init; } = true;

    /// <summary>True when the marketplace locks the listing against edits (e.g. in an open order).</summary>
    public bool Locked { get; init; }

    /// <summary>When the marketplace created the listing.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When the marketplace last changed the listing; used to ignore stale events.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    private bool PrintMembers(System.Text.StringBuilder builder) => ListingSync.Sdk.Model.ModelText.PrintMembers(this, builder);
}
