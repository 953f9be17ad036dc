using System.Globalization;
using System.Text.Json;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Webhooks;

namespace ListingSync.Sdk.Channels.Jtl;

// The records below follow the JTL Channel API's seller event models (jtl-scx/channel-core, src/Client/Model:
// SellerEventOrderShipping, OrderShippingPosition, SellerEventOrderPayment, SellerEventOrderCancellationRequest,
// SellerEventOrderCancellationAccepted / Denied, SellerEventOrderInvoice, SellerEventOrderRefund, RefundOrderItem,
// SellerEventOrderReturnReceived, SystemEventNotification, SellerEventChannelUnlinked,
// SellerEventSellerAttributesUpdateRequest, SellerEventReportRequest). Every field they do not model is kept in Extra.

/// <summary>A JTL seller or system event, typed (<see cref="ListingEvent.Detail"/>).</summary>
public abstract record JtlEventDetail : ChannelEventDetail
{
    /// <summary>The seller concerned (<c>sellerId</c>).</summary>
    public string? SellerId { get; init; }
}

/// <summary>A seller's action on an order the channel reported (<c>Seller:Order.*</c>).</summary>
public abstract record JtlOrderEventDetail : JtlEventDetail
{
    /// <summary>The channel's order id (<c>orderId</c>); cancellation answers carry only the request id.</summary>
    public string? OrderId { get; init; }
}

/// <summary>An order item and a quantity (cancellations, returns, shipped items).</summary>
/// <param name="OrderItemId">The channel's order item id.</param>
/// <param name="Quantity">How many; null when JTL sent none (the whole item).</param>
public sealed record JtlOrderItemQuantity(string OrderItemId, decimal? Quantity)
{
    /// <summary>What else JTL sent for the item (e.g. a return's reason, condition or note).</summary>
    public IReadOnlyDictionary<string, JsonElement> Extra { get; init; } = JtlDetailReader.NoExtra;
}

/// <summary><c>Seller:Order.Shipping</c>: the seller shipped items, with tracking per parcel.</summary>
public sealed record JtlOrderShipping : JtlOrderEventDetail
{
    /// <summary>True when the whole order has shipped (<c>shippingComplete</c>).</summary>
    public bool ShippingComplete { get; init; }

    /// <summary>The parcels (<c>shippingItems</c>).</summary>
    public IReadOnlyList<JtlShippingPosition> ShippingItems { get; init; } = [];
}

/// <summary>One parcel of a shipping event.</summary>
public sealed record JtlShippingPosition
{
    /// <summary>The carrier (<c>carrier</c>, required by JTL).</summary>
    public required string Carrier { get; init; }

    /// <summary>The tracking number.</summary>
    public string? TrackingNumber { get; init; }

    /// <summary>When it left.</summary>
    public DateTimeOffset? ShippedAt { get; init; }

    /// <summary>The order items in the parcel (<c>orderItemIdList</c>).</summary>
    public IReadOnlyList<JtlOrderItemQuantity> Items { get; init; } = [];

    /// <summary>The prepaid return label's carrier and tracking number (<c>returnTracking</c>), when sent.</summary>
    public JtlTracking? ReturnTracking { get; init; }

    /// <summary>Where the parcel left from (<c>shippedFrom</c>), as sent.</summary>
    public IReadOnlyDictionary<string, JsonElement> ShippedFrom { get; init; } = JtlDetailReader.NoExtra;

    /// <summary>What else JTL sent for the parcel.</summary>
    public IReadOnlyDictionary<string, JsonElement> Extra { get; init; } = JtlDetailReader.NoExtra;
}

/// <summary>A carrier and a tracking number.</summary>
public sealed record JtlTracking(string? Carrier, string? TrackingNumber);

/// <summary><c>Seller:Order.Payment</c>: the seller received the payment.</summary>
public sealed record JtlOrderPayment : JtlOrderEventDetail
{
    /// <summary>True when the order is paid in full (<c>paymentComplete</c>).</summary>
    public bool PaymentComplete { get; init; }

