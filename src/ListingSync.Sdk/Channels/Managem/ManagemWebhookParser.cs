using System.Buffers.Text;
using System.Text.Json;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Webhooks;

namespace ListingSync.Sdk.Channels.Managem;

/// <summary>
/// Reads Managem webhook payloads — <c>{ id, type, createdAt, data }</c> — into <see cref="ListingEvent"/>s. Listing
/// events carry <c>data.listing</c> (<c>id, urn, condition, price</c> in minor units, <c>quantity, available, hidden,
/// updatedAt</c>); order events carry <c>data.orderId, listingId, urn, quantity, available, status</c>. The field layout
/// inside <c>data</c> is not published by Managem: it follows the emulator and docs/channels/managem.md, and unknown
/// fields are skipped. Unknown event types become <see cref="ListingEventKind.Unknown"/>, never an error.
/// </summary>
public sealed class ManagemWebhookParser : IWebhookPayloadParser
{
    private readonly string _currency;
    private readonly int _decimals;

    /// <summary>Creates a parser for an account in <paramref name="currency"/> with <paramref name="decimals"/> minor-unit digits.</summary>
    public ManagemWebhookParser(string currency = "GBP", int decimals = 2)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(currency);
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        _currency = currency;
        _decimals = decimals;
    }

    /// <summary>Creates a parser for the configured account currency (the constructor dependency injection uses).</summary>
    public ManagemWebhookParser(Microsoft.Extensions.Options.IOptions<ManagemClientOptions> options)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value.Currency, options.Value.CurrencyDecimals)
    {
    }

    /// <inheritdoc />
    public string Channel => ManagemClientOptions.ChannelName;

    /// <summary>The event kind of a Managem type name.</summary>
    public static ListingEventKind KindOf(string type) => type switch
    {
        ManagemEventTypes.ListingCreated => ListingEventKind.ListingCreated,
        ManagemEventTypes.ListingUpdated => ListingEventKind.ListingUpdated,
        ManagemEventTypes.ListingDeleted => ListingEventKind.ListingDeleted,
        ManagemEventTypes.OrderCreated => ListingEventKind.OrderCreated,
        ManagemEventTypes.OrderUpdated => ListingEventKind.OrderUpdated,
        ManagemEventTypes.Test or "TEST_WEBHOOK" => ListingEventKind.Test,
        _ => ListingEventKind.Unknown,
    };

    /// <summary>Reads one payload for <paramref name="seller"/>.</summary>
    /// <exception cref="WebhookPayloadException">Malformed JSON, or <c>id</c> / <c>type</c> missing or not strings.</exception>
    public ListingEvent Parse(ReadOnlySpan<byte> utf8, SellerScope seller)
    {
        try
        {
            return Read(utf8, seller);
        }
        catch (JsonException ex)
        {
            throw new WebhookPayloadException($"The payload is not valid JSON: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new WebhookPayloadException($"The payload has a field of the wrong type: {ex.Message}", ex);
        }
        catch (FormatException ex)
        {
            throw new WebhookPayloadException($"The payload has a badly formatted value: {ex.Message}", ex);
        }
    }

    /// <summary>Reads one payload; false with the reason instead of an exception.</summary>
    public bool TryParse(ReadOnlySpan<byte> utf8, SellerScope seller, out ListingEvent? listingEvent, out string? error)
    {
        try
        {
            listingEvent = Parse(utf8, seller);
            error = null;
            return true;
        }
        catch (WebhookPayloadException ex)
        {
            listingEvent = null;
            error = ex.Message;
            return false;
        }
    }

    private ListingEvent Read(ReadOnlySpan<byte> utf8, SellerScope seller)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 16 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new WebhookPayloadException("The payload must be a JSON object.") { Field = "$" };
        }

        string? id = null, type = null;
        DateTimeOffset createdAt = default;
        var data = new Data();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = RequireString(ref reader, "id");
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = RequireString(ref reader, "type");
            }
            else if (reader.ValueTextEquals("createdAt"u8))
            {
                reader.Read();
                createdAt = reader.TokenType == JsonTokenType.String ? reader.GetDateTimeOffset() : default;
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadData(ref reader, ref data, listing: false);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // One JSON value and nothing after it: "{...}{...}", "{...} garbage" and "{...}]" are not one payload.
        bool trailing;
        try
        {
            trailing = reader.TokenType != JsonTokenType.EndObject || reader.CurrentDepth != 0 || reader.Read();
        }
        catch (JsonException)
        {
            trailing = true; // the reader refuses a second value or stray characters after the first
        }

        if (trailing)
        {
            throw new WebhookPayloadException("The body holds data after the JSON object: it must be exactly one JSON value.") { Field = "$" };
        }

        if (string.IsNullOrEmpty(id))
        {
            throw new WebhookPayloadException("The payload has no event 'id'.") { Field = "id" };
        }

        if (string.IsNullOrEmpty(type))
        {
            throw new WebhookPayloadException("The payload has no event 'type'.") { Field = "type" };
        }

        return new ListingEvent
        {
            Channel = ManagemClientOptions.ChannelName,
            Seller = seller,
            EventId = id,
            Type = type,
            Kind = KindOf(type),
            OccurredAt = createdAt,
            ListingId = data.ListingId,
            ItemUrn = data.Urn,
            Price = data.Price is { } minor ? new Money(ManagemMapper.FromMinorUnits(minor, _decimals), _currency) : null,
            Quantity = data.Quantity,
            Available = data.Available,
            Condition = data.Condition is { Length: > 0 } condition ? new ListingCondition(condition) : null,
            Visibility = data.Hidden is { } hidden ? (hidden ? ListingVisibility.Hidden : ListingVisibility.Visible) : null,
            ListingUpdatedAt = data.UpdatedAt,
            OrderId = data.OrderId,
            OrderQuantity = data.OrderQuantity,
            OrderStatus = data.Status,
        };
    }

    private static void ReadData(ref Utf8JsonReader reader, ref Data data, bool listing)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!listing && reader.ValueTextEquals("listing"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadData(ref reader, ref data, listing: true);
                }
                else
                {
                    reader.Skip();
                }

                continue;
            }

            if (listing && reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                data.ListingId = OptionalString(ref reader);
            }
            else if (!listing && reader.ValueTextEquals("listingId"u8))
            {
                reader.Read();
                data.ListingId = OptionalString(ref reader);
            }
            else if (reader.ValueTextEquals("urn"u8))
            {
                reader.Read();
                data.Urn = OptionalString(ref reader);
            }
            else if (reader.ValueTextEquals("condition"u8))
            {
                reader.Read();
                data.Condition = OptionalString(ref reader);
            }
            else if (reader.ValueTextEquals("price"u8))
            {
                reader.Read();
                data.Price = OptionalLong(ref reader);
            }
            else if (reader.ValueTextEquals("quantity"u8))
            {
                reader.Read();
                var quantity = OptionalInt(ref reader, listing ? "data.listing.quantity" : "data.quantity");
                if (listing)
                {
                    data.Quantity = quantity;
                }
                else
                {
                    data.OrderQuantity = quantity;
                }
            }
            else if (reader.ValueTextEquals("available"u8))
            {
                reader.Read();
                data.Available = OptionalInt(ref reader, "data.listing.available");
            }
            else if (reader.ValueTextEquals("hidden"u8))
            {
                reader.Read();
                data.Hidden = reader.TokenType switch { JsonTokenType.True => true, JsonTokenType.False => false, _ => null };
            }
            else if (reader.ValueTextEquals("updatedAt"u8))
            {
                reader.Read();
                data.UpdatedAt = reader.TokenType == JsonTokenType.String ? reader.GetDateTimeOffset() : null;
            }
            else if (reader.ValueTextEquals("orderId"u8))
            {
                reader.Read();
                data.OrderId = OptionalString(ref reader);
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                data.Status = OptionalString(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static string RequireString(ref Utf8JsonReader reader, string field) =>
        reader.TokenType == JsonTokenType.String
            ? reader.GetString()!
            : throw new WebhookPayloadException($"The payload's '{field}' must be a string (was {reader.TokenType}).") { Field = field };

    private static string? OptionalString(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return reader.HasValueSequence ? null : System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
            default:
                reader.Skip();
                return null;
        }
    }

    private static long? OptionalLong(ref Utf8JsonReader reader, string field = "data.price") => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt64(out var number) => number,
        JsonTokenType.String when Utf8Parser.TryParse(reader.ValueSpan, out long value, out var consumed) && consumed == reader.ValueSpan.Length => value,
        JsonTokenType.Null => null,
        _ => throw new WebhookPayloadException($"'{field}' must be a whole number within 64 bits (was {Describe(ref reader)}).") { Field = field },
    };

    /// <summary>A quantity: a whole number that fits 32 bits and is not negative; anything else is refused, never wrapped.</summary>
    private static int? OptionalInt(ref Utf8JsonReader reader, string field)
    {
        var value = OptionalLong(ref reader, field);
        return value switch
        {
            null => null,
            >= 0 and <= int.MaxValue => (int)value.Value,
            _ => throw new WebhookPayloadException($"'{field}' must be between 0 and {int.MaxValue} (was {value}).") { Field = field },
        };
    }

    private static string Describe(ref Utf8JsonReader reader) =>
        reader.TokenType is JsonTokenType.Number or JsonTokenType.String && !reader.HasValueSequence
            ? System.Text.Encoding.UTF8.GetString(reader.ValueSpan)
            : reader.TokenType.ToString();

    private struct Data
    {
        public string? ListingId;
        public string? Urn;
        public string? Condition;
        public long? Price;
        public int? Quantity;
        public int? Available;
        public bool? Hidden;
        public DateTimeOffset? UpdatedAt;
        public string? OrderId;
        public int? OrderQuantity;
        public string? Status;
    }
}
