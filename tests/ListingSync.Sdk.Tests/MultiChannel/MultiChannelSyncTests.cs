using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Channels.Instica;
using ListingSync.Sdk.Channels.Shopiro;
using ListingSync.Sdk.Http;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.MultiChannel;
using ListingSync.Sdk.Reconciliation;
using ListingSync.Sdk.Testing.Instica;
using ListingSync.Sdk.Testing.Managem;
using ListingSync.Sdk.Testing.Shopiro;
using ListingSync.Sdk.Tests.Emulator;
using Microsoft.Extensions.DependencyInjection;

namespace ListingSync.Sdk.Tests.MultiChannel;

/// <summary>Issue 18 (first part): one inventory on Managem, Instica (eBay) and Shopiro at once, against their emulators over loopback.</summary>
public sealed class MultiChannelSyncTests : IAsyncLifetime
{
    private const int Products = 12;
    private static readonly SellerScope Seller = new(EmulatorSession.SellerId);
    private EmulatorSession _managem = null!;
    private InsticaEmulator _instica = null!;
    private ShopiroEmulator _shopiro = null!;
    private ServiceProvider _services = null!;
    private List<ListingDraft> _inventory = null!;

    public async Task InitializeAsync()
    {
        _managem = await EmulatorSession.StartAsync(new ManagemEmulatorOptions { GeneratedItems = 50 });
        _instica = await InsticaEmulator.StartAsync();
        _instica.AddSeller(EmulatorSession.SellerId, "tok-i", null, "ebay");
        _shopiro = await ShopiroEmulator.StartAsync();
        _shopiro.AddSeller(90000001, "tok-s");
        var services = new ServiceCollection();
        services.AddListingSync()
            .AddInstica(o =>
            {
                o.BaseAddress = _instica.BaseAddress;
                o.Sellers[EmulatorSession.SellerId] = new SellerCredentials { AccessToken = "tok-i" };
                o.RateLimit.PermitsPerSecond = 1_000;
                o.RateLimit.Burst = 1_000;
            })
            .AddShopiro(o =>
            {
                o.BaseAddress = _shopiro.BaseAddress;
                o.Sellers[EmulatorSession.SellerId] = new SellerCredentials { AccessToken = "tok-s" };
                o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(10);
                o.RateLimit.PermitsPerSecond = 1_000;
                o.RateLimit.Burst = 1_000;
            })
            .AddInMemoryMappingStore();
        _services = services.BuildServiceProvider();
        var items = _managem.Emulator.Catalogue.Items;
        _inventory = [.. Enumerable.Range(0, Products).Select(i => new ListingDraft
        {
            Reference = $"p-{i:D3}",
            Item = new ItemIdentity { Urn = items[i].Urn, Sku = $"P-{i:D3}", Name = $"Card {i}" },
            Condition = ListingCondition.NearMint,
            Language = "en",
            Titles = new Dictionary<string, string> { ["en"] = $"Card {i}" },
            Price = Money.Usd(10m + i),
            Quantity = 1,
        })];
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _shopiro.DisposeAsync();
        await _instica.DisposeAsync();
        await _managem.DisposeAsync();
    }

