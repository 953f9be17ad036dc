using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ListingSync.Sdk.Resilience;

/// <summary>One <see cref="AdaptiveRateLimiter"/> per (channel, seller, route group), created on first use.</summary>
internal sealed class RateLimiterRegistry : IDisposable
{
    private readonly ConcurrentDictionary<(string Channel, string Seller, string Group), Lazy<AdaptiveRateLimiter>> _limiters = new();
    private readonly TimeProvider _time;

    public RateLimiterRegistry(TimeProvider time) => _time = time;

    public AdaptiveRateLimiter Get(string channel, string seller, string group, RateLimitOptions options) =>
        _limiters.GetOrAdd((channel, seller, group), _ => new Lazy<AdaptiveRateLimiter>(() => new AdaptiveRateLimiter(options, _time))).Value;

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            if (limiter.IsValueCreated)
            {
                limiter.Value.Dispose();
            }
        }

        _limiters.Clear();
    }
}
