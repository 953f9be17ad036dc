using System.Globalization;

namespace ListingSync.Sdk.Webhooks;

/// <summary>The outcome of verifying one delivery. Creating it allocates nothing; <see cref="Reason"/> formats on demand.</summary>
public readonly record struct WebhookVerificationResult
{
    internal WebhookVerificationResult(WebhookVerificationFailure failure, string? header = null, string? messageId = null, DateTimeOffset? timestamp = null)
    {
        Failure = failure;
        Header = header;
        MessageId = messageId;
        Timestamp = timestamp;
    }

    /// <summary>True when the delivery is authentic and fresh.</summary>
    public bool IsValid => Failure == WebhookVerificationFailure.None;

    /// <summary>Why it failed; <see cref="WebhookVerificationFailure.None"/> when valid.</summary>
    public WebhookVerificationFailure Failure { get; }

    /// <summary>The header concerned, when the failure is about one.</summary>
    public string? Header { get; }

    /// <summary>The message id the delivery carried (Standard Webhooks <c>webhook-id</c>), when read.</summary>
    public string? MessageId { get; }

    /// <summary>The signed timestamp, when read.</summary>
    public DateTimeOffset? Timestamp { get; }

    /// <summary>The reason in words, naming the header and the rule.</summary>
    public string Reason => Failure switch
    {
        WebhookVerificationFailure.None => "verified",
        WebhookVerificationFailure.NoSecret => "no webhook secret is configured for this channel and seller (fails closed)",
        WebhookVerificationFailure.MissingHeader => $"header '{Header}' is required",
        WebhookVerificationFailure.RepeatedHeader => $"header '{Header}' must appear once",
        WebhookVerificationFailure.MalformedHeader => $"header '{Header}' is empty or malformed",
        WebhookVerificationFailure.TimestampNotNumeric => $"header '{Header}' must be Unix time in whole seconds",
        WebhookVerificationFailure.TimestampInMilliseconds => $"header '{Header}' must be Unix time in seconds, not milliseconds",
        WebhookVerificationFailure.TimestampTooOld => $"header '{Header}' ({Timestamp?.ToString("O", CultureInfo.InvariantCulture)}) is older than the tolerance allows",
        WebhookVerificationFailure.TimestampInFuture => $"header '{Header}' ({Timestamp?.ToString("O", CultureInfo.InvariantCulture)}) is further in the future than the tolerance allows",
        WebhookVerificationFailure.MalformedSignature => $"header '{Header}' has an entry that is not 'version,signature'",
        WebhookVerificationFailure.SignatureWrongLength => $"header '{Header}' has a signature that is not a base64 or hex HMAC-SHA256 (32 bytes)",
        WebhookVerificationFailure.NoSupportedSignature => $"header '{Header}' has no signature of a supported version",
        WebhookVerificationFailure.SignatureMismatch => "no signature matches an active secret",
        _ => Failure.ToString(),
    };

    /// <inheritdoc />
    public override string ToString() => Reason;
}
