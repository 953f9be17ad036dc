using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;
using ListingSync.Sdk.Testing.Managem;
using ListingSync.Sdk.Tests.Emulator;

namespace ListingSync.Sdk.Tests.Reconciliation;

public class ReconcilerTests
{
    private static readonly SellerScope Seller = new(EmulatorSession.SellerId);
    private static readonly MappingScope Scope = new("managem", Seller);

    private static ListingDraft Desired(EmulatedItem item, int i, decimal price = 1.50m, int quantity = 2) => new()
    {
        Reference = $"prod-{i:D5}",
        Item = ItemIdentity.FromUrn(item.Urn),
        Condition = ListingCondition.NearMint,
        Language = "English",
        Price = Money.Gbp(price),
        Quantity = quantity,
    };

    private static async IAsyncEnumerable<ListingDraft> Stream(IEnumerable<ListingDraft> drafts)
    {
        foreach (var draft in drafts)
        {
            yield return draft;
        }

        await Task.CompletedTask;
    }

    private static async Task<ReconciliationPlan> Plan(EmulatorSession session, IMappingStore store, IEnumerable<ListingDraft> desired, ReconcilerOptions? options = null) =>
        await new Reconciler(store).PlanAsync(session.Channel, Seller, Stream(desired), options);

    private static async Task AssertMappingMatchesEmulator(EmulatorSession session, IMappingStore store, int expected)
    {
        var listings = session.Emulator.Listings(EmulatorSession.SellerId).Where(l => l.Reference is not null).ToDictionary(l => l.Reference!);
        var mappings = new List<ListingMapping>();
        await foreach (var mapping in store.ListAsync(Scope))
        {
            mappings.Add(mapping);
        }

        mappings.Count(m => m.IsActive).ShouldBe(expected);
        foreach (var mapping in mappings.Where(m => m.IsActive))
        {
            listings.ShouldContainKey(mapping.Reference);
            mapping.ListingId.ShouldBe(listings[mapping.Reference].Id, $"mapping of {mapping.Reference}");
        }
    }

    [Fact]
    public async Task A_first_plan_adopts_by_reference_and_identity_creates_the_rest_reports_the_unknown_and_duplicates_and_sends_nothing()
    {
        await using var session = await EmulatorSession.StartAsync();
        var items = session.Emulator.Catalogue.Items;
        var desired = Enumerable.Range(0, 20).Select(i => Desired(items[i], i)).ToList();
        session.Emulator.SeedListings(EmulatorSession.SellerId, [(items[0].Urn, 150, 2, "prod-00000"), (items[1].Urn, 999, 2, "prod-00001")]); // ours from an earlier run; 1 has another price
        session.Emulator.SeedListings(EmulatorSession.SellerId, [(items[2].Urn, 150, 2, null)]); // listed by hand, same identity: adopt
        session.Emulator.SeedListings(EmulatorSession.SellerId, [(items[30].Urn, 500, 1, null), (items[30].Urn, 500, 1, null)]); // unknown, and duplicated
        var requestsBefore = session.Emulator.RouteCounts.GetValueOrDefault("POST /seller/listings/bulk");

        var plan = await Plan(session, new InMemoryMappingStore(), desired);

        plan.Count(PlanAction.Link).ShouldBe(3);
        plan.Count(PlanAction.Create).ShouldBe(17);
        plan.Steps.Where(s => s.Action == PlanAction.Update).ShouldHaveSingleItem().ChangedFields.ShouldBe(ListingFields.Price);
        plan.Count(PlanAction.FlagUnknown).ShouldBe(2);
        plan.Steps.Where(s => s.Action == PlanAction.FlagDuplicate).ShouldHaveSingleItem().RelatedListingIds.Count.ShouldBe(2);
        plan.Steps.Single(s => s.Action == PlanAction.Link && s.Reference == "prod-00002").Reason!.ShouldContain("identity");
        session.Emulator.RouteCounts.GetValueOrDefault("POST /seller/listings/bulk").ShouldBe(requestsBefore);
        plan.ToTable().ShouldContain("Create");
        plan.ToJson().ShouldContain("\"Create\": 17");
    }

