using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.PostgreSql;
using ListingSync.Sdk.Webhooks;
using Npgsql;

namespace ListingSync.Sdk.Benchmarks;

/// <summary>
/// Issue 19: the shared PostgreSQL inbox with <see cref="Consumers"/> competing consumers (each its own store and
/// inbox, as separate workers would be), taking and completing 2,000 events accepted beforehand. Reported as events per
/// second. Needs <c>LISTINGSYNC_POSTGRES</c> (see <see cref="PostgresUpsertBenchmark"/>).
/// </summary>
[Config(typeof(Config))]
public class PostgresInboxBenchmark
{
    private const int Events = 2_000;
    private NpgsqlDataSource _dataSource = null!;
    private string _schema = null!;
    private PostgresMappingStore[] _stores = null!;
    private PostgresEventInbox[] _inboxes = null!;

    [Params(1, 2, 4)]
    public int Consumers { get; set; }

    [GlobalSetup]
    public void Setup() => _dataSource = NpgsqlDataSource.Create(PostgresUpsertBenchmark.ConnectionString);

    [IterationSetup]
    public void Fill()
    {
        _schema = "inbox_" + Guid.NewGuid().ToString("N")[..12];
        _stores = [.. Enumerable.Range(0, Consumers).Select(_ => new PostgresMappingStore(_dataSource, new PostgresStoreOptions { ConnectionString = PostgresUpsertBenchmark.ConnectionString, Schema = _schema }))];
        _stores[0].MigrateAsync().GetAwaiter().GetResult();
        _inboxes = [.. _stores.Select(s => new PostgresEventInbox(s))];
        Parallel.For(0, Events, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            _inboxes[0].AcceptAsync(new ListingEvent { Channel = "managem", Seller = new SellerScope($"s{i % 5}"), EventId = $"evt-{i:D6}", Kind = ListingEventKind.Test, Type = "TEST" }).AsTask().GetAwaiter().GetResult());
    }

    [IterationCleanup]
    public void Drop()
    {
        foreach (var inbox in _inboxes)
        {
            inbox.Dispose();
        }

        using var command = _dataSource.CreateCommand($"DROP SCHEMA {_schema} CASCADE");
        command.ExecuteNonQuery();
    }

    [GlobalCleanup]
    public void Cleanup() => _dataSource.Dispose();

    [Benchmark(Description = "Take and complete 2,000 events")]
    public async Task<int> Drain()
    {
        var handled = 0;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await Task.WhenAll(_inboxes.Select(async inbox =>
        {
            while (await inbox.TryClaimAsync() is { } item)
            {
                await inbox.CompleteAsync(item);
                Interlocked.Increment(ref handled);
            }
        }));
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        if (handled != Events)
        {
            throw new InvalidOperationException($"handled {handled} of {Events}");
        }

        MetricsColumn.Write("EventsPerSecond", Consumers.ToString(CultureInfo.InvariantCulture), Math.Round(Events / elapsed.TotalSeconds));
        return handled;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3).WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(new MetricsColumn("EventsPerSecond", "Events taken and completed per second, all consumers together (last iteration)"));
        }
    }
}
