using ListingSync.Sdk.Channels;

namespace ListingSync.Sdk.Channels.Managem;

/// <summary>A CSV import job.</summary>
public sealed record ManagemImport
{
    /// <summary>Import id.</summary>
    public string Id { get; init; } = "";

    /// <summary>Status as Managem spells it (<c>RUNNING</c>, <c>PAUSED</c>, <c>COMPLETED</c>, <c>TERMINATED</c>, <c>FAILED</c>).</summary>
    public string Status { get; init; } = "";

    /// <summary>Rows in the file.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(Http.CountConverter))]
    public long Total { get; init; }

    /// <summary>Rows imported.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(Http.CountConverter))]
    public long Successful { get; init; }

    /// <summary>Rows that failed.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(Http.CountConverter))]
    public long Failed { get; init; }

    /// <summary>Created.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Storage key of the uploaded file.</summary>
    public string? Key { get; init; }

    /// <summary>Processing batches.</summary>
    public IReadOnlyList<ManagemImportBatch> Batches { get; init; } = [];

    /// <summary>Row errors known so far.</summary>
    public IReadOnlyList<ManagemImportError> Errors { get; init; } = [];

    /// <summary>The job in channel-neutral form.</summary>
    public ImportJobStatus ToStatus() => new()
    {
        Id = Id,
        RawState = Status,
        CreatedAt = CreatedAt,
        State = Status.ToUpperInvariant() switch
        {
            "PENDING" or "QUEUED" => ImportJobState.Pending,
            "RUNNING" or "PROCESSING" => ImportJobState.Running,
            "PAUSED" => ImportJobState.Paused,
            "COMPLETED" or "DONE" => ImportJobState.Completed,
            "TERMINATED" or "CANCELLED" => ImportJobState.Terminated,
            "FAILED" => ImportJobState.Failed,
            _ => ImportJobState.Unknown,
        },
        Total = Total,
        Succeeded = Successful,
        Failed = Failed,
    };
}
