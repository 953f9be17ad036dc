namespace ListingSync.Sdk.Resilience;

/// <summary>
/// Retries and timeouts for one channel. Reads (GET, searches) and calls the SDK knows to be idempotent are
/// retried on 408, 429, 5xx, timeouts and transport errors; other writes are retried only when the request
/// provably did not reach the marketplace (429, connection refused).
/// </summary>
public sealed class ResilienceOptions
{
    /// <summary>Retries after the first attempt (0 turns retrying off). Default 4.</summary>
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>The first backoff delay; it doubles per attempt, with jitter. Default 500 ms.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest backoff delay. Default 30 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest <c>Retry-After</c> the SDK will wait. A longer one is not waited out: the call fails with
    /// <see cref="ListingSyncRateLimitedException"/> carrying the requested wait. Default 60 s.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Timeout of one attempt. Default 30 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of the whole call, retries and waits included. Default 3 min.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Whether backoff delays are randomised. Default true.</summary>
    public bool UseJitter { get; set; } = true;
}
