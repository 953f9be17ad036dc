namespace ListingSync.Sdk.Channels.Managem;

/// <summary>The outcome of a test delivery: the status code the endpoint answered.</summary>
public sealed record ManagemWebhookTestResult
{
    /// <summary>The endpoint's HTTP status code (0 when it could not be reached).</summary>
    public int StatusCode { get; init; }

    /// <summary>Response time in milliseconds, when reported.</summary>
    public int? ResponseTime { get; init; }

    /// <summary>True when the endpoint answered 200, the go-live condition.</summary>
    public bool IsOk => StatusCode == 200;
}
