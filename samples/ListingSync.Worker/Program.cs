// A worker of a host that syncs many sellers: several copies run side by side against one PostgreSQL database and
// one Managem (emulator). Each takes sellers by lease, reconciles the ones it owns on a schedule, and handles events
// from the shared inbox. A copy that dies (even kill -9) leaves its sellers to be taken over when their lease expires.
//
//   dotnet run --project samples/ListingSync.Worker -- --postgres "Host=…" --managem http://127.0.0.1:5080/ \
//       --sellers seller-1,seller-2,seller-3 --name worker-1
//
// Seller X's Managem token is "token-X" (what the emulator's --sellers option creates). What each copy does is logged
// on stdout and recorded in the tables sample_runs and sample_events of the schema, so runs can be compared.
using System.CommandLine;
using ListingSync.Samples;
using ListingSync.Sdk.Http;
using ListingSync.Sdk.PostgreSql;
using ListingSync.WorkerSample;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var postgres = new Option<string?>("--postgres") { Description = "Npgsql connection string (default: the LISTINGSYNC_POSTGRES environment variable)" };
var schema = new Option<string>("--schema") { Description = "schema of the SDK's tables", DefaultValueFactory = _ => "listingsync" };
var managem = new Option<string>("--managem") { Description = "Managem base address (e.g. the emulator's)", Required = true }
    .Must(u => Uri.TryCreate(u, UriKind.Absolute, out _), "--managem must be an absolute URL, e.g. http://127.0.0.1:5080/.");
var sellers = new Option<string>("--sellers") { Description = "comma-separated seller ids this host syncs", Required = true };
var name = new Option<string>("--name") { Description = "this worker's name (lease holder)", DefaultValueFactory = _ => $"{Environment.MachineName}-{Environment.ProcessId}" };
var products = new Option<int>("--products") { Description = "products per seller in the host's inventory", DefaultValueFactory = _ => 20 }
    .Must(n => n is > 0 and <= 250, "--products must be between 1 and 250.");
var lease = new Option<double>("--lease") { Description = "seconds a seller's ownership lease lasts without renewal", DefaultValueFactory = _ => 10 }
    .Must(s => s is >= 1 and <= 3600, "--lease must be between 1 and 3600 seconds.");
var interval = new Option<double>("--interval") { Description = "seconds between two reconciliations of an owned seller", DefaultValueFactory = _ => 5 }
    .Must(s => s is > 0 and <= 3600, "--interval must be between 0 and 3600 seconds.");
var visibility = new Option<double>("--visibility") { Description = "seconds an inbox event taken by a worker that died stays invisible before another worker gets it", DefaultValueFactory = _ => 300 }
    .Must(s => s is >= 1 and <= 86_400, "--visibility must be between 1 and 86400 seconds.");
var maxSellers = new Option<int>("--max-sellers") { Description = "most sellers one worker owns (0: no limit)", DefaultValueFactory = _ => 0 }
    .Must(n => n >= 0, "--max-sellers must not be negative.");
var root = new RootCommand("A ListingSync worker: sellers by lease, scheduled reconciliation, events from the shared PostgreSQL inbox.")
{
    postgres, schema, managem, sellers, name, products, lease, interval, visibility, maxSellers,
};
root.SetAction(async (parse, cancellationToken) =>
{
    var connectionString = parse.GetValue(postgres) ?? Environment.GetEnvironmentVariable("LISTINGSYNC_POSTGRES");
    if (string.IsNullOrWhiteSpace(connectionString))
    {
        Console.Error.WriteLine("--postgres is required (or set LISTINGSYNC_POSTGRES).");
        return 2;
    }

    var managemAddress = new Uri(parse.GetValue(managem)!);
    var settings = new WorkerSettings(
        parse.GetValue(name)!,
        [.. parse.GetValue(sellers)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
        parse.GetValue(products),
        TimeSpan.FromSeconds(parse.GetValue(lease)),
        TimeSpan.FromSeconds(parse.GetValue(interval)),
        parse.GetValue(maxSellers));

    var builder = Host.CreateApplicationBuilder();
    builder.Logging.ClearProviders();
    builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.Services.AddSingleton(settings);
    builder.Services.AddListingSync()
        .AddManagem(o =>
        {
            o.BaseAddress = managemAddress;
            foreach (var seller in settings.Sellers)
            {
                o.Sellers[seller] = new SellerCredentials { AccessToken = "token-" + seller };
            }

            o.RateLimit.PermitsPerSecond = 100;
            o.RateLimit.Burst = 100;
        })
        .AddPostgresMappingStore(o =>
        {
            o.ConnectionString = connectionString;
            o.Schema = parse.GetValue(schema)!;
            o.VisibilityTimeout = TimeSpan.FromSeconds(parse.GetValue(visibility));
        })
        .AddPostgresEventInbox()
        .AddEventProcessing()
        .AddEventHandler<EventLog>(ListingSync.Sdk.Webhooks.ListingEventKind.Test);
    builder.Services.AddHostedService<SellerOwnership>();
    using var host = builder.Build();
    await SampleTables.CreateAsync(host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PostgresStoreOptions>>().Value, cancellationToken);
    Console.WriteLine($"{settings.Name}: started for sellers {string.Join(", ", settings.Sellers)} (lease {settings.Lease.TotalSeconds:0.#} s).");
    await host.RunAsync(cancellationToken);
    return 0;
});
return await root.RunAsync(args);
