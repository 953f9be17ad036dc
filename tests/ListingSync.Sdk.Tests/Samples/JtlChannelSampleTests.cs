using Microsoft.Data.Sqlite;

namespace ListingSync.Sdk.Tests.Samples;

public sealed class JtlChannelSampleTests
{
    [Fact]
    public async Task The_jtl_channel_sample_lists_offers_reports_status_and_follows_stock()
    {
        var catalogue = Path.Combine(Path.GetTempPath(), $"jtl-sample-{Guid.NewGuid():N}.db");
        try
        {
            var (exitCode, output) = await SampleProcess.RunAsync("ListingSync.JtlChannel", TimeSpan.FromMinutes(1), "--offers", "25", "--catalogue", catalogue);

            exitCode.ShouldBe(0, output);
            output.ShouldContain("Reports received by JTL: Failed 1, Listed 24; unacknowledged events: 1.");
            output.ShouldContain("unreadable: ");

            await using var connection = new SqliteConnection($"Data Source={catalogue};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT status, count(*) FROM catalogue GROUP BY status ORDER BY status";
            var counts = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    counts.Add($"{reader.GetString(0)}:{reader.GetInt64(1)}");
                }
            }

            counts.ShouldBe(["ended:1", "failed:1", "listed:23"]);
            command.CommandText = "SELECT quantity FROM catalogue WHERE offer_id = 1002";
            Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture).ShouldBe(2, "the stock update followed");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { catalogue, catalogue + "-wal", catalogue + "-shm" })
            {
                File.Delete(file);
            }
        }
    }
}
