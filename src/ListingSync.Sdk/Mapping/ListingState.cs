using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Mapping;

/// <summary>The last known state of a mapped listing, as far as sync cares.</summary>
public sealed record ListingState
{
    /// <summary>Price.</summary>
    public required Money Price { get; init; }

    /// <summary>Quantity listed.</summary>
    public required int Quantity { get; init; }

    /// <summary>
    /// Quantity available to buyers, when the marketplace reported it; null means "not reported since the SDK wrote the
    /// listing", which reconciliation reads as the whole <see cref="Quantity"/> (a new listing's availability).
    /// </summary>
    public int? Available { get; init; }

    /// <summary>Visibility.</summary>
    public ListingVisibility Visibility { get; init; }

    /// <summary>Condition.</summary>
    public required ListingCondition Condition { get; init; }

    /// <summary>Language.</summary>
    public required string Language { get; init; }

    /// <summary>Variants.</summary>
    public IReadOnlyList<string> Variants { get; init; } = [];

    /// <summary>A hash of every synced field, to detect change cheaply.</summary>
    public string? ContentHash { get; init; }

    private bool PrintMembers(System.Text.StringBuilder builder) => ListingSync.Sdk.Model.ModelText.PrintMembers(this, builder);
}
