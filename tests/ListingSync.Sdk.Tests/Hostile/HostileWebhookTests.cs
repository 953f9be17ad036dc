using System.Net;
using System.Text;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Testing;
using ListingSync.Sdk.Tests.Webhooks;
using ListingSync.Sdk.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace ListingSync.Sdk.Tests.Hostile;

/// <summary>Issue 14, webhooks: attack and edge-case deliveries are refused or handled exactly as documented.</summary>
public class HostileWebhookTests
{
    // The Standard Webhooks specification's published example (github.com/standard-webhooks/standard-webhooks, spec/standard-webhooks.md).
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const string Body = "{\"test\": 2432232314}";
    private const string Signature = "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static readonly TimeProvider At = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1614265330));

    /// <summary>The same 32 bytes written with other values in the two unused bits of the last base64 character.</summary>
    public static TheoryData<string> NonCanonical => new(
        Signature[..42] + "M=", // 'E' = 4 -> 'F','G','H' differ only in the unused bits; 'M' changes data, kept as a control below
        Signature[..42] + "F=",
        Signature[..42] + "G=",
        Signature[..42] + "H=");

    [Fact]
    public void The_canonical_signature_verifies()
    {
        Verify(Signature).IsValid.ShouldBeTrue();
    }

    [Theory, MemberData(nameof(NonCanonical))]
    public void A_signature_differing_only_in_unused_base64_bits_or_in_data_fails(string variant)
    {
        var result = Verify(variant);

        result.IsValid.ShouldBeFalse(variant);
    }

    [Fact]
    public void A_body_hmac_in_base64_accepts_only_the_canonical_form()
    {
        var secret = WebhookSecret.FromText("shpss_secret");
        var body = "{\"id\":1}"u8.ToArray();
        var signature = BodyHmacScheme.Shopify.Sign(body, secret);
        var last = signature[42];
        var twin = signature[..42] + (char)(last is 'A' ? 'B' : last - (last - 'A') % 4 + 1) + "=";

        BodyHmacScheme.Shopify.Verify(WebhookHeaders.From([new("x-shopify-hmac-sha256", signature)]), body, [secret]).IsValid.ShouldBeTrue();
        BodyHmacScheme.Shopify.Verify(WebhookHeaders.From([new("x-shopify-hmac-sha256", twin)]), body, [secret]).IsValid.ShouldBeFalse(twin);
    }

    [Fact]
    public void One_header_name_in_two_cases_in_a_case_sensitive_dictionary_is_a_repeated_header_not_a_crash()
    {
        var headers = new Dictionary<string, StringValues>(StringComparer.Ordinal)
        {
            ["webhook-id"] = Id,
            ["Webhook-Id"] = "msg_other",
            ["webhook-timestamp"] = "1614265330",
            ["webhook-signature"] = "v1," + Signature,
        };

        var result = new StandardWebhooksScheme(At).Verify(new WebhookHeaders(headers), Encoding.UTF8.GetBytes(Body), [WebhookSecret.FromStandardWebhooks(Secret)]);

        result.IsValid.ShouldBeFalse();
        result.Reason!.ShouldContain("webhook-id");
    }

    [Theory]
    [InlineData("""{"id":"evt_1","type":"LISTING_CREATED","data":{}}{"id":"evt_2","type":"LISTING_CREATED","data":{}}""")]
    [InlineData("""{"id":"evt_1","type":"LISTING_CREATED","data":{}} garbage""")]
    [InlineData("""{"id":"evt_1","type":"LISTING_CREATED","data":{}}]""")]
    public void A_body_with_data_after_the_json_value_is_not_one_payload(string body)
    {
        var parser = new ManagemWebhookParser();

        var error = Should.Throw<WebhookPayloadException>(() => parser.Parse(Encoding.UTF8.GetBytes(body), SellerScope.Default));

        error.Field.ShouldBe("$");
    }

    [Theory]
    [InlineData("""{"listing":{"id":"lst_1","quantity":99999999999}}""", "data.listing.quantity")]
    [InlineData("""{"listing":{"id":"lst_1","available":-5}}""", "data.listing.available")]
    [InlineData("""{"listing":{"id":"lst_1","price":1e30}}""", "data.price")]
    [InlineData("""{"orderId":"o1","quantity":3000000000}""", "data.quantity")]
    public void A_number_out_of_range_in_a_payload_is_refused_naming_the_field_never_wrapped(string data, string field)
    {
        var body = $$"""{"id":"evt_1","type":"LISTING_UPDATED","data":{{data}}}""";

        var error = Should.Throw<WebhookPayloadException>(() => new ManagemWebhookParser().Parse(Encoding.UTF8.GetBytes(body), SellerScope.Default));

        error.Field.ShouldBe(field);
    }

