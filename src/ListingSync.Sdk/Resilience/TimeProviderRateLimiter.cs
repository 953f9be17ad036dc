using System.Threading.RateLimiting;

namespace ListingSync.Sdk.Resilience;

/// <summary>
/// A <see cref="RateLimiter"/> (System.Threading.RateLimiting) that paces permits with the generic cell rate
/// algorithm on an injected <see cref="TimeProvider"/>: sustained <c>permitsPerSecond</c>, up to <c>burst</c> at
/// once after idling, callers served in arrival order. The framework's <see cref="TokenBucketRateLimiter"/> measures
/// replenishment with <see cref="System.Diagnostics.Stopwatch"/>, so a fake clock cannot drive it; this one can.
/// </summary>
internal sealed class TimeProviderRateLimiter : RateLimiter
{
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly long _intervalTicks;
    private readonly long _burstTicks;
    private readonly int _queueLimit;
    private readonly object _gate = new();
    private long _theoreticalArrival;
    private int _waiting;
    private long _successful;
    private long _failed;
    private long _lastUse;

    public TimeProviderRateLimiter(double permitsPerSecond, int burst, int queueLimit, TimeProvider time)
    {
        if (double.IsNaN(permitsPerSecond) || permitsPerSecond <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(permitsPerSecond), permitsPerSecond, "RateLimit.PermitsPerSecond must be greater than 0.");
        }

        _time = time;
        _start = time.GetTimestamp();
        _intervalTicks = Math.Max(1, (long)(TimeSpan.TicksPerSecond / permitsPerSecond));
        _burstTicks = (Math.Max(1, burst) - 1) * _intervalTicks;
        _queueLimit = Math.Max(0, queueLimit);
    }

    private long Now => _time.GetElapsedTime(_start).Ticks;

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
            {
                return _waiting > 0 ? null : TimeSpan.FromTicks(Math.Max(0, Now - _lastUse));
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            var now = Now;
            var available = Math.Max(0, (now + _burstTicks - Math.Max(_theoreticalArrival, now)) / _intervalTicks);
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = available,
                CurrentQueuedCount = _waiting,
                TotalSuccessfulLeases = _successful,
                TotalFailedLeases = _failed,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_gate)
        {
            var now = Now;
            var arrival = Math.Max(_theoreticalArrival, now);
            var wait = arrival - _burstTicks - now;
            if (wait > 0)
            {
                _failed++;
                return Lease.Failed(TimeSpan.FromTicks(wait));
            }

            _theoreticalArrival = arrival + (_intervalTicks * permitCount);
            _successful++;
            _lastUse = now;
            return Lease.Acquired;
        }
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        long wait;
        lock (_gate)
        {
            var now = Now;
            var arrival = Math.Max(_theoreticalArrival, now);
            wait = arrival - _burstTicks - now;
            if (wait > 0 && _waiting >= _queueLimit)
            {
                _failed++;
                return Lease.Failed(TimeSpan.FromTicks(wait));
            }

            // Reserve the slot now, so callers are served in arrival order without a queue to drain.
            _theoreticalArrival = arrival + (_intervalTicks * permitCount);
            _successful++;
            _lastUse = now + Math.Max(0, wait);
            if (wait > 0)
            {
                _waiting++;
            }
        }

        if (wait > 0)
        {
            try
            {
                await Task.Delay(TimeSpan.FromTicks(wait), _time, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                lock (_gate)
                {
                    _waiting--;
                }
            }
        }

        return Lease.Acquired;
    }

    private sealed class Lease : RateLimitLease
    {
        public static readonly Lease Acquired = new(true, null);

        private readonly TimeSpan? _retryAfter;

        private Lease(bool acquired, TimeSpan? retryAfter)
        {
            IsAcquired = acquired;
            _retryAfter = retryAfter;
        }

        public override bool IsAcquired { get; }

        public override IEnumerable<string> MetadataNames => _retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public static Lease Failed(TimeSpan retryAfter) => new(false, retryAfter);

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (_retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = wait;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
