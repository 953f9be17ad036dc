using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ListingSync.Sdk.Benchmarks;

/// <summary>
/// Carries a figure the benchmark process measured (peak live heap, share of 429s) into the summary table.
/// The benchmark writes <c>metrics/{name}.txt</c>; this column, in the host process, reads it back.
/// </summary>
public sealed class MetricsColumn(string name, string legend) : IColumn
{
    public static string Directory => Path.Combine(Path.GetTempPath(), "listingsync-bench-metrics");

    public string Id => "Metric." + name;

    public string ColumnName => name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => legend;

    public static void Write(string name, string key, double value)
    {
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(Path.Combine(Directory, $"{name}-{key}.txt"), value.ToString(CultureInfo.InvariantCulture));
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var key = string.Join("-", benchmarkCase.Parameters.Items.Select(p => p.Value?.ToString()));
        // A value written per method ("{name}-{Method}-{params}") wins over one written per parameter set.
        var perMethod = Path.Combine(Directory, $"{name}-{benchmarkCase.Descriptor.WorkloadMethod.Name}-{key}.txt");
        var path = Path.Combine(Directory, $"{name}-{key}.txt");
        return File.Exists(perMethod) ? File.ReadAllText(perMethod) : File.Exists(path) ? File.ReadAllText(path) : "-";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