    /// <summary>When (<c>paidAt</c>).</summary>
    public DateTimeOffset? PaidAt { get; init; }
}

/// <summary><c>Seller:Order.Cancellation.Request</c>: the seller asks to cancel items; answer with <see cref="JtlOrdersClient.AcceptCancellationAsync"/> or <see cref="JtlOrdersClient.DenyCancellationAsync"/>.</summary>
public sealed record JtlOrderCancellationRequest : JtlOrderEventDetail
{
    /// <summary>The id to answer with (<c>orderCancellationRequestId</c>).</summary>
    public required string CancellationRequestId { get; init; }

    /// <summary>The items to cancel (<c>orderItem</c>); a whole order lists every item.</summary>
    public IReadOnlyList<JtlOrderItemQuantity> Items { get; init; } = [];

    /// <summary>JTL's reason code (<c>cancelReason</c>).</summary>
    public string? CancelReason { get; init; }

    /// <summary>The seller's message (at most 1,024 characters).</summary>
    public string? Message { get; init; }
}

/// <summary><c>Seller:Order.Cancellation.Accepted</c> or <c>.Denied</c>: the seller's answer to a cancellation the channel requested.</summary>
public sealed record JtlOrderCancellationAnswer : JtlOrderEventDetail
{
    /// <summary>The channel's request id (<c>orderCancellationRequestId</c>).</summary>
    public required string CancellationRequestId { get; init; }

    /// <summary>True for accepted, false for denied.</summary>
    public bool Accepted { get; init; }

    /// <summary>Why it was denied (<c>reason</c>, at most 250 characters).</summary>
    public string? Reason { get; init; }
}

/// <summary><c>Seller:Order.Invoice</c>: an invoice or credit note to download before it expires.</summary>
public sealed record JtlOrderInvoice : JtlOrderEventDetail
{
    /// <summary>The document type (<c>type</c>, e.g. <c>INVOICE</c> or <c>CREDITNOTE</c>).</summary>
    public string? DocumentType { get; init; }

    /// <summary>The invoice number.</summary>
    public string? InvoiceNumber { get; init; }

    /// <summary>The document id (download it with <c>GET /v1/channel/order/invoice/{documentId}</c>).</summary>
    public string? DocumentId { get; init; }

    /// <summary>When the download expires.</summary>
    public DateTimeOffset? DocumentExpiresAt { get; init; }
}

/// <summary><c>Seller:Order.Refund</c>: the seller refunds items; answer with <see cref="JtlOrdersClient.ReportRefundResultAsync"/>.</summary>
public sealed record JtlOrderRefund : JtlOrderEventDetail
{
    /// <summary>The refund id to answer with (<c>refundId</c>).</summary>
    public required string RefundId { get; init; }

    /// <summary>The refunded items (<c>orderItem</c>).</summary>
    public IReadOnlyList<JtlRefundItem> Items { get; init; } = [];
}

/// <summary>One refunded order item.</summary>
/// <param name="OrderItemId">The channel's order item id.</param>
/// <param name="Quantity">How many units.</param>
/// <param name="Amount">The amount refunded (<c>refund</c> in <c>refundCurrency</c>).</param>
/// <param name="Reason">JTL's reason code.</param>
public sealed record JtlRefundItem(string OrderItemId, decimal? Quantity, Money? Amount, string? Reason)
{
    /// <summary>What else JTL sent for the item.</summary>
    public IReadOnlyDictionary<string, JsonElement> Extra { get; init; } = JtlDetailReader.NoExtra;
}

/// <summary><c>Seller:Order.ReturnReceived</c>: a return arrived at the seller's warehouse.</summary>
public sealed record JtlOrderReturnReceived : JtlOrderEventDetail
{
    /// <summary>The seller's return id.</summary>
    public string? SellerReturnId { get; init; }

