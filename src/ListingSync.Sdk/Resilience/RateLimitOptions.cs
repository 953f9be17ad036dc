namespace ListingSync.Sdk.Resilience;

/// <summary>
/// The client-side rate limit, kept per channel and seller so the SDK runs at the allowed rate instead of
/// bouncing off 429s. It also pauses when the marketplace says so (<c>Retry-After</c>, rate-limit headers).
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Whether requests are limited at all. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Sustained requests per second per seller. Default 10.</summary>
    public double PermitsPerSecond { get; set; } = 10;

    /// <summary>Requests allowed at once after an idle spell. Default 10.</summary>
    public int Burst { get; set; } = 10;

    /// <summary>Requests that may wait for a permit; beyond this a call fails fast. Default 100,000.</summary>
    public int QueueLimit { get; set; } = 100_000;

    /// <summary>Whether <c>Retry-After</c> and <c>X-RateLimit-*</c> response headers pause the limiter. Default true.</summary>
    public bool AdaptToResponseHeaders { get; set; } = true;
}
