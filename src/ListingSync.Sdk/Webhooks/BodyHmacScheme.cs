using System.Buffers;
using System.Security.Cryptography;

namespace ListingSync.Sdk.Webhooks;

/// <summary>How a body-HMAC signature is written.</summary>
public enum SignatureEncoding
{
    /// <summary>Lower- or upper-case hexadecimal (64 characters).</summary>
    Hex,

    /// <summary>Standard base64 (44 characters).</summary>
    Base64,
}

/// <summary>
/// Verifies "an HMAC-SHA256 of the raw body in one header" schemes, e.g. GitHub (<c>X-Hub-Signature-256: sha256=&lt;hex&gt;</c>)
/// and Shopify (<c>X-Shopify-Hmac-Sha256: &lt;base64&gt;</c>). These carry no timestamp, so replays are stopped by the
/// inbox's event-id check alone. Secrets are text (their UTF-8 bytes are the key). Allocation-free.
/// </summary>
public sealed class BodyHmacScheme : IWebhookSignatureScheme
{
    private const int HmacLength = 32;

    /// <summary>Creates a scheme reading <paramref name="header"/>, whose value is <paramref name="prefix"/> then the encoded HMAC.</summary>
    public BodyHmacScheme(string header, SignatureEncoding encoding, string prefix = "")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(header);
        ArgumentNullException.ThrowIfNull(prefix);
        Header = header;
        Encoding = encoding;
        Prefix = prefix;
    }

    /// <summary>GitHub's scheme: <c>X-Hub-Signature-256: sha256=&lt;hex&gt;</c>.</summary>
    public static BodyHmacScheme GitHub { get; } = new("X-Hub-Signature-256", SignatureEncoding.Hex, "sha256=");

    /// <summary>Shopify's scheme: <c>X-Shopify-Hmac-Sha256: &lt;base64&gt;</c>.</summary>
    public static BodyHmacScheme Shopify { get; } = new("X-Shopify-Hmac-Sha256", SignatureEncoding.Base64);

    /// <summary>The header carrying the signature.</summary>
    public string Header { get; }

    /// <summary>How the HMAC is encoded.</summary>
    public SignatureEncoding Encoding { get; }

    /// <summary>Text before the encoded HMAC, e.g. <c>sha256=</c>.</summary>
    public string Prefix { get; }

    /// <inheritdoc />
    public WebhookSecret ParseSecret(string secret) => WebhookSecret.FromText(secret);

    /// <inheritdoc />
    public WebhookVerificationResult Verify(in WebhookHeaders headers, ReadOnlySpan<byte> body, IReadOnlyList<WebhookSecret> secrets)
    {
        if (secrets is null || secrets.Count == 0)
        {
            return new(WebhookVerificationFailure.NoSecret);
        }

        switch (headers.TryGetSingle(Header, out var value))
        {
            case HeaderLookup.Missing:
                return new(WebhookVerificationFailure.MissingHeader, Header);
            case HeaderLookup.Repeated:
                return new(WebhookVerificationFailure.RepeatedHeader, Header);
        }

        var text = value.AsSpan().Trim();
        if (!text.StartsWith(Prefix, StringComparison.Ordinal) || text.Length == Prefix.Length)
        {
            return new(WebhookVerificationFailure.MalformedSignature, Header);
        }

        text = text[Prefix.Length..];
        Span<byte> candidate = stackalloc byte[HmacLength];
        if (Encoding == SignatureEncoding.Hex)
        {
            if (text.Length != HmacLength * 2)
            {
                return new(WebhookVerificationFailure.SignatureWrongLength, Header);
            }

            if (Convert.FromHexString(text, candidate, out _, out _) != OperationStatus.Done)
            {
                return new(WebhookVerificationFailure.MalformedSignature, Header);
            }
        }
        else
        {
            if (text.Length != 44)
            {
                return new(WebhookVerificationFailure.SignatureWrongLength, Header);
            }

            if (!StandardWebhooksScheme.IsCanonicalBase64(text) || !Convert.TryFromBase64Chars(text, candidate, out var written) || written != HmacLength)
            {
                return new(WebhookVerificationFailure.MalformedSignature, Header);
            }
        }

        Span<byte> expected = stackalloc byte[HmacLength];
        for (var s = 0; s < secrets.Count; s++)
        {
            var hmac = secrets[s].RentHmac();
            hmac.AppendData(body);
            hmac.GetHashAndReset(expected);
            secrets[s].Return(hmac);
            if (CryptographicOperations.FixedTimeEquals(candidate, expected))
            {
                return new(WebhookVerificationFailure.None);
            }
        }

        return new(WebhookVerificationFailure.SignatureMismatch, Header);
    }

    /// <summary>The header value signing <paramref name="body"/> with <paramref name="secret"/>.</summary>
    public string Sign(ReadOnlySpan<byte> body, WebhookSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var hash = HMACSHA256.HashData(secret.Key, body);
        return Prefix + (Encoding == SignatureEncoding.Hex ? Convert.ToHexStringLower(hash) : Convert.ToBase64String(hash));
    }
}
