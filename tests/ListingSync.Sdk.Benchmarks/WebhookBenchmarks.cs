using Microsoft.Extensions.Time.Testing;
using System.Text;
using BenchmarkDotNet.Attributes;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Testing;
using ListingSync.Sdk.Webhooks;
using Microsoft.Extensions.Primitives;

namespace ListingSync.Sdk.Benchmarks;

/// <summary>
/// Verifying one 1 KB delivery (targets: at least 250,000 per second on one core, no heap allocation, and no slower
/// than the <c>StandardWebhooks</c> NuGet package's own verify of the same delivery, measured side by side here), and
/// the receive path: verify + parse + accept into the in-memory inbox and take it out again (target: at least 100,000
/// events per second).
/// </summary>
[MemoryDiagnoser]
public class WebhookBenchmarks
{
    private const int Events = 10_000;
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    private static readonly SellerScope Seller = new("bench");
    private readonly FakeTimeProvider _time = new(Now);
    private WebhookSecret[] _secrets = null!;
    private StandardWebhooksScheme _scheme = null!;
    private byte[] _body = null!;
    private WebhookHeaders _headers;
    private BodyHmacScheme _github = null!;
    private WebhookHeaders _githubHeaders;
    private WebhookSecret[] _githubSecrets = null!;
    private (WebhookHeaders Headers, byte[] Body)[] _deliveries = null!;
    private ManagemWebhookParser _parser = null!;
    private StandardWebhooks.StandardWebhook _peer = null!;
    private string _peerPayload = null!;
    private Microsoft.AspNetCore.Http.HeaderDictionary _peerHeaders = null!;

    [GlobalSetup]
    public void Setup()
    {
        var secret = StandardWebhookSigner.NewSecret();
        _secrets = [WebhookSecret.FromStandardWebhooks(secret)];
        _scheme = new StandardWebhooksScheme(_time);
        _body = Encoding.UTF8.GetBytes(Payload("evt_bench", 1024));
        _headers = Headers(new StandardWebhookSigner(secret).Headers("evt_bench", Now, _body));
        if (!_scheme.Verify(_headers, _body, _secrets).IsValid)
        {
            throw new InvalidOperationException("benchmark delivery does not verify");
        }

        _githubSecrets = [WebhookSecret.FromText("It's a Secret to Everybody")];
        _github = BodyHmacScheme.GitHub;
        _githubHeaders = Headers(new Dictionary<string, string> { ["X-Hub-Signature-256"] = _github.Sign(_body, _githubSecrets[0]) });

        var signer = new StandardWebhookSigner(secret);
        _deliveries = new (WebhookHeaders, byte[])[Events];
        for (var i = 0; i < Events; i++)
        {
            var id = $"evt_{i:D7}";
            var body = Encoding.UTF8.GetBytes(Payload(id, 0));
            _deliveries[i] = (Headers(signer.Headers(id, Now, body)), body);
        }

        _parser = new ManagemWebhookParser();

        // The peer reads the wall clock (no TimeProvider), so its delivery is signed "now"; same secret, same 1 KB body.
        _peer = new StandardWebhooks.StandardWebhook(secret);
        _peerPayload = Encoding.UTF8.GetString(_body);
        _peerHeaders = new Microsoft.AspNetCore.Http.HeaderDictionary();
        foreach (var (name, value) in new StandardWebhookSigner(secret).Headers("evt_bench", DateTimeOffset.UtcNow, _body))
        {
            _peerHeaders[name] = value;
        }

        _peer.Verify(_peerPayload, _peerHeaders); // throws if the peer disagrees with our signer
    }

    private static WebhookHeaders Headers(IReadOnlyDictionary<string, string> values)
    {
        var headers = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in values)
        {
            headers[name] = value;
        }

        return new WebhookHeaders(headers);
    }

    /// <summary>A LISTING_UPDATED payload, padded with a description to at least <paramref name="size"/> bytes.</summary>
    private static string Payload(string id, int size)
    {
        var core = $"{{\"id\":\"{id}\",\"type\":\"LISTING_UPDATED\",\"createdAt\":\"2027-01-15T08:00:00Z\",\"data\":{{\"listing\":{{\"id\":\"lst_{id[4..]}\",\"urn\":\"urn:managem:pokemon:set/151/card/25\",\"condition\":\"NM\",\"price\":150,\"quantity\":3,\"available\":3,\"hidden\":false,\"updatedAt\":\"2027-01-15T08:00:00Z\"}}";
        var padding = Math.Max(0, size - core.Length - 20);
        return core + (padding > 0 ? $",\"note\":\"{new string('x', padding)}\"" : "") + "}}";
    }

    [Benchmark(Description = "Verify Standard Webhooks, 1 KB")]
    public bool VerifyStandardWebhooks() => _scheme.Verify(_headers, _body, _secrets).IsValid;

    [Benchmark(Description = "Peer: StandardWebhooks package Verify, 1 KB")]
    public bool VerifyWithStandardWebhooksPackage()
    {
        _peer.Verify(_peerPayload, _peerHeaders);
        return true;
    }

    [Benchmark(Description = "Verify body HMAC (GitHub), 1 KB")]
    public bool VerifyBodyHmac() => _github.Verify(_githubHeaders, _body, _githubSecrets).IsValid;

    [Benchmark(Description = "Verify + parse + inbox, per event", OperationsPerInvoke = Events)]
    public async Task<int> VerifyParseInbox()
    {
        var inbox = new InMemoryEventInbox(new InMemoryMappingStore(), _time);
        var handled = 0;
        foreach (var (headers, body) in _deliveries)
        {
            if (!_scheme.Verify(headers, body, _secrets).IsValid)
            {
                throw new InvalidOperationException("a delivery failed verification");
            }

            var listingEvent = _parser.Parse(body, Seller);
            if (await inbox.AcceptAsync(listingEvent) && inbox.TryTake(out var item))
            {
                await inbox.CompleteAsync(item!);
                handled++;
            }
        }

        return handled == Events ? handled : throw new InvalidOperationException($"{handled} of {Events} handled");
    }
}