    [Fact]
    public async Task Bad_input_is_reported_per_item_in_the_plan_and_never_sent()
    {
        await using var session = await EmulatorSession.StartAsync();
        var items = session.Emulator.Catalogue.Items;
        var desired = new[]
        {
            Desired(items[0], 0),
            Desired(items[1], 1) with { Item = new ItemIdentity() },
            Desired(items[2], 2, price: -1m),
            Desired(items[3], 3, quantity: -4),
            Desired(items[4], 4) with { Reference = "prod-00000" },
            Desired(items[5], 5) with { Reference = new string('x', 256) },
            Desired(items[6], 6) with { Reference = null },
        };
        var store = new InMemoryMappingStore();

        var plan = await Plan(session, store, desired);
        var result = await new Reconciler(store).ApplyAsync(session.Channel, plan);

        var rejects = plan.Steps.Where(s => s.Action == PlanAction.Reject).ToList();
        rejects.Count.ShouldBe(6);
        rejects.SelectMany(r => r.Errors).Select(e => (e.Field, e.Rule)).ShouldBe(
            [("item", "identity-required"), ("price", "non-negative"), ("quantity", "non-negative"), ("reference", "unique"), ("reference", "max-length"), ("reference", "required")],
            ignoreOrder: true);
        session.Emulator.Listings(EmulatorSession.SellerId).ShouldHaveSingleItem().Reference.ShouldBe("prod-00000");
        result.Of(PlanAction.Reject).Count().ShouldBe(6);
        result.Of(PlanAction.Reject).ShouldAllBe(r => r.Status == ListingWriteStatus.Rejected);
    }

    [Fact]
    public async Task Apply_then_plan_again_reports_zero_changes_and_the_mapping_matches_the_marketplace()
    {
        await using var session = await EmulatorSession.StartAsync();
        var items = session.Emulator.Catalogue.Items;
        var desired = Enumerable.Range(0, 300).Select(i => Desired(items[i], i)).ToList();
        session.Emulator.SeedListings(EmulatorSession.SellerId, [(items[0].Urn, 150, 2, "prod-00000")]);
        var store = new InMemoryMappingStore();
        var progress = new List<ReconciliationProgress>();

        var plan = await Plan(session, store, desired);
        var result = await new Reconciler(store).ApplyAsync(session.Channel, plan, new ReconcilerOptions { CreateBatchSize = 100 }, new SynchronousProgress(progress.Add));
        var again = await Plan(session, store, desired);

        result.NotSucceeded.ShouldBe(0);
        result.Results.Count.ShouldBe(300);
        progress.Last().Completed.ShouldBe(300);
        progress.Select(p => p.Completed).ShouldBeInOrder();
        again.HasChanges.ShouldBeFalse(again.ToTable());
        again.UnchangedCount.ShouldBe(300);
        session.Emulator.Listings(EmulatorSession.SellerId).Count.ShouldBe(300);
        await AssertMappingMatchesEmulator(session, store, 300);
    }

    [Fact]
    public async Task A_create_batch_larger_than_one_lookup_url_still_records_every_new_listing_id()
    {
        // 600 creates in one batch: looking their ids up by URN takes several calls (a single URL would exceed
        // Kestrel's 8 KB request line), and every id must land in the mapping before the next plan.
        await using var session = await EmulatorSession.StartAsync(new ManagemEmulatorOptions { GeneratedItems = 600 });
        var items = session.Emulator.Catalogue.Items;
        var desired = Enumerable.Range(0, 600).Select(i => Desired(items[i], i)).ToList();
        var store = new InMemoryMappingStore();

        var result = await new Reconciler(store).ApplyAsync(session.Channel, await Plan(session, store, desired));

        result.NotSucceeded.ShouldBe(0);
        var mappings = await store.ListAsync(Scope).ToListAsync();
        mappings.Count(m => m.ListingId is not null).ShouldBe(600);
        (await Plan(session, store, desired)).HasChanges.ShouldBeFalse();
        await AssertMappingMatchesEmulator(session, store, 600);
    }

