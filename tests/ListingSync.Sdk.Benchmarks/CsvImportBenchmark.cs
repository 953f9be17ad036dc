using System.Diagnostics;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using CsvHelper;
using CsvHelper.Configuration;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Benchmarks;

/// <summary>
/// Writing Managem import rows: the builder (validation, identity choice, minor units, formula neutralisation, CSV)
/// against CsvHelper alone writing the same fields of the same drafts with no checks. Targets: 1,000,000 rows under
/// 2 s, at most 1.2× CsvHelper alone, and flat memory (peak working set the same at 100k and 1M rows).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(CsvConfig))]
public class CsvImportBenchmark
{
    private const int Distinct = 10_000;
    private ListingDraft[] _drafts = null!;

    [Params(100_000, 1_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup() => _drafts = Enumerable.Range(0, Distinct).Select(i => new ListingDraft
    {
        Reference = "sku-" + i.ToString("D7", CultureInfo.InvariantCulture),
        Item = ItemIdentity.FromUrn($"urn:managem:pokemon:set/gen-{i / 250}/card/{i % 250}"),
        Condition = ListingCondition.NearMint,
        Language = "English",
        Price = Money.Gbp(1.00m + (i % 500) / 100m),
        Quantity = 1 + i % 7,
        Comment = i % 10 == 0 ? "Light wear, see photos" : null,
    }).ToArray();

    /// <summary>The input, streamed: the same 10,000 drafts cycled, so the input holds no memory that grows with the rows.</summary>
    private IEnumerable<ListingDraft> Input()
    {
        for (var i = 0; i < Rows; i++)
        {
            yield return _drafts[i % Distinct];
        }
    }

    [Benchmark(Baseline = true, Description = "CsvHelper alone")]
    public long CsvHelperAlone()
    {
        using var writer = new StreamWriter(Stream.Null, new UTF8Encoding(false), 64 * 1024);
        using var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture));
        foreach (var column in ManagemCsvImportBuilder.Columns)
        {
            csv.WriteField(column);
        }

        csv.NextRecord();
        long rows = 0;
        foreach (var draft in Input())
        {
            csv.WriteField("create");
            csv.WriteField(draft.Item.Urn);
            csv.WriteField(draft.Item.Game);
            csv.WriteField(draft.Item.Set);
            csv.WriteField(draft.Item.Name);
            csv.WriteField(draft.Item.CardmarketId?.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(draft.Item.TcgplayerId?.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(draft.Condition.Code);
            csv.WriteField(((long)(draft.Price.Amount * 100)).ToString(CultureInfo.InvariantCulture));
            csv.WriteField(draft.Quantity.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(string.Join('|', draft.Variants));
            csv.WriteField(draft.Visibility == ListingVisibility.Hidden ? "true" : "false");
            csv.WriteField(draft.Comment);
            csv.WriteField(draft.Notes);
            csv.WriteField(draft.Reference);
            csv.NextRecord();
            rows++;
        }

        Peak(nameof(CsvHelperAlone));
        return rows;
    }

    [Benchmark(Description = "ManagemCsvImportBuilder")]
    public long Builder()
    {
        var result = new ManagemCsvImportBuilder().Write(Input(), Stream.Null);
        if (result.RowsWritten != Rows)
        {
            throw new InvalidOperationException($"{result.RowsWritten} of {Rows} rows written");
        }

        Peak(nameof(Builder));
        return result.RowsWritten;
    }

    private void Peak(string method) =>
        MetricsColumn.Write("PeakWorkingSetMB", $"{method}-{Rows.ToString(CultureInfo.InvariantCulture)}", Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0));

    private sealed class CsvConfig : ManualConfig
    {
        public CsvConfig()
        {
            // Monitoring with many iterations: each run is long, and the shared CI machine is noisy.
            AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(15));
            AddColumn(new MetricsColumn("PeakWorkingSetMB", "Peak working set of the benchmark process (MB)"));
        }
    }
}
