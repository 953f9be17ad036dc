using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using ListingSync.Sdk.Channels.Shopiro;
using ListingSync.Sdk.Http;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;
using ListingSync.Sdk.Testing.Shopiro;
using Microsoft.Extensions.DependencyInjection;

namespace ListingSync.Sdk.Benchmarks;

/// <summary>
/// Planning 1,000 mapped Shopiro listings (a channel that cannot list: one read per mapped listing) against the
/// emulator answering each call after 50 ms, with <see cref="Concurrency"/> reads in flight. The ideal is
/// 1,000 × 50 ms / C; the target at most 1.2× of it, within the configured client rate limit (here 1,000/s).
/// </summary>
[Config(typeof(Config))]
public class ShopiroPlanBenchmark
{
    private const int Listings = 1_000;
    private const long SellerId = 90000001;
    private static readonly SellerScope Seller = new("90000001");
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(50);
    private ShopiroEmulator _emulator = null!;
    private ServiceProvider _services = null!;
    private List<ListingDraft> _drafts = null!;

    [Params(8, 16)]
    public int Concurrency { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _emulator = ShopiroEmulator.StartAsync().GetAwaiter().GetResult();
        _emulator.AddSeller(SellerId, "tok-1");
        var services = new ServiceCollection();
        services.AddListingSync()
            .AddShopiro(o =>
            {
                o.BaseAddress = _emulator.BaseAddress;
                o.Sellers[SellerId.ToString(CultureInfo.InvariantCulture)] = new SellerCredentials { AccessToken = "tok-1" };
                o.RateLimit.PermitsPerSecond = 1_000;
                o.RateLimit.Burst = 1_000;
            })
            .AddInMemoryMappingStore();
        _services = services.BuildServiceProvider();
        _drafts = [.. Enumerable.Range(0, Listings).Select(i => new ListingDraft
        {
            Reference = $"shop-{i}",
            Item = new ItemIdentity { Sku = $"SHORTS-{i:D4}", Name = $"Cargo shorts {i}" },
            Condition = ListingCondition.New,
            Language = "en-CA",
            Titles = new Dictionary<string, string> { ["en-CA"] = $"Cargo shorts {i}" },
            Price = Money.Usd(10m + i),
            Quantity = 3,
        })];

        // The first sync, without latency: 1,000 listings created and mapped.
        var channel = _services.GetRequiredService<ShopiroChannel>();
        var reconciler = new Reconciler(_services.GetRequiredService<IMappingStore>());
        var plan = reconciler.PlanAsync(channel, Seller, _drafts.ToAsyncEnumerable()).GetAwaiter().GetResult();
        var result = reconciler.ApplyAsync(channel, plan).GetAwaiter().GetResult();
        if (result.Succeeded != Listings)
        {
            throw new InvalidOperationException($"setup created {result.Succeeded} of {Listings}");
        }

        _emulator.Options.MinLatency = Latency;
        _emulator.Options.MaxLatency = Latency;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        _emulator.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "Plan 1,000 mapped listings, 50 ms per read")]
    public async Task<int> Plan()
    {
        var channel = _services.GetRequiredService<ShopiroChannel>();
        var reconciler = new Reconciler(_services.GetRequiredService<IMappingStore>());
        var started = Stopwatch.GetTimestamp();
        var plan = await reconciler.PlanAsync(channel, Seller, _drafts.ToAsyncEnumerable(), new ReconcilerOptions { MaxConcurrency = Concurrency });
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (plan.RemoteCount != Listings || plan.HasChanges)
        {
            throw new InvalidOperationException($"Unexpected plan: {plan.ToTable(0)}");
        }

        var ideal = Latency * Listings / Concurrency;
        MetricsColumn.Write("IdealSeconds", Concurrency.ToString(CultureInfo.InvariantCulture), Math.Round(ideal.TotalSeconds, 3));
        MetricsColumn.Write("RatioToIdeal", Concurrency.ToString(CultureInfo.InvariantCulture), Math.Round(elapsed / ideal, 3));
        return plan.RemoteCount;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3).WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(new MetricsColumn("IdealSeconds", "1,000 x 50 ms / concurrency"));
            AddColumn(new MetricsColumn("RatioToIdeal", "Measured time of the last iteration / ideal (target <= 1.2)"));
        }
    }
}
