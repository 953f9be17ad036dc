using System.Security.Cryptography;
using System.Text;

namespace ListingSync.Sdk.Webhooks;

/// <summary>
/// A key that signs webhook deliveries. Build it once (parsing allocates) and hand the same instance to every
/// verification. Several secrets may be active at once while a secret is rotated.
/// </summary>
public sealed class WebhookSecret
{
    private const string StandardPrefix = "whsec_";
    private readonly byte[] _key;

    // A keyed HMAC kept for reuse: re-keying per call costs as much as hashing a 1 KB body. Rented and returned with
    // Interlocked, so verification stays thread-safe and allocation-free once warm (a second instance is made only
    // while two threads verify with this secret at the same moment).
    private IncrementalHash? _hmac;

    private WebhookSecret(byte[] key) => _key = key;

    /// <summary>The HMAC key.</summary>
    public ReadOnlySpan<byte> Key => _key;

    /// <summary>Takes a keyed HMAC-SHA256 ready for data; hand it back with <see cref="Return"/>.</summary>
    internal IncrementalHash RentHmac() => Interlocked.Exchange(ref _hmac, null) ?? IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);

    /// <summary>Gives back an HMAC from <see cref="RentHmac"/> after <see cref="IncrementalHash.GetHashAndReset(Span{byte})"/>.</summary>
    internal void Return(IncrementalHash hmac)
    {
        if (Interlocked.CompareExchange(ref _hmac, hmac, null) is not null)
        {
            hmac.Dispose();
        }
    }

    /// <summary>
    /// A Standard Webhooks secret: <c>whsec_</c> followed by the base64 key (the prefix is optional, as in the
    /// reference libraries). Managem's webhook <c>secret</c> is read this way by default.
    /// </summary>
    /// <exception cref="ArgumentException">The secret is empty, not base64, or decodes to an empty key.</exception>
    public static WebhookSecret FromStandardWebhooks(string secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        var encoded = secret.StartsWith(StandardPrefix, StringComparison.Ordinal) ? secret[StandardPrefix.Length..] : secret;
        byte[] key;
        try
        {
            key = Convert.FromBase64String(encoded);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException("A Standard Webhooks secret is 'whsec_' followed by base64.", nameof(secret), ex);
        }

        return key.Length == 0 ? throw new ArgumentException("The secret's key is empty.", nameof(secret)) : new WebhookSecret(key);
    }

    /// <summary>A secret used as text (its UTF-8 bytes are the key), as GitHub and Shopify do.</summary>
    /// <exception cref="ArgumentException">The secret is empty.</exception>
    public static WebhookSecret FromText(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return new WebhookSecret(Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>A secret given as its key bytes (copied).</summary>
    /// <exception cref="ArgumentException">The key is empty.</exception>
    public static WebhookSecret FromBytes(ReadOnlySpan<byte> key) =>
        key.IsEmpty ? throw new ArgumentException("The key is empty.", nameof(key)) : new WebhookSecret(key.ToArray());
}
