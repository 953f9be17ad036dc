namespace ListingSync.Sdk.Channels.Managem;

/// <summary>One processing batch of an import.</summary>
public sealed record ManagemImportBatch
{
    /// <summary>Batch id.</summary>
    public string Id { get; init; } = "";

    /// <summary>Rows in the batch.</summary>
    public long Total { get; init; }

    /// <summary>Rows imported.</summary>
    public long Successful { get; init; }

    /// <summary>Rows failed.</summary>
    public long Failed { get; init; }

    /// <summary>Batch status.</summary>
    public string? Status { get; init; }

    /// <summary>Last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }
}
