using System.Text.Json.Nodes;
using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Channels.Jtl;
using ListingSync.Sdk.DependencyInjection;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Testing;
using ListingSync.Sdk.Testing.Jtl;
using ListingSync.Sdk.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace ListingSync.Sdk.Tests.Jtl;

/// <summary>The JTL Channel API client, token provider and event poller against the emulator over loopback.</summary>
public sealed class JtlTests : IAsyncLifetime
{
    private const string Seller = "seller-7";
    private JtlChannelEmulator _emulator = null!;
    private ServiceProvider _services = null!;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    public async Task InitializeAsync()
    {
        _emulator = await JtlChannelEmulator.StartAsync();
        _services = Build(_emulator.Options.RefreshToken);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    private ServiceProvider Build(string refreshToken, Action<ListingSyncBuilder>? more = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        var builder = services.AddListingSync()
            .AddJtl(o =>
            {
                o.BaseAddress = _emulator.BaseAddress;
                o.RefreshToken = refreshToken;
                o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(10);
            })
            .AddInMemoryMappingStore()
            .AddWebhooks();
        more?.Invoke(builder);
        return services.BuildServiceProvider();
    }

    private static MappingScope Scope => new(JtlClientOptions.ChannelName, new SellerScope(Seller));

    [Fact]
    public async Task One_token_refresh_serves_a_hundred_concurrent_calls_and_is_renewed_before_expiry()
    {
        var tokens = _services.GetRequiredService<JtlTokenProvider>();

        var issued = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(async () => await tokens.GetTokenAsync())));

        issued.Distinct().ShouldHaveSingleItem();
        _emulator.AuthCalls.ShouldBe(1);
        tokens.RefreshCount.ShouldBe(1);

