using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ListingSync.Sdk.Channels.Jtl;

/// <summary>JTL's event type names.</summary>
public static class JtlEventTypes
{
    /// <summary>A seller published a new offer (the whole offer).</summary>
    public const string OfferNew = "Seller:Offer.New";

    /// <summary>An offer changed (the whole offer again).</summary>
    public const string OfferUpdate = "Seller:Offer.Update";

    /// <summary>An offer ended.</summary>
    public const string OfferEnd = "Seller:Offer.End";

    /// <summary>An offer's stock changed.</summary>
    public const string OfferStockUpdate = "Seller:Offer.StockUpdate";

    /// <summary>An offer's prices changed.</summary>
    public const string OfferPriceUpdate = "Seller:Offer.PriceUpdate";

    /// <summary>
    /// The prefix of the seller's order events (<c>Seller:Order.Shipping</c>, <c>Seller:Order.Payment</c>, the
    /// cancellation request and answers, invoice, refund, return received, …): mapped to
    /// <see cref="Webhooks.ListingEventKind.OrderUpdated"/> with the payload kept.
    /// </summary>
    public const string OrderPrefix = "Seller:Order.";

    /// <summary>The seller shipped (tracking per item).</summary>
    public const string OrderShipping = "Seller:Order.Shipping";

    /// <summary>The seller received the payment.</summary>
    public const string OrderPayment = "Seller:Order.Payment";

    /// <summary>The seller asks the channel to cancel an order or some of its items (answer with an accept or a denial).</summary>
    public const string OrderCancellationRequest = "Seller:Order.Cancellation.Request";

    /// <summary>The seller accepted a cancellation the channel (buyer or marketplace) requested.</summary>
    public const string OrderCancellationAccepted = "Seller:Order.Cancellation.Accepted";

    /// <summary>The seller denied a cancellation the channel (buyer or marketplace) requested.</summary>
    public const string OrderCancellationDenied = "Seller:Order.Cancellation.Denied";

    /// <summary>The seller issued an invoice (or a credit note) for an order; the document can be downloaded until it expires.</summary>
    public const string OrderInvoice = "Seller:Order.Invoice";

    /// <summary>The seller refunds order items; the channel answers with a refund processing result.</summary>
    public const string OrderRefund = "Seller:Order.Refund";

    /// <summary>A return arrived at the seller's warehouse.</summary>
    public const string OrderReturnReceived = "Seller:Order.ReturnReceived";

    /// <summary>A message from JTL to the channel about a seller (severity INFO, WARNING or ERROR).</summary>
    public const string SystemNotification = "System:Notification";

    /// <summary>The seller unlinked the channel.</summary>
    public const string ChannelUnlinked = "Seller:Channel.Unlinked";

    /// <summary>The seller asks the channel to send its seller attributes again.</summary>
    public const string SellerAttributesUpdateRequest = "Seller:Meta.SellerAttributesUpdateRequest";

    /// <summary>The seller asks for a report.</summary>
    public const string ReportRequest = "Seller:Report.Request";
}

