// Instica in both directions, the way seed 004 advises: check the connections, import a small sample from one
// platform and check it, then the rest (conflicts listed for the host, failures retried), seed the host's records from
// what came in; then list the host's inventory on a second platform through bulk calls, with a report.
// Runs against the Instica emulator unless --base-url and --token (or --api-key) name a real account.
//
//   dotnet run --project samples/ListingSync.Instica [-- --import-from discogs] [--list-on ebay] [--sample 5] [--external 40]
using System.CommandLine;
using ListingSync.Samples;
using ListingSync.Sdk.Channels.Instica;
using ListingSync.Sdk.Http;
using ListingSync.Sdk.ImportJobs;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;
using ListingSync.Sdk.Testing.Instica;
using Microsoft.Extensions.DependencyInjection;

var importFrom = new Option<string>("--import-from") { Description = "the platform to import the seller's existing listings from", DefaultValueFactory = _ => "discogs" };
var listOn = new Option<string>("--list-on") { Description = "the platform to list the host's inventory on", DefaultValueFactory = _ => "ebay" };
var sample = new Option<int>("--sample") { Description = "items in the first, checked import sample", DefaultValueFactory = _ => 5 }
    .Must(n => n is >= 1 and <= 100, "--sample must be between 1 and 100.");
var external = new Option<int>("--external") { Description = "listings the emulated source platform holds", DefaultValueFactory = _ => 40 }
    .Must(n => n is >= 1 and <= 10_000, "--external must be between 1 and 10000.");
var baseUrl = new Option<string?>("--base-url") { Description = "a real Instica API (e.g. https://app.instica.com/); default: the emulator" }
    .Must(u => u is null || Uri.TryCreate(u, UriKind.Absolute, out _), "--base-url must be an absolute URL.");