    private MultiChannelSync Sync() => new(_services.GetRequiredService<IMappingStore>(),
    [
        new ChannelTarget(_managem.Channel, new ChannelPolicy
        {
            // Managem sells in pounds, takes the language's name and stores no titles; the host owns price and stock there.
            Price = new PriceRule { Currency = "GBP", ExchangeRate = 0.8m, Ending = 0.99m },
            Adapt = d => d with { Language = "English", Titles = new Dictionary<string, string>() },
        }),
        new ChannelTarget(_services.GetRequiredService<InsticaChannels>().For("ebay"), new ChannelPolicy
        {
            Include = d => int.Parse(d.Reference![2..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0, // every other product
            Price = PriceRule.Markup(10),
            Quantity = new QuantityBuffer { Max = 1 },
        }),
        new ChannelTarget(_services.GetRequiredService<ShopiroChannel>(), new ChannelPolicy { Options = new ReconcilerOptions { MaxConcurrency = 8 } }),
    ]);

    private IAsyncEnumerable<ListingDraft> Inventory() => _inventory.ToAsyncEnumerable();

    [Fact]
    public async Task The_combined_plan_is_the_union_of_the_per_channel_plans()
    {
        var sync = Sync();

        var combined = await sync.PlanAsync(Seller, Inventory);

        combined.Failed.ShouldBeEmpty();
        var reconciler = new Reconciler(_services.GetRequiredService<IMappingStore>());
        foreach (var target in sync.Targets)
        {
            var alone = await reconciler.PlanAsync(target.Channel, Seller, _inventory.Select(target.Policy.Shape).OfType<ListingDraft>().ToAsyncEnumerable(), target.Policy.Options);
            var part = combined.Channels.Single(c => c.Channel == target.Channel.Name).Plan!;
            part.Steps.Select(s => (s.Action, s.Reference)).ShouldBe(alone.Steps.Select(s => (s.Action, s.Reference)), ignoreOrder: true, target.Channel.Name);
        }

        combined.Count(PlanAction.Create).ShouldBe(Products + (Products / 2) + Products);
        var table = combined.ToTable();
        table.ShouldContain("managem");
        table.ShouldContain("instica:ebay");
        table.ShouldContain("total");
        combined.ToJson().ShouldContain("\"channel\": \"shopiro\"");
    }

    [Fact]
    public async Task The_apply_runs_every_channel_and_a_second_plan_changes_nothing()
    {
        var sync = Sync();

        var result = await sync.SyncAsync(Seller, Inventory);

        result.IsSuccess.ShouldBeTrue(string.Join("\n", result.Channels.Select(c => $"{c.Channel}: {c.Error?.Message} {string.Join("; ", c.Result?.Results.Where(r => r.Status != ListingWriteStatus.Succeeded).Select(r => $"{r.Step.Reference} {r.Status} {string.Join(",", r.Errors)}") ?? [])}")));
        _managem.Emulator.Listings(EmulatorSession.SellerId).Count.ShouldBe(Products);
        _managem.Emulator.Listings(EmulatorSession.SellerId).Single(l => l.Reference == "p-000").Price.ShouldBe(899); // 10 USD × 0.8 = 8.00 GBP, ending in .99
        _instica.ListedCount(EmulatorSession.SellerId, "ebay").ShouldBe(Products / 2);
        _shopiro.Listings(90000001).Count.ShouldBe(Products);

        var again = await sync.PlanAsync(Seller, Inventory);
        again.HasChanges.ShouldBeFalse(again.ToTable());
    }

    [Fact]
    public async Task A_sale_is_pushed_to_every_channel_by_reference_without_a_scan_once()
    {
        var sync = Sync();
        (await sync.SyncAsync(Seller, Inventory)).IsSuccess.ShouldBeTrue();
        var scansBefore = (Managem: Scans(_managem.Emulator.RouteCounts, "search"), Instica: Exactly(_instica.RouteCounts, "GET /api/v1/inventory/"));

        // p-004 sold its one unit somewhere: the host's record says 0; only that product is pushed.
        var sold = _inventory[4] with { Quantity = 0 };
        var pushed = await sync.SyncProductsAsync(Seller, [sold]);

        pushed.Writes.Count.ShouldBe(3);
        pushed.Writes.ShouldAllBe(w => w.Outcome == TargetedOutcome.Written, string.Join("; ", pushed.Writes));
        _managem.Emulator.Listings(EmulatorSession.SellerId).Single(l => l.Reference == "p-004").Quantity.ShouldBe(0);
        _instica.ListedCount(EmulatorSession.SellerId, "ebay").ShouldBe((Products / 2) - 1);
        _shopiro.Listings(90000001).Single(l => l.CustomReference == "p-004").Metadata!.AvailableQuantity.ShouldBe(0);
        (Scans(_managem.Emulator.RouteCounts, "search"), Exactly(_instica.RouteCounts, "GET /api/v1/inventory/")).ShouldBe(scansBefore, "no listing scan");

        // The same push again writes nothing; a product a channel does not take is said so.
        var again = await sync.SyncProductsAsync(Seller, [sold, _inventory[5]]);
        again.Writes.Where(w => w.Reference == "p-004").ShouldAllBe(w => w.Outcome == TargetedOutcome.Unchanged);
        again.Writes.Single(w => w.Reference == "p-005" && w.Channel == "instica:ebay").Outcome.ShouldBe(TargetedOutcome.NotForThisChannel);
    }

    [Fact]
    public async Task After_a_first_sync_the_validation_report_finds_every_sampled_listing_matching_and_pointing_back()
    {
        var sync = Sync();
        (await sync.SyncAsync(Seller, Inventory)).IsSuccess.ShouldBeTrue();

        var report = await sync.ValidateAsync(Seller, Inventory, new ValidationOptions { SampleSize = 5 });

        report.Sampled.Count.ShouldBe(5);
        report.Sampled.ShouldBeSubsetOf(_inventory.Select(p => p.Reference!));
        // Every channel that takes a sampled product is checked: Managem and Shopiro take all, Instica the even ones.
        report.Checks.Count.ShouldBe(10 + report.Sampled.Count(r => int.Parse(r[2..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0));
        report.IsClean.ShouldBeTrue(report.ToTable());
        report.Checks.Where(c => c.Channel == "managem").ShouldAllBe(c => c.BackPointer == "reference " + c.Reference);
        report.Checks.Where(c => c.Channel == "instica:ebay").ShouldAllBe(c => c.BackPointer!.StartsWith("sku P-", StringComparison.Ordinal));
        (await sync.ValidateAsync(Seller, Inventory, new ValidationOptions { SampleSize = 5 })).Sampled.ShouldBe(report.Sampled, "the same seed samples the same products");
        using var json = System.Text.Json.JsonDocument.Parse(report.ToJson());
        json.RootElement.GetProperty("clean").GetBoolean().ShouldBeTrue();
        json.RootElement.GetProperty("total").GetProperty("matches").GetInt32().ShouldBe(report.Checks.Count);
    }

    [Fact]
    public async Task The_validation_report_finds_planted_mismatches_a_wrong_back_pointer_and_a_missing_picture()
    {
        var sync = Sync();
        (await sync.SyncAsync(Seller, Inventory)).IsSuccess.ShouldBeTrue();
        var store = _services.GetRequiredService<IMappingStore>();
        var shopiro = new MappingScope("shopiro", Seller);

        // A wrong price on Shopiro (edited on its site); p-005 and p-007 swapped in the store's Shopiro mappings; the
        // host's p-008 has a picture Shopiro's listing lacks.
        var slid3 = _shopiro.Listings(90000001).Single(l => l.CustomReference == "p-003").EListingId!;
        _shopiro.SimulateSellerEdit(slid3, price: 99m);
        var five = (await store.FindByReferenceAsync(shopiro, "p-005"))!;
        var seven = (await store.FindByReferenceAsync(shopiro, "p-007"))!;
        seven = await store.UpsertAsync(seven with { ListingId = "parked" });
        await store.UpsertAsync(five with { ListingId = _shopiro.Listings(90000001).Single(l => l.CustomReference == "p-007").EListingId });
        await store.UpsertAsync(seven with { ListingId = five.ListingId });
        _inventory[8] = _inventory[8] with { Pictures = [new ListingPicture("https://img.example/p-008-front.jpg")] };

        var report = await sync.ValidateAsync(Seller, Inventory, new ValidationOptions { SampleSize = Products, Channels = ["shopiro"] });

        report.IsClean.ShouldBeFalse();
        report.Checks.ShouldAllBe(c => c.Channel == "shopiro");
        var price = report.Checks.Single(c => c.Reference == "p-003");
        price.Status.ShouldBe(ListingCheckStatus.Mismatched);
        price.Mismatches.ShouldHaveSingleItem().ShouldBe(new FieldMismatch("price", "13.00 USD", "99.00 USD"));
        report.Checks.Single(c => c.Reference == "p-005").Status.ShouldBe(ListingCheckStatus.WrongBackPointer);
        report.Checks.Single(c => c.Reference == "p-005").BackPointer.ShouldBe("the listing's reference is p-007, not p-005");
        report.Checks.Single(c => c.Reference == "p-007").Status.ShouldBe(ListingCheckStatus.WrongBackPointer);
        var picture = report.Checks.Single(c => c.Reference == "p-008");
        picture.Mismatches.ShouldHaveSingleItem().Field.ShouldBe("pictures");
        picture.Mismatches[0].Expected.ShouldBe("[https://img.example/p-008-front.jpg]");
        report.Count(ListingCheckStatus.Matches).ShouldBe(Products - 4);
        report.ToTable().ShouldContain("shopiro p-003");
        report.ToTable().ShouldContain("price: expected 13.00 USD, found 99.00 USD");
        using var json = System.Text.Json.JsonDocument.Parse(report.ToJson());
        json.RootElement.GetProperty("total").GetProperty("wrongBackPointer").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task A_channel_is_brought_in_on_its_own_with_its_own_plan_and_report()
    {
        var sync = Sync();

        var plan = await sync.PlanAsync(Seller, Inventory, ["shopiro"]);
        plan.Channels.ShouldHaveSingleItem().Channel.ShouldBe("shopiro");
        (await sync.ApplyAsync(plan)).IsSuccess.ShouldBeTrue();

        _shopiro.Listings(90000001).Count.ShouldBe(Products);
        _managem.Emulator.Listings(EmulatorSession.SellerId).ShouldBeEmpty("the other channels are not touched");
        (await sync.ValidateAsync(Seller, Inventory, new ValidationOptions { Channels = ["shopiro"] })).IsClean.ShouldBeTrue();
        var all = await sync.ValidateAsync(Seller, Inventory);
        all.Count(ListingCheckStatus.NotListed).ShouldBe(Products + (Products / 2));
        Should.Throw<ArgumentException>(() => sync.PlanAsync(Seller, Inventory, ["etsy"])).Message.ShouldContain("'etsy'");
    }

    [Fact]
    public async Task The_host_is_seeded_from_a_channel_sample_first_then_the_rest_and_then_lists_on_the_others()
    {
        // The seller already sells 30 cards on Managem (20 with a reference from an earlier tool, 10 made by hand).
        var items = _managem.Emulator.Catalogue.Items;
        _managem.Emulator.SeedListings(EmulatorSession.SellerId, Enumerable.Range(20, 30).Select(i => (items[i].Urn, 500L + i, 2, i < 40 ? $"old-{i}" : (string?)null)));
        var store = _services.GetRequiredService<IMappingStore>();
        var seeding = new ChannelSeeding(store);

        var sample = await seeding.TakeAsync(_managem.Channel, Seller, take: 5);

        sample.Listings.Count.ShouldBeGreaterThanOrEqualTo(5);
        sample.Listings.ShouldAllBe(l => l.Mapped && l.Problems.Count == 0);
        var first = sample.Listings[0];
        (await store.FindByReferenceAsync(new MappingScope("managem", Seller), first.Draft.Reference!))!.ListingId.ShouldBe(first.ListingId);
        var rest = sample.IsComplete ? new SeedBatch("managem", [], null) : await seeding.TakeAsync(_managem.Channel, Seller, int.MaxValue, sample.ContinuationToken);
        rest.IsComplete.ShouldBeTrue();
        var records = sample.Listings.Concat(rest.Listings).Select(l => l.Draft).ToList();
        records.Count.ShouldBe(30);
        records.Select(r => r.Reference).ShouldBeUnique();
        records.Count(r => r.Reference!.StartsWith("old-", StringComparison.Ordinal)).ShouldBe(20);
        records.Count(r => r.Reference!.StartsWith("managem:", StringComparison.Ordinal)).ShouldBe(10, "no reference or SKU: the channel's id names it");

        // Taking it in again maps nothing twice.
        var again = await seeding.TakeAsync(_managem.Channel, Seller, int.MaxValue);
        again.Listings.ShouldAllBe(l => l.Mapped);
        (await store.ListAsync(new MappingScope("managem", Seller)).ToListAsync()).Count.ShouldBe(30);

        // From now on the host is the source of truth: Managem has nothing to do, Shopiro gets every record.
        _inventory = [.. records.Select(r => r with { Item = r.Item with { Sku = r.Reference }, Titles = new Dictionary<string, string> { ["en"] = "Card " + r.Reference }, Price = Money.Usd(r.Price.Amount * 1.25m) })];
        var sync = new MultiChannelSync(store,
        [
            new ChannelTarget(_managem.Channel, new ChannelPolicy { Price = new PriceRule { Currency = "GBP", ExchangeRate = 0.8m }, Adapt = d => d with { Language = "English", Titles = new Dictionary<string, string>() } }),
            new ChannelTarget(_services.GetRequiredService<ShopiroChannel>(), new ChannelPolicy()),
        ]);
        var plan = await sync.PlanAsync(Seller, Inventory);
        plan.Channels.Single(c => c.Channel == "managem").Plan!.Count(PlanAction.Create).ShouldBe(0, plan.ToTable());
        plan.Channels.Single(c => c.Channel == "shopiro").Plan!.Count(PlanAction.Create).ShouldBe(30);
        (await sync.ApplyAsync(plan)).IsSuccess.ShouldBeTrue();
        _managem.Emulator.Listings(EmulatorSession.SellerId).Count.ShouldBe(30, "nothing created twice on the channel the host was seeded from");
    }

    [Fact]
    public async Task An_order_on_instica_is_polled_booked_by_the_host_and_followed_on_the_other_channels_once()
    {
        // instica.com/docs/api/orders/: GET /api/v1/orders/, newest first; Instica sends no order webhooks.
        var inventory = new HostInventory(_inventory);
        await using var host = Host(inventory);
        (await host.GetRequiredService<MultiChannelSync>().SyncAsync(Seller, Inventory)).IsSuccess.ShouldBeTrue();
        var feed = _services.GetRequiredService<InsticaOrderFeed>();
        Task Propagate(Sdk.Webhooks.OrderEvent order, CancellationToken token) => Handle(host, order);
        var uid = _instica.Items(EmulatorSession.SellerId).Single(i => i["manual_sku"]!.ToString() == "P-004")["uid"]!.ToString();
        _instica.SimulateSale(EmulatorSession.SellerId, _instica.Items(EmulatorSession.SellerId).Single(i => i["manual_sku"]!.ToString() == "P-002")["uid"]!.ToString(), "ebay");

        (await feed.PollAsync(Seller, Propagate)).ShouldBeEmpty("the first poll starts from now: an earlier sale is history");
        var order = _instica.SimulateSale(EmulatorSession.SellerId, uid, "ebay");
        var polled = await feed.PollAsync(Seller, Propagate);

        var sale = polled.ShouldHaveSingleItem();
        (sale.Channel, sale.EventId, sale.ListingId, sale.Quantity, sale.IsNew).ShouldBe(("instica:ebay", order, uid, 1, true));
        inventory.Booked.ShouldBe([$"{order}:p-004"]);
        _managem.Emulator.Listings(EmulatorSession.SellerId).Single(l => l.Reference == "p-004").Quantity.ShouldBe(0);
        _shopiro.Listings(90000001).Single(l => l.CustomReference == "p-004").Metadata!.AvailableQuantity.ShouldBe(0);
        (await feed.PollAsync(Seller, Propagate)).ShouldBeEmpty("each order is handed over once");
    }

    [Fact]
    public async Task The_instica_order_sync_service_hands_new_orders_to_the_hosts_order_handlers()
    {
        var services = new ServiceCollection();
        var seen = new List<Sdk.Webhooks.OrderEvent>();
        services.AddSingleton(seen);
        services.AddSingleton(_services.GetRequiredService<IMappingStore>());
        services.AddListingSync()
            .AddInstica(o =>
            {
                o.BaseAddress = _instica.BaseAddress;
                o.Sellers[EmulatorSession.SellerId] = new SellerCredentials { AccessToken = "tok-i" };
            })
            .AddOrderHandler<RecordingOrderHandler>()
            .AddInsticaOrderSync(o =>
            {
                o.Sellers.Add(Seller);
                o.Interval = TimeSpan.FromMilliseconds(50);
            });
        await using var provider = services.BuildServiceProvider();
        var uid = _instica.SeedItem(EmulatorSession.SellerId, "Record", "LP-1", 20m, "vg_plus", "ebay");
        var store = provider.GetRequiredService<IMappingStore>();
        var hosted = provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        await Eventually(async () => await store.GetCursorAsync(new MappingScope("instica", Seller), "orders") is not null);
        var order = _instica.SimulateSale(EmulatorSession.SellerId, uid, "ebay");
        await Eventually(() => Task.FromResult(seen.Count > 0));

        seen.ShouldHaveSingleItem().EventId.ShouldBe(order);
        foreach (var service in hosted)
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void The_instica_order_sync_says_at_start_what_it_is_missing()
    {
        var services = new ServiceCollection();
        services.AddListingSync().AddInstica(o => o.BaseAddress = _instica.BaseAddress).AddInsticaOrderSync(_ => { });
        using var provider = services.BuildServiceProvider();

        var error = Should.Throw<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<InsticaOrderSyncOptions>>().Value);

        error.Message.ShouldContain("InsticaOrderSyncOptions.Sellers");
        error.Message.ShouldContain("register a mapping store");
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "not within 10 s");
            await Task.Delay(20);
        }
    }

    private sealed class RecordingOrderHandler(List<Sdk.Webhooks.OrderEvent> seen) : Sdk.Webhooks.IOrderHandler
    {
        public Task HandleAsync(Sdk.Webhooks.OrderEvent orderEvent, CancellationToken cancellationToken)
        {
            lock (seen)
            {
                seen.Add(orderEvent);
            }

            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task The_validation_report_says_which_listings_are_gone_and_which_are_not_listed()
    {
        var sync = Sync();
        (await sync.SyncAsync(Seller, Inventory)).IsSuccess.ShouldBeTrue();
        var gone = _managem.Emulator.Listings(EmulatorSession.SellerId).Single(l => l.Reference == "p-001");
        _managem.Emulator.SimulateSellerDelete(EmulatorSession.SellerId, gone.Id);
        _inventory.Add(_inventory[0] with { Reference = "p-new", Item = _inventory[0].Item with { Sku = "P-NEW" } });

        var report = await sync.ValidateAsync(Seller, Inventory, new ValidationOptions { SampleSize = 100, Channels = ["managem"] });

        var check = report.Checks.Single(c => c.Reference == "p-001");
        (check.Status, check.ListingId).ShouldBe((ListingCheckStatus.Gone, gone.Id));
        check.Message!.ShouldContain("re-lists it");
        report.Checks.Single(c => c.Reference == "p-new").Status.ShouldBe(ListingCheckStatus.NotListed);
        report.Count(ListingCheckStatus.Matches).ShouldBe(Products - 1);
    }

    [Fact]
    public async Task Seeding_never_moves_a_reference_already_mapped_to_another_listing()
    {
        var items = _managem.Emulator.Catalogue.Items;
        var seeded = _managem.Emulator.SeedListings(EmulatorSession.SellerId, [(items[30].Urn, 700L, 1, "shelf-1")]);
        var store = _services.GetRequiredService<IMappingStore>();
        var scope = new MappingScope("managem", Seller);
        await store.UpsertAsync(new ListingMapping { Scope = scope, Reference = "shelf-1", ListingId = "lst_elsewhere" });

        var batch = await new ChannelSeeding(store).TakeAsync(_managem.Channel, Seller, take: 10);

        var taken = batch.Listings.ShouldHaveSingleItem();
        (taken.ListingId, taken.Mapped).ShouldBe((seeded[0].Id, false));
        taken.Problems.ShouldHaveSingleItem().ShouldContain("already mapped to listing lst_elsewhere");
        (await store.FindByReferenceAsync(scope, "shelf-1"))!.ListingId.ShouldBe("lst_elsewhere");
    }

    [Fact]
    public async Task A_channel_that_fails_does_not_stop_the_others()
    {
        _instica.SetSubscription(EmulatorSession.SellerId, false);
        var sync = Sync();

        var result = await sync.SyncAsync(Seller, Inventory);

        result.IsSuccess.ShouldBeFalse();
        var instica = result.Channels.Single(c => c.Channel == "instica:ebay");
        instica.Result!.NotSucceeded.ShouldBe(Products / 2);
        result.Channels.Where(c => c.Channel != "instica:ebay").ShouldAllBe(c => c.Result != null && c.Result.NotSucceeded == 0);
        _shopiro.Listings(90000001).Count.ShouldBe(Products);
        var next = await sync.PlanAsync(Seller, Inventory);
        next.Channels.Single(c => c.Channel == "instica:ebay").Plan!.MissingPrerequisites.ShouldHaveSingleItem().Name.ShouldBe("subscription");
        next.ToTable().ShouldContain("blocked: subscription");
    }

    [Fact]
    public async Task A_sale_reported_by_one_channel_is_booked_by_the_host_and_follows_on_the_others()
    {
        var inventory = new HostInventory(_inventory);
        await using var host = Host(inventory);
        var sync = host.GetRequiredService<MultiChannelSync>();
        (await sync.SyncAsync(Seller, Inventory)).IsSuccess.ShouldBeTrue();
        var slid = _shopiro.Listings(90000001).Single(l => l.CustomReference == "p-006").EListingId!;

        // Shopiro reports the sale of p-006's one unit (as an order handler would receive it).
        await Handle(host, new Sdk.Webhooks.OrderEvent { Channel = "shopiro", Seller = Seller, EventId = "ord-1", Type = "ORDER_CREATED", ListingId = slid, Quantity = 1 });

        inventory.Booked.ShouldBe(["ord-1:p-006"]);
        _managem.Emulator.Listings(EmulatorSession.SellerId).Single(l => l.Reference == "p-006").Quantity.ShouldBe(0);
        _instica.Items(EmulatorSession.SellerId).Single(i => i["manual_sku"]!.ToString() == "P-006")["listings"]!.AsArray().ShouldAllBe(l => l!["status"]!.ToString() != "active");
        _shopiro.Listings(90000001).Single(l => l.CustomReference == "p-006").Metadata!.AvailableQuantity.ShouldBe(0);
    }

    [Fact]
    public async Task A_channel_down_during_propagation_catches_up_when_it_returns_and_nothing_is_oversold()
    {
        // p-002 has two units; it is on all three channels (Instica shows one: an item there is one unit).
        _inventory[2] = _inventory[2] with { Quantity = 2 };
        var inventory = new HostInventory(_inventory);
        await using var host = Host(inventory, o => o.BacklogRetryInterval = TimeSpan.FromMilliseconds(100));
        var sync = host.GetRequiredService<MultiChannelSync>();
        (await sync.SyncAsync(Seller, Inventory)).IsSuccess.ShouldBeTrue();
        var managemId = _managem.Emulator.Listings(EmulatorSession.SellerId).Single(l => l.Reference == "p-002").Id;
        var slid = _shopiro.Listings(90000001).Single(l => l.CustomReference == "p-002").EListingId!;
        var uid = _instica.Items(EmulatorSession.SellerId).Single(i => i["manual_sku"]!.ToString() == "P-002")["uid"]!.ToString();
        var pusher = host.GetRequiredService<StockPusher>();
        foreach (var service in host.GetServices<Microsoft.Extensions.Hosting.IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
        }

        // Shopiro goes down; a buyer on Managem takes both units.
        _shopiro.IsDown = true;
        var order = _managem.Emulator.SimulateOrder(EmulatorSession.SellerId, managemId, 2);
        await Handle(host, new Sdk.Webhooks.OrderEvent { Channel = "managem", Seller = Seller, EventId = order, Type = "ORDER_CREATED", ListingId = managemId, Quantity = 2 });

        inventory.Stock("p-002").ShouldBe(0);
        _instica.Items(EmulatorSession.SellerId).Single(i => i["uid"]!.ToString() == uid)["listings"]!.AsArray().ShouldAllBe(l => l!["status"]!.ToString() != "active");
        var pending = pusher.Backlog.ShouldHaveSingleItem();
        (pending.Channel, pending.Reference).ShouldBe(("shopiro", "p-002"));
        pending.LastError.ShouldNotBeNullOrEmpty();
        Should.Throw<InvalidOperationException>(() => _shopiro.SimulateSale(slid), "a channel that is down sells nothing");

        // Shopiro returns: the hosted service's backlog retry brings it to the host's stock before a buyer there can buy.
        _shopiro.IsDown = false;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (pusher.Backlog.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        pusher.Backlog.ShouldBeEmpty();
        _shopiro.Listings(90000001).Single(l => l.CustomReference == "p-002").Metadata!.AvailableQuantity.ShouldBe(0);
        Should.Throw<ArgumentOutOfRangeException>(() => _shopiro.SimulateSale(slid));
        Should.Throw<InvalidOperationException>(() => _instica.SimulateSale(EmulatorSession.SellerId, uid, "ebay"));

        // The marketplaces' books: units sold across the three never exceed the two the host had.
        (_managem.Emulator.UnitsSold + _shopiro.UnitsSold + _instica.UnitsSold).ShouldBe(2);
        foreach (var service in host.GetServices<Microsoft.Extensions.Hosting.IHostedService>())
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Order_events_of_one_product_handled_at_once_leave_the_latest_stock_on_every_channel()
    {
        // Five units; four buyers on Managem; their four order events arrive together. The host's reads are slowest for
        // the earliest caller, so without pushes of one product being serialised the oldest (highest) stock lands last.
        _inventory[3] = _inventory[3] with { Quantity = 5 };
        var inventory = new HostInventory(_inventory) { ReadDelay = call => TimeSpan.FromMilliseconds(Math.Max(0, 4 - call) * 60) };
        await using var host = Host(inventory);
        var sync = host.GetRequiredService<MultiChannelSync>();
        (await sync.SyncAsync(Seller, Inventory)).IsSuccess.ShouldBeTrue();
        var managemId = _managem.Emulator.Listings(EmulatorSession.SellerId).Single(l => l.Reference == "p-003").Id;
        var orders = Enumerable.Range(0, 4).Select(_ => _managem.Emulator.SimulateOrder(EmulatorSession.SellerId, managemId, 1)).ToList();

        await Task.WhenAll(orders.Select(order => Handle(host, new Sdk.Webhooks.OrderEvent { Channel = "managem", Seller = Seller, EventId = order, Type = "ORDER_CREATED", ListingId = managemId, Quantity = 1 })));

        inventory.Stock("p-003").ShouldBe(1);
        _shopiro.Listings(90000001).Single(l => l.CustomReference == "p-003").Metadata!.AvailableQuantity.ShouldBe(1);
        host.GetRequiredService<StockPusher>().Backlog.ShouldBeEmpty();
    }

    private ServiceProvider Host(HostInventory inventory, Action<MultiChannelOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IInventorySource>(inventory);
        services.AddSingleton(_services.GetRequiredService<IMappingStore>());
        services.AddListingSync().AddMultiChannel(o =>
        {
            foreach (var target in Sync().Targets)
            {
                o.Channels.Add(_ => target);
            }

            configure?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }

    private static async Task Handle(IServiceProvider host, Sdk.Webhooks.OrderEvent order)
    {
        using var scope = host.CreateScope();
        await scope.ServiceProvider.GetRequiredService<StockPropagation>().HandleAsync(order, CancellationToken.None);
    }

    /// <summary>The host's inventory: a dictionary, books each order event once; reads can be slowed per call.</summary>
    private sealed class HostInventory(IEnumerable<ListingDraft> products) : IInventorySource
    {
        private readonly Dictionary<string, ListingDraft> _products = products.ToDictionary(p => p.Reference!);
        private int _reads;

        public List<string> Booked { get; } = [];

        /// <summary>How long the n-th read (0-based) takes; it answers the stock as it was when called.</summary>
        public Func<int, TimeSpan>? ReadDelay { get; init; }

        public int Stock(string reference)
        {
            lock (_products)
            {
                return _products[reference].Quantity;
            }
        }

        public IAsyncEnumerable<ListingDraft> ReadAllAsync(SellerScope seller, CancellationToken cancellationToken = default)
        {
            lock (_products)
            {
                return _products.Values.ToList().ToAsyncEnumerable();
            }
        }

        public async Task<IReadOnlyList<ListingDraft>> ReadAsync(SellerScope seller, IReadOnlyCollection<string> references, CancellationToken cancellationToken = default)
        {
            List<ListingDraft> snapshot;
            lock (_products)
            {
                snapshot = [.. references.Where(_products.ContainsKey).Select(r => _products[r])];
            }

            if (ReadDelay?.Invoke(Interlocked.Increment(ref _reads) - 1) is { } delay && delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken);
            }

            return snapshot;
        }

        public Task<IReadOnlyCollection<string>> BookOrderAsync(Sdk.Webhooks.OrderEvent order, string? reference, CancellationToken cancellationToken = default)
        {
            lock (_products)
            {
                if (reference is null || Booked.Contains($"{order.EventId}:{reference}"))
                {
                    return Task.FromResult<IReadOnlyCollection<string>>([]);
                }

                Booked.Add($"{order.EventId}:{reference}");
                _products[reference] = _products[reference] with { Quantity = Math.Max(0, _products[reference].Quantity - (order.Quantity ?? 1)) };
                return Task.FromResult<IReadOnlyCollection<string>>([reference]);
            }
        }
    }

    [Fact]
    public void Without_an_inventory_source_the_registration_says_what_to_add()
    {
        var services = new ServiceCollection();
        services.AddListingSync().AddInMemoryMappingStore().AddMultiChannel(o => o.Channels.Add(_ => Sync().Targets[0]));
        using var provider = services.BuildServiceProvider();

        var error = Should.Throw<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<MultiChannelOptions>>().Value);

        error.Message.ShouldContain("IInventorySource");
    }

    [Theory]
    [InlineData(10.00, 1.0, null, null, 10.00)]
    [InlineData(10.00, 1.1, null, 0.99, 11.99)]
    [InlineData(12.40, 1.0, 0.5, null, 12.50)]
    [InlineData(12.40, 1.0, null, 0.99, 12.99)]
    [InlineData(10.005, 1.5, null, null, 15.01)]
    public void Price_rules_mark_up_round_and_end(decimal host, decimal multiplier, double? roundUpTo, double? ending, decimal expected)
    {
        var rule = new PriceRule { Multiplier = multiplier, RoundUpTo = (decimal?)roundUpTo, Ending = (decimal?)ending };

        rule.Apply(new ListingDraft { Item = new ItemIdentity(), Condition = ListingCondition.New, Language = "en", Price = Money.Usd(host), Quantity = 1 }).ShouldBe(Money.Usd(expected));
    }

    [Theory]
    [InlineData(10, 0, 1.0, null, 10)]
    [InlineData(10, 2, 1.0, null, 8)]
    [InlineData(10, 0, 0.5, null, 5)]
    [InlineData(3, 5, 1.0, null, 0)]
    [InlineData(4, 1, 1.0, 1, 1)]
    [InlineData(-2, 0, 1.0, null, 0)]
    public void Quantity_buffers_hold_back_a_share_then_units_and_cap(int host, int holdBack, double share, int? max, int expected) =>
        new QuantityBuffer { HoldBack = holdBack, Share = (decimal)share, Max = max }.Apply(host).ShouldBe(expected);

    private static long Exactly(System.Collections.Concurrent.ConcurrentDictionary<string, long> routes, string route) => routes.GetValueOrDefault(route);

    private static long Scans(System.Collections.Concurrent.ConcurrentDictionary<string, long> routes, string contains) =>
        routes.Where(r => r.Key.Contains(contains, StringComparison.Ordinal)).Sum(r => r.Value);
}
