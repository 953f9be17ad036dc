namespace ListingSync.Sdk.Channels;

/// <summary>A channel-neutral snapshot of an import job.</summary>
public sealed record ImportJobStatus
{
    /// <summary>The channel's job id (opaque).</summary>
    public required string Id { get; init; }

    /// <summary>Normalised state.</summary>
    public required ImportJobState State { get; init; }

    /// <summary>The state as the channel spelled it.</summary>
    public string? RawState { get; init; }

    /// <summary>Rows or items in the job, when known.</summary>
    public long Total { get; init; }

    /// <summary>Rows or items imported.</summary>
    public long Succeeded { get; init; }

    /// <summary>Rows or items that failed.</summary>
    public long Failed { get; init; }

    /// <summary>Progress from 0 to 100.</summary>
    public double PercentComplete => ReportedPercentComplete is { } reported and >= 0 and <= 100 ? reported
        : Total <= 0 ? 0 : Math.Min(100, 100.0 * (Succeeded + Failed + Skipped + Conflicted) / Total);

    /// <summary>Items skipped (Instica: skipped conflicts).</summary>
    public long Skipped { get; init; }

    /// <summary>Items waiting for a conflict to be resolved (Instica: e.g. a SKU that matches an existing item).</summary>
    public long Conflicted { get; init; }

    /// <summary>The progress the channel reports itself (Instica's <c>progress_percentage</c>), when it does.</summary>
    public double? ReportedPercentComplete { get; init; }

    /// <summary>When the marketplace created the job, where it says.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>True once the job completed, was terminated or failed: it will change nothing more.</summary>
    public bool IsFinished => State is ImportJobState.Completed or ImportJobState.Terminated or ImportJobState.Failed;
}
