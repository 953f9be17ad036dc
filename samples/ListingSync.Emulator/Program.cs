// Runs the Managem emulator on its own, for manual use with curl or your own integration.
//
//   dotnet run --project samples/ListingSync.Emulator -- [--port 5080] [--listings 100] [--items 1000] [--rate 20] [--error-rate 0.05] [--seed 42] [--sellers seller-1,seller-2]
//
// Seller 'demo-seller' answers to `Authorization: Bearer demo-token`. Ctrl+C or SIGTERM stops it.
using System.CommandLine;
using System.Net.Sockets;
using ListingSync.Samples;
using ListingSync.Sdk.Testing.Managem;

var port = new Option<int>("--port") { Description = "TCP port on 127.0.0.1 (0: any free port)", DefaultValueFactory = _ => 5080 };
var listings = new Option<int>("--listings") { Description = "listings 'demo-seller' already has", DefaultValueFactory = _ => 100 };
var items = new Option<int>("--items") { Description = "generated catalogue items (at least --listings)", DefaultValueFactory = _ => 1_000 };
var rate = new Option<double?>("--rate") { Description = "requests per second per seller before 429 + Retry-After (default: no limit)" };
var errorRate = new Option<double>("--error-rate") { Description = "share of requests answered 503, 0..1", DefaultValueFactory = _ => 0 };
var seed = new Option<int>("--seed") { Description = "seed of the generated catalogue and of the faults", DefaultValueFactory = _ => 42 };
port.Must(p => p is >= 0 and <= 65_535, "--port must be between 0 and 65535.");
listings.Must(n => n >= 0, "--listings must be 0 or more.");
items.Must(n => n >= 0, "--items must be 0 or more.");
rate.Must(r => r is null or > 0, "--rate must be positive.");
errorRate.Must(r => r is >= 0 and <= 1, "--error-rate must be between 0 and 1.");
var sellers = new Option<string?>("--sellers") { Description = "more sellers, comma-separated; seller X answers to the token token-X (for samples/ListingSync.Worker)" };

var root = new RootCommand("The Managem emulator on loopback: listing search, bulk create, updates, deletes, imports and signed webhooks, as Managem documents them.")
{
    port, listings, items, rate, errorRate, seed, sellers,
};
root.SetAction(async (parse, cancellationToken) =>
{
    var options = new ManagemEmulatorOptions
    {
        Port = parse.GetValue(port),
        GeneratedItems = Math.Max(parse.GetValue(items), parse.GetValue(listings)),
        RateLimitPerSecond = parse.GetValue(rate),
        ServerErrorRate = parse.GetValue(errorRate),
        Seed = parse.GetValue(seed),
    };
    ManagemEmulator emulator;
    try
    {
        emulator = await ManagemEmulator.StartAsync(options, cancellationToken);
    }
    catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
    {
        Console.Error.WriteLine($"Port {options.Port} is taken: stop what uses it, or pass --port with another port (--port 0 picks a free one).");
        return 1;
    }

    await using (emulator)
    {
        var count = parse.GetValue(listings);
        emulator.AddSeller("demo-seller", "demo-token");
        foreach (var extra in (parse.GetValue(sellers) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            emulator.AddSeller(extra, "token-" + extra);
            Console.WriteLine($"Seller '{extra}' answers to token 'token-{extra}'.");
        }

        emulator.SeedListings("demo-seller", emulator.Catalogue.Items.Take(count).Select((item, i) => (item.Urn, 100L + i, 1, (string?)null)));
        Console.WriteLine($"Managem emulator listening on {emulator.BaseAddress} with {count} listings for 'demo-seller' (token 'demo-token').");
        Console.WriteLine($"Try: curl -s -X POST {emulator.BaseAddress}seller/listings/search -H 'Authorization: Bearer demo-token' -H 'Content-Type: application/json' -d '{{\"from\":0,\"size\":2}}'");
        Console.WriteLine("Ctrl+C or SIGTERM stops it.");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        Console.WriteLine("Stopping.");
    }

    return 0;
});

return await root.RunAsync(args);