    [Fact]
    public async Task Updates_write_only_the_owned_fields_that_differ_and_drift_is_reported()
    {
        await using var session = await EmulatorSession.StartAsync();
        var items = session.Emulator.Catalogue.Items;
        var store = new InMemoryMappingStore();
        var reconciler = new Reconciler(store);
        var desired = Enumerable.Range(0, 5).Select(i => Desired(items[i], i) with { Notes = "host notes" }).ToList();
        await reconciler.ApplyAsync(session.Channel, await Plan(session, store, desired));
        var listings = session.Emulator.Listings(EmulatorSession.SellerId);
        // The seller edits listing 0 on the marketplace; a buyer's order cannot change `quantity` here, only `available`.
        await session.Client.Listings.UpdateAsync(Seller, listings[0].Id, desired[0] with { Quantity = 9, Notes = "seller's own notes" });
        desired[1] = desired[1] with { Price = Money.Gbp(3.25m) };

        var options = new ReconcilerOptions { OwnedFields = ListingFields.All & ~ListingFields.Notes };
        var plan = await Plan(session, store, desired, options);
        await reconciler.ApplyAsync(session.Channel, plan, options);

        plan.Steps.Where(s => s.Action == PlanAction.Update).Select(s => (s.Reference, s.ChangedFields)).ShouldBe(
            [("prod-00000", ListingFields.Quantity), ("prod-00001", ListingFields.Price)], ignoreOrder: true);
        plan.Drift.ShouldHaveSingleItem().Fields.ShouldBe(ListingFields.Quantity);
        var after = session.Emulator.Listings(EmulatorSession.SellerId);
        after[0].Quantity.ShouldBe(2);
        after[0].Notes.ShouldBe("seller's own notes"); // not owned by the host: kept
        after[1].Price.ShouldBe(325);
        (await Plan(session, store, desired, options)).HasChanges.ShouldBeFalse();
    }

    [Fact]
    public async Task An_update_is_recorded_on_top_of_what_another_writer_put_in_the_mapping_after_the_plan()
    {
        // The apply records updates on top of the mapping the plan read, without reading it again; a mapping another
        // writer (a webhook handler) changed in between must be read afresh, not overwritten with the plan's copy.
        await using var session = await EmulatorSession.StartAsync();
        var items = session.Emulator.Catalogue.Items;
        var store = new Sqlite.SqliteMappingStore(Path.Combine(Directory.CreateTempSubdirectory("ls-stale-").FullName, "map.db"));
        var reconciler = new Reconciler(store);
        await reconciler.ApplyAsync(session.Channel, await Plan(session, store, Enumerable.Range(0, 3).Select(i => Desired(items[i], i))));
        var repriced = Enumerable.Range(0, 3).Select(i => Desired(items[i], i, price: 2.75m)).ToList();
        var plan = await Plan(session, store, repriced);
        var theirs = await store.UpsertAsync((await store.FindByReferenceAsync(Scope, "prod-00001"))! with { RemoteVersion = "from-a-webhook" });

        var result = await reconciler.ApplyAsync(session.Channel, plan);

        result.Of(PlanAction.Update).Count().ShouldBe(3);
        result.NotSucceeded.ShouldBe(0);
        var after = (await store.FindByReferenceAsync(Scope, "prod-00001"))!;
        after.State!.Price.ShouldBe(Money.Gbp(2.75m));
        after.RemoteVersion.ShouldBe("from-a-webhook");
        after.Version.ShouldBe(theirs.Version + 1);
        (await store.FindByReferenceAsync(Scope, "prod-00002"))!.State!.Price.ShouldBe(Money.Gbp(2.75m));
        (await Plan(session, store, repriced)).HasChanges.ShouldBeFalse();
    }

    [Fact]
    public async Task A_dropped_product_is_removed_and_its_mapping_marked_inactive()
    {
        await using var session = await EmulatorSession.StartAsync();
        var items = session.Emulator.Catalogue.Items;
        var store = new InMemoryMappingStore();
        var reconciler = new Reconciler(store);
        var desired = Enumerable.Range(0, 4).Select(i => Desired(items[i], i)).ToList();
        await reconciler.ApplyAsync(session.Channel, await Plan(session, store, desired));

        var plan = await Plan(session, store, desired.Take(3));
        var result = await reconciler.ApplyAsync(session.Channel, plan);

        plan.Steps.Where(s => s.Action == PlanAction.Remove).ShouldHaveSingleItem().Reference.ShouldBe("prod-00003");
        result.Of(PlanAction.Remove).ShouldHaveSingleItem().Status.ShouldBe(ListingWriteStatus.Succeeded);
        session.Emulator.Listings(EmulatorSession.SellerId).Count.ShouldBe(3);
        (await store.FindByReferenceAsync(Scope, "prod-00003"))!.IsActive.ShouldBeFalse();
    }

