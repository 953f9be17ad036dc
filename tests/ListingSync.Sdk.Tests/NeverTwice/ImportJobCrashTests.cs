using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.ImportJobs;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;
using ListingSync.Sdk.Testing.Managem;
using ListingSync.Sdk.Tests.Emulator;

namespace ListingSync.Sdk.Tests.NeverTwice;

/// <summary>Issue 13, situation 1: a crash or cancel during an import job never duplicates what the job had not yet imported.</summary>
public class ImportJobCrashTests
{
    private static readonly SellerScope Seller = new(EmulatorSession.SellerId);

    // An import that takes a few seconds: 600 rows in batches of 50, 250 ms apart.
    private static ManagemEmulatorOptions SlowImports => new() { ImportBatchSize = 50, ImportBatchDelay = TimeSpan.FromMilliseconds(250) };

    [Fact]
    public async Task Cancelling_the_apply_during_an_import_says_which_job_it_left_running_and_the_next_run_waits_for_it_and_creates_nothing_twice()
    {
        await using var session = await EmulatorSession.StartAsync(SlowImports);
        var inventory = HostInventory.Of(session, 600);
        var store = new InMemoryMappingStore();
        var options = new ReconcilerOptions { ImportThreshold = 100, ImportPollInterval = TimeSpan.FromMilliseconds(50) };
        var first = new Reconciler(store);
        var plan = await first.PlanAsync(session.Channel, Seller, inventory.ToAsyncEnumerable(), options);
        using var cancel = new CancellationTokenSource();
        var importing = new TaskCompletionSource();
        options.ImportProgress = new Inline<ImportJobProgress>(p => { if (p.State == ImportJobState.Running) importing.TrySetResult(); });

        var apply = first.ApplyAsync(session.Channel, plan, options, cancellationToken: cancel.Token);
        await importing.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cancel.CancelAsync(); // 1-3 s in, as the issue did: the job keeps running on Managem
        var left = await Left(apply);
        left.JobIds.ShouldHaveSingleItem();
        left.Message.ShouldContain(left.JobIds[0]);
        session.Emulator.Listings(EmulatorSession.SellerId).Count.ShouldBeLessThan(600); // the job had not finished

        // Re-run at once, as a user would: a new reconciler on the same store.
        var second = new Reconciler(store);
        var phases = new List<PlanningPhase>();
        var again = await second.PlanAsync(session.Channel, Seller, inventory.ToAsyncEnumerable(), new ReconcilerOptions { ImportThreshold = 100, ImportPollInterval = TimeSpan.FromMilliseconds(50), PlanProgress = new Inline<PlanningProgress>(p => phases.Add(p.Phase)) });
        await second.ApplyAsync(session.Channel, again);

        phases.ShouldContain(PlanningPhase.WaitingForImports);
        again.Count(PlanAction.Create).ShouldBe(0); // the job finished first, and its rows were adopted
        var listings = session.Emulator.Listings(EmulatorSession.SellerId);
        listings.GroupBy(l => l.Reference).Where(g => g.Count() > 1).ShouldBeEmpty();
        listings.Count.ShouldBe(600);
        (await store.GetCursorAsync(new MappingScope("managem", Seller), ImportJobJournalName)).ShouldBeNullOrEmpty();
    }

    [Fact]
    public async Task After_a_crash_mid_upload_the_next_plan_finds_the_unrecorded_job_and_waits_for_it()
    {
        await using var session = await EmulatorSession.StartAsync(SlowImports);
        var inventory = HostInventory.Of(session, 400);
        var store = new InMemoryMappingStore();
        var scope = new MappingScope("managem", Seller);
        // What a process killed between "upload starting" and "job accepted" leaves: the marker, and a job running on Managem.
        await store.SetCursorAsync(scope, ImportJobJournalName, $"?\t{DateTimeOffset.UtcNow.AddSeconds(-1).UtcTicks}\n");
        var jobs = new ManagemImportJobs(session.Channel);
        using var csv = new MemoryStream();
        await jobs.Builder.WriteAsync(inventory.ToAsyncEnumerable(), _ => new NonClosing(csv));
        csv.Position = 0;
        var running = await session.Client.ImportJobs.CreateAsync(Seller, csv, "listings.csv");

        var plan = await new Reconciler(store).PlanAsync(session.Channel, Seller, inventory.ToAsyncEnumerable(), new ReconcilerOptions { ImportPollInterval = TimeSpan.FromMilliseconds(50) });

        (await session.Client.ImportJobs.GetAsync(Seller, running.Id))!.ToStatus().IsFinished.ShouldBeTrue();
        plan.Count(PlanAction.Create).ShouldBe(0);
        plan.Count(PlanAction.Link).ShouldBe(400);
    }

