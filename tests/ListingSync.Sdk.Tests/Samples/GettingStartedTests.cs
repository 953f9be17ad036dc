namespace ListingSync.Sdk.Tests.Samples;

/// <summary>Issue 20: the program of docs/getting-started.md runs as a user runs it and does what the page says.</summary>
public sealed class GettingStartedTests
{
    [Fact]
    public async Task The_getting_started_program_adopts_creates_and_handles_the_webhooks()
    {
        var (exitCode, output) = await SampleProcess.RunAsync("ListingSync.GettingStarted", TimeSpan.FromMinutes(1));

        exitCode.ShouldBe(0, output);
        output.ShouldContain("adopted by identity");
        output.ShouldContain("Applied: 2 succeeded, 0 did not.");
        output.ShouldMatch(@"(?s).*Webhooks: \d+ accepted, [1-9]\d* handled, 0 dead-lettered\..*");
    }
}
