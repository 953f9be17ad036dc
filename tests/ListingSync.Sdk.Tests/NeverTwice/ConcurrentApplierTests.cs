using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;
using ListingSync.Sdk.Sqlite;
using ListingSync.Sdk.Tests.Emulator;

namespace ListingSync.Sdk.Tests.NeverTwice;

/// <summary>Issue 13, situation 2: two appliers on one store never create the same listing twice.</summary>
public sealed class ConcurrentApplierTests : IDisposable
{
    private static readonly SellerScope Seller = new(EmulatorSession.SellerId);
    private readonly string _directory = Directory.CreateTempSubdirectory("listingsync-appliers-").FullName;

    [Fact]
    public async Task Two_appliers_on_one_sqlite_file_the_second_fails_naming_the_first_and_nothing_is_created_twice()
    {
        await using var session = await EmulatorSession.StartAsync(new Testing.Managem.ManagemEmulatorOptions { MinLatency = TimeSpan.FromMilliseconds(20), MaxLatency = TimeSpan.FromMilliseconds(30) });
        var inventory = HostInventory.Of(session, 300);
        var path = Path.Combine(_directory, "shared.db");
        // Two "processes": each has its own store instance (own connections) on the one file, and its own reconciler.
        var a = new Reconciler(new SqliteMappingStore(path));
        var b = new Reconciler(new SqliteMappingStore(path));
        var planA = await a.PlanAsync(session.Channel, Seller, inventory.ToAsyncEnumerable(), new ReconcilerOptions { LeaseHolder = "worker-a", CreateBatchSize = 50 });
        var planB = await b.PlanAsync(session.Channel, Seller, inventory.ToAsyncEnumerable(), new ReconcilerOptions { LeaseHolder = "worker-b", CreateBatchSize = 50 });

        var applies = new[] { a.ApplyAsync(session.Channel, planA), b.ApplyAsync(session.Channel, planB) };
        var outcomes = await Task.WhenAll(applies.Select(async t =>
        {
            try
            {
                return (Result: (ReconciliationResult?)await t, Error: (Exception?)null);
            }
            catch (MappingLeaseHeldException ex)
            {
                return (Result: null, Error: ex);
            }
        }));

        var refused = outcomes.Where(o => o.Error is not null).ShouldHaveSingleItem().Error.ShouldBeOfType<MappingLeaseHeldException>();
        refused.Message.ShouldMatch("worker-[ab] has been applying to managem/seller-1 since ");
        refused.Current!.Holder.ShouldStartWith("worker-");
        outcomes.Single(o => o.Result is not null).Result!.Of(PlanAction.Create).Count(r => r.Status == ListingWriteStatus.Succeeded).ShouldBe(300);
        AssertNoDuplicates(session, 300);
    }

    [Fact]
    public async Task A_second_applier_that_waits_for_the_lease_finds_its_plan_stale_and_sends_nothing()
    {
        await using var session = await EmulatorSession.StartAsync();
        var inventory = HostInventory.Of(session, 200);
        var path = Path.Combine(_directory, "waiting.db");
        var a = new Reconciler(new SqliteMappingStore(path));
        var b = new Reconciler(new SqliteMappingStore(path));
        var options = new ReconcilerOptions { LeaseWait = TimeSpan.FromSeconds(60), CreateBatchSize = 50 };
        var planA = await a.PlanAsync(session.Channel, Seller, inventory.ToAsyncEnumerable(), options);
        var planB = await b.PlanAsync(session.Channel, Seller, inventory.ToAsyncEnumerable(), options);

        var results = await Task.WhenAll(a.ApplyAsync(session.Channel, planA), b.ApplyAsync(session.Channel, planB));

        var creates = results.SelectMany(r => r.Of(PlanAction.Create)).ToList();
        creates.Count(r => r.Status == ListingWriteStatus.Succeeded).ShouldBe(200);
        creates.Where(r => r.Status != ListingWriteStatus.Succeeded).ShouldAllBe(r => r.Errors.Single().Rule == "stale");
        AssertNoDuplicates(session, 200);
        (await a.PlanAsync(session.Channel, Seller, inventory.ToAsyncEnumerable())).HasChanges.ShouldBeFalse();
    }

    [Fact]
    public async Task Two_appliers_that_each_plan_and_apply_started_400_ms_apart_create_each_listing_once()
    {
        await using var session = await EmulatorSession.StartAsync(new Testing.Managem.ManagemEmulatorOptions { MinLatency = TimeSpan.FromMilliseconds(5), MaxLatency = TimeSpan.FromMilliseconds(10) });
        var inventory = HostInventory.Of(session, 300);
        var path = Path.Combine(_directory, "staggered.db");

        async Task Run(int delayMs)
        {
            await Task.Delay(delayMs);
            var reconciler = new Reconciler(new SqliteMappingStore(path));
            var options = new ReconcilerOptions { LeaseWait = TimeSpan.FromSeconds(60), CreateBatchSize = 50 };
            await reconciler.ApplyAsync(session.Channel, await reconciler.PlanAsync(session.Channel, Seller, inventory.ToAsyncEnumerable(), options));
        }

        await Task.WhenAll(Run(0), Run(400));

        AssertNoDuplicates(session, 300);
    }

    private static void AssertNoDuplicates(EmulatorSession session, int expected)
    {
        var listings = session.Emulator.Listings(EmulatorSession.SellerId);
        listings.GroupBy(l => l.Reference).Where(g => g.Count() > 1).ShouldBeEmpty();
        listings.Count.ShouldBe(expected);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
