using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ListingSync.Sdk.Http;
using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels.Jtl;

/// <summary>
/// The channel's side of orders in the JTL Channel API (JTL's developer guide, "Order Process" and "Post-Order
/// Processes"; request paths as in jtl-scx/channel-core's request classes): report orders, update their status, answer
/// the seller's cancellation requests and refunds. Every call is checked before it is sent (a broken rule is a
/// <see cref="ListingSyncValidationException"/> naming the field) and rate-limited in the <c>/channel/order*</c> group.
/// Get it from <see cref="JtlClient.Orders"/>.
/// </summary>
public class JtlOrdersClient
{
    /// <summary>JTL's limit of a cancellation denial's reason.</summary>
    public const int MaxReasonLength = 250;

    /// <summary>JTL's limit of a cancellation request's message.</summary>
    public const int MaxMessageLength = 1024;

    private const string Group = "channel/order";

    /// <summary>Bodies as JTL's examples write them ("+00:00", umlauts): the body is JSON, never HTML, so nothing needs escaping beyond JSON's own rules.</summary>
    private static readonly System.Text.Json.JsonSerializerOptions Wire = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly ChannelHttp? _http;

    internal JtlOrdersClient(ChannelHttp http) => _http = http;

    /// <summary>For mocking.</summary>
    protected JtlOrdersClient()
    {
    }

    /// <summary>
    /// Reports new orders (<c>POST /v1/channel/order</c>). An order id is unique per seller on JTL's side, so sending
    /// the same order again never creates a second one: the call is retried on transient failures.
    /// </summary>
    public virtual async Task CreateOrdersAsync(IReadOnlyList<JtlNewOrder> orders, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orders);
        var errors = new List<FieldError>();
        var list = new JsonArray();
        for (var i = 0; i < orders.Count; i++)
        {
            var order = orders[i];
            var path = $"orders[{i}]";
            if (order is null)
            {
                errors.Add(new FieldError(path, "required", "must not be null"));
                continue;
            }

            Require(errors, $"{path}.sellerId", order.SellerId);
            Require(errors, $"{path}.orderId", order.OrderId);
            Require(errors, $"{path}.currency", order.Currency);
            if (order.Items.Count == 0)
            {
                errors.Add(new FieldError($"{path}.items", "required", "an order has at least one item; lines cannot be added later"));
            }

            var items = new JsonArray();
            for (var j = 0; j < order.Items.Count; j++)
            {
                var item = order.Items[j];
                var itemPath = $"{path}.items[{j}]";
                Require(errors, $"{itemPath}.orderItemId", item.OrderItemId);
                if (item.Quantity <= 0)
                {
                    errors.Add(new FieldError($"{itemPath}.quantity", "positive", $"must be more than 0 (was {item.Quantity.ToString(CultureInfo.InvariantCulture)})"));
                }

                if (item.GrossPrice < 0)
                {
                    errors.Add(new FieldError($"{itemPath}.grossPrice", "non-negative", "must not be negative"));
                }

                items.Add((JsonNode)Compact(new JsonObject
                {
                    ["orderItemId"] = item.OrderItemId,
                    ["type"] = item.Type,
                    ["grossPrice"] = Number(item.GrossPrice),
                    ["total"] = item.Total is { } total ? Number(total) : null,
                    ["taxPercent"] = Number(item.TaxPercent),
                    ["quantity"] = Number(item.Quantity),
                    ["sku"] = item.Sku,
                    ["channelOfferId"] = item.ChannelOfferId,
                    ["title"] = item.Title,
                    ["note"] = item.Note,
                    ["shippingGroup"] = item.ShippingGroup,
                }));
            }

            list.Add((JsonNode)Compact(new JsonObject
            {
                ["sellerId"] = order.SellerId,
                ["orderStatus"] = order.OrderStatus,
                ["orderId"] = order.OrderId,
                ["purchasedAt"] = Time(order.PurchasedAt),
                ["lastChangedAt"] = Time(order.LastChangedAt ?? order.PurchasedAt),
                ["currency"] = order.Currency,
                ["orderItem"] = items,
                ["billingAddress"] = Address(order.BillingAddress),
                ["shippingAddress"] = Address(order.ShippingAddress),
            }));
        }

