using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Sqlite;
using ListingSync.Sdk.Testing;

namespace ListingSync.Sdk.Benchmarks;

/// <summary>100,000 mapping upserts into a fresh SQLite file (WAL): one transaction each, and in batches of 1,000. Target: under 5 s.</summary>
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

    private sealed class UpsertConfig : ManualConfig
    {
        public UpsertConfig() => AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3).WithInvocationCount(1).WithUnrollFactor(1));
    }
}
