using System.Globalization;
using System.Text.Json;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Webhooks;

namespace ListingSync.Sdk.Channels.Jtl;

/// <summary>
/// Turns pulled JTL events into the SDK's <see cref="ListingEvent"/>: offers new / updated (the whole offer, as
/// <see cref="ListingEvent.Listing"/>), ended, stock and price updates. Other types (orders, unlinking, tests,
/// notifications) become <see cref="ListingEventKind.Unknown"/> or <see cref="ListingEventKind.Test"/>, never errors. The
/// offer id is the listing id and the reference ("offer id is the key").
/// </summary>
public static class JtlEventMapper
{
    /// <summary>The language offers are recorded with: JTL offers carry none (ISO 639-2 "undetermined").</summary>
    public const string UnknownLanguage = "und";

    /// <summary>Reads one event.</summary>
    /// <exception cref="WebhookPayloadException">The payload is not what its type promises; <see cref="WebhookPayloadException.Field"/> names the field.</exception>
    public static ListingEvent ToListingEvent(JtlEvent jtlEvent)
    {
        ArgumentNullException.ThrowIfNull(jtlEvent);
        if (string.IsNullOrEmpty(jtlEvent.Id))
        {
            throw new WebhookPayloadException("The event has no id.") { Field = "id" };
        }

        if (string.IsNullOrEmpty(jtlEvent.Type))
        {
            throw new WebhookPayloadException($"Event {jtlEvent.Id} has no type.") { Field = "type" };
        }

        if (jtlEvent.UnreadableCreatedAt is { } createdAt)
        {
            throw new WebhookPayloadException($"Event {jtlEvent.Id} ({jtlEvent.Type}): createdAt {createdAt} is not an ISO 8601 timestamp with an offset.") { Field = "createdAt" };
        }

        try
        {
            return jtlEvent.Type switch
            {
                JtlEventTypes.OfferNew or JtlEventTypes.OfferUpdate => FromOffer(jtlEvent, Read(jtlEvent, JtlJson.Default.JtlOffer)),
                JtlEventTypes.OfferStockUpdate => FromStock(jtlEvent, Read(jtlEvent, JtlJson.Default.JtlStockUpdate)),
                JtlEventTypes.OfferPriceUpdate => FromPrice(jtlEvent, Read(jtlEvent, JtlJson.Default.JtlPriceUpdate)),
                JtlEventTypes.OfferEnd => FromEnd(jtlEvent, Read(jtlEvent, JtlJson.Default.JtlOfferEnd)),
                _ when jtlEvent.Type.StartsWith("System:Test", StringComparison.Ordinal) => Envelope(jtlEvent, ListingEventKind.Test, SellerOf(jtlEvent)),
                _ when jtlEvent.Type.StartsWith(JtlEventTypes.OrderPrefix, StringComparison.Ordinal) => FromOrder(jtlEvent),
                _ => Envelope(jtlEvent, ListingEventKind.Unknown, SellerOf(jtlEvent)) with { Payload = RawPayload(jtlEvent), Detail = JtlDetailReader.Read(jtlEvent) },
            };
        }
        catch (JsonException ex)
        {
            throw new WebhookPayloadException($"Event {jtlEvent.Id} ({jtlEvent.Type}): {ex.Message}", ex) { Field = ex.Path is { Length: > 1 } path ? "event" + path[1..] : "event" };
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            // A field missing, null or of another shape than its type promises: an error of this event only.
            throw new WebhookPayloadException($"Event {jtlEvent.Id} ({jtlEvent.Type}) has a field that is missing, null or of the wrong shape: {ex.Message}", ex) { Field = "event" };
        }
    }

    private static T Read<T>(JtlEvent e, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        if (e.Event.ValueKind != JsonValueKind.Object)
        {
            throw new WebhookPayloadException($"Event {e.Id} ({e.Type}) has no event object.") { Field = "event" };
        }

        return e.Event.Deserialize(type) ?? throw new WebhookPayloadException($"Event {e.Id} ({e.Type}) has an empty event object.") { Field = "event" };
    }

    private static void Require(JtlEvent e, JtlOfferRef offer)
    {
        if (string.IsNullOrEmpty(offer.SellerId))
        {
            throw new WebhookPayloadException($"Event {e.Id} ({e.Type}) has no sellerId.") { Field = "event.sellerId" };
        }

        if (offer.OfferId <= 0)
        {
            throw new WebhookPayloadException($"Event {e.Id} ({e.Type}) has no offerId.") { Field = "event.offerId" };
        }
    }