    [Fact]
    public async Task Trailing_data_after_a_signed_body_is_answered_400_and_not_queued()
    {
        await using var host = await WebhookTestHost.StartAsync(withEmulator: false);
        var secret = StandardWebhookSigner.NewSecret();
        host.Secrets.Set(ManagemClientOptions.ChannelName, WebhookTestHost.Seller, WebhookSecret.FromStandardWebhooks(secret));
        var body = Encoding.UTF8.GetBytes("""{"id":"evt_1","type":"LISTING_CREATED","createdAt":"2026-03-01T12:00:00Z","data":{"listing":{"id":"lst_1"}}} {"id":"evt_2"}""");
        using var request = new HttpRequestMessage(HttpMethod.Post, host.Endpoint) { Content = new ByteArrayContent(body) };
        foreach (var (name, value) in new StandardWebhookSigner(secret).Headers("msg_1", DateTimeOffset.UtcNow, body))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var http = new HttpClient();
        var response = await http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        host.Inbox.Pending.ShouldBe(0);
    }

    [Fact]
    public async Task A_body_cap_of_int_max_value_takes_a_chunked_body_far_over_8_kb()
    {
        await using var host = await WebhookTestHost.StartAsync(o => o.MaxBodyBytes = int.MaxValue, withEmulator: false);
        var secret = StandardWebhookSigner.NewSecret();
        host.Secrets.Set(ManagemClientOptions.ChannelName, WebhookTestHost.Seller, WebhookSecret.FromStandardWebhooks(secret));
        var padding = new string('x', 200_000);
        var body = Encoding.UTF8.GetBytes("""{"id":"evt_big","type":"TEST","createdAt":"2026-03-01T12:00:00Z","data":{"note":""" + "\"" + padding + "\"}}");
        using var request = new HttpRequestMessage(HttpMethod.Post, host.Endpoint) { Content = new StreamContent(new MemoryStream(body)) }; // no Content-Length: chunked
        foreach (var (name, value) in new StandardWebhookSigner(secret).Headers("msg_big", DateTimeOffset.UtcNow, body))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var http = new HttpClient();
        var response = await http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private static WebhookVerificationResult Verify(string signature) =>
        new StandardWebhooksScheme(At).Verify(
            WebhookHeaders.From([new("webhook-id", Id), new("webhook-timestamp", "1614265330"), new("webhook-signature", "v1," + signature)]),
            Encoding.UTF8.GetBytes(Body),
            [WebhookSecret.FromStandardWebhooks(Secret)]);
}

/// <summary>Issue 14: deliveries deduplicated by webhook-id; a host's scheme verifies on the receiver's clock and tolerance.</summary>
public class WebhookReceiverRulesTests
{
    private static readonly DateTimeOffset Now = new(2031, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static (WebhookReceiver Receiver, IEventInbox Inbox, string Secret) Receiver(Action<WebhookOptions>? configure = null)
    {
        var time = new FakeTimeProvider(Now);
        var store = new Sdk.Mapping.InMemoryMappingStore(time);
        var inbox = new InMemoryEventInbox(store, time);
        var secrets = new WebhookSecretStore();
        var secret = StandardWebhookSigner.NewSecret();
        secrets.Set(ManagemClientOptions.ChannelName, SellerScope.Default, WebhookSecret.FromStandardWebhooks(secret));
        var options = new WebhookOptions();
        configure?.Invoke(options);
        return (new WebhookReceiver(secrets, inbox, [new ManagemWebhookParser()], Microsoft.Extensions.Options.Options.Create(options), time, null, store), inbox, secret);
    }

    private static WebhookHeaders Signed(string secret, string messageId, DateTimeOffset at, byte[] body) =>
        WebhookHeaders.From(new StandardWebhookSigner(secret).Headers(messageId, at, body));

    [Fact]
    public async Task A_redelivery_with_the_same_webhook_id_and_a_rebuilt_payload_is_a_duplicate()
    {
        var (receiver, inbox, secret) = Receiver();
        var first = Encoding.UTF8.GetBytes("""{"id":"evt_1","type":"LISTING_CREATED","createdAt":"2031-01-02T03:00:00Z","data":{"listing":{"id":"lst_1"}}}""");
        var rebuilt = Encoding.UTF8.GetBytes("""{"id":"evt_1b","type":"LISTING_CREATED","createdAt":"2031-01-02T03:00:00Z","data":{"listing":{"id":"lst_1"}}}""");

        var a = await receiver.ReceiveAsync("managem", SellerScope.Default, Signed(secret, "msg_1", Now, first), first);
        var b = await receiver.ReceiveAsync("managem", SellerScope.Default, Signed(secret, "msg_1", Now, rebuilt), rebuilt);

        a.Status.ShouldBe(WebhookReceiptStatus.Accepted);
        b.Status.ShouldBe(WebhookReceiptStatus.Duplicate);
        b.Reason!.ShouldContain("msg_1");
        inbox.Pending.ShouldBe(1);
    }

    [Fact]
    public async Task A_standard_webhooks_scheme_the_host_supplies_verifies_on_the_receivers_clock_and_tolerance()
    {
        var (receiver, _, secret) = Receiver(o =>
        {
            o.Schemes["managem"] = new StandardWebhooksScheme(); // built by the host: system clock, default tolerance
            o.Tolerance = TimeSpan.FromMinutes(1);
        });
        var body = Encoding.UTF8.GetBytes("""{"id":"evt_2","type":"TEST","createdAt":"2031-01-02T03:00:00Z","data":{}}""");

        var onTime = await receiver.ReceiveAsync("managem", SellerScope.Default, Signed(secret, "msg_2", Now, body), body);
        var late = await receiver.ReceiveAsync("managem", SellerScope.Default, Signed(secret, "msg_3", Now - TimeSpan.FromMinutes(2), body), body);

        onTime.Status.ShouldBe(WebhookReceiptStatus.Accepted); // 2031 on the receiver's (fake) clock, not the system's
        late.Status.ShouldBe(WebhookReceiptStatus.Unauthorized); // two minutes is outside WebhookOptions.Tolerance (1 min)
    }
}

/// <summary>Issue 14: one rule for webhook ids on the signing and the verifying side.</summary>
public class WebhookIdRuleTests
{
    [Theory]
    [InlineData("msg 1")]
    [InlineData("msg\t1")]
    [InlineData("")]
    [InlineData("msg\u00001")]
    public void A_signer_refuses_an_id_the_verifier_would_refuse(string id)
    {
        StandardWebhooksScheme.IsValidMessageId(id).ShouldBeFalse();
        Should.Throw<ArgumentException>(() => new StandardWebhookSigner(StandardWebhookSigner.NewSecret()).Sign(id, DateTimeOffset.UnixEpoch, "{}"u8));
    }

