using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;
using ListingSync.Sdk.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ListingSync.Sdk.Benchmarks;

/// <summary>
/// What the mapping store adds to an apply: N creates then N updates against the Managem emulator in another process
/// (no faults, no rate limit), once through the channel alone ("HTTP alone": the same calls, batch sizes and
/// concurrency the applier makes) and once through <see cref="Reconciler.ApplyAsync"/> with a SQLite store (pre-records,
/// lease, batched id writes, per-update mapping writes). Plans are not timed: only the two phases of writing.
/// Target: the store adds at most 20 % (ratio column ≤ 1.2).
/// </summary>
[Config(typeof(Config))]
public class StoreOverheadBenchmark
{
    private Process? _emulator;
    private ServiceProvider? _provider;
    private ManagemChannel _channel = null!;
    private IReadOnlyList<string> _urns = null!;
    private int _round;
    private string _directory = null!;

    [Params(100_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // The emulator's generated catalogue: the same seed gives the same URNs in this process.
        var twin = Sdk.Testing.Managem.ManagemEmulator.StartAsync(new Sdk.Testing.Managem.ManagemEmulatorOptions { GeneratedItems = N }).GetAwaiter().GetResult();
        _urns = twin.Catalogue.Items.Skip(twin.Catalogue.BuiltIn.Count).Take(N).Select(i => i.Urn).ToList();
        twin.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _directory = Directory.CreateTempSubdirectory("listingsync-store-overhead-").FullName;
    }

    /// <summary>
    /// Every iteration, of either method, starts against a fresh emulator process: an emulator that kept every earlier
    /// round's listings and events grew slower round by round, which favoured the method measured first.
    /// </summary>
    [IterationSetup]
    public void FreshEmulator()
    {
        StopEmulator();
        var port = 47_500 + (_round % 400);
        var project = Path.GetFullPath(Path.Combine(StreamingMemoryBenchmark.FindRoot(), "samples", "ListingSync.Emulator", "ListingSync.Emulator.csproj"));
        var build = _round == 0 ? "" : "--no-build ";
        _emulator = Process.Start(new ProcessStartInfo("dotnet", $"run -c Release {build}--project \"{project}\" -- --port {port} --listings 0 --items {N}") { RedirectStandardOutput = true, UseShellExecute = false })!;
        while (_emulator.StandardOutput.ReadLine() is { } line && !line.Contains("listening", StringComparison.Ordinal))
        {
        }

        var services = new ServiceCollection();
        services.AddListingSync().AddManagem(o =>
        {
            o.BaseAddress = new Uri($"http://127.0.0.1:{port}/");
            o.AccessToken = "demo-token";
            o.RateLimit.Enabled = false;
        });
        _provider = services.BuildServiceProvider();
        _channel = _provider.GetRequiredService<ManagemChannel>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        StopEmulator();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private void StopEmulator()
    {
        _provider?.Dispose();
        _emulator?.Kill(entireProcessTree: true);
        _emulator?.WaitForExit();
        _emulator?.Dispose();
        _emulator = null;
    }

    private List<ListingDraft> Drafts(string prefix, decimal price) => _urns.Select((urn, i) => new ListingDraft
    {
        Reference = $"{prefix}-{i:D6}", Item = ItemIdentity.FromUrn(urn), Condition = ListingCondition.NearMint, Language = "English", Price = Money.Gbp(price), Quantity = 1,
    }).ToList();

    [Benchmark(Baseline = true)]
    public async Task<double> HttpAlone()
    {
        var drafts = Drafts($"h{++_round}", 1.00m);
        var seller = SellerScope.Default;
        var started = Stopwatch.GetTimestamp();
        var ids = new List<string>(N);
        foreach (var batch in drafts.Chunk(1_000))
        {
            ids.AddRange((await _channel.CreateListingsAsync(seller, batch)).Select(r => r.ListingId ?? throw new InvalidOperationException("no id")));
        }

        var updates = drafts.Select((d, i) => (Id: ids[i], Draft: d with { Price = Money.Gbp(2.00m) })).ToList();
        await Parallel.ForEachAsync(updates, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (u, ct) => await _channel.UpdateListingAsync(seller, u.Id, u.Draft, ct));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        MetricsColumn.Write("WriteSeconds", $"{nameof(HttpAlone)}-{N.ToString(CultureInfo.InvariantCulture)}", Math.Round(seconds, 2));
        return seconds;
    }

    [Benchmark]
    public async Task<double> ApplyWithSqliteStore()
    {
        var prefix = $"s{++_round}";
        var reconciler = new Reconciler(new SqliteMappingStore(Path.Combine(_directory, prefix + ".db")));
        var seller = SellerScope.Default;
        // Only this round's listings are planned against: the channel's scan is not what is measured.
        var mine = new RoundView(_channel, prefix);
        var creates = await reconciler.PlanAsync(mine, seller, Drafts(prefix, 1.00m).ToAsyncEnumerable());
        var started = Stopwatch.GetTimestamp();
        await reconciler.ApplyAsync(mine, creates);
        var createSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var updates = await reconciler.PlanAsync(mine, seller, Drafts(prefix, 2.00m).ToAsyncEnumerable());
        started = Stopwatch.GetTimestamp();
        var result = await reconciler.ApplyAsync(mine, updates);
        var seconds = createSeconds + Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (result.Of(PlanAction.Update).Count(r => r.Status == Channels.ListingWriteStatus.Succeeded) != N)
        {
            throw new InvalidOperationException(updates.ToTable(5));
        }

        MetricsColumn.Write("WriteSeconds", $"{nameof(ApplyWithSqliteStore)}-{N.ToString(CultureInfo.InvariantCulture)}", Math.Round(seconds, 2));
        return seconds;
    }

    /// <summary>The Managem channel, listing only one round's listings (earlier rounds' stay on the emulator).</summary>
    private sealed class RoundView(ManagemChannel inner, string prefix) : Sdk.Testing.DelegatingListingChannel(inner)
    {
        public override IReadOnlyList<Channels.ListingMatchKey> MatchKeys => [];

        public override IAsyncEnumerable<Listing> GetListingsAsync(SellerScope seller, CancellationToken cancellationToken = default) =>
            base.GetListingsAsync(seller, cancellationToken).Where(l => l.Reference?.StartsWith(prefix + "-", StringComparison.Ordinal) == true);
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(2));
            AddColumn(new MetricsColumn("WriteSeconds", "Seconds spent writing (creates + updates), plans excluded"));
        }
    }
}
