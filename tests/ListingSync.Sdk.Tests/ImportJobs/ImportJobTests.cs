using System.Collections.Concurrent;
using System.Text;
using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.ImportJobs;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;
using ListingSync.Sdk.Testing.Managem;
using ListingSync.Sdk.Tests.Emulator;

namespace ListingSync.Sdk.Tests.ImportJobs;

/// <summary>Import jobs against the emulator, which processes them in batches in the background.</summary>
public class ImportJobTests
{
    private static readonly SellerScope Seller = new(EmulatorSession.SellerId);

    private static ListingDraft Draft(EmulatedItem item, int i, decimal price = 1.50m, int quantity = 2) => new()
    {
        Reference = $"imp-{i:D5}",
        Item = ItemIdentity.FromUrn(item.Urn),
        Condition = ListingCondition.NearMint,
        Language = "English",
        Price = Money.Gbp(price),
        Quantity = quantity,
    };

    private static Task<EmulatorSession> StartAsync(int batchSize = 250, int batchDelayMs = 5) =>
        EmulatorSession.StartAsync(
            new ManagemEmulatorOptions { GeneratedItems = 3_000, ImportBatchSize = batchSize, ImportBatchDelay = TimeSpan.FromMilliseconds(batchDelayMs) },
            o => o.ImportPollInterval = TimeSpan.FromMilliseconds(10));

    private sealed class Recorder : IProgress<ImportJobProgress>
    {
        public ConcurrentQueue<ImportJobProgress> Reports { get; } = new();

        public void Report(ImportJobProgress value) => Reports.Enqueue(value);
    }

    [Fact]
    public async Task An_import_is_processed_in_batches_with_progress_and_row_errors_linked_to_their_references()
    {
        await using var session = await StartAsync();
        var items = session.Emulator.Catalogue.Items;
        var drafts = Enumerable.Range(0, 2_000).Select(i => Draft(items[i], i)).ToList();
        drafts[10] = drafts[10] with { Item = ItemIdentity.FromUrn("urn:managem:pokemon:set/nowhere/card/1") }; // unknown on Managem: a row error
        drafts[20] = drafts[20] with { Price = Money.Gbp(-1) }; // invalid: never written
        var progress = new Recorder();

        var result = await new ManagemImportJobs(session.Channel).ImportAsync(Seller, drafts.ToAsyncEnumerable(), progress);

        result.Build.Rejected.ShouldHaveSingleItem().Reference.ShouldBe("imp-00020");
        var job = result.Jobs.ShouldHaveSingleItem();
        job.Status.State.ShouldBe(ImportJobState.Completed);
        (job.Status.Total, job.Status.Succeeded, job.Status.Failed).ShouldBe((1_999L, 1_998L, 1L));
        var error = result.RowErrors.ShouldHaveSingleItem();
        error.Reference.ShouldBe("imp-00010");
        error.Code.ShouldBe("404");
        error.RowNumber.ShouldBe(12, "header is row 1, the 11th data row is row 12");
        error.Line!.ShouldContain("urn:managem:pokemon:set/nowhere/card/1");
        session.Emulator.Listings(EmulatorSession.SellerId).Count.ShouldBe(1_998);
        session.Emulator.Events(EmulatorSession.SellerId).Count(e => e.Type == "LISTING_CREATED").ShouldBe(1_998);

        var percents = progress.Reports.Select(p => p.Percent).ToList();
        percents.Count.ShouldBeGreaterThan(2, "batches of 250 show up as steps");
        percents.ShouldBe(percents.Order().ToList(), "progress only moves forward");
        percents[^1].ShouldBe(100);
    }

