using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ListingSync.Sdk.Http;
using ListingSync.Sdk.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ListingSync.Sdk.Channels.Instica;

/// <summary>
/// Instica's REST API (<c>https://app.instica.com/api/v1/</c>): platforms and the seller's connections here,
/// <see cref="Inventory"/> (items, list / delist, bulk), <see cref="Products"/>, <see cref="Orders"/> and <see cref="ImportJobs"/> (import jobs)
/// as sub-clients sharing one HTTP pipeline. Credentials per seller: <c>Authorization: Bearer</c> for an access token,
/// <c>X-API-Key</c> for an API key, read on every request. Members are virtual for test doubles.
/// </summary>
public class InsticaClient
{
    private readonly IOptionsMonitor<InsticaClientOptions> _options = null!;

    /// <summary>Creates the client; use <c>AddListingSync().AddInstica(...)</c> rather than calling this directly.</summary>
    public InsticaClient(HttpClient httpClient, IOptionsMonitor<InsticaClientOptions> options, ILogger<InsticaClient>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _options = options ?? throw new ArgumentNullException(nameof(options));
        Http = new ChannelHttp(httpClient, InsticaClientOptions.ChannelName, ParseError, (ILogger?)logger ?? NullLogger.Instance, timeProvider ?? TimeProvider.System);
        Time = timeProvider ?? TimeProvider.System;
        Inventory = new InsticaInventoryClient(this);
        Products = new InsticaProductsClient(this);
        ImportJobs = new InsticaImportsClient(this);
        Orders = new InsticaOrdersClient(this);
    }

    /// <summary>For mocking frameworks and test doubles only.</summary>
    protected InsticaClient()
    {
        Inventory = null!;
        Products = null!;
        ImportJobs = null!;
        Orders = null!;
        Http = null!;
        Time = TimeProvider.System;
    }

    /// <summary>Inventory items, listing and delisting.</summary>
    public virtual InsticaInventoryClient Inventory { get; }

    /// <summary>Products.</summary>
    public virtual InsticaProductsClient Products { get; }

    /// <summary>Import jobs, their whole lifecycle.</summary>
    public virtual InsticaImportsClient ImportJobs { get; }

    /// <summary>Orders from the connected platforms (<c>/api/v1/orders/</c>).</summary>
    public virtual InsticaOrdersClient Orders { get; }

    internal ChannelHttp Http { get; }

    internal TimeProvider Time { get; }

    internal InsticaClientOptions Options => _options.CurrentValue;

    /// <summary>The selling platforms (<c>GET /api/v1/platforms/</c>).</summary>
    public virtual async Task<IReadOnlyList<InsticaPlatform>> GetPlatformsAsync(SellerScope seller, CancellationToken cancellationToken = default)
    {
        var root = await GetJsonAsync(seller, "api/v1/platforms/", "platforms.list", "platforms", cancellationToken).ConfigureAwait(false);
        return ReadList(root, InsticaJson.Default.InsticaPlatform, "platforms.list", "platforms");
    }

    /// <summary>
    /// The seller's connected marketplace accounts (<see cref="InsticaClientOptions.SellerAccountsPath"/>; not in the
    /// public reference). Null when Instica answers 404 there: the connections are then unknown.
    /// </summary>
    public virtual async Task<IReadOnlyList<InsticaSellerAccount>?> GetSellerAccountsAsync(SellerScope seller, CancellationToken cancellationToken = default)
    {
        var root = await GetJsonAsync(seller, Options.SellerAccountsPath, "accounts.list", "seller accounts", cancellationToken, notFoundIsNull: true).ConfigureAwait(false);
        return root.ValueKind == JsonValueKind.Undefined ? null : ReadList(root, InsticaJson.Default.InsticaSellerAccount, "accounts.list", "seller accounts");
    }

    /// <summary>Every platform with its kind (OAuth / extension) and the seller's connection to it.</summary>
    public virtual async Task<IReadOnlyList<InsticaPlatformStatus>> GetPlatformStatusAsync(SellerScope seller, CancellationToken cancellationToken = default)
    {
        var platforms = await GetPlatformsAsync(seller, cancellationToken).ConfigureAwait(false);
        var accounts = await GetSellerAccountsAsync(seller, cancellationToken).ConfigureAwait(false);
        return [.. platforms.Select(p =>
        {
            if (accounts is null)
            {
                return new InsticaPlatformStatus(p, InsticaConnectionState.Unknown, null);
            }

            var account = accounts.FirstOrDefault(a => string.Equals(a.Marketplace, p.Slug, StringComparison.OrdinalIgnoreCase) && a.IsActive != false);
            return new InsticaPlatformStatus(p, account is null ? InsticaConnectionState.NotConnected : InsticaConnectionState.Connected, account?.Uid);
        })];
    }

    internal async Task<JsonElement> GetJsonAsync(SellerScope seller, string path, string operation, string subject, CancellationToken cancellationToken, bool notFoundIsNull = false)
    {
        var request = ChannelHttp.Request(HttpMethod.Get, path, operation, seller, idempotent: true, subject: subject);
        return await Http.SendAsync(request, InsticaJson.Default.JsonElement, cancellationToken, notFoundIsNull).ConfigureAwait(false);
    }

