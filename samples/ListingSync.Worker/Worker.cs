using System.Diagnostics;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.PostgreSql;
using ListingSync.Sdk.Reconciliation;
using ListingSync.Sdk.Webhooks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ListingSync.WorkerSample;

/// <summary>What this copy of the worker does.</summary>
internal sealed record WorkerSettings(string Name, IReadOnlyList<string> Sellers, int Products, TimeSpan Lease, TimeSpan Interval, int MaxSellers);

/// <summary>
/// Takes sellers by lease and reconciles the ones it owns: every round it renews the leases it holds (a lost one is
/// dropped), takes free sellers up to <see cref="WorkerSettings.MaxSellers"/>, then reconciles each owned seller that
/// is due. The ownership lease is on its own scope (<c>worker/managem</c>); the reconciler's apply lease on
/// <c>managem</c> stays underneath and fences every write.
/// </summary>
internal sealed class SellerOwnership(WorkerSettings settings, IMappingStore store, Reconciler reconciler, ManagemChannel channel, IOptions<PostgresStoreOptions> database, IEventInbox inbox) : BackgroundService
{
    private readonly Dictionary<string, MappingLease> _owned = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _due = new(StringComparer.Ordinal);
    private DateTimeOffset _nextReport;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ClaimAsync(stoppingToken);
                if (DateTimeOffset.UtcNow >= _nextReport)
                {
                    var counts = await inbox.GetCountsAsync(stoppingToken);
                    Console.WriteLine($"{settings.Name}: owns {string.Join(", ", _owned.Keys.Order(StringComparer.Ordinal))}; inbox: {counts.Handled} handled, {counts.Pending} pending, {counts.DeadLettered} dead letters");
                    _nextReport = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5);
                }

                foreach (var seller in _owned.Keys.ToList())
                {
                    if (_due.GetValueOrDefault(seller) <= DateTimeOffset.UtcNow && await RenewAsync(seller, stoppingToken))
                    {
                        await ReconcileAsync(seller, stoppingToken);
                        _due[seller] = DateTimeOffset.UtcNow + settings.Interval;
                    }
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(settings.Lease.TotalMilliseconds / 4, settings.Interval.TotalMilliseconds)), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is ListingSync.Sdk.ListingSyncException or NpgsqlException or HttpRequestException)
            {
                Console.WriteLine($"{settings.Name}: {ex.GetType().Name}: {ex.Message}");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }

        foreach (var lease in _owned.Values)
        {
            await store.ReleaseLeaseAsync(lease, CancellationToken.None); // a clean stop hands the sellers over at once
        }
    }

    private async Task ClaimAsync(CancellationToken cancellationToken)
    {
        foreach (var seller in settings.Sellers)
        {
            if (_owned.ContainsKey(seller))
            {
                await RenewAsync(seller, cancellationToken);
            }
            else if ((settings.MaxSellers == 0 || _owned.Count < settings.MaxSellers)
                && await store.TryAcquireLeaseAsync(Scope(seller), settings.Name, settings.Lease, cancellationToken) is { } lease)
            {
                _owned[seller] = lease;
                Console.WriteLine($"{settings.Name}: took {seller} (token {lease.Token})");
            }
        }
    }

    private async Task<bool> RenewAsync(string seller, CancellationToken cancellationToken)
    {
        if (await store.RenewLeaseAsync(_owned[seller], settings.Lease, cancellationToken) is { } renewed)
        {
            _owned[seller] = renewed;
            return true;
        }

        _owned.Remove(seller);
        Console.WriteLine($"{settings.Name}: lost {seller}");
        return false;
    }

    private async Task ReconcileAsync(string seller, CancellationToken cancellationToken)
    {
        // Every owned seller's lease is renewed while the reconciliation runs; if this seller's is lost, the reconciliation
        // stops (and the apply's own fenced lease refuses any write it still attempts).
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var done = new CancellationTokenSource();
        var renewal = KeepOwnershipAsync(seller, lost, done.Token);
        var started = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        try
        {
            var options = new ReconcilerOptions { LeaseHolder = settings.Name, LeaseDuration = settings.Lease, LeaseWait = settings.Lease };
            var plan = await reconciler.PlanAsync(channel, new SellerScope(seller), Inventory(seller).ToAsyncEnumerable(), options, lost.Token);
            var result = await reconciler.ApplyAsync(channel, plan, options, cancellationToken: lost.Token);
            await SampleTables.RecordRunAsync(database.Value, seller, settings.Name, started, DateTimeOffset.UtcNow, cancellationToken);
            Console.WriteLine($"{settings.Name}: reconciled {seller}: {plan.Count(PlanAction.Create)} created, {plan.Count(PlanAction.Update)} updated, {result.NotSucceeded} not succeeded ({watch.Elapsed.TotalSeconds:0.00} s)");
            foreach (var failure in result.Results.Where(s => s.Status != ListingSync.Sdk.Channels.ListingWriteStatus.Succeeded).Take(3))
            {
                Console.WriteLine($"{settings.Name}:   {failure.Step.Reference}: {failure.Status} {string.Join("; ", failure.Errors.Select(e => e.Message))}");
            }
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Console.WriteLine($"{settings.Name}: stopped reconciling {seller}: its lease was lost");
        }
        finally
        {
            await done.CancelAsync();
            await renewal;
        }
    }

    private async Task KeepOwnershipAsync(string seller, CancellationTokenSource lost, CancellationToken done)
    {
        try
        {
            while (!done.IsCancellationRequested)
            {
                await Task.Delay(settings.Lease / 3, done);
                foreach (var owned in _owned.Keys.ToList())
                {
                    if (!await RenewAsync(owned, done) && owned == seller)
                    {
                        await lost.CancelAsync();
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
        }
    }

    /// <summary>The host's inventory for one seller: generated, the same in every copy of the worker.</summary>
    private IEnumerable<ListingDraft> Inventory(string seller) => Enumerable.Range(0, settings.Products).Select(i => new ListingDraft
    {
        Reference = $"{seller}-p{i:D3}",
        Item = ItemIdentity.FromUrn($"urn:managem:pokemon:set/gen-1/card/{i + 1}"),
        Condition = ListingCondition.NearMint,
        Language = "English",
        Price = Money.Gbp(1.00m + (i % 7)),
        Quantity = 1 + (i % 3),
    });

    private static MappingScope Scope(string seller) => new("worker/managem", new SellerScope(seller));
}

/// <summary>The sample's handler of test events: records which worker handled which event.</summary>
internal sealed class EventLog(WorkerSettings settings, IOptions<PostgresStoreOptions> database) : IListingEventHandler
{
    public Task HandleAsync(ListingEvent listingEvent, CancellationToken cancellationToken) =>
        SampleTables.RecordEventAsync(database.Value, listingEvent.EventId, settings.Name, cancellationToken);
}

/// <summary>The sample's own tables, next to the SDK's, so that runs of several copies can be compared.</summary>
internal static class SampleTables
{
    public static async Task CreateAsync(PostgresStoreOptions options, CancellationToken cancellationToken)
    {
        await using var store = new PostgresMappingStore(options);
        await store.MigrateAsync(cancellationToken);
        await ExecuteAsync(options, $"""
            SELECT pg_advisory_xact_lock(hashtext('listingsync-sample'));
            CREATE TABLE IF NOT EXISTS "{options.Schema}".sample_runs (seller text NOT NULL, worker text NOT NULL, started_at timestamptz NOT NULL, ended_at timestamptz NOT NULL);
            CREATE TABLE IF NOT EXISTS "{options.Schema}".sample_events (event_id text NOT NULL, worker text NOT NULL, handled_at timestamptz NOT NULL DEFAULT clock_timestamp());
            """, [], cancellationToken);
    }

    public static Task RecordRunAsync(PostgresStoreOptions options, string seller, string worker, DateTimeOffset started, DateTimeOffset ended, CancellationToken cancellationToken) =>
        ExecuteAsync(options, $"INSERT INTO \"{options.Schema}\".sample_runs VALUES ($1, $2, $3, $4)", [seller, worker, started, ended], cancellationToken);

    public static Task RecordEventAsync(PostgresStoreOptions options, string eventId, string worker, CancellationToken cancellationToken) =>
        ExecuteAsync(options, $"INSERT INTO \"{options.Schema}\".sample_events (event_id, worker) VALUES ($1, $2)", [eventId, worker], cancellationToken);

    private static async Task ExecuteAsync(PostgresStoreOptions options, string sql, object[] values, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(options.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
