using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ListingSync.Sdk.Webhooks;

/// <summary>
/// Verifies Standard Webhooks deliveries (https://www.standardwebhooks.com): <c>webhook-id</c>, <c>webhook-timestamp</c>
/// (Unix seconds) and <c>webhook-signature</c>, a space-separated list of <c>v1,&lt;base64 HMAC-SHA256&gt;</c> entries
/// over <c>{id}.{timestamp}.{body}</c>. Any active secret may match any entry (rotation); comparison is constant-time;
/// the timestamp must lie within <see cref="Tolerance"/> of now in both directions. Entries of other versions
/// (e.g. <c>v1a</c>) are skipped; a malformed entry fails the delivery. Allocation-free for bodies of any size (the keyed HMAC is reused per secret).
/// </summary>
public sealed class StandardWebhooksScheme : IWebhookSignatureScheme
{
    /// <summary>The id header.</summary>
    public const string IdHeader = "webhook-id";

    /// <summary>The timestamp header.</summary>
    public const string TimestampHeader = "webhook-timestamp";

    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "webhook-signature";

    /// <summary>The tolerance Standard Webhooks recommends.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    private const int HmacLength = 32;
    private const int Base64HmacLength = 44;

    /// <summary>
    /// True when <paramref name="encoded"/> is the one canonical base64 form of a 32-byte HMAC: 43 characters and one
    /// <c>=</c>, with the two unused bits of the last character zero. A decoder ignores those bits, so without this check
    /// every signature could be written four ways.
    /// </summary>
    internal static bool IsCanonicalBase64(ReadOnlySpan<char> encoded)
    {
        if (encoded.Length != Base64HmacLength || encoded[43] != '=')
        {
            return false;
        }

        var last = encoded[42];
        var value = last switch
        {
            >= 'A' and <= 'Z' => last - 'A',
            >= 'a' and <= 'z' => last - 'a' + 26,
            >= '0' and <= '9' => last - '0' + 52,
            '+' => 62,
            '/' => 63,
            _ => -1,
        };
        return value >= 0 && (value & 0b11) == 0;
    }
    private const int MaxIdLength = 256;
    private readonly TimeProvider _time;