var token = new Option<string?>("--token") { Description = "access token for --base-url (Authorization: Bearer)" };
var apiKey = new Option<string?>("--api-key") { Description = "API key for --base-url (X-API-Key), instead of --token" };
var apply = new Option<bool>("--apply") { Description = "against a real account: list for real (default: plan only)" };
var store = new Option<FileInfo?>("--store") { Description = "SQLite file that keeps the mapping (default: a temporary file, deleted at the end)" };
var root = new RootCommand("Imports a sample, then the rest, of one platform's listings through Instica, then lists the host's inventory on a second platform, with a report.")
{
    importFrom, listOn, sample, external, baseUrl, token, apiKey, apply, store,
};
root.Validators.Add(result =>
{
    var real = result.GetValue(baseUrl) is not null;
    var credential = result.GetValue(token) is not null || result.GetValue(apiKey) is not null;
    if (real != credential)
    {
        result.AddError("--base-url goes with --token or --api-key.");
    }

    if (string.Equals(result.GetValue(importFrom) ?? "discogs", result.GetValue(listOn) ?? "ebay", StringComparison.OrdinalIgnoreCase))
    {
        result.AddError("--import-from and --list-on must name two platforms.");
    }
});
root.SetAction(async (parse, cancellationToken) =>
{
    var seller = new SellerScope("demo-seller");
    var from = parse.GetValue(importFrom)!.ToLowerInvariant();
    var to = parse.GetValue(listOn)!.ToLowerInvariant();
    var real = parse.GetValue(baseUrl) is { } url ? new Uri(url) : null;
    var storePath = parse.GetValue(store)?.FullName ?? Path.Combine(Path.GetTempPath(), $"listingsync-instica-{Guid.NewGuid():N}.db");

    InsticaEmulator? emulator = null;
    if (real is null)
    {
        emulator = await InsticaEmulator.StartAsync(cancellationToken: cancellationToken);
        emulator.AddSeller(seller.SellerId, "demo-token", null, from, to);
        var count = parse.GetValue(external);
        emulator.SeedExternal(seller.SellerId, from, Enumerable.Range(1, count).Select(i => new InsticaExternalListing
        {
            ListingId = $"{7_000_000 + i}",
            Sku = $"REC-{i:D5}",
            Title = $"Record no. {i}",
            Price = 12m + (i % 30),
            Condition = (i % 3) switch { 0 => "nm", 1 => "vg_plus", _ => "vg" },
            FailTimes = i % 17 == 0 ? 1 : 0, // a few fail once; a retry brings them in
        }));

        // One record the shop already keeps in Instica under a SKU the platform also uses: a conflict for the host.
        emulator.SeedItem(seller.SellerId, "Record no. 9 (shop copy)", "REC-00009", 20m);
    }

    try
    {
        var services = new ServiceCollection();
        services.AddListingSync()
            .AddInstica(o =>
            {
                o.BaseAddress = real ?? emulator!.BaseAddress;
                o.Sellers[seller.SellerId] = real is null
                    ? new SellerCredentials { AccessToken = "demo-token" }
                    : new SellerCredentials { AccessToken = parse.GetValue(token), ApiKey = parse.GetValue(apiKey) };
                if (real is null)
                {
                    o.RateLimit.PermitsPerSecond = 500; // the emulator's; against Instica keep the SDK's default
                    o.RateLimit.Burst = 500;
                }
            })
            .AddSqliteMappingStore(storePath);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<InsticaClient>();
        var mappings = provider.GetRequiredService<IMappingStore>();

        // 1. Connections: one platform at a time, and only where the API can do the work.
        Console.WriteLine("Platforms:");
        foreach (var platform in await client.GetPlatformStatusAsync(seller, cancellationToken))
        {
            Console.WriteLine($"  {platform.Platform.Slug,-10} {platform.Kind,-9} {platform.Connection,-12} import: {(platform.CanImport ? "yes" : "no "),-3} list: {(platform.CanList ? "yes" : "no "),-3} {platform.Limitation}");
        }

        // 2. A small sample first, checked before anything else comes in.
        var workflow = new InsticaImportWorkflow(client, mappings, new InsticaImportOptions
        {
            SampleSize = parse.GetValue(sample),
            PollInterval = TimeSpan.FromMilliseconds(real is null ? 50 : 2_000),
            MaxPollInterval = TimeSpan.FromSeconds(real is null ? 1 : 30),
        });
        var progress = new Progress<ImportJobProgress>(p => Console.WriteLine($"  job {p.JobId}: {p.State} {p.Percent:0}%"));
        var first = await workflow.ImportSampleAsync(seller, from, progress, cancellationToken);
        Console.WriteLine("Sample:");
        Console.Write(first.ToTable());
        if (!first.LooksRight)
        {
            Console.WriteLine("The sample does not look right: fix the source listings (or the mapping of fields) before importing the rest.");
            return 3;
        }

        // The host seeds its own records from the drafts; from now on the host is the source of truth.
        var host = first.Imported.Select(i => i.Draft).ToList();
        await workflow.AdoptAsync(first.Imported, cancellationToken);

        // 3. The rest; conflicts are the host's call (here: linked to the item it already has), failures retried.
        var rest = await workflow.ImportRestAsync(seller, first, progress, cancellationToken);
        Console.WriteLine("Rest:");
        Console.Write(rest.ToTable());
        host.AddRange(rest.Imported.Select(i => i.Draft));
        await workflow.AdoptAsync(rest.Imported, cancellationToken);
        var runner = new ImportJobRunner(provider.GetRequiredService<InsticaImportChannel>());
        foreach (var conflict in first.Conflicts.Concat(rest.Conflicts))
        {
            await runner.ResolveConflictAsync(seller, rest.Job.Id, conflict.Id!, "link", cancellationToken);
        }

        if (rest.Failed.Count > 0)
        {
            await runner.RetryFailedAsync(seller, rest.Job.Id, cancellationToken);
        }

        var settled = await workflow.RefreshAsync(seller, rest, cancellationToken: cancellationToken);
        host.AddRange(settled.Imported.Select(i => i.Draft));
        await workflow.AdoptAsync(settled.Imported, cancellationToken);
        Console.WriteLine($"Imported: {host.Count} items from {from} seeded the host ({settled.Job.Succeeded} imported, {settled.Job.Conflicted} in conflict, {settled.Job.Failed} failed, {settled.Job.Skipped} skipped of {settled.Job.Total}).");

        // 4. The host's inventory listed on a second platform, through bulk calls.
        var channel = provider.GetRequiredService<InsticaChannels>().For(to);
        var reconciler = provider.GetRequiredService<Reconciler>();
        var plan = await reconciler.PlanAsync(channel, seller, host.ToAsyncEnumerable(), cancellationToken: cancellationToken);
        Console.WriteLine(plan.ToTable(maxRows: 5));
        if (real is not null && !parse.GetValue(apply))
        {
            Console.WriteLine("Plan only (a real account): run again with --apply to list.");
            return 0;
        }

        var listed = await reconciler.ApplyAsync(channel, plan, cancellationToken: cancellationToken);
        var again = await reconciler.PlanAsync(channel, seller, host.ToAsyncEnumerable(), cancellationToken: cancellationToken);
        Console.WriteLine($"Listed on {to}: {listed.Succeeded} succeeded, {listed.NotSucceeded} did not; a second plan has changes: {again.HasChanges}.");
        if (emulator is not null)
        {
            Console.WriteLine($"Instica holds {emulator.Items(seller.SellerId).Count} items: {emulator.ListedCount(seller.SellerId, from)} listed on {from}, {emulator.ListedCount(seller.SellerId, to)} on {to}; {emulator.BulkCalls} bulk calls, {emulator.RequestCount} requests in all.");
        }

        return listed.NotSucceeded == 0 && !again.HasChanges ? 0 : 1;
    }
    finally
    {
        if (emulator is not null)
        {
            await emulator.DisposeAsync();
        }

        if (parse.GetValue(store) is null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { storePath, storePath + "-wal", storePath + "-shm" })
            {
                File.Delete(file);
            }
        }
    }
});

return await root.RunAsync(args);
