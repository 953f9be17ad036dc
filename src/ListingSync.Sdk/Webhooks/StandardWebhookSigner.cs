using System.Globalization;
using System.Security.Cryptography;

namespace ListingSync.Sdk.Webhooks;

/// <summary>
/// Signs webhook deliveries with the Standard Webhooks scheme that <see cref="StandardWebhooksScheme"/> verifies:
/// headers <c>webhook-id</c>, <c>webhook-timestamp</c> (Unix seconds) and <c>webhook-signature</c> =
/// <c>v1,&lt;base64 HMAC-SHA256 of "{id}.{timestamp}.{body}"&gt;</c>, one entry per secret. Used by the emulators, and by
/// hosts to build signed requests in their tests.
/// </summary>
public sealed class StandardWebhookSigner
{
    /// <summary>The id header.</summary>
    public const string IdHeader = StandardWebhooksScheme.IdHeader;

    /// <summary>The timestamp header.</summary>
    public const string TimestampHeader = StandardWebhooksScheme.TimestampHeader;

    /// <summary>The signature header.</summary>
    public const string SignatureHeader = StandardWebhooksScheme.SignatureHeader;

    private readonly WebhookSecret[] _secrets;

    /// <summary>Creates a signer for one or more <c>whsec_</c> secrets (several while a secret is rotated).</summary>
    /// <exception cref="ArgumentException">No secret, or a secret that is empty or not base64.</exception>
    public StandardWebhookSigner(params string[] secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (secrets.Length == 0)
        {
            throw new ArgumentException("At least one secret is needed.", nameof(secrets));
        }

        _secrets = [.. secrets.Select(WebhookSecret.FromStandardWebhooks)];
    }

    /// <summary>Creates a new random secret (<c>whsec_</c> + 32 random bytes in base64).</summary>
    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The signature header value of one delivery: a <c>v1,&lt;base64&gt;</c> entry per secret, space-separated.</summary>
    public string Sign(string messageId, DateTimeOffset timestamp, ReadOnlySpan<byte> body) =>
        StandardWebhooksScheme.Sign(messageId, timestamp.ToUnixTimeSeconds(), body, _secrets);

    /// <summary>All three headers of one delivery.</summary>
    public IReadOnlyDictionary<string, string> Headers(string messageId, DateTimeOffset timestamp, ReadOnlySpan<byte> body) => new Dictionary<string, string>
    {
        [IdHeader] = messageId,
        [TimestampHeader] = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        [SignatureHeader] = Sign(messageId, timestamp, body),
    };
}
