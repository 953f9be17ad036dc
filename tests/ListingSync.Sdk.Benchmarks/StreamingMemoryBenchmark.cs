using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.DependencyInjection;
using ListingSync.Sdk.Model;
using Microsoft.Extensions.DependencyInjection;

namespace ListingSync.Sdk.Benchmarks;

/// <summary>
/// Streams every listing of a seller with 10,000 and 100,000 listings through <c>SearchListingsAsync</c>. The emulator
/// runs in its own process (samples/ListingSync.Emulator), so the figures are the client's alone. Target: memory
/// bounded by the page size, not the catalogue: the peak live heap (PeakLiveMB, after a full GC every 2,000 listings) stays
/// flat from 10k to 100k while allocations grow linearly with what is read.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(StreamingConfig))]
public class StreamingMemoryBenchmark
{
    private Process? _emulator;
    private ServiceProvider _provider = null!;
    private ManagemClient _client = null!;

    [Params(10_000, 100_000)]
    public int Listings { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var port = 47_000 + (Listings / 10_000);
        var project = Path.GetFullPath(Path.Combine(FindRoot(), "samples", "ListingSync.Emulator", "ListingSync.Emulator.csproj"));
        _emulator = Process.Start(new ProcessStartInfo("dotnet", $"run -c Release --project \"{project}\" -- --port {port} --listings {Listings}")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        while (_emulator.StandardOutput.ReadLine() is { } line && !line.Contains("listening", StringComparison.Ordinal))
        {
        }

        var services = new ServiceCollection();
        services.AddListingSync().AddManagem(o =>
        {
            o.BaseAddress = new Uri($"http://127.0.0.1:{port}/");
            o.AccessToken = "demo-token";
            o.RateLimit.Enabled = false;
        });
        _provider = services.BuildServiceProvider();
        _client = _provider.GetRequiredService<ManagemClient>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _provider.Dispose();
        _emulator?.Kill(entireProcessTree: true);
        _emulator?.Dispose();
    }

    [Benchmark]
    public async Task<int> StreamAll()
    {
        var count = 0;
        long peak = 0;
        await foreach (var listing in _client.Listings.SearchAsync(SellerScope.Default))
        {
            // Live memory, measured after a full collection, every 2,000 listings (so timings here include those GCs).
            if (++count % 2_000 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
            }
        }

        if (count != Listings)
        {
            throw new InvalidOperationException($"Streamed {count} of {Listings} listings.");
        }

        MetricsColumn.Write("PeakLiveMB", Listings.ToString(System.Globalization.CultureInfo.InvariantCulture), Math.Round(peak / 1024.0 / 1024.0, 2));
        return count;
    }

    internal static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ListingSync.Sdk.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Run the benchmarks from inside the repository.");
    }

    private sealed class StreamingConfig : ManualConfig
    {
        public StreamingConfig()
        {
            AddJob(BenchmarkDotNet.Jobs.Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3));
            AddColumn(new MetricsColumn("PeakLiveMB", "Largest live managed heap after a full GC, sampled every 2,000 listings (MB)"));
        }
    }
}
