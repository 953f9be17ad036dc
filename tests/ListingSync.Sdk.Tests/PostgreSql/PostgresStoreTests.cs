using System.Collections.Concurrent;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.PostgreSql;
using ListingSync.Sdk.Testing;
using ListingSync.Sdk.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace ListingSync.Sdk.Tests.PostgreSql;

/// <summary>Issue 19: the PostgreSQL store and inbox against a real server, several "workers" (store instances) at once.</summary>
[Collection(PostgresServer.Name)]
public sealed class PostgresStoreTests(PostgresFixture db)
{
    private static readonly MappingScope Scope = new("managem", new SellerScope("s1"));

    public static TheoryData<string> Cases => new(MappingStoreContract.CaseNames);

    private PostgresMappingStore Store(string schema, TimeProvider? clock = null, bool autoMigrate = true) =>
        new(new PostgresStoreOptions { ConnectionString = db.ConnectionString, Schema = schema, Clock = clock, AutoMigrate = autoMigrate, PollInterval = TimeSpan.FromMilliseconds(50) });

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public Task Postgres_store_meets_the_contract(string name)
    {
        db.Require();
        return MappingStoreContract.RunAsync(name, clock => Store(PostgresFixture.NewSchema("c"), clock));
    }

    [SkippableFact]
    public async Task After_a_bulk_load_the_planner_statistics_are_refreshed_so_versioned_writes_probe_the_index()
    {
        db.Require();
        var schema = PostgresFixture.NewSchema();
        await using var store = Store(schema);
        var loaded = await store.UpsertManyAsync([.. Enumerable.Range(0, 10_000).Select(i => MappingStoreContract.Sample(Scope, $"ref-{i:D5}", $"lst-{i}"))]);

        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        await using var stats = new NpgsqlCommand($"SELECT reltuples FROM pg_class WHERE oid = '\"{schema}\".mappings'::regclass", connection);
        ((float)(await stats.ExecuteScalarAsync())!).ShouldBeGreaterThanOrEqualTo(10_000f, "the store analyzed the table after loading 10,000 rows");

        // A batch of 1 % of the table (1,000 of the 100,000 the benchmark writes, here 100 of 10,000) is planned as one
        // primary-key probe per row, not as a hash of the seller's whole table (what stale statistics led to).
        await using var explain = new NpgsqlCommand($"""
            EXPLAIN UPDATE "{schema}".mappings m SET version = m.version + 1 FROM unnest(@references) AS u(reference)
            WHERE m.channel = 'managem' AND m.seller = 's1' AND m.reference = u.reference
            """, connection);
        explain.Parameters.Add(new NpgsqlParameter<string[]>("references", [.. loaded.Take(100).Select(m => m.Reference)]));
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        string.Join("\n", plan).ShouldContain("Index Scan using mappings_pkey");
    }

    [SkippableFact]
    public async Task A_version_1_schema_is_migrated_to_version_2_keeping_its_mappings()
    {
        db.Require();
        var schema = PostgresFixture.NewSchema();
        await using (var first = Store(schema))
        {
            await first.UpsertAsync(MappingStoreContract.Sample(Scope, "kept", "lst-kept"));
        }

        // Back to what version 1 of the package left: jsonb columns, version 1 recorded.
        await using (var connection = new NpgsqlConnection(db.ConnectionString))
        {
            await connection.OpenAsync();
            await using var downgrade = new NpgsqlCommand($"""
                ALTER TABLE "{schema}".mappings ALTER COLUMN item TYPE jsonb USING item::jsonb, ALTER COLUMN state TYPE jsonb USING state::jsonb;
                DELETE FROM "{schema}".schema_version WHERE version = 2;
                """, connection);
            await downgrade.ExecuteNonQueryAsync();
        }

        await using var upgraded = Store(schema);
        var kept = (await upgraded.FindByReferenceAsync(Scope, "kept")).ShouldNotBeNull();
        kept.ListingId.ShouldBe("lst-kept");
        kept.State.ShouldNotBeNull();
        await upgraded.UpsertAsync(kept with { NeedsReview = "checked" });

        await using var check = new NpgsqlConnection(db.ConnectionString);
        await check.OpenAsync();
        await using var type = new NpgsqlCommand($"SELECT data_type FROM information_schema.columns WHERE table_schema = '{schema}' AND table_name = 'mappings' AND column_name = 'state'", check);
        ((string)(await type.ExecuteScalarAsync())!).ShouldBe("text");
        await using var versions = new NpgsqlCommand($"SELECT max(version) FROM \"{schema}\".schema_version", check);
        ((int)(await versions.ExecuteScalarAsync())!).ShouldBe(PostgresMappingStore.SchemaVersion);
    }

