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
    private string[] _references = null!;
    private string[] _ids = null!;
    private string[] _urns = null!;
    private static readonly ListingCondition Condition = ListingCondition.NearMint;

    [Params(100_000, 1_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _references = new string[N];
        _ids = new string[N];
        _urns = new string[N];
        for (var i = 0; i < N; i++)
        {
            _references[i] = "prod-" + i.ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
            _ids[i] = "lst_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _urns[i] = $"urn:managem:pokemon:set/gen-{i / 250}/card/{i % 250}";
        }
    }

    [Benchmark]
    public async Task<int> Plan()
    {
        var reconciler = new Reconciler(new InMemoryMappingStore());
        var plan = await reconciler.PlanAsync("managem", SellerScope.Default, Desired(), Remote(), new ReconcilerOptions { UnknownRemote = UnknownRemotePolicy.Ignore });
        var updates = plan.Count(PlanAction.Update);
        if (updates != N / 10 || plan.Count(PlanAction.Link) != N)
        {
            throw new InvalidOperationException($"Unexpected plan: {plan.ToTable(0)}");
        }

        MetricsColumn.Write("PeakWorkingSetMB", N.ToString(System.Globalization.CultureInfo.InvariantCulture), Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0));
        return updates;
    }

    private async IAsyncEnumerable<ListingDraft> Desired()
    {
        for (var i = 0; i < N; i++)
        {
            yield return new ListingDraft
            {
                Reference = _references[i],
                Item = ItemIdentity.FromUrn(_urns[i]),
                Condition = Condition,
                Language = "English",
                Price = Money.Gbp(i % 10 == 0 ? 2.00m : 1.00m),
                Quantity = 1,
            };
        }

        await Task.CompletedTask;
    }

    private async IAsyncEnumerable<Listing> Remote()
    {
        for (var i = 0; i < N; i++)
        {
            yield return new Listing
            {
                Id = _ids[i],
                Reference = _references[i],
                Item = new ItemIdentity { Urn = _urns[i], Game = "Pokemon", Set = "gen", Number = _ids[i] },
                Condition = Condition,
                Language = "English",
                Price = Money.Gbp(1.00m),
                Quantity = 1,
            };
        }

        await Task.CompletedTask;
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
