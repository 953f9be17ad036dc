using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;

namespace ListingSync.Sdk.Benchmarks;

/// <summary>
/// The planner side by side with the least a diff can do over the same streamed records: a hand-written hash join
/// (a Dictionary of remote listings keyed by reference; missing → create, differing price or quantity → update, the
/// rest unknown). N desired against N remote, 10% price drift, a first sync (references on the listings, empty store).
/// Reports time (target: the plan at most 1.2× the hash join) and the bytes the finished result keeps alive after a
/// full GC (target: at most 2× the hash join's).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class PlanVersusHashJoinBenchmark
{
    private PlanInputs _inputs = null!;

    private object? _result;
    private long _before;

    [Params(1_000_000)]
    public int N { get; set; }

    /// <summary>The live heap before the timed call; not timed.</summary>
    [IterationSetup]
    public void Baseline()
    {
        _result = null;
        _before = Live();
    }

    /// <summary>What the finished result keeps alive, measured outside the timed call.</summary>
    [IterationCleanup]
    public void Measure()
    {
        var after = Live();
        var method = _result is ReconciliationPlan ? nameof(Plan) : nameof(HashJoin);
        MetricsColumn.Write("RetainedMB", $"{method}-{N.ToString(CultureInfo.InvariantCulture)}", Math.Round((after - _before) / 1024.0 / 1024.0, 1));
        _result = null;
    }

    [GlobalSetup]
    public void Setup() => _inputs = new PlanInputs(N);

    [Benchmark(Baseline = true)]
    public async Task<int> HashJoin()
    {
        var remote = new Dictionary<string, Listing>(StringComparer.Ordinal);
        await foreach (var listing in _inputs.Remote())
        {
            remote.TryAdd(listing.Reference!, listing);
        }

        var result = new HashJoinResult();
        await foreach (var draft in _inputs.Desired())
        {
            if (!remote.Remove(draft.Reference!, out var listing))
            {
                result.Creates.Add(draft);
            }
            else if (listing.Price != draft.Price || listing.Quantity != draft.Quantity)
            {
                result.Updates.Add((draft, listing));
            }
        }

        result.Unknown.AddRange(remote.Values);
        _result = result;
        return result.Updates.Count;
    }

    [Benchmark]
    public async Task<int> Plan()
    {
        var plan = await new Reconciler(new InMemoryMappingStore()).PlanAsync("managem", SellerScope.Default, _inputs.Desired(), _inputs.Remote(), new ReconcilerOptions { UnknownRemote = UnknownRemotePolicy.Ignore });
        if (plan.Count(PlanAction.Update) != N / 10 || plan.Count(PlanAction.Link) != N)
        {
            throw new InvalidOperationException($"Unexpected plan: {plan.ToTable(0)}");
        }

        _result = plan;
        return plan.Count(PlanAction.Update);
    }

    private static long Live()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private sealed class HashJoinResult
    {
        public List<ListingDraft> Creates { get; } = [];

        public List<(ListingDraft Draft, Listing Remote)> Updates { get; } = [];

        public List<Listing> Unknown { get; } = [];
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5));
            AddColumn(new MetricsColumn("RetainedMB", "Bytes the finished result keeps alive after a full GC (MB)"));
        }
    }
}