    [Fact]
    public void An_id_longer_than_256_characters_is_refused_on_both_sides_and_256_is_signed_and_verified()
    {
        var secret = StandardWebhookSigner.NewSecret();
        var signer = new StandardWebhookSigner(secret);
        var at = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var longest = new string('m', 256);
        var headers = WebhookHeaders.From(signer.Headers(longest, at, "{}"u8));

        new StandardWebhooksScheme(new FakeTimeProvider(at)).Verify(headers, "{}"u8, [WebhookSecret.FromStandardWebhooks(secret)]).IsValid.ShouldBeTrue();
        Should.Throw<ArgumentException>(() => signer.Sign(longest + "m", at, "{}"u8));
    }
}

/// <summary>Issue 14: a host that only receives webhooks starts without any Managem API settings.</summary>
public class WebhookOnlyHostTests
{
    [Fact]
    public async Task A_webhook_only_host_starts_without_a_managem_token_or_base_address_and_accepts_a_signed_delivery()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        services.AddListingSync()
            .AddManagemWebhookParser()
            .AddInMemoryMappingStore()
            .AddWebhooks(o => o.UseDefaultHandlers = false);
        await using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services, new Microsoft.Extensions.DependencyInjection.ServiceProviderOptions { ValidateOnBuild = true });
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>(provider).Validate(); // what the host does on start
        var receiver = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<WebhookReceiver>(provider);
        var secret = StandardWebhookSigner.NewSecret();
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<WebhookSecretStore>(provider).Set("managem", SellerScope.Default, WebhookSecret.FromStandardWebhooks(secret));
        var body = Encoding.UTF8.GetBytes("""{"id":"evt_1","type":"LISTING_CREATED","createdAt":"2026-03-01T12:00:00Z","data":{"listing":{"id":"lst_1"}}}""");

        var receipt = await receiver.ReceiveAsync("managem", SellerScope.Default, WebhookHeaders.From(new StandardWebhookSigner(secret).Headers("msg_1", DateTimeOffset.UtcNow, body)), body);

        receipt.Status.ShouldBe(WebhookReceiptStatus.Accepted);
    }
}
