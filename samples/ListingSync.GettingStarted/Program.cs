// Keep one seller's listings in sync with Managem: plan, apply, then follow the marketplace through webhooks.
// Runs against the Managem emulator; for a real account, drop the emulator and use your base address and token.
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.Http;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;
using ListingSync.Sdk.Testing.Managem;
using ListingSync.Sdk.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// 1. The marketplace: the emulator on loopback, with one listing the seller made by hand before using the SDK.
await using var emulator = await ManagemEmulator.StartAsync();
emulator.AddSeller("seller-1", "token-1");
emulator.SeedListings("seller-1", [("urn:managem:pokemon:set/base1/card/4", 1_250, 1, null)]);

// 2. The host: an ASP.NET Core app (it receives the webhooks) with the SDK registered.
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Logging.ClearProviders();
builder.Services.AddListingSync()
    .AddManagem(o =>
    {
        o.BaseAddress = emulator.BaseAddress;
        o.Sellers["seller-1"] = new SellerCredentials { AccessToken = "token-1" };
        o.RateLimit.PermitsPerSecond = 100; // the default, 10 per second, is for real accounts
    })
    .AddSqliteMappingStore(Path.Combine(Path.GetTempPath(), $"getting-started-{Guid.NewGuid():N}.db"))
    .AddWebhooks();
var app = builder.Build();
app.MapListingSyncWebhooks("/webhooks/managem/{seller}");
await app.StartAsync();

// 3. The host's inventory, its source of truth: one product per reference.
var seller = new SellerScope("seller-1");
ListingDraft[] inventory =
[
    new() { Reference = "sku-charizard", Item = ItemIdentity.FromUrn("urn:managem:pokemon:set/base1/card/4"),
            Condition = ListingCondition.NearMint, Language = "English", Price = Money.Gbp(12.50m), Quantity = 1 },
    new() { Reference = "sku-pikachu", Item = ItemIdentity.FromUrn("urn:managem:pokemon:set/base1/card/58"),
            Condition = ListingCondition.LightlyPlayed, Language = "English", Price = Money.Gbp(2.00m), Quantity = 3 },
];

// 4. Plan (a dry run: nothing is sent), then apply. The hand-made Charizard is adopted by identity, not listed twice.
var channel = app.Services.GetRequiredService<ManagemChannel>();
var reconciler = app.Services.GetRequiredService<Reconciler>();
var plan = await reconciler.PlanAsync(channel, seller, inventory.ToAsyncEnumerable());
Console.WriteLine(plan.ToTable());
var result = await reconciler.ApplyAsync(channel, plan);
Console.WriteLine($"Applied: {result.Succeeded} succeeded, {result.NotSucceeded} did not.");

// 5. Webhooks: register this host's endpoint (created disabled, test delivery, enabled), then a buyer orders.
var endpoint = new Uri(new Uri(app.Urls.First()), "webhooks/managem/seller-1");
await app.Services.GetRequiredService<ManagemWebhookRegistrar>().RegisterAsync(seller, endpoint);
var pikachu = emulator.Listings("seller-1").Single(l => l.Reference == "sku-pikachu");
emulator.SimulateOrder("seller-1", pikachu.Id, quantity: 1);
await emulator.WaitForWebhooksAsync(TimeSpan.FromSeconds(10));

var inbox = app.Services.GetRequiredService<IEventInbox>();
for (var wait = 0; wait < 100 && (await inbox.GetCountsAsync()).Pending > 0; wait++)
{
    await Task.Delay(50);
}

var counts = await inbox.GetCountsAsync();
Console.WriteLine($"Webhooks: {counts.Accepted} accepted, {counts.Handled} handled, {counts.DeadLettered} dead-lettered.");
await app.StopAsync();
return result.NotSucceeded == 0 && counts.Handled > 0 ? 0 : 1;
