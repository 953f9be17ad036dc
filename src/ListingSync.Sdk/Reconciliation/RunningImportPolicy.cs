namespace ListingSync.Sdk.Reconciliation;

/// <summary>What a plan does with import jobs an earlier apply started and never saw finish.</summary>
public enum RunningImportPolicy
{
    /// <summary>Wait until each has finished, then read the marketplace (what they created is adopted).</summary>
    Wait = 0,

    /// <summary>Terminate each (where the channel can) and wait until it has stopped; what it created is adopted, the rest planned.</summary>
    Terminate = 1,
}