    private static ListingEvent FromOffer(JtlEvent e, JtlOffer offer)
    {
        Require(e, offer);
        var price = offer.UnitPrice is { } unit ? new Money(unit.Amount, unit.Currency) : (Money?)null;
        var id = offer.OfferId.ToString(CultureInfo.InvariantCulture);
        var quantity = Quantity(e, offer.Quantity);
        return Envelope(e, e.Type == JtlEventTypes.OfferNew ? ListingEventKind.ListingCreated : ListingEventKind.ListingUpdated, offer.SellerId) with
        {
            ListingId = id,
            Reference = id,
            Price = price,
            Quantity = quantity,
            Listing = new Listing
            {
                Id = id,
                SellerId = offer.SellerId,
                Reference = id,
                Item = new ItemIdentity { Sku = offer.Sku, Gtin = offer.Gtin ?? Text(e, "ean") ?? Text(e, "upc"), Name = offer.Title },
                Condition = ListingCondition.New,
                Language = UnknownLanguage,
                Price = price ?? throw new WebhookPayloadException($"Event {e.Id} ({e.Type}): offer {id} has no price.") { Field = "event.priceList" },
                Quantity = quantity,
                UpdatedAt = e.CreatedAt,
                Titles = offer.Title is { Length: > 0 } title ? new Dictionary<string, string>(StringComparer.Ordinal) { [UnknownLanguage] = title } : new Dictionary<string, string>(StringComparer.Ordinal),
                Descriptions = offer.Description is { Length: > 0 } description ? new Dictionary<string, string>(StringComparer.Ordinal) { [UnknownLanguage] = description } : new Dictionary<string, string>(StringComparer.Ordinal),
                Category = offer.ChannelCategoryId,
                Attributes = [.. OfferAttributes(offer, e)],
                Pictures = [.. (offer.MainPicture is { Length: > 0 } main ? [main] : Array.Empty<string>()).Concat(offer.PictureList ?? []).Where(u => !string.IsNullOrEmpty(u)).Select(u => new ListingPicture(u))],
                Extensions = OfferExtensions(e),
            },
        };
    }

    /// <summary>Offer fields the canonical listing has a place for; every other field goes into its extensions, unchanged.</summary>
    private static readonly HashSet<string> CanonicalOfferFields = new(StringComparer.Ordinal)
    {
        "sellerId", "offerId", "quantity", "title", "description", "channelCategoryId", "mainPicture", "pictureList",
        "channelAttributeList", "productAttributeList", "sku", "gtin",
    };

    /// <summary>Channel attributes (group <c>channel</c> unless they carry one), then product attributes (group <c>product</c>).</summary>
    private static IEnumerable<ListingAttribute> OfferAttributes(JtlOffer offer, JtlEvent e)
    {
        foreach (var attribute in offer.ChannelAttributeList ?? [])
        {
            if (attribute is { AttributeId.Length: > 0 })
            {
                yield return new ListingAttribute(attribute.AttributeId, attribute.Value ?? "", attribute.Group ?? "channel");
            }
        }

        if (e.Event.TryGetProperty("productAttributeList", out var products) && products.ValueKind == JsonValueKind.Array)
        {
            foreach (var product in products.EnumerateArray())
            {
                if (product.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var name = Text(product, "attributeId") ?? Text(product, "name") ?? Text(product, "key");
                if (name is not null)
                {
                    yield return new ListingAttribute(name, Text(product, "value") ?? "", Text(product, "group") ?? "product");
                }
            }
        }
    }

    /// <summary>Everything the offer carries that the canonical listing has no field for (tiered price lists, subtitle, tax, SRP, …), as sent.</summary>
    private static Dictionary<string, JsonElement> OfferExtensions(JtlEvent e)
    {
        var extensions = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in e.Event.EnumerateObject())
        {
            if (!CanonicalOfferFields.Contains(property.Name))
            {
                extensions[property.Name] = property.Value.Clone();
            }
        }

        return extensions;
    }

