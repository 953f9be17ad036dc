// Keeps a part of the host's inventory (the products tagged for Shopiro) in sync with Shopiro, against the Shopiro
// emulator: a first sync, a seller edit on Shopiro's site found by per-listing reads, a crash-safe second pass.
//
//   dotnet run --project samples/ListingSync.Shopiro [-- --products 200] [--share 4] [--store shopiro.db]
using System.CommandLine;
using System.Globalization;
using ListingSync.Samples;
using ListingSync.Sdk.Channels.Shopiro;
using ListingSync.Sdk.Http;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;
using ListingSync.Sdk.Testing.Shopiro;
using Microsoft.Extensions.DependencyInjection;

var products = new Option<int>("--products") { Description = "products in the host's inventory", DefaultValueFactory = _ => 200 }
    .Must(n => n is > 0 and <= 100_000, "--products must be between 1 and 100000.");
var share = new Option<int>("--share") { Description = "every n-th product is tagged for Shopiro (the part synced there)", DefaultValueFactory = _ => 4 }
    .Must(n => n is >= 1 and <= 1_000, "--share must be between 1 and 1000.");
var store = new Option<FileInfo?>("--store") { Description = "SQLite file that keeps the mapping (default: a temporary file, deleted at the end)" };
var root = new RootCommand("Syncs the part of a host inventory tagged for Shopiro to the Shopiro emulator: plan, apply, drift found by per-listing reads, a second pass that changes nothing else.")
{
    products, share, store,
};
root.SetAction(async (parse, cancellationToken) =>
{
    const long SellerId = 90000001;
    var seller = new SellerScope(SellerId.ToString(CultureInfo.InvariantCulture));
    var storePath = parse.GetValue(store)?.FullName ?? Path.Combine(Path.GetTempPath(), $"listingsync-shopiro-{Guid.NewGuid():N}.db");
    await using var emulator = await ShopiroEmulator.StartAsync(cancellationToken: cancellationToken);
    emulator.AddSeller(SellerId, "demo-token");

    var services = new ServiceCollection();
    services.AddListingSync()
        .AddShopiro(o =>
        {
            o.BaseAddress = emulator.BaseAddress;
            o.Sellers[seller.SellerId] = new SellerCredentials { AccessToken = "demo-token" };
            o.RateLimit.PermitsPerSecond = 200; // the emulator's; Shopiro documents no limit, the default is 10/s
            o.RateLimit.Burst = 200;
            o.DefaultWarehouse = "CA/CA-QC/G1W 2V7";
        })
        .AddSqliteMappingStore(storePath);
    await using var provider = services.BuildServiceProvider();
    var channel = provider.GetRequiredService<ShopiroChannel>();
    var reconciler = provider.GetRequiredService<Reconciler>();
    var options = new ReconcilerOptions { MaxConcurrency = 8 };

    // The host's inventory; only the tagged part goes to Shopiro.
    var count = parse.GetValue(products);
    var every = parse.GetValue(share);
    var part = Enumerable.Range(1, count).Where(i => i % every == 0).Select(i => new ListingDraft
    {
        Reference = $"prod-{i:D5}",
        Item = new ItemIdentity { Sku = $"SKU-{i:D5}", Name = $"Cargo shorts no. {i}" },
        Condition = ListingCondition.New,
        Language = "en-CA",
        Titles = new Dictionary<string, string> { ["en-CA"] = $"Cargo shorts no. {i}", ["fr-FR"] = $"Short cargo no {i}" },
        Price = Money.Usd(15m + (i % 10)),
        Quantity = 1 + (i % 4),
        Package = new PackageDimensions(20, 5, 20, 0.5m),
    }).ToList();
    Console.WriteLine($"Host inventory: {count} products, {part.Count} tagged for Shopiro. Mapping kept in {storePath}.");

    var first = await reconciler.PlanAsync(channel, seller, part.ToAsyncEnumerable(), options, cancellationToken);
    Console.WriteLine(first.ToTable(maxRows: 5));
    var applied = await reconciler.ApplyAsync(channel, first, options, cancellationToken: cancellationToken);
    Console.WriteLine($"First sync: {applied.Succeeded} succeeded, {applied.NotSucceeded} did not.");

    // On Shopiro's site the seller changes one price: the next plan reads each mapped listing and finds it.
    var edited = emulator.Listings(SellerId)[0];
    emulator.SimulateSellerEdit(edited.EListingId!, price: 99m);
    var second = await reconciler.PlanAsync(channel, seller, part.ToAsyncEnumerable(), options, cancellationToken);
    Console.WriteLine($"Second plan: {second.Count(PlanAction.Update)} update (drift on {string.Join(", ", second.Drift.Select(d => d.ListingId))}), {second.Count(PlanAction.Create)} creates.");
    foreach (var limitation in second.Limitations)
    {
        Console.WriteLine($"  Cannot see: {limitation}");
    }

    var repaired = await reconciler.ApplyAsync(channel, second, options, cancellationToken: cancellationToken);
    var third = await reconciler.PlanAsync(channel, seller, part.ToAsyncEnumerable(), options, cancellationToken);
    Console.WriteLine($"Repaired {repaired.Succeeded}; a third plan has changes: {third.HasChanges}. Shopiro holds {emulator.Listings(SellerId).Count} listings for {part.Count} products.");

    if (parse.GetValue(store) is null)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { storePath, storePath + "-wal", storePath + "-shm" })
        {
            File.Delete(file);
        }
    }

    return applied.NotSucceeded == 0 && !third.HasChanges && emulator.Listings(SellerId).Count == part.Count ? 0 : 1;
});

return await root.RunAsync(args);
