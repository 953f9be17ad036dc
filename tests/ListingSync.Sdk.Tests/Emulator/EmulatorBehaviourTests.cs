using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Testing.Managem;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ListingSync.Sdk.Tests.Emulator;

public class EmulatorBehaviourTests
{
    private static readonly SellerScope Seller = new(EmulatorSession.SellerId);

    private static ListingDraft Draft(EmulatedItem item, int i, decimal price = 1.25m) => new()
    {
        Reference = $"host-{i:D6}",
        Item = ItemIdentity.FromUrn(item.Urn),
        Condition = ListingCondition.NearMint,
        Language = "English",
        Price = Money.Gbp(price),
        Quantity = 1 + (i % 3),
    };

    [Fact]
    public async Task Streaming_pages_through_10000_listings_with_every_listing_exactly_once()
    {
        await using var session = await EmulatorSession.StartAsync(new ManagemEmulatorOptions { GeneratedItems = 10_000 });
        var items = session.Emulator.Catalogue.Items;
        session.Emulator.SeedListings(EmulatorSession.SellerId, Enumerable.Range(0, 10_000).Select(i => (items[i].Urn, 100L + i, 1, (string?)$"host-{i}")));

        var ids = new HashSet<string>();
        var count = 0;
        await foreach (var listing in session.Channel.GetListingsAsync(Seller))
        {
            ids.Add(listing.Id);
            count++;
        }

        count.ShouldBe(10_000);
        ids.Count.ShouldBe(10_000);
        // 50 new listings on the first page, 48 on each later one (2 re-read as the overlap): 1 + ceil(9,950 / 48) = 209.
        session.Emulator.RouteCounts["POST /seller/listings/search"].ShouldBe(209);
    }

    [Fact]
    public async Task Bulk_creating_1000_with_a_failure_mix_gives_one_result_per_draft_that_matches_the_marketplace()
    {
        await using var session = await EmulatorSession.StartAsync();
        var items = session.Emulator.Catalogue.Items;
        var drafts = Enumerable.Range(0, 1000).Select(i => i switch
        {
            _ when i % 50 == 1 => Draft(items[i], i) with { Item = ItemIdentity.FromUrn($"urn:managem:pokemon:set/nowhere/card/{i}") }, // unknown to the catalogue: Managem fails it
            _ when i % 50 == 2 => Draft(items[i], i, price: -1m), // invalid: never sent
            _ when i % 50 == 3 => Draft(items[i], i) with { Reference = new string('r', 300) }, // invalid: never sent
            _ => Draft(items[i], i),
        }).ToList();

        var results = await session.Channel.CreateListingsAsync(Seller, drafts);

        results.Count.ShouldBe(1000);
        results.Count(r => r.Status == ListingWriteStatus.Succeeded).ShouldBe(940);
        results.Count(r => r.Status == ListingWriteStatus.Failed).ShouldBe(20);
        results.Count(r => r.Status == ListingWriteStatus.Rejected).ShouldBe(40);
        var listed = session.Emulator.Listings(EmulatorSession.SellerId);
        listed.Select(l => l.Reference).ShouldBe(results.Where(r => r.IsSuccess).Select(r => r.Reference), ignoreOrder: true);
        session.Emulator.RouteCounts["POST /seller/listings/bulk"].ShouldBe(5);
    }

    [Fact]
    public async Task Retries_through_injected_5xx_and_429_create_no_duplicate_listing()
    {
        await using var session = await EmulatorSession.StartAsync(
            new ManagemEmulatorOptions { Seed = 7, ServerErrorRate = 0.15, AmbiguousWriteErrorRate = 0.15, RateLimitPerSecond = 40, RateLimitBurst = 5 },
            o =>
            {
                o.BulkBatchSize = 50;
                o.Resilience.MaxRetryAttempts = 8;
            });
        var items = session.Emulator.Catalogue.Items;
        var drafts = Enumerable.Range(0, 1000).Select(i => Draft(items[i], i)).ToList();

        // Keep sending what is not known to exist, as a sync loop does, until every draft is listed.
        var pending = drafts;
        for (var round = 0; round < 10 && pending.Count > 0; round++)
        {
            var results = await session.Client.Listings.CreateAsync(Seller, pending);
            results.ShouldNotContain(r => r.Status == ListingWriteStatus.Rejected);
            pending = results.Where(r => r.Status != ListingWriteStatus.Succeeded).Select(r => pending[r.Index]).ToList();
        }

        pending.ShouldBeEmpty();
        session.Emulator.FaultCount.ShouldBeGreaterThan(0);
        session.Emulator.ThrottledCount.ShouldBeGreaterThan(0);
        var references = session.Emulator.Listings(EmulatorSession.SellerId).Select(l => l.Reference).ToList();
        references.Count.ShouldBe(1000, "one listing per draft: no duplicates, none lost");
        references.Distinct().Count().ShouldBe(1000);
    }

