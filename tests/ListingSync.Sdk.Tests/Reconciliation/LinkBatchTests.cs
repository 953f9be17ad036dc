using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;

namespace ListingSync.Sdk.Tests.Reconciliation;

public class LinkBatchTests
{
    private static readonly MappingScope Scope = new("managem", SellerScope.Default);

    /// <summary>A store whose batch writes meet a conflicting writer a set number of times.</summary>
    private sealed class ContendedStore(InMemoryMappingStore inner, int conflicts) : DelegatingMappingStore(inner)
    {
        private int _conflicts = conflicts;

        public int BatchWrites { get; private set; }

        public override ValueTask<IReadOnlyList<ListingMapping>> UpsertManyAsync(IReadOnlyList<ListingMapping> mappings, CancellationToken cancellationToken = default)
        {
            BatchWrites++;
            return Interlocked.Decrement(ref _conflicts) >= 0
                ? throw new MappingConflictException("another writer changed a mapping of this batch")
                : Inner.UpsertManyAsync(mappings, cancellationToken);
        }
    }

    private static async IAsyncEnumerable<T> Stream<T>(IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            yield return item;
        }

        await Task.CompletedTask;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Links_are_written_in_batches_and_one_by_one_when_a_batch_meets_another_writer(int conflicts)
    {
        var store = new ContendedStore(new InMemoryMappingStore(), conflicts);
        var remote = Enumerable.Range(0, 1_200).Select(i => new Listing
        {
            Id = $"lst_{i}",
            Reference = $"sku-{i}",
            Item = ItemIdentity.FromUrn($"urn:managem:pokemon:set/151/card/{i}"),
            Condition = ListingCondition.NearMint,
            Language = "English",
            Price = Money.Gbp(1m),
            Quantity = 1,
        }).ToList();
        var desired = remote.Select(l => new ListingDraft { Reference = l.Reference, Item = l.Item, Condition = l.Condition, Language = l.Language, Price = l.Price, Quantity = l.Quantity }).ToList();
        var reconciler = new Reconciler(store);

        var plan = await reconciler.PlanAsync("managem", SellerScope.Default, Stream(desired), Stream(remote));
        var result = await reconciler.ApplyAsync(new NoWritesChannel(), plan);

        result.Of(PlanAction.Link).Count().ShouldBe(1_200);
        result.Of(PlanAction.Link).ShouldAllBe(r => r.Status == Sdk.Channels.ListingWriteStatus.Succeeded);
        store.BatchWrites.ShouldBe(3, "500 + 500 + 200");
        var mapped = 0;
        await foreach (var mapping in store.ListAsync(Scope))
        {
            mapping.ListingId.ShouldBe("lst_" + mapping.Reference[4..]);
            mapped++;
        }

        mapped.ShouldBe(1_200);
        (await reconciler.PlanAsync("managem", SellerScope.Default, Stream(desired), Stream(remote))).HasChanges.ShouldBeFalse();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_listing_streamed_twice_counts_once_and_a_second_listing_with_the_reference_is_not_adopted(bool mappedBefore)
    {
        // A first sync (nothing mapped) indexes referenced listings by reference only; with mappings, by id as well.
        // Both must see a listing that a shifted page streamed twice once, and adopt the first listing carrying a reference.
        var store = new InMemoryMappingStore();
        if (mappedBefore)
        {
            await store.UpsertAsync(new ListingMapping { Scope = Scope, Reference = "other", ListingId = "lst_other" });
        }

        Listing Remote(string id, decimal price) => new()
        {
            Id = id, Reference = "sku-1", Item = ItemIdentity.FromUrn("urn:managem:pokemon:set/151/card/1"), Condition = ListingCondition.NearMint,
            Language = "English", Price = Money.Gbp(price), Quantity = 1,
        };
        var first = Remote("lst_1", 1m);
        var desired = new ListingDraft { Reference = "sku-1", Item = first.Item, Condition = first.Condition, Language = first.Language, Price = first.Price, Quantity = 1 };

        var plan = await new Reconciler(store).PlanAsync("managem", SellerScope.Default, Stream([desired]), Stream([first, Remote("lst_2", 3m), first, Remote("lst_2", 3m)]),
            new ReconcilerOptions { UnknownRemote = UnknownRemotePolicy.Report });

        plan.RemoteCount.ShouldBe(2);
        plan.Steps.Where(s => s.Action == PlanAction.Link).ShouldHaveSingleItem().ListingId.ShouldBe("lst_1");
        plan.Count(PlanAction.Create).ShouldBe(0);
        plan.Count(PlanAction.Update).ShouldBe(0);
    }

    /// <summary>A channel that must not be written to: links touch the mapping store only.</summary>
    private sealed class NoWritesChannel : Sdk.Channels.IListingChannel
    {
        public string Name => "managem";

        public Sdk.Channels.ChannelCapabilities Capabilities => Sdk.Channels.ChannelCapabilities.ReadListings;

        public IReadOnlyList<Sdk.Channels.ListingMatchKey> MatchKeys => [Sdk.Channels.ListingMatchKey.UrnConditionLanguage];

        public ListingFields Fields => ListingFields.All;

        public Task<Sdk.Channels.ListingPage<Listing>> GetListingsPageAsync(SellerScope seller, string? continuationToken = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<Listing> GetListingsAsync(SellerScope seller, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Listing?> GetListingAsync(SellerScope seller, string listingId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<Sdk.Channels.ListingWriteResult>> CreateListingsAsync(SellerScope seller, IReadOnlyList<ListingDraft> drafts, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Sdk.Channels.ListingWriteResult> UpdateListingAsync(SellerScope seller, string listingId, ListingDraft draft, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Sdk.Channels.ListingWriteResult> RemoveListingAsync(SellerScope seller, string listingId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
