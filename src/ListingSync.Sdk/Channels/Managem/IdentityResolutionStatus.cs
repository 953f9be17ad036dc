namespace ListingSync.Sdk.Channels.Managem;

/// <summary>The outcome of resolving one identity.</summary>
public enum IdentityResolutionStatus
{
    /// <summary>Exactly one item matched.</summary>
    Resolved = 0,

    /// <summary>No identifier found an item: flag for review.</summary>
    Unresolved = 1,

    /// <summary>Game + set + name matched several items and nothing told them apart: flag for review, never guess.</summary>
    Ambiguous = 2,
}