    [Fact]
    public async Task With_terminate_the_next_plan_stops_the_left_job_and_creates_only_what_it_had_not()
    {
        await using var session = await EmulatorSession.StartAsync(new ManagemEmulatorOptions { ImportBatchSize = 50, ImportBatchDelay = TimeSpan.FromMilliseconds(400) });
        var inventory = HostInventory.Of(session, 600);
        var store = new InMemoryMappingStore();
        var options = new ReconcilerOptions { ImportThreshold = 100, ImportPollInterval = TimeSpan.FromMilliseconds(50) };
        var reconciler = new Reconciler(store);
        var plan = await reconciler.PlanAsync(session.Channel, Seller, inventory.ToAsyncEnumerable(), options);
        using var cancel = new CancellationTokenSource();
        var importing = new TaskCompletionSource();
        options.ImportProgress = new Inline<ImportJobProgress>(p => { if (p.State == ImportJobState.Running) importing.TrySetResult(); });
        var apply = reconciler.ApplyAsync(session.Channel, plan, options, cancellationToken: cancel.Token);
        await importing.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cancel.CancelAsync();
        await Left(apply);

        var next = new ReconcilerOptions { RunningImports = RunningImportPolicy.Terminate, ImportPollInterval = TimeSpan.FromMilliseconds(50) };
        var again = await reconciler.PlanAsync(session.Channel, Seller, inventory.ToAsyncEnumerable(), next);
        var imported = session.Emulator.Listings(EmulatorSession.SellerId).Count;
        await reconciler.ApplyAsync(session.Channel, again);

        imported.ShouldBeLessThan(600);
        again.Count(PlanAction.Create).ShouldBe(600 - imported);
        var listings = session.Emulator.Listings(EmulatorSession.SellerId);
        listings.Count.ShouldBe(600);
        listings.GroupBy(l => l.Reference).Where(g => g.Count() > 1).ShouldBeEmpty();
    }

    private const string ImportJobJournalName = "import-jobs";

    /// <summary>The exception a cancelled apply ends with (awaited directly: a cancelled task's own exception, not a new one).</summary>
    private static async Task<ImportJobsLeftRunningException> Left(Task apply)
    {
        try
        {
            await apply;
        }
        catch (ImportJobsLeftRunningException ex)
        {
            return ex;
        }

        throw new ShouldAssertException("the apply was expected to end with ImportJobsLeftRunningException");
    }

    private sealed class Inline<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>Lets the builder write into a memory stream it would otherwise close.</summary>
    private sealed class NonClosing(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}

/// <summary>Issue 13, temporary import files: a configurable folder, owner-only, cleaned up after a killed run.</summary>
public sealed class ImportFileTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"listingsync-imports-test-{Guid.NewGuid():N}");

    [Fact]
    public async Task Import_files_live_in_the_configured_folder_readable_by_the_owner_only_and_a_killed_runs_folder_is_removed()
    {
        // What a killed run leaves: a folder named for a process that no longer runs, holding the seller's inventory.
        Directory.CreateDirectory(_root);
        var abandoned = Directory.CreateDirectory(Path.Combine(_root, $"{int.MaxValue - 7}-0123456789abcdef"));
        await File.WriteAllTextAsync(Path.Combine(abandoned.FullName, "listings-000.csv"), "MODE,URN\n");
        await using var session = await EmulatorSession.StartAsync(configure: o => o.Import.WorkingDirectory = _root);
        var jobs = new ManagemImportJobs(session.Channel);
        UnixFileMode? seen = null;
        var drafts = Enumerable.Range(0, 5).Select(i => new ListingDraft
        {
            Reference = $"r-{i}", Item = ItemIdentity.FromUrn(session.Emulator.Catalogue.Items[i].Urn), Condition = ListingCondition.NearMint,
            Language = "English", Price = Money.Gbp(1m), Quantity = 1,
        }).ToList();

        var result = await jobs.ImportAsync(new SellerScope(EmulatorSession.SellerId), drafts.ToAsyncEnumerable(), new Inline(p =>
        {
            var run = Directory.GetDirectories(_root).Single();
            seen ??= OperatingSystem.IsWindows() ? null : File.GetUnixFileMode(run);
        }));

        result.IsClean.ShouldBeTrue();
        Directory.Exists(abandoned.FullName).ShouldBeFalse();
        seen.ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.GetDirectories(_root).ShouldBeEmpty(); // this run cleaned up after itself
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private sealed class Inline(Action<ImportJobProgress> report) : IProgress<ImportJobProgress>
    {
        public void Report(ImportJobProgress value) => report(value);
    }
}
