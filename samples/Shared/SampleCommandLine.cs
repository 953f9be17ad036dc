using System.CommandLine;

namespace ListingSync.Samples;

/// <summary>What every sample's command line does alike: range checks with the rule in the message, and exit code 2 on bad input.</summary>
internal static class SampleCommandLine
{
    /// <summary>Adds a rule to <paramref name="option"/>; a value that does not even parse is reported by the parser itself.</summary>
    public static Option<T> Must<T>(this Option<T> option, Func<T, bool> rule, string message)
    {
        option.Validators.Add(result =>
        {
            T value;
            try
            {
                value = result.GetValueOrDefault<T>();
            }
            catch (InvalidOperationException)
            {
                return; // "Cannot parse argument 'abc' for option '--port'…": already an error of the parse
            }

            if (!rule(value))
            {
                result.AddError(message);
            }
        });
        return option;
    }

    /// <summary>
    /// Parses <paramref name="args"/>: on a bad value prints each error and a pointer to --help and returns 2 (nothing
    /// runs); else runs the command (--help prints the options with their defaults and exits 0). Ctrl+C and SIGTERM
    /// cancel the token the command's action gets.
    /// </summary>
    public static async Task<int> RunAsync(this RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message).ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync("Run with --help for the options and their defaults.").ConfigureAwait(false);
            return 2;
        }

        return await parsed.InvokeAsync().ConfigureAwait(false);
    }
}
