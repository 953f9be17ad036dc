using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using ListingSync.Sdk.Channels.Jtl;
using ListingSync.Sdk.DependencyInjection;
using ListingSync.Sdk.Testing.Jtl;
using Microsoft.Extensions.DependencyInjection;

namespace ListingSync.Sdk.Benchmarks;

/// <summary>
/// 10,000 queued offer events pulled, mapped, handled (default handler into the in-memory mapping store) and
/// acknowledged against the JTL emulator, whose event route allows <see cref="Limit"/> requests per
/// <see cref="Window"/>: the run is bound by that limit. The ideal is the fixed-window bound for the requests the run
/// needs — (⌈requests / limit⌉ − 1) × window — and the target is at most 1.1× of it.
/// </summary>
[Config(typeof(ThroughputConfig))]
public class JtlEventThroughputBenchmark
{
    private const int Events = 10_000;
    private const int PerPull = 100;
    private const int Limit = 40;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private JtlChannelEmulator _emulator = null!;
    private ServiceProvider _services = null!;

    [IterationSetup]
    public void Setup()
    {
        var options = new JtlChannelEmulatorOptions { RateLimitWindow = Window };
        options.RateLimits["channel/event"] = Limit;
        _emulator = JtlChannelEmulator.StartAsync(options).GetAwaiter().GetResult();
        for (var i = 1; i <= Events; i++)
        {
            _emulator.PublishOffer("seller-" + (i % 50).ToString(CultureInfo.InvariantCulture), i, "Offer " + i.ToString(CultureInfo.InvariantCulture), 4.99m, 3);
        }

        var services = new ServiceCollection();
        services.AddListingSync()
            .AddJtl(o =>
            {
                o.BaseAddress = _emulator.BaseAddress;
                o.RefreshToken = _emulator.Options.RefreshToken;
                o.EventLimit = PerPull;
                o.RateLimitGroups["channel/event"] = JtlClientOptions.PerMinute(Limit, Window); // the host configured the limit it was given
            })
            .AddInMemoryMappingStore()
            .AddWebhooks();
        _services = services.BuildServiceProvider();
    }

    [IterationCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        _emulator.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "10,000 offer events end to end")]
    public async Task<int> ProcessAll()
    {
        var poller = _services.GetRequiredService<JtlEventPoller>();
        var started = Stopwatch.GetTimestamp();
        int processed = 0, pulls = 0;
        while (true)
        {
            var result = await poller.PollOnceAsync();
            pulls++;
            processed += result.Processed;
            if (result.Received == 0)
            {
                break;
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        if (processed != Events || _emulator.Unacknowledged != 0)
        {
            throw new InvalidOperationException($"{processed} of {Events} processed, {_emulator.Unacknowledged} unacknowledged");
        }

        // Each pull but the last is followed by one acknowledgement.
        var requests = pulls + (pulls - 1);
        var ideal = Window * (Math.Ceiling(requests / (double)Limit) - 1);
        MetricsColumn.Write("IdealSeconds", "", Math.Round(ideal.TotalSeconds, 2));
        MetricsColumn.Write("RatioToIdeal", "", Math.Round(elapsed / ideal, 3));
        return processed;
    }

    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig()
        {
            AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3).WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(new MetricsColumn("IdealSeconds", "The rate-limit-bound ideal: (ceil(requests / limit) - 1) x window"));
            AddColumn(new MetricsColumn("RatioToIdeal", "Measured time of the last iteration / ideal (target <= 1.1)"));
        }
    }
}
