using System.Net;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.DependencyInjection;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Sqlite;
using ListingSync.Sdk.Testing;
using ListingSync.Sdk.Webhooks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ListingSync.Sdk.Tests.Webhooks;

public sealed class DurableInboxTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"inbox-test-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    private static ListingEvent Event(string id, ListingEventKind kind = ListingEventKind.ListingUpdated) => new()
    {
        Channel = ManagemClientOptions.ChannelName,
        Seller = new SellerScope("seller-1"),
        EventId = id,
        Kind = kind,
        Type = "LISTING_UPDATED",
        OccurredAt = new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero),
        ListingId = "lst_" + id,
        ItemUrn = "urn:managem:pokemon:set/151/card/25",
        Price = Money.Gbp(3.25m),
        Quantity = 4,
        Available = 2,
        Condition = ListingCondition.NearMint,
        Visibility = ListingVisibility.Hidden,
        ListingUpdatedAt = new DateTimeOffset(2026, 11, 1, 7, 59, 0, TimeSpan.Zero),
    };

    [Fact]
    public async Task Accepted_events_survive_a_restart_and_duplicates_stay_dropped()
    {
        using (var inbox = new SqliteEventInbox(new SqliteMappingStore(_path)))
        {
            (await inbox.AcceptAsync(Event("a"))).ShouldBeTrue();
            (await inbox.AcceptAsync(Event("b"))).ShouldBeTrue();
            (await inbox.AcceptAsync(Event("a"))).ShouldBeFalse();
            inbox.Pending.ShouldBe(2);
            inbox.TryTake(out var first).ShouldBeTrue();
            await inbox.CompleteAsync(first!);
        }

        // A new process: same file, nothing in memory.
        SqliteConnection.ClearAllPools();
        using var restarted = new SqliteEventInbox(new SqliteMappingStore(_path));
        await restarted.LoadAsync();
        restarted.Pending.ShouldBe(1);
        restarted.TryTake(out var left).ShouldBeTrue();
        left!.Event.ShouldBe(Event("b"), "every field round-trips");
        (await restarted.AcceptAsync(Event("a"))).ShouldBeFalse("the duplicate check is durable too");
        await restarted.CompleteAsync(left);
        restarted.Pending.ShouldBe(0);
    }

    [Fact]
    public async Task Retries_wait_their_delay_and_dead_letters_persist_until_requeued()
    {
        var time = new FakeTimeProvider();
        using (var inbox = new SqliteEventInbox(new SqliteMappingStore(_path), time, new EventInboxOptions { MaxAttempts = 2, RetryDelay = TimeSpan.FromSeconds(10) }))
        {
            await inbox.AcceptAsync(Event("x"));
            inbox.TryTake(out var item).ShouldBeTrue();
            await inbox.FailAsync(item!, new InvalidOperationException("boom 1"));
            inbox.TryTake(out _).ShouldBeFalse("not before the retry delay");
            time.Advance(TimeSpan.FromSeconds(10));
            inbox.TryTake(out var retry).ShouldBeTrue();
            retry!.Attempt.ShouldBe(2);
            await inbox.FailAsync(retry, new InvalidOperationException("boom 2"));
            inbox.Pending.ShouldBe(0);
        }

        SqliteConnection.ClearAllPools();
        using var restarted = new SqliteEventInbox(new SqliteMappingStore(_path), time);
        var dead = (await restarted.GetDeadLettersAsync()).ShouldHaveSingleItem();
        dead.Event.EventId.ShouldBe("x");
        dead.LastError!.Message.ShouldBe("boom 2");
        (await restarted.RequeueDeadLettersAsync()).ShouldBe(1);
        restarted.TryTake(out var again).ShouldBeTrue();
        again!.Attempt.ShouldBe(1);
        (await restarted.GetDeadLettersAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_event_acknowledged_before_the_host_stopped_is_handled_after_it_restarts()
    {
        var secret = StandardWebhookSigner.NewSecret();
        var log = new HandlerLog { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using (var host = await WebhookTestHost.StartAsync(
            o => o.UseDefaultHandlers = false,
            sync => { sync.Services.AddSingleton(log); sync.AddEventHandler<RecordingHandler>(ListingEventKind.Test); },
            withEmulator: false,
            sqlitePath: _path))
        {
            host.Secrets.Set(ManagemClientOptions.ChannelName, WebhookTestHost.Seller, WebhookSecret.FromStandardWebhooks(secret));
            using var response = await host.Http.SendAsync(new SignedWebhookBuilder(secret).WithId("evt_survivor").ToRequest(host.Endpoint));
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            await log.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        } // stopped while the handler was still busy

        log.Handled.ShouldBeEmpty();
        SqliteConnection.ClearAllPools();
        var after = new HandlerLog();
        await using (var host = await WebhookTestHost.StartAsync(
            o => o.UseDefaultHandlers = false,
            sync => { sync.Services.AddSingleton(after); sync.AddEventHandler<RecordingHandler>(ListingEventKind.Test); },
            withEmulator: false,
            sqlitePath: _path))
        {
            await ((SqliteEventInbox)host.Inbox).LoadAsync();
            await host.WaitForInboxAsync();
            after.Handled.ShouldHaveSingleItem().EventId.ShouldBe("evt_survivor");
        }
    }
}

public class InboxRetryPolicyTests
{
    [Fact]
    public void Both_inboxes_share_one_policy_doubling_the_delay_until_the_last_attempt_makes_a_dead_letter()
    {
        var options = new ListingSync.Sdk.Webhooks.EventInboxOptions { MaxAttempts = 4, RetryDelay = TimeSpan.FromSeconds(1) };

        Enumerable.Range(1, 4).Select(options.RetryAfter).ShouldBe([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), null]);
    }
}

public sealed class InboxCountsTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"inbox-counts-{Guid.NewGuid():N}.db");

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task An_inbox_reports_what_it_accepted_handled_holds_dead_lettered_and_dropped(string kind)
    {
        var options = new ListingSync.Sdk.Webhooks.EventInboxOptions { MaxAttempts = 1 };
        ListingSync.Sdk.Webhooks.IEventInbox inbox = kind == "memory"
            ? new ListingSync.Sdk.Webhooks.InMemoryEventInbox(new ListingSync.Sdk.Mapping.InMemoryMappingStore(), null, options)
            : new ListingSync.Sdk.Sqlite.SqliteEventInbox(new ListingSync.Sdk.Sqlite.SqliteMappingStore(_path), null, options);
        ListingSync.Sdk.Webhooks.ListingEvent Event(string id) => new()
        {
            Channel = "managem", Seller = ListingSync.Sdk.Model.SellerScope.Default, EventId = id, Kind = ListingSync.Sdk.Webhooks.ListingEventKind.Test, Type = "TEST",
        };

        foreach (var id in new[] { "e1", "e2", "e3", "e1" })
        {
            await inbox.AcceptAsync(Event(id));
        }

        await inbox.CompleteAsync(await inbox.TakeAsync());
        await inbox.FailAsync(await inbox.TakeAsync(), new InvalidOperationException("handler failed"));

        (await inbox.GetCountsAsync()).ShouldBe(new ListingSync.Sdk.Webhooks.InboxCounts(Accepted: 3, Handled: 1, Pending: 1, DeadLettered: 1, Duplicates: 1));
        (inbox as IDisposable)?.Dispose();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }
}
