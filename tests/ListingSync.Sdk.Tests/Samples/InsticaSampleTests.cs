namespace ListingSync.Sdk.Tests.Samples;

/// <summary>Issue 16: a host imports a sample, then the rest, from one platform and lists its inventory on another, as the sample shows.</summary>
public sealed class InsticaSampleTests
{
    [Fact]
    public async Task The_instica_sample_imports_sample_first_then_lists_everything_on_a_second_platform_once()
    {
        var (exitCode, output) = await SampleProcess.RunAsync("ListingSync.Instica", TimeSpan.FromMinutes(1), "--external", "40", "--sample", "5");

        exitCode.ShouldBe(0, output);
        output.ShouldContain("redbubble  Extension");
        output.ShouldContain("Sample:");
        output.ShouldContain("conflict item_");
        output.ShouldContain("Imported: 40 items from discogs seeded the host");
        output.ShouldContain("Listed on ebay: 40 succeeded, 0 did not; a second plan has changes: False.");
        output.ShouldContain("Instica holds 40 items: 40 listed on discogs, 40 on ebay");
    }

    [Fact]
    public async Task Two_equal_platforms_are_refused_before_anything_runs()
    {
        var (exitCode, output) = await SampleProcess.RunAsync("ListingSync.Instica", TimeSpan.FromSeconds(30), "--import-from", "ebay", "--list-on", "ebay");

        exitCode.ShouldBe(2, output);
        output.ShouldContain("--import-from and --list-on must name two platforms.");
    }
}