    [Fact]
    public async Task Webhooks_are_created_disabled_tested_enabled_and_deliver_signed_events()
    {
        var received = new ConcurrentQueue<(string Id, string Type, bool Valid)>();
        string? secret = null;
        await using var receiver = await Receiver.StartAsync(async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var id = context.Request.Headers["webhook-id"].ToString();
            var timestamp = context.Request.Headers["webhook-timestamp"].ToString();
            var signature = context.Request.Headers["webhook-signature"].ToString();
            // Verification by hand, from the Standard Webhooks spec: HMAC-SHA256 over "{id}.{timestamp}.{body}".
            var key = Convert.FromBase64String(secret!["whsec_".Length..]);
            var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, (byte[])[.. Encoding.UTF8.GetBytes($"{id}.{timestamp}."), .. body]));
            using var json = JsonDocument.Parse(body);
            received.Enqueue((json.RootElement.GetProperty("id").GetString()!, json.RootElement.GetProperty("type").GetString()!, signature.Split(' ').Contains(expected)));
            context.Response.StatusCode = 200;
        });
        await using var session = await EmulatorSession.StartAsync();
        var client = session.Client;

        var webhook = await client.Webhooks.CreateAsync(Seller, new ManagemWebhookCreateRequest { Url = receiver.Url, Subscriptions = ManagemEventTypes.SyncSubscriptions });
        secret = webhook.Secret;
        webhook.Enabled.ShouldBeFalse();
        (await client.Webhooks.TestAsync(Seller, webhook.Id)).StatusCode.ShouldBe(200);
        (await client.Webhooks.UpdateAsync(Seller, webhook.Id, new ManagemWebhookUpdateRequest { Enabled = true })).Enabled.ShouldBeTrue();

        var items = session.Emulator.Catalogue.Items;
        var created = await client.Listings.CreateAsync(Seller, [Draft(items[0], 0), Draft(items[1], 1)]);
        var listings = session.Emulator.Listings(EmulatorSession.SellerId);
        await client.Listings.UpdateAsync(Seller, listings[0].Id, Draft(items[0], 0, price: 2.00m));
        session.Emulator.SimulateOrder(EmulatorSession.SellerId, listings[1].Id, 1);
        await client.Listings.DeleteAsync(Seller, listings[1].Id);

        await WaitFor(() => received.Count >= 6);
        created.ShouldAllBe(r => r.IsSuccess);
        received.ShouldAllBe(e => e.Valid);
        received.Select(e => e.Type).ShouldBe(["TEST", "LISTING_CREATED", "LISTING_CREATED", "LISTING_UPDATED", "ORDER_CREATED", "LISTING_DELETED"], ignoreOrder: true); // deliveries run concurrently: order is not promised
        session.Emulator.Events(EmulatorSession.SellerId).ShouldNotContain(e => e.Type == "LISTING_UPDATED" && e.Data.ToString()!.Contains(listings[1].Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_endpoint_is_recorded_and_disabled_after_max_consecutive_failures()
    {
        await using var receiver = await Receiver.StartAsync(context =>
        {
            context.Response.StatusCode = 500;
            return Task.CompletedTask;
        });
        await using var session = await EmulatorSession.StartAsync(new ManagemEmulatorOptions { MaxConsecutiveFailures = 3, WebhookMaxAttempts = 1 });
        var webhook = await session.Client.Webhooks.CreateAsync(Seller, new ManagemWebhookCreateRequest { Url = receiver.Url, Subscriptions = ["LISTING_CREATED"], Enabled = true });
        var items = session.Emulator.Catalogue.Items;

        await session.Client.Listings.CreateAsync(Seller, Enumerable.Range(0, 5).Select(i => Draft(items[i], i)).ToList());
        await WaitFor(() => session.Emulator.PendingWebhookDeliveries == 0 && session.Emulator.Webhooks(EmulatorSession.SellerId)[0].ConsecutiveFailures >= 3);

        var after = await session.Client.Webhooks.GetAsync(Seller, webhook.Id);
        after!.Enabled.ShouldBeFalse();
        var failures = await session.Client.Webhooks.ListFailuresAsync(Seller, webhook.Id, 100);
        failures.Count.ShouldBeGreaterThanOrEqualTo(3);
        failures.ShouldAllBe(f => f.ResponseStatusCode == 500);
    }

    [Fact]
    public async Task The_emulator_answers_validation_errors_in_the_api_shape()
    {
        await using var session = await EmulatorSession.StartAsync();
        var items = session.Emulator.Catalogue.Items;
        session.Emulator.SeedListings(EmulatorSession.SellerId, [(items[0].Urn, 100L, 1, "r")]);
        var id = session.Emulator.Listings(EmulatorSession.SellerId)[0].Id;
        using var http = new HttpClient { BaseAddress = session.Emulator.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", EmulatorSession.Token);

        using var response = await http.PutAsync($"seller/listings/{id}", new StringContent("""{"price":-5,"quantity":-1}""", Encoding.UTF8, "application/json"));
        var webhook = await session.Client.Webhooks.CreateAsync(Seller, new ManagemWebhookCreateRequest { Url = "http://127.0.0.1:9/hook", Subscriptions = ["TEST"] });
        var error = await Should.ThrowAsync<ListingSyncRequestException>(() => session.Client.Webhooks.SetSubscriptionsAsync(Seller, webhook.Id, ["LISTING_TELEPORTED"]));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var body = await response.Content.ReadAsStringAsync();
        body.ShouldContain("\"field\":\"price\"");
        body.ShouldContain("\"field\":\"quantity\"");
        error.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        error.ErrorCode.ShouldBe("VALIDATION_ERROR");
        error.FieldErrors.ShouldHaveSingleItem().Field.ShouldBe("events");
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        condition().ShouldBeTrue("condition not met within 15 s");
    }

    /// <summary>A real ASP.NET host on loopback that receives webhook deliveries.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Receiver(WebApplication app, string url)
        {
            _app = app;
            Url = url;
        }

        public string Url { get; }

        public static async Task<Receiver> StartAsync(RequestDelegate handle)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.MapPost("/webhooks/managem", handle);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Receiver(app, address.TrimEnd('/') + "/webhooks/managem");
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
