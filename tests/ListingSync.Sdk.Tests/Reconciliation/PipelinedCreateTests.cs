using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;
using ListingSync.Sdk.Testing;

namespace ListingSync.Sdk.Tests.Reconciliation;

/// <summary>
/// Creates go out batch by batch, the next batch recorded in the store while the current one is on the wire. What must
/// hold whatever the timing: no create is sent before its own record is written, every product is created once, and no
/// store write outlives the apply (a cancelled apply leaves nothing still writing under its lease).
/// </summary>
public class PipelinedCreateTests
{
    private static readonly SellerScope Seller = SellerScope.Default;

    /// <summary>A store whose batch writes take a while and are counted, with the writes in flight at each moment.</summary>
    private sealed class SlowStore(IMappingStore inner, TimeSpan delay) : DelegatingMappingStore(inner)
    {
        private int _inFlight;
        private int _recordsInFlight;
        private int _writes;

        public int Writes => Volatile.Read(ref _writes);

        public int InFlight => Volatile.Read(ref _inFlight);

        /// <summary>Writes in flight of records made before a send (no listing id yet).</summary>
        public int RecordsInFlight => Volatile.Read(ref _recordsInFlight);

        public override async ValueTask<IReadOnlyList<ListingMapping>> UpsertManyAsync(IReadOnlyList<ListingMapping> mappings, CancellationToken cancellationToken = default)
        {
            var records = mappings.All(m => m.ListingId is null);
            Interlocked.Increment(ref _inFlight);
            Interlocked.Add(ref _recordsInFlight, records ? 1 : 0);
            try
            {
                await Task.Delay(delay, CancellationToken.None);
                var written = await Inner.UpsertManyAsync(mappings, cancellationToken);
                Interlocked.Increment(ref _writes);
                return written;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
                Interlocked.Add(ref _recordsInFlight, records ? -1 : 0);
            }
        }
    }

    /// <summary>A channel that checks, as each create batch arrives, that the store already records every product in it.</summary>
    private sealed class CheckingChannel(InMemoryListingChannel inner, SlowStore store, TimeSpan sendTime, Func<int, Task>? onBatch = null) : DelegatingListingChannel(inner)
    {
        private int _batches;

        public List<string> SentBeforeRecorded { get; } = [];

        public int RecordsWrittenDuringSends { get; private set; }

        public override async Task<IReadOnlyList<ListingWriteResult>> CreateListingsAsync(SellerScope seller, IReadOnlyList<ListingDraft> drafts, CancellationToken cancellationToken = default)
        {
            var scope = new MappingScope(Name, seller);
            foreach (var draft in drafts)
            {
                if (await store.FindByReferenceAsync(scope, draft.Reference!, cancellationToken) is not { ListingId: null })
                {
                    lock (SentBeforeRecorded)
                    {
                        SentBeforeRecorded.Add(draft.Reference!);
                    }
                }
            }

            if (onBatch is not null)
            {
                await onBatch(Interlocked.Increment(ref _batches));
            }

            // The marketplace takes a while to answer; meanwhile the next batch's records may be written.
            var until = DateTime.UtcNow + sendTime;
            while (DateTime.UtcNow < until)
            {
                RecordsWrittenDuringSends += store.RecordsInFlight > 0 ? 1 : 0;
                await Task.Delay(5, cancellationToken);
            }

            return await base.CreateListingsAsync(seller, drafts, cancellationToken);
        }
    }

    private static ListingDraft Draft(int i) => new()
    {
        Reference = $"prod-{i:D4}",
        Item = new ItemIdentity { Sku = $"SKU-{i:D4}" },
        Condition = ListingCondition.NearMint,
        Language = "English",
        Price = Money.Gbp(1.00m + i),
        Quantity = 1,
    };

    private static async IAsyncEnumerable<ListingDraft> Stream(IEnumerable<ListingDraft> drafts)
    {
        foreach (var draft in drafts)
        {
            yield return draft;
        }

        await Task.CompletedTask;
    }

    [Fact]
    public async Task Each_batch_is_recorded_before_it_is_sent_while_the_next_is_recorded_during_the_send()
    {
        var store = new SlowStore(new InMemoryMappingStore(), TimeSpan.FromMilliseconds(40));
        var inner = new InMemoryListingChannel("memory", matchKeys: [ListingMatchKey.Sku]);
        var channel = new CheckingChannel(inner, store, TimeSpan.FromMilliseconds(120));
        var reconciler = new Reconciler(store);
        var options = new ReconcilerOptions { CreateBatchSize = 10 };

        var plan = await reconciler.PlanAsync(channel, Seller, Stream(Enumerable.Range(0, 60).Select(Draft)), options);
        var result = await reconciler.ApplyAsync(channel, plan, options);

        result.Of(PlanAction.Create).Count(r => r.Status == ListingWriteStatus.Succeeded).ShouldBe(60);
        channel.SentBeforeRecorded.ShouldBeEmpty();
        inner.Listings(Seller).Select(l => l.Reference).Distinct().Count().ShouldBe(60);
        inner.Listings(Seller).Count.ShouldBe(60);
        // The overlap is there: the next batch's records were being written while a batch was on the wire.
        channel.RecordsWrittenDuringSends.ShouldBeGreaterThan(0);
        (await reconciler.PlanAsync(channel, Seller, Stream(Enumerable.Range(0, 60).Select(Draft)), options)).HasChanges.ShouldBeFalse();
    }

    [Fact]
    public async Task A_cancel_during_a_send_leaves_no_store_write_running_and_the_rerun_creates_each_product_once()
    {
        var store = new SlowStore(new InMemoryMappingStore(), TimeSpan.FromMilliseconds(150));
        var inner = new InMemoryListingChannel("memory", matchKeys: [ListingMatchKey.Sku]);
        using var cancel = new CancellationTokenSource();
        var channel = new CheckingChannel(inner, store, TimeSpan.FromMilliseconds(60), batch =>
        {
            if (batch == 3)
            {
                cancel.Cancel(); // the fourth batch's records are being written now
            }

            return Task.CompletedTask;
        });
        var reconciler = new Reconciler(store);
        var options = new ReconcilerOptions { CreateBatchSize = 10 };
        var drafts = Enumerable.Range(0, 60).Select(Draft).ToList();

        var plan = await reconciler.PlanAsync(channel, Seller, Stream(drafts), options);
        await Should.ThrowAsync<OperationCanceledException>(() => reconciler.ApplyAsync(channel, plan, options, cancellationToken: cancel.Token));

        store.InFlight.ShouldBe(0, "a store write was still running after the apply returned");
        var writes = store.Writes;
        await Task.Delay(400);
        store.Writes.ShouldBe(writes, "a store write landed after the apply returned");

        var again = await reconciler.PlanAsync(channel, Seller, Stream(drafts), options);
        await reconciler.ApplyAsync(channel, again, options);
        channel.SentBeforeRecorded.ShouldBeEmpty();
        inner.Listings(Seller).Count.ShouldBe(60);
        inner.Listings(Seller).Select(l => l.Reference).Distinct().Count().ShouldBe(60);
    }
}
