using Microsoft.Data.Sqlite;

namespace ListingSync.Sdk.Tests.Samples;

public sealed class WebhookHostTests
{
    [Fact]
    public async Task The_webhook_host_registers_itself_and_keeps_the_mapping_from_the_events_it_receives()
    {
        var store = Path.Combine(Path.GetTempPath(), $"webhookhost-test-{Guid.NewGuid():N}.db");
        try
        {
            var (exitCode, output) = await SampleProcess.RunAsync("ListingSync.WebhookHost", TimeSpan.FromMinutes(1), "--demo", "--store", store);

            exitCode.ShouldBe(0, output);
            output.ShouldContain("created disabled, test delivery answered 200, enabled");
            output.ShouldContain("Inbox: 0 pending, 0 dead letters.");

            // What the events left in SQLite: the order lowered availability, the edit moved the price, the delete deactivated.
            await using var connection = new SqliteConnection($"Data Source={store};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT reference, is_active FROM ls_mappings ORDER BY reference";
            var rows = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    rows.Add($"{reader.GetString(0)}:{reader.GetInt64(1)}");
                }
            }

            rows.ShouldBe(["sku-1:1", "sku-2:1", "sku-3:0"]);
            output.ShouldContain("sku-1  lst_");
            output.ShouldMatch(@"sku-1\s+lst_\d+\s+active\s+2\.50 GBP quantity 4 available 3");
            output.ShouldMatch(@"sku-2\s+lst_\d+\s+active\s+9\.99 GBP quantity 4 available 4");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { store, store + "-wal", store + "-shm" })
            {
                File.Delete(file);
            }
        }
    }
}
