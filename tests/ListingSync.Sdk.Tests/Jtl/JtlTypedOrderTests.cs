using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ListingSync.Sdk.Channels.Jtl;
using ListingSync.Sdk.DependencyInjection;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Testing.Jtl;
using ListingSync.Sdk.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using RichardSzalay.MockHttp;

namespace ListingSync.Sdk.Tests.Jtl;

/// <summary>
/// Issue 15: JTL's seller events typed with every field, handed to an order handler, and the channel's side of orders.
/// Payload shapes follow JTL's generated seller event models (jtl-scx/channel-core, src/Client/Model/SellerEvent*.php,
/// OrderShippingPosition.php, RefundOrderItem.php, SystemEventNotification.php); request shapes follow JTL's developer
/// guide (jtl-scx/dev-guide, Guide/Channel-API.md, "Order Process") and channel-core's request classes (paths and verbs).
/// </summary>
public sealed class JtlTypedOrderTests : JtlHostTests
{
    private const string Seller = "seller7";
    private static ListingEvent Map(string type, string json) =>
        JtlEventMapper.ToListingEvent(new JtlEvent { Id = "e-" + type, Type = type, CreatedAt = DateTimeOffset.UnixEpoch, Event = JsonDocument.Parse(json).RootElement.Clone() });

    [Fact]
    public void Every_seller_order_event_is_typed_with_its_fields_and_keeps_what_it_does_not_model()
    {
        // SellerEventOrderShipping + OrderShippingPosition (carrier, trackingNumber, returnTracking, shippedAt,
        // orderItemIdList, shippedFrom), plus fields the models do not have.
        var shipping = Map(JtlEventTypes.OrderShipping, """
            {"sellerId":"seller7","orderId":"A-1","shippingComplete":true,"shippingItems":[{"carrier":"DHL","trackingNumber":"0034","shippedAt":"2026-11-30T10:00:00+01:00",
             "orderItemIdList":[{"orderItemId":"ABC-0001","quantity":"1"}],"returnTracking":{"carrier":"DHL","trackingNumber":"R-1"},"shippedFrom":{"country":"DE","postcode":"40789"},"trackingUrl":"https://t/1"}],"future":1}
            """);
        var s = shipping.Detail.ShouldBeOfType<JtlOrderShipping>();
        (shipping.Kind, shipping.OrderId, shipping.OrderStatus, s.SellerId, s.ShippingComplete).ShouldBe((ListingEventKind.OrderUpdated, "A-1", "Shipping", "seller7", true));
        var parcel = s.ShippingItems.ShouldHaveSingleItem();
        (parcel.Carrier, parcel.TrackingNumber, parcel.ShippedAt, parcel.ReturnTracking).ShouldBe(("DHL", "0034", new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero), new JtlTracking("DHL", "R-1")));
        parcel.Items.ShouldHaveSingleItem().ShouldBe(new JtlOrderItemQuantity("ABC-0001", 1m));
        parcel.ShippedFrom["postcode"].GetString().ShouldBe("40789");
        parcel.Extra["trackingUrl"].GetString().ShouldBe("https://t/1");
        s.Extra["future"].GetInt32().ShouldBe(1);

