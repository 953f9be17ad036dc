using System.Collections.Concurrent;
using System.Diagnostics;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.MultiChannel;
using ListingSync.Sdk.Testing.Instica;
using ListingSync.Sdk.Testing.Managem;
using ListingSync.Sdk.Testing.Shopiro;
using ListingSync.Sdk.Webhooks;

namespace ListingSync.Sdk.Benchmarks;

/// <summary>
/// Issue 18: how fast a sale follows on the other channels. Managem, Instica (eBay) and Shopiro emulators answer every
/// request after <c>--latency</c> ms (default 50); 100 products are listed on all three; then <c>--sales</c> (default
/// 1,000) order events arrive, rotating over the channels, <c>--concurrency</c> (default 8) at a time. Each is booked
/// by the host and pushed by <see cref="StockPropagation"/>; the time from the event to every other channel written is
/// recorded: p50, p99, max, and the writes per channel per sale. Target: p99 under 1 s, at most one write per other
/// channel per sale. Run: <c>dotnet run -c Release --project tests/ListingSync.Sdk.Benchmarks -- --propagation</c>.
/// </summary>
internal static class PropagationRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var sales = SoakRunner.Arg(args, "--sales", 1_000);
        var latency = TimeSpan.FromMilliseconds(SoakRunner.Arg(args, "--latency", 50));
        var concurrency = SoakRunner.Arg(args, "--concurrency", 8);
        const int Products = 100;
        await using var channels3 = await ThreeChannels.StartAsync(Products, quantity: 40);
        var (managem, instica, shopiro, store, sync, inventory, seller) = (channels3.Managem, channels3.Instica, channels3.Shopiro, channels3.Store, channels3.Sync, channels3.Inventory, ThreeChannels.Seller);
        var first = await sync.SyncAsync(seller, () => inventory.ReadAllAsync(seller));
        if (!first.IsSuccess)
        {
            Console.WriteLine("The first sync failed.");
            return 1;
        }

        foreach (var emulator in channels3.Emulators)
        {
            emulator.Faults.MinLatency = latency;
            emulator.Faults.MaxLatency = latency;
        }

        var propagation = new StockPropagation(new StockPusher(sync, inventory), inventory, store);
        var channels = new[] { "managem", "instica:ebay", "shopiro" };
        var listingIds = new Dictionary<(string, string), string>();
        foreach (var channel in channels)
        {
            await foreach (var mapping in store.ListAsync(new MappingScope(channel, seller)))
            {
                listingIds[(channel, mapping.Reference)] = mapping.ListingId!;
            }
        }

        var writesBefore = Writes(managem, instica, shopiro);
        var times = new ConcurrentBag<double>();
        var started = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, sales), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (n, ct) =>
        {
            var channel = channels[n % channels.Length];
            var reference = $"p-{(n * 7) % Products:D5}";
            var clock = Stopwatch.GetTimestamp();
            await propagation.HandleAsync(new OrderEvent { Channel = channel, Seller = seller, EventId = $"sale-{n}", Type = "ORDER_CREATED", ListingId = listingIds[(channel, reference)], Quantity = 1 }, ct);
            times.Add(Stopwatch.GetElapsedTime(clock).TotalMilliseconds);
        });
        var elapsed = started.Elapsed;
        var sorted = times.OrderBy(t => t).ToArray();
        var writes = Writes(managem, instica, shopiro);
        Console.WriteLine($"{sales:N0} sales over {Products} products, 3 channels, {latency.TotalMilliseconds} ms per request, {concurrency} at a time: {elapsed.TotalSeconds:0.0} s");
        Console.WriteLine($"Event to every channel written: p50 {Percentile(sorted, 0.50):0} ms, p99 {Percentile(sorted, 0.99):0} ms, max {sorted[^1]:0} ms (target p99 < 1000 ms)");
        for (var i = 0; i < channels.Length; i++)
        {
            Console.WriteLine($"  {channels[i],-13} writes: {writes[i] - writesBefore[i]:N0} for {sales:N0} sales ({(double)(writes[i] - writesBefore[i]) / sales:0.00} per sale)");
        }

        Console.WriteLine($"Stock left: {inventory.Total():N0} units of {Products * 40:N0} (each sale took one).");
        return Percentile(sorted, 0.99) < 1_000 ? 0 : 1;
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>Write requests each emulator answered (Managem updates, Instica patches / list / delist, Shopiro saves with a listing).</summary>
    private static long[] Writes(ManagemEmulator managem, InsticaEmulator instica, ShopiroEmulator shopiro) =>
    [
        managem.RouteCounts.Where(r => r.Key.StartsWith("PUT ", StringComparison.Ordinal)).Sum(r => r.Value),
        instica.RouteCounts.Where(r => r.Key.StartsWith("PATCH ", StringComparison.Ordinal) || r.Key.Contains("/list/", StringComparison.Ordinal) || r.Key.Contains("/delist/", StringComparison.Ordinal)).Sum(r => r.Value),
        shopiro.Writes,
    ];
}