    /// <summary>Creates the scheme with a clock and a tolerance (default 5 minutes).</summary>
    public StandardWebhooksScheme(TimeProvider? timeProvider = null, TimeSpan? tolerance = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        Tolerance = tolerance ?? DefaultTolerance;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Tolerance, TimeSpan.Zero, nameof(tolerance));
    }

    /// <summary>How far the signed timestamp may lie from now, either way.</summary>
    public TimeSpan Tolerance { get; }

    /// <inheritdoc />
    public WebhookSecret ParseSecret(string secret) => WebhookSecret.FromStandardWebhooks(secret);

    /// <inheritdoc />
    public WebhookVerificationResult Verify(in WebhookHeaders headers, ReadOnlySpan<byte> body, IReadOnlyList<WebhookSecret> secrets)
    {
        if (secrets is null || secrets.Count == 0)
        {
            return new(WebhookVerificationFailure.NoSecret);
        }

        if (Single(headers, IdHeader, out var id) is { } idFailure)
        {
            return idFailure;
        }

        if (!IsValidMessageId(id))
        {
            return new(WebhookVerificationFailure.MalformedHeader, IdHeader);
        }

        if (Single(headers, TimestampHeader, out var timestampText) is { } timestampFailure)
        {
            return timestampFailure;
        }

        if (!IsDigits(timestampText))
        {
            return new(WebhookVerificationFailure.TimestampNotNumeric, TimestampHeader, id);
        }

        // Seconds reach 11 digits in the year 5138; milliseconds have had 13 since 2001.
        if (timestampText.Length > 11 || !long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 99_999_999_999)
        {
            return new(WebhookVerificationFailure.TimestampInMilliseconds, TimestampHeader, id);
        }

        var timestamp = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var now = _time.GetUtcNow();
        if (now - timestamp > Tolerance)
        {
            return new(WebhookVerificationFailure.TimestampTooOld, TimestampHeader, id, timestamp);
        }

        if (timestamp - now > Tolerance)
        {
            return new(WebhookVerificationFailure.TimestampInFuture, TimestampHeader, id, timestamp);
        }

        if (Single(headers, SignatureHeader, out var signatureText) is { } signatureFailure)
        {
            return signatureFailure;
        }

        var signatures = signatureText.AsSpan().Trim(' ');
        if (signatures.IsEmpty)
        {
            return new(WebhookVerificationFailure.MalformedHeader, SignatureHeader, id, timestamp);
        }

        // First pass: every entry well formed; at least one v1.
        Span<byte> candidate = stackalloc byte[HmacLength];
        var supported = 0;
        foreach (var range in signatures.Split(' '))
        {
            var entry = signatures[range];
            var comma = entry.IndexOf(',');
            if (comma <= 0 || comma == entry.Length - 1)
            {
                return new(WebhookVerificationFailure.MalformedSignature, SignatureHeader, id, timestamp);
            }

            if (!entry[..comma].SequenceEqual("v1"))
            {
                continue;
            }

            var encoded = entry[(comma + 1)..];
            if (encoded.Length != Base64HmacLength)
            {
                return new(WebhookVerificationFailure.SignatureWrongLength, SignatureHeader, id, timestamp);
            }

            if (!IsCanonicalBase64(encoded) || !Convert.TryFromBase64Chars(encoded, candidate, out var written) || written != HmacLength)
            {
                return new(WebhookVerificationFailure.MalformedSignature, SignatureHeader, id, timestamp);
            }

            supported++;
        }

        if (supported == 0)
        {
            return new(WebhookVerificationFailure.NoSupportedSignature, SignatureHeader, id, timestamp);
        }

        // Second pass: HMAC "{id}.{timestamp}.{body}" with each secret (fed in parts, never copied together), then
        // compare against each v1 entry.
        Span<byte> prefix = stackalloc byte[MaxIdLength * 3 + 1 + 11 + 1];
        var prefixLength = Encoding.UTF8.GetBytes(id, prefix);
        prefix[prefixLength++] = (byte)'.';
        prefixLength += Encoding.ASCII.GetBytes(timestampText, prefix[prefixLength..]);
        prefix[prefixLength++] = (byte)'.';
        Span<byte> expected = stackalloc byte[HmacLength];
        for (var s = 0; s < secrets.Count; s++)
        {
            var hmac = secrets[s].RentHmac();
            hmac.AppendData(prefix[..prefixLength]);
            hmac.AppendData(body);
            hmac.GetHashAndReset(expected);
            secrets[s].Return(hmac);
            foreach (var range in signatures.Split(' '))
            {
                var entry = signatures[range];
                if (!entry.StartsWith("v1,"))
                {
                    continue;
                }

                Convert.TryFromBase64Chars(entry[3..], candidate, out _);
                if (CryptographicOperations.FixedTimeEquals(candidate, expected))
                {
                    return new(WebhookVerificationFailure.None, null, id, timestamp);
                }
            }
        }

        return new(WebhookVerificationFailure.SignatureMismatch, SignatureHeader, id, timestamp);
    }

    /// <summary>
    /// The one rule for a <c>webhook-id</c>, on both sides (signers refuse what the verifier would): 1 to 256 characters,
    /// none of them white space or a control character.
    /// </summary>
    public static bool IsValidMessageId(string? messageId)
    {
        if (messageId is not { Length: > 0 and <= MaxIdLength })
        {
            return false;
        }

        foreach (var c in messageId)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Signs one delivery with every secret given: the <c>webhook-signature</c> value.</summary>
    /// <exception cref="ArgumentException"><paramref name="messageId"/> breaks <see cref="IsValidMessageId"/>: the verifier would refuse it.</exception>
    public static string Sign(string messageId, long timestampSeconds, ReadOnlySpan<byte> body, params IReadOnlyList<WebhookSecret> secrets)
    {
        if (!IsValidMessageId(messageId))
        {
            throw new ArgumentException($"'{messageId}' is not a valid webhook-id: 1 to {MaxIdLength} characters, no white space or control characters (the verifier refuses anything else).", nameof(messageId));
        }

        ArgumentNullException.ThrowIfNull(secrets);
        var prefix = Encoding.UTF8.GetBytes($"{messageId}.{timestampSeconds.ToString(CultureInfo.InvariantCulture)}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return string.Join(' ', secrets.Select(s => "v1," + Convert.ToBase64String(HMACSHA256.HashData(s.Key, content))));
    }

    private static WebhookVerificationResult? Single(in WebhookHeaders headers, string name, out string value) =>
        headers.TryGetSingle(name, out value) switch
        {
            HeaderLookup.Missing => new WebhookVerificationResult(WebhookVerificationFailure.MissingHeader, name),
            HeaderLookup.Repeated => new WebhookVerificationResult(WebhookVerificationFailure.RepeatedHeader, name),
            _ when value.Length == 0 => new WebhookVerificationResult(WebhookVerificationFailure.MalformedHeader, name),
            _ => null,
        };

    private static bool IsDigits(string text)
    {
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return text.Length > 0;
    }
}