    [Fact]
    public async Task Failed_rows_are_retried_as_a_new_file_of_exactly_those_lines()
    {
        await using var session = await StartAsync();
        var items = session.Emulator.Catalogue.Items;
        var jobs = new ManagemImportJobs(session.Channel, new ManagemCsvImportOptions { Mode = ManagemImportMode.Update });

        // Updates of listings that do not exist yet fail with 404...
        var updates = Enumerable.Range(0, 5).Select(i => Draft(items[i], i, price: 9.99m)).ToList();
        var first = await jobs.ImportAsync(Seller, updates.ToAsyncEnumerable());
        first.RowErrors.Select(e => e.Reference).ShouldBe(["imp-00000", "imp-00001", "imp-00002", "imp-00003", "imp-00004"]);

        // ...then the listings appear, and only the failed rows are sent again.
        (await session.Channel.CreateListingsAsync(Seller, Enumerable.Range(0, 5).Select(i => Draft(items[i], i)).ToList())).ShouldAllBe(r => r.IsSuccess);
        var retried = await jobs.RetryFailedRowsAsync(Seller, first.RowErrors);

        retried.RowErrors.ShouldBeEmpty();
        retried.Jobs.ShouldHaveSingleItem().Status.Succeeded.ShouldBe(5);
        session.Emulator.Listings(EmulatorSession.SellerId).ShouldAllBe(l => l.Price == 999);
        session.Emulator.Listings(EmulatorSession.SellerId).Count.ShouldBe(5, "updates create nothing");
    }

    [Fact]
    public async Task A_running_job_can_be_paused_resumed_and_terminated()
    {
        await using var session = await StartAsync(batchSize: 10, batchDelayMs: 30);
        var items = session.Emulator.Catalogue.Items;
        var runner = new ImportJobRunner(session.Channel, TimeSpan.FromMilliseconds(10));
        async Task<ImportJobStatus> StartFileAsync(int first)
        {
            using var file = new MemoryStream();
            new ManagemCsvImportBuilder().Write(Enumerable.Range(first, 300).Select(i => Draft(items[i], i)), file);
            file.Position = 0;
            return await session.Channel.StartImportAsync(Seller, file, "listings.csv");
        }

        var job = await StartFileAsync(0);
        await Task.Delay(100);
        (await runner.PauseAsync(Seller, job.Id)).State.ShouldBe(ImportJobState.Paused);
        var paused = await session.Channel.GetImportAsync(Seller, job.Id);
        await Task.Delay(150);
        (await session.Channel.GetImportAsync(Seller, job.Id)).Succeeded.ShouldBe(paused.Succeeded, "nothing moves while paused");
        paused.Succeeded.ShouldBeLessThan(300);
        (await runner.PauseAsync(Seller, job.Id)).State.ShouldBe(ImportJobState.Paused, "pausing twice is harmless");

        (await runner.ResumeAsync(Seller, job.Id)).State.ShouldBe(ImportJobState.Running);
        var finished = await runner.WaitAsync(Seller, job.Id);
        finished.Status.State.ShouldBe(ImportJobState.Completed);
        finished.Status.Succeeded.ShouldBe(300);

        var stopped = await StartFileAsync(300);
        await Task.Delay(60);
        (await runner.TerminateAsync(Seller, stopped.Id)).State.ShouldBe(ImportJobState.Terminated);
        var outcome = await runner.WaitAsync(Seller, stopped.Id);
        outcome.Status.State.ShouldBe(ImportJobState.Terminated);
        outcome.Status.Succeeded.ShouldBeLessThan(300);
        await Task.Delay(100);
        session.Emulator.Listings(EmulatorSession.SellerId).Count.ShouldBe(300 + (int)outcome.Status.Succeeded, "a terminated job imports nothing more");
    }