        // 56 minutes later the token has 4 minutes left, inside the 5-minute renewal margin: one more refresh.
        _time.Advance(TimeSpan.FromMinutes(56));
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () => await tokens.GetTokenAsync())));
        _emulator.AuthCalls.ShouldBe(2);
    }

    [Fact]
    public async Task A_wrong_refresh_token_fails_with_jtls_error_in_english()
    {
        await using var services = Build("not-the-token");

        var error = await Should.ThrowAsync<ListingSyncRequestException>(() => services.GetRequiredService<JtlClient>().GetEventsAsync());

        error.StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized);
        error.ErrorCode.ShouldBe("AUTH_REFRESH_TOKEN");
        error.Message.ShouldContain("Invalid refresh token");
    }

    [Fact]
    public async Task Offer_events_of_every_kind_are_processed_in_order_and_acknowledged()
    {
        _emulator.PublishOffer(Seller, 1001, "Kaffeebecher", 5.23m, 12, numbersAsStrings: true);
        _emulator.PublishOffer(Seller, 1001, "Kaffeebecher XL", 6.10m, 12, update: true);
        _emulator.UpdateStock(Seller, 1001, 7);
        _emulator.UpdatePrice(Seller, 1001, 5.99m);
        _emulator.PublishOffer(Seller, 1002, "Teekanne", 19.90m, 3);
        _emulator.EndOffer(Seller, 1002);
        _emulator.Publish("System:Test", new JsonObject { ["message"] = "ping" });
        _emulator.Publish("Seller:Order.New", new JsonObject { ["sellerId"] = Seller, ["orderId"] = "o-1" });

        var result = await _services.GetRequiredService<JtlEventPoller>().PollOnceAsync();

        result.Received.ShouldBe(8);
        result.Failed.ShouldBeEmpty();
        result.Processed.ShouldBe(7);
        result.Kept.ShouldBe(1, "the order event has no handler here: kept in the inbox, not dropped");
        _emulator.Unacknowledged.ShouldBe(0);
        var store = _services.GetRequiredService<IMappingStore>();
        var mug = (await store.FindByReferenceAsync(Scope, "1001"))!;
        mug.ListingId.ShouldBe("1001");
        mug.IsActive.ShouldBeTrue();
        mug.State!.Quantity.ShouldBe(7, "the stock update after the whole offer");
        mug.State.Price.ShouldBe(new Money(5.99m, "EUR"), "the price update after the whole offer");
        (await store.FindByReferenceAsync(Scope, "1002"))!.IsActive.ShouldBeFalse("ended");
    }

    [Fact]
    public async Task A_bad_payload_is_reported_for_that_event_and_does_not_block_the_rest()
    {
        var bad = _emulator.Publish("Seller:Offer.New", new JsonObject { ["sellerId"] = Seller, ["quantity"] = "viele" });
        var noOffer = _emulator.Publish("Seller:Offer.StockUpdate", new JsonObject { ["sellerId"] = Seller, ["quantity"] = 3 });
        _emulator.PublishOffer(Seller, 2001, "Glas", 2.50m, 40);

        var result = await _services.GetRequiredService<JtlEventPoller>().PollOnceAsync();

        result.Processed.ShouldBe(1);
        result.Failed.Select(f => (f.EventId, f.Field)).ShouldBe([(bad, "event.quantity"), (noOffer, "event.offerId")]);
        result.Failed[0].Reason.ShouldContain(bad);
        _emulator.Unacknowledged.ShouldBe(2, "unreadable events stay with JTL, to come again");
        (await _services.GetRequiredService<IMappingStore>().FindByReferenceAsync(Scope, "2001")).ShouldNotBeNull();
    }

    [Fact]
    public async Task An_event_whose_handler_failed_comes_again_and_a_redelivered_processed_event_changes_nothing()
    {
        var failing = new FailOnce();
        await using var services = Build(_emulator.Options.RefreshToken, b =>
        {
            b.Services.AddSingleton(failing);
            b.AddEventHandler<FailOnceHandler>(ListingEventKind.ListingCreated);
        });
        var poller = services.GetRequiredService<JtlEventPoller>();
        var first = _emulator.PublishOffer(Seller, 3001, "Schale", 8m, 2);

        var attempt1 = await poller.PollOnceAsync();
        attempt1.Failed.ShouldHaveSingleItem().EventId.ShouldBe(first);
        _emulator.Unacknowledged.ShouldBe(1);

        (await poller.PollOnceAsync()).Received.ShouldBe(0, "hidden until the visibility timeout");
        _emulator.ExpireVisibility();
        var attempt2 = await poller.PollOnceAsync();
        attempt2.Processed.ShouldBe(1);
        _emulator.Deliveries[first].ShouldBe(2);
        _emulator.Unacknowledged.ShouldBe(0);

        // An event already processed (its acknowledgement lost) arrives again: acknowledged, handlers not run again.
        var again = _emulator.PublishOffer(Seller, 3002, "Schale", 8m, 2);
        await services.GetRequiredService<IMappingStore>().TryRecordEventAsync(Scope, again, DateTimeOffset.UtcNow);
        var handledBefore = failing.Handled;
        var attempt3 = await poller.PollOnceAsync();
        attempt3.Duplicates.ShouldBe(1);
        attempt3.Processed.ShouldBe(0);
        failing.Handled.ShouldBe(handledBefore);
        _emulator.Unacknowledged.ShouldBe(0);
    }

    [Fact]
    public async Task A_backlog_of_2000_events_drains_at_100_per_pull_without_waiting_the_poll_interval()
    {
        // JTL returns at most 100 events per pull and takes at most 100 ids per acknowledgement. The poller's clock is
        // a fake that never moves: had it waited its poll interval once, the backlog would never drain.
        for (var i = 0; i < 2_000; i++)
        {
            _emulator.PublishOffer(Seller, 10_000 + i, $"Offer {i}", 1.5m, 3);
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = _services.GetRequiredService<JtlEventPoller>().RunAsync(stop.Token);
        while (_emulator.Unacknowledged > 0 && !stop.IsCancellationRequested)
        {
            await Task.Delay(50);
        }

        var drained = _emulator.Unacknowledged == 0;
        await stop.CancelAsync();
        await run;

        drained.ShouldBeTrue("the backlog drained without the clock moving");
        _emulator.Pulls.ShouldBeInRange(20, 22);                // 20 full pulls, then one that is not full
        _emulator.Acknowledgements.ShouldBe(20);                // 100 ids each
        (await _services.GetRequiredService<IMappingStore>().ListAsync(Scope).CountAsync()).ShouldBe(2_000);
    }

    [Fact]
    public async Task Acknowledgement_can_use_patch_where_jtl_says_so()
    {
        await using var services = Build(_emulator.Options.RefreshToken, b => b.Services.PostConfigure<JtlClientOptions>(o => o.AcknowledgeVerb = "PATCH"));
        _emulator.PublishOffer(Seller, 4001, "Löffel", 1m, 100);

        (await services.GetRequiredService<JtlEventPoller>().PollOnceAsync()).Processed.ShouldBe(1);

        _emulator.Unacknowledged.ShouldBe(0);
    }

    internal sealed class FailOnce
    {
        private int _calls;

        public int Handled { get; private set; }

        public bool ShouldFail() => Interlocked.Increment(ref _calls) == 1;

        public void Done() => Handled++;
    }

    internal sealed class FailOnceHandler(FailOnce state) : IListingEventHandler
    {
        public Task HandleAsync(ListingEvent listingEvent, CancellationToken cancellationToken)
        {
            if (state.ShouldFail())
            {
                throw new InvalidOperationException("the catalogue was busy");
            }

            state.Done();
            return Task.CompletedTask;
        }
    }
}

