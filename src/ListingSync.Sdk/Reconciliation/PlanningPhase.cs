namespace ListingSync.Sdk.Reconciliation;

/// <summary>A phase of planning.</summary>
public enum PlanningPhase
{
    /// <summary>Reading the mapping store.</summary>
    Mappings = 0,

    /// <summary>Reading the marketplace's listings.</summary>
    Remote = 1,

    /// <summary>Reading the host's listings and matching them.</summary>
    Desired = 2,

    /// <summary>Resolving item identities the channel lists by.</summary>
    Resolving = 3,

    /// <summary>Planning is done.</summary>
    Finished = 4,

    /// <summary>Waiting for import jobs an earlier apply left running (a crash or a cancel) to finish.</summary>
    WaitingForImports = 5,
}
