using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.PostgreSql;
using ListingSync.Sdk.Testing;
using Npgsql;

namespace ListingSync.Sdk.Benchmarks;

/// <summary>
/// Issue 19: 100,000 mapping upserts into PostgreSQL, in batches of <see cref="BatchSize"/>: new mappings (inserts) and
/// versioned writes of existing ones (updates). Target: under 3 s. Needs a server: <c>export LISTINGSYNC_POSTGRES=$(bash
/// .ci/postgres start)</c>. Each iteration writes into a fresh schema.
/// </summary>
[Config(typeof(Config))]
public class PostgresUpsertBenchmark
{
    private static readonly MappingScope Scope = new("managem", new SellerScope("bench"));
    private ListingMapping[] _mappings = null!;
    private ListingMapping[] _updates = null!;
    private NpgsqlDataSource _dataSource = null!;
    private PostgresMappingStore _store = null!;
    private string _schema = null!;

    [Params(1_000, 10_000)]
    public int BatchSize { get; set; }

    internal static string ConnectionString => Environment.GetEnvironmentVariable("LISTINGSYNC_POSTGRES") is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException("Set LISTINGSYNC_POSTGRES to a PostgreSQL connection string, e.g. export LISTINGSYNC_POSTGRES=$(bash .ci/postgres start)");

    [GlobalSetup]
    public void Setup()
    {
        _mappings = [.. Enumerable.Range(0, 100_000).Select(i => MappingStoreContract.Sample(Scope, $"sku-{i:D6}", $"lst_{i}"))];
        _dataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    [IterationSetup(Target = nameof(Insert))]
    public void FreshSchema()
    {
        _schema = "bench_" + Guid.NewGuid().ToString("N")[..12];
        _store = new PostgresMappingStore(_dataSource, new PostgresStoreOptions { ConnectionString = ConnectionString, Schema = _schema });
        _store.MigrateAsync().GetAwaiter().GetResult();
    }

    [IterationSetup(Target = nameof(Update))]
    public void FilledSchema()
    {
        FreshSchema();
        var written = new List<ListingMapping>(_mappings.Length);
        foreach (var batch in _mappings.Chunk(10_000))
        {
            written.AddRange(_store.UpsertManyAsync(batch).AsTask().GetAwaiter().GetResult());
        }

        _updates = [.. written.Select(m => m with { NeedsReview = "checked", RemoteVersion = "v2" })];
    }

    [IterationCleanup]
    public void DropSchema()
    {
        using var command = _dataSource.CreateCommand($"DROP SCHEMA {_schema} CASCADE");
        command.ExecuteNonQuery();
    }

    [GlobalCleanup]
    public void Cleanup() => _dataSource.Dispose();

    [Benchmark(Description = "100,000 new mappings")]
    public async Task Insert()
    {
        foreach (var batch in _mappings.Chunk(BatchSize))
        {
            await _store.UpsertManyAsync(batch);
        }
    }

    [Benchmark(Description = "100,000 versioned updates")]
    public async Task Update()
    {
        foreach (var batch in _updates.Chunk(BatchSize))
        {
            await _store.UpsertManyAsync(batch);
        }
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3).WithInvocationCount(1).WithUnrollFactor(1));
    }
}
