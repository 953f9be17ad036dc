// ListingSync webhook host: a minimal ASP.NET Core app that receives Managem webhooks through the SDK's endpoint,
// registers itself the recommended way (create disabled, test delivery must answer 200, then enable) and logs what it
// keeps in sync in a SQLite mapping store. Runs against an in-process Managem emulator unless --base-url is given.
//
//   dotnet run --project samples/ListingSync.WebhookHost [-- --demo] [--port 5080] [--store webhooks.db]
//   dotnet run --project samples/ListingSync.WebhookHost -- --base-url URL --token TOKEN --public-url https://host.example
using System.CommandLine;
using System.Net;
using ListingSync.Samples;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.DependencyInjection;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;
using ListingSync.Sdk.Testing.Managem;
using ListingSync.Sdk.Webhooks;
using ListingSync.WebhookHost;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

var options = WebhookHostOptions.Parse(args, out var parseExitCode);
if (options is null)
{
    return parseExitCode; // 0 after --help, 2 after a bad value
}

const string SellerId = "demo-seller";
var seller = new SellerScope(SellerId);
ManagemEmulator? emulator = null;
if (options.BaseUrl is null)
{
    emulator = await ManagemEmulator.StartAsync(new ManagemEmulatorOptions { Seed = 1 });
    emulator.AddSeller(SellerId, "demo-token");
}

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
builder.Logging.SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft", LogLevel.Warning).AddFilter("System.Net.Http", LogLevel.Warning);
builder.Services.AddListingSync()
    .AddManagem(o =>
    {
        o.BaseAddress = options.BaseUrl ?? emulator!.BaseAddress;
        o.Sellers[SellerId] = new ListingSync.Sdk.Http.SellerCredentials { AccessToken = options.Token ?? "demo-token" };
    })
    .AddSqliteMappingStore(options.StorePath)
    .AddSqliteEventInbox() // accepted events survive a restart
    .AddWebhooks()
    .AddEventHandler<SyncLogHandler>(Enum.GetValues<ListingEventKind>());

var app = builder.Build();
app.MapListingSyncWebhooks("/webhooks/managem/{seller}");
app.MapGet("/", () => "ListingSync webhook host: POST /webhooks/managem/{seller}");
if (emulator is not null)
{
    // Against the emulator, events can be triggered by hand: each call changes the demo seller's listings on the
    // emulated marketplace, which then sends the signed webhook to this host.
    app.MapPost("/simulate/{kind}", (string kind) =>
    {
        var listing = emulator.Listings(SellerId).FirstOrDefault(l => l.Available > 0)
            ?? emulator.SeedListings(SellerId, [(emulator.Catalogue.Items[0].Urn, 250, 3, "demo-1")]).Single();
        switch (kind)
        {
            case "order": return Results.Ok($"order {emulator.SimulateOrder(SellerId, listing.Id, 1)} for listing {listing.Id}");
            case "edit": emulator.SimulateSellerEdit(SellerId, listing.Id, pricePence: 299); return Results.Ok($"listing {listing.Id} repriced to 299");
            case "delete": emulator.SimulateSellerDelete(SellerId, listing.Id); return Results.Ok($"listing {listing.Id} deleted");
            default: return Results.BadRequest("kind is one of: order, edit, delete");
        }
    });
}

await app.StartAsync();

var local = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
var endpoint = new Uri(options.PublicUrl ?? local, $"webhooks/managem/{SellerId}");
try
{
    var webhook = await app.Services.GetRequiredService<ManagemWebhookRegistrar>().RegisterAsync(seller, endpoint, description: "ListingSync webhook host");
    Console.WriteLine($"Webhook {webhook.Id} live at {endpoint}: created disabled, test delivery answered 200, enabled.");
}
catch (WebhookRegistrationException ex)
{
    Console.Error.WriteLine(ex.Message);
    await app.StopAsync();
    return 1;
}

