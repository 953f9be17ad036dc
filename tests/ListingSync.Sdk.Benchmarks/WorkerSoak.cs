using System.Diagnostics;
using System.Globalization;
using System.Text;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.PostgreSql;
using ListingSync.Sdk.Testing.Managem;
using ListingSync.Sdk.Webhooks;
using ListingSync.Sdk.WorkerSample;
using Npgsql;

namespace ListingSync.Sdk.Benchmarks;

/// <summary>
/// Issue 19 at soak size: three copies of <c>samples/ListingSync.Worker</c> share five sellers and 30,000 events in
/// one PostgreSQL database; the one owning the most sellers is killed with SIGKILL once every seller was reconciled.
/// Checks what the CI test checks at 3,000 events (every event handled, no seller reconciled by two workers at once,
/// take-over within the lease plus a second, no duplicate listing) and reports the figures. Run:
/// <c>export LISTINGSYNC_POSTGRES=$(bash .ci/postgres start); dotnet run -c Release --project tests/ListingSync.Sdk.Benchmarks -- --worker-soak [--events 30000] [--lease 3]</c>.
/// </summary>
internal static class WorkerSoak
{
    public static async Task<int> RunAsync(string[] args)
    {
        var events = SoakRunner.Arg(args, "--events", 30_000);
        var leaseSeconds = SoakRunner.Arg(args, "--lease", 3);
        const int Products = 20;
        var connectionString = PostgresUpsertBenchmark.ConnectionString;
        var schema = "soak_" + Guid.NewGuid().ToString("N")[..10];
        string[] sellers = ["seller-1", "seller-2", "seller-3", "seller-4", "seller-5"];
        await using var emulator = await ManagemEmulator.StartAsync();
        foreach (var seller in sellers)
        {
            emulator.AddSeller(seller, "token-" + seller);
        }

        var accepted = Stopwatch.StartNew();
        await using (var store = new PostgresMappingStore(new PostgresStoreOptions { ConnectionString = connectionString, Schema = schema }))
        {
            using var inbox = new PostgresEventInbox(store);
            await Parallel.ForEachAsync(Enumerable.Range(0, events), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
                await inbox.AcceptAsync(new ListingEvent { Channel = "managem", Seller = new SellerScope(sellers[i % 5]), EventId = $"evt-{i:D6}", Kind = ListingEventKind.Test, Type = "TEST" }, ct));
        }

        Console.WriteLine($"Accepted {events:N0} events into the shared inbox in {accepted.Elapsed.TotalSeconds:0.0} s ({events / accepted.Elapsed.TotalSeconds:N0}/s).");
        var outputs = new Dictionary<string, StringBuilder>();
        var workers = new Dictionary<string, Process>();
        var started = Stopwatch.StartNew();
        foreach (var name in new[] { "worker-1", "worker-2", "worker-3" })
        {
            outputs[name] = new StringBuilder();
            workers[name] = Start(outputs[name], "--postgres", connectionString, "--schema", schema, "--managem", emulator.BaseAddress.ToString(),
                "--sellers", string.Join(',', sellers), "--name", name, "--products", Products.ToString(CultureInfo.InvariantCulture),
                "--lease", leaseSeconds.ToString(CultureInfo.InvariantCulture), "--interval", "1", "--max-sellers", "3", "--visibility", "5");
        }

        var failures = new List<string>();
        TimeSpan failover;
        try
        {
            await WaitAsync(async () => await WorkerSampleTables.ScalarAsync<long>(connectionString, $"SELECT count(DISTINCT seller) FROM \"{schema}\".sample_runs") == 5, TimeSpan.FromMinutes(3));
            var owners = await WorkerSampleTables.OwnersAsync(connectionString, schema);
            var victim = owners.GroupBy(o => o.Value).OrderByDescending(g => g.Count()).First().Key;
            var orphaned = owners.Where(o => o.Value == victim).Select(o => o.Key).ToArray();
            var handledAtKill = await WorkerSampleTables.ScalarAsync<long>(connectionString, $"SELECT count(DISTINCT event_id) FROM \"{schema}\".sample_events");
            workers[victim].Kill(entireProcessTree: true);
            var killedAt = DateTimeOffset.UtcNow;
            await workers[victim].WaitForExitAsync();
            Console.WriteLine($"Killed {victim} (SIGKILL) owning {string.Join(", ", orphaned)}, {handledAtKill:N0} of {events:N0} events handled by then.");

            await WaitAsync(async () => (await WorkerSampleTables.OwnersAsync(connectionString, schema)).Where(o => orphaned.Contains(o.Key)).All(o => o.Value != victim), TimeSpan.FromMinutes(1));
            var takeover = await WorkerSampleTables.ScalarAsync<DateTime>(connectionString, $"SELECT max(to_timestamp(acquired_at / 10000000.0 - 62135596800)) FROM \"{schema}\".leases WHERE channel = 'worker/managem' AND seller = ANY(@sellers)", ("sellers", orphaned));
            failover = new DateTimeOffset(DateTime.SpecifyKind(takeover, DateTimeKind.Utc)) - killedAt;
            Console.WriteLine($"Fail-over: {failover.TotalSeconds:0.00} s after the kill (lease {leaseSeconds} s).");
            if (failover > TimeSpan.FromSeconds(leaseSeconds + 1))
            {
                failures.Add($"take-over took {failover.TotalSeconds:0.00} s, more than the lease plus a second");
            }

            await WaitAsync(async () => await WorkerSampleTables.ScalarAsync<long>(connectionString, $"SELECT count(DISTINCT event_id) FROM \"{schema}\".sample_events") == events, TimeSpan.FromMinutes(10));
            Console.WriteLine($"All {events:N0} events handled {started.Elapsed.TotalSeconds:0.0} s after the workers started ({events / started.Elapsed.TotalSeconds:N0}/s with two to three workers).");
        }
        finally
        {
            foreach (var process in workers.Values.Where(p => !p.HasExited))
            {
                using var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
                if (!process.WaitForExit(15_000))
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }

        var handledTwice = await WorkerSampleTables.ScalarAsync<long>(connectionString, $"SELECT count(*) - count(DISTINCT event_id) FROM \"{schema}\".sample_events");
        Console.WriteLine($"Events handled more than once (the killed worker's in-flight ones, redelivered after the visibility timeout): {handledTwice}.");
        var runs = await WorkerSampleTables.RunsAsync(connectionString, schema);
        failures.AddRange(WorkerSampleTables.Overlaps(runs).Select(o => "reconciled by two workers at once: " + o));
        Console.WriteLine($"Reconciliation runs: {runs.Count} over {runs.Select(r => r.Seller).Distinct().Count()} sellers; overlapping runs of one seller: {failures.Count(f => f.Contains("at once", StringComparison.Ordinal))}.");
        foreach (var seller in sellers)
        {
            var listings = emulator.Listings(seller);
            if (listings.Count != Products || listings.Select(l => l.Reference).Distinct().Count() != listings.Count)
            {
                failures.Add($"{seller}: {listings.Count} listings for {Products} products");
            }
        }

        Console.WriteLine($"Listings: {sellers.Sum(s => emulator.Listings(s).Count)} for {sellers.Length * Products} products (no duplicate: {failures.All(f => !f.Contains("listings", StringComparison.Ordinal))}).");
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA \"{schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }

        foreach (var failure in failures)
        {
            Console.WriteLine("FAILED: " + failure);
        }

        if (failures.Count > 0)
        {
            foreach (var (name, output) in outputs)
            {
                Console.WriteLine($"--- {name}\n{output}");
            }
        }

        Console.WriteLine(failures.Count == 0 ? "Worker soak passed." : $"Worker soak failed: {failures.Count} problem(s).");
        return failures.Count == 0 ? 0 : 1;
    }

    private static Process Start(StringBuilder output, params string[] arguments)
    {
        // tests/ListingSync.Sdk.Benchmarks/bin/<Configuration>/net10.0 → samples/ListingSync.Worker/bin/<Configuration>/net10.0
        var own = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var framework = Path.GetFileName(own);
        var configuration = Path.GetFileName(Path.GetDirectoryName(own)!);
        var root = Path.GetFullPath(Path.Combine(own, "..", "..", "..", "..", ".."));
        var dll = Path.Combine(root, "samples", "ListingSync.Worker", "bin", configuration, framework, "ListingSync.Worker.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is built by the benchmarks project's reference to the worker sample", dll);
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var until = DateTimeOffset.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > until)
            {
                throw new TimeoutException($"not reached within {timeout}");
            }

            await Task.Delay(200);
        }
    }
}
