using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels.Managem;

/// <summary>How one identity resolved to a Managem item.</summary>
public sealed record IdentityResolution
{
    /// <summary>Position in the caller's input.</summary>
    public int Index { get; init; }

    /// <summary>The identity asked about.</summary>
    public required ItemIdentity Identity { get; init; }

    /// <summary>The outcome.</summary>
    public required IdentityResolutionStatus Status { get; init; }

    /// <summary>The item found, when resolved.</summary>
    public ManagemItem? Item { get; init; }

    /// <summary>Which identifier resolved it.</summary>
    public ItemIdentityKind ResolvedBy { get; init; }

    /// <summary>Why it did not resolve: every identifier tried and what happened.</summary>
    public string? Reason { get; init; }

    /// <summary>The candidates, when the name matched several items.</summary>
    public IReadOnlyList<ManagemItem> Candidates { get; init; } = [];
}