if (options.Demo && emulator is not null)
{
    var exitCode = await Demo.RunAsync(app.Services, emulator, seller);
    await app.StopAsync();
    await app.DisposeAsync();
    await emulator.DisposeAsync();
    if (options.TemporaryStore)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { options.StorePath, options.StorePath + "-wal", options.StorePath + "-shm" })
        {
            File.Delete(file);
        }
    }

    return exitCode;
}

Console.WriteLine($"Listening on {local}; Ctrl+C or SIGTERM stops it.");
if (emulator is not null)
{
    Console.WriteLine("Trigger events on the emulated marketplace, each answered by a signed webhook to this host:");
    foreach (var kind in new[] { "order", "edit", "delete" })
    {
        Console.WriteLine($"  curl -X POST {local}simulate/{kind}");
    }

    Console.WriteLine("or run with --demo for a scripted session.");
}

await app.WaitForShutdownAsync();
if (emulator is not null)
{
    await emulator.DisposeAsync();
}

return 0;

namespace ListingSync.WebhookHost
{
    /// <summary>Logs what each event changed in the mapping (runs after the SDK's default handler).</summary>
    internal sealed partial class SyncLogHandler(IMappingStore store, ILogger<SyncLogHandler> logger) : IListingEventHandler
    {
        public async Task HandleAsync(ListingEvent listingEvent, CancellationToken cancellationToken)
        {
            var mapping = listingEvent.ListingId is { } id
                ? await store.FindByListingIdAsync(new MappingScope(listingEvent.Channel, listingEvent.Seller), id, cancellationToken)
                : null;
            if (mapping?.State is { } state)
            {
                LogKept(listingEvent.Type, listingEvent.ListingId!, mapping.Reference, state.Price, state.Quantity, state.Available ?? state.Quantity, mapping.IsActive);
            }
            else
            {
                LogSeen(listingEvent.Type, listingEvent.EventId, listingEvent.ListingId ?? "-");
            }
        }

        [LoggerMessage(Level = LogLevel.Information, Message = "{Type} {ListingId} -> {Reference}: {Price}, quantity {Quantity}, available {Available}, active {Active}")]
        private partial void LogKept(string type, string listingId, string reference, Money price, int quantity, int available, bool active);

        [LoggerMessage(Level = LogLevel.Information, Message = "{Type} {EventId} (listing {ListingId}): nothing mapped")]
        private partial void LogSeen(string type, string eventId, string listingId);
    }

    /// <summary>--demo: list three products, let the "marketplace" change them, wait for the events, print the mapping, stop.</summary>
    internal static class Demo
    {
        public static async Task<int> RunAsync(IServiceProvider services, ManagemEmulator emulator, SellerScope seller)
        {
            var items = emulator.Catalogue.Items;
            var drafts = Enumerable.Range(0, 3).Select(i => new ListingDraft
            {
                Reference = $"sku-{i + 1}",
                Item = ItemIdentity.FromUrn(items[i].Urn),
                Condition = ListingCondition.NearMint,
                Language = "English",
                Price = Money.Gbp(2.50m + i),
                Quantity = 4,
            }).ToList();
            var reconciler = services.GetRequiredService<Reconciler>();
            var channel = services.GetRequiredService<ManagemChannel>();
            var plan = await reconciler.PlanAsync(channel, seller, drafts.ToAsyncEnumerable());
            var applied = await reconciler.ApplyAsync(channel, plan);
            Console.WriteLine($"Listed {applied.Succeeded} products; now the marketplace changes them (an order, a seller edit, a delete).");

            var listings = emulator.Listings(seller.SellerId);
            emulator.SimulateOrder(seller.SellerId, listings[0].Id, 1);
            emulator.SimulateSellerEdit(seller.SellerId, listings[1].Id, pricePence: 999);
            emulator.SimulateSellerDelete(seller.SellerId, listings[2].Id);
            await emulator.WaitForWebhooksAsync(TimeSpan.FromSeconds(30));
            var inbox = services.GetRequiredService<IEventInbox>();
            for (var waited = 0; inbox.Pending > 0 && waited < 3000; waited += 10)
            {
                await Task.Delay(10);
            }

            var store = services.GetRequiredService<IMappingStore>();
            Console.WriteLine();
            Console.WriteLine("Mapping kept from webhooks:");
            await foreach (var mapping in store.ListAsync(new MappingScope(ManagemClientOptions.ChannelName, seller)))
            {
                Console.WriteLine($"  {mapping.Reference,-6} {mapping.ListingId,-8} {(mapping.IsActive ? "active" : "inactive"),-8} {mapping.State?.Price} quantity {mapping.State?.Quantity} available {mapping.State?.Available ?? mapping.State?.Quantity}");
            }

            var deadLetters = (await inbox.GetDeadLettersAsync()).Count;
            Console.WriteLine($"Inbox: {inbox.Pending} pending, {deadLetters} dead letters.");
            return inbox.Pending == 0 && deadLetters == 0 ? 0 : 1;
        }
    }

