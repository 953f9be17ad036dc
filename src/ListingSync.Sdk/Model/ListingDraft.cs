namespace ListingSync.Sdk.Model;

/// <summary>
/// What the host wants listed: the channel-neutral form of a listing before (or regardless of)
/// its existence on a marketplace. Immutable; build variations with <c>with</c>.
/// </summary>
public sealed record ListingDraft
{
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
}
