using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.DependencyInjection;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Testing.Managem;
using Microsoft.Extensions.DependencyInjection;

namespace ListingSync.Sdk.Benchmarks;

/// <summary>
/// Backfills 10,000 listings through bulk create (50 calls of 200) against an emulator that allows R requests per
/// second per seller (burst 2), with the SDK's rate limit set to R. Target: at most 1.1x the rate-bound ideal
/// (50 calls at R per second) and under 1% of requests answered 429. Each iteration uses a fresh seller.
/// </summary>
[Config(typeof(BackfillConfig))]
public class BackfillRateBenchmark
{
    private ManagemEmulator _emulator = null!;
    private List<ListingDraft> _drafts = null!;
    private ServiceProvider? _provider;
    private ManagemClient _client = null!;
    private int _iteration;
    private long _throttledBefore;
    private long _requestsBefore;

    [Params(20)]
    public int RequestsPerSecond { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _emulator = ManagemEmulator.StartAsync(new ManagemEmulatorOptions { GeneratedItems = 10_000, RateLimitPerSecond = RequestsPerSecond, RateLimitBurst = 2 }).GetAwaiter().GetResult();
        _drafts = _emulator.Catalogue.Items.Take(10_000).Select((item, i) => new ListingDraft
        {
            Reference = $"bf-{i:D6}",
            Item = ItemIdentity.FromUrn(item.Urn),
            Condition = ListingCondition.NearMint,
            Language = "English",
            Price = Money.Gbp(1.99m),
            Quantity = 1,
        }).ToList();
    }

    [IterationSetup]
    public void NewSeller()
    {
        _provider?.Dispose();
        var token = $"bf-token-{++_iteration}";
        _emulator.AddSeller($"bf-seller-{_iteration}", token);
        var services = new ServiceCollection();
        services.AddListingSync().AddManagem(o =>
        {
            o.BaseAddress = _emulator.BaseAddress;
            o.AccessToken = token;
            o.RateLimit.PermitsPerSecond = RequestsPerSecond;
            o.RateLimit.Burst = 1;
        });
        _provider = services.BuildServiceProvider();
        _client = _provider.GetRequiredService<ManagemClient>();
        _throttledBefore = _emulator.ThrottledCount;
        _requestsBefore = _emulator.RequestCount;
    }

    [Benchmark]
    public async Task<int> Backfill10000()
    {
        var started = Stopwatch.GetTimestamp();
        var results = await _client.Listings.CreateAsync(SellerScope.Default, _drafts);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var created = results.Count(r => r.Status == ListingWriteStatus.Succeeded);
        if (created != _drafts.Count)
        {
            throw new InvalidOperationException($"Created {created} of {_drafts.Count}.");
        }

        var ideal = TimeSpan.FromSeconds(_drafts.Count / 200.0 / RequestsPerSecond);
        var requests = _emulator.RequestCount - _requestsBefore;
        var throttled = _emulator.ThrottledCount - _throttledBefore;
        var key = RequestsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture);
        MetricsColumn.Write("xIdeal", key, Math.Round(elapsed / ideal, 3));
        MetricsColumn.Write("Pct429", key, Math.Round(100.0 * throttled / Math.Max(1, requests), 2));
        return created;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _provider?.Dispose();
        _emulator.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private sealed class BackfillConfig : ManualConfig
    {
        public BackfillConfig()
        {
            AddJob(BenchmarkDotNet.Jobs.Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(new MetricsColumn("xIdeal", "Elapsed / rate-bound ideal (10,000 / 200 calls at R per second), last iteration"));
            AddColumn(new MetricsColumn("Pct429", "Share of requests answered 429, last iteration (%)"));
        }
    }
}
