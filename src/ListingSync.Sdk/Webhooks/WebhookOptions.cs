namespace ListingSync.Sdk.Webhooks;

/// <summary>How webhooks are received: signature schemes, tolerance, body cap, inbox.</summary>
public sealed class WebhookOptions
{
    /// <summary>How far a signed timestamp may lie from now, either way. Default 5 minutes.</summary>
    public TimeSpan Tolerance { get; set; } = StandardWebhooksScheme.DefaultTolerance;

    /// <summary>The largest body accepted; the ASP.NET endpoint answers 413 above it. Default 256 KiB.</summary>
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// The signature scheme per channel name. Channels not listed use <see cref="StandardWebhooksScheme"/> with
    /// <see cref="Tolerance"/> (Managem's scheme is unpublished; Standard Webhooks is the documented default).
    /// </summary>
    public Dictionary<string, IWebhookSignatureScheme> Schemes { get; } = new(StringComparer.Ordinal);

    /// <summary>Inbox retries and event-id retention.</summary>
    public EventInboxOptions Inbox { get; } = new();

    /// <summary>Register <see cref="MappingEventHandler"/> for every event kind. Default true.</summary>
    public bool UseDefaultHandlers { get; set; } = true;
}
