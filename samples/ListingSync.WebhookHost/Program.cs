// ListingSync webhook host: a minimal ASP.NET Core app that receives Managem webhooks through the SDK's endpoint,
// registers itself the recommended way (create disabled, test delivery must answer 200, then enable) and logs what it
// keeps in sync in a SQLite mapping store. Runs against an in-process Managem emulator unless --base-url is given.
//
//   dotnet run --project samples/ListingSync.WebhookHost [-- --demo] [--port 5080] [--store webhooks.db]
//   dotnet run --project samples/ListingSync.WebhookHost -- --base-url URL --token TOKEN --public-url https://host.example
using System.Net;
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

var options = WebhookHostOptions.Parse(args);
if (options is null)
{
    return 2;
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

Console.WriteLine($"Listening on {local}; Ctrl+C to stop.");
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
        public static WebhookHostOptions? Parse(string[] args)
        {
            Uri? baseUrl = null, publicUrl = null;
            string? token = null;
            var port = 0;
            string? store = null;
            var demo = false;
            for (var i = 0; i < args.Length; i++)
            {
                var value = i + 1 < args.Length ? args[i + 1] : null;
                switch (args[i])
                {
                    case "--demo":
                        demo = true;
                        continue;
                    case "--port" when int.TryParse(value, out var p) && p is >= 0 and <= 65535:
                        port = p;
                        break;
                    case "--store" when value is not null:
                        store = value;
                        break;
                    case "--base-url" when Uri.TryCreate(value, UriKind.Absolute, out var u):
                        baseUrl = u;
                        break;
                    case "--token" when value is not null:
                        token = value;
                        break;
                    case "--public-url" when Uri.TryCreate(value, UriKind.Absolute, out var pu):
                        publicUrl = pu;
                        break;
                    default:
                        Console.Error.WriteLine("Usage: [--demo] [--port N] [--store FILE.db] [--base-url URL --token TOKEN --public-url URL]");
                        return null;
                }

                i++;
            }

            if (baseUrl is not null && (token is null || publicUrl is null))
            {
                Console.Error.WriteLine("--base-url needs --token and --public-url (an HTTPS address Managem can reach).");
                return null;
            }

            return new WebhookHostOptions(baseUrl, token, publicUrl, port, store ?? Path.Combine(Path.GetTempPath(), $"listingsync-webhooks-{Guid.NewGuid():N}.db"), store is null, demo);
        }
    }
}
