using System.Text;
using FsCheck;
using FsCheck.Fluent;
using ListingSync.Sdk.Testing;
using ListingSync.Sdk.Webhooks;

namespace ListingSync.Sdk.Tests.Webhooks;

public class SignatureVerificationTests
{
    // Standard Webhooks' published test vector, used verbatim by its reference libraries
    // (github.com/standard-webhooks/standard-webhooks, libraries/*: e.g. the PHP and Python "sign function works" tests).
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long VectorTimestamp = 1614265330;
    private const string VectorBody = "{\"test\": 2432232314}";
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static readonly DateTimeOffset VectorTime = DateTimeOffset.FromUnixTimeSeconds(VectorTimestamp);

    private FakeTimeProvider _time = new(VectorTime);
    private readonly WebhookSecret _secret = WebhookSecret.FromStandardWebhooks(VectorSecret);

    private StandardWebhooksScheme Scheme => new(_time);

    private static WebhookHeaders Headers(string? id = VectorId, string? timestamp = "1614265330", string? signature = VectorSignature)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        if (id is not null)
        {
            pairs.Add(new("webhook-id", id));
        }

        if (timestamp is not null)
        {
            pairs.Add(new("webhook-timestamp", timestamp));
        }

        if (signature is not null)
        {
            pairs.Add(new("webhook-signature", signature));
        }

