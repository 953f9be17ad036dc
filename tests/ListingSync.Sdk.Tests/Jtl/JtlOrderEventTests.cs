using System.Text.Json;
using System.Text.Json.Nodes;
using ListingSync.Sdk.Channels.Jtl;
using ListingSync.Sdk.DependencyInjection;
using ListingSync.Sdk.Testing.Jtl;
using ListingSync.Sdk.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace ListingSync.Sdk.Tests.Jtl;

/// <summary>
/// Issue 15: no event JTL can send is acknowledged without being handled or kept. JTL delivers an unacknowledged event
/// at most 10 times and then dead-letters it (JTL developer guide, "Channel API overview": events), so leaving it with
/// JTL is no safe keeping either.
/// </summary>
public sealed class JtlOrderEventTests : JtlHostTests
{
    private const string Seller = "seller-7";
    // The payload of Seller:Order.Shipping as jtl-scx/channel-api-client's generated model SellerEventOrderShipping
    // defines it (sellerId, orderId, shippingComplete, shippingItems of OrderShippingPosition: carrier, trackingNumber,
    // shippedAt, orderItemIdList), with a field the SDK has never heard of to show nothing is dropped.
    private static JsonNode Shipping(string orderId) => JsonNode.Parse($$$"""
        {"sellerId":"{{{Seller}}}","orderId":"{{{orderId}}}","shippingComplete":true,
         "shippingItems":[{"carrier":"DHL","trackingNumber":"00340434161094042557","shippedAt":"2026-11-30T10:00:00+01:00",
                           "orderItemIdList":[{"orderItemId":"item-1","quantity":"2"}],"trackingUrl":"https://track.example/00340434161094042557"}],
         "somethingNew":{"kept":true}}
        """)!;

    [Fact]
    public async Task An_order_event_with_no_handler_is_kept_across_a_restart_and_handled_once_a_handler_is_added()
    {
        Emulator.Publish(JtlEventTypes.OrderShipping, Shipping("order-1"));
        Emulator.Publish("Seller:Channel.Unlinked", JsonNode.Parse($$"""{"sellerId":"{{Seller}}","reason":"seller left"}"""));
        Emulator.PublishOffer(Seller, 1001, "Mug", 5.23m, 12);

        JtlPollResult first;
        await using (var host = Build())
        {
            first = await host.GetRequiredService<JtlEventPoller>().PollOnceAsync();
        }

        first.Kept.ShouldBe(2);       // the order and the unknown type: kept, not dropped
        first.Processed.ShouldBe(1);  // the offer: the SDK's own handler takes it
        Emulator.Unacknowledged.ShouldBe(0); // acknowledged only once kept, so JTL does not dead-letter them

        // A restart, now with an order handler.
        var seen = new List<ListingEvent>();
        await using var restarted = Build(b => b.AddEventHandler<RecordingHandler>(ListingEventKind.OrderUpdated));
        RecordingHandler.Sink = seen;
        var inbox = restarted.GetRequiredService<IEventInbox>();
        var dead = await inbox.GetDeadLettersAsync();
        dead.Select(d => d.Event.Type).Order(StringComparer.Ordinal).ShouldBe(["Seller:Channel.Unlinked", JtlEventTypes.OrderShipping]);
        dead.ShouldAllBe(d => d.LastError!.Message.Contains("no handler for JTL event type"));

        (await inbox.RequeueDeadLettersAsync()).ShouldBe(2);
        await restarted.GetRequiredService<ListingEventProcessor>().DrainAsync();

        var order = seen.ShouldHaveSingleItem();
        (order.Kind, order.OrderId, order.OrderStatus, order.Seller.SellerId).ShouldBe((ListingEventKind.OrderUpdated, "order-1", "Shipping", Seller));
        using var payload = JsonDocument.Parse(order.Payload!);
        payload.RootElement.GetProperty("shippingItems")[0].GetProperty("trackingNumber").GetString().ShouldBe("00340434161094042557");
        payload.RootElement.GetProperty("somethingNew").GetProperty("kept").GetBoolean().ShouldBeTrue();
        order.Detail.ShouldBeOfType<JtlOrderShipping>().ShippingItems.Single().TrackingNumber.ShouldBe("00340434161094042557", "the typed record is read again after the restart");
    }

    [Fact]
    public async Task An_order_event_with_a_handler_is_handled_then_acknowledged_and_a_failing_handler_leaves_it_with_jtl()
    {
        Emulator.Publish(JtlEventTypes.OrderShipping, Shipping("order-2"));
        var seen = new List<ListingEvent>();
        RecordingHandler.Sink = seen;
        await using var host = Build(b => b.AddEventHandler<RecordingHandler>(ListingEventKind.OrderUpdated));
        var poller = host.GetRequiredService<JtlEventPoller>();

        RecordingHandler.FailNext = true;
        var failed = await poller.PollOnceAsync();
        failed.Failed.ShouldHaveSingleItem();
        Emulator.Unacknowledged.ShouldBe(1); // not taken: JTL delivers it again

        Emulator.ExpireVisibility();
        var handled = await poller.PollOnceAsync();

        handled.Processed.ShouldBe(1);
        handled.Kept.ShouldBe(0);
        seen.ShouldHaveSingleItem().OrderId.ShouldBe("order-2");
        Emulator.Unacknowledged.ShouldBe(0);
    }

    private sealed class RecordingHandler : IListingEventHandler
    {
        public static List<ListingEvent> Sink { get; set; } = [];

        public static bool FailNext { get; set; }

        public Task HandleAsync(ListingEvent listingEvent, CancellationToken cancellationToken)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("the order system is down");
            }

            lock (Sink)
            {
                Sink.Add(listingEvent);
            }

            return Task.CompletedTask;
        }
    }
}
