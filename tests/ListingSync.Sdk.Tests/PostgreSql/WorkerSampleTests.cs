using System.Diagnostics;
using System.Globalization;
using System.Text;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.PostgreSql;
using ListingSync.Sdk.Testing.Managem;
using ListingSync.Sdk.Tests.Samples;
using ListingSync.Sdk.Webhooks;
using ListingSync.Sdk.WorkerSample;
using Npgsql;

namespace ListingSync.Sdk.Tests.PostgreSql;

/// <summary>
/// Issue 19: three copies of <c>samples/ListingSync.Worker</c> share five sellers and one PostgreSQL database; one is
/// killed with SIGKILL mid-run. Every event is handled, no seller is reconciled by two workers at once, the killed
/// worker's sellers are taken over within the lease time plus a second, and the emulator holds no duplicate listing.
/// </summary>
[Collection(PostgresServer.Name)]
public sealed class WorkerSampleTests(PostgresFixture db)
{
    private const int Events = 3_000; // the --worker-soak run of the benchmarks project uses 30,000
    private const int Products = 20;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);

    [SkippableFact]
    [Trait("Category", "Chaos")]
    public async Task Three_workers_share_five_sellers_and_lose_one_to_kill_9_with_nothing_lost_or_duplicated()
    {
        db.Require();
        var schema = PostgresFixture.NewSchema("w");
        string[] sellers = ["seller-1", "seller-2", "seller-3", "seller-4", "seller-5"];
        await using var emulator = await ManagemEmulator.StartAsync();
        foreach (var seller in sellers)
        {
            emulator.AddSeller(seller, "token-" + seller);
        }

        // The webhook receiver's side: events accepted into the shared inbox before the workers start.
        var options = new PostgresStoreOptions { ConnectionString = db.ConnectionString, Schema = schema };
        await using (var store = new PostgresMappingStore(options))
        {
            using var inbox = new PostgresEventInbox(store);
            await Parallel.ForEachAsync(Enumerable.Range(0, Events), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
                await inbox.AcceptAsync(new ListingEvent { Channel = "managem", Seller = new SellerScope(sellers[i % 5]), EventId = $"evt-{i:D5}", Kind = ListingEventKind.Test, Type = "TEST" }, ct));
        }

        var outputs = new Dictionary<string, StringBuilder>();
        var workers = new Dictionary<string, Process>();
        foreach (var name in new[] { "worker-1", "worker-2", "worker-3" })
        {
            outputs[name] = new StringBuilder();
            workers[name] = SampleProcess.StartBackground("ListingSync.Worker", outputs[name],
                "--postgres", db.ConnectionString, "--schema", schema, "--managem", emulator.BaseAddress.ToString(),
                "--sellers", string.Join(',', sellers), "--name", name, "--products", Products.ToString(CultureInfo.InvariantCulture),
                "--lease", Lease.TotalSeconds.ToString(CultureInfo.InvariantCulture), "--interval", "1", "--max-sellers", "3", "--visibility", "5");
        }

        try
        {
            // Every seller reconciled once, then the worker owning the most sellers dies.
            await WaitAsync(async () => (await WorkerSampleTables.ScalarAsync<long>(db.ConnectionString, $"SELECT count(DISTINCT seller) FROM \"{schema}\".sample_runs")) == 5, TimeSpan.FromSeconds(90), outputs, workers.Values);
            var owners = await WorkerSampleTables.OwnersAsync(db.ConnectionString, schema);
            var victim = owners.GroupBy(o => o.Value).OrderByDescending(g => g.Count()).First().Key;
            var orphaned = owners.Where(o => o.Value == victim).Select(o => o.Key).ToList();
            workers[victim].Kill(entireProcessTree: true); // SIGKILL: no lease released, no run finished
            var killedAt = DateTimeOffset.UtcNow;
            await workers[victim].WaitForExitAsync();

            // Its sellers are taken over by the others.
            await WaitAsync(async () => (await WorkerSampleTables.OwnersAsync(db.ConnectionString, schema)).Where(o => orphaned.Contains(o.Key)).All(o => o.Value != victim), TimeSpan.FromSeconds(30), outputs);
            var takeover = await WorkerSampleTables.ScalarAsync<DateTime>(db.ConnectionString, $"SELECT max(to_timestamp(acquired_at / 10000000.0 - 62135596800)) FROM \"{schema}\".leases WHERE channel = 'worker/managem' AND seller = ANY(@sellers)", ("sellers", orphaned.ToArray()));
            var failover = new DateTimeOffset(DateTime.SpecifyKind(takeover, DateTimeKind.Utc)) - killedAt;
            Console.WriteLine($"fail-over after kill -9: {failover.TotalSeconds:0.00} s (lease {Lease.TotalSeconds} s)");
            failover.ShouldBeLessThanOrEqualTo(Lease + TimeSpan.FromSeconds(1), $"sellers {string.Join(", ", orphaned)} of {victim}");

            // Every event handled, by the survivors if need be (the one the killed worker held comes back after --visibility).
            await WaitAsync(async () => (await WorkerSampleTables.ScalarAsync<long>(db.ConnectionString, $"SELECT count(DISTINCT event_id) FROM \"{schema}\".sample_events")) == Events, TimeSpan.FromSeconds(90), outputs);
            await WaitAsync(async () => (await WorkerSampleTables.ScalarAsync<long>(db.ConnectionString, $"SELECT count(*) FROM \"{schema}\".sample_runs WHERE seller = ANY(@sellers) AND started_at > @killed", ("sellers", orphaned.ToArray()), ("killed", killedAt))) >= orphaned.Count, TimeSpan.FromSeconds(30), outputs);
        }
        finally
        {
            foreach (var (name, process) in workers.Where(w => !w.Value.HasExited))
            {
                using var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
                if (!process.WaitForExit(15_000))
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }

        var logs = string.Join("\n", outputs.Select(o => $"--- {o.Key}\n{o.Value}"));

        // No seller reconciled by two workers at once: each run of a seller ends before another worker's next starts.
        var runs = await WorkerSampleTables.RunsAsync(db.ConnectionString, schema);
        WorkerSampleTables.Overlaps(runs).ShouldBeEmpty(logs);

        // No duplicate listing: every seller's listings carry distinct references, one per product.
        foreach (var seller in sellers)
        {
            var listings = emulator.Listings(seller);
            listings.Select(l => l.Reference).Distinct().Count().ShouldBe(listings.Count, seller);
            listings.Count.ShouldBe(Products, $"{seller}\n{logs}");
        }
    }

    private async Task WaitAsync(Func<Task<bool>> done, TimeSpan timeout, Dictionary<string, StringBuilder> outputs, IEnumerable<Process>? running = null, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(done))] string what = "")
    {
        var watch = Stopwatch.StartNew();
        while (!await done())
        {
            if (watch.Elapsed > timeout || running?.Any(p => p.HasExited) == true)
            {
                var log = string.Join("\n", outputs.Select(o => { lock (o.Value) { return $"--- {o.Key}\n{o.Value}"; } }));
                throw new TimeoutException($"{what}: not done within {timeout} (or a worker stopped):\n{log}");
            }

            await Task.Delay(200);
        }
    }
}