        return WebhookHeaders.From(pairs);
    }

    private WebhookVerificationResult Verify(WebhookHeaders headers, string body = VectorBody, params WebhookSecret[] secrets) =>
        Scheme.Verify(headers, Encoding.UTF8.GetBytes(body), secrets.Length == 0 ? [_secret] : secrets);

    [Fact]
    public void The_published_standard_webhooks_vector_verifies_and_the_signer_reproduces_it()
    {
        var result = Verify(Headers());

        result.IsValid.ShouldBeTrue(result.Reason);
        result.MessageId.ShouldBe(VectorId);
        result.Timestamp.ShouldBe(VectorTime);
        new StandardWebhookSigner(VectorSecret).Sign(VectorId, VectorTime, Encoding.UTF8.GetBytes(VectorBody)).ShouldBe(VectorSignature);
    }

    [Fact]
    public void GitHubs_published_body_hmac_vector_verifies()
    {
        // docs.github.com, "Validating webhook deliveries" -> "Testing the webhook payload validation".
        var secret = WebhookSecret.FromText("It's a Secret to Everybody");
        var body = "Hello, World!"u8.ToArray();
        const string Signature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

        var result = BodyHmacScheme.GitHub.Verify(WebhookHeaders.From([new("X-Hub-Signature-256", Signature)]), body, [secret]);

        result.IsValid.ShouldBeTrue(result.Reason);
        BodyHmacScheme.GitHub.Sign(body, secret).ShouldBe(Signature);
        BodyHmacScheme.GitHub.Verify(WebhookHeaders.From([new("X-Hub-Signature-256", Signature)]), "Hello, World?"u8, [secret])
            .Failure.ShouldBe(WebhookVerificationFailure.SignatureMismatch);
    }

    [Fact]
    public void A_base64_body_hmac_round_trips_and_rejects_hex()
    {
        var secret = WebhookSecret.FromText("shpss_secret");
        var body = "{\"id\":1}"u8.ToArray();
        var signature = BodyHmacScheme.Shopify.Sign(body, secret);

        BodyHmacScheme.Shopify.Verify(WebhookHeaders.From([new("x-shopify-hmac-sha256", signature)]), body, [secret]).IsValid.ShouldBeTrue();
        BodyHmacScheme.Shopify.Verify(WebhookHeaders.From([new("X-Shopify-Hmac-Sha256", new string('a', 64))]), body, [secret])
            .Failure.ShouldBe(WebhookVerificationFailure.SignatureWrongLength);
    }

    [Theory]
    [InlineData("body")]
    [InlineData("id")]
    [InlineData("timestamp")]
    public void Tampering_with_the_body_id_or_timestamp_fails(string part)
    {
        var result = part switch
        {
            "body" => Verify(Headers(), "{\"test\": 2432232315}"),
            "id" => Verify(Headers(id: "msg_p5jXN8AQM9LWM0D4loKWxJel")),
            _ => Verify(Headers(timestamp: "1614265331")),
        };

        result.Failure.ShouldBe(WebhookVerificationFailure.SignatureMismatch);
        result.IsValid.ShouldBeFalse();
    }

    [Fact]
    public void The_tolerance_holds_in_both_directions_against_the_injected_clock()
    {
        // In clock order (the fake clock only moves forward): too early, inside, at the edge, past it.
        _time = new FakeTimeProvider(VectorTime - TimeSpan.FromHours(1));
        _time.SetUtcNow(VectorTime - TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Verify(Headers()).Failure.ShouldBe(WebhookVerificationFailure.TimestampInFuture);

        _time.SetUtcNow(VectorTime - TimeSpan.FromMinutes(4));
        Verify(Headers()).IsValid.ShouldBeTrue();

        _time.SetUtcNow(VectorTime + TimeSpan.FromMinutes(5));
        Verify(Headers()).IsValid.ShouldBeTrue("exactly at the edge is still inside");

        _time.SetUtcNow(VectorTime + TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var replay = Verify(Headers());
        replay.Failure.ShouldBe(WebhookVerificationFailure.TimestampTooOld);
        replay.Reason.ShouldContain("webhook-timestamp");
    }

    [Fact]
    public void A_replayed_delivery_with_a_fresh_timestamp_but_the_old_signature_fails()
    {
        _time.SetUtcNow(VectorTime + TimeSpan.FromHours(1));
        Verify(Headers(timestamp: (VectorTimestamp + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Failure.ShouldBe(WebhookVerificationFailure.SignatureMismatch);
    }

    [Fact]
    public void Any_active_secret_may_match_any_entry_while_a_secret_is_rotated()
    {
        var next = WebhookSecret.FromStandardWebhooks(StandardWebhookSigner.NewSecret());
        var unknown = WebhookSecret.FromStandardWebhooks(StandardWebhookSigner.NewSecret());
        var body = Encoding.UTF8.GetBytes(VectorBody);
        var signedByNext = StandardWebhooksScheme.Sign(VectorId, VectorTimestamp, body, next);
        var signedByBoth = StandardWebhooksScheme.Sign(VectorId, VectorTimestamp, body, unknown, next);

        signedByBoth.Split(' ').Length.ShouldBe(2);
        Verify(Headers(signature: signedByNext), VectorBody, _secret, next).IsValid.ShouldBeTrue("the new secret is active beside the old");
        Verify(Headers(), VectorBody, _secret, next).IsValid.ShouldBeTrue("the old secret still verifies during rotation");
        Verify(Headers(signature: signedByBoth), VectorBody, next).IsValid.ShouldBeTrue("the second entry matches");
        Verify(Headers(signature: signedByNext), VectorBody, _secret).Failure.ShouldBe(WebhookVerificationFailure.SignatureMismatch, "after rotation ends, the retired secret's partner no longer matches");
    }

    [Fact]
    public void No_configured_secret_fails_closed()
    {
        Scheme.Verify(Headers(), Encoding.UTF8.GetBytes(VectorBody), []).Failure.ShouldBe(WebhookVerificationFailure.NoSecret);
        BodyHmacScheme.GitHub.Verify(Headers(), "x"u8, []).Failure.ShouldBe(WebhookVerificationFailure.NoSecret);
    }

    [Theory]
    [InlineData("")]
    [InlineData("whsec_")]
    [InlineData("whsec_not*base64")]
    public void Empty_or_unreadable_secrets_are_refused(string secret) =>
        Should.Throw<ArgumentException>(() => WebhookSecret.FromStandardWebhooks(secret));

    [Fact]
    public void Header_names_are_case_insensitive()
    {
        var headers = WebhookHeaders.From([new("Webhook-Id", VectorId), new("WEBHOOK-TIMESTAMP", "1614265330"), new("webhook-Signature", VectorSignature)]);
        Verify(headers).IsValid.ShouldBeTrue();
    }

    public static TheoryData<string, string?, string?, string?, WebhookVerificationFailure> MalformedHeaders => new()
    {
        { "id missing", null, "1614265330", VectorSignature, WebhookVerificationFailure.MissingHeader },
        { "timestamp missing", VectorId, null, VectorSignature, WebhookVerificationFailure.MissingHeader },
        { "signature missing", VectorId, "1614265330", null, WebhookVerificationFailure.MissingHeader },
        { "id empty", "", "1614265330", VectorSignature, WebhookVerificationFailure.MalformedHeader },
        { "id with a space", "msg 1", "1614265330", VectorSignature, WebhookVerificationFailure.MalformedHeader },
        { "timestamp empty", VectorId, "", VectorSignature, WebhookVerificationFailure.MalformedHeader },
        { "timestamp not numeric", VectorId, "16142653x0", VectorSignature, WebhookVerificationFailure.TimestampNotNumeric },
        { "timestamp negative", VectorId, "-1614265330", VectorSignature, WebhookVerificationFailure.TimestampNotNumeric },
        { "timestamp fractional", VectorId, "1614265330.5", VectorSignature, WebhookVerificationFailure.TimestampNotNumeric },
        { "timestamp in milliseconds", VectorId, "1614265330000", VectorSignature, WebhookVerificationFailure.TimestampInMilliseconds },
        { "timestamp overflowing", VectorId, "99999999999999999999999", VectorSignature, WebhookVerificationFailure.TimestampInMilliseconds },
        { "signature empty", VectorId, "1614265330", "", WebhookVerificationFailure.MalformedHeader },
        { "signature blank", VectorId, "1614265330", "   ", WebhookVerificationFailure.MalformedHeader },
        { "entry without a comma", VectorId, "1614265330", "v1g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", WebhookVerificationFailure.MalformedSignature },
        { "entry without a version", VectorId, "1614265330", ",g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", WebhookVerificationFailure.MalformedSignature },
        { "entry without a signature", VectorId, "1614265330", "v1,", WebhookVerificationFailure.MalformedSignature },
        { "a malformed entry beside a good one", VectorId, "1614265330", VectorSignature + " garbage", WebhookVerificationFailure.MalformedSignature },
        { "signature too short", VectorId, "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1O=", WebhookVerificationFailure.SignatureWrongLength },
        { "signature too long", VectorId, "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=AAAA", WebhookVerificationFailure.SignatureWrongLength },
        { "signature not base64", VectorId, "1614265330", "v1,g0hM9SsE*OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", WebhookVerificationFailure.MalformedSignature },
        { "only an unsupported version", VectorId, "1614265330", "v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", WebhookVerificationFailure.NoSupportedSignature },
    };

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public void Every_malformed_header_form_is_rejected_with_its_reason(string form, string? id, string? timestamp, string? signature, WebhookVerificationFailure expected)
    {
        var result = Verify(Headers(id, timestamp, signature));

        result.Failure.ShouldBe(expected, form);
        result.Header.ShouldNotBeNull(form);
        result.Reason.ShouldContain(result.Header!, customMessage: form);
    }

    [Theory]
    [InlineData("webhook-id")]
    [InlineData("webhook-timestamp")]
    [InlineData("webhook-signature")]
    public void A_repeated_header_is_rejected(string name)
    {
        var pairs = new List<KeyValuePair<string, string>>
        {
            new("webhook-id", VectorId), new("webhook-timestamp", "1614265330"), new("webhook-signature", VectorSignature),
            new(name.ToUpperInvariant(), name == "webhook-timestamp" ? "1614265330" : name == "webhook-id" ? VectorId : VectorSignature),
        };

        var result = Verify(WebhookHeaders.From(pairs));

        result.Failure.ShouldBe(WebhookVerificationFailure.RepeatedHeader);
        result.Header.ShouldBe(name);
    }

    [Fact]
    public void Entries_of_other_versions_are_skipped_beside_a_good_v1()
    {
        Verify(Headers(signature: "v1a,AAAA " + VectorSignature)).IsValid.ShouldBeTrue();
        Verify(Headers(signature: "  " + VectorSignature + "  ")).IsValid.ShouldBeTrue("surrounding spaces are ignored");
    }

    [Fact]
    public void Sign_then_verify_round_trips_over_random_bodies_ids_and_secrets() =>
        Prop.ForAll(
                ArbMap.Default.ArbFor<byte[]>(),
                ArbMap.Default.ArbFor<NonEmptyString>(),
                ArbMap.Default.ArbFor<NonEmptyArray<byte>>(),
                (body, rawId, key) =>
                {
                    var id = "msg_" + Convert.ToHexString(Encoding.UTF8.GetBytes(rawId.Get))[..Math.Min(64, rawId.Get.Length * 2)];
                    var secret = WebhookSecret.FromBytes(key.Get);
                    var signature = StandardWebhooksScheme.Sign(id, VectorTimestamp, body, secret);
                    return Scheme.Verify(Headers(id, "1614265330", signature), body, [secret]).IsValid;
                })
            .QuickCheckThrowOnFailure();

    [Fact]
    public void Any_flipped_bit_in_the_body_or_signature_fails() =>
        Prop.ForAll(
                ArbMap.Default.ArbFor<NonEmptyArray<byte>>(),
                ArbMap.Default.ArbFor<PositiveInt>(),
                ArbMap.Default.ArbFor<bool>(),
                (bodyArb, position, inSignature) =>
                {
                    var body = bodyArb.Get;
                    var signature = StandardWebhooksScheme.Sign(VectorId, VectorTimestamp, body, _secret);
                    if (inSignature)
                    {
                        var mac = Convert.FromBase64String(signature[3..]);
                        var bit = position.Get % (mac.Length * 8);
                        mac[bit / 8] ^= (byte)(1 << (bit % 8));
                        signature = "v1," + Convert.ToBase64String(mac);
                    }
                    else
                    {
                        var bit = position.Get % (body.Length * 8);
                        body = [.. body];
                        body[bit / 8] ^= (byte)(1 << (bit % 8));
                    }

                    return Scheme.Verify(Headers(VectorId, "1614265330", signature), body, [_secret]).Failure == WebhookVerificationFailure.SignatureMismatch;
                })
            .QuickCheckThrowOnFailure();

    [Fact]
    public void One_secret_verifies_correctly_from_many_threads_at_once()
    {
        var other = WebhookSecret.FromStandardWebhooks(StandardWebhookSigner.NewSecret());
        var results = new bool[20_000];
        Parallel.For(0, results.Length, i =>
        {
            // Half the deliveries are good, half are signed with another key: a shared HMAC state would mix them up.
            var body = Encoding.UTF8.GetBytes($"{{\"n\":{i}}}");
            var signature = StandardWebhooksScheme.Sign(VectorId, VectorTimestamp, body, i % 2 == 0 ? _secret : other);
            results[i] = Scheme.Verify(Headers(signature: signature), body, [_secret]).IsValid;
        });

        results.Where((valid, i) => valid != (i % 2 == 0)).ShouldBeEmpty();
    }

    [Fact]
    public void Large_bodies_verify_too()
    {
        var body = new byte[300_000];
        Random.Shared.NextBytes(body);
        var signature = StandardWebhooksScheme.Sign(VectorId, VectorTimestamp, body, _secret);

        Scheme.Verify(Headers(signature: signature), body, [_secret]).IsValid.ShouldBeTrue();
        body[^1] ^= 1;
        Scheme.Verify(Headers(signature: signature), body, [_secret]).IsValid.ShouldBeFalse();
    }
}
