using System.Diagnostics;
using ListingSync.Sdk.Channels;
using ListingSync.Sdk.ImportJobs;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;
using ListingSync.Sdk.Sqlite;
using ListingSync.Sdk.Testing.Managem;
using ListingSync.Sdk.Tests.Emulator;
using ListingSync.Sdk.Tests.Samples;

namespace ListingSync.Sdk.Tests.NeverTwice;

/// <summary>
/// The "never twice" promise under faults, cancels, kills and concurrency, over real loopback HTTP. Small N keeps CI
/// quick; the same scenarios at 10,000 products run with <c>--soak</c> in the benchmarks project. Every scenario asserts
/// 0 duplicates, 0 missing and convergence to zero changes within three passes.
/// </summary>
[Trait("Category", "Chaos")]
public sealed class ChaosTests : IDisposable
{
    private static readonly SellerScope Seller = new(EmulatorSession.SellerId);
    private readonly string _directory = Directory.CreateTempSubdirectory("listingsync-chaos-").FullName;

    public static TheoryData<int> Seeds => new(1, 2, 3);

    [Theory, MemberData(nameof(Seeds))]
    public async Task Seeded_faults_on_every_call_never_duplicate_and_converge(int seed)
    {
        await using var session = await EmulatorSession.StartAsync(new ManagemEmulatorOptions
        {
            Seed = seed,
            ServerErrorRate = 0.05,
            AmbiguousWriteErrorRate = 0.1,
            DropConnectionRate = 0.03,
            RateLimitPerSecond = 400,
            RateLimitBurst = 20,
        });
        await Converges(session, HostInventory.Of(session, 250, varied: true), new SqliteMappingStore(Path.Combine(_directory, $"faults-{seed}.db")), new ReconcilerOptions());
    }

    [Theory, MemberData(nameof(Seeds))]
    public async Task Cancels_at_random_points_of_the_api_path_never_duplicate(int seed)
    {
        await using var session = await EmulatorSession.StartAsync(new ManagemEmulatorOptions { Seed = seed, MinLatency = TimeSpan.FromMilliseconds(2), MaxLatency = TimeSpan.FromMilliseconds(8), AmbiguousWriteErrorRate = 0.05 });
        var inventory = HostInventory.Of(session, 300, varied: true);
        var store = new SqliteMappingStore(Path.Combine(_directory, $"cancel-api-{seed}.db"));
        var random = new Random(seed);
        for (var round = 0; round < 3; round++)
        {
            await CancelledRun(session, inventory, store, new ReconcilerOptions { CreateBatchSize = 40 }, TimeSpan.FromMilliseconds(random.Next(50, 400)));
        }

        await Converges(session, inventory, store, new ReconcilerOptions());
    }

    [Theory, MemberData(nameof(Seeds))]
    public async Task Cancels_at_random_points_of_the_import_path_never_duplicate(int seed)
    {
        await using var session = await EmulatorSession.StartAsync(new ManagemEmulatorOptions { Seed = seed, ImportBatchSize = 40, ImportBatchDelay = TimeSpan.FromMilliseconds(60) });
        var inventory = HostInventory.Of(session, 400, varied: true);
        var store = new SqliteMappingStore(Path.Combine(_directory, $"cancel-import-{seed}.db"));
        var random = new Random(seed);
        var options = () => new ReconcilerOptions { ImportThreshold = 50, ImportPollInterval = TimeSpan.FromMilliseconds(30) };
        for (var round = 0; round < 3; round++)
        {
            await CancelledRun(session, inventory, store, options(), TimeSpan.FromMilliseconds(random.Next(50, 600)));
        }

        await Converges(session, inventory, store, options());
    }

