namespace ListingSync.Sdk.Webhooks;

/// <summary>Why a webhook failed verification (<see cref="None"/> when it passed).</summary>
public enum WebhookVerificationFailure
{
    /// <summary>Verified.</summary>
    None,

    /// <summary>No secret is configured for this channel and seller: verification fails closed.</summary>
    NoSecret,

    /// <summary>A required header is absent.</summary>
    MissingHeader,

    /// <summary>A header that must appear once appears several times.</summary>
    RepeatedHeader,

    /// <summary>A header is empty or badly formed.</summary>
    MalformedHeader,

    /// <summary>The timestamp is not a whole number of seconds.</summary>
    TimestampNotNumeric,

    /// <summary>The timestamp looks like milliseconds, not seconds.</summary>
    TimestampInMilliseconds,

    /// <summary>The timestamp is older than the tolerance allows (a replay, or a very late retry).</summary>
    TimestampTooOld,

    /// <summary>The timestamp is further in the future than the tolerance allows.</summary>
    TimestampInFuture,

    /// <summary>A signature entry is not <c>version,signature</c>.</summary>
    MalformedSignature,

    /// <summary>A signature does not decode to the length of an HMAC-SHA256.</summary>
    SignatureWrongLength,

    /// <summary>No signature uses a version this scheme supports (Standard Webhooks: <c>v1</c>).</summary>
    NoSupportedSignature,

    /// <summary>No signature matches any active secret: the body, id or timestamp was altered, or the secret is wrong.</summary>
    SignatureMismatch,
}
