using System.Net;
using System.Net.Http.Headers;
using ListingSync.Sdk.Testing.Jtl;
using ListingSync.Sdk.Testing.Managem;

namespace ListingSync.Sdk.Tests.Emulator;

/// <summary>The shared emulator base: its clock is the injected one, and its faults are the seeded model's.</summary>
public class LoopbackEmulatorTests
{
    [Fact]
    public async Task The_per_seller_rate_limit_runs_on_the_injected_clock_and_answers_429_with_retry_after()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        await using var emulator = await ManagemEmulator.StartAsync(new ManagemEmulatorOptions { RateLimitPerSecond = 0.5, RateLimitBurst = 1, TimeProvider = time });
        emulator.AddSeller("s1", "t1");
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "t1");

        (await http.GetAsync("seller")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var throttled = await http.GetAsync("seller");
        throttled.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        throttled.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(2));

        time.Advance(TimeSpan.FromSeconds(2)); // no real waiting: the bucket refills on the emulator's clock
        (await http.GetAsync("seller")).StatusCode.ShouldBe(HttpStatusCode.OK);
        emulator.ThrottledCount.ShouldBe(1);
    }

    [Fact]
    public async Task Timestamps_of_created_listings_come_from_the_injected_clock()
    {
        var start = new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero);
        var time = new FakeTimeProvider(start);
        await using var emulator = await ManagemEmulator.StartAsync(new ManagemEmulatorOptions { TimeProvider = time });
        emulator.AddSeller("s1", "t1");

        var listing = emulator.SeedListings("s1", [(emulator.Catalogue.Items[0].Urn, 100L, 1, (string?)"r1")]).Single();

        listing.CreatedAt.ShouldBe(start);
    }

    [Fact]
    public async Task A_jtl_session_token_expires_on_the_injected_clock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        await using var emulator = await JtlChannelEmulator.StartAsync(new JtlChannelEmulatorOptions { TimeProvider = time, TokenLifetime = TimeSpan.FromMinutes(60) });
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };
        var auth = await http.PostAsync("v1/auth", new FormUrlEncodedContent([new("refreshToken", emulator.Options.RefreshToken)]));
        var token = System.Text.Json.JsonDocument.Parse(await auth.Content.ReadAsStringAsync()).RootElement.GetProperty("authToken").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        (await http.GetAsync("v1/channel/event")).StatusCode.ShouldBe(HttpStatusCode.OK);
        time.Advance(TimeSpan.FromMinutes(61));
        (await http.GetAsync("v1/channel/event")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_lost_answer_is_applied_then_answered_500_exactly_as_often_as_asked()
    {
        await using var emulator = await JtlChannelEmulator.StartAsync();
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };
        var auth = await http.PostAsync("v1/auth", new FormUrlEncodedContent([new("refreshToken", emulator.Options.RefreshToken)]));
        var token = System.Text.Json.JsonDocument.Parse(await auth.Content.ReadAsStringAsync()).RootElement.GetProperty("authToken").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        emulator.LoseNextWriteAnswers(1);

        var body = """{"offerList":[{"sellerId":"s1","offerId":1}]}""";
        var first = await http.PostAsync("v1/channel/offer/in-progress", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var second = await http.PostAsync("v1/channel/offer/in-progress", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        first.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        emulator.Reports.Count.ShouldBe(2); // the first was applied although its answer said 500
        emulator.FaultCount.ShouldBe(1);
    }
}
