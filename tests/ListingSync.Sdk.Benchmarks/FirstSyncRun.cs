using System.Diagnostics;
using ListingSync.Sdk.Testing;

namespace ListingSync.Sdk.Benchmarks;

/// <summary>
/// Issue 18: the first sync of <c>--products</c> (default 10,000) to Managem, Instica (eBay) and Shopiro at once, each
/// emulator enforcing its own rate limit per seller (<c>--managem-rate</c> 5/s, <c>--instica-rate</c> 150/s,
/// <c>--shopiro-rate</c> 150/s) and the SDK following it. A channel's rate-bound ideal is the requests it needed divided
/// by its rate; channels run in parallel, so the whole sync should take no longer than the slowest channel's ideal.
/// Target: at most 1.1× that. Reports per channel the requests, 429s and its ideal.
/// Run: <c>dotnet run -c Release --project tests/ListingSync.Sdk.Benchmarks -- --first-sync</c>.
/// </summary>
internal static class FirstSyncRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var products = SoakRunner.Arg(args, "--products", 10_000);
        double managemRate = SoakRunner.Arg(args, "--managem-rate", 5), insticaRate = SoakRunner.Arg(args, "--instica-rate", 150), shopiroRate = SoakRunner.Arg(args, "--shopiro-rate", 150);
        await using var channels = await ThreeChannels.StartAsync(products, quantity: 3, managemRate, insticaRate, shopiroRate);
        var rates = new[] { managemRate, insticaRate, shopiroRate };
        var emulators = channels.Emulators.ToArray();
        var before = emulators.Select(e => e.RequestCount).ToArray();

        // Each channel planned and applied on its own, all at once (what SyncAsync does), timed per channel;
        // --channels a,b runs only those.
        var only = args.SkipWhile(a => a != "--channels").Skip(1).FirstOrDefault()?.Split(',');
        var names = channels.Sync.Targets.Select(t => t.Channel.Name).Where(n => only is null || only.Contains(n)).ToArray();
        var finished = new Dictionary<string, TimeSpan>();
        var clock = Stopwatch.StartNew();
        using var trace = args.Contains("--trace") ? Trace(emulators, clock) : null;
        var results = await Task.WhenAll(names.Select(async name =>
        {
            var one = await channels.Sync.SyncAsync(ThreeChannels.Seller, () => channels.Inventory.ReadAllAsync(ThreeChannels.Seller), [name]);
            lock (finished)
            {
                finished[name] = clock.Elapsed;
            }

            return one.Channels[0];
        }));
        var elapsed = clock.Elapsed;

        Console.WriteLine($"First sync of {products:N0} products to three channels: {elapsed.TotalSeconds:0.0} s.");
        var slowestIdeal = 0.0;
        for (var i = 0; i < emulators.Length; i++)
        {
            if (results.FirstOrDefault(r => r.Channel == channels.Sync.Targets[i].Channel.Name) is not { } result)
            {
                continue;
            }

            var requests = emulators[i].RequestCount - before[i] - emulators[i].ThrottledCount;
            var ideal = requests / rates[i];
            slowestIdeal = Math.Max(slowestIdeal, ideal);
            Console.WriteLine($"  {result.Channel,-13} {result.Result?.Succeeded ?? 0,6:N0} written, {result.Result?.NotSucceeded ?? 0} not; {requests,6:N0} requests at {rates[i]}/s ({emulators[i].ThrottledCount} answered 429): ideal {ideal,6:0.0} s, done at {finished[result.Channel].TotalSeconds,6:0.0} s{(result.Error is null ? "" : " — " + result.Error.Message)}");
        }

        var ratio = elapsed.TotalSeconds / slowestIdeal;
        Console.WriteLine($"Whole sync / slowest channel's rate-bound ideal: {elapsed.TotalSeconds:0.0} / {slowestIdeal:0.0} s = {ratio:0.000}× (target ≤ 1.1×; channels one after another would take {emulators.Select((e, i) => (e.RequestCount - before[i] - e.ThrottledCount) / rates[i]).Sum():0.0} s at best).");
        var again = await channels.Sync.PlanAsync(ThreeChannels.Seller, () => channels.Inventory.ReadAllAsync(ThreeChannels.Seller), names);
        Console.WriteLine($"A second plan has changes: {again.HasChanges}.");
        return ratio <= 1.1 && results.All(r => r.Error is null && r.Result is { NotSucceeded: 0 }) && !again.HasChanges ? 0 : 1;
    }

    /// <summary>--trace: every 5 s, each emulator's requests per route in the last 5 s (where a channel falls below its rate).</summary>
    private static Timer Trace(LoopbackEmulator[] emulators, Stopwatch clock)
    {
        var last = emulators.Select(e => new Dictionary<string, long>(e.RouteCounts)).ToArray();
        return new Timer(_ =>
        {
            for (var i = 0; i < emulators.Length; i++)
            {
                var now = new Dictionary<string, long>(emulators[i].RouteCounts);
                var moved = now.Where(r => r.Value != last[i].GetValueOrDefault(r.Key)).Select(r => $"{r.Key} +{r.Value - last[i].GetValueOrDefault(r.Key)}");
                Console.WriteLine($"[{clock.Elapsed.TotalSeconds,5:0} s] {emulators[i].GetType().Name}: {string.Join(", ", moved)}");
                last[i] = now;
            }
        }, null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
    }
}
