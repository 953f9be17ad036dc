namespace ListingSync.Sdk;

/// <summary>
/// The marketplace refused the call for rate limiting (HTTP 429) and the SDK did not retry it, because
/// retries were exhausted or the wait it asked for exceeds <c>MaxRetryAfter</c>.
/// </summary>
public class ListingSyncRateLimitedException : ListingSyncRequestException
{
    /// <summary>Creates the exception.</summary>
    public ListingSyncRateLimitedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ListingSyncRateLimitedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ListingSyncRateLimitedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>How long the marketplace asked callers to wait, when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
