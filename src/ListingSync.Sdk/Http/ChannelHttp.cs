using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Resilience;
using ListingSync.Sdk.Telemetry;
using Microsoft.Extensions.Logging;

namespace ListingSync.Sdk.Http;

/// <summary>
/// Sends one channel request and turns an error answer into the SDK's exceptions. Shared by every channel
/// client; each supplies its own error-body parser.
/// </summary>
internal delegate T Utf8Parser<out T>(ReadOnlySpan<byte> utf8);

internal sealed class ChannelHttp
{
    private const int MaxErrorBodyChars = 64 * 1024;

    private readonly HttpClient _http;
    private readonly string _channel;
    private readonly Func<string, ErrorBody> _parseError;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public ChannelHttp(HttpClient http, string channel, Func<string, ErrorBody> parseError, ILogger logger, TimeProvider time)
    {
        _http = http;
        _channel = channel;
        _parseError = parseError;
        _logger = logger;
        _time = time;
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, string operation, SellerScope seller, bool idempotent, HttpContent? content = null, string rateLimitGroup = "default", bool replayable = true, string? subject = null)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        request.Options.Set(ChannelRequestContext.Key, new ChannelRequestContext(operation, seller, idempotent, rateLimitGroup, replayable, subject));
        request.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    /// <summary>Sends and deserializes a JSON answer. A 404 gives default when <paramref name="notFoundIsNull"/>.</summary>
    public async Task<T?> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken, bool notFoundIsNull = false)
    {
        using (request)
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (notFoundIsNull && response.StatusCode == HttpStatusCode.NotFound)
            {
                return default;
            }

            await EnsureSuccessAsync(request, response, cancellationToken).ConfigureAwait(false);
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                try
                {
                    return await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
                {
                    throw Unreadable(request, response, ex, await StartOfBodyAsync(response).ConfigureAwait(false));
                }
            }
        }
    }

    /// <summary>Sends and parses the answer's UTF-8 bytes with <paramref name="parse"/> (for hand-written hot-path readers).</summary>
    public async Task<T?> SendAsync<T>(HttpRequestMessage request, Utf8Parser<T> parse, CancellationToken cancellationToken, bool notFoundIsNull = false)
    {
        using (request)
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (notFoundIsNull && response.StatusCode == HttpStatusCode.NotFound)
            {
                return default;
            }

            await EnsureSuccessAsync(request, response, cancellationToken).ConfigureAwait(false);
            var length = response.Content.Headers.ContentLength is { } l and > 0 and < int.MaxValue ? (int)l : 16 * 1024;
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
            try
            {
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                var read = 0;
                await using (stream.ConfigureAwait(false))
                {
                    while (true)
                    {
                        if (read == buffer.Length)
                        {
                            var larger = System.Buffers.ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                            buffer.AsSpan(0, read).CopyTo(larger);
                            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                            buffer = larger;
                        }

                        var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
                        if (n == 0)
                        {
                            break;
                        }

                        read += n;
                    }
                }

                try
                {
                    return parse(buffer.AsSpan(0, read));
                }
                catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
                {
                    throw Unreadable(request, response, ex, Encoding.UTF8.GetString(buffer, 0, Math.Min(read, 1024)));
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Sends a request whose answer body is not needed; returns the status code.</summary>
    public async Task<HttpStatusCode> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken, bool notFoundIsOk = false)
    {
        using (request)
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (notFoundIsOk && response.StatusCode == HttpStatusCode.NotFound)
            {
                return response.StatusCode;
            }

            await EnsureSuccessAsync(request, response, cancellationToken).ConfigureAwait(false);
            return response.StatusCode;
        }
    }

    /// <summary>
    /// A success status with a body that is not what the operation answers (an HTML page, an empty or truncated body,
    /// a number of the wrong shape): one typed error naming the channel, the operation and the problem, with the start
    /// of the body kept for diagnosis.
    /// </summary>
    private ListingSyncRequestException Unreadable(HttpRequestMessage request, HttpResponseMessage response, Exception ex, string start)
    {
        // What the body was about (e.g. "import imp_9", from the request) and which field failed (from the reader's path).
        var subject = request.Options.TryGetValue(ChannelRequestContext.Key, out var context) ? context.Subject : null;
        var field = ex is JsonException { Path: { Length: > 2 } path } && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
        var about = (subject, field) switch
        {
            (not null, not null) => $" about {subject}, field '{field}'",
            (not null, null) => $" about {subject}",
            (null, not null) => $", field '{field}'",
            _ => "",
        };
        return new($"{_channel} {Operation(request)} answered {(int)response.StatusCode} with a body the SDK could not read{about} ({(start.Length == 0 ? "empty" : "starts: " + start[..Math.Min(start.Length, 120)])}): {ex.Message}", ex)
        {
            Channel = _channel,
            Operation = Operation(request),
            StatusCode = response.StatusCode,
            RequestId = RequestId(response),
            ErrorCode = "unreadable-body",
            RawBody = start,

            // A success status on a write that may not be repeated means it was applied, whatever the body says: what
            // it did is unknown until it is looked up (a bulk create verifies its rows by reference).
            OutcomeUnknown = context is { Idempotent: false },
        };
    }

    private static async Task<string> StartOfBodyAsync(HttpResponseMessage response)
    {
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false); // buffered by the handler: no network
            return Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 1024));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or HttpRequestException)
        {
            return string.Empty;
        }
    }

    private async Task EnsureSuccessAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var raw = await ReadCappedAsync(response, cancellationToken).ConfigureAwait(false);
        var body = ErrorBody.Empty;
        try
        {
            body = _parseError(raw);
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, say): the raw body still travels with the exception.
        }

        var context = request.Options.TryGetValue(ChannelRequestContext.Key, out var c) ? c : null;
        var operation = context?.Operation ?? request.RequestUri?.ToString() ?? "request";
        var requestId = RequestId(response);
        Log.RequestFailed(_logger, _channel, operation, context?.Seller.SellerId ?? "?", response.StatusCode, body.Code, body.Message, requestId);
        var message = $"{_channel} {operation} failed with {(int)response.StatusCode} {response.ReasonPhrase}"
            + (body.Code is null ? string.Empty : $" [{body.Code}]")
            + (body.Message is null ? string.Empty : $": {body.Message}")
            + (body.FieldErrors.Count == 0 ? string.Empty : " (" + string.Join("; ", body.FieldErrors) + ")");

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new ListingSyncRateLimitedException(message)
            {
                Channel = _channel,
                Operation = operation,
                StatusCode = response.StatusCode,
                ErrorCode = body.Code,
                ErrorMessage = body.Message,
                RequestId = requestId,
                RawBody = raw,
                RetryAfter = AdaptiveRateLimiter.ServerRequestedWait(response, _time.GetUtcNow()),
            };
        }

        throw new ListingSyncRequestException(message)
        {
            Channel = _channel,
            Operation = operation,
            StatusCode = response.StatusCode,
            ErrorCode = body.Code,
            ErrorMessage = body.Message,
            FieldErrors = body.FieldErrors,
            RequestId = requestId,
            RawBody = raw,
            OutcomeUnknown = context is { Idempotent: false } && (int)response.StatusCode >= 500,
        };
    }

    private static string Operation(HttpRequestMessage request) =>
        request.Options.TryGetValue(ChannelRequestContext.Key, out var c) ? c.Operation : "request";

    private static string? RequestId(HttpResponseMessage response)
    {
        foreach (var name in (ReadOnlySpan<string>)["x-request-id", "request-id", "x-correlation-id", "cf-ray"])
        {
            if (response.Headers.TryGetValues(name, out var values))
            {
                return values.FirstOrDefault();
            }
        }

        return null;
    }

    private static async Task<string> ReadCappedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var buffer = new char[MaxErrorBodyChars];
            var read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            return new string(buffer, 0, read);
        }
    }
}
