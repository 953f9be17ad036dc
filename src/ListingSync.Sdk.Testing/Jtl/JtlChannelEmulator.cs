using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ListingSync.Sdk.Testing.Jtl;

/// <summary>How a <see cref="JtlChannelEmulator"/> behaves: the shared port, clock and seeded faults of <see cref="EmulatorOptions"/>, plus JTL's own limits.</summary>
public sealed class JtlChannelEmulatorOptions : EmulatorOptions
{
    /// <summary>The refresh token it accepts at <c>POST /v1/auth</c>. Default <c>refresh-1</c>.</summary>
    public string RefreshToken { get; set; } = "refresh-1";

    /// <summary>Session token lifetime. Default 3,600 s, as JTL documents.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromSeconds(3600);

    /// <summary>How long a pulled, unacknowledged event stays hidden before it is delivered again. Default 30 s.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often an unacknowledged event is delivered before JTL marks it a dead letter and stops (JTL's guide: 10).
    /// Dead letters show in <see cref="JtlChannelEmulator.DeadLetters"/>.
    /// </summary>
    public int MaxDeliveries { get; set; } = 10;

    /// <summary>Requests per window per route group (<c>default</c>, <c>channel</c>, <c>channel/event</c>, <c>channel/order</c>, <c>channel/offer</c>), as JTL documents for production.</summary>
    public Dictionary<string, int> RateLimits { get; } = new(StringComparer.Ordinal)
    {
        ["default"] = 10,
        ["channel"] = 60,
        ["channel/event"] = 240,
        ["channel/order"] = 600,
        ["channel/offer"] = 1500,
        ["channel/offer/all"] = 60,
    };

    /// <summary>The rate-limit window. Default 60 s.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Answer acknowledgements with 200 but forget them (a lost acknowledgement): the events come again.</summary>
    public bool DropAcknowledgements { get; set; }
}

