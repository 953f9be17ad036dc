using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Sqlite;
using ListingSync.Sdk.Testing;

namespace ListingSync.Sdk.Benchmarks;

/// <summary>
/// 100,000 mapping upserts into a fresh SQLite file (WAL): one transaction each, and in batches of 1,000 (target: under
/// 5 s). <see cref="ApplyWrites"/> is the store's share of <see cref="StoreOverheadBenchmark"/> alone: the three writes
/// an apply makes per product there, in its batches of 500 and under a lease.
/// </summary>
[Config(typeof(UpsertConfig))]
public class SqliteUpsertBenchmark
{
    private static readonly MappingScope Scope = new("managem", new SellerScope("bench"));
    private ListingMapping[] _mappings = null!;
    private string _directory = null!;
    private SqliteMappingStore _store = null!;

    [GlobalSetup]
    public void Setup() => _mappings = Enumerable.Range(0, 100_000).Select(i => MappingStoreContract.Sample(Scope, $"sku-{i:D6}", $"lst_{i}")).ToArray();

    [IterationSetup]
    public void NewFile()
    {
        _directory = Directory.CreateTempSubdirectory("ls-upsert-").FullName;
        _store = new SqliteMappingStore(Path.Combine(_directory, "bench.db"));
    }

    [IterationCleanup]
    public void DeleteFile()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public async Task OneTransactionEach()
    {
        foreach (var mapping in _mappings)
        {
            await _store.UpsertAsync(mapping);
        }
    }

    [Benchmark]
    public async Task BatchesOf1000()
    {
        foreach (var batch in _mappings.Chunk(1_000))
        {
            await _store.UpsertManyAsync(batch);
        }
    }

    /// <summary>
    /// Per product: the record before its create is sent (no listing id), the create's answer on top of it (listing id,
    /// the state the marketplace answered), then an update's new state — 300,000 versioned writes in batches of 500.
    /// </summary>
    [Benchmark]
    public async Task ApplyWrites()
    {
        var lease = await _store.TryAcquireLeaseAsync(Scope, "bench", TimeSpan.FromMinutes(10)) ?? throw new InvalidOperationException("no lease");
        var records = new List<ListingMapping>(_mappings.Length);
        foreach (var batch in _mappings.Chunk(500))
        {
            records.AddRange(await _store.UpsertManyAsync([.. batch.Select(m => m with { ListingId = null, LeaseToken = lease.Token })]));
        }

        var answers = new List<ListingMapping>(_mappings.Length);
        foreach (var batch in records.Select((m, i) => m with { ListingId = _mappings[i].ListingId, State = m.State! with { Available = m.State.Quantity }, LeaseToken = lease.Token }).Chunk(500))
        {
            answers.AddRange(await _store.UpsertManyAsync(batch));
        }

        foreach (var batch in answers.Select(m => m with { State = m.State! with { Price = new Money(m.State.Price.Amount + 1m, m.State.Price.Currency) }, LeaseToken = lease.Token }).Chunk(500))
        {
            await _store.UpsertManyAsync(batch);
        }
    }

    private sealed class UpsertConfig : ManualConfig
    {
        public UpsertConfig() => AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3).WithInvocationCount(1).WithUnrollFactor(1));
    }
}
