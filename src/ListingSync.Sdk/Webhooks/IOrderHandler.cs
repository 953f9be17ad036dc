namespace ListingSync.Sdk.Webhooks;

/// <summary>
/// The host's handler of order events from every channel that reports them (Managem's order webhooks, JTL's
/// <c>Seller:Order.*</c> events): register it with <c>AddListingSync().AddOrderHandler&lt;T&gt;()</c>. An event is
/// acknowledged to the channel only after this handler returned; an exception leaves it for a retry.
/// </summary>
public interface IOrderHandler
{
    /// <summary>Handles one order event.</summary>
    Task HandleAsync(OrderEvent orderEvent, CancellationToken cancellationToken);
}

/// <summary>An order event, channel-neutral, with the channel's own record in <see cref="Detail"/>.</summary>
public sealed record OrderEvent
{
    /// <summary>The channel (e.g. <c>managem</c>, <c>jtl</c>).</summary>
    public required string Channel { get; init; }

    /// <summary>The seller.</summary>
    public required Model.SellerScope Seller { get; init; }

    /// <summary>The channel's event id (unique per channel).</summary>
    public required string EventId { get; init; }

    /// <summary>The channel's event type as sent (e.g. <c>ORDER_CREATED</c>, <c>Seller:Order.Shipping</c>).</summary>
    public required string Type { get; init; }

    /// <summary>When the channel recorded it.</summary>
    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>True when the order is new (Managem <c>ORDER_CREATED</c>); false for later changes.</summary>
    public bool IsNew { get; init; }

    /// <summary>The order id, when the event names one (JTL's cancellation answers name only the request id).</summary>
    public string? OrderId { get; init; }

    /// <summary>The order's status or the seller's action (Managem's order status; JTL: <c>Shipping</c>, <c>Refund</c>, …).</summary>
    public string? Status { get; init; }

    /// <summary>The listing the order concerns, when the channel names one (Managem).</summary>
    public string? ListingId { get; init; }

    /// <summary>The units ordered, when the channel says (Managem).</summary>
    public int? Quantity { get; init; }

    /// <summary>The channel's typed record (e.g. <c>JtlOrderShipping</c>, <c>JtlOrderRefund</c>); null when it has none.</summary>
    public ChannelEventDetail? Detail { get; init; }

    /// <summary>The payload as the channel sent it (JSON).</summary>
    public string? Payload { get; init; }

    /// <summary>The order event carried by a <see cref="ListingEvent"/> of kind <see cref="ListingEventKind.OrderCreated"/> or <see cref="ListingEventKind.OrderUpdated"/>.</summary>
    public static OrderEvent From(ListingEvent listingEvent)
    {
        ArgumentNullException.ThrowIfNull(listingEvent);
        if (listingEvent.Kind is not (ListingEventKind.OrderCreated or ListingEventKind.OrderUpdated))
        {
            throw new ArgumentException($"A {listingEvent.Kind} event is not an order event.", nameof(listingEvent));
        }

        return new OrderEvent
        {
            Channel = listingEvent.Channel,
            Seller = listingEvent.Seller,
            EventId = listingEvent.EventId,
            Type = listingEvent.Type,
            OccurredAt = listingEvent.OccurredAt,
            IsNew = listingEvent.Kind == ListingEventKind.OrderCreated,
            OrderId = listingEvent.OrderId,
            Status = listingEvent.OrderStatus,
            ListingId = listingEvent.ListingId,
            Quantity = listingEvent.OrderQuantity,
            Detail = listingEvent.Detail,
            Payload = listingEvent.Payload,
        };
    }
}

/// <summary>Runs the host's <see cref="IOrderHandler"/> for the order kinds of <see cref="ListingEvent"/>.</summary>
internal sealed class OrderHandlerAdapter<THandler>(THandler handler) : IListingEventHandler
    where THandler : IOrderHandler
{
    public Task HandleAsync(ListingEvent listingEvent, CancellationToken cancellationToken) =>
        handler.HandleAsync(OrderEvent.From(listingEvent), cancellationToken);
}
