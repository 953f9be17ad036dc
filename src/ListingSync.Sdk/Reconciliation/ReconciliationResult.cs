using ListingSync.Sdk.Channels;

namespace ListingSync.Sdk.Reconciliation;

/// <summary>The outcome of applying a plan: one result per step carried out.</summary>
public sealed class ReconciliationResult
{
    internal ReconciliationResult(IReadOnlyList<StepResult> results) => Results = results;

    /// <summary>One result per step carried out (flags and rejects are not carried out).</summary>
    public IReadOnlyList<StepResult> Results { get; }

    /// <summary>Steps that succeeded.</summary>
    public int Succeeded => Results.Count(r => r.Status == ListingWriteStatus.Succeeded);

    /// <summary>Steps that failed, were rejected, or whose outcome is unknown.</summary>
    public int NotSucceeded => Results.Count - Succeeded;

    /// <summary>Results of one action.</summary>
    public IEnumerable<StepResult> Of(PlanAction action) => Results.Where(r => r.Step.Action == action);
}