    /// <summary>The channel's return id, when the channel announced the return.</summary>
    public string? ChannelReturnId { get; init; }

    /// <summary>The returned items (<c>orderItem</c>), with whatever JTL sent per item in their <c>Extra</c>.</summary>
    public IReadOnlyList<JtlOrderItemQuantity> Items { get; init; } = [];
}

/// <summary>A <c>Seller:Order.*</c> type this SDK does not know (e.g. one JTL adds later): order id and every field kept.</summary>
public sealed record JtlOtherOrderEvent : JtlOrderEventDetail;

/// <summary><c>System:Notification</c>: a message from JTL about a seller.</summary>
public sealed record JtlSystemNotification : JtlEventDetail
{
    /// <summary>The channel it concerns.</summary>
    public string? Channel { get; init; }

    /// <summary>The message.</summary>
    public string? Message { get; init; }

    /// <summary><c>INFO</c>, <c>WARNING</c> or <c>ERROR</c>.</summary>
    public string? Severity { get; init; }
}

/// <summary><c>Seller:Channel.Unlinked</c>: the seller unlinked the channel.</summary>
public sealed record JtlChannelUnlinked : JtlEventDetail
{
    /// <summary>Why.</summary>
    public string? Reason { get; init; }

    /// <summary>When.</summary>
    public DateTimeOffset? UnlinkedAt { get; init; }
}

/// <summary><c>Seller:Meta.SellerAttributesUpdateRequest</c>: send the seller's attributes again.</summary>
public sealed record JtlSellerAttributesUpdateRequest : JtlEventDetail;

/// <summary><c>Seller:Report.Request</c>: the seller asks for a report.</summary>
public sealed record JtlReportRequest : JtlEventDetail
{
    /// <summary>The report id to answer with.</summary>
    public string? ReportId { get; init; }

    /// <summary>The report type.</summary>
    public string? ReportType { get; init; }

    /// <summary>The first day covered.</summary>
    public DateOnly? StartDate { get; init; }

    /// <summary>The last day covered.</summary>
    public DateOnly? EndDate { get; init; }
}

/// <summary>Reads the typed records; a field of the wrong shape is a <see cref="WebhookPayloadException"/> naming it.</summary>
internal static class JtlDetailReader
{
    public static readonly IReadOnlyDictionary<string, JsonElement> NoExtra = ChannelEventDetail.EmptyExtra;

