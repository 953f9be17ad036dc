using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ListingSync.Sdk.Testing;
using ListingSync.Sdk.Webhooks;

namespace ListingSync.Sdk.Tests.Emulator;

public class SignedWebhookBuilderTests
{
    [Fact]
    public async Task The_builder_signs_id_timestamp_and_exact_body_with_the_secret_key()
    {
        var secret = StandardWebhookSigner.NewSecret();
        var at = new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);
        using var request = new SignedWebhookBuilder(secret).WithId("msg_1").WithTimestamp(at).ListingCreated("lst_9", "urn:managem:pokemon:set/151/card/25").ToRequest(new Uri("http://localhost/hook"));

        var body = await request.Content!.ReadAsByteArrayAsync();
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, (byte[])[.. Encoding.UTF8.GetBytes($"msg_1.{at.ToUnixTimeSeconds()}."), .. body]));

        request.Headers.GetValues("webhook-id").ShouldBe(["msg_1"]);
        request.Headers.GetValues("webhook-timestamp").ShouldBe([at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        request.Headers.GetValues("webhook-signature").ShouldBe([expected]);
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("type").GetString().ShouldBe("LISTING_CREATED");
        json.RootElement.GetProperty("data").GetProperty("listing").TryGetProperty("reference", out _).ShouldBeFalse();
    }

    [Fact]
    public void A_secret_that_is_not_base64_is_refused() =>
        Should.Throw<ArgumentException>(() => new StandardWebhookSigner("whsec_***")).Message.ShouldContain("base64");
}
