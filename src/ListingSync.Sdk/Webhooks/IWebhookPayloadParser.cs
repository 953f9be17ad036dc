using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Webhooks;

/// <summary>Reads one channel's webhook payloads into <see cref="ListingEvent"/>s.</summary>
public interface IWebhookPayloadParser
{
    /// <summary>The channel whose payloads it reads, e.g. <c>managem</c>.</summary>
    string Channel { get; }

    /// <summary>Reads a payload.</summary>
    /// <exception cref="WebhookPayloadException">The payload cannot be read; the message names the field and the rule.</exception>
    ListingEvent Parse(ReadOnlySpan<byte> utf8, SellerScope seller);
}
