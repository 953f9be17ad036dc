using System.Net;
using System.Net.Http.Headers;
using ListingSync.Sdk.Resilience;

namespace ListingSync.Sdk.Tests.Resilience;

public class RateLimitHeaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Retry_after_as_seconds_and_as_a_date_are_both_read()
    {
        using var delta = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        delta.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(12));
        using var date = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        date.Headers.RetryAfter = new RetryConditionHeaderValue(Now.AddSeconds(30));

        AdaptiveRateLimiter.ServerRequestedWait(delta, Now).ShouldBe(TimeSpan.FromSeconds(12));
        AdaptiveRateLimiter.ServerRequestedWait(date, Now).ShouldBe(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void An_exhausted_window_waits_for_its_reset()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.Add("X-RateLimit-Remaining", "0");
        response.Headers.Add("X-RateLimit-Reset", "4");

        AdaptiveRateLimiter.ServerRequestedWait(response, Now).ShouldBe(TimeSpan.FromSeconds(4));
    }

    [Fact]
    public void A_429_without_retry_after_derives_the_wait_from_the_interval_header()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.Add("X-RateLimit-Limit", "60");
        response.Headers.Add("X-RateLimit-Remaining", "0");
        response.Headers.Add("X-RateLimit-Interval-Length-Seconds", "60");

        AdaptiveRateLimiter.ServerRequestedWait(response, Now).ShouldBe(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void Remaining_permits_ask_for_no_wait()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.Add("X-RateLimit-Remaining", "17");
        response.Headers.Add("X-RateLimit-Reset", "4");

        AdaptiveRateLimiter.ServerRequestedWait(response, Now).ShouldBeNull();
    }
}
