using System.Collections.Concurrent;
using ListingSync.Sdk.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ListingSync.Sdk.Webhooks;

/// <summary>
/// Receives one delivery, framework-neutral: verify the exact bytes against the channel's and seller's active secrets,
/// read the payload, and accept it into the <see cref="IEventInbox"/> (duplicates dropped). Never throws for a bad
/// request: the receipt says what happened. The ASP.NET endpoint (<c>MapListingSyncWebhooks</c>) is a thin shell over it.
/// </summary>
public sealed partial class WebhookReceiver
{
    private readonly IWebhookSecretStore _secrets;
    private readonly IEventInbox _inbox;
    private readonly Dictionary<string, IWebhookPayloadParser> _parsers;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, IWebhookSignatureScheme> _schemes = new(StringComparer.Ordinal);
    private readonly Mapping.IMappingStore? _store;

    /// <summary>Creates the receiver.</summary>
    public WebhookReceiver(IWebhookSecretStore secrets, IEventInbox inbox, IEnumerable<IWebhookPayloadParser> parsers, IOptions<WebhookOptions> options, TimeProvider? timeProvider = null, ILogger<WebhookReceiver>? logger = null, Mapping.IMappingStore? deliveries = null)
    {
        _store = deliveries;
        ArgumentNullException.ThrowIfNull(parsers);
        ArgumentNullException.ThrowIfNull(options);
        _secrets = secrets ?? throw new ArgumentNullException(nameof(secrets));
        _inbox = inbox ?? throw new ArgumentNullException(nameof(inbox));
        _parsers = parsers.GroupBy(p => p.Channel, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        _options = options.Value;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The options in force.</summary>
    public WebhookOptions Options => _options;

    /// <summary>The scheme that verifies <paramref name="channel"/>'s deliveries.</summary>
    public IWebhookSignatureScheme SchemeFor(string channel) =>
        _schemes.GetOrAdd(channel, c => _options.Schemes.TryGetValue(c, out var scheme)
            // A Standard Webhooks scheme the host supplied verifies on the receiver's clock and WebhookOptions.Tolerance,
            // like the default one: a host-built instance would otherwise read the system clock and its own default.
            ? scheme is StandardWebhooksScheme ? new StandardWebhooksScheme(_time, _options.Tolerance) : scheme
            : new StandardWebhooksScheme(_time, _options.Tolerance));

    /// <summary>Verifies, reads and accepts one delivery.</summary>
    public async ValueTask<WebhookReceipt> ReceiveAsync(string channel, SellerScope seller, WebhookHeaders headers, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        if (!_parsers.TryGetValue(channel, out var parser))
        {
            return new(WebhookReceiptStatus.UnknownChannel, $"no webhook payload parser is registered for channel '{channel}'", null, default);
        }

        var verification = SchemeFor(channel).Verify(headers, body.Span, _secrets.GetSecrets(channel, seller));
        if (!verification.IsValid)
        {
            LogRejected(channel, seller.SellerId, verification.Failure, verification.MessageId);
            return new(WebhookReceiptStatus.Unauthorized, verification.Reason, null, verification);
        }

        ListingEvent listingEvent;
        try
        {
            listingEvent = parser.Parse(body.Span, seller);
        }
        catch (WebhookPayloadException ex)
        {
            LogBadPayload(channel, seller.SellerId, verification.MessageId, ex.Message);
            return new(WebhookReceiptStatus.BadPayload, ex.Message, null, verification);
        }

        // Standard Webhooks: a retried delivery keeps its webhook-id even when the sender rebuilt the payload (another
        // event id). The delivery id is checked before and recorded after the event is accepted, so a delivery whose
        // accept failed is taken again on the sender's retry.
        var deliveryScope = new Mapping.MappingScope(channel, seller);
        var deliveryKey = verification.MessageId is { Length: > 0 } messageId ? "delivery:" + messageId : null;
        if (deliveryKey is not null && _store is not null && await _store.HasEventAsync(deliveryScope, deliveryKey, cancellationToken).ConfigureAwait(false))
        {
            return new(WebhookReceiptStatus.Duplicate, $"delivery '{verification.MessageId}' was already received", listingEvent, verification);
        }

        var accepted = await _inbox.AcceptAsync(listingEvent, cancellationToken).ConfigureAwait(false);
        if (deliveryKey is not null && _store is not null)
        {
            await _store.TryRecordEventAsync(deliveryScope, deliveryKey, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        return new(accepted ? WebhookReceiptStatus.Accepted : WebhookReceiptStatus.Duplicate, accepted ? null : $"event '{listingEvent.EventId}' was already received", listingEvent, verification);
    }

    [LoggerMessage(EventId = 3020, Level = LogLevel.Warning, Message = "Rejected a {Channel} webhook for {Seller}: {Failure} (message {MessageId})")]
    private partial void LogRejected(string channel, string seller, WebhookVerificationFailure failure, string? messageId);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Warning, Message = "Unreadable {Channel} webhook for {Seller} (message {MessageId}): {Reason}")]
    private partial void LogBadPayload(string channel, string seller, string? messageId, string reason);
}
