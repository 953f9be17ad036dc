// Runs the Managem emulator on its own, for manual use with curl or your own integration.
//
//   dotnet run --project samples/ListingSync.Emulator -- [--port 5080] [--listings 100] [--items 1000] [--rate 20] [--error-rate 0.05] [--seed 42]
//
// Seller 'demo-seller' answers to `Authorization: Bearer demo-token`. Ctrl+C stops it.
using System.Globalization;
using ListingSync.Sdk.Testing.Managem;

var options = new ManagemEmulatorOptions { Port = 5080 };
var listings = 100;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    var value = args[i + 1];
    switch (args[i])
    {
        case "--port": options.Port = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--listings": listings = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--items": options.GeneratedItems = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--rate": options.RateLimitPerSecond = double.Parse(value, CultureInfo.InvariantCulture); break;
        case "--error-rate": options.ServerErrorRate = double.Parse(value, CultureInfo.InvariantCulture); break;
        case "--seed": options.Seed = int.Parse(value, CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"Unknown option {args[i]}"); return 2;
    }
}

options.GeneratedItems = Math.Max(options.GeneratedItems, listings);
await using var emulator = await ManagemEmulator.StartAsync(options);
emulator.AddSeller("demo-seller", "demo-token");
emulator.SeedListings("demo-seller", emulator.Catalogue.Items.Take(listings).Select((item, i) => (item.Urn, 100L + i, 1, (string?)null)));
Console.WriteLine($"Managem emulator listening on {emulator.BaseAddress} with {listings} listings for 'demo-seller' (token 'demo-token').");
Console.WriteLine($"Try: curl -s -X POST {emulator.BaseAddress}seller/listings/search -H 'Authorization: Bearer demo-token' -H 'Content-Type: application/json' -d '{{\"from\":0,\"size\":2}}'");
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

return 0;