    [SkippableFact]
    public async Task Workers_starting_together_migrate_once_under_the_advisory_lock()
    {
        db.Require();
        var schema = PostgresFixture.NewSchema();
        var stores = Enumerable.Range(0, 6).Select(_ => Store(schema)).ToList();

        await Task.WhenAll(stores.Select(s => s.MigrateAsync()));
        await Task.WhenAll(stores.Select(async (s, i) => await s.UpsertAsync(MappingStoreContract.Sample(Scope, $"ref-{i}", $"lst-{i}"))));

        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM \"{schema}\".schema_version", connection);
        ((long)(await command.ExecuteScalarAsync())!).ShouldBe(PostgresMappingStore.SchemaVersion, "each version recorded once");
        (await stores[0].ListAsync(Scope).CountAsync()).ShouldBe(6);
    }

    [SkippableFact]
    public async Task Without_auto_migration_the_store_names_the_deployment_step_then_works_after_it()
    {
        db.Require();
        var schema = PostgresFixture.NewSchema();
        await using var store = Store(schema, autoMigrate: false);

        var error = await Should.ThrowAsync<ListingSyncException>(() => store.FindByReferenceAsync(Scope, "x").AsTask());
        error.Message.ShouldContain("MigrateAsync()");

        await using var deploy = Store(schema);
        await deploy.MigrateAsync();
        (await store.FindByReferenceAsync(Scope, "x")).ShouldBeNull();
    }

    [SkippableFact]
    public async Task The_database_keeps_one_listing_per_id_across_workers_and_a_batch_is_all_or_nothing()
    {
        db.Require();
        var schema = PostgresFixture.NewSchema();
        await using var first = Store(schema);
        await using var second = Store(schema);
        await first.UpsertAsync(MappingStoreContract.Sample(Scope, "sku-1", "lst_1"));

        await Should.ThrowAsync<MappingConflictException>(() => second.UpsertAsync(MappingStoreContract.Sample(Scope, "sku-2", "lst_1")).AsTask());

        var batch = Enumerable.Range(0, 500).Select(i => MappingStoreContract.Sample(Scope, $"b-{i}", $"lb_{i}")).Append(MappingStoreContract.Sample(Scope, "b-bad", "lst_1")).ToList();
        await Should.ThrowAsync<MappingConflictException>(() => second.UpsertManyAsync(batch).AsTask());
        (await first.ListAsync(Scope).CountAsync()).ShouldBe(1, "nothing of the failed batch was written");

        var written = await second.UpsertManyAsync(batch[..500]);
        written.ShouldAllBe(m => m.Version == 1);
        (await first.FindByReferencesAsync(Scope, ["b-0", "b-499", "nope"])).Keys.Order().ShouldBe(["b-0", "b-499"]);
    }

    [SkippableFact]
    public async Task A_batch_that_writes_one_reference_twice_applies_both_in_order()
    {
        db.Require();
        await using var store = Store(PostgresFixture.NewSchema());
        var first = MappingStoreContract.Sample(Scope, "r1", "l1");

        var written = await store.UpsertManyAsync([first, MappingStoreContract.Sample(Scope, "r2", "l2"), first with { Version = 1, NeedsReview = "check" }]);

        written.Select(m => m.Version).ShouldBe([1L, 1L, 2L]);
        (await store.FindByReferenceAsync(Scope, "r1")).ShouldNotBeNull().NeedsReview.ShouldBe("check");
    }

    [SkippableFact]
    public async Task A_worker_whose_lease_lapsed_cannot_write_after_another_took_the_seller_over()
    {
        db.Require();
        var schema = PostgresFixture.NewSchema();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var workerA = Store(schema, clock);
        await using var workerB = Store(schema, clock);

        var leaseA = (await workerA.TryAcquireLeaseAsync(Scope, "worker-a", TimeSpan.FromSeconds(30))).ShouldNotBeNull();
        (await workerB.TryAcquireLeaseAsync(Scope, "worker-b", TimeSpan.FromSeconds(30))).ShouldBeNull("the seller is owned");
        await workerA.UpsertAsync(MappingStoreContract.Sample(Scope, "r1", "l1") with { LeaseToken = leaseA.Token });

        clock.Advance(TimeSpan.FromSeconds(31)); // worker A stalls (GC pause, network) past its lease
        var leaseB = (await workerB.TryAcquireLeaseAsync(Scope, "worker-b", TimeSpan.FromSeconds(30))).ShouldNotBeNull();
        leaseB.Token.ShouldBeGreaterThan(leaseA.Token);

        var lost = await Should.ThrowAsync<MappingLeaseLostException>(() => workerA.UpsertAsync(MappingStoreContract.Sample(Scope, "r2", "l2") with { LeaseToken = leaseA.Token }).AsTask());
        lost.Message.ShouldContain("worker-b");
        (await workerA.RenewLeaseAsync(leaseA, TimeSpan.FromSeconds(30))).ShouldBeNull();
        await workerB.UpsertAsync(MappingStoreContract.Sample(Scope, "r2", "l2") with { LeaseToken = leaseB.Token });
        (await workerA.FindByReferenceAsync(Scope, "r2")).ShouldNotBeNull();
    }

    [SkippableFact]
    public async Task Competing_workers_take_each_event_exactly_once()
    {
        db.Require();
        var schema = PostgresFixture.NewSchema();
        await using var storeA = Store(schema);
        await using var storeB = Store(schema);
        using var inboxA = new PostgresEventInbox(storeA);
        using var inboxB = new PostgresEventInbox(storeB);
        for (var i = 0; i < 200; i++)
        {
            (await (i % 2 == 0 ? inboxA : inboxB).AcceptAsync(Event($"evt-{i}"))).ShouldBeTrue();
        }

        (await inboxB.AcceptAsync(Event("evt-7"))).ShouldBeFalse("a duplicate delivery is recorded once, whichever worker received it");

        var handled = new ConcurrentDictionary<string, string>();
        var twice = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        async Task Consume(PostgresEventInbox inbox, string name)
        {
            while (handled.Count < 200 && !stop.IsCancellationRequested)
            {
                if (await inbox.TryClaimAsync(stop.Token) is not { } item)
                {
                    await Task.Delay(10, stop.Token);
                    continue;
                }

                if (!handled.TryAdd(item.Event.EventId, name))
                {
                    Interlocked.Increment(ref twice);
                }

                await inbox.CompleteAsync(item, stop.Token);
            }
        }

        await Task.WhenAll(Consume(inboxA, "a1"), Consume(inboxA, "a2"), Consume(inboxB, "b1"), Consume(inboxB, "b2"));

        twice.ShouldBe(0);
        handled.Count.ShouldBe(200);
        handled.Values.Distinct().Count().ShouldBeGreaterThan(1, "the work was shared");
        var counts = await inboxA.GetCountsAsync();
        (counts.Handled, counts.Pending, counts.DeadLettered).ShouldBe((200L, 0L, 0L));
    }

    [SkippableFact]
    public async Task An_event_taken_by_a_crashed_worker_is_offered_again_after_the_visibility_timeout()
    {
        db.Require();
        var schema = PostgresFixture.NewSchema();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var storeA = Store(schema, clock);
        await using var storeB = Store(schema, clock);
        using var crashed = new PostgresEventInbox(storeA);
        using var survivor = new PostgresEventInbox(storeB);
        await crashed.AcceptAsync(Event("evt-1"));

        (await crashed.TryClaimAsync()).ShouldNotBeNull(); // taken, never completed: the worker died
        (await survivor.TryClaimAsync()).ShouldBeNull("invisible while the first worker may still be on it");

        clock.Advance(storeA.Options.VisibilityTimeout + TimeSpan.FromSeconds(1));
        var again = (await survivor.TryClaimAsync()).ShouldNotBeNull();
        again.Event.EventId.ShouldBe("evt-1");
        await survivor.CompleteAsync(again);
        (await survivor.GetCountsAsync()).Handled.ShouldBe(1);
    }

    [SkippableFact]
    public async Task Failures_are_retried_then_dead_lettered_and_can_be_requeued()
    {
        db.Require();
        var schema = PostgresFixture.NewSchema();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var store = Store(schema, clock);
        using var inbox = new PostgresEventInbox(store, new EventInboxOptions { MaxAttempts = 2, RetryDelay = TimeSpan.FromSeconds(10) });
        await inbox.AcceptAsync(Event("evt-1"));

        var first = (await inbox.TryClaimAsync()).ShouldNotBeNull();
        await inbox.FailAsync(first, new InvalidOperationException("handler down"));
        (await inbox.TryClaimAsync()).ShouldBeNull("waiting for its retry delay");
        clock.Advance(TimeSpan.FromSeconds(11));
        var second = (await inbox.TryClaimAsync()).ShouldNotBeNull();
        second.Attempt.ShouldBe(2);
        await inbox.FailAsync(second, new InvalidOperationException("still down"));

        var dead = (await inbox.GetDeadLettersAsync()).ShouldHaveSingleItem();
        dead.LastError!.Message.ShouldBe("still down");
        (await inbox.RequeueDeadLettersAsync()).ShouldBe(1);
        (await inbox.TryClaimAsync()).ShouldNotBeNull().Attempt.ShouldBe(1);
    }

    [SkippableFact]
    public async Task A_missing_connection_string_fails_at_start_up_naming_the_key()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddListingSync().AddPostgresMappingStore(o => o.Schema = "1bad");
        using var host = builder.Build();

        var error = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync());

        error.Message.ShouldContain("ListingSync:PostgreSql:ConnectionString is required");
        error.Message.ShouldContain("ListingSync:PostgreSql:Schema must be");
    }

    [SkippableFact]
    public async Task Registered_store_and_inbox_work_together()
    {
        db.Require();
        var services = new ServiceCollection();
        services.AddListingSync()
            .AddPostgresMappingStore(o => { o.ConnectionString = db.ConnectionString; o.Schema = PostgresFixture.NewSchema(); })
            .AddPostgresEventInbox();
        await using var provider = services.BuildServiceProvider();

        var inbox = provider.GetRequiredService<IEventInbox>().ShouldBeOfType<PostgresEventInbox>();
        (await inbox.AcceptAsync(Event("evt-1"))).ShouldBeTrue();
        (await provider.GetRequiredService<IMappingStore>().HasEventAsync(new MappingScope("managem", new SellerScope("s1")), "evt-1")).ShouldBeTrue("the id is recorded with the event, in one transaction");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        (await inbox.TakeAsync(cancel.Token)).Event.EventId.ShouldBe("evt-1");
    }

    private static ListingEvent Event(string id) => new()
    {
        Channel = "managem",
        Seller = new SellerScope("s1"),
        EventId = id,
        Kind = ListingEventKind.ListingUpdated,
        Type = "LISTING_UPDATED",
        ListingId = "lst_" + id,
        Price = Money.Gbp(1.25m),
    };
}
