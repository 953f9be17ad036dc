using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ListingSync.Sdk.Webhooks;

/// <summary>
/// Signs webhook deliveries with the Standard Webhooks scheme: headers <c>webhook-id</c>, <c>webhook-timestamp</c>
/// (Unix seconds) and <c>webhook-signature</c> = <c>v1,&lt;base64 HMAC-SHA256 of "{id}.{timestamp}.{body}"&gt;</c>, keyed
/// with the bytes of a <c>whsec_</c> secret. Used by the emulators, and by hosts to build signed requests in tests.
/// </summary>
public sealed class StandardWebhookSigner
{
    /// <summary>The id header.</summary>
    public const string IdHeader = "webhook-id";

    /// <summary>The timestamp header.</summary>
    public const string TimestampHeader = "webhook-timestamp";

    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "webhook-signature";

    private const string SecretPrefix = "whsec_";
    private readonly byte[] _key;

    /// <summary>Creates a signer for <paramref name="secret"/> (<c>whsec_</c> + base64 key; the prefix is optional).</summary>
    /// <exception cref="ArgumentException">The secret is empty or not base64.</exception>
    public StandardWebhookSigner(string secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        try
        {
            _key = Convert.FromBase64String(encoded);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException("A Standard Webhooks secret is 'whsec_' followed by base64.", nameof(secret), ex);
        }

        if (_key.Length == 0)
        {
            throw new ArgumentException("The secret's key is empty.", nameof(secret));
        }
    }

    /// <summary>Creates a new random secret (<c>whsec_</c> + 32 random bytes in base64).</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The signature header value (<c>v1,&lt;base64&gt;</c>) of one delivery.</summary>
    public string Sign(string messageId, DateTimeOffset timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        var prefix = Encoding.UTF8.GetBytes($"{messageId}.{timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}.");
        var payload = new byte[prefix.Length + body.Length];
        prefix.CopyTo(payload, 0);
        body.CopyTo(payload.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(_key, payload));
    }

    /// <summary>All three headers of one delivery.</summary>
    public IReadOnlyDictionary<string, string> Headers(string messageId, DateTimeOffset timestamp, ReadOnlySpan<byte> body) => new Dictionary<string, string>
    {
        [IdHeader] = messageId,
        [TimestampHeader] = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        [SignatureHeader] = Sign(messageId, timestamp, body),
    };
}