    [Fact]
    public async Task Killed_half_way_then_run_again_ends_with_exactly_one_listing_per_product()
    {
        await using var session = await EmulatorSession.StartAsync();
        var items = session.Emulator.Catalogue.Items;
        var store = new Sqlite.SqliteMappingStore(Path.Combine(Directory.CreateTempSubdirectory("ls-kill-").FullName, "map.db"));
        var desired = Enumerable.Range(0, 1000).Select(i => Desired(items[i], i)).ToList();
        var options = new ReconcilerOptions { CreateBatchSize = 100 };
        using var kill = new CancellationTokenSource();

        var first = await Plan(session, store, desired, options);
        await Should.ThrowAsync<OperationCanceledException>(() => new Reconciler(store).ApplyAsync(session.Channel, first, options, new SynchronousProgress(p =>
        {
            if (p.Completed >= 350)
            {
                kill.Cancel();
            }
        }), kill.Token));
        // A batch in flight at the kill may still land, as a marketplace finishes a write whose caller is gone: count
        // what the kill left once the emulator is idle (counting earlier made the expected creates racy).
        await session.Emulator.WaitUntilIdleAsync();
        var createdBeforeKill = session.Emulator.Listings(EmulatorSession.SellerId).Count;

        var second = await Plan(session, store, desired, options);
        var result = await new Reconciler(store).ApplyAsync(session.Channel, second, options);
        var third = await Plan(session, store, desired, options);

        createdBeforeKill.ShouldBeInRange(350, 999);
        second.Count(PlanAction.Create).ShouldBe(1000 - createdBeforeKill);
        result.NotSucceeded.ShouldBe(0);
        var references = session.Emulator.Listings(EmulatorSession.SellerId).Select(l => l.Reference).ToList();
        references.Count.ShouldBe(1000);
        references.Distinct().Count().ShouldBe(1000);
        third.HasChanges.ShouldBeFalse(third.ToTable());
        await AssertMappingMatchesEmulator(session, store, 1000);
    }

    [Fact]
    public async Task Creates_whose_outcome_is_unknown_are_adopted_on_the_next_run_not_duplicated()
    {
        await using var session = await EmulatorSession.StartAsync(
            new ManagemEmulatorOptions { Seed = 3, AmbiguousWriteErrorRate = 0.5 },
            o => { o.VerifyAmbiguousCreates = false; o.ResolveCreatedListingIds = false; o.BulkBatchSize = 20; });
        var items = session.Emulator.Catalogue.Items;
        var store = new InMemoryMappingStore();
        var desired = Enumerable.Range(0, 200).Select(i => Desired(items[i], i)).ToList();
        var options = new ReconcilerOptions { ResolveCreatedIds = false };

        var result = await new Reconciler(store).ApplyAsync(session.Channel, await Plan(session, store, desired, options), options);
        var next = await Plan(session, store, desired, options);

        result.Of(PlanAction.Create).Count(r => r.Status == ListingWriteStatus.Unknown).ShouldBeGreaterThan(0);
        next.Count(PlanAction.Create).ShouldBe(0);
        next.Count(PlanAction.Link).ShouldBe(200);
        session.Emulator.Listings(EmulatorSession.SellerId).Count.ShouldBe(200);
    }

    [Fact]
    public async Task Policies_remove_unknown_listings_and_keep_one_of_each_duplicate_group()
    {
        await using var session = await EmulatorSession.StartAsync();
        var items = session.Emulator.Catalogue.Items;
        session.Emulator.SeedListings(EmulatorSession.SellerId, [(items[0].Urn, 150, 2, null), (items[0].Urn, 150, 2, null), (items[40].Urn, 700, 1, null)]);
        var store = new InMemoryMappingStore();
        var options = new ReconcilerOptions { UnknownRemote = UnknownRemotePolicy.Remove, Duplicates = DuplicatePolicy.KeepOne };

        var plan = await Plan(session, store, [Desired(items[0], 0)], options);
        await new Reconciler(store).ApplyAsync(session.Channel, plan, options);

        plan.Count(PlanAction.Link).ShouldBe(1);
        plan.Count(PlanAction.Remove).ShouldBe(2); // the unknown one and the unclaimed duplicate
        session.Emulator.Listings(EmulatorSession.SellerId).ShouldHaveSingleItem().Item.Urn.ShouldBe(items[0].Urn);
    }

