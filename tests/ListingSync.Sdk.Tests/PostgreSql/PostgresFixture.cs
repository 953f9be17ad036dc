using System.Diagnostics;

namespace ListingSync.Sdk.Tests.PostgreSql;

/// <summary>
/// A real PostgreSQL server for the tests: the one <c>LISTINGSYNC_POSTGRES</c> names (CI starts it with
/// <c>.ci/postgres</c>), else a throwaway cluster started here with the same script and stopped at the end. Each test
/// works in a schema of its own.
/// </summary>
public sealed class PostgresFixture : IDisposable
{
    private readonly string? _ownedDirectory;

    public PostgresFixture()
    {
        if (Environment.GetEnvironmentVariable("LISTINGSYNC_POSTGRES") is { Length: > 0 } given)
        {
            ConnectionString = given;
            return;
        }

        var script = FindScript();
        var directory = Path.Combine(Path.GetTempPath(), $"listingsync-pg-{Guid.NewGuid():N}");
        var start = new ProcessStartInfo("bash", [script, "start", directory]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Unavailable = $"PostgreSQL could not be started with {script} (exit {process.ExitCode}: {error.Trim()}); set LISTINGSYNC_POSTGRES to a server's connection string to run these tests.";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException("CI=true: a missing PostgreSQL is a failure. " + Unavailable);
            }

            ConnectionString = "";
            return;
        }

        _ownedDirectory = directory;
        ConnectionString = output.Trim();
    }

    public string ConnectionString { get; }

    /// <summary>Why there is no server (a contributor's machine without PostgreSQL), or null.</summary>
    public string? Unavailable { get; }

    /// <summary>Skips the calling test, saying why, when there is no server (never under <c>CI=true</c>: the fixture fails instead).</summary>
    public void Require() => Skip.If(Unavailable is not null, Unavailable);

    /// <summary>A schema name nobody else uses.</summary>
    public static string NewSchema(string prefix = "t") => $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 33)];

    public void Dispose()
    {
        if (_ownedDirectory is not null)
        {
            using var stop = Process.Start(new ProcessStartInfo("bash", [FindScript(), "stop", _ownedDirectory]))!;
            stop.WaitForExit();
        }
    }

    private static string FindScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, ".ci", "postgres");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("Set LISTINGSYNC_POSTGRES to a PostgreSQL connection string, or run the tests from the repository (.ci/postgres starts a throwaway cluster).");
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresServer : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
