namespace ListingSync.Sdk.Reconciliation;

/// <summary>How far an apply has come.</summary>
/// <param name="Completed">Steps finished (succeeded or not).</param>
/// <param name="Total">Steps to carry out.</param>
/// <param name="Succeeded">Steps that succeeded.</param>
/// <param name="Failed">Steps that failed or whose outcome is unknown.</param>
/// <param name="Phase">The action being carried out.</param>
public readonly record struct ReconciliationProgress(int Completed, int Total, int Succeeded, int Failed, PlanAction Phase);
