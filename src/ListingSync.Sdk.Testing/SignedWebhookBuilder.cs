using System.Text;
using System.Text.Json;
using ListingSync.Sdk.Testing.Managem;
using ListingSync.Sdk.Webhooks;

namespace ListingSync.Sdk.Testing;

/// <summary>
/// Builds webhook deliveries signed the way the emulator (and, by default, the SDK) expects: a Managem-shaped
/// JSON body with Standard Webhooks headers. For hosts' own endpoint tests.
/// </summary>
/// <example>
/// <code>
/// using var request = new SignedWebhookBuilder(secret).ListingCreated("lst_1", "urn:managem:pokemon:set/151/card/25").ToRequest(endpoint);
/// var response = await client.SendAsync(request);
/// </code>
/// </example>
public sealed class SignedWebhookBuilder
{
    private readonly string _secret;
    private string _id = "evt_" + Guid.NewGuid().ToString("N");
    private DateTimeOffset _timestamp;
    private byte[]? _raw;
    private (string Type, object Data, DateTimeOffset? CreatedAt) _event;

    /// <summary>Creates a builder signing with <paramref name="secret"/> (<c>whsec_…</c>).</summary>
    /// <param name="secret">The endpoint's secret.</param>
    /// <param name="timeProvider">The clock the signing timestamp is read from (the receiver's, in a test with a fake clock); default the system clock.</param>
    public SignedWebhookBuilder(string secret, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        _secret = secret;
        _timestamp = (timeProvider ?? TimeProvider.System).GetUtcNow();
        _event = ("TEST", new { message = "test" }, null);
    }

    /// <summary>The message id (also the event id in the body).</summary>
    public string Id => _id;

    /// <summary>The exact bytes that are signed.</summary>
    public ReadOnlyMemory<byte> Body => Render();

    /// <summary>Sets the message and event id.</summary>
    public SignedWebhookBuilder WithId(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        _id = id;
        return this;
    }

    /// <summary>Sets the signing timestamp (for skew tests).</summary>
    public SignedWebhookBuilder WithTimestamp(DateTimeOffset timestamp)
    {
        _timestamp = timestamp;
        return this;
    }

    /// <summary>Uses a raw body as is (for malformed-payload tests).</summary>
    public SignedWebhookBuilder WithRawBody(string body)
    {
        _raw = Encoding.UTF8.GetBytes(body);
        return this;
    }

    /// <summary>A Managem event body: <c>{ id, type, createdAt, data }</c>, rendered with the id and timestamp current when it is sent.</summary>
    public SignedWebhookBuilder Event(string type, object data, DateTimeOffset? createdAt = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentNullException.ThrowIfNull(data);
        _event = (type, data, createdAt);
        _raw = null;
        return this;
    }

    /// <summary>A <c>LISTING_CREATED</c> event (Managem payloads carry no <c>reference</c>).</summary>
    public SignedWebhookBuilder ListingCreated(string listingId, string urn, long pricePence = 100, int quantity = 1, DateTimeOffset? updatedAt = null) =>
        Event("LISTING_CREATED", new { listing = new { id = listingId, urn, price = pricePence, quantity, available = quantity, hidden = false, updatedAt = updatedAt ?? _timestamp } });

    /// <summary>The three Standard Webhooks headers for the current id, timestamp and body.</summary>
    public IReadOnlyDictionary<string, string> Headers() => new StandardWebhookSigner(_secret).Headers(_id, _timestamp, Render());

    /// <summary>A POST to <paramref name="endpoint"/> with the body and signature headers.</summary>
    public HttpRequestMessage ToRequest(Uri endpoint)
    {
        var body = Render();
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in new StandardWebhookSigner(_secret).Headers(_id, _timestamp, body))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private byte[] Render() => _raw ?? JsonSerializer.SerializeToUtf8Bytes(
        new { id = _id, type = _event.Type, createdAt = _event.CreatedAt ?? _timestamp, data = _event.Data },
        ManagemEmulator.Json);
}
