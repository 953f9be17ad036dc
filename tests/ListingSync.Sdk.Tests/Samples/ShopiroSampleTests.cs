namespace ListingSync.Sdk.Tests.Samples;

/// <summary>Issue 17: a host keeps a part of its inventory in sync with Shopiro, as the sample shows, against the emulator.</summary>
public sealed class ShopiroSampleTests
{
    [Fact]
    public async Task The_shopiro_sample_syncs_the_tagged_part_finds_drift_and_converges()
    {
        var (exitCode, output) = await SampleProcess.RunAsync("ListingSync.Shopiro", TimeSpan.FromMinutes(1), "--products", "120", "--share", "3");

        exitCode.ShouldBe(0, output);
        output.ShouldContain("Host inventory: 120 products, 40 tagged for Shopiro.");
        output.ShouldContain("First sync: 40 succeeded, 0 did not.");
        output.ShouldContain("Second plan: 1 update (drift on SA0000000001), 0 creates.");
        output.ShouldContain("a third plan has changes: False. Shopiro holds 40 listings for 40 products.");
    }
}