    internal sealed record WebhookHostOptions(Uri? BaseUrl, string? Token, Uri? PublicUrl, int Port, string StorePath, bool TemporaryStore, bool Demo)
    {
        /// <summary>The options, or null with the exit code: 0 after --help, 2 after a bad value (nothing runs).</summary>
        public static WebhookHostOptions? Parse(string[] args, out int exitCode)
        {
            var demo = new Option<bool>("--demo") { Description = "run a scripted session against the emulator (orders, edits, deletes) and exit" };
            var port = new Option<int>("--port") { Description = "TCP port of the webhook endpoint on 127.0.0.1 (0: any free port)", DefaultValueFactory = _ => 0 }
                .Must(p => p is >= 0 and <= 65_535, "--port must be between 0 and 65535.");
            var store = new Option<FileInfo?>("--store") { Description = "SQLite file for the mapping and the inbox (default: a temporary file, deleted at the end)" };
            var baseUrl = new Option<string?>("--base-url") { Description = "a real Managem API address instead of the emulator (needs --token and --public-url)" }
                .Must(u => u is null || (Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"), "--base-url must be an absolute http(s) URL.");
            var token = new Option<string?>("--token") { Description = "the seller's API token for --base-url" };
            var publicUrl = new Option<string?>("--public-url") { Description = "an HTTPS address Managem can reach that forwards to this host" }
                .Must(u => u is null || Uri.TryCreate(u, UriKind.Absolute, out _), "--public-url must be an absolute URL.");
            var root = new RootCommand("A minimal ASP.NET Core host that receives Managem webhooks through the SDK's endpoint and keeps a SQLite mapping in sync. "
                + "Against the emulator, trigger events with --demo, or with the emulator's Simulate* methods from your own code.")
            {
                demo, port, store, baseUrl, token, publicUrl,
            };
            root.Validators.Add(r =>
            {
                if (r.GetResult(baseUrl) is not null && (r.GetResult(token) is null || r.GetResult(publicUrl) is null))
                {
                    r.AddError("--base-url needs --token and --public-url (an HTTPS address Managem can reach).");
                }
            });
            WebhookHostOptions? options = null;
            root.SetAction(parse =>
            {
                var file = parse.GetValue(store)?.FullName;
                options = new WebhookHostOptions(
                    parse.GetValue(baseUrl) is { } b ? new Uri(b) : null,
                    parse.GetValue(token),
                    parse.GetValue(publicUrl) is { } u ? new Uri(u) : null,
                    parse.GetValue(port),
                    file ?? Path.Combine(Path.GetTempPath(), $"listingsync-webhooks-{Guid.NewGuid():N}.db"),
                    file is null,
                    parse.GetValue(demo));
            });
            exitCode = root.RunAsync(args).GetAwaiter().GetResult();
            return exitCode == 0 ? options : null;
        }
    }
}
