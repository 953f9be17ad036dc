using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.DependencyInjection;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;
using ListingSync.Sdk.Testing;
using ListingSync.Sdk.Tests.Emulator;
using Microsoft.Extensions.DependencyInjection;

namespace ListingSync.Sdk.Tests.Contracts;

/// <summary>The core's channel-neutral behaviour: adoption by each channel's match keys, channels that cannot list, plans that keep their options.</summary>
public class ChannelNeutralCoreTests
{
    private static readonly SellerScope Seller = new("seller-1");

    [Fact]
    public void Every_registered_channel_answers_what_it_can_do_through_IChannel()
    {
        var services = new ServiceCollection();
        services.AddListingSync()
            .AddManagem(o => o.AccessToken = "t")
            .AddJtl(o => o.RefreshToken = "r")
            .AddEventProcessing()
            .AddInMemoryMappingStore();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var channels = provider.GetServices<IChannel>().ToDictionary(c => c.Name);

        channels.Keys.Order().ShouldBe(["jtl", "managem"]);
        channels["managem"].Capabilities.HasFlag(ChannelCapabilities.ReadListings).ShouldBeTrue();
        channels["jtl"].Capabilities.HasFlag(ChannelCapabilities.StatusReports).ShouldBeTrue();
        channels["jtl"].Capabilities.HasFlag(ChannelCapabilities.CreateListings).ShouldBeFalse();
        channels["jtl"].ShouldBeAssignableTo<IListingStatusReporter>();
    }

    [Fact]
    public async Task A_managem_listing_without_a_reference_is_adopted_by_urn_condition_and_language_not_created_again()
    {
        await using var session = await EmulatorSession.StartAsync();
        var item = session.Emulator.Catalogue.Items[3];
        session.Emulator.SeedListings(EmulatorSession.SellerId, [(item.Urn, 250, 1, null)]); // listed by hand before the integration
        var draft = new ListingDraft { Reference = "host-3", Item = ItemIdentity.FromUrn(item.Urn), Condition = ListingCondition.NearMint, Language = "English", Price = Money.Gbp(3m), Quantity = 1 };
        var store = new InMemoryMappingStore();
        var reconciler = new Reconciler(store);

        var plan = await reconciler.PlanAsync(session.Channel, Seller, new[] { draft }.ToAsyncEnumerable());
        await reconciler.ApplyAsync(session.Channel, plan);

        plan.Count(PlanAction.Create).ShouldBe(0);
        plan.Steps.Single(s => s.Action == PlanAction.Link).Reason.ShouldBe("adopted by identity (URN, condition, language)");
        plan.Steps.Single(s => s.Action == PlanAction.Update).ChangedFields.ShouldBe(ListingFields.Price);
        var listing = session.Emulator.Listings(EmulatorSession.SellerId).ShouldHaveSingleItem();
        listing.Price.ShouldBe(300);
        (await store.FindByReferenceAsync(new MappingScope("managem", Seller), "host-3"))!.ListingId.ShouldBe(listing.Id);
    }

    [Fact]
    public async Task A_sku_keyed_listing_without_a_reference_is_adopted_by_sku_and_a_second_plan_changes_nothing()
    {
        var channel = new InMemoryListingChannel("shop");
        var existing = channel.Seed(Seller, [ListingChannelContractTests.SkuDraft(7) with { Reference = null, Price = Money.Eur(12m) }]).Single();
        var desired = new[] { ListingChannelContractTests.SkuDraft(7, reference: "prod-7"), ListingChannelContractTests.SkuDraft(8, reference: "prod-8") };
        var store = new InMemoryMappingStore();
        var reconciler = new Reconciler(store);

        var plan = await reconciler.PlanAsync(channel, Seller, desired.ToAsyncEnumerable());
        await reconciler.ApplyAsync(channel, plan);
        var again = await reconciler.PlanAsync(channel, Seller, desired.ToAsyncEnumerable());

        var link = plan.Steps.Single(s => s.Action == PlanAction.Link);
        (link.Reference, link.ListingId, link.Reason).ShouldBe(("prod-7", existing.Id, "adopted by identity (SKU)"));
        plan.Steps.Single(s => s.Action == PlanAction.Create).Reference.ShouldBe("prod-8");
        channel.Listings(Seller).Count.ShouldBe(2);
        channel.Listings(Seller).Single(l => l.Id == existing.Id).Price.ShouldBe(Money.Eur(17m)); // the host's price
        again.HasChanges.ShouldBeFalse();
    }

