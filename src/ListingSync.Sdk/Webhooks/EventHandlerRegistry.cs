namespace ListingSync.Sdk.Webhooks;

/// <summary>
/// The event kinds the host registered a handler of its own for (<c>AddEventHandler</c>): an event the SDK does not
/// handle itself (an order, an unknown type) is only acknowledged to its marketplace when one of these took it.
/// </summary>
internal sealed class EventHandlerRegistry
{
    private readonly HashSet<ListingEventKind> _kinds = [];

    public void Add(ListingEventKind kind)
    {
        lock (_kinds)
        {
            _kinds.Add(kind);
        }
    }

    public bool HasHostHandler(ListingEventKind kind)
    {
        lock (_kinds)
        {
            return _kinds.Contains(kind);
        }
    }

    /// <summary>Kinds the SDK's own handler does not act on: without a host handler, such an event is kept, not dropped.</summary>
    public static bool NeedsHostHandler(ListingEventKind kind) => kind is ListingEventKind.Unknown or ListingEventKind.OrderCreated or ListingEventKind.OrderUpdated;
}