public sealed class JtlReportAndStockTests : IAsyncLifetime
{
    private JtlChannelEmulator _emulator = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        var options = new JtlChannelEmulatorOptions { RateLimitWindow = TimeSpan.FromSeconds(1) };
        options.RateLimits["channel/event"] = 3;
        _emulator = await JtlChannelEmulator.StartAsync(options);
        var services = new ServiceCollection();
        services.AddListingSync()
            .AddJtl(o =>
            {
                o.BaseAddress = _emulator.BaseAddress;
                o.RefreshToken = _emulator.Options.RefreshToken;
                o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(10);
            })
            .AddInMemoryMappingStore()
            .AddWebhooks();
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task Status_reports_are_batched_per_status_and_merged_per_offer_with_a_result_per_report()
    {
        var t0 = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.FromHours(1));
        var reports = new[]
        {
            new ListingStatusReport { OfferId = "1", Status = ListingStatusKind.InProgress, At = t0 },
            new ListingStatusReport { OfferId = "2", Status = ListingStatusKind.InProgress, At = t0 },
            new ListingStatusReport { OfferId = "1", Status = ListingStatusKind.Listed, At = t0.AddMinutes(5), ChannelOfferId = "C-1", ListingUrl = new Uri("https://shop.example/p/1") },
            new ListingStatusReport { OfferId = "3", Status = ListingStatusKind.Failed, At = t0, Errors = [new FieldError("gtin", "E100", "GTIN unknown in the catalogue")] },
            new ListingStatusReport { OfferId = "4", Status = ListingStatusKind.Listed, At = t0 },
            new ListingStatusReport { OfferId = "x", Status = ListingStatusKind.InProgress, At = t0 },
        };

        var results = await _services.GetRequiredService<JtlChannel>().ReportStatusAsync(new SellerScope("seller-7"), reports);

