namespace ListingSync.Sdk.Webhooks;

/// <summary>
/// The typed content of a channel's event beyond a listing's own fields (<see cref="ListingEvent.Detail"/>): each
/// channel derives its records from it (for JTL: <c>JtlOrderShipping</c>, <c>JtlOrderPayment</c>, …).
/// </summary>
public abstract record ChannelEventDetail
{
    /// <summary>
    /// Fields the channel sent that the record does not model (names as sent, values as JSON): a field the channel adds
    /// later is kept here, never dropped.
    /// </summary>
    public IReadOnlyDictionary<string, System.Text.Json.JsonElement> Extra { get; init; } = EmptyExtra;

    private static readonly IReadOnlyDictionary<string, System.Text.Json.JsonElement> EmptyExtra = new Dictionary<string, System.Text.Json.JsonElement>(StringComparer.Ordinal);
}
