using System.Globalization;
using System.Text;
using System.Net.Http.Json;
using System.Text.Json;
using ListingSync.Sdk.Http;
using ListingSync.Sdk.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ListingSync.Sdk.Channels.Jtl;

/// <summary>
/// The JTL Channel API, channel side: pull the sellers' events and acknowledge them. Every call carries the session
/// token (<see cref="JtlTokenProvider"/>) and <c>Accept-Language: en</c>; <c>{ errorList }</c> answers become
/// <see cref="ListingSyncRequestException"/>s; calls are rate-limited per route group.
/// </summary>
public sealed partial class JtlClient
{
    private readonly ChannelHttp _http;
    private readonly IOptionsMonitor<JtlClientOptions> _options;
    private readonly ILogger _logger;

    /// <summary>Creates the client over a configured <see cref="HttpClient"/> (use <c>AddListingSync().AddJtl(...)</c>).</summary>
    public JtlClient(HttpClient httpClient, IOptionsMonitor<JtlClientOptions> options, ILogger<JtlClient>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _options = options ?? throw new ArgumentNullException(nameof(options));
        httpClient.DefaultRequestHeaders.AcceptLanguage.Clear();
        httpClient.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _http = new ChannelHttp(httpClient, JtlClientOptions.ChannelName, ParseError, _logger, timeProvider ?? TimeProvider.System);
        Orders = new JtlOrdersClient(_http);
    }

    /// <summary>The channel's side of orders: report orders, update their status, answer cancellations and refunds.</summary>
    public JtlOrdersClient Orders { get; }

    /// <summary>
    /// Pulls up to <paramref name="limit"/> events (default <see cref="JtlClientOptions.EventLimit"/>; JTL returns at most
    /// 100), filtered by <see cref="JtlClientOptions.EventTypeFilter"/> and <see cref="JtlClientOptions.EventsCreatedAfter"/>.
    /// Unacknowledged events come again later.
    /// </summary>
    public async Task<IReadOnlyList<JtlEvent>> GetEventsAsync(int? limit = null, CancellationToken cancellationToken = default)
    {
        var options = _options.CurrentValue;
        var take = limit ?? options.EventLimit;
        if (take is < 1 or > JtlClientOptions.MaxEventsPerPull)
        {
            throw new ListingSyncValidationException([new FieldError("limit", "range", $"must be between 1 and {JtlClientOptions.MaxEventsPerPull}, JTL's most events per pull (was {take})")]);
        }

        var query = new StringBuilder("v1/channel/event?limit=").Append(take.ToString(CultureInfo.InvariantCulture));
        if (options.EventsCreatedAfter is { } after)
        {
            query.Append("&createdAfter=").Append(Uri.EscapeDataString(after.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)));
        }

        if (options.EventTypeFilter.Count > 0)
        {
            query.Append("&eventTypeFilter=").Append(Uri.EscapeDataString(string.Join(',', options.EventTypeFilter)));
        }