    [Fact]
    public async Task With_a_resolver_identities_are_resolved_and_the_unresolvable_are_flagged_not_sent()
    {
        await using var session = await EmulatorSession.StartAsync();
        var catalogue = session.Emulator.Catalogue;
        var charizard = catalogue.BuiltIn.Single(i => i.Name == "Charizard");
        var desired = new[]
        {
            Desired(charizard, 1) with { Item = new ItemIdentity { CardmarketId = charizard.CardmarketId } },
            Desired(charizard, 2) with { Item = new ItemIdentity { Game = "Pokemon", Set = "Base Set", Name = "Pikachu" }, Condition = ListingCondition.LightlyPlayed },
        };
        var store = new InMemoryMappingStore();
        var options = new ReconcilerOptions { IdentityResolver = new Channels.Managem.ManagemIdentityResolver(session.Client) };

        var plan = await Plan(session, store, desired, options);
        await new Reconciler(store).ApplyAsync(session.Channel, plan, options);

        plan.Steps.Where(s => s.Action == PlanAction.Create).ShouldHaveSingleItem().Desired!.Item.Urn.ShouldBe(charizard.Urn);
        plan.Steps.Where(s => s.Action == PlanAction.FlagUnresolved).ShouldHaveSingleItem().Reason!.ShouldContain("Ambiguous");
        session.Emulator.Listings(EmulatorSession.SellerId).ShouldHaveSingleItem().Reference.ShouldBe("prod-00001");
        (await store.FindByReferenceAsync(Scope, "prod-00002"))!.NeedsReview!.ShouldContain("unresolved identity");
    }

    [Fact]
    public async Task Resolved_identities_are_remembered_in_the_mapping_store_so_a_new_process_looks_nothing_up_again()
    {
        await using var session = await EmulatorSession.StartAsync();
        var items = session.Emulator.Catalogue.Items.Where(i => i.CardmarketId is not null).Take(30).ToList();
        // Known to the host by Cardmarket id only; ten of them are already listed on Managem with the host's reference.
        var desired = items.Select((item, i) => Desired(item, i) with { Item = new ItemIdentity { CardmarketId = item.CardmarketId } }).ToList();
        session.Emulator.SeedListings(EmulatorSession.SellerId, items.Take(10).Select((item, i) => (item.Urn, 150L, 1 + (i % 3), (string?)$"prod-{i:D5}")));
        var store = new InMemoryMappingStore();
        const string Lookup = "GET /items/cardmarket/{id:long}";

        var first = new ReconcilerOptions { IdentityResolver = new Channels.Managem.ManagemIdentityResolver(session.Client) };
        await new Reconciler(store).ApplyAsync(session.Channel, await Plan(session, store, desired, first));
        session.Emulator.RouteCounts[Lookup].ShouldBe(30);

        // A new process: a fresh resolver with an empty memory, the same store.
        var second = new ReconcilerOptions { IdentityResolver = new Channels.Managem.ManagemIdentityResolver(session.Client) };
        var again = await Plan(session, store, desired, second);

        session.Emulator.RouteCounts[Lookup].ShouldBe(30); // no lookup for ids the mapping already resolved
        again.HasChanges.ShouldBeFalse();
        again.UnchangedCount.ShouldBe(30);

        // A host identifier that changed is looked up again, not trusted from the mapping.
        var moved = desired.ToList();
        moved[0] = moved[0] with { Item = new ItemIdentity { CardmarketId = items[29].CardmarketId } };
        await Plan(session, store, moved, new ReconcilerOptions { IdentityResolver = new Channels.Managem.ManagemIdentityResolver(session.Client) });
        session.Emulator.RouteCounts[Lookup].ShouldBe(31);
    }

    private sealed class SynchronousProgress(Action<ReconciliationProgress> report) : IProgress<ReconciliationProgress>
    {
        private readonly object _gate = new();

        public void Report(ReconciliationProgress value)
        {
            lock (_gate)
            {
                report(value);
            }
        }
    }
}
