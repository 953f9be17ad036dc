using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ListingSync.Sdk.Http;
using ListingSync.Sdk.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ListingSync.Sdk.Channels.Shopiro;

/// <summary>
/// Shopiro's one public endpoint for marketplace low-volume listings, <c>POST /api/v1/marketplace/listings/manage</c>:
/// retrieve (<c>lid</c>), update (<c>lid</c> + <c>listing</c>) and create (<c>san</c> + <c>listing</c>). Answers are
/// <c>success</c> (field errors, the encoded id <c>slid</c>) or <c>failed</c> with a reason, read into typed results and
/// <see cref="ListingSyncRequestException"/>s whose <see cref="ListingSyncRequestException.ErrorCode"/> is the reason.
/// There is no call that lists a seller's listings. Members are virtual for test doubles.
/// </summary>
public class ShopiroClient
{
    /// <summary>The endpoint's path.</summary>
    public const string ManagePath = "api/v1/marketplace/listings/manage";

    /// <summary>Shopiro's failure reasons (seed 003).</summary>
    public static class Reasons
    {
        /// <summary>The encoded id is malformed.</summary>
        public const string SlidBadFormat = "SLID bad format";

        /// <summary>No such listing (or not the seller's).</summary>
        public const string FailedRetrieving = "Failed retrieving listing";

        /// <summary>The listing belongs to another segment than marketplace low volume.</summary>
        public const string NotLowVolume = "Listing is not marketplace low volume market segment";

        /// <summary>Anything else.</summary>
        public const string Unknown = "Unknown";
    }

    private readonly ChannelHttp _http = null!;
    private readonly IOptionsMonitor<ShopiroClientOptions> _options = null!;

    /// <summary>Creates the client; use <c>AddListingSync().AddShopiro(...)</c> rather than calling this directly.</summary>
    public ShopiroClient(HttpClient httpClient, IOptionsMonitor<ShopiroClientOptions> options, ILogger<ShopiroClient>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _http = new ChannelHttp(httpClient, ShopiroClientOptions.ChannelName, ParseError, (ILogger?)logger ?? NullLogger.Instance, timeProvider ?? TimeProvider.System);
    }

    /// <summary>For mocking frameworks and test doubles only.</summary>
    protected ShopiroClient()
    {
    }

    internal ShopiroClientOptions Options => _options.CurrentValue;

    /// <summary>Retrieves a listing by its encoded id; null when Shopiro answers "Failed retrieving listing".</summary>
    public virtual async Task<ShopiroListing?> GetAsync(SellerScope seller, string listingId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(listingId);
        using var answer = await SendAsync(seller, listingId, saveAsNew: false, listing: null, "listings.get", idempotent: true, cancellationToken).ConfigureAwait(false);
        if (Failure(answer.RootElement) is { } reason)
        {
            if (reason == Reasons.FailedRetrieving)
            {
                return null;
            }

            throw Failed("listings.get", listingId, reason);
        }

        var success = answer.RootElement.GetProperty("success");
        var listing = success.ValueKind == JsonValueKind.Object && success.TryGetProperty("listing", out var inner) ? inner : answer.RootElement.TryGetProperty("listing", out var top) ? top : default;
        if (listing.ValueKind != JsonValueKind.Object)
        {
            throw Unreadable("listings.get", listingId, "the answer has no listing object");
        }

        try
        {
            return listing.Deserialize(ShopiroJson.Default.ShopiroListing) is { } read ? read with { EListingId = read.EListingId ?? Slid(success) ?? listingId } : null;
        }
        catch (JsonException ex)
        {
            throw Unreadable("listings.get", listingId, $"field '{ex.Path?.TrimStart('$', '.')}': {ex.Message}", ex);
        }
    }

    /// <summary>Replaces a listing with <paramref name="listing"/> (send back what was read, changed: fields the SDK does not model are kept).</summary>
    public virtual async Task<ShopiroManageResult> UpdateAsync(SellerScope seller, string listingId, ShopiroListing listing, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(listingId);
        ArgumentNullException.ThrowIfNull(listing);
        using var answer = await SendAsync(seller, listingId, saveAsNew: false, listing, "listings.update", idempotent: true, cancellationToken).ConfigureAwait(false);
        return Result(answer, "listings.update", listingId);
    }