        ThrowIfAny(errors);
        await SendAsync(HttpMethod.Post, "v1/channel/order", "orders.create", SellerOf(orders), new JsonObject { ["orderList"] = list }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Updates the status of orders and of their items (<c>PUT /v1/channel/order/status</c>): e.g. <c>ACCEPTED</c>
    /// once the address is known, items <c>SHIPPED</c> / <c>CANCELED_BY_BUYER</c> / <c>REFUNDED</c>, payment <c>PAID</c>.
    /// Setting a status is idempotent, so retried.
    /// </summary>
    public virtual async Task UpdateOrderStatusAsync(IReadOnlyList<JtlOrderStatusUpdate> updates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var errors = new List<FieldError>();
        var list = new JsonArray();
        for (var i = 0; i < updates.Count; i++)
        {
            var update = updates[i];
            var path = $"updates[{i}]";
            Require(errors, $"{path}.sellerId", update?.SellerId);
            Require(errors, $"{path}.orderId", update?.OrderId);
            if (update is null)
            {
                continue;
            }

            var items = new JsonArray();
            foreach (var item in update.Items)
            {
                items.Add((JsonNode)Compact(new JsonObject { ["orderItemId"] = item.OrderItemId, ["itemStatus"] = item.ItemStatus, ["paymentStatus"] = item.PaymentStatus }));
            }

            list.Add((JsonNode)Compact(new JsonObject
            {
                ["orderId"] = update.OrderId,
                ["sellerId"] = update.SellerId,
                ["orderStatus"] = update.OrderStatus,
                ["orderItems"] = items.Count == 0 ? null : items,
            }));
        }

        ThrowIfAny(errors);
        await SendAsync(HttpMethod.Put, "v1/channel/order/status", "orders.status", SellerOf(updates.Select(u => u.SellerId)), new JsonObject { ["orderList"] = list }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends billing and shipping addresses of orders still <c>CREATED</c> or <c>UNACKED</c>
    /// (<c>PUT /v1/channel/order/address-update</c>); an order needs them before it becomes <c>ACCEPTED</c>. Idempotent.
    /// </summary>
    public virtual async Task UpdateOrderAddressesAsync(IReadOnlyList<JtlOrderAddressUpdate> updates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var errors = new List<FieldError>();
        var list = new JsonArray();
        for (var i = 0; i < updates.Count; i++)
        {
            var update = updates[i];
            var path = $"updates[{i}]";
            Require(errors, $"{path}.sellerId", update?.SellerId);
            Require(errors, $"{path}.orderId", update?.OrderId);
            if (update is null)
            {
                continue;
            }

            if (update.BillingAddress is null && update.ShippingAddress is null)
            {
                errors.Add(new FieldError($"{path}.billingAddress", "required", "a billing or a shipping address is required"));
            }

            list.Add((JsonNode)Compact(new JsonObject
            {
                ["orderId"] = update.OrderId,
                ["sellerId"] = update.SellerId,
                ["billingAddress"] = Address(update.BillingAddress),
                ["shippingAddress"] = Address(update.ShippingAddress),
            }));
        }

        ThrowIfAny(errors);
        await SendAsync(HttpMethod.Put, "v1/channel/order/address-update", "orders.address", SellerOf(updates.Select(u => u.SellerId)), new JsonObject { ["orderList"] = list }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The buyer or the marketplace asks the seller to cancel items (<c>POST /v1/channel/order/cancellation</c>); the
    /// seller answers with <c>Seller:Order.Cancellation.Accepted</c> or <c>.Denied</c> naming
    /// <see cref="JtlChannelCancellationRequest.CancellationRequestId"/>. The id is the caller's, so a retry is the same request.
    /// </summary>
    public virtual Task RequestCancellationAsync(JtlChannelCancellationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<FieldError>();
        Require(errors, "cancellationRequestId", request.CancellationRequestId);
        Require(errors, "sellerId", request.SellerId);
        Require(errors, "orderId", request.OrderId);
        if (request.Items.Count == 0)
        {
            errors.Add(new FieldError("items", "required", "list every item to cancel (all of them to cancel the whole order)"));
        }

        if (request.Message is { Length: > MaxMessageLength })
        {
            errors.Add(new FieldError("message", "max-length", $"must be at most {MaxMessageLength} characters (was {request.Message.Length})"));
        }

        ThrowIfAny(errors);
        var items = new JsonArray();
        foreach (var item in request.Items)
        {
            items.Add((JsonNode)Compact(new JsonObject { ["orderItemId"] = item.OrderItemId, ["quantity"] = item.Quantity is { } q ? Number(q) : null }));
        }

        return SendAsync(HttpMethod.Post, "v1/channel/order/cancellation", "orders.cancellation", request.SellerId, Compact(new JsonObject
        {
            ["orderCancellationRequestId"] = request.CancellationRequestId,
            ["sellerId"] = request.SellerId,
            ["orderId"] = request.OrderId,
            ["orderItem"] = items,
            ["cancelReason"] = request.CancelReason,
            ["message"] = request.Message,
        }), cancellationToken);
    }

    /// <summary>Accepts the seller's cancellation request (<see cref="JtlOrderCancellationRequest"/>; <c>PUT /v1/channel/order/cancellation-accept</c>).</summary>
    public virtual Task AcceptCancellationAsync(string sellerId, string cancellationRequestId, CancellationToken cancellationToken = default)
    {
        var errors = new List<FieldError>();
        Require(errors, "sellerId", sellerId);
        Require(errors, "orderCancellationRequestId", cancellationRequestId);
        ThrowIfAny(errors);
        return SendAsync(HttpMethod.Put, "v1/channel/order/cancellation-accept", "orders.cancellation-accept", sellerId, new JsonObject { ["sellerId"] = sellerId, ["orderCancellationRequestId"] = cancellationRequestId }, cancellationToken);
    }

    /// <summary>Denies the seller's cancellation request with a reason of at most 250 characters (<c>PUT /v1/channel/order/cancellation-denied</c>).</summary>
    public virtual Task DenyCancellationAsync(string sellerId, string cancellationRequestId, string reason, CancellationToken cancellationToken = default)
    {
        var errors = new List<FieldError>();
        Require(errors, "sellerId", sellerId);
        Require(errors, "orderCancellationRequestId", cancellationRequestId);
        Require(errors, "reason", reason);
        if (reason is { Length: > MaxReasonLength })
        {
            errors.Add(new FieldError("reason", "max-length", $"must be at most {MaxReasonLength} characters (was {reason.Length})"));
        }

        ThrowIfAny(errors);
        return SendAsync(HttpMethod.Put, "v1/channel/order/cancellation-denied", "orders.cancellation-denied", sellerId, new JsonObject { ["sellerId"] = sellerId, ["orderCancellationRequestId"] = cancellationRequestId, ["reason"] = reason }, cancellationToken);
    }

    /// <summary>
    /// Tells the seller whether the channel processed a refund (<see cref="JtlOrderRefund"/>;
    /// <c>POST /v1/channel/order/refund/processing-result</c>).
    /// </summary>
    public virtual Task ReportRefundResultAsync(string sellerId, string refundId, bool accepted, CancellationToken cancellationToken = default)
    {
        var errors = new List<FieldError>();
        Require(errors, "sellerId", sellerId);
        Require(errors, "refundId", refundId);
        ThrowIfAny(errors);
        return SendAsync(HttpMethod.Post, "v1/channel/order/refund/processing-result", "orders.refund-result", sellerId, new JsonObject { ["refundId"] = refundId, ["sellerId"] = sellerId, ["isAccepted"] = accepted }, cancellationToken);
    }

    private async Task SendAsync(HttpMethod method, string path, string operation, string? sellerId, JsonObject body, CancellationToken cancellationToken)
    {
        var http = _http ?? throw new InvalidOperationException("This JtlOrdersClient was made for mocking; get a working one from JtlClient.Orders.");
        using var content = new StringContent(body.ToJsonString(Wire), Encoding.UTF8, "application/json");
        var seller = string.IsNullOrEmpty(sellerId) ? SellerScope.Default : new SellerScope(sellerId);
        await http.SendAsync(ChannelHttp.Request(method, path, operation, seller, idempotent: true, content, rateLimitGroup: Group), cancellationToken).ConfigureAwait(false);
    }

    private static string? SellerOf(IReadOnlyList<JtlNewOrder> orders) => SellerOf(orders.Select(o => o.SellerId));

    private static string? SellerOf(IEnumerable<string?> sellers)
    {
        var distinct = sellers.Distinct(StringComparer.Ordinal).Take(2).ToList();
        return distinct.Count == 1 ? distinct[0] : null;
    }

    private static void Require(List<FieldError> errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new FieldError(field, "required", "is required"));
        }
    }

    private static void ThrowIfAny(List<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw new ListingSyncValidationException(errors);
        }
    }

    /// <summary>JTL documents numbers as strings ("19.99", "19"): sent as the invariant text of the value.</summary>
    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static JsonObject? Address(JtlAddress? address) => address is null ? null : Compact(new JsonObject
    {
        ["firstName"] = address.FirstName,
        ["lastName"] = address.LastName,
        ["gender"] = address.Gender,
        ["companyName"] = address.CompanyName,
        ["street"] = address.Street,
        ["houseNumber"] = address.HouseNumber,
        ["addition"] = address.Addition,
        ["postcode"] = address.Postcode,
        ["city"] = address.City,
        ["country"] = address.Country,
        ["phone"] = address.Phone,
        ["email"] = address.Email,
    });

    /// <summary>Leaves out what is not set: JTL reads an absent optional field, not a null one.</summary>
    private static JsonObject Compact(JsonObject o)
    {
        foreach (var name in o.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            o.Remove(name);
        }

        return o;
    }
}

/// <summary>An order the channel reports to JTL (the guide's <c>POST /v1/channel/order</c> example).</summary>
public sealed record JtlNewOrder
{
    /// <summary>The seller.</summary>
    public required string SellerId { get; init; }

    /// <summary>The channel's order id, unique per seller.</summary>
    public required string OrderId { get; init; }

    /// <summary><c>CREATED</c> (not yet ready to ship; reserve stock), <c>UNACKED</c> or <c>ACCEPTED</c> (ready to ship; needs an address).</summary>
    public string OrderStatus { get; init; } = "CREATED";

    /// <summary>When the buyer ordered (after the seller signed up).</summary>
    public required DateTimeOffset PurchasedAt { get; init; }

    /// <summary>When the order last changed; the purchase time when not set.</summary>
    public DateTimeOffset? LastChangedAt { get; init; }

    /// <summary>ISO 4217 currency of every price.</summary>
    public required string Currency { get; init; }

    /// <summary>The lines: items, shipping, payment; none can be added later.</summary>
    public required IReadOnlyList<JtlNewOrderItem> Items { get; init; }

    /// <summary>Billing address (required before <c>ACCEPTED</c>).</summary>
    public JtlAddress? BillingAddress { get; init; }

    /// <summary>Shipping address (required before <c>ACCEPTED</c>).</summary>
    public JtlAddress? ShippingAddress { get; init; }
}

/// <summary>One line of a reported order.</summary>
public sealed record JtlNewOrderItem
{
    /// <summary>The channel's line id.</summary>
    public required string OrderItemId { get; init; }

    /// <summary><c>ITEM</c>, <c>SHIPPING</c>, <c>PAYMENT</c> or <c>DISCOUNT</c>.</summary>
    public string Type { get; init; } = "ITEM";

    /// <summary>Unit price including tax.</summary>
    public required decimal GrossPrice { get; init; }

    /// <summary>Line total, when the channel states it.</summary>
    public decimal? Total { get; init; }

    /// <summary>Tax rate in percent.</summary>
    public decimal TaxPercent { get; init; }

    /// <summary>Units.</summary>
    public required decimal Quantity { get; init; }

    /// <summary>The seller's SKU.</summary>
    public string? Sku { get; init; }

    /// <summary>The channel's offer id (what <c>/offer/listed</c> reported).</summary>
    public string? ChannelOfferId { get; init; }

    /// <summary>Line title.</summary>
    public string? Title { get; init; }

    /// <summary>Buyer's note.</summary>
    public string? Note { get; init; }

    /// <summary>Shipping group, for <c>SHIPPING</c> lines.</summary>
    public string? ShippingGroup { get; init; }
}

/// <summary>A postal address as JTL takes it.</summary>
public sealed record JtlAddress
{
    /// <summary>First name.</summary>
    public string? FirstName { get; init; }

    /// <summary>Last name.</summary>
    public string? LastName { get; init; }

    /// <summary>Gender (<c>male</c>, <c>female</c>, …).</summary>
    public string? Gender { get; init; }

    /// <summary>Company.</summary>
    public string? CompanyName { get; init; }

    /// <summary>Street.</summary>
    public string? Street { get; init; }

    /// <summary>House number.</summary>
    public string? HouseNumber { get; init; }

    /// <summary>Address addition.</summary>
    public string? Addition { get; init; }

    /// <summary>Postcode.</summary>
    public string? Postcode { get; init; }

    /// <summary>City.</summary>
    public string? City { get; init; }

    /// <summary>ISO 3166-1 alpha-2 country.</summary>
    public string? Country { get; init; }

    /// <summary>Phone.</summary>
    public string? Phone { get; init; }

    /// <summary>E-mail.</summary>
    public string? Email { get; init; }
}

/// <summary>A status change of an order and, optionally, of its items.</summary>
public sealed record JtlOrderStatusUpdate
{
    /// <summary>The seller.</summary>
    public required string SellerId { get; init; }

    /// <summary>The order.</summary>
    public required string OrderId { get; init; }

    /// <summary>The order's status (<c>CREATED</c>, <c>UNACKED</c>, <c>ACCEPTED</c>); <c>ACCEPTED</c> is final.</summary>
    public string? OrderStatus { get; init; }

    /// <summary>Item status changes.</summary>
    public IReadOnlyList<JtlOrderItemStatus> Items { get; init; } = [];
}

/// <summary>An order item's status (<c>UNSHIPPED</c>, <c>SHIPPED</c>, <c>CANCELED_BY_SELLER</c>, <c>CANCELED_BY_BUYER</c>, <c>RETURNED</c>, <c>REFUNDED</c>) and payment status (e.g. <c>PAID</c>).</summary>
public sealed record JtlOrderItemStatus(string OrderItemId, string? ItemStatus, string? PaymentStatus);

/// <summary>New addresses of an order not yet accepted.</summary>
public sealed record JtlOrderAddressUpdate
{
    /// <summary>The seller.</summary>
    public required string SellerId { get; init; }

    /// <summary>The order.</summary>
    public required string OrderId { get; init; }

    /// <summary>Billing address.</summary>
    public JtlAddress? BillingAddress { get; init; }

    /// <summary>Shipping address.</summary>
    public JtlAddress? ShippingAddress { get; init; }
}

/// <summary>A cancellation the buyer or the marketplace asks of the seller (JTL's <c>OrderCancellationRequest</c>).</summary>
public sealed record JtlChannelCancellationRequest
{
    /// <summary>The channel's id of the request (a UUID in JTL's model); keep it to match the seller's answer.</summary>
    public required string CancellationRequestId { get; init; }

    /// <summary>The seller.</summary>
    public required string SellerId { get; init; }

    /// <summary>The order.</summary>
    public required string OrderId { get; init; }

    /// <summary>The items to cancel; every item to cancel the whole order.</summary>
    public required IReadOnlyList<JtlOrderItemQuantity> Items { get; init; }

    /// <summary>JTL's reason code.</summary>
    public string? CancelReason { get; init; }

    /// <summary>A message to the seller (at most 1,024 characters).</summary>
    public string? Message { get; init; }
}
