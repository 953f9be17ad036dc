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

    /// <summary>False when the marketplace holds the listing back (e.g. Managem: attachment missing).</summary>
    public bool Valid { get; init; } = true;

    /// <summary>True when the marketplace locks the listing against edits (e.g. in an open order).</summary>
    public bool Locked { get; init; }

    /// <summary>When the marketplace created the listing.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When the marketplace last changed the listing; used to ignore stale events.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }
}