    [Fact]
    public async Task A_file_with_a_wrong_header_or_column_order_is_refused_before_it_is_stored()
    {
        await using var session = await StartAsync();
        var swapped = "MODE,URN,GAME,SET,NAME,CARDMARKET_ID,TCGPLAYER_ID,CONDITION,QUANTITY,PRICE,VARIANTS,HIDDEN,COMMENT,NOTES,REFERENCE\r\ncreate,urn:managem:x,,,,,,NM,2,150,,false,,,a\r\n";

        var error = await Should.ThrowAsync<ListingSyncValidationException>(() => session.Channel.StartImportAsync(Seller, new MemoryStream(Encoding.UTF8.GetBytes(swapped)), "bad.csv"));

        var field = error.Errors.ShouldHaveSingleItem();
        (field.Field, field.Rule).ShouldBe(("file", "header"));
        field.Message.ShouldContain("QUANTITY,PRICE");
        (await session.Client.ImportJobs.ListAsync(Seller)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_streamed_file_with_a_wrong_header_is_refused_by_managem_with_the_field_and_rule()
    {
        await using var session = await StartAsync();
        var body = Encoding.UTF8.GetBytes("MODE,URN\r\ncreate,urn:managem:x\r\n");

        var error = await Should.ThrowAsync<ListingSyncRequestException>(() => session.Channel.StartImportAsync(Seller, new ForwardOnlyStream(body), "bad.csv"));

        error.StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
        var field = error.FieldErrors.ShouldHaveSingleItem();
        (field.Field, field.Rule).ShouldBe(("file", "header"));
        (await session.Client.ImportJobs.ListAsync(Seller)).ShouldBeEmpty();
    }

    /// <summary>A stream that cannot seek, like a network or pipe stream.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }

    [Fact]
    public async Task A_staged_import_sends_the_rest_only_after_the_sample_checks_out()
    {
        await using var session = await StartAsync();
        var items = session.Emulator.Catalogue.Items;
        var drafts = Enumerable.Range(0, 500).Select(i => Draft(items[i], i)).ToList();

        var report = await new ManagemImportJobs(session.Channel).ImportStagedAsync(Seller, drafts.ToAsyncEnumerable(), sampleSize: 25);

        report.Stopped.ShouldBeFalse(string.Join("; ", report.SampleProblems));
        report.Sample.Imported.ShouldBe(25);
        report.Rest!.Imported.ShouldBe(475);
        session.Emulator.Listings(EmulatorSession.SellerId).Select(l => l.Reference).Distinct().Count().ShouldBe(500);
    }

    [Fact]
    public async Task A_staged_import_stops_with_a_clear_report_when_the_sample_fails()
    {
        await using var session = await StartAsync();
        var items = session.Emulator.Catalogue.Items;
        var drafts = Enumerable.Range(0, 200).Select(i => Draft(items[i], i)).ToList();
        drafts[3] = drafts[3] with { Item = ItemIdentity.FromUrn("urn:managem:pokemon:set/nowhere/card/9") };

        var report = await new ManagemImportJobs(session.Channel).ImportStagedAsync(Seller, drafts.ToAsyncEnumerable(), sampleSize: 10);

        report.Stopped.ShouldBeTrue();
        report.Rest.ShouldBeNull();
        report.SampleProblems.ShouldHaveSingleItem().ShouldContain("imp-00003");
        session.Emulator.Listings(EmulatorSession.SellerId).Count.ShouldBe(9, "only the sample went out");
        (await session.Client.ImportJobs.ListAsync(Seller)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task The_reconciler_uses_one_import_job_above_the_threshold_and_the_next_plan_has_nothing_to_do()
    {
        await using var session = await StartAsync();
        var items = session.Emulator.Catalogue.Items;
        var store = new InMemoryMappingStore();
        var desired = Enumerable.Range(0, 600).Select(i => Draft(items[i], i)).ToList();
        var options = new ReconcilerOptions { ImportThreshold = 100 };
        var progress = new Recorder();
        options.ImportProgress = progress;

        var plan = await new Reconciler(store).PlanAsync(session.Channel, Seller, desired.ToAsyncEnumerable(), options);
        var result = await new Reconciler(store).ApplyAsync(session.Channel, plan, options);

        result.Of(PlanAction.Create).Count(r => r.Status == ListingWriteStatus.Succeeded).ShouldBe(600);
        session.Emulator.RouteCounts.GetValueOrDefault("POST /seller/imports").ShouldBe(1);
        session.Emulator.RouteCounts.GetValueOrDefault("POST /seller/listings/bulk").ShouldBe(0);
        progress.Reports.ShouldContain(p => p.State == ImportJobState.Completed);
        var again = await new Reconciler(store).PlanAsync(session.Channel, Seller, desired.ToAsyncEnumerable(), options);
        again.HasChanges.ShouldBeFalse();
        var mapped = 0;
        await foreach (var mapping in store.ListAsync(new MappingScope(ManagemClientOptions.ChannelName, Seller)))
        {
            mapping.ListingId.ShouldNotBeNull(mapping.Reference);
            mapped++;
        }

        mapped.ShouldBe(600);
    }
}