/// <summary>
/// The JTL Channel API as a channel sees it, on Kestrel over loopback: refresh-token auth with expiring session tokens,
/// the seller event queue (<c>GET /v1/channel/event</c>, acknowledged with <c>DELETE</c> or <c>PATCH</c>, unacknowledged
/// events delivered again after a visibility timeout), <c>{ errorList }</c> errors, and per-route-group rate limits with
/// <c>X-RateLimit-*</c> headers and 429s. A seller's ERP is simulated with <see cref="PublishOffer"/> and friends.
/// </summary>
public sealed class JtlChannelEmulator : LoopbackEmulator
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly List<QueuedEvent> _events = [];
    private readonly Dictionary<string, (DateTimeOffset Start, int Count)> _windows = new(StringComparer.Ordinal);
    private readonly List<StockRecord> _stock = [];
    private readonly List<JtlReceivedReport> _reports = [];
    private readonly List<JtlReceivedOrderCall> _orderCalls = [];
    private readonly Dictionary<(string SellerId, string OrderId), string> _orders = [];
    private long _ids;
    private DateTimeOffset _lastStockAt = DateTimeOffset.UnixEpoch;
    private int _authCalls;
    private int _pulls;
    private int _acknowledgements;

    /// <summary>The most events one pull returns, and the most ids one acknowledgement takes (JTL's reference: 100).</summary>
    public const int MaxEventsPerPull = 100;

    private JtlChannelEmulator(JtlChannelEmulatorOptions options)
        : base(options)
    {
        Options = options;
    }

    /// <summary>The options in force.</summary>
    public JtlChannelEmulatorOptions Options { get; }

    /// <summary>How many times <c>POST /v1/auth</c> issued a token.</summary>
    public int AuthCalls => Volatile.Read(ref _authCalls);

    /// <summary>Calls to <c>GET /v1/channel/event</c> answered.</summary>
    public int Pulls => Volatile.Read(ref _pulls);

    /// <summary>Acknowledgement calls accepted (each at most 100 ids).</summary>
    public int Acknowledgements => Volatile.Read(ref _acknowledgements);

    /// <summary>Events delivered <see cref="JtlChannelEmulatorOptions.MaxDeliveries"/> times without an acknowledgement: JTL delivers them no more.</summary>
    public IReadOnlyList<string> DeadLetters
    {
        get
        {
            lock (_events)
            {
                return [.. _events.Where(e => e.DeadLettered && !e.Acknowledged).Select(e => e.Id)];
            }
        }
    }

    /// <summary>Events not yet acknowledged.</summary>
    public int Unacknowledged
    {
        get
        {
            lock (_events)
            {
                return _events.Count(e => !e.Acknowledged);
            }
        }
    }

    /// <summary>How many times each event was delivered, by id.</summary>
    public IReadOnlyDictionary<string, int> Deliveries
    {
        get
        {
            lock (_events)
            {
                return _events.ToDictionary(e => e.Id, e => e.Deliveries, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>The status reports received, in order.</summary>
    public IReadOnlyList<JtlReceivedReport> Reports
    {
        get
        {
            lock (_reports)
            {
                return [.. _reports];
            }
        }
    }

    /// <summary>The channel's order calls received (orders reported, status updates, cancellation and refund answers), in order.</summary>
    public IReadOnlyList<JtlReceivedOrderCall> OrderCalls
    {
        get
        {
            lock (_orderCalls)
            {
                return [.. _orderCalls];
            }
        }
    }

    /// <summary>Stock changes per page of the stock-updates endpoints. Default 100.</summary>
    public int StockPageSize { get; set; } = 100;

    /// <summary>Starts an emulator.</summary>
    public static async Task<JtlChannelEmulator> StartAsync(JtlChannelEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        var emulator = new JtlChannelEmulator(options ?? new JtlChannelEmulatorOptions());
        await emulator.StartServerAsync(cancellationToken).ConfigureAwait(false);
        return emulator;
    }

    /// <summary>The seller publishes an offer (<c>Seller:Offer.New</c>) or changes it (<c>Seller:Offer.Update</c>): the whole offer each time.</summary>
    public string PublishOffer(string sellerId, long offerId, string title, decimal price, decimal quantity, string currency = "EUR", bool update = false, bool numbersAsStrings = false)
    {
        JsonNode Number(decimal value) => numbersAsStrings ? JsonValue.Create(value.ToString(CultureInfo.InvariantCulture))! : JsonValue.Create(value)!;
        var offer = new JsonObject
        {
            ["sellerId"] = sellerId,
            ["offerId"] = offerId,
            ["quantity"] = Number(quantity),
            ["taxPercent"] = Number(19m),
            ["priceList"] = new JsonArray(new JsonObject { ["id"] = "B2C", ["quantityPriceList"] = new JsonArray(new JsonObject { ["amount"] = Number(price), ["currency"] = currency }) }),
            ["title"] = title,
            ["description"] = "<p>" + title + "</p>",
            ["sku"] = "SKU-" + offerId.ToString(CultureInfo.InvariantCulture),
            ["gtin"] = "400000" + offerId.ToString("D7", CultureInfo.InvariantCulture),
            ["pictureList"] = new JsonArray(),
        };
        RecordStock(sellerId, offerId, quantity);
        return Publish(update ? "Seller:Offer.Update" : "Seller:Offer.New", offer);
    }

    /// <summary>The seller's stock changes (<c>Seller:Offer.StockUpdate</c>).</summary>
    public string UpdateStock(string sellerId, long offerId, decimal quantity)
    {
        RecordStock(sellerId, offerId, quantity);
        return Publish("Seller:Offer.StockUpdate", new JsonObject { ["sellerId"] = sellerId, ["offerId"] = offerId, ["quantity"] = quantity });
    }

    private void RecordStock(string sellerId, long offerId, decimal quantity)
    {
        lock (_stock)
        {
            var now = Time.GetUtcNow();
            _lastStockAt = now > _lastStockAt ? now : _lastStockAt.AddTicks(10_000); // strictly increasing, millisecond steps
            _stock.Add(new StockRecord(sellerId, offerId, quantity, _lastStockAt));
        }
    }

    /// <summary>The seller's price changes (<c>Seller:Offer.PriceUpdate</c>).</summary>
    public string UpdatePrice(string sellerId, long offerId, decimal price, string currency = "EUR") =>
        Publish("Seller:Offer.PriceUpdate", new JsonObject
        {
            ["sellerId"] = sellerId,
            ["offerId"] = offerId,
            ["priceList"] = new JsonArray(new JsonObject { ["id"] = "B2C", ["quantityPriceList"] = new JsonArray(new JsonObject { ["amount"] = price, ["currency"] = currency }) }),
        });

    /// <summary>The seller ends an offer (<c>Seller:Offer.End</c>).</summary>
    public string EndOffer(string sellerId, long offerId) =>
        Publish("Seller:Offer.End", new JsonObject { ["sellerId"] = sellerId, ["offerId"] = offerId });

    /// <summary>The seller's ERP ships order items (<c>Seller:Order.Shipping</c>), one parcel with a tracking number.</summary>
    public string ShipOrder(string sellerId, string orderId, string carrier, string trackingNumber, bool complete, params (string OrderItemId, decimal Quantity)[] items) =>
        Publish("Seller:Order.Shipping", new JsonObject
        {
            ["sellerId"] = sellerId,
            ["orderId"] = orderId,
            ["shippingComplete"] = complete,
            ["shippingItems"] = new JsonArray(new JsonObject
            {
                ["carrier"] = carrier,
                ["trackingNumber"] = trackingNumber,
                ["shippedAt"] = Time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                ["orderItemIdList"] = ItemList(items),
            }),
        });

    /// <summary>The seller's ERP records the payment (<c>Seller:Order.Payment</c>).</summary>
    public string PayOrder(string sellerId, string orderId) =>
        Publish("Seller:Order.Payment", new JsonObject
        {
            ["sellerId"] = sellerId,
            ["orderId"] = orderId,
            ["paymentComplete"] = true,
            ["paidAt"] = Time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        });

    /// <summary>The seller asks to cancel order items (<c>Seller:Order.Cancellation.Request</c>); returns the event id.</summary>
    public string RequestOrderCancellation(string sellerId, string orderId, string cancellationRequestId, string cancelReason, params (string OrderItemId, decimal Quantity)[] items) =>
        Publish("Seller:Order.Cancellation.Request", new JsonObject
        {
            ["orderCancellationRequestId"] = cancellationRequestId,
            ["sellerId"] = sellerId,
            ["orderId"] = orderId,
            ["orderItem"] = ItemList(items),
            ["cancelReason"] = cancelReason,
        });

    /// <summary>The seller refunds order items (<c>Seller:Order.Refund</c>); the channel answers with a processing result.</summary>
    public string RefundOrder(string sellerId, string orderId, string refundId, string currency, params (string OrderItemId, decimal Quantity, decimal Amount, string Reason)[] items)
    {
        var list = new JsonArray();
        foreach (var (orderItemId, quantity, amount, reason) in items)
        {
            list.Add((JsonNode)new JsonObject
            {
                ["orderItemId"] = orderItemId,
                ["quantity"] = quantity.ToString(CultureInfo.InvariantCulture),
                ["reason"] = reason,
                ["refund"] = amount.ToString(CultureInfo.InvariantCulture),
                ["refundCurrency"] = currency,
            });
        }

        return Publish("Seller:Order.Refund", new JsonObject { ["refundId"] = refundId, ["sellerId"] = sellerId, ["orderId"] = orderId, ["orderItem"] = list });
    }

    private static JsonArray ItemList((string OrderItemId, decimal Quantity)[] items)
    {
        var list = new JsonArray();
        foreach (var (orderItemId, quantity) in items)
        {
            list.Add((JsonNode)new JsonObject { ["orderItemId"] = orderItemId, ["quantity"] = quantity.ToString(CultureInfo.InvariantCulture) });
        }

        return list;
    }

    /// <summary>Queues any event as given (other types, malformed payloads).</summary>
    public string Publish(string type, JsonNode? payload)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        var id = "evt-" + Interlocked.Increment(ref _ids).ToString("D8", CultureInfo.InvariantCulture);
        lock (_events)
        {
            _events.Add(new QueuedEvent(id, Time.GetUtcNow(), type, payload?.ToJsonString() ?? "null"));
        }

        return id;
    }

    /// <summary>Makes every pulled, unacknowledged event visible again now (as if the visibility timeout had passed).</summary>
    public void ExpireVisibility()
    {
        lock (_events)
        {
            foreach (var e in _events)
            {
                e.VisibleAt = DateTimeOffset.MinValue;
            }
        }
    }

    /// <inheritdoc />
    protected override async Task<(bool Admitted, string? RateKey)> AdmitCoreAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var group = path.StartsWith("/v1/channel/event", StringComparison.Ordinal) ? "channel/event"
            : path.StartsWith("/v1/channel/offer/stock-updates/all", StringComparison.Ordinal) ? "channel/offer/all"
            : path.StartsWith("/v1/channel/order", StringComparison.Ordinal) ? "channel/order"
            : path.StartsWith("/v1/channel/offer", StringComparison.Ordinal) ? "channel/offer"
            : path.StartsWith("/v1/channel", StringComparison.Ordinal) ? "channel" : "default";
        if (!Admit(context, group))
        {
            CountThrottled();
            await Errors(429, "RATE_LIMIT", "Too many requests.").ExecuteAsync(context).ConfigureAwait(false);
            return (false, null);
        }

        if (path.StartsWith("/v1/channel", StringComparison.Ordinal))
        {
            var header = context.Request.Headers.Authorization.ToString();
            var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : "";
            if (!_tokens.TryGetValue(token, out var expires) || expires <= Time.GetUtcNow())
            {
                await Errors(401, "AUTH_INVALID", "Der Token ist ungültig oder abgelaufen.", "Request a new token at POST /v1/auth.").ExecuteAsync(context).ConfigureAwait(false);
                return (false, null);
            }
        }

        return (true, "channel"); // the shared per-second limit, when set, applies to the channel as a whole
    }

    /// <inheritdoc />
    protected override IResult ErrorResult(int status, string code, string message) => Errors(status, code, message);

    /// <inheritdoc />
    protected override void MapRoutes(WebApplication app)
    {
        app.MapPost("/v1/auth", async (HttpContext c) =>
        {
            var form = c.Request.HasFormContentType ? await c.Request.ReadFormAsync(c.RequestAborted).ConfigureAwait(false) : null;
            if (form is null || form["refreshToken"].ToString() != Options.RefreshToken)
            {
                return Errors(401, "AUTH_REFRESH_TOKEN", "Invalid refresh token.");
            }

            Interlocked.Increment(ref _authCalls);
            var token = "tok_" + Guid.NewGuid().ToString("N");
            var expires = Time.GetUtcNow() + Options.TokenLifetime;
            _tokens[token] = expires;
            return Results.Json(new { authToken = token, tokenExpireAt = expires, expiresIn = (long)Options.TokenLifetime.TotalSeconds });
        });

        app.MapGet("/v1/channel/event", (HttpContext c) =>
        {
            // JTL returns at most 100 events per pull, whatever is asked; limit (where sent) only lowers it.
            var limit = int.TryParse(c.Request.Query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : MaxEventsPerPull;
            if (limit < 1)
            {
                return Errors(400, "VALIDATION", "limit must be at least 1.");
            }

            DateTimeOffset? createdAfter = null;
            if (c.Request.Query["createdAfter"].ToString() is { Length: > 0 } afterText)
            {
                if (!DateTimeOffset.TryParse(afterText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var after))
                {
                    return Errors(400, "VALIDATION", "createdAfter must be an ISO 8601 date-time.");
                }

                createdAfter = after;
            }

            var types = c.Request.Query["eventTypeFilter"].ToString() is { Length: > 0 } filter
                ? filter.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal)
                : null;
            var now = Time.GetUtcNow();
            List<QueuedEvent> batch;
            lock (_events)
            {
                batch = [.. _events.Where(e => !e.Acknowledged && !e.DeadLettered && e.VisibleAt <= now
                        && (createdAfter is null || e.CreatedAt > createdAfter) && (types is null || types.Contains(e.Type)))
                    .Take(Math.Min(limit, MaxEventsPerPull))];
                foreach (var e in batch)
                {
                    e.VisibleAt = now + Options.VisibilityTimeout;
                    e.Deliveries++;
                    e.DeadLettered = e.Deliveries >= Options.MaxDeliveries; // this was its last delivery
                }

                Interlocked.Increment(ref _pulls);
            }

            var list = new JsonArray([.. batch.Select(e => (JsonNode)new JsonObject
            {
                ["id"] = e.Id,
                ["createdAt"] = e.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
                ["clientVersion"] = "1.9.4.0",
                ["type"] = e.Type,
                ["event"] = JsonNode.Parse(e.Payload),
            })]);
            return Results.Content(new JsonObject { ["eventList"] = list }.ToJsonString(), "application/json");
        });

        async Task<IResult> Acknowledge(HttpContext c)
        {
            JsonNode? body;
            try
            {
                body = await JsonNode.ParseAsync(c.Request.Body, cancellationToken: c.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException)
            {
                body = null;
            }

            if (body?["eventIdList"] is not JsonArray ids)
            {
                return Errors(400, "VALIDATION", "Body must be { eventIdList: [...] }.");
            }

            if (ids.Count > MaxEventsPerPull)
            {
                return Errors(400, "VALIDATION", $"eventIdList takes at most {MaxEventsPerPull} ids (was {ids.Count}).");
            }

            Interlocked.Increment(ref _acknowledgements);
            var wanted = ids.Select(i => i?.ToString()).Where(i => i is not null).ToHashSet(StringComparer.Ordinal);
            if (Options.DropAcknowledgements)
            {
                return Results.Ok();
            }

            lock (_events)
            {
                foreach (var e in _events.Where(e => wanted.Contains(e.Id)))
                {
                    e.Acknowledged = true;
                }
            }

            return Results.Ok();
        }

        app.MapMethods("/v1/channel/event", ["DELETE", "PATCH"], (Delegate)Acknowledge);

        IResult Stock(HttpContext c, bool all)
        {
            var after = c.Request.Query["updatedAfter"].ToString();
            if (!Regex.IsMatch(after, @"(Z|[+-]\d{2}:\d{2})$") || !DateTimeOffset.TryParse(after, CultureInfo.InvariantCulture, DateTimeStyles.None, out var since))
            {
                return Errors(400, "VALIDATION", "updatedAfter must be ISO 8601 with an explicit UTC offset.");
            }

            var seller = c.Request.Query["sellerId"].ToString();
            if (!all && seller.Length == 0)
            {
                return Errors(400, "VALIDATION", "sellerId is required.");
            }

            List<StockRecord> page;
            lock (_stock)
            {
                page = [.. _stock.Where(s => s.UpdatedAt > since && (all || s.SellerId == seller)).OrderBy(s => s.UpdatedAt).Take(StockPageSize)];
            }

            return Results.Json(new
            {
                stockUpdateList = page.Select(s => new { channel = "emulator", sellerId = s.SellerId, offerId = s.OfferId, channelOfferId = "C-" + s.OfferId.ToString(CultureInfo.InvariantCulture), quantity = s.Quantity, updatedAt = s.UpdatedAt }),
                lastUpdatedAt = page.Count == 0 ? since : page[^1].UpdatedAt,
            });
        }

        app.MapGet("/v1/channel/offer/stock-updates", (HttpContext c) => Stock(c, all: false));
        app.MapGet("/v1/channel/offer/stock-updates/all", (HttpContext c) => Stock(c, all: true));

        foreach (var (route, kind) in new[] { ("in-progress", "InProgress"), ("listed", "Listed"), ("listing-failed", "Failed") })
        {
            app.MapPost("/v1/channel/offer/" + route, async (HttpContext c) =>
            {
                var body = await JsonNode.ParseAsync(c.Request.Body, cancellationToken: c.RequestAborted).ConfigureAwait(false);
                if (body?["offerList"] is not JsonArray offers || offers.Count == 0)
                {
                    return Errors(400, "VALIDATION", "Body must be { offerList: [...] } with at least one offer.");
                }

                foreach (var offer in offers)
                {
                    if (offer?["sellerId"] is null || offer["offerId"] is null
                        || (kind == "Listed" && offer["channelOfferId"] is null)
                        || (kind == "Failed" && offer["errorList"] is not JsonArray { Count: > 0 }))
                    {
                        return Errors(400, "VALIDATION", $"An offer of a {route} report lacks a required field.");
                    }
                }

                lock (_reports)
                {
                    foreach (var offer in offers)
                    {
                        _reports.Add(new JtlReceivedReport(kind, offer!["sellerId"]!.ToString(), long.Parse(offer["offerId"]!.ToString(), CultureInfo.InvariantCulture), offer["channelOfferId"]?.ToString(), offer["listingUrl"]?.ToString(), offer.ToJsonString()));
                    }
                }

                return AppliedThenFailed() ?? Results.Ok();
            });
        }

        MapOrderRoutes(app);
    }

    /// <summary>The channel's order calls, checked as JTL documents them and recorded.</summary>
    private void MapOrderRoutes(WebApplication app)
    {
        app.MapPost("/v1/channel/order", async (HttpContext c) =>
        {
            var body = await JsonNode.ParseAsync(c.Request.Body, cancellationToken: c.RequestAborted).ConfigureAwait(false);
            if (body?["orderList"] is not JsonArray orders || orders.Count == 0)
            {
                return Errors(400, "VALIDATION", "Body must be { orderList: [...] } with at least one order.");
            }

            foreach (var order in orders)
            {
                if (order?["sellerId"] is null || order["orderId"] is null || order["currency"] is null || order["purchasedAt"] is null || order["orderItem"] is not JsonArray { Count: > 0 })
                {
                    return Errors(400, "VALIDATION", "An order lacks sellerId, orderId, currency, purchasedAt or its items.");
                }
            }

            lock (_orders)
            {
                foreach (var order in orders)
                {
                    var key = (order!["sellerId"]!.ToString(), order["orderId"]!.ToString());
                    if (_orders.ContainsKey(key))
                    {
                        return Errors(400, "ORDER_EXISTS", $"Order {key.Item2} already exists for seller {key.Item1}.");
                    }
                }

                foreach (var order in orders)
                {
                    _orders[(order!["sellerId"]!.ToString(), order["orderId"]!.ToString())] = order.ToJsonString();
                }
            }

            return Record("order", body);
        });
        app.MapPut("/v1/channel/order/status", async (HttpContext c) =>
        {
            var body = await JsonNode.ParseAsync(c.Request.Body, cancellationToken: c.RequestAborted).ConfigureAwait(false);
            return KnownOrders(body, unlessAccepted: false) ?? Record("status", body!);
        });
        app.MapPut("/v1/channel/order/address-update", async (HttpContext c) =>
        {
            var body = await JsonNode.ParseAsync(c.Request.Body, cancellationToken: c.RequestAborted).ConfigureAwait(false);
            return KnownOrders(body, unlessAccepted: true) ?? Record("address-update", body!);
        });
        app.MapPost("/v1/channel/order/cancellation", async (HttpContext c) =>
        {
            var body = await JsonNode.ParseAsync(c.Request.Body, cancellationToken: c.RequestAborted).ConfigureAwait(false);
            return body?["orderCancellationRequestId"] is null || body["sellerId"] is null || body["orderId"] is null || body["orderItem"] is not JsonArray { Count: > 0 }
                ? Errors(400, "VALIDATION", "orderCancellationRequestId, sellerId, orderId and at least one orderItem are required.")
                : Record("cancellation", body);
        });
        app.MapPut("/v1/channel/order/cancellation-accept", async (HttpContext c) =>
        {
            var body = await JsonNode.ParseAsync(c.Request.Body, cancellationToken: c.RequestAborted).ConfigureAwait(false);
            return body?["sellerId"] is null || body["orderCancellationRequestId"] is null
                ? Errors(400, "VALIDATION", "sellerId and orderCancellationRequestId are required.")
                : Record("cancellation-accept", body);
        });
        app.MapPut("/v1/channel/order/cancellation-denied", async (HttpContext c) =>
        {
            var body = await JsonNode.ParseAsync(c.Request.Body, cancellationToken: c.RequestAborted).ConfigureAwait(false);
            return body?["sellerId"] is null || body["orderCancellationRequestId"] is null || body["reason"]?.ToString() is not { Length: > 0 and <= 250 }
                ? Errors(400, "VALIDATION", "sellerId, orderCancellationRequestId and a reason of 1 to 250 characters are required.")
                : Record("cancellation-denied", body);
        });
        app.MapPost("/v1/channel/order/refund/processing-result", async (HttpContext c) =>
        {
            var body = await JsonNode.ParseAsync(c.Request.Body, cancellationToken: c.RequestAborted).ConfigureAwait(false);
            return body?["sellerId"] is null || body["refundId"] is null || body["isAccepted"] is null
                ? Errors(400, "VALIDATION", "refundId, sellerId and isAccepted are required.")
                : Record("refund-result", body);
        });
    }

    /// <summary>
    /// Null when <paramref name="body"/> is <c>{ orderList: [...] }</c> naming only orders reported earlier (and, with
    /// <paramref name="unlessAccepted"/>, none already accepted); else JTL's error.
    /// </summary>
    private IResult? KnownOrders(JsonNode? body, bool unlessAccepted)
    {
        if (body?["orderList"] is not JsonArray { Count: > 0 } updates)
        {
            return Errors(400, "VALIDATION", "Body must be { orderList: [...] } with at least one order.");
        }

        lock (_orders)
        {
            foreach (var update in updates)
            {
                if (!_orders.TryGetValue((update?["sellerId"]?.ToString() ?? "", update?["orderId"]?.ToString() ?? ""), out var order))
                {
                    return Errors(404, "ORDER_NOT_FOUND", $"Order {update?["orderId"]} does not exist.");
                }

                if (unlessAccepted && JsonNode.Parse(order)?["orderStatus"]?.ToString() == "ACCEPTED")
                {
                    return Errors(400, "ORDER_ACCEPTED", $"Order {update?["orderId"]} is accepted: its address cannot change.");
                }
            }
        }

        return null;
    }

    private IResult Record(string kind, JsonNode body)
    {
        lock (_orderCalls)
        {
            _orderCalls.Add(new JtlReceivedOrderCall(kind, body.ToJsonString()));
        }

        return AppliedThenFailed() ?? Results.Ok();
    }

    private bool Admit(HttpContext context, string group)
    {
        if (!Options.RateLimits.TryGetValue(group, out var limit))
        {
            return true;
        }

        var now = Time.GetUtcNow();
        int used;
        DateTimeOffset start;
        lock (_windows)
        {
            var window = _windows.GetValueOrDefault(group);
            if (now - window.Start >= Options.RateLimitWindow)
            {
                window = (now, 0);
            }

            window.Count++;
            _windows[group] = window;
            (used, start) = (window.Count, window.Start);
        }

        var headers = context.Response.Headers;
        headers["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = Math.Max(0, limit - used).ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Interval-Length-Seconds"] = ((int)Math.Ceiling((start + Options.RateLimitWindow - now).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return used <= limit;
    }

    private static IResult Errors(int status, string code, string message, string? hint = null) =>
        Results.Json(new { errorList = new[] { new { code, message, severity = "error", hint } } }, statusCode: status);

    private sealed record StockRecord(string SellerId, long OfferId, decimal Quantity, DateTimeOffset UpdatedAt);

    private sealed class QueuedEvent(string id, DateTimeOffset createdAt, string type, string payload)
    {
        public string Id { get; } = id;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public string Type { get; } = type;

        public string Payload { get; } = payload;

        public DateTimeOffset VisibleAt { get; set; } = DateTimeOffset.MinValue;

        public bool Acknowledged { get; set; }

        public bool DeadLettered { get; set; }

        public int Deliveries { get; set; }
    }
}

/// <summary>A status report the emulator received.</summary>
/// <param name="Kind"><c>InProgress</c>, <c>Listed</c> or <c>Failed</c>.</param>
/// <param name="SellerId">The seller.</param>
/// <param name="OfferId">The offer.</param>
/// <param name="ChannelOfferId">The channel's offer id (listed).</param>
/// <param name="ListingUrl">The listing's URL (listed, optional).</param>
/// <param name="Json">The item as sent.</param>
public sealed record JtlReceivedReport(string Kind, string SellerId, long OfferId, string? ChannelOfferId, string? ListingUrl, string Json);

/// <summary>An order call the channel made: <c>order</c>, <c>status</c>, <c>cancellation-accept</c>, <c>cancellation-denied</c> or <c>refund-result</c>, with its body.</summary>
public sealed record JtlReceivedOrderCall(string Kind, string Json);
