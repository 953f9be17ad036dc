namespace ListingSync.Sdk.Webhooks;

/// <summary>
/// How a marketplace signs webhook deliveries. <see cref="StandardWebhooksScheme"/> is the default (Managem's exact
/// scheme is not published); <see cref="BodyHmacScheme"/> covers "an HMAC of the raw body in one header" providers.
/// Implementations never throw on bad input: they return a failed result with the reason.
/// </summary>
public interface IWebhookSignatureScheme
{
    /// <summary>Verifies the exact bytes received against every active secret.</summary>
    WebhookVerificationResult Verify(in WebhookHeaders headers, ReadOnlySpan<byte> body, IReadOnlyList<WebhookSecret> secrets);

    /// <summary>Reads a secret as this scheme expects it (e.g. <c>whsec_</c> base64, or text).</summary>
    WebhookSecret ParseSecret(string secret);
}