/// <summary>One pulled event: its envelope, with the payload kept raw until it is read by type.</summary>
public sealed record JtlEvent
{
    /// <summary>The event id (acknowledge it when processed).</summary>
    [JsonPropertyName("id")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string Id { get; init; } = "";

    /// <summary>When JTL recorded it.</summary>
    [JsonIgnore]
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>
    /// The envelope's <c>createdAt</c> as sent, when it was present but could not be read as a timestamp (e.g. a
    /// number): the mapper makes that this event's failure, so one bad envelope never fails the pull it came in.
    /// </summary>
    [JsonIgnore]
    public string? UnreadableCreatedAt { get; init; }

    [JsonInclude]
    [JsonPropertyName("createdAt")]
    internal JsonElement CreatedAtJson
    {
        get => CreatedAt is { } value ? JsonSerializer.SerializeToElement(value.ToString("O", CultureInfo.InvariantCulture), JtlJson.Default.String) : default;
        init
        {
            if (value.ValueKind == JsonValueKind.String && JtlTimestampConverter.TryParse(value.GetString(), out var parsed))
            {
                CreatedAt = parsed;
            }
            else if (value.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
            {
                var raw = value.GetRawText();
                UnreadableCreatedAt = raw.Length <= 64 ? raw : raw[..64] + "…";
            }
        }
    }

    /// <summary>The seller's JTL-Wawi version.</summary>
    [JsonPropertyName("clientVersion")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? ClientVersion { get; init; }

    /// <summary>The type, e.g. <see cref="JtlEventTypes.OfferNew"/>.</summary>
    [JsonPropertyName("type")]
    public string Type { get; init; } = "";

    /// <summary>The payload as received.</summary>
    [JsonPropertyName("event")]
    public JsonElement Event { get; init; }
}

/// <summary>A price in a price list (amounts are sent as strings or numbers; both are read).</summary>
public sealed record JtlAmount
{
    /// <summary>The amount.</summary>
    [JsonPropertyName("amount")]
    public decimal Amount { get; init; }

    /// <summary>ISO 4217 currency.</summary>
    [JsonPropertyName("currency")]
    public string Currency { get; init; } = "";
}

/// <summary>A price list, e.g. <c>B2C</c>, with its quantity prices.</summary>
public sealed record JtlPriceList
{
    /// <summary>The list id (<c>B2C</c>, <c>B2B</c>, …).</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>Prices by quantity; the first is the unit price.</summary>
    [JsonPropertyName("quantityPriceList")]
    public IReadOnlyList<JtlAmount> QuantityPriceList { get; init; } = [];
}

/// <summary>An offer channel attribute.</summary>
public sealed record JtlChannelAttributeValue
{
    /// <summary>The attribute.</summary>
    [JsonPropertyName("attributeId")]
    public string AttributeId { get; init; } = "";

    /// <summary>Its value.</summary>
    [JsonPropertyName("value")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Value { get; init; }

    /// <summary>The group of a repeated attribute (values that belong together share one group).</summary>
    [JsonPropertyName("group")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Group { get; init; }
}

/// <summary>The whole offer, as <c>Seller:Offer.New</c> and <c>Seller:Offer.Update</c> send it every time.</summary>
public sealed record JtlOffer : JtlOfferRef
{
    /// <summary>The parent offer of a variation.</summary>
    [JsonPropertyName("parentOfferId")]
    public long? ParentOfferId { get; init; }

    /// <summary>The channel category.</summary>
    [JsonPropertyName("channelCategoryId")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? ChannelCategoryId { get; init; }

    /// <summary>Stock.</summary>
    [JsonPropertyName("quantity")]
    public decimal Quantity { get; init; }

    /// <summary>VAT rate.</summary>
    [JsonPropertyName("taxPercent")]
    public decimal? TaxPercent { get; init; }

    /// <summary>Price lists.</summary>
    [JsonPropertyName("priceList")]
    public IReadOnlyList<JtlPriceList> PriceList { get; init; } = [];

    /// <summary>Title.</summary>
    [JsonPropertyName("title")]
    public string? Title { get; init; }

    /// <summary>Subtitle.</summary>
    [JsonPropertyName("subTitle")]
    public string? SubTitle { get; init; }

    /// <summary>Description (HTML).</summary>
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>Main picture link (expires after 7 days).</summary>
    [JsonPropertyName("mainPicture")]
    public string? MainPicture { get; init; }

    /// <summary>More picture links.</summary>
    [JsonPropertyName("pictureList")]
    public IReadOnlyList<string> PictureList { get; init; } = [];

    /// <summary>Channel attributes.</summary>
    [JsonPropertyName("channelAttributeList")]
    public IReadOnlyList<JtlChannelAttributeValue> ChannelAttributeList { get; init; } = [];

    /// <summary>SKU.</summary>
    [JsonPropertyName("sku")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Sku { get; init; }

    /// <summary>GTIN.</summary>
    [JsonPropertyName("gtin")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Gtin { get; init; }

    /// <summary>MPN.</summary>
    [JsonPropertyName("mpn")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Mpn { get; init; }

    /// <summary>ISBN.</summary>
    [JsonPropertyName("isbn")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Isbn { get; init; }

    /// <summary>Brand.</summary>
    [JsonPropertyName("brand")]
    public string? Brand { get; init; }

    /// <summary>The B2C unit price, when given.</summary>
    [JsonIgnore]
    public JtlAmount? UnitPrice
    {
        get
        {
            JtlPriceList? chosen = null;
            foreach (var list in PriceList ?? [])
            {
                if (list is null)
                {
                    continue;
                }

                if (string.Equals(list.Id, "B2C", StringComparison.OrdinalIgnoreCase))
                {
                    chosen = list;
                    break;
                }

                chosen ??= list;
            }

            return chosen is { QuantityPriceList: { Count: > 0 } prices } ? prices[0] : null;
        }
    }
}

/// <summary>The fields every offer notice carries: which seller's which offer.</summary>
public record JtlOfferRef
{
    /// <summary>The seller.</summary>
    [JsonPropertyName("sellerId")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string SellerId { get; init; } = "";

    /// <summary>The offer.</summary>
    [JsonPropertyName("offerId")]
    public long OfferId { get; init; }

    /// <summary>The channel's id for it, once listed.</summary>
    [JsonPropertyName("channelOfferId")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? ChannelOfferId { get; init; }
}

/// <summary><c>Seller:Offer.StockUpdate</c>.</summary>
public sealed record JtlStockUpdate : JtlOfferRef
{
    /// <summary>New stock.</summary>
    [JsonPropertyName("quantity")]
    public decimal Quantity { get; init; }
}

/// <summary><c>Seller:Offer.PriceUpdate</c>.</summary>
public sealed record JtlPriceUpdate : JtlOfferRef
{
    /// <summary>New prices.</summary>
    [JsonPropertyName("priceList")]
    public IReadOnlyList<JtlPriceList> PriceList { get; init; } = [];
}

/// <summary><c>Seller:Offer.End</c>.</summary>
public sealed record JtlOfferEnd : JtlOfferRef;

/// <summary>Reads a string field that the wire sometimes sends as a number (ids, versions, codes).</summary>
internal sealed class LenientStringConverter : JsonConverter<string?>
{
    /// <inheritdoc />
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => reader.TryGetInt64(out var whole) ? whole.ToString(CultureInfo.InvariantCulture) : reader.GetDecimal().ToString(CultureInfo.InvariantCulture),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => null,
        _ => throw new JsonException($"Expected a string or a number, found {reader.TokenType}."),
    };

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}

internal sealed record JtlEventList
{
    [JsonPropertyName("eventList")]
    public IReadOnlyList<JtlEvent> EventList { get; init; } = [];
}

internal sealed record JtlEventIdList
{
    [JsonPropertyName("eventIdList")]
    public IReadOnlyList<string> EventIdList { get; init; } = [];
}

internal sealed record JtlErrorList
{
    [JsonPropertyName("errorList")]
    public IReadOnlyList<JtlError>? ErrorList { get; init; }
}

internal sealed record JtlError
{
    [JsonPropertyName("code")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Code { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("severity")]
    public string? Severity { get; init; }

    [JsonPropertyName("hint")]
    public string? Hint { get; init; }
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString, PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(JtlTimestampConverter), typeof(JtlNullableTimestampConverter)])]
[JsonSerializable(typeof(JtlAuthResponse))]
[JsonSerializable(typeof(JtlEventList))]
[JsonSerializable(typeof(JtlEventIdList))]
[JsonSerializable(typeof(JtlErrorList))]
[JsonSerializable(typeof(JtlOffer))]
[JsonSerializable(typeof(JtlStockUpdate))]
[JsonSerializable(typeof(JtlPriceUpdate))]
[JsonSerializable(typeof(JtlOfferEnd))]
internal sealed partial class JtlJson : JsonSerializerContext;

/// <summary>
/// Reads every ISO 8601 form JTL emits: <c>Z</c>, <c>+01:00</c>, <c>+0100</c> or <c>+01</c> offsets, any number of
/// fractional digits. Written in the extended form with a colon.
/// </summary>
internal sealed class JtlTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && TryParse(reader.GetString(), out var value)
            ? value
            : throw new JsonException($"Expected an ISO 8601 timestamp with an offset, found {(reader.TokenType == JsonTokenType.String ? "'" + reader.GetString() + "'" : reader.TokenType.ToString())}.");

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture));

    internal static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        // "+0000" / "+00" -> "+00:00": the basic offset forms System.Text.Json's own parser refuses.
        var match = System.Text.RegularExpressions.Regex.Match(text, @"([+-])(\d{2})(\d{2})?$");
        if (match.Success && text.Length > 19 && text[^(match.Length + 1)] is not (':' or '-'))
        {
            text = text[..^match.Length] + match.Groups[1].Value + match.Groups[2].Value + ":" + (match.Groups[3].Success ? match.Groups[3].Value : "00");
        }

        return (text.EndsWith('Z') || System.Text.RegularExpressions.Regex.IsMatch(text, @"[+-]\d{2}:\d{2}$"))
            && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out value);
    }
}

/// <summary>As <see cref="JtlTimestampConverter"/>, for optional timestamps: null, or a value that cannot be read, is absent.</summary>
internal sealed class JtlNullableTimestampConverter : JsonConverter<DateTimeOffset?>
{
    // Lenient on purpose: an optional timestamp that cannot be read (e.g. one event's createdAt) must not fail the
    // whole event list it arrives in; it reads as absent.
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && JtlTimestampConverter.TryParse(reader.GetString(), out var value))
        {
            return value;
        }

        reader.Skip();
        return null;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            new JtlTimestampConverter().Write(writer, v, options);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

/// <summary>The timestamp forms JTL emits, for hosts that read JTL payloads themselves.</summary>
public static class JtlTimestampParsing
{
    /// <summary>Reads an ISO 8601 timestamp with an offset in any form JTL emits (<c>Z</c>, <c>+01:00</c>, <c>+0100</c>, <c>+01</c>).</summary>
    public static bool TryParse(string? text, out DateTimeOffset value) => JtlTimestampConverter.TryParse(text, out value);
}
