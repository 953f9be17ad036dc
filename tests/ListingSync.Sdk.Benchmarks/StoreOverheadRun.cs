using System.Globalization;

namespace ListingSync.Sdk.Benchmarks;

/// <summary>
/// Issue 13's store-overhead figure, measured A/B: <see cref="StoreOverheadBenchmark"/>'s two methods run in turn,
/// HTTP alone then the apply with the SQLite store, each on a fresh emulator process, for <c>--rounds</c> rounds (default
/// 5) after one warm-up round of each. BenchmarkDotNet runs every iteration of one method before the other, so a
/// machine whose speed drifts (seen here: HTTP alone took 6.4 s in one run and 9.4 s in another) biases the ratio;
/// interleaving gives each round its own ratio. Prints the write seconds of each round, each round's ratio and the
/// median. Run: <c>dotnet run -c Release --project tests/ListingSync.Sdk.Benchmarks -- --store-overhead [--products 100000] [--rounds 5]</c>.
/// </summary>
internal static class StoreOverheadRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = SoakRunner.Arg(args, "--rounds", 5);
        var benchmark = new StoreOverheadBenchmark { N = SoakRunner.Arg(args, "--products", 100_000) };
        benchmark.Setup();
        var ratios = new List<double>();
        try
        {
            for (var round = 0; round <= rounds; round++)
            {
                benchmark.FreshEmulator();
                var http = await benchmark.HttpAlone();
                benchmark.FreshEmulator();
                var apply = await benchmark.ApplyWithSqliteStore();
                if (round == 0)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm-up: HTTP alone {http:F2} s, apply with SQLite {apply:F2} s (not counted)"));
                    continue;
                }

                ratios.Add(apply / http);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: HTTP alone {http:F2} s, apply with SQLite {apply:F2} s, ratio {apply / http:F3}"));
            }
        }
        finally
        {
            benchmark.Cleanup();
        }

        ratios.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{benchmark.N:N0} creates + {benchmark.N:N0} updates: median ratio {ratios[ratios.Count / 2]:F3} (min {ratios[0]:F3}, max {ratios[^1]:F3}; target 1.2)"));
        return 0;
    }
}
