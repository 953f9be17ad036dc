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

            // The mapping it kept: one active mapping with a listing id per product it listed (26 shipped rows, 3 of
            // them unresolvable, + 120 generated).
            await using var connection = new SqliteConnection($"Data Source={store};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM ls_mappings WHERE is_active = 1 AND listing_id IS NOT NULL";
            Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture).ShouldBe(26 - 3 + 120);
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