    [Fact]
    public async Task Without_sku_among_its_match_keys_the_same_listing_would_be_created_twice()
    {
        // The reason match keys exist: adopting by URN alone (the old fallback) does not see an SKU-keyed listing.
        var channel = new InMemoryListingChannel("shop");
        channel.Seed(Seller, [ListingChannelContractTests.SkuDraft(7) with { Reference = null }]);
        var options = new ReconcilerOptions { MatchKeys = [ListingMatchKey.UrnConditionLanguage] };

        var plan = await new Reconciler(new InMemoryMappingStore()).PlanAsync(channel, Seller, new[] { ListingChannelContractTests.SkuDraft(7, reference: "prod-7") }.ToAsyncEnumerable(), options);

        plan.Count(PlanAction.Create).ShouldBe(1);
        plan.Count(PlanAction.FlagUnknown).ShouldBe(1);
    }

    [Fact]
    public async Task A_channel_that_cannot_list_is_planned_from_the_mapping_store_with_per_listing_reads_and_says_what_it_cannot_see()
    {
        var channel = new InMemoryListingChannel("one-by-one", ChannelCapabilities.GetListing | ChannelCapabilities.CreateListings | ChannelCapabilities.UpdateListings | ChannelCapabilities.StoresReference);
        var store = new InMemoryMappingStore();
        var reconciler = new Reconciler(store);
        var desired = Enumerable.Range(0, 40).Select(i => ListingChannelContractTests.SkuDraft(i)).ToList();
        await reconciler.ApplyAsync(channel, await reconciler.PlanAsync(channel, Seller, desired.ToAsyncEnumerable()));
        var listings = channel.Listings(Seller);
        listings.Count.ShouldBe(40);

        // Outside the host: the seller edits one listing's price, deletes another, and lists a product by hand.
        (await channel.UpdateListingAsync(Seller, listings[5].Id, desired[5] with { Price = Money.Eur(99m) })).IsSuccess.ShouldBeTrue();
        channel.DeleteBySeller(Seller, listings[9].Id).ShouldBeTrue();
        channel.Seed(Seller, [ListingChannelContractTests.SkuDraft(500) with { Reference = null }]);
        var progress = new List<PlanningProgress>();
        var plan = await reconciler.PlanAsync(channel, Seller, desired.ToAsyncEnumerable(), new ReconcilerOptions { MaxConcurrency = 8, PlanProgress = new SyncProgress<PlanningProgress>(progress.Add) });

        plan.RemoteCount.ShouldBe(39); // the 39 mapped listings still there, read one by one; the hand-made one is unseen
        plan.Steps.Single(s => s.Action == PlanAction.Update).Reference.ShouldBe(desired[5].Reference);
        plan.Steps.Single(s => s.Action == PlanAction.Create).ShouldSatisfyAllConditions(
            s => s.Reference.ShouldBe(desired[9].Reference),
            s => s.Reason.ShouldBe("re-list: the listing disappeared"));
        plan.Drift.Select(d => d.Reference).Order().ShouldBe([desired[5].Reference, desired[9].Reference]);
        plan.Limitations.ShouldHaveSingleItem().ShouldContain("listings created outside the host");
        plan.ToTable().ShouldContain("Cannot see: one-by-one cannot list");
        plan.ToJson().ShouldContain("\"limitations\"");
        progress.Select(p => p.Phase).Distinct().ShouldBe([PlanningPhase.Mappings, PlanningPhase.Remote, PlanningPhase.Desired, PlanningPhase.Finished]);
        progress[^1].ShouldBe(new PlanningProgress(PlanningPhase.Finished, 40, 40, 40, 0)); // 40 reads, one answered "gone"
    }

    [Fact]
    public async Task On_a_channel_that_cannot_list_a_create_of_unknown_outcome_is_flagged_not_repeated_and_a_refused_one_is_retried()
    {
        var channel = new InMemoryListingChannel("one-by-one", ChannelCapabilities.GetListing | ChannelCapabilities.CreateListings | ChannelCapabilities.UpdateListings | ChannelCapabilities.StoresReference);
        var store = new InMemoryMappingStore();
        var reconciler = new Reconciler(store);
        var scope = new MappingScope(channel.Name, Seller);
        var desired = new[] { ListingChannelContractTests.SkuDraft(1), ListingChannelContractTests.SkuDraft(2) };
        // The first create was applied but its answer lost; the second was refused outright by the marketplace earlier.
        channel.LoseNextCreateAnswers(1);
        await reconciler.ApplyAsync(channel, await reconciler.PlanAsync(channel, Seller, desired.Take(1).ToAsyncEnumerable()));
        await store.UpsertAsync(new ListingMapping { Scope = scope, Reference = desired[1].Reference!, NeedsReview = "create failed: price: marketplace-rejected" });

        var plan = await reconciler.PlanAsync(channel, Seller, desired.ToAsyncEnumerable());
        await reconciler.ApplyAsync(channel, plan);

        var uncertain = plan.Steps.Single(s => s.Action == PlanAction.FlagUncertain);
        uncertain.Reference.ShouldBe(desired[0].Reference);
        uncertain.Reason!.ShouldContain("outcome is unknown");
        plan.Steps.Single(s => s.Action == PlanAction.Create).Reference.ShouldBe(desired[1].Reference);
        channel.Listings(Seller).Select(l => l.Reference).Order().ShouldBe([desired[0].Reference, desired[1].Reference]); // once each
    }

