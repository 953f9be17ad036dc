using System.Net;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;
using ListingSync.Sdk.Testing;
using ListingSync.Sdk.Testing.Managem;
using ListingSync.Sdk.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace ListingSync.Sdk.Tests.Webhooks;

/// <summary>Webhooks with the default handlers, against the emulator, over real loopback HTTP both ways.</summary>
public class EmulatorWebhookTests
{
    private static readonly MappingScope Scope = new(ManagemClientOptions.ChannelName, WebhookTestHost.Seller);

    private static ListingDraft Draft(EmulatedItem item, int i, decimal price = 1.50m, int quantity = 3) => new()
    {
        Reference = $"prod-{i:D4}",
        Item = ItemIdentity.FromUrn(item.Urn),
        Condition = ListingCondition.NearMint,
        Language = "English",
        Price = Money.Gbp(price),
        Quantity = quantity,
    };

    private static async IAsyncEnumerable<T> Stream<T>(IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            yield return item;
        }

        await Task.CompletedTask;
    }

    private static async Task<ReconciliationResult> ReconcileAsync(WebhookTestHost host, IReadOnlyList<ListingDraft> desired)
    {
        var reconciler = host.Services.GetRequiredService<Reconciler>();
        var channel = host.Services.GetRequiredService<ManagemChannel>();
        var plan = await reconciler.PlanAsync(channel, WebhookTestHost.Seller, Stream(desired));
        return await reconciler.ApplyAsync(channel, plan);
    }

    private static async Task<List<ListingMapping>> MappingsAsync(IMappingStore store)
    {
        var mappings = new List<ListingMapping>();
        await foreach (var mapping in store.ListAsync(Scope))
        {
            mappings.Add(mapping);
        }

        return mappings;
    }

    /// <summary>Where the mapping and the emulator disagree: every listing needs one active mapping with its id and state, and nothing else may be active.</summary>
    private static async Task<List<string>> DifferencesAsync(WebhookTestHost host)
    {
        var differences = new List<string>();
        var listings = host.Emulator!.Listings(WebhookTestHost.SellerId);
        var active = (await MappingsAsync(host.Store)).Where(m => m.IsActive).ToDictionary(m => m.ListingId ?? "(no id) " + m.Reference);
        differences.AddRange(active.Keys.Except(listings.Select(l => l.Id)).Select(id => $"{id}: mapped active but not on the marketplace"));
        foreach (var listing in listings)
        {
            if (!active.TryGetValue(listing.Id, out var mapping))
            {
                differences.Add($"{listing.Id}: on the marketplace but not mapped");
                continue;
            }

            var state = mapping.State!;
            if (mapping.Reference != listing.Reference) differences.Add($"{listing.Id}: reference {mapping.Reference} != {listing.Reference}");
            if (state.Price.Amount != listing.Price / 100m) differences.Add($"{listing.Id}: price {state.Price.Amount} != {listing.Price / 100m}");
            if (state.Quantity != listing.Quantity) differences.Add($"{listing.Id}: quantity {state.Quantity} != {listing.Quantity}");

            // Unreported availability means the whole quantity (see ListingState.Available).
            if ((state.Available ?? state.Quantity) != listing.Available) differences.Add($"{listing.Id}: available {state.Available ?? state.Quantity} != {listing.Available}");
            if (state.Visibility != (listing.Hidden ? ListingVisibility.Hidden : ListingVisibility.Visible)) differences.Add($"{listing.Id}: visibility {state.Visibility}");
        }

        return differences;
    }

    private static async Task AssertMappingEqualsEmulatorAsync(WebhookTestHost host) => (await DifferencesAsync(host)).ShouldBeEmpty();

    [Fact]
    public async Task The_registrar_creates_disabled_tests_then_enables_and_reuses_the_endpoint_on_a_second_run()
    {
        await using var host = await WebhookTestHost.StartAsync();
        var registrar = host.Services.GetRequiredService<ManagemWebhookRegistrar>();

        var webhook = await registrar.RegisterAsync(WebhookTestHost.Seller, host.Endpoint, description: "tests");
        var again = await registrar.RegisterAsync(WebhookTestHost.Seller, host.Endpoint);

        webhook.Enabled.ShouldBeTrue();
        again.Id.ShouldBe(webhook.Id);
        var registered = host.Emulator!.Webhooks(WebhookTestHost.SellerId).ShouldHaveSingleItem("registering twice creates nothing twice");
        registered.Enabled.ShouldBeTrue();
        registered.Subscriptions.ShouldBe(ManagemEventTypes.SyncSubscriptions, ignoreOrder: true);
        host.Secrets.GetSecrets(ManagemClientOptions.ChannelName, WebhookTestHost.Seller).Count.ShouldBe(1);
        host.Emulator.Events(WebhookTestHost.SellerId).Count(e => e.Type == "TEST").ShouldBe(0, "test deliveries are not listing events");
    }

    [Fact]
    public async Task A_test_delivery_that_is_not_answered_200_leaves_the_endpoint_disabled_and_says_why()
    {
        await using var host = await WebhookTestHost.StartAsync();
        var registrar = host.Services.GetRequiredService<ManagemWebhookRegistrar>();
        var wrongPath = new Uri(host.BaseAddress, "webhooks/nowhere");

        var error = await Should.ThrowAsync<WebhookRegistrationException>(() => registrar.RegisterAsync(WebhookTestHost.Seller, wrongPath));

        error.StatusCode.ShouldBe(404);
        error.Message.ShouldContain("stays disabled");
        host.Emulator!.Webhooks(WebhookTestHost.SellerId).ShouldHaveSingleItem().Enabled.ShouldBeFalse();
    }

    [Fact]
    public async Task Deliveries_handled_in_reverse_order_end_in_the_marketplaces_latest_state()
    {
        await using var host = await WebhookTestHost.StartAsync();
        var emulator = host.Emulator!;
        var secret = StandardWebhookSigner.NewSecret();
        host.Secrets.Set(ManagemClientOptions.ChannelName, WebhookTestHost.Seller, WebhookSecret.FromStandardWebhooks(secret));
        var items = emulator.Catalogue.Items;

        // Listing A: created, edited twice by the seller, ordered from. Listing B: created, edited, deleted.
        var created = await ReconcileAsync(host, [Draft(items[0], 1), Draft(items[1], 2)]);
        created.Succeeded.ShouldBe(2);
        var a = emulator.Listings(WebhookTestHost.SellerId).Single(l => l.Reference == "prod-0001");
        var b = emulator.Listings(WebhookTestHost.SellerId).Single(l => l.Reference == "prod-0002");
        emulator.SimulateSellerEdit(WebhookTestHost.SellerId, a.Id, pricePence: 200);
        emulator.SimulateSellerEdit(WebhookTestHost.SellerId, a.Id, pricePence: 300, quantity: 5);
        emulator.SimulateOrder(WebhookTestHost.SellerId, a.Id, 2);
        emulator.SimulateSellerEdit(WebhookTestHost.SellerId, b.Id, hidden: true);
        emulator.SimulateSellerDelete(WebhookTestHost.SellerId, b.Id);

        // The reconciler already mapped both; forget that so the events alone must rebuild the mapping.
        foreach (var mapping in await MappingsAsync(host.Store))
        {
            await host.Store.UpsertAsync(mapping with { IsActive = false, State = null, RemoteUpdatedAt = null });
        }

        var events = emulator.Events(WebhookTestHost.SellerId);
        events.Select(e => e.Type).ShouldBe(["LISTING_CREATED", "LISTING_CREATED", "LISTING_UPDATED", "LISTING_UPDATED", "ORDER_CREATED", "LISTING_UPDATED", "LISTING_DELETED"]);
        foreach (var evt in events.Reverse())
        {
            using var request = new SignedWebhookBuilder(secret).WithId(evt.Id).Event(evt.Type, evt.Data, evt.CreatedAt).ToRequest(host.Endpoint);
            using var response = await host.Http.SendAsync(request);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, evt.Type);
        }

        await host.WaitForInboxAsync();
        (await host.Inbox.GetDeadLettersAsync()).ShouldBeEmpty();
        await AssertMappingEqualsEmulatorAsync(host);
        var mappingA = await host.Store.FindByReferenceAsync(Scope, "prod-0001");
        mappingA!.State!.Price.Amount.ShouldBe(3.00m);
        mappingA.State.Quantity.ShouldBe(5);
        mappingA.State.Available.ShouldBe(3);
        mappingA.RemoteUpdatedAt.ShouldBe(emulator.Listings(WebhookTestHost.SellerId).Single(l => l.Id == a.Id).UpdatedAt);
        (await host.Store.FindByReferenceAsync(Scope, "prod-0002"))!.IsActive.ShouldBeFalse("deleted on the marketplace, whatever order the events came in");
    }

    [Fact]
    public async Task A_Managem_order_webhook_reaches_the_hosts_order_handler_as_a_typed_order_event()
    {
        var orders = new OrderLog();
        await using var host = await WebhookTestHost.StartAsync(sync: s => { s.Services.AddSingleton(orders); s.AddOrderHandler<LoggingOrderHandler>(); });
        var emulator = host.Emulator!;
        var secret = StandardWebhookSigner.NewSecret();
        host.Secrets.Set(ManagemClientOptions.ChannelName, WebhookTestHost.Seller, WebhookSecret.FromStandardWebhooks(secret));
        (await ReconcileAsync(host, [Draft(emulator.Catalogue.Items[0], 3)])).Succeeded.ShouldBe(1);
        var listing = emulator.Listings(WebhookTestHost.SellerId).ShouldHaveSingleItem();
        emulator.SimulateOrder(WebhookTestHost.SellerId, listing.Id, 2);

        var evt = emulator.Events(WebhookTestHost.SellerId).Single(e => e.Type == "ORDER_CREATED");
        using (var response = await host.Http.SendAsync(new SignedWebhookBuilder(secret).WithId(evt.Id).Event(evt.Type, evt.Data, evt.CreatedAt).ToRequest(host.Endpoint)))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await host.WaitForInboxAsync();
        var order = orders.Events.ShouldHaveSingleItem();
        (order.Channel, order.Type, order.IsNew, order.ListingId, order.Quantity).ShouldBe(("managem", "ORDER_CREATED", true, listing.Id, 2));
        order.OrderId.ShouldNotBeNullOrEmpty();
        (await host.Store.FindByListingIdAsync(Scope, listing.Id))!.State!.Available.ShouldBe(1, "the SDK's own handler still runs first");
    }

    private sealed class OrderLog
    {
        public List<OrderEvent> Events { get; } = [];
    }

    private sealed class LoggingOrderHandler(OrderLog log) : IOrderHandler
    {
        public Task HandleAsync(OrderEvent orderEvent, CancellationToken cancellationToken)
        {
            lock (log.Events)
            {
                log.Events.Add(orderEvent);
            }

            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_newer_listing_event_for_a_mapped_listing_updates_the_mapping_from_its_payload_without_a_re_fetch()
    {
        await using var host = await WebhookTestHost.StartAsync();
        var emulator = host.Emulator!;
        var secret = StandardWebhookSigner.NewSecret();
        host.Secrets.Set(ManagemClientOptions.ChannelName, WebhookTestHost.Seller, WebhookSecret.FromStandardWebhooks(secret));
        (await ReconcileAsync(host, [Draft(emulator.Catalogue.Items[0], 1)])).Succeeded.ShouldBe(1);
        var listing = emulator.Listings(WebhookTestHost.SellerId).ShouldHaveSingleItem();
        emulator.SimulateSellerEdit(WebhookTestHost.SellerId, listing.Id, pricePence: 777, hidden: true);
        var gets = emulator.RouteCounts.GetValueOrDefault("GET /seller/listings/{id}");

        var events = emulator.Events(WebhookTestHost.SellerId);
        var evt = events[^1];
        using (var response = await host.Http.SendAsync(new SignedWebhookBuilder(secret).WithId(evt.Id).Event(evt.Type, evt.Data, evt.CreatedAt).ToRequest(host.Endpoint)))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await host.WaitForInboxAsync();
        var mapping = (await host.Store.FindByListingIdAsync(Scope, listing.Id))!;
        mapping.State!.Price.Amount.ShouldBe(7.77m);
        mapping.State.Visibility.ShouldBe(ListingVisibility.Hidden);
        mapping.State.Language.ShouldBe("English", "fields the payload does not carry are kept");
        mapping.RemoteUpdatedAt.ShouldBe(emulator.Listings(WebhookTestHost.SellerId)[0].UpdatedAt);
        emulator.RouteCounts.GetValueOrDefault("GET /seller/listings/{id}").ShouldBe(gets, "the payload carried a newer version of everything needed");
    }

    [Fact]
    public async Task Dropped_duplicated_and_reordered_webhooks_then_one_reconciliation_pass_leave_the_mapping_equal_to_the_marketplace()
    {
        await using var host = await WebhookTestHost.StartAsync(emulatorOptions: new ManagemEmulatorOptions
        {
            Seed = 7,
            WebhookDropRate = 0.25,
            WebhookDuplicateRate = 0.3,
            WebhookReorderWindow = TimeSpan.FromMilliseconds(150),
        });
        var emulator = host.Emulator!;
        await host.Services.GetRequiredService<ManagemWebhookRegistrar>().RegisterAsync(WebhookTestHost.Seller, host.Endpoint);
        var items = emulator.Catalogue.Items;
        var desired = Enumerable.Range(0, 40).Select(i => Draft(items[i], i)).ToList();

        (await ReconcileAsync(host, desired)).NotSucceeded.ShouldBe(0);
        var listings = emulator.Listings(WebhookTestHost.SellerId);
        for (var i = 0; i < 10; i++)
        {
            emulator.SimulateSellerEdit(WebhookTestHost.SellerId, listings[i].Id, pricePence: 500 + i, quantity: 7);
        }

        for (var i = 10; i < 16; i++)
        {
            emulator.SimulateOrder(WebhookTestHost.SellerId, listings[i].Id, 1);
        }

        for (var i = 16; i < 20; i++)
        {
            emulator.SimulateSellerDelete(WebhookTestHost.SellerId, listings[i].Id);
        }

        await emulator.WaitForWebhooksAsync(TimeSpan.FromSeconds(30));
        await host.WaitForInboxAsync();
        (await host.Inbox.GetDeadLettersAsync()).ShouldBeEmpty();

        // Some events never arrived (the seeded faults drop a quarter), so webhooks alone left the mapping wrong...
        (await DifferencesAsync(host)).ShouldNotBeEmpty();

        // ...and one reconciliation pass repairs the rest.
        var repaired = await ReconcileAsync(host, desired);
        repaired.NotSucceeded.ShouldBe(0);
        await emulator.WaitForWebhooksAsync(TimeSpan.FromSeconds(30));
        await host.WaitForInboxAsync();

        emulator.Listings(WebhookTestHost.SellerId).Count.ShouldBe(40, "deleted listings were recreated, none twice");
        emulator.Listings(WebhookTestHost.SellerId).Select(l => l.Reference).Distinct().Count().ShouldBe(40);
        await AssertMappingEqualsEmulatorAsync(host);
    }
}