    [Fact]
    public async Task Two_appliers_under_faults_never_duplicate()
    {
        await using var session = await EmulatorSession.StartAsync(new ManagemEmulatorOptions { Seed = 9, AmbiguousWriteErrorRate = 0.1, ServerErrorRate = 0.05 });
        var inventory = HostInventory.Of(session, 300, varied: true);
        var path = Path.Combine(_directory, "two.db");

        async Task Run()
        {
            var reconciler = new Reconciler(new SqliteMappingStore(path));
            var options = new ReconcilerOptions { LeaseWait = TimeSpan.FromSeconds(60), CreateBatchSize = 50 };
            await reconciler.ApplyAsync(session.Channel, await reconciler.PlanAsync(session.Channel, Seller, inventory.ToAsyncEnumerable(), options));
        }

        await Task.WhenAll(Run(), Run());
        await Converges(session, inventory, new SqliteMappingStore(path), new ReconcilerOptions());
    }

    [Fact]
    public async Task A_quick_start_killed_mid_run_and_run_again_creates_nothing_twice()
    {
        // The applier in its own process, killed with SIGKILL part-way; then run again to the end, as a user would.
        await using var emulator = await ManagemEmulator.StartAsync(new ManagemEmulatorOptions { MinLatency = TimeSpan.FromMilliseconds(20), MaxLatency = TimeSpan.FromMilliseconds(40) });
        emulator.AddSeller("demo-seller", "demo-token");
        var store = Path.Combine(_directory, "killed.db");
        string[] arguments = ["--base-url", emulator.BaseAddress.ToString(), "--token", "demo-token", "--store", store];

        var killedAfter = await SampleProcess.RunAndKillAsync("ListingSync.QuickStart", TimeSpan.FromMilliseconds(2_500), arguments);
        var (exit, output) = await SampleProcess.RunAsync("ListingSync.QuickStart", TimeSpan.FromMinutes(2), arguments);

        exit.ShouldBe(0, output);
        output.ShouldContain("Second pass: zero changes");
        var listings = emulator.Listings("demo-seller");
        listings.GroupBy(l => l.Reference).Where(g => g.Count() > 1).ShouldBeEmpty($"killed after {killedAfter}");
        listings.Count.ShouldBeGreaterThan(0);
    }

    private static async Task CancelledRun(EmulatorSession session, List<ListingDraft> inventory, IMappingStore store, ReconcilerOptions options, TimeSpan after)
    {
        using var cancel = new CancellationTokenSource(after);
        try
        {
            var reconciler = new Reconciler(store);
            var plan = await reconciler.PlanAsync(session.Channel, Seller, inventory.ToAsyncEnumerable(), options, cancel.Token);
            await reconciler.ApplyAsync(session.Channel, plan, options, cancellationToken: cancel.Token);
        }
        catch (OperationCanceledException)
        {
            // Cancelled part-way, as intended; an import left running is recorded for the next plan.
        }
        catch (ListingSyncException)
        {
            // A fault the run reported; the next pass repairs it.
        }
    }

    /// <summary>At most three passes to zero changes; then the marketplace holds each product exactly once.</summary>
    private static async Task Converges(EmulatorSession session, List<ListingDraft> inventory, IMappingStore store, ReconcilerOptions options)
    {
        var reconciler = new Reconciler(store);
        var passes = new List<string>();
        for (var pass = 1; pass <= 4; pass++)
        {
            var plan = await reconciler.PlanAsync(session.Channel, Seller, inventory.ToAsyncEnumerable(), options);
            passes.Add(plan.ToTable(0));
            if (!plan.HasChanges && plan.Count(PlanAction.FlagUncertain) == 0)
            {
                pass.ShouldBeLessThanOrEqualTo(4, "converged within three passes after the disturbance");
                break;
            }

            pass.ShouldBeLessThan(4, $"no convergence after three passes:\n{string.Join("\n", passes)}");
            await reconciler.ApplyAsync(session.Channel, plan, options);
        }

        var listings = session.Emulator.Listings(EmulatorSession.SellerId);
        listings.GroupBy(l => l.Reference).Where(g => g.Count() > 1).Select(g => g.Key).ShouldBeEmpty("duplicates");
        inventory.Select(d => d.Reference).Except(listings.Select(l => l.Reference)).ShouldBeEmpty("missing");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