        // SellerEventOrderPayment: sellerId, orderId, paymentComplete, paidAt.
        var paid = Map(JtlEventTypes.OrderPayment, """{"sellerId":"seller7","orderId":"A-1","paymentComplete":true,"paidAt":"2026-11-30T08:00:00Z"}""").Detail.ShouldBeOfType<JtlOrderPayment>();
        (paid.SellerId, paid.OrderId, paid.PaymentComplete, paid.PaidAt, paid.Extra.Count).ShouldBe(("seller7", "A-1", true, new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero), 0));

        // SellerEventOrderCancellationRequest: orderCancellationRequestId, sellerId, orderId, orderItem, cancelReason, message.
        var cancel = Map(JtlEventTypes.OrderCancellationRequest, """
            {"orderCancellationRequestId":"6f1c","sellerId":"seller7","orderId":"A-1","orderItem":[{"orderItemId":"ABC-0001","quantity":"1"}],"cancelReason":"OUT_OF_STOCK","message":"sorry"}
            """).Detail.ShouldBeOfType<JtlOrderCancellationRequest>();
        (cancel.CancellationRequestId, cancel.CancelReason, cancel.Message, cancel.Items.Single().OrderItemId).ShouldBe(("6f1c", "OUT_OF_STOCK", "sorry", "ABC-0001"));

        // SellerEventOrderCancellationAccepted / Denied: sellerId, orderCancellationRequestId (+ reason).
        var accepted = Map(JtlEventTypes.OrderCancellationAccepted, """{"sellerId":"seller7","orderCancellationRequestId":"c-1"}""").Detail.ShouldBeOfType<JtlOrderCancellationAnswer>();
        (accepted.SellerId, accepted.CancellationRequestId, accepted.Accepted).ShouldBe(("seller7", "c-1", true));
        var denied = Map(JtlEventTypes.OrderCancellationDenied, """{"sellerId":"seller7","orderCancellationRequestId":"c-2","reason":"already shipped"}""");
        (denied.OrderId, denied.Detail.ShouldBeOfType<JtlOrderCancellationAnswer>().Reason).ShouldBe((null, "already shipped"));

        // SellerEventOrderInvoice: type, sellerId, orderId, invoiceNumber, documentId, documentExpiresAt.
        var invoice = Map(JtlEventTypes.OrderInvoice, """{"type":"INVOICE","sellerId":"seller7","orderId":"A-1","invoiceNumber":"RE-100","documentId":"doc-9","documentExpiresAt":"2026-12-07T00:00:00+00:00"}""")
            .Detail.ShouldBeOfType<JtlOrderInvoice>();
        (invoice.DocumentType, invoice.InvoiceNumber, invoice.DocumentId).ShouldBe(("INVOICE", "RE-100", "doc-9"));

        // SellerEventOrderRefund + RefundOrderItem: orderItemId, quantity, reason, refund, refundCurrency (strings).
        var refund = Map(JtlEventTypes.OrderRefund, """{"refundId":"RF1","sellerId":"seller7","orderId":"A-1","orderItem":[{"orderItemId":"ABC-0001","quantity":"1","reason":"DAMAGED","refund":"19.99","refundCurrency":"EUR"}]}""")
            .Detail.ShouldBeOfType<JtlOrderRefund>();
        refund.RefundId.ShouldBe("RF1");
        refund.Items.ShouldHaveSingleItem().ShouldBe(new JtlRefundItem("ABC-0001", 1m, new Money(19.99m, "EUR"), "DAMAGED"));

        // SellerEventOrderReturnReceived: sellerId, orderId, sellerReturnId, channelReturnId, orderItem.
        var returned = Map(JtlEventTypes.OrderReturnReceived, """{"sellerId":"seller7","orderId":"A-1","sellerReturnId":"RT-1","channelReturnId":"CR-1","orderItem":[{"orderItemId":"ABC-0001","quantity":"1","condition":"GOOD","acceptReturn":true}]}""")
            .Detail.ShouldBeOfType<JtlOrderReturnReceived>();
        (returned.SellerReturnId, returned.ChannelReturnId).ShouldBe(("RT-1", "CR-1"));
        returned.Items.Single().Extra["condition"].GetString().ShouldBe("GOOD");

        // A Seller:Order type JTL adds later: still an order event, every field kept.
        var later = Map("Seller:Order.Accepted", """{"sellerId":"seller7","orderId":"A-1","acceptedAt":"2026-11-30T08:00:00Z"}""");
        (later.Kind, later.OrderId, later.Detail.ShouldBeOfType<JtlOtherOrderEvent>().Extra.ContainsKey("acceptedAt")).ShouldBe((ListingEventKind.OrderUpdated, "A-1", true));
    }

    [Fact]
    public void Notifications_unlinking_and_seller_requests_are_typed()
    {
        // SystemEventNotification: channel, sellerId, message, severity (INFO, WARNING, ERROR).
        var note = Map(JtlEventTypes.SystemNotification, """{"channel":"MYCHANNEL","sellerId":"seller7","message":"token expires","severity":"WARNING"}""").Detail.ShouldBeOfType<JtlSystemNotification>();
        (note.Channel, note.SellerId, note.Message, note.Severity).ShouldBe(("MYCHANNEL", "seller7", "token expires", "WARNING"));
        // SellerEventChannelUnlinked: sellerId, reason, unlinkedAt.
        var unlinked = Map(JtlEventTypes.ChannelUnlinked, """{"sellerId":"seller7","reason":"seller left","unlinkedAt":"2026-11-30T08:00:00+00:00"}""");
        (unlinked.Kind, unlinked.Detail.ShouldBeOfType<JtlChannelUnlinked>().Reason).ShouldBe((ListingEventKind.Unknown, "seller left"));
        // SellerEventSellerAttributesUpdateRequest: sellerId. SellerEventReportRequest: sellerId, reportType, startDate, endDate, reportId.
        Map(JtlEventTypes.SellerAttributesUpdateRequest, """{"sellerId":"seller7"}""").Detail.ShouldBeOfType<JtlSellerAttributesUpdateRequest>().SellerId.ShouldBe("seller7");
        var report = Map(JtlEventTypes.ReportRequest, """{"sellerId":"seller7","reportType":"OFFER","startDate":"2026-11-01","endDate":"2026-11-30","reportId":"R1"}""").Detail.ShouldBeOfType<JtlReportRequest>();
        (report.ReportType, report.StartDate, report.EndDate, report.ReportId).ShouldBe(("OFFER", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), "R1"));
    }

    [Theory]
    [InlineData(JtlEventTypes.OrderRefund, """{"sellerId":"seller7","orderId":"A-1","orderItem":[]}""", "event.refundId")]
    [InlineData(JtlEventTypes.OrderShipping, """{"sellerId":"seller7","orderId":"A-1","shippingItems":[{"trackingNumber":"1"}]}""", "event.shippingItems[0].carrier")]
    [InlineData(JtlEventTypes.OrderShipping, """{"sellerId":"seller7","orderId":"A-1","shippingItems":{"carrier":"DHL"}}""", "event.shippingItems")]
    [InlineData(JtlEventTypes.OrderPayment, """{"sellerId":"seller7","orderId":"A-1","paidAt":12345}""", "event.paidAt")]
    [InlineData(JtlEventTypes.OrderRefund, """{"refundId":"R","orderId":"A-1","orderItem":[{"orderItemId":"x","refund":"1.00"}]}""", "event.orderItem[0].refundCurrency")]
    public void A_field_of_the_wrong_shape_is_an_error_naming_it(string type, string json, string field) =>
        Should.Throw<WebhookPayloadException>(() => Map(type, json)).Field.ShouldBe(field);

    [Fact]
    public async Task An_order_handler_gets_typed_events_and_answers_them_over_the_orders_client_against_theEmulator()
    {
        await using var host = Build(b => b.AddOrderHandler<AnsweringHandler>().Services.AddSingleton<AnsweringHandler.Log>());
        var orders = host.GetRequiredService<JtlClient>().Orders;
        await orders.CreateOrdersAsync([Order("A-1")]);
        await orders.UpdateOrderAddressesAsync([new JtlOrderAddressUpdate { SellerId = Seller, OrderId = "A-1", ShippingAddress = new JtlAddress { LastName = "Nym", City = "Hilden", Country = "DE" } }]);
        var unknown = await Should.ThrowAsync<ListingSyncRequestException>(() => orders.UpdateOrderStatusAsync([new JtlOrderStatusUpdate { SellerId = Seller, OrderId = "nope", OrderStatus = "ACCEPTED" }]));
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var duplicate = await Should.ThrowAsync<ListingSyncRequestException>(() => orders.CreateOrdersAsync([Order("A-1")]));
        duplicate.Message.ShouldContain("already exists"); // JTL keeps one order per id and seller

        // The seller's ERP (the emulator) asks to cancel one line, refunds another and ships the order.
        Emulator.RequestOrderCancellation(Seller, "A-1", "c-77", "OUT_OF_STOCK", ("SHIP-1", 1));
        Emulator.RefundOrder(Seller, "A-1", "RF-1", "EUR", ("ITEM-1", 1, 19.99m, "DAMAGED"));
        Emulator.ShipOrder(Seller, "A-1", "DHL", "0034", complete: true, ("ITEM-1", 1));

        var result = await host.GetRequiredService<JtlEventPoller>().PollOnceAsync();

        (result.Processed, result.Kept, result.Failed.Count).ShouldBe((3, 0, 0));
        Emulator.Unacknowledged.ShouldBe(0);
        var seen = host.GetRequiredService<AnsweringHandler.Log>().Events;
        seen.Select(e => e.Detail!.GetType()).ShouldBe([typeof(JtlOrderCancellationRequest), typeof(JtlOrderRefund), typeof(JtlOrderShipping)]);
        seen.ShouldAllBe(e => e.Channel == "jtl" && e.OrderId == "A-1" && e.Seller.SellerId == Seller && !e.IsNew);
        Emulator.OrderCalls.Select(c => c.Kind).ShouldBe(["order", "address-update", "cancellation-accept", "refund-result"]);
        using var accept = JsonDocument.Parse(Emulator.OrderCalls[2].Json);
        accept.RootElement.GetProperty("orderCancellationRequestId").GetString().ShouldBe("c-77");
    }

    [Fact]
    public async Task An_unreadable_order_event_is_kept_in_the_inbox_not_left_for_jtl_to_drop()
    {
        Emulator.Publish(JtlEventTypes.OrderRefund, JsonNode.Parse("""{"sellerId":"seller7","orderId":"A-9","orderItem":[]}"""));
        await using var host = Build(b => b.AddOrderHandler<AnsweringHandler>().Services.AddSingleton<AnsweringHandler.Log>());

        var result = await host.GetRequiredService<JtlEventPoller>().PollOnceAsync();

        result.Failed.ShouldHaveSingleItem().Field.ShouldBe("event.refundId");
        result.Kept.ShouldBe(1);
        Emulator.Unacknowledged.ShouldBe(0); // acknowledged once kept: JTL would drop it after ten deliveries
        var dead = (await host.GetRequiredService<IEventInbox>().GetDeadLettersAsync()).ShouldHaveSingleItem();
        (dead.Event.Type, dead.Event.OrderStatus).ShouldBe((JtlEventTypes.OrderRefund, "Refund"));
        dead.LastError!.Message.ShouldContain("refundId");
        JsonDocument.Parse(dead.Event.Payload!).RootElement.GetProperty("orderId").GetString().ShouldBe("A-9");
    }

    [Fact]
    public async Task Order_calls_carry_the_documented_shapes_and_bad_input_is_refused_before_sending()
    {
        const string Base = "https://scx-sbx.api.jtl-software.com/";
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.When(HttpMethod.Post, Base + "v1/auth").Respond("application/json", """{"authToken":"tok-1","tokenExpireAt":"2030-01-01T00:00:00+00:00","expiresIn":3600}""");
        var bodies = new List<(string, string)>();
        foreach (var (method, path) in new[] { (HttpMethod.Post, "v1/channel/order"), (HttpMethod.Put, "v1/channel/order/status"), (HttpMethod.Put, "v1/channel/order/address-update"), (HttpMethod.Post, "v1/channel/order/cancellation"), (HttpMethod.Put, "v1/channel/order/cancellation-denied"), (HttpMethod.Post, "v1/channel/order/refund/processing-result") })
        {
            mock.When(method, Base + path).With(r =>
            {
                lock (bodies)
                {
                    bodies.Add(($"{r.Method} /{path}", r.Content!.ReadAsStringAsync().Result));
                }

                return true;
            }).Respond(HttpStatusCode.OK);
        }

        var services = new ServiceCollection();
        services.AddListingSync().AddJtl(o =>
        {
            o.BaseAddress = JtlClientOptions.SandboxBaseAddress;
            o.RefreshToken = "refresh-xyz";
            o.RateLimit.Enabled = false;
        });
        services.AddHttpClient(JtlClientOptions.ChannelName).ConfigurePrimaryHttpMessageHandler(() => mock);
        services.AddHttpClient(JtlTokenProvider.AuthClientName).ConfigurePrimaryHttpMessageHandler(() => mock);
        await using var provider = services.BuildServiceProvider();
        var orders = provider.GetRequiredService<JtlClient>().Orders;

        // The guide's "Create a CREATED order" example, less its second item line.
        await orders.CreateOrdersAsync([new JtlNewOrder
        {
            SellerId = "1",
            OrderId = "OrderId_000001",
            PurchasedAt = new DateTimeOffset(2020, 2, 25, 15, 5, 20, TimeSpan.Zero),
            Currency = "EUR",
            Items =
            [
                new JtlNewOrderItem { OrderItemId = "SHIPPING-0001", Type = "SHIPPING", GrossPrice = 2.00m, TaxPercent = 19, Quantity = 1.0m, ShippingGroup = "test" },
                new JtlNewOrderItem { OrderItemId = "ABC-0001", GrossPrice = 19.99m, Total = 19.99m, TaxPercent = 19, Sku = "1234", ChannelOfferId = "1", Quantity = 1, Title = "Eine Hose (4006680069951)", Note = "Zur Auswahl" },
            ],
        }]);
        // The guide's "Send a status change for an order line item" example.
        await orders.UpdateOrderStatusAsync([new JtlOrderStatusUpdate { SellerId = "1", OrderId = "OrderId_000001", OrderStatus = "ACCEPTED", Items = [new JtlOrderItemStatus("ABC-0001", "SHIPPED", "PAID")] }]);
        // The guide's "Send address information for an order with the status CREATED" example (billing address only).
        await orders.UpdateOrderAddressesAsync([new JtlOrderAddressUpdate
        {
            SellerId = "1",
            OrderId = "OrderId_000001",
            BillingAddress = new JtlAddress { FirstName = "Arno", LastName = "Nym", Gender = "male", Street = "Am Feld", HouseNumber = "16", Postcode = "123456", City = "Dingenskirschen", Country = "DE" },
        }]);
        // channel-core's OrderCancellationRequest: orderCancellationRequestId, sellerId, orderId, orderItem, cancelReason, message.
        await orders.RequestCancellationAsync(new JtlChannelCancellationRequest { CancellationRequestId = "5b0c", SellerId = "1", OrderId = "OrderId_000001", Items = [new JtlOrderItemQuantity("ABC-0001", 1)], CancelReason = "BUYER_CANCELLED" });
        await orders.DenyCancellationAsync("1", "c-1", "already shipped");
        await orders.ReportRefundResultAsync("1", "RF1", accepted: true);

        bodies.Select(b => b.Item1).ShouldBe(["POST /v1/channel/order", "PUT /v1/channel/order/status", "PUT /v1/channel/order/address-update", "POST /v1/channel/order/cancellation", "PUT /v1/channel/order/cancellation-denied", "POST /v1/channel/order/refund/processing-result"]);
        bodies[0].Item2.ShouldBe("""{"orderList":[{"sellerId":"1","orderStatus":"CREATED","orderId":"OrderId_000001","purchasedAt":"2020-02-25T15:05:20+00:00","lastChangedAt":"2020-02-25T15:05:20+00:00","currency":"EUR","orderItem":[{"orderItemId":"SHIPPING-0001","type":"SHIPPING","grossPrice":"2.00","taxPercent":"19","quantity":"1.0","shippingGroup":"test"},{"orderItemId":"ABC-0001","type":"ITEM","grossPrice":"19.99","total":"19.99","taxPercent":"19","quantity":"1","sku":"1234","channelOfferId":"1","title":"Eine Hose (4006680069951)","note":"Zur Auswahl"}]}]}""");
        bodies[1].Item2.ShouldBe("""{"orderList":[{"orderId":"OrderId_000001","sellerId":"1","orderStatus":"ACCEPTED","orderItems":[{"orderItemId":"ABC-0001","itemStatus":"SHIPPED","paymentStatus":"PAID"}]}]}""");
        bodies[2].Item2.ShouldBe("""{"orderList":[{"orderId":"OrderId_000001","sellerId":"1","billingAddress":{"firstName":"Arno","lastName":"Nym","gender":"male","street":"Am Feld","houseNumber":"16","postcode":"123456","city":"Dingenskirschen","country":"DE"}}]}""");
        bodies[3].Item2.ShouldBe("""{"orderCancellationRequestId":"5b0c","sellerId":"1","orderId":"OrderId_000001","orderItem":[{"orderItemId":"ABC-0001","quantity":"1"}],"cancelReason":"BUYER_CANCELLED"}""");
        bodies[4].Item2.ShouldBe("""{"sellerId":"1","orderCancellationRequestId":"c-1","reason":"already shipped"}""");
        bodies[5].Item2.ShouldBe("""{"refundId":"RF1","sellerId":"1","isAccepted":true}""");

        var tooLong = await Should.ThrowAsync<ListingSyncValidationException>(() => orders.DenyCancellationAsync("1", "c-1", new string('x', 251)));
        tooLong.Errors.ShouldHaveSingleItem().ShouldBe(new FieldError("reason", "max-length", "must be at most 250 characters (was 251)"));
        var noItems = await Should.ThrowAsync<ListingSyncValidationException>(() => orders.CreateOrdersAsync([Order("B-1") with { Items = [new JtlNewOrderItem { OrderItemId = "", GrossPrice = 1, Quantity = 0 }] }]));
        noItems.Errors.Select(e => e.Field).ShouldBe(["orders[0].items[0].orderItemId", "orders[0].items[0].quantity"]);
        bodies.Count.ShouldBe(6, "nothing is sent when a rule is broken");
    }

    private static JtlNewOrder Order(string orderId) => new()
    {
        SellerId = Seller,
        OrderId = orderId,
        PurchasedAt = DateTimeOffset.UnixEpoch.AddYears(56),
        Currency = "EUR",
        Items = [new JtlNewOrderItem { OrderItemId = "ITEM-1", GrossPrice = 19.99m, TaxPercent = 19, Quantity = 1, ChannelOfferId = "1001" }, new JtlNewOrderItem { OrderItemId = "SHIP-1", Type = "SHIPPING", GrossPrice = 2m, TaxPercent = 19, Quantity = 1 }],
    };

    /// <summary>A host's order handler: records each event and answers cancellation requests and refunds.</summary>
    private sealed class AnsweringHandler(JtlClient jtl, AnsweringHandler.Log log) : IOrderHandler
    {
        public async Task HandleAsync(OrderEvent orderEvent, CancellationToken cancellationToken)
        {
            lock (log.Events)
            {
                log.Events.Add(orderEvent);
            }

            switch (orderEvent.Detail)
            {
                case JtlOrderCancellationRequest request:
                    await jtl.Orders.AcceptCancellationAsync(orderEvent.Seller.SellerId, request.CancellationRequestId, cancellationToken);
                    break;
                case JtlOrderRefund refund:
                    await jtl.Orders.ReportRefundResultAsync(orderEvent.Seller.SellerId, refund.RefundId, accepted: true, cancellationToken);
                    break;
            }
        }

        public sealed class Log
        {
            public List<OrderEvent> Events { get; } = [];
        }
    }
}
