using Npgsql;

namespace ListingSync.Sdk.WorkerSample;

/// <summary>
/// What the worker sample records in its schema (leases, sample_runs, sample_events), read the same way by the CI test
/// (3,000 events) and the benchmarks project's soak (30,000). Linked into both projects.
/// </summary>
internal static class WorkerSampleTables
{
    /// <summary>The live owner of each seller's ownership lease.</summary>
    public static async Task<Dictionary<string, string>> OwnersAsync(string connectionString, string schema)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT seller, holder FROM \"{schema}\".leases WHERE channel = 'worker/managem' AND token > 0 AND expires_at > @now", connection);
        command.Parameters.AddWithValue("now", DateTimeOffset.UtcNow.UtcTicks);
        await using var reader = await command.ExecuteReaderAsync();
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            owners[reader.GetString(0)] = reader.GetString(1);
        }

        return owners;
    }

    /// <summary>Every reconciliation run the workers recorded.</summary>
    public static async Task<List<(string Seller, string Worker, DateTimeOffset Started, DateTimeOffset Ended)>> RunsAsync(string connectionString, string schema)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT seller, worker, started_at, ended_at FROM \"{schema}\".sample_runs", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var runs = new List<(string, string, DateTimeOffset, DateTimeOffset)>();
        while (await reader.ReadAsync())
        {
            runs.Add((reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return runs;
    }

    /// <summary>One value; the type's default while the workers have not created the sample's tables yet.</summary>
    public static async Task<T> ScalarAsync<T>(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        try
        {
            return (T)(await command.ExecuteScalarAsync())!;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return default!;
        }
    }

    /// <summary>Pairs of runs of one seller by two workers that overlapped in time (must be none).</summary>
    public static IEnumerable<string> Overlaps(IEnumerable<(string Seller, string Worker, DateTimeOffset Started, DateTimeOffset Ended)> runs)
    {
        foreach (var seller in runs.GroupBy(r => r.Seller))
        {
            var ordered = seller.OrderBy(r => r.Started).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                if (ordered[i].Worker != ordered[i - 1].Worker && ordered[i].Started < ordered[i - 1].Ended)
                {
                    yield return $"{seller.Key}: {ordered[i - 1]} then {ordered[i]}";
                }
            }
        }
    }
}
