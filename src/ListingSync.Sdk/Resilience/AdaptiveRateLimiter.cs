using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;

namespace ListingSync.Sdk.Resilience;

/// <summary>
/// A <see cref="TimeProviderRateLimiter"/> (sustained rate plus burst, on the injected <see cref="TimeProvider"/>),
/// plus a gate that the marketplace's rate-limit signals close until a given instant.
/// </summary>
internal sealed class AdaptiveRateLimiter : IDisposable
{
    private readonly TimeProvider _time;
    private readonly RateLimiter _bucket;
    private readonly bool _adapt;
    private long _pausedUntilUtcTicks;

    public AdaptiveRateLimiter(RateLimitOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _adapt = options.AdaptToResponseHeaders;
        _bucket = new TimeProviderRateLimiter(options.PermitsPerSecond, options.Burst, options.QueueLimit, time);
    }

    /// <summary>When the gate opens again; <see cref="DateTimeOffset.MinValue"/> when it is open.</summary>
    public DateTimeOffset PausedUntil => new(Interlocked.Read(ref _pausedUntilUtcTicks), TimeSpan.Zero);

    /// <summary>Waits for the gate and a permit. Returns how long it waited.</summary>
    public async ValueTask<TimeSpan> WaitAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            var until = Interlocked.Read(ref _pausedUntilUtcTicks);
            var now = _time.GetUtcNow().UtcTicks;
            if (until <= now)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromTicks(until - now), _time, cancellationToken).ConfigureAwait(false);
        }

        using var lease = await _bucket.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            throw new ListingSyncRateLimitedException("The client-side rate limiter's queue is full; raise RateLimit.QueueLimit or send fewer concurrent requests.");
        }

        return _time.GetElapsedTime(started);
    }

    /// <summary>Closes the gate until <paramref name="until"/> (never shortens an existing pause).</summary>
    public void PauseUntil(DateTimeOffset until)
    {
        var ticks = until.UtcTicks;
        var current = Interlocked.Read(ref _pausedUntilUtcTicks);
        while (ticks > current)
        {
            var seen = Interlocked.CompareExchange(ref _pausedUntilUtcTicks, ticks, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>Reads the response's rate-limit signals and pauses when the marketplace asks for it.</summary>
    public void Observe(HttpResponseMessage response)
    {
        if (!_adapt)
        {
            return;
        }

        var wait = ServerRequestedWait(response, _time.GetUtcNow());
        if (wait is { } w && w > TimeSpan.Zero)
        {
            PauseUntil(_time.GetUtcNow() + w);
        }
    }

    /// <summary>
    /// The wait a response asks for: <c>Retry-After</c>; or, when the window is used up
    /// (<c>X-RateLimit-Remaining: 0</c>), <c>X-RateLimit-Reset</c>; or on a 429 without either,
    /// <c>X-RateLimit-Interval-Length-Seconds</c>. Null when it asks for nothing.
    /// </summary>
    internal static TimeSpan? ServerRequestedWait(HttpResponseMessage response, DateTimeOffset now)
    {
        if (RetryAfter(response, now) is { } retryAfter)
        {
            return retryAfter;
        }

        var remaining = Header(response, "X-RateLimit-Remaining") ?? Header(response, "RateLimit-Remaining");
        var exhausted = remaining is not null && long.TryParse(remaining, NumberStyles.Integer, CultureInfo.InvariantCulture, out var left) && left <= 0;
        if (exhausted || response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var reset = Header(response, "X-RateLimit-Reset") ?? Header(response, "RateLimit-Reset");
            if (reset is not null && double.TryParse(reset, NumberStyles.Float, CultureInfo.InvariantCulture, out var resetSeconds) && resetSeconds >= 0)
            {
                // Some APIs send an epoch instant rather than a delay; tell them apart by size.
                return resetSeconds > 1_000_000_000
                    ? DateTimeOffset.FromUnixTimeSeconds((long)resetSeconds) - now
                    : TimeSpan.FromSeconds(resetSeconds);
            }

            if (response.StatusCode == HttpStatusCode.TooManyRequests
                && Header(response, "X-RateLimit-Interval-Length-Seconds") is { } interval
                && double.TryParse(interval, NumberStyles.Float, CultureInfo.InvariantCulture, out var intervalSeconds) && intervalSeconds > 0)
            {
                return TimeSpan.FromSeconds(intervalSeconds);
            }
        }

        return null;
    }

    /// <summary>The <c>Retry-After</c> header as a delay (delta-seconds or HTTP date), or null.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        if (header is null)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    public void Dispose()
    {
        _bucket.Dispose();
    }
}
