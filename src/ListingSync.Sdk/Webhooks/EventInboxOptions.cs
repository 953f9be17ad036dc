namespace ListingSync.Sdk.Webhooks;

/// <summary>How the inbox retries and how long it remembers event ids.</summary>
public sealed class EventInboxOptions
{
    /// <summary>Attempts per event before it becomes a dead letter. Default 5.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Delay before the second attempt; doubles each time. Default 1 second.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long processed event ids are remembered to drop duplicates. Default 24 hours; never less than twice the
    /// signature tolerance (a replay inside the tolerance window must still be caught).
    /// </summary>
    public TimeSpan EventIdRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1: <see cref="RetryDelay"/>, doubled per earlier attempt.</summary>
    public TimeSpan DelayAfter(int attempt) => RetryDelay * Math.Pow(2, Math.Max(0, attempt - 1));
}
