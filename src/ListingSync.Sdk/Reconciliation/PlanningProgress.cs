namespace ListingSync.Sdk.Reconciliation;

/// <summary>How far planning has come; reported at each phase change and every 1,000 items within a phase.</summary>
/// <param name="Phase">What the planner is reading.</param>
/// <param name="Mappings">Mappings read from the store.</param>
/// <param name="Remote">Marketplace listings read in a full scan, or reads made on a channel that cannot list (a read may answer "gone").</param>
/// <param name="Desired">Host listings read.</param>
/// <param name="Resolved">Identities resolved so far (lookups made or answered from memory).</param>
public readonly record struct PlanningProgress(PlanningPhase Phase, int Mappings, int Remote, int Desired, int Resolved);