    /// <summary>Saves <paramref name="listing"/> as a new listing (<c>san</c>); the result carries its encoded id. Not retried: a lost answer is an unknown outcome.</summary>
    public virtual async Task<ShopiroManageResult> CreateAsync(SellerScope seller, ShopiroListing listing, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listing);
        var lid = Options.NewListingId;
        using var answer = await SendAsync(seller, lid, saveAsNew: true, listing, "listings.create", idempotent: false, cancellationToken).ConfigureAwait(false);
        return Result(answer, "listings.create", lid);
    }

    private async Task<JsonDocument> SendAsync(SellerScope seller, string lid, bool saveAsNew, ShopiroListing? listing, string operation, bool idempotent, CancellationToken cancellationToken)
    {
        var json = listing is null ? null : JsonSerializer.Serialize(listing, ShopiroJson.Default.ShopiroListing);
        var query = new StringBuilder(ManagePath).Append("?lid=").Append(Uri.EscapeDataString(lid));
        if (saveAsNew)
        {
            query.Append("&san=1");
        }

        HttpContent? content = null;
        switch (Options.RequestEncoding)
        {
            case ShopiroRequestEncoding.Query when json is not null:
                query.Append("&listing=").Append(Uri.EscapeDataString(json));
                break;
            case ShopiroRequestEncoding.Json:
                content = new StringContent(json is null ? "{}" : "{\"listing\":" + json + "}", Encoding.UTF8, "application/json");
                break;
            case ShopiroRequestEncoding.Form when json is not null:
                content = new FormUrlEncodedContent([new KeyValuePair<string, string>("listing", json)]);
                break;
        }

        var request = ChannelHttp.Request(HttpMethod.Post, query.ToString(), operation, seller, idempotent, content, subject: $"listing {lid}");
        var element = await _http.SendAsync(request, ShopiroJson.Default.JsonElement, cancellationToken).ConfigureAwait(false);
        if (element.ValueKind != JsonValueKind.Object || !(element.TryGetProperty("success", out _) || element.TryGetProperty("failed", out _)))
        {
            throw Unreadable(operation, lid, "the answer is neither { success } nor { failed }");
        }

        return JsonDocument.Parse(element.GetRawText());
    }

    private static ShopiroManageResult Result(JsonDocument answer, string operation, string lid)
    {
        if (Failure(answer.RootElement) is { } reason)
        {
            throw Failed(operation, lid, reason);
        }

        var success = answer.RootElement.GetProperty("success");
        return new ShopiroManageResult(Slid(success), FieldErrors(success));
    }

    private static string? Slid(JsonElement success) =>
        success.ValueKind == JsonValueKind.Object && success.TryGetProperty("slid", out var slid) && slid.ValueKind == JsonValueKind.String ? slid.GetString() : null;

    /// <summary>Field errors as an object (<c>{ field: message }</c>), an array of <c>{ field, message }</c>, or an array of texts.</summary>
    private static List<FieldError> FieldErrors(JsonElement success)
    {
        var errors = new List<FieldError>();
        if (success.ValueKind != JsonValueKind.Object || !success.TryGetProperty("field_errors", out var list))
        {
            return errors;
        }

        if (list.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in list.EnumerateObject())
            {
                errors.Add(new FieldError(field.Name, "shopiro", Text(field.Value) ?? "refused"));
            }
        }
        else if (list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                errors.Add(item.ValueKind == JsonValueKind.Object
                    ? new FieldError(item.TryGetProperty("field", out var f) ? Text(f) ?? "listing" : "listing", "shopiro", item.TryGetProperty("message", out var m) ? Text(m) ?? "refused" : item.GetRawText())
                    : new FieldError("listing", "shopiro", Text(item) ?? item.GetRawText()));
            }
        }

        return errors;
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };

    /// <summary>The reason of a <c>failed</c> answer (a text, or an object with a reason / message), or null.</summary>
    private static string? Failure(JsonElement root)
    {
        if (!root.TryGetProperty("failed", out var failed) || failed.ValueKind is JsonValueKind.Null or JsonValueKind.False)
        {
            return null;
        }

        return failed.ValueKind switch
        {
            JsonValueKind.String => failed.GetString() is { Length: > 0 } text ? text : Reasons.Unknown,
            JsonValueKind.Object => (failed.TryGetProperty("reason", out var r) ? Text(r) : null) ?? (failed.TryGetProperty("message", out var m) ? Text(m) : null) ?? Reasons.Unknown,
            _ => Reasons.Unknown,
        };
    }

    private static ListingSyncRequestException Failed(string operation, string lid, string reason) =>
        new($"shopiro {operation} failed for listing {lid}: {reason}")
        {
            Channel = ShopiroClientOptions.ChannelName,
            Operation = operation,
            StatusCode = System.Net.HttpStatusCode.OK,
            ErrorCode = reason,
            ErrorMessage = reason,
        };

    private static ListingSyncRequestException Unreadable(string operation, string lid, string problem, Exception? inner = null) =>
        new($"shopiro {operation} answered with a body the SDK could not read about listing {lid}: {problem}", inner)
        {
            Channel = ShopiroClientOptions.ChannelName,
            Operation = operation,
            StatusCode = System.Net.HttpStatusCode.OK,
            ErrorCode = "unreadable-body",
        };

    internal static ErrorBody ParseError(string raw)
    {
        try
        {
            using var document = JsonDocument.Parse(raw);
            return Failure(document.RootElement) is { } reason ? new ErrorBody(reason, reason, []) : ErrorBody.Empty;
        }
        catch (JsonException)
        {
            return ErrorBody.Empty;
        }
    }
}
