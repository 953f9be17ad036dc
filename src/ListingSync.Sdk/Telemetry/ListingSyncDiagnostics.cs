using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ListingSync.Sdk.Telemetry;

/// <summary>
/// The SDK's tracing and metrics sources, both named <see cref="Name"/>. Subscribe with OpenTelemetry's
/// <c>AddSource</c> / <c>AddMeter</c>.
/// </summary>
public static class ListingSyncDiagnostics
{
    /// <summary>The name of the <see cref="ActivitySource"/> and the <see cref="Meter"/>.</summary>
    public const string Name = "ListingSync.Sdk";

    internal static readonly ActivitySource ActivitySource = new(Name, typeof(ListingSyncDiagnostics).Assembly.GetName().Version?.ToString());

    internal static readonly Meter Meter = new(Name, typeof(ListingSyncDiagnostics).Assembly.GetName().Version?.ToString());

    /// <summary>Marketplace calls made, one per logical call (retries are counted apart). Tags: channel, operation, outcome.</summary>
    internal static readonly Counter<long> Requests = Meter.CreateCounter<long>("listingsync.requests", "{request}", "Marketplace calls made.");

    /// <summary>Retries of marketplace calls. Tags: channel, operation, reason.</summary>
    internal static readonly Counter<long> Retries = Meter.CreateCounter<long>("listingsync.retries", "{retry}", "Marketplace call retries.");

    /// <summary>Calls slowed or refused by rate limiting: 429 answers and client-side waits. Tags: channel, source.</summary>
    internal static readonly Counter<long> Throttled = Meter.CreateCounter<long>("listingsync.throttled", "{request}", "Calls throttled by rate limits.");

    /// <summary>Duration of marketplace calls, retries included. Tags: channel, operation.</summary>
    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("listingsync.request.duration", "s", "Duration of marketplace calls.");
}