    /// <summary>The typed detail of <paramref name="e"/>, or null for types that carry none (offers, tests).</summary>
    public static JtlEventDetail? Read(JtlEvent e)
    {
        var type = e.Type!;
        var isOrder = type.StartsWith(JtlEventTypes.OrderPrefix, StringComparison.Ordinal);
        if (!isOrder && type is not (JtlEventTypes.SystemNotification or JtlEventTypes.ChannelUnlinked or JtlEventTypes.SellerAttributesUpdateRequest or JtlEventTypes.ReportRequest))
        {
            return null;
        }

        if (e.Event.ValueKind != JsonValueKind.Object)
        {
            throw Error(e, "event", "is not an object");
        }

        var o = new Fields(e, e.Event, "event");
        JtlEventDetail detail = type switch
        {
            JtlEventTypes.OrderShipping => new JtlOrderShipping
            {
                OrderId = o.RequiredString("orderId"),
                ShippingComplete = o.Bool("shippingComplete") ?? false,
                ShippingItems = o.List("shippingItems", Position),
            },
            JtlEventTypes.OrderPayment => new JtlOrderPayment { OrderId = o.RequiredString("orderId"), PaymentComplete = o.Bool("paymentComplete") ?? false, PaidAt = o.Time("paidAt") },
            JtlEventTypes.OrderCancellationRequest => new JtlOrderCancellationRequest
            {
                OrderId = o.RequiredString("orderId"),
                CancellationRequestId = o.RequiredString("orderCancellationRequestId"),
                Items = o.List("orderItem", ItemQuantity),
                CancelReason = o.String("cancelReason"),
                Message = o.String("message"),
            },
            JtlEventTypes.OrderCancellationAccepted or JtlEventTypes.OrderCancellationDenied => new JtlOrderCancellationAnswer
            {
                OrderId = o.String("orderId"),
                CancellationRequestId = o.RequiredString("orderCancellationRequestId"),
                Accepted = type == JtlEventTypes.OrderCancellationAccepted,
                Reason = o.String("reason"),
            },
            JtlEventTypes.OrderInvoice => new JtlOrderInvoice
            {
                OrderId = o.RequiredString("orderId"),
                DocumentType = o.String("type"),
                InvoiceNumber = o.String("invoiceNumber"),
                DocumentId = o.String("documentId"),
                DocumentExpiresAt = o.Time("documentExpiresAt"),
            },
            JtlEventTypes.OrderRefund => new JtlOrderRefund { OrderId = o.RequiredString("orderId"), RefundId = o.RequiredString("refundId"), Items = o.List("orderItem", RefundItem) },
            JtlEventTypes.OrderReturnReceived => new JtlOrderReturnReceived
            {
                OrderId = o.RequiredString("orderId"),
                SellerReturnId = o.String("sellerReturnId"),
                ChannelReturnId = o.String("channelReturnId"),
                Items = o.List("orderItem", ItemQuantity),
            },
            JtlEventTypes.SystemNotification => new JtlSystemNotification { Channel = o.String("channel"), Message = o.String("message"), Severity = o.String("severity") },
            JtlEventTypes.ChannelUnlinked => new JtlChannelUnlinked { Reason = o.String("reason"), UnlinkedAt = o.Time("unlinkedAt") },
            JtlEventTypes.SellerAttributesUpdateRequest => new JtlSellerAttributesUpdateRequest(),
            JtlEventTypes.ReportRequest => new JtlReportRequest { ReportId = o.String("reportId"), ReportType = o.String("reportType"), StartDate = o.Date("startDate"), EndDate = o.Date("endDate") },
            _ => new JtlOtherOrderEvent { OrderId = o.String("orderId") },
        };

        return detail with { SellerId = o.String("sellerId"), Extra = o.Rest() };
    }

    private static JtlShippingPosition Position(Fields p) => new()
    {
        Carrier = p.RequiredString("carrier"),
        TrackingNumber = p.String("trackingNumber"),
        ShippedAt = p.Time("shippedAt"),
        Items = p.List("orderItemIdList", ItemQuantity),
        ReturnTracking = p.Object("returnTracking", t => new JtlTracking(t.String("carrier"), t.String("trackingNumber"))),
        ShippedFrom = p.Object("shippedFrom", f => f.All()) ?? NoExtra,
        Extra = p.Rest(),
    };

    private static JtlOrderItemQuantity ItemQuantity(Fields i) =>
        new(i.RequiredString("orderItemId"), i.Decimal("quantity")) { Extra = i.Rest() };

    private static JtlRefundItem RefundItem(Fields i)
    {
        var id = i.RequiredString("orderItemId");
        var quantity = i.Decimal("quantity");
        var amount = i.Decimal("refund");
        var currency = i.String("refundCurrency");
        if (amount is not null && string.IsNullOrEmpty(currency))
        {
            throw i.Error("refundCurrency", "is required with refund");
        }

        var money = amount is { } a ? new Money(a, currency!) : (Money?)null;
        return new JtlRefundItem(id, quantity, money, i.String("reason")) { Extra = i.Rest() };
    }

    private static WebhookPayloadException Error(JtlEvent e, string field, string rule) =>
        new($"Event {e.Id} ({e.Type}): {field} {rule}.") { Field = field };

