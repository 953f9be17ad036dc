using System.Diagnostics;

namespace ListingSync.Sdk.Tests.Samples;

/// <summary>Runs a built sample as its own process, the way a user runs it, and captures what it prints.</summary>
internal static class SampleProcess
{
    /// <summary>Starts a sample and kills it (SIGKILL, the whole tree) after <paramref name="after"/>; returns what it printed by then.</summary>
    public static async Task<string> RunAndKillAsync(string sample, TimeSpan after, params string[] arguments)
    {
        using var process = Process.Start(Start(sample, arguments))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await Task.Delay(after);
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        return await stdout + await stderr;
    }

    /// <summary>
    /// Starts a sample, waits until its output contains <paramref name="ready"/>, sends SIGTERM (what a container stop
    /// or systemd sends) and returns its exit code and output.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAndTerminateAsync(string sample, string ready, TimeSpan timeout, params string[] arguments)
    {
        using var process = Process.Start(Start(sample, arguments))!;
        var output = new System.Text.StringBuilder();
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
                if (e.Data?.Contains(ready, StringComparison.Ordinal) == true)
                {
                    seen.TrySetResult();
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await seen.Task.WaitAsync(cancel.Token);
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(cancel.Token);
            }

            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{sample} did not get ready or stop within {timeout}: {output}");
        }

        process.WaitForExit(); // flushes the redirected streams
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string sample, TimeSpan timeout, params string[] arguments)
    {
        using var process = Process.Start(Start(sample, arguments))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{sample} did not finish within {timeout}: {await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Starts a sample in the background; what it prints goes to <paramref name="output"/>.</summary>
    public static Process StartBackground(string sample, System.Text.StringBuilder output, params string[] arguments)
    {
        var process = Process.Start(Start(sample, arguments))!;
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static ProcessStartInfo Start(string sample, string[] arguments)
    {
        // tests/ListingSync.Sdk.Tests/bin/<Configuration>/net10.0 → samples/<sample>/bin/<Configuration>/net10.0
        var testOutput = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var framework = Path.GetFileName(testOutput);
        var configuration = Path.GetFileName(Path.GetDirectoryName(testOutput)!);
        var root = Path.GetFullPath(Path.Combine(testOutput, "..", "..", "..", "..", ".."));
        var dll = Path.Combine(root, "samples", sample, "bin", configuration, framework, sample + ".dll");
        File.Exists(dll).ShouldBeTrue($"{dll} is built by the test project's reference to the sample");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
