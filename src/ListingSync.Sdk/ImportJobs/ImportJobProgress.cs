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
    public double Percent => ReportedPercent is { } reported and >= 0 and <= 100 ? reported
        : Total <= 0 ? (State == ImportJobState.Completed ? 100 : 0) : Math.Min(100, 100.0 * (Succeeded + Failed + Skipped + Conflicted) / Total);

    /// <summary>Items skipped.</summary>
    public long Skipped { get; init; }

    /// <summary>Items waiting for a conflict to be resolved.</summary>
    public long Conflicted { get; init; }

    /// <summary>The percentage the channel reports itself, when it does.</summary>
    public double? ReportedPercent { get; init; }

    /// <summary>The progress of <paramref name="status"/>.</summary>
    public static ImportJobProgress Of(ImportJobStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new(status.Id, status.State, status.Total, status.Succeeded, status.Failed)
        {
            Skipped = status.Skipped,
            Conflicted = status.Conflicted,
            ReportedPercent = status.ReportedPercentComplete,
        };
    }
}

/// <summary>A finished (or abandoned) job: its last status and the rows it could not import.</summary>
/// <param name="Status">The last status read.</param>
/// <param name="Issues">The rows or items it could not import.</param>
public sealed record ImportJobOutcome(ImportJobStatus Status, IReadOnlyList<ImportJobIssue> Issues);