    /// <summary>One JSON object being read: remembers what was read, so the rest goes to Extra.</summary>
    private sealed class Fields(JtlEvent e, JsonElement element, string path)
    {
        private readonly HashSet<string> _read = new(StringComparer.Ordinal);

        public WebhookPayloadException Error(string name, string rule) => JtlDetailReader.Error(e, $"{path}.{name}", rule);

        public string RequiredString(string name) =>
            String(name) is { Length: > 0 } value ? value : throw Error(name, "is required");

        public string? String(string name) => Get(name) switch
        {
            { ValueKind: JsonValueKind.String } v => v.GetString(),
            { ValueKind: JsonValueKind.Number } v => v.GetRawText(),
            null => null,
            _ => throw Error(name, "is not a string"),
        };

        public bool? Bool(string name) => Get(name) switch
        {
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.False } => false,
            { ValueKind: JsonValueKind.String } v when bool.TryParse(v.GetString(), out var b) => b,
            null => null,
            _ => throw Error(name, "is not true or false"),
        };

        public decimal? Decimal(string name) => Get(name) switch
        {
            { ValueKind: JsonValueKind.Number } v when v.TryGetDecimal(out var d) => d,
            { ValueKind: JsonValueKind.String } v when decimal.TryParse(v.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => d,
            null => null,
            _ => throw Error(name, "is not a number"),
        };

        public DateTimeOffset? Time(string name) => Get(name) switch
        {
            { ValueKind: JsonValueKind.String } v when JtlTimestampConverter.TryParse(v.GetString(), out var t) => t,
            null => null,
            _ => throw Error(name, "is not an ISO 8601 timestamp with an offset"),
        };

        public DateOnly? Date(string name) => Get(name) switch
        {
            { ValueKind: JsonValueKind.String } v when DateOnly.TryParseExact(v.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) => d,
            { ValueKind: JsonValueKind.String } v when JtlTimestampConverter.TryParse(v.GetString(), out var t) => DateOnly.FromDateTime(t.Date),
            null => null,
            _ => throw Error(name, "is not a date (yyyy-MM-dd)"),
        };

        public List<T> List<T>(string name, Func<Fields, T> read)
        {
            switch (Get(name))
            {
                case null:
                    return [];
                case { ValueKind: JsonValueKind.Array } array:
                    var list = new List<T>(array.GetArrayLength());
                    var index = 0;
                    foreach (var item in array.EnumerateArray())
                    {
                        var itemPath = $"{path}.{name}[{index++}]";
                        if (item.ValueKind != JsonValueKind.Object)
                        {
                            throw JtlDetailReader.Error(e, itemPath, "is not an object");
                        }

                        list.Add(read(new Fields(e, item, itemPath)));
                    }

                    return list;
                default:
                    throw Error(name, "is not a list");
            }
        }

        public T? Object<T>(string name, Func<Fields, T> read)
            where T : class => Get(name) switch
            {
                { ValueKind: JsonValueKind.Object } v => read(new Fields(e, v, $"{path}.{name}")),
                null => null,
                _ => throw Error(name, "is not an object"),
            };

        /// <summary>Every field of the object, as sent.</summary>
        public Dictionary<string, JsonElement> All()
        {
            var all = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                _read.Add(property.Name);
                all[property.Name] = property.Value.Clone();
            }

            return all;
        }

        /// <summary>The fields not read.</summary>
        public IReadOnlyDictionary<string, JsonElement> Rest()
        {
            Dictionary<string, JsonElement>? rest = null;
            foreach (var property in element.EnumerateObject())
            {
                if (!_read.Contains(property.Name))
                {
                    (rest ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[property.Name] = property.Value.Clone();
                }
            }

            return rest ?? NoExtra;
        }

        /// <summary>The field's value, or null when absent or JSON null.</summary>
        private JsonElement? Get(string name)
        {
            _read.Add(name);
            return element.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? value : null;
        }
    }
}
