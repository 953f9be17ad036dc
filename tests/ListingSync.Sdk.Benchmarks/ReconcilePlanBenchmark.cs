using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;

namespace ListingSync.Sdk.Benchmarks;

/// <summary>
/// Plans N desired listings against N remote listings with 10% drift (every tenth price differs), as a first sync
/// (listings carry the host reference; the mapping store is empty). Both sides are streamed; only the inputs' strings
/// are prepared ahead. Targets: at least 1,000,000 listings per second, peak memory under 1 GB, cost linear in N.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PlanConfig))]
public class ReconcilePlanBenchmark
{
    private PlanInputs _inputs = null!;

    [Params(100_000, 1_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup() => _inputs = new PlanInputs(N);

    [Benchmark]
    public async Task<int> Plan()
    {
        var reconciler = new Reconciler(new InMemoryMappingStore());
        var plan = await reconciler.PlanAsync("managem", SellerScope.Default, _inputs.Desired(), _inputs.Remote(), new ReconcilerOptions { UnknownRemote = UnknownRemotePolicy.Ignore });
        var updates = plan.Count(PlanAction.Update);
        if (updates != N / 10 || plan.Count(PlanAction.Link) != N)
        {
            throw new InvalidOperationException($"Unexpected plan: {plan.ToTable(0)}");
        }

        MetricsColumn.Write("PeakWorkingSetMB", N.ToString(System.Globalization.CultureInfo.InvariantCulture), Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0));
        return updates;
    }

    private sealed class PlanConfig : ManualConfig
    {
        public PlanConfig()
        {
            AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5));
            AddColumn(new MetricsColumn("PeakWorkingSetMB", "Peak working set of the benchmark process (MB), inputs included"));
        }
    }
}
