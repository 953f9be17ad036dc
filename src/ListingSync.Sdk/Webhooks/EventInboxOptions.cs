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

    /// <summary>
    /// The one retry policy of every inbox: after failed attempt <paramref name="attempt"/> (1 for the first), the wait
    /// before the next attempt — <see cref="RetryDelay"/>, doubled per earlier attempt — or null when that was the
    /// last of <see cref="MaxAttempts"/> and the event becomes a dead letter.
    /// </summary>
    public TimeSpan? RetryAfter(int attempt) => attempt >= MaxAttempts ? null : RetryDelay * Math.Pow(2, Math.Max(0, attempt - 1));
}
