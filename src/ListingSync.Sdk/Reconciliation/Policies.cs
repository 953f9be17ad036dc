namespace ListingSync.Sdk.Reconciliation;

/// <summary>What to do with marketplace listings the host does not know (no mapping, no matching reference or identity).</summary>
public enum UnknownRemotePolicy
{
    /// <summary>Leave them alone and say nothing.</summary>
    Ignore = 0,

    /// <summary>Leave them alone and report them (default).</summary>
    Report = 1,

    /// <summary>Remove them (delete or delist).</summary>
    Remove = 2,
}

/// <summary>What to do with duplicate listings.</summary>
public enum DuplicatePolicy
{
    /// <summary>Report the groups (default).</summary>
    Report = 0,

    /// <summary>Report, and remove the duplicates no host product claims, keeping one per group.</summary>
    KeepOne = 1,
}

/// <summary>What to do with a listing this sync created or adopted when the host no longer lists its product.</summary>
public enum DroppedListingPolicy
{
    /// <summary>Remove it from the marketplace (default): the host is the source of truth.</summary>
    Remove = 0,

    /// <summary>Leave it and report it.</summary>
    Report = 1,
}