        results.Select(r => r.Status).ShouldBe([ListingWriteStatus.Succeeded, ListingWriteStatus.Succeeded, ListingWriteStatus.Succeeded, ListingWriteStatus.Succeeded, ListingWriteStatus.Rejected, ListingWriteStatus.Rejected]);
        results[4].Errors.ShouldHaveSingleItem().Field.ShouldBe("channelOfferId");
        results[5].Errors.ShouldHaveSingleItem().Field.ShouldBe("offerId");
        var received = _emulator.Reports;
        received.Select(r => $"{r.Kind}:{r.OfferId}").Order().ToList().ShouldBe(["Failed:3", "InProgress:2", "Listed:1"], "offer 1 moved on to listed: only that is sent");
        var listed = received.Single(r => r.Kind == "Listed");
        (listed.ChannelOfferId, listed.ListingUrl).ShouldBe(("C-1", "https://shop.example/p/1"));
        JsonNode.Parse(listed.Json)!["listedAt"]!.GetValue<string>().ShouldBe("2026-11-22T09:05:00.0000000+00:00", "timestamps carry an explicit offset");
        received.Single(r => r.Kind == "Failed").Json.ShouldContain("GTIN unknown");
    }

    [Fact]
    public async Task Stock_updates_stream_page_by_page_and_a_restart_resumes_from_the_stored_cursor()
    {
        _emulator.StockPageSize = 2;
        for (var offer = 1; offer <= 5; offer++)
        {
            _emulator.UpdateStock("seller-7", offer, offer * 10);
        }

        _emulator.UpdateStock("seller-8", 99, 1);
        var first = await _services.GetRequiredService<JtlStockFollower>().ReadAsync("seller-7").ToListAsync();

        first.Select(c => (c.OfferId, c.Quantity)).ShouldBe([(1L, 10m), (2L, 20m), (3L, 30m), (4L, 40m), (5L, 50m)]);
        (await _services.GetRequiredService<JtlStockFollower>().GetCursorAsync("seller-7")).ShouldBe(first[^1].UpdatedAt);

        // A new run (new follower, same store): only what changed since.
        _emulator.UpdateStock("seller-7", 2, 21);
        var second = await _services.GetRequiredService<JtlStockFollower>().ReadAsync("seller-7").ToListAsync();
        second.ShouldHaveSingleItem().Quantity.ShouldBe(21);

        var all = await _services.GetRequiredService<JtlStockFollower>().ReadAsync().ToListAsync();
        all.Select(c => c.SellerId).Distinct().Order().ShouldBe(["seller-7", "seller-8"]);
    }

    [Fact]
    public async Task Pulls_beyond_the_event_rate_limit_wait_for_the_window_instead_of_failing()
    {
        var poller = _services.GetRequiredService<JtlEventPoller>();
        for (var i = 0; i < 7; i++)
        {
            _emulator.PublishOffer("seller-7", 5000 + i, "Tasse", 3m, 1);
            (await poller.PollOnceAsync()).Processed.ShouldBe(1, $"pull {i}");
        }

        _emulator.Unacknowledged.ShouldBe(0);
    }
}

public sealed class JtlRestartTests : IAsyncLifetime, IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"jtl-restart-{Guid.NewGuid():N}.db");
    private JtlChannelEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await JtlChannelEmulator.StartAsync();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    private ServiceProvider Host(JtlTests.FailOnce counter)
    {
        var services = new ServiceCollection();
        services.AddSingleton(counter);
        services.AddListingSync()
            .AddJtl(o =>
            {
                o.BaseAddress = _emulator.BaseAddress;
                o.RefreshToken = _emulator.Options.RefreshToken;
            })
            .AddSqliteMappingStore(_path)
            .AddEventProcessing()
            .AddEventHandler<CountingHandler>(ListingEventKind.ListingCreated);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task After_a_restart_events_whose_acknowledgement_was_lost_are_acknowledged_without_being_handled_again()
    {
        for (var i = 0; i < 5; i++)
        {
            _emulator.PublishOffer("seller-7", 6000 + i, "Teller", 4m, 2);
        }

        var first = new JtlTests.FailOnce();
        _emulator.Options.DropAcknowledgements = true; // the process "dies" before JTL records the acknowledgement
        await using (var before = Host(first))
        {
            (await before.GetRequiredService<JtlEventPoller>().PollOnceAsync()).Processed.ShouldBe(5);
        }

        first.Handled.ShouldBe(5);

        _emulator.Options.DropAcknowledgements = false;
        _emulator.Unacknowledged.ShouldBe(5);
        _emulator.ExpireVisibility();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var second = new JtlTests.FailOnce();
        await using var after = Host(second);
        var result = await after.GetRequiredService<JtlEventPoller>().PollOnceAsync();

        result.Duplicates.ShouldBe(5, "the ids were recorded in SQLite by the first run");
        result.Processed.ShouldBe(0);
        second.Handled.ShouldBe(0, "no handler ran twice");
        _emulator.Unacknowledged.ShouldBe(0);
        (await after.GetRequiredService<IMappingStore>().FindByReferenceAsync(new MappingScope(JtlClientOptions.ChannelName, new SellerScope("seller-7")), "6003"))!.IsActive.ShouldBeTrue();
    }

    internal sealed class CountingHandler(JtlTests.FailOnce counter) : IListingEventHandler
    {
        public Task HandleAsync(ListingEvent listingEvent, CancellationToken cancellationToken)
        {
            counter.Done();
            return Task.CompletedTask;
        }
    }
}
