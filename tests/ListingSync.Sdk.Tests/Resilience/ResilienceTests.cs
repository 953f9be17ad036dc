using System.Net;
using System.Net.Http.Headers;
using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.Testing;
using ListingSync.Sdk.DependencyInjection;
using ListingSync.Sdk.Http;
using ListingSync.Sdk.Model;
using Microsoft.Extensions.DependencyInjection;
using static ListingSync.Sdk.Tests.ManagemTestHost;

namespace ListingSync.Sdk.Tests.Resilience;

public class ResilienceTests
{
    private const string Status = """{"sellerId":"sel_1","status":"ACTIVE","chargesEnabled":true}""";
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    private static HttpResponseMessage Json(string body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };

    private static HttpResponseMessage TooMany(TimeSpan? retryAfter)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent("""{"code":"RATE_LIMITED","message":"slow down"}""") };
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = new RetryConditionHeaderValue(wait);
        }

        return response;
    }

    [Fact]
    public async Task A_429_is_retried_after_the_retry_after_the_marketplace_asked_for()
    {
        var time = new FakeTimeProvider();
        var start = time.GetUtcNow();
        var seen = new List<DateTimeOffset>();
        var stub = new StubHandler((_, _) =>
        {
            seen.Add(time.GetUtcNow());
            return Task.FromResult(seen.Count == 1 ? TooMany(TimeSpan.FromSeconds(7)) : Json(Status));
        });
        var client = Build(stub, time);

        var status = await ClockDriver.RunAsync(time, client.Seller.GetStatusAsync(Seller), Step, TimeSpan.FromMinutes(1));

        status.SellerId.ShouldBe("sel_1");
        seen.Count.ShouldBe(2);
        (seen[1] - start).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(7));
        (seen[1] - start).ShouldBeLessThan(TimeSpan.FromSeconds(7) + Step * 2);
    }

    [Fact]
    public async Task A_retry_after_beyond_the_cap_is_not_waited_out_and_surfaces_as_rate_limited()
    {
        var time = new FakeTimeProvider();
        var stub = new StubHandler((_, _) => Task.FromResult(TooMany(TimeSpan.FromMinutes(10))));
        var client = Build(stub, time, o => o.Resilience.MaxRetryAfter = TimeSpan.FromSeconds(60));

        var error = await Should.ThrowAsync<ListingSyncRateLimitedException>(() => client.Seller.GetStatusAsync(Seller));

        stub.Calls.ShouldBe(1);
        error.RetryAfter.ShouldBe(TimeSpan.FromMinutes(10));
        error.ErrorCode.ShouldBe("RATE_LIMITED");
    }

    [Fact]
    public async Task Retries_stop_after_the_configured_attempts()
    {
        var time = new FakeTimeProvider();
        var stub = new StubHandler((_, _) => Task.FromResult(TooMany(TimeSpan.FromSeconds(1))));
        var client = Build(stub, time, o => o.Resilience.MaxRetryAttempts = 3);

        await Should.ThrowAsync<ListingSyncRateLimitedException>(() => ClockDriver.RunAsync(time, client.Seller.GetStatusAsync(Seller), Step, TimeSpan.FromMinutes(1)));

        stub.Calls.ShouldBe(4);
    }

    [Fact]
    public async Task Reads_are_retried_on_5xx_with_exponential_backoff()
    {
        var time = new FakeTimeProvider();
        var start = time.GetUtcNow();
        var seen = new List<TimeSpan>();
        var stub = new StubHandler((_, _) =>
        {
            seen.Add(time.GetUtcNow() - start);
            return Task.FromResult(seen.Count < 3 ? Json("{}", HttpStatusCode.ServiceUnavailable) : Json(Status));
        });
        var client = Build(stub, time, o => o.Resilience.BaseDelay = TimeSpan.FromSeconds(1));

        await ClockDriver.RunAsync(time, client.Seller.GetStatusAsync(Seller), Step, TimeSpan.FromMinutes(1));

        seen.Count.ShouldBe(3);
        (seen[1] - seen[0]).ShouldBeInRange(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1) + Step * 2);
        (seen[2] - seen[1]).ShouldBeInRange(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2) + Step * 2);
    }

    [Fact]
    public async Task A_bulk_create_that_times_out_is_not_repeated_and_rows_are_verified_by_reference()
    {
        var time = new FakeTimeProvider();
        var bulkCalls = 0;
        var stub = new StubHandler(async (request, ct) =>
        {
            if (request.Method == HttpMethod.Post)
            {
                Interlocked.Increment(ref bulkCalls);
                await Task.Delay(Timeout.Infinite, ct); // the marketplace is slow; it may or may not have applied the call
            }

            // The verification: only the first row made it.
            return Json($"[{ListingJson("lst_1", "urn:managem:pokemon:set/151/card/1", reference: "sku-00001")}]");
        });
        var client = Build(stub, time, o => o.Resilience.AttemptTimeout = TimeSpan.FromSeconds(5));

        var results = await ClockDriver.RunAsync(time, client.Listings.CreateAsync(Seller, [Draft(1), Draft(2)]), Step, TimeSpan.FromMinutes(2));

        bulkCalls.ShouldBe(1);
        results[0].Status.ShouldBe(ListingWriteStatus.Succeeded);
        results[0].ListingId.ShouldBe("lst_1");
        results[1].Status.ShouldBe(ListingWriteStatus.Failed);
        results[1].Errors.ShouldHaveSingleItem().Rule.ShouldBe("not-created");
        results[1].Exception.ShouldBeOfType<ListingSyncRequestException>().IsTimeout.ShouldBeTrue();
    }

    [Theory]
    [InlineData("<html><body>Bad gateway</body></html>")]
    [InlineData("{\"successful\":[1,2]}")]
    [InlineData("")]
    public async Task A_bulk_create_answered_200_with_a_body_that_cannot_be_read_is_verified_by_reference_not_failed(string body)
    {
        // 200 means the call was applied: an unreadable answer leaves the outcome unknown, so each row is looked up.
        var time = new FakeTimeProvider();
        var bulkCalls = 0;
        var stub = new StubHandler((request, _) =>
        {
            if (request.Method == HttpMethod.Post)
            {
                Interlocked.Increment(ref bulkCalls);
                return Task.FromResult(Json(body));
            }

            return Task.FromResult(Json($"[{ListingJson("lst_1", "urn:managem:pokemon:set/151/card/1", reference: "sku-00001")}]"));
        });
        var client = Build(stub, time);

        var results = await ClockDriver.RunAsync(time, client.Listings.CreateAsync(Seller, [Draft(1), Draft(2)]), Step, TimeSpan.FromMinutes(2));

        bulkCalls.ShouldBe(1);
        results[0].Status.ShouldBe(ListingWriteStatus.Succeeded);
        results[0].ListingId.ShouldBe("lst_1");
        results[1].Status.ShouldBe(ListingWriteStatus.Failed);
        results[1].Errors.ShouldHaveSingleItem().Rule.ShouldBe("not-created");
        results[1].Exception.ShouldBeOfType<ListingSyncRequestException>().ErrorCode.ShouldBe("unreadable-body");
    }

    [Fact]
    public async Task A_bulk_create_answered_with_503_is_not_repeated_and_without_verification_is_unknown()
    {
        var time = new FakeTimeProvider();
        var stub = new StubHandler((_, _) => Task.FromResult(Json("{}", HttpStatusCode.ServiceUnavailable)));
        var client = Build(stub, time, o => o.VerifyAmbiguousCreates = false);

        var results = await client.Listings.CreateAsync(Seller, [Draft(1)]);

        stub.Calls.ShouldBe(1);
        results.ShouldHaveSingleItem().Status.ShouldBe(ListingWriteStatus.Unknown);
        results[0].Exception.ShouldBeOfType<ListingSyncRequestException>().OutcomeUnknown.ShouldBeTrue();
    }

    [Fact]
    public async Task A_bulk_create_refused_with_429_or_never_connected_is_safely_repeated()
    {
        var time = new FakeTimeProvider();
        var calls = 0;
        var stub = new StubHandler((_, _) => ++calls switch
        {
            1 => Task.FromResult(TooMany(TimeSpan.FromSeconds(1))),
            2 => Task.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused")),
            _ => Task.FromResult(Json("""{"successful":["urn:managem:pokemon:set/151/card/1"],"failed":[]}""")),
        });
        var client = Build(stub, time, o => o.ResolveCreatedListingIds = false); // the bulk calls alone

        var results = await ClockDriver.RunAsync(time, client.Listings.CreateAsync(Seller, [Draft(1)]), Step, TimeSpan.FromMinutes(1));

        calls.ShouldBe(3);
        results.ShouldHaveSingleItem().Status.ShouldBe(ListingWriteStatus.Succeeded);
    }

    [Fact]
    public async Task The_rate_limiter_holds_its_configured_rate_per_seller()
    {
        var time = new FakeTimeProvider();
        var served = 0;
        var stub = new StubHandler((_, _) =>
        {
            Interlocked.Increment(ref served);
            return Task.FromResult(Json(Status));
        });
        var client = Build(stub, time, o =>
        {
            o.RateLimit.Enabled = true;
            o.RateLimit.PermitsPerSecond = 10;
            o.RateLimit.Burst = 1;
        });

        var calls = Enumerable.Range(0, 25).Select(_ => client.Seller.GetStatusAsync(Seller)).ToList();
        await WaitFor(() => Volatile.Read(ref served) >= 1);
        await Task.Delay(50);
        Volatile.Read(ref served).ShouldBe(1); // the burst only

        for (var tick = 1; tick <= 24; tick++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await WaitFor(() => Volatile.Read(ref served) >= 1 + tick);
            await Task.Delay(10);
            Volatile.Read(ref served).ShouldBe(1 + tick, $"after {tick * 100} ms of fake time");
        }

        await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(10));
        served.ShouldBe(25);
    }

    [Fact]
    public async Task Different_sellers_have_separate_rate_limits()
    {
        var time = new FakeTimeProvider();
        var stub = new StubHandler((_, _) => Task.FromResult(Json(Status)));
        var client = Build(stub, time, o =>
        {
            o.RateLimit.Enabled = true;
            o.RateLimit.PermitsPerSecond = 1;
            o.RateLimit.Burst = 1;
            o.Sellers["a"] = new SellerCredentials { AccessToken = "ta" };
            o.Sellers["b"] = new SellerCredentials { AccessToken = "tb" };
        });

        // Without advancing time each seller gets exactly its burst.
        await client.Seller.GetStatusAsync(new SellerScope("a")).WaitAsync(TimeSpan.FromSeconds(5));
        await client.Seller.GetStatusAsync(new SellerScope("b")).WaitAsync(TimeSpan.FromSeconds(5));
        var third = client.Seller.GetStatusAsync(new SellerScope("a"));
        await Task.Delay(50);

        third.IsCompleted.ShouldBeFalse();
        stub.Calls.ShouldBe(2);
        time.Advance(TimeSpan.FromSeconds(1));
        await third.WaitAsync(TimeSpan.FromSeconds(5));
        stub.Calls.ShouldBe(3);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_retried_or_wrapped()
    {
        var time = new FakeTimeProvider();
        var stub = new StubHandler(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return Json(Status);
        });
        var client = Build(stub, time);
        using var cts = new CancellationTokenSource();

        var call = client.Seller.GetStatusAsync(Seller, cts.Token);
        await WaitFor(() => stub.Calls == 1);
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => call);
        stub.Calls.ShouldBe(1);
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(2);
        }
    }

    internal static ManagemClient Build(HttpMessageHandler handler, TimeProvider time, Action<ManagemClientOptions>? configure = null, ICredentialProvider? credentials = null) =>
        new ManagemTestHost(handler, configure, time, credentials).Client;

}