        var answer = await _http.SendAsync(
            ChannelHttp.Request(HttpMethod.Get, query.ToString(), "events.get", SellerScope.Default, idempotent: true, rateLimitGroup: "channel/event"),
            JtlJson.Default.JtlEventList,
            cancellationToken).ConfigureAwait(false);
        return answer?.EventList ?? [];
    }

    /// <summary>Acknowledges processed events (verb <see cref="JtlClientOptions.AcknowledgeVerb"/>). Idempotent, so retried.</summary>
    public async Task AcknowledgeEventsAsync(IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        if (eventIds.Count == 0)
        {
            return;
        }

        // JTL takes at most 100 ids per acknowledgement: longer lists go in several calls, in order.
        var verb = new HttpMethod(_options.CurrentValue.AcknowledgeVerb.ToUpperInvariant());
        foreach (var chunk in eventIds.Chunk(JtlClientOptions.MaxAcknowledgementsPerCall))
        {
            var body = JsonContent.Create(new JtlEventIdList { EventIdList = chunk }, JtlJson.Default.JtlEventIdList);
            await _http.SendAsync(ChannelHttp.Request(verb, "v1/channel/event", "events.ack", SellerScope.Default, idempotent: true, body, rateLimitGroup: "channel/event"), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The most offers per status-report request.</summary>
    public const int MaxReportBatch = 500;

    /// <summary>
    /// Reports listing status to the sellers, batched per status (at most <see cref="MaxReportBatch"/> per request). Reports
    /// for the same offer are merged first: only the latest (by <see cref="ListingStatusReport.At"/>) is sent, the ones it
    /// supersedes are answered with its result. One result per report, in input order.
    /// </summary>
    public async Task<IReadOnlyList<ListingWriteResult>> ReportStatusAsync(SellerScope seller, IReadOnlyList<ListingStatusReport> reports, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var results = new ListingWriteResult?[reports.Count];
        var latest = new Dictionary<long, int>();
        for (var i = 0; i < reports.Count; i++)
        {
            var report = reports[i];
            var errors = Validate(report);
            if (errors.Count > 0)
            {
                results[i] = new ListingWriteResult { Index = i, Reference = report?.OfferId, Status = ListingWriteStatus.Rejected, Errors = errors };
                continue;
            }

            var offer = long.Parse(report!.OfferId, System.Globalization.CultureInfo.InvariantCulture);
            if (!latest.TryGetValue(offer, out var current) || reports[current].At <= report.At)
            {
                latest[offer] = i;
            }
        }

        var sellerId = seller.SellerId;
        foreach (var group in latest.Values.GroupBy(i => reports[i].Status))
        {
            foreach (var batch in group.Chunk(MaxReportBatch))
            {
                var (path, content) = group.Key switch
                {
                    ListingStatusKind.InProgress => ("v1/channel/offer/in-progress", (HttpContent)JsonContent.Create(
                        new JtlOfferList<JtlInProgressItem> { OfferList = [.. batch.Select(i => new JtlInProgressItem(sellerId, long.Parse(reports[i].OfferId, System.Globalization.CultureInfo.InvariantCulture), Stamp(reports[i].At)))] },
                        JtlReportJson.Default.JtlOfferListJtlInProgressItem)),
                    ListingStatusKind.Listed => ("v1/channel/offer/listed", JsonContent.Create(
                        new JtlOfferList<JtlListedItem> { OfferList = [.. batch.Select(i => new JtlListedItem(sellerId, long.Parse(reports[i].OfferId, System.Globalization.CultureInfo.InvariantCulture), reports[i].ChannelOfferId!, Stamp(reports[i].At), reports[i].ListingUrl?.ToString()))] },
                        JtlReportJson.Default.JtlOfferListJtlListedItem)),
                    _ => ("v1/channel/offer/listing-failed", JsonContent.Create(
                        new JtlOfferList<JtlFailedItem> { OfferList = [.. batch.Select(i => new JtlFailedItem(sellerId, long.Parse(reports[i].OfferId, System.Globalization.CultureInfo.InvariantCulture), Stamp(reports[i].At), [.. reports[i].Errors.Select(e => Failed(reports[i].OfferId, e))]))] },
                        JtlReportJson.Default.JtlOfferListJtlFailedItem)),
                };
                ListingWriteResult outcome;
                try
                {
                    await _http.SendAsync(ChannelHttp.Request(HttpMethod.Post, path, "offers.status", seller, idempotent: true, content, rateLimitGroup: "channel/offer"), cancellationToken).ConfigureAwait(false);
                    outcome = new ListingWriteResult { Status = ListingWriteStatus.Succeeded };
                }
                catch (ListingSyncRequestException ex)
                {
                    outcome = new ListingWriteResult { Status = ex.OutcomeUnknown ? ListingWriteStatus.Unknown : ListingWriteStatus.Failed, Errors = ex.FieldErrors, Exception = ex };
                }

                foreach (var i in batch)
                {
                    results[i] = outcome with { Index = i, Reference = reports[i].OfferId };
                }
            }
        }

        // Superseded reports share the fate of the one sent for their offer.
        for (var i = 0; i < reports.Count; i++)
        {
            if (results[i] is null)
            {
                var sent = latest[long.Parse(reports[i].OfferId, System.Globalization.CultureInfo.InvariantCulture)];
                results[i] = results[sent]! with { Index = i };
            }
        }

        return results!;
    }

    /// <summary>
    /// One page of stock changes after <paramref name="updatedAfter"/> — of one seller, or of all sellers when
    /// <paramref name="sellerId"/> is null (a stricter rate limit) — with the cursor for the next call.
    /// </summary>
    public async Task<(IReadOnlyList<JtlStockChange> Changes, DateTimeOffset? LastUpdatedAt)> GetStockUpdatesAsync(DateTimeOffset updatedAfter, string? sellerId = null, CancellationToken cancellationToken = default)
    {
        var query = "updatedAfter=" + Uri.EscapeDataString(Stamp(updatedAfter));
        var path = sellerId is null ? "v1/channel/offer/stock-updates/all?" + query : $"v1/channel/offer/stock-updates?{query}&sellerId={Uri.EscapeDataString(sellerId)}";
        var page = await _http.SendAsync(ChannelHttp.Request(HttpMethod.Get, path, sellerId is null ? "stock.all" : "stock.seller", SellerScope.Default, idempotent: true, rateLimitGroup: sellerId is null ? "channel/offer/all" : "channel/offer"), JtlReportJson.Default.JtlStockUpdatePage, cancellationToken).ConfigureAwait(false);
        return (page?.StockUpdateList ?? [], page?.LastUpdatedAt);
    }

    /// <summary>ISO 8601 with an explicit offset, always (JTL requires it).</summary>
    internal static string Stamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", System.Globalization.CultureInfo.InvariantCulture);

    private static List<FieldError> Validate(ListingStatusReport? report)
    {
        var errors = new List<FieldError>();
        if (report is null)
        {
            errors.Add(new FieldError("report", "required", "must not be null"));
            return errors;
        }

        if (!long.TryParse(report.OfferId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var offer) || offer <= 0)
        {
            errors.Add(new FieldError("offerId", "format", $"must be JTL's positive numeric offer id (was '{report.OfferId}')"));
        }

        if (report.Status == ListingStatusKind.Listed && string.IsNullOrWhiteSpace(report.ChannelOfferId))
        {
            errors.Add(new FieldError("channelOfferId", "required", "a listed report names the channel's offer id"));
        }

        if (report.Status == ListingStatusKind.Failed && report.Errors.Count == 0)
        {
            errors.Add(new FieldError("errors", "required", "a failed report says why (at least one error)"));
        }

        return errors;
    }

    /// <summary>Reads <c>{ errorList: [{ code, message, severity, hint }] }</c>.</summary>
    internal static ErrorBody ParseError(string raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return ErrorBody.Empty;
        }

        try
        {
            var list = JsonSerializer.Deserialize(raw, JtlJson.Default.JtlErrorList)?.ErrorList;
            if (list is not { Count: > 0 })
            {
                return ErrorBody.Empty;
            }

            var first = list[0];
            var message = string.Join("; ", list.Select(e => e.Hint is null ? e.Message : $"{e.Message} ({e.Hint})"));
            return new ErrorBody(first.Code, message, [.. list.Select(e => new FieldError(e.Code ?? "", e.Severity ?? "error", e.Message ?? "error"))]);
        }
        catch (JsonException)
        {
            return ErrorBody.Empty;
        }
    }

    private JtlListingError Failed(string offerId, FieldError error)
    {
        var sent = JtlListingError.From(error, out var trimmed);
        if (trimmed)
        {
            LogMessageTrimmed(offerId, JtlListingError.MaxMessageLength, error.Message);
        }

        return sent;
    }

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Listing-failed message for offer {OfferId} trimmed to JTL's {Max} characters; the full text (also sent as longMessage): {Message}")]
    private partial void LogMessageTrimmed(string offerId, int max, string message);
}
