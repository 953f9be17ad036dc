using Microsoft.Data.Sqlite;

namespace ListingSync.Sdk.Tests.Samples;

public sealed class QuickStartTests
{
    [Fact]
    public async Task The_quick_start_syncs_against_the_emulator_and_a_second_pass_reports_zero_changes()
    {
        var store = Path.Combine(Path.GetTempPath(), $"quickstart-test-{Guid.NewGuid():N}.db");
        try
        {
            var (exitCode, output) = await SampleProcess.RunAsync("ListingSync.QuickStart", TimeSpan.FromMinutes(2), "--listings", "120", "--store", store);

            exitCode.ShouldBe(0, output);
            output.ShouldContain("Second pass: zero changes");
            output.ShouldContain("inbox: 0 pending, 0 dead letters");
            output.ShouldContain("created disabled, test delivery answered 200, now enabled");
            output.ShouldContain("creates went through one CSV import job", customMessage: "the backfill is above the default import threshold");

            // The multi-channel walk: first sync to eBay (Instica) and Shopiro, a clean validation report, and two sales
            // that followed on the other channels (the exit code is 0 only if both did within 10 s). 136 of the 143
            // listed products have a catalogue name to use as a title there.
            output.ShouldContain("instica:ebay 136 written, 0 not; shopiro 136 written, 0 not");
            output.ShouldContain("Validation report: every sampled listing matches the host's record and points back to it.");
            output.ShouldMatch(@"Shopiro followed in \d+ ms, eBay \(Instica\) delisted it in \d+ ms");
            output.ShouldMatch(@"Managem followed in \d+ ms");
            output.ShouldContain("Units sold on the marketplaces' books: Managem 1, Shopiro 1, eBay 0.");

            // The mapping it kept: one active mapping with a listing id per product it listed: on Managem, 26 shipped
            // rows (3 of them unresolvable) + 120 generated; on eBay and Shopiro, the 136 with a title.
            await using var connection = new SqliteConnection($"Data Source={store};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT channel, COUNT(*) FROM ls_mappings WHERE is_active = 1 AND listing_id IS NOT NULL GROUP BY channel ORDER BY channel";
            var counts = new List<(string, long)>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    counts.Add((reader.GetString(0), reader.GetInt64(1)));
                }
            }

            counts.ShouldBe([("instica:ebay", 136L), ("managem", 26L - 3 + 120), ("shopiro", 136L)]);
        }
        finally
        {
            foreach (var file in new[] { store, store + "-wal", store + "-shm" })
            {
                File.Delete(file);
            }
        }
    }
}
