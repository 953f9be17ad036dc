using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Webhooks;

namespace ListingSync.Sdk.Storage;

// Compiled into each store package (SQLite, PostgreSQL): how a mapping's state and an inbox event are kept as JSON.

internal sealed record StoredState(decimal Price, string Currency, int Quantity, int? Available, int Visibility, string Condition, string Language, string[] Variants, string? ContentHash)
{
    public static StoredState From(ListingState state) =>
        new(state.Price.Amount, state.Price.Currency, state.Quantity, state.Available, (int)state.Visibility, state.Condition.Code, state.Language, [.. state.Variants], state.ContentHash);

    public ListingState ToState() => new()
    {
        Price = new Money(Price, Currency),
        Quantity = Quantity,
        Available = Available,
        Visibility = (ListingVisibility)Visibility,
        Condition = new ListingCondition(Condition),
        Language = Language,
        Variants = Variants,
        ContentHash = ContentHash,
    };
}

internal sealed record StoredEvent(
    string Channel, string Seller, string EventId, int Kind, string Type, DateTimeOffset OccurredAt, string? ListingId, string? Reference,
    string? ItemUrn, decimal? PriceAmount, string? PriceCurrency, int? Quantity, int? Available, string? Condition, int? Visibility,
    DateTimeOffset? ListingUpdatedAt, string? OrderId, int? OrderQuantity, string? OrderStatus, string? Payload = null)
{
    public static StoredEvent From(ListingEvent e) => new(
        e.Channel, e.Seller.SellerId, e.EventId, (int)e.Kind, e.Type, e.OccurredAt, e.ListingId, e.Reference, e.ItemUrn,
        e.Price?.Amount, e.Price?.Currency, e.Quantity, e.Available, e.Condition?.Code, (int?)e.Visibility, e.ListingUpdatedAt,
        e.OrderId, e.OrderQuantity, e.OrderStatus, e.Payload);

    public ListingEvent ToEvent() => new()
    {
        Channel = Channel,
        Seller = new SellerScope(Seller),
        EventId = EventId,
        Kind = (ListingEventKind)Kind,
        Type = Type,
        OccurredAt = OccurredAt,
        ListingId = ListingId,
        Reference = Reference,
        ItemUrn = ItemUrn,
        Price = PriceAmount is { } amount && PriceCurrency is { } currency ? new Money(amount, currency) : null,
        Quantity = Quantity,
        Available = Available,
        Condition = Condition is { } code ? new ListingCondition(code) : null,
        Visibility = (ListingVisibility?)Visibility,
        ListingUpdatedAt = ListingUpdatedAt,
        OrderId = OrderId,
        OrderQuantity = OrderQuantity,
        OrderStatus = OrderStatus,
        Payload = Payload,
        Detail = ChannelEventDetails.Read(Channel, Type, Payload),
    };
}
