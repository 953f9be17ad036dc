using System.Text.Json.Serialization;

namespace ListingSync.Sdk.Channels.Jtl;

internal sealed record JtlOfferList<T>
{
    [JsonPropertyName("offerList")]
    public IReadOnlyList<T> OfferList { get; init; } = [];
}

internal sealed record JtlInProgressItem(
    [property: JsonPropertyName("sellerId")] string SellerId,
    [property: JsonPropertyName("offerId")] long OfferId,
    [property: JsonPropertyName("startedAt")] string StartedAt);

internal sealed record JtlListedItem(
    [property: JsonPropertyName("sellerId")] string SellerId,
    [property: JsonPropertyName("offerId")] long OfferId,
    [property: JsonPropertyName("channelOfferId")] string ChannelOfferId,
    [property: JsonPropertyName("listedAt")] string ListedAt,
    [property: JsonPropertyName("listingUrl")] string? ListingUrl);

internal sealed record JtlFailedItem(
    [property: JsonPropertyName("sellerId")] string SellerId,
    [property: JsonPropertyName("offerId")] long OfferId,
    [property: JsonPropertyName("failedAt")] string FailedAt,
    [property: JsonPropertyName("errorList")] IReadOnlyList<JtlListingError> ErrorList);

internal sealed record JtlListingError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("longMessage")] string LongMessage,
    [property: JsonPropertyName("relatedAttributeId")] string? RelatedAttributeId,
    [property: JsonPropertyName("recommendedValue")] string? RecommendedValue = null)
{
    /// <summary>The most characters JTL takes in a listing-failed error's <c>message</c>.</summary>
    public const int MaxMessageLength = 250;

    private const string Marker = " […]";

    /// <summary>The report's error: the message trimmed to 250 characters with a marker (the full text in <c>longMessage</c>).</summary>
    public static JtlListingError From(FieldError error, out bool trimmed)
    {
        var message = error.Message;
        trimmed = message.Length > MaxMessageLength;
        if (trimmed)
        {
            var cut = MaxMessageLength - Marker.Length;
            if (char.IsHighSurrogate(message[cut - 1]))
            {
                cut--; // never split a surrogate pair
            }

            message = message[..cut] + Marker;
        }

        return new JtlListingError(error.Rule, message, error.ToString(), error.Field.Length == 0 ? null : error.Field, error.RecommendedValue);
    }
}

/// <summary>One stock change from the stock-updates endpoints.</summary>
public sealed record JtlStockChange : JtlOfferRef
{
    /// <summary>The channel.</summary>
    [JsonPropertyName("channel")]
    public string? Channel { get; init; }

    /// <summary>New stock.</summary>
    [JsonPropertyName("quantity")]
    public decimal Quantity { get; init; }

    /// <summary>When it changed.</summary>
    [JsonPropertyName("updatedAt")]
    public DateTimeOffset UpdatedAt { get; init; }
}

internal sealed record JtlStockUpdatePage
{
    [JsonPropertyName("stockUpdateList")]
    public IReadOnlyList<JtlStockChange> StockUpdateList { get; init; } = [];

    [JsonPropertyName("lastUpdatedAt")]
    public DateTimeOffset? LastUpdatedAt { get; init; }
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString, PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(JtlTimestampConverter), typeof(JtlNullableTimestampConverter)])]
[JsonSerializable(typeof(JtlOfferList<JtlInProgressItem>))]
[JsonSerializable(typeof(JtlOfferList<JtlListedItem>))]
[JsonSerializable(typeof(JtlOfferList<JtlFailedItem>))]
[JsonSerializable(typeof(JtlStockUpdatePage))]
internal sealed partial class JtlReportJson : JsonSerializerContext;
