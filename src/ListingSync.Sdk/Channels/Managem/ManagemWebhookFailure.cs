namespace ListingSync.Sdk.Channels.Managem;

/// <summary>One failed webhook delivery, as Managem recorded it.</summary>
public sealed record ManagemWebhookFailure
{
    /// <summary>Failure id.</summary>
    public string Id { get; init; } = "";

    /// <summary>The status code the endpoint answered (0 when it did not answer).</summary>
    public int ResponseStatusCode { get; init; }

    /// <summary>Response time in milliseconds.</summary>
    public int ResponseTime { get; init; }

    /// <summary>Why the delivery failed.</summary>
    public string? Reason { get; init; }

    /// <summary>When.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
}
