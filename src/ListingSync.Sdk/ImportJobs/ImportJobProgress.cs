using ListingSync.Sdk.Channels;

namespace ListingSync.Sdk.ImportJobs;

/// <summary>Where an import job stands: its state, counts and percentage.</summary>
/// <param name="JobId">The job.</param>
/// <param name="State">Its state.</param>
/// <param name="Total">Rows in the job.</param>
/// <param name="Succeeded">Rows imported.</param>
/// <param name="Failed">Rows that failed.</param>
public sealed record ImportJobProgress(string JobId, ImportJobState State, long Total, long Succeeded, long Failed)
{
    /// <summary>Processed share, 0 to 100.</summary>
    public double Percent => Total <= 0 ? (State == ImportJobState.Completed ? 100 : 0) : Math.Min(100, 100.0 * (Succeeded + Failed) / Total);

    /// <summary>The progress of <paramref name="status"/>.</summary>
    public static ImportJobProgress Of(ImportJobStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new(status.Id, status.State, status.Total, status.Succeeded, status.Failed);
    }
}

/// <summary>A finished (or abandoned) job: its last status and the rows it could not import.</summary>
/// <param name="Status">The last status read.</param>
/// <param name="Issues">The rows or items it could not import.</param>
public sealed record ImportJobOutcome(ImportJobStatus Status, IReadOnlyList<ImportJobIssue> Issues);