    private static string? Text(JtlEvent e, string name) => e.Event.ValueKind == JsonValueKind.Object ? Text(e.Event, name) : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() is { Length: > 0 } text ? text : null,
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => null,
        } : null;

    private static ListingEvent FromStock(JtlEvent e, JtlStockUpdate update)
    {
        Require(e, update);
        return Envelope(e, ListingEventKind.StockChanged, update.SellerId) with
        {
            ListingId = update.OfferId.ToString(CultureInfo.InvariantCulture),
            Reference = update.OfferId.ToString(CultureInfo.InvariantCulture),
            Quantity = Quantity(e, update.Quantity),
        };
    }

    private static ListingEvent FromPrice(JtlEvent e, JtlPriceUpdate update)
    {
        Require(e, update);
        var unit = new JtlOffer { PriceList = update.PriceList }.UnitPrice
            ?? throw new WebhookPayloadException($"Event {e.Id} ({e.Type}) has no price.") { Field = "event.priceList" };
        return Envelope(e, ListingEventKind.PriceChanged, update.SellerId) with
        {
            ListingId = update.OfferId.ToString(CultureInfo.InvariantCulture),
            Reference = update.OfferId.ToString(CultureInfo.InvariantCulture),
            Price = new Money(unit.Amount, unit.Currency),
        };
    }

    private static ListingEvent FromEnd(JtlEvent e, JtlOfferEnd end)
    {
        Require(e, end);
        return Envelope(e, ListingEventKind.ListingDeleted, end.SellerId) with
        {
            ListingId = end.OfferId.ToString(CultureInfo.InvariantCulture),
            Reference = end.OfferId.ToString(CultureInfo.InvariantCulture),
        };
    }

    private static int Quantity(JtlEvent e, decimal quantity) =>
        quantity is >= 0 and <= int.MaxValue && quantity == decimal.Truncate(quantity)
            ? (int)quantity
            : throw new WebhookPayloadException($"Event {e.Id} ({e.Type}): quantity {quantity} is not a whole, non-negative number.") { Field = "event.quantity" };

    /// <summary>
    /// A <c>Seller:Order.*</c> event (shipping, payment, cancellation request / answer, invoice, refund, return, …): the
    /// seller's action on an order the channel reported. Its order id and the action are read; the whole payload is
    /// kept in <see cref="ListingEvent.Payload"/> for the host's order handler.
    /// </summary>
    private static ListingEvent FromOrder(JtlEvent e)
    {
        var detail = (JtlOrderEventDetail)JtlDetailReader.Read(e)!;
        return Envelope(e, ListingEventKind.OrderUpdated, SellerOf(e)) with
        {
            OrderId = detail.OrderId,
            OrderStatus = e.Type[JtlEventTypes.OrderPrefix.Length..],
            Payload = e.Event.GetRawText(),
            Detail = detail,
        };
    }

    /// <summary>
    /// An order event that could not be read, as an envelope with its payload: kept in the inbox rather than left to
    /// JTL's redelivery, which would end in the order being dropped after ten deliveries.
    /// </summary>
    internal static ListingEvent? Unreadable(JtlEvent e) =>
        string.IsNullOrEmpty(e.Id) || e.Type?.StartsWith(JtlEventTypes.OrderPrefix, StringComparison.Ordinal) != true
            ? null
            : Envelope(e, ListingEventKind.OrderUpdated, SellerOf(e)) with { OrderStatus = e.Type[JtlEventTypes.OrderPrefix.Length..], Payload = RawPayload(e) };

    private static string? RawPayload(JtlEvent e) => e.Event.ValueKind is JsonValueKind.Undefined ? null : e.Event.GetRawText();

    private static string SellerOf(JtlEvent e) =>
        e.Event.ValueKind == JsonValueKind.Object && e.Event.TryGetProperty("sellerId", out var seller) && seller.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? (seller.ValueKind == JsonValueKind.String ? seller.GetString()! : seller.GetRawText())
            : SellerScope.Default.SellerId;

    private static ListingEvent Envelope(JtlEvent e, ListingEventKind kind, string sellerId) => new()
    {
        Channel = JtlClientOptions.ChannelName,
        Seller = new SellerScope(string.IsNullOrEmpty(sellerId) ? SellerScope.Default.SellerId : sellerId),
        EventId = e.Id,
        Kind = kind,
        Type = e.Type,
        OccurredAt = e.CreatedAt ?? default,
    };
}