    internal async Task<JsonElement> SendJsonAsync(SellerScope seller, HttpMethod method, string path, object? body, JsonTypeInfo? bodyType, string operation, string subject, bool idempotent, CancellationToken cancellationToken, bool notFoundIsNull = false)
    {
        HttpContent? content = body is null || bodyType is null ? null : JsonContent.Create(body, bodyType);
        var request = ChannelHttp.Request(method, path, operation, seller, idempotent, content, subject: subject);
        return await Http.SendAsync(request, InsticaJson.Default.JsonElement, cancellationToken, notFoundIsNull).ConfigureAwait(false);
    }

    /// <summary>Sends a call whose answer body is not read (202 Accepted, a delist's acknowledgement).</summary>
    internal async Task SendAsync(SellerScope seller, HttpMethod method, string path, object? body, JsonTypeInfo? bodyType, string operation, string subject, bool idempotent, CancellationToken cancellationToken)
    {
        HttpContent? content = body is null || bodyType is null ? null : JsonContent.Create(body, bodyType);
        var request = ChannelHttp.Request(method, path, operation, seller, idempotent, content, subject: subject);
        await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Instica's page size rule: 1..100.</summary>
    internal static void CheckPageSize(int size)
    {
        if (size is < 1 or > 100)
        {
            throw new ListingSyncValidationException([new FieldError("page_size", "range", $"must be between 1 and 100 (Instica's maximum), was {size}")]);
        }
    }

    /// <summary>A paged answer <c>{ count, next, previous, results }</c>; each result read on its own so an error names it.</summary>
    internal static InsticaPage<T> ReadPage<T>(JsonElement root, int page, JsonTypeInfo<T> type, string operation, string subject)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Unreadable(operation, subject, $"expected {{ count, next, previous, results }}, got {Kind(root)}");
        }

        long? count = root.TryGetProperty("count", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt64(out var n) ? n : null;
        string? Link(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return new InsticaPage<T> { Count = count, Next = Link("next"), Previous = Link("previous"), Results = ReadList(root, type, operation, subject), Page = page };
    }

    /// <summary>A bare array, or an object with <c>results</c>: each element read on its own so an error names it.</summary>
    internal static List<T> ReadList<T>(JsonElement root, JsonTypeInfo<T> type, string operation, string subject)
    {
        var array = root.ValueKind == JsonValueKind.Array ? root
            : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array ? results
            : throw Unreadable(operation, subject, $"expected a list or {{ results: [...] }}, got {Kind(root)}");
        var list = new List<T>(array.GetArrayLength());
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            list.Add(Read(element, type, operation, subject, $"results[{index}]"));
            index++;
        }

        return list;
    }

    internal static T Read<T>(JsonElement element, JsonTypeInfo<T> type, string operation, string subject, string path = "")
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Unreadable(operation, subject, $"{(path.Length == 0 ? "the answer" : path)} is {Kind(element)}, not an object");
        }

        try
        {
            return element.Deserialize(type) ?? throw Unreadable(operation, subject, $"{(path.Length == 0 ? "the answer" : path)} is null");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or OverflowException)
        {
            var field = ex is JsonException { Path: { Length: > 2 } p } ? p[2..] : null;
            var name = (path, field) switch
            {
                ({ Length: > 0 }, not null) => path + "." + field,
                ({ Length: > 0 }, null) => path,
                (_, not null) => field,
                _ => "the answer",
            };
            throw Unreadable(operation, subject, $"field '{name}': {ex.Message}", ex);
        }
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Undefined => "empty",
        JsonValueKind.Null => "null",
        _ => "a " + element.ValueKind.ToString().ToLowerInvariant(),
    };

    internal static ListingSyncRequestException Unreadable(string operation, string subject, string problem, Exception? inner = null) =>
        new($"instica {operation} answered with a body the SDK could not read about {subject}: {problem}", inner)
        {
            Channel = InsticaClientOptions.ChannelName,
            Operation = operation,
            StatusCode = HttpStatusCode.OK,
            ErrorCode = "unreadable-body",
        };

    /// <summary>Error bodies: DRF's <c>{ "detail": … }</c>, <c>{ "error" | "message": …, "code": … }</c>, or per-field lists.</summary>
    internal static ErrorBody ParseError(string raw)
    {
        try
        {
            using var document = JsonDocument.Parse(raw);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return ErrorBody.Empty;
            }

            string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var message = Text("detail") ?? Text("error") ?? Text("message");
            var fields = new List<FieldError>();
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name is "detail" or "error" or "message" or "code" or "status")
                {
                    continue;
                }

                var texts = property.Value.ValueKind == JsonValueKind.Array
                    ? property.Value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
                    : property.Value.ValueKind == JsonValueKind.String ? [property.Value.GetString()!] : [];
                fields.AddRange(texts.Select(t => new FieldError(property.Name, "instica", t)));
            }

            return new ErrorBody(Text("code"), message ?? fields.FirstOrDefault()?.Message, fields);
        }
        catch (JsonException)
        {
            return ErrorBody.Empty;
        }
    }

    internal static string Escape(string value) => Uri.EscapeDataString(value);

    internal static string Query(params (string Name, string? Value)[] pairs)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in pairs)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            text.Append(text.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Escape(value));
        }

        return text.ToString();
    }

    internal static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
