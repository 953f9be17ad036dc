namespace ListingSync.Sdk.Webhooks;

/// <summary>What became of one delivery.</summary>
public enum WebhookReceiptStatus
{
    /// <summary>Verified, read and queued in the inbox (answer 200).</summary>
    Accepted,

    /// <summary>Verified, read, and already accepted before: dropped (answer 200, so the marketplace stops retrying).</summary>
    Duplicate,

    /// <summary>The signature, timestamp or headers failed verification, or no secret is configured (answer 401).</summary>
    Unauthorized,

    /// <summary>Verified but unreadable (answer 400 with the reason).</summary>
    BadPayload,

    /// <summary>No payload parser is registered for the channel (a configuration error; answer 404).</summary>
    UnknownChannel,
}

/// <summary>The outcome of <see cref="WebhookReceiver.ReceiveAsync"/>.</summary>
/// <param name="Status">What became of the delivery.</param>
/// <param name="Reason">Why, for anything but <see cref="WebhookReceiptStatus.Accepted"/>.</param>
/// <param name="Event">The event read, when it was read.</param>
/// <param name="Verification">The signature check's result.</param>
public readonly record struct WebhookReceipt(WebhookReceiptStatus Status, string? Reason, ListingEvent? Event, WebhookVerificationResult Verification);