    [Fact]
    public async Task A_mapped_listing_whose_read_fails_flags_its_product_and_does_not_stop_the_plan()
    {
        var inner = new InMemoryListingChannel("one-by-one", ChannelCapabilities.GetListing | ChannelCapabilities.CreateListings | ChannelCapabilities.UpdateListings | ChannelCapabilities.StoresReference);
        var store = new InMemoryMappingStore();
        var reconciler = new Reconciler(store);
        var desired = Enumerable.Range(0, 5).Select(i => ListingChannelContractTests.SkuDraft(i)).ToList();
        await reconciler.ApplyAsync(inner, await reconciler.PlanAsync(inner, Seller, desired.ToAsyncEnumerable()));
        var broken = inner.Listings(Seller)[2].Id;
        var channel = new FailingReads(inner, broken);

        var plan = await reconciler.PlanAsync(channel, Seller, desired.ToAsyncEnumerable());

        plan.RemoteCount.ShouldBe(4);
        plan.Count(PlanAction.Create).ShouldBe(0);
        plan.Steps.Single(s => s.Action == PlanAction.FlagUncertain).ShouldSatisfyAllConditions(
            s => s.Reference.ShouldBe(desired[2].Reference),
            s => s.ListingId.ShouldBe(broken));
        plan.UnchangedCount.ShouldBe(4);
    }

    [Fact]
    public async Task A_channel_that_can_neither_list_nor_read_is_refused_naming_both_capabilities()
    {
        var channel = new InMemoryListingChannel("write-only", ChannelCapabilities.CreateListings);

        var error = await Should.ThrowAsync<NotSupportedException>(() => new Reconciler(new InMemoryMappingStore()).PlanAsync(channel, Seller, AsyncEnumerable.Empty<ListingDraft>()));

        error.Message.ShouldContain("ReadListings");
        error.Message.ShouldContain("GetListing");
    }

    [Fact]
    public async Task The_import_threshold_given_to_the_plan_holds_at_apply_without_passing_the_options_again()
    {
        await using var session = await EmulatorSession.StartAsync();
        var items = session.Emulator.Catalogue.Items;
        var desired = Enumerable.Range(0, 150).Select(i => new ListingDraft
        {
            Reference = $"host-{i}", Item = ItemIdentity.FromUrn(items[i].Urn), Condition = ListingCondition.NearMint, Language = "English", Price = Money.Gbp(1m), Quantity = 1,
        }).ToList();
        var reconciler = new Reconciler(new InMemoryMappingStore());

        var plan = await reconciler.PlanAsync(session.Channel, Seller, desired.ToAsyncEnumerable(), new ReconcilerOptions { ImportThreshold = 100 });
        var result = await reconciler.ApplyAsync(session.Channel, plan);

        result.Of(PlanAction.Create).Count(r => r.Status == ListingWriteStatus.Succeeded).ShouldBe(150);
        session.Emulator.RouteCounts.GetValueOrDefault("POST /seller/imports").ShouldBe(1);
        session.Emulator.RouteCounts.GetValueOrDefault("POST /seller/listings/bulk").ShouldBe(0);
    }

    /// <summary>Reports synchronously, so a test sees every report before the call returns.</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value)
        {
            lock (this)
            {
                report(value);
            }
        }
    }

    /// <summary>A channel whose read of one listing fails with a request error.</summary>
    private sealed class FailingReads(InMemoryListingChannel inner, string failingId) : DelegatingListingChannel(inner)
    {
        public override Task<Listing?> GetListingAsync(SellerScope seller, string listingId, CancellationToken cancellationToken = default) =>
            listingId == failingId ? throw new ListingSyncRequestException("read failed") { Channel = Name } : base.GetListingAsync(seller, listingId, cancellationToken);
    }
}
