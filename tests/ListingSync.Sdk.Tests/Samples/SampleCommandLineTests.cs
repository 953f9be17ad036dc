using System.Net;
using System.Net.Sockets;

namespace ListingSync.Sdk.Tests.Samples;

/// <summary>Issue 20: every sample has a real command line — help, typed values with clear errors, clean stops.</summary>
public sealed class SampleCommandLineTests
{
    public static TheoryData<string, string[]> Samples => new()
    {
        { "ListingSync.QuickStart", ["--listings", "--seed", "--store", "--import-threshold", "--base-url", "--token", "--webhook-url"] },
        { "ListingSync.WebhookHost", ["--demo", "--port", "--store", "--base-url", "--token", "--public-url"] },
        { "ListingSync.JtlChannel", ["--offers", "--catalogue", "--base-url", "--refresh-token"] },
        { "ListingSync.Emulator", ["--port", "--listings", "--items", "--rate", "--error-rate", "--seed"] },
        { "ListingSync.Shopiro", ["--products", "--share", "--store"] },
        { "ListingSync.Instica", ["--import-from", "--list-on", "--sample", "--external", "--base-url", "--token", "--api-key", "--apply", "--store"] },
    };

    [Theory, MemberData(nameof(Samples))]
    public async Task Help_describes_every_option_and_exits_0_without_starting_anything(string sample, string[] options)
    {
        var (exitCode, output) = await SampleProcess.RunAsync(sample, TimeSpan.FromSeconds(30), "--help");

        exitCode.ShouldBe(0, output);
        output.ShouldContain("Description:");
        foreach (var option in options)
        {
            output.ShouldContain(option);
        }

        output.ShouldNotContain("listening", Case.Insensitive); // --help never starts a server
    }

    [Theory]
    [InlineData("ListingSync.QuickStart", new[] { "--listings", "abc" }, "Cannot parse argument 'abc' for option '--listings'")]
    [InlineData("ListingSync.QuickStart", new[] { "--listings", "-5" }, "--listings must be between 0 and 1000000.")]
    [InlineData("ListingSync.QuickStart", new[] { "--base-url", "https://api.managem.co.uk/" }, "--base-url and --token go together.")]
    [InlineData("ListingSync.WebhookHost", new[] { "--port", "abc" }, "Cannot parse argument 'abc' for option '--port'")]
    [InlineData("ListingSync.JtlChannel", new[] { "--offers", "0" }, "--offers must be between 1 and 99999.")]
    [InlineData("ListingSync.Emulator", new[] { "--port", "70000" }, "--port must be between 0 and 65535.")]
    [InlineData("ListingSync.Emulator", new[] { "--bogus" }, "Unrecognized command or argument '--bogus'.")]
    public async Task A_bad_value_is_a_clear_message_and_exit_code_2_not_a_stack_trace(string sample, string[] arguments, string message)
    {
        var (exitCode, output) = await SampleProcess.RunAsync(sample, TimeSpan.FromSeconds(30), arguments);

        exitCode.ShouldBe(2, output);
        output.ShouldContain(message);
        output.ShouldContain("--help");
        output.ShouldNotContain("   at "); // no stack trace
    }

    [Fact]
    public async Task The_emulator_stops_cleanly_on_sigterm()
    {
        var (exitCode, output) = await SampleProcess.RunAndTerminateAsync("ListingSync.Emulator", "stops it", TimeSpan.FromSeconds(30), "--port", "0", "--listings", "5");

        exitCode.ShouldBe(0, output);
        output.ShouldContain("Stopping.");
    }

    [Fact]
    public async Task The_emulator_says_when_its_port_is_taken()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (exitCode, output) = await SampleProcess.RunAsync("ListingSync.Emulator", TimeSpan.FromSeconds(30), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        exitCode.ShouldBe(1, output);
        output.ShouldContain($"Port {port} is taken");
        output.ShouldNotContain("   at ");
    }
}
