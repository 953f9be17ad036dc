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
public sealed class JtlClient
{
    private readonly ChannelHttp _http;
    private readonly IOptionsMonitor<JtlClientOptions> _options;

    /// <summary>Creates the client over a configured <see cref="HttpClient"/> (use <c>AddListingSync().AddJtl(...)</c>).</summary>
    public JtlClient(HttpClient httpClient, IOptionsMonitor<JtlClientOptions> options, ILogger<JtlClient>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _options = options ?? throw new ArgumentNullException(nameof(options));
        httpClient.DefaultRequestHeaders.AcceptLanguage.Clear();
        httpClient.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        _http = new ChannelHttp(httpClient, JtlClientOptions.ChannelName, ParseError, (ILogger?)logger ?? NullLogger.Instance, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Pulls up to <paramref name="limit"/> events (default <see cref="JtlClientOptions.EventLimit"/>). Unacknowledged events come again later.</summary>
    public async Task<IReadOnlyList<JtlEvent>> GetEventsAsync(int? limit = null, CancellationToken cancellationToken = default)
    {
        var take = limit ?? _options.CurrentValue.EventLimit;
        if (take is < 1 or > 1_000)
        {
            throw new ListingSyncValidationException([new FieldError("limit", "range", $"must be between 1 and 1000 (was {take})")]);
        }

        var answer = await _http.SendAsync(
            ChannelHttp.Request(HttpMethod.Get, $"v1/channel/event?limit={take}", "events.get", SellerScope.Default, idempotent: true, rateLimitGroup: "channel/event"),
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

        var verb = new HttpMethod(_options.CurrentValue.AcknowledgeVerb.ToUpperInvariant());
        var body = JsonContent.Create(new JtlEventIdList { EventIdList = [.. eventIds] }, JtlJson.Default.JtlEventIdList);
        await _http.SendAsync(ChannelHttp.Request(verb, "v1/channel/event", "events.ack", SellerScope.Default, idempotent: true, body, rateLimitGroup: "channel/event"), cancellationToken).ConfigureAwait(false);
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
}
