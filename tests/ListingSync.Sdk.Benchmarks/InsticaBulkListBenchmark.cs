using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Channels.Instica;
using ListingSync.Sdk.Http;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Testing.Instica;
using Microsoft.Extensions.DependencyInjection;

namespace ListingSync.Sdk.Benchmarks;

/// <summary>
/// Issue 16: listing 1,000 inventory items on one platform (eBay) through <see cref="InsticaChannel.CreateListingsAsync"/>
/// against the emulator limiting the seller to <see cref="Rate"/> requests per second (a token bucket holding R, the
/// emulator's default), the client pacing at the same rate without a burst of its own. The work needs 10 inventory
/// pages (finding the items by SKU, 100 per page) and 10 bulk list calls (100 uids each): the rate-bound ideal is
/// (requests − 1) / R seconds. Targets: at most 1.1× the ideal, under 1 % of requests answered 429.
/// (With a server bucket of 1, network jitter alone brings two paced requests closer than 1 / R: a third of them were
/// answered 429, each costing the whole-second <c>Retry-After</c>.)
/// </summary>
[Config(typeof(Config))]
public class InsticaBulkListBenchmark
{
    private const int Items = 1_000;
    private const string SellerId = "bench";
    private static readonly SellerScope Seller = new(SellerId);
    private InsticaEmulator _emulator = null!;
    private ServiceProvider _services = null!;
    private List<ListingDraft> _drafts = null!;
    private long _requestsBefore;
    private long _throttledBefore;

    [Params(5, 20)]
    public int Rate { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _emulator = InsticaEmulator.StartAsync(new InsticaEmulatorOptions { RateLimitPerSecond = Rate }).GetAwaiter().GetResult();
        _emulator.AddSeller(SellerId, "tok-1", null, "ebay");
        _drafts = [.. Enumerable.Range(0, Items).Select(i =>
        {
            var price = 10m + (i % 50);
            _emulator.SeedItem(SellerId, $"Record {i}", $"LP-{i:D5}", price);
            return new ListingDraft
            {
                Reference = $"rec-{i}",
                Item = new ItemIdentity { Sku = $"LP-{i:D5}", Name = $"Record {i}" },
                Condition = new ListingCondition("VG+"),
                Language = "en",
                Titles = new Dictionary<string, string> { ["en"] = $"Record {i}" },
                Price = Money.Usd(price),
                Quantity = 1,
            };
        })];
        var services = new ServiceCollection();
        services.AddListingSync().AddInstica(o =>
        {
            o.BaseAddress = _emulator.BaseAddress;
            o.Sellers[SellerId] = new SellerCredentials { AccessToken = "tok-1" };
            o.RateLimit.PermitsPerSecond = Rate;
            o.RateLimit.Burst = 1;
        });
        _services = services.BuildServiceProvider();
    }

    [IterationSetup]
    public void Reset()
    {
        _emulator.DelistAll(SellerId, "ebay");
        Thread.Sleep(TimeSpan.FromSeconds(1.5)); // the client's pacing and the emulator's bucket start each iteration rested
        _requestsBefore = _emulator.RequestCount;
        _throttledBefore = _emulator.ThrottledCount;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        _emulator.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "List 1,000 items on one platform in bulk")]
    public async Task<int> List()
    {
        var channel = _services.GetRequiredService<InsticaChannels>().For("ebay");
        var started = Stopwatch.GetTimestamp();
        var results = await channel.CreateListingsAsync(Seller, _drafts);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var listed = results.Count(r => r.Status == ListingWriteStatus.Succeeded);
        if (listed != Items || _emulator.ListedCount(SellerId, "ebay") != Items)
        {
            throw new InvalidOperationException($"listed {listed} of {Items}");
        }

        var requests = _emulator.RequestCount - _requestsBefore;
        var throttled = _emulator.ThrottledCount - _throttledBefore;
        var ideal = TimeSpan.FromSeconds((requests - throttled - 1) / (double)Rate);
        var key = Rate.ToString(CultureInfo.InvariantCulture);
        MetricsColumn.Write("Requests", key, requests - throttled);
        MetricsColumn.Write("IdealSeconds", key, Math.Round(ideal.TotalSeconds, 3));
        MetricsColumn.Write("RatioToIdeal", key, Math.Round(elapsed / ideal, 3));
        MetricsColumn.Write("Percent429", key, Math.Round(100.0 * throttled / Math.Max(1, requests), 2));
        return listed;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3).WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(new MetricsColumn("Requests", "Requests answered (not 429) in the last iteration"));
            AddColumn(new MetricsColumn("IdealSeconds", "(requests - 1) / rate"));
            AddColumn(new MetricsColumn("RatioToIdeal", "Measured time of the last iteration / ideal (target <= 1.1)"));
            AddColumn(new MetricsColumn("Percent429", "Share of requests answered 429 in the last iteration (target < 1)"));
        }
    }
}
