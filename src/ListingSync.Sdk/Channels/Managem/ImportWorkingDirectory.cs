using System.Diagnostics;
using System.Globalization;

namespace ListingSync.Sdk.Channels.Managem;

/// <summary>
/// The folder import files live in while a job runs. Each run gets <c>{pid}-{random}</c>, created for the owner only
/// (mode 700; files 600) on Unix; a run folder whose process is gone (a killed run) is deleted by the next run, so no
/// copy of a seller's inventory is left behind.
/// </summary>
internal static class ImportWorkingDirectory
{
    public static string Root(string? configured) => configured ?? Path.Combine(Path.GetTempPath(), "listingsync-imports");

    public static DirectoryInfo CreateRun(string? configured)
    {
        var root = Root(configured);
        Directory.CreateDirectory(root);
        CleanUpAbandoned(root);
        var path = Path.Combine(root, $"{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}");
        return OperatingSystem.IsWindows() ? Directory.CreateDirectory(path) : Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public static FileStream CreateFile(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }

    /// <summary>Deletes run folders whose process no longer runs (a run that was killed before its own clean-up).</summary>
    public static void CleanUpAbandoned(string root)
    {
        foreach (var run in new DirectoryInfo(root).EnumerateDirectories())
        {
            var dash = run.Name.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !int.TryParse(run.Name.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || IsRunning(pid))
            {
                continue;
            }

            try
            {
                run.Delete(recursive: true);
            }
            catch (IOException)
            {
                // In use or already gone: the next run tries again.
            }
            catch (UnauthorizedAccessException)
            {
                // Another user's folder: not ours to delete.
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
