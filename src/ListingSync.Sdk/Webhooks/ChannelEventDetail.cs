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

    /// <summary>The one empty field map every detail (and its nested parts) starts with.</summary>
    internal static readonly IReadOnlyDictionary<string, System.Text.Json.JsonElement> EmptyExtra = new Dictionary<string, System.Text.Json.JsonElement>(StringComparer.Ordinal);
}

/// <summary>
/// Reads a channel's typed detail again from an event's type and payload: for stores that keep events as data (the
/// durable inboxes), so an event handled after a restart carries the same <see cref="ListingEvent.Detail"/> as before.
/// </summary>
public static class ChannelEventDetails
{
    /// <summary>The detail of an event of <paramref name="channel"/> and <paramref name="type"/>, or null when the channel has none for it or the payload does not read.</summary>
    public static ChannelEventDetail? Read(string channel, string type, string? payload)
    {
        if (payload is null || !string.Equals(channel, Channels.Jtl.JtlClientOptions.ChannelName, StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(payload);
            return Channels.Jtl.JtlDetailReader.Read(new Channels.Jtl.JtlEvent { Id = "restored", Type = type, Event = document.RootElement.Clone() });
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or WebhookPayloadException)
        {
            return null; // kept because it did not read: the payload is still there
        }
    }
}
