using System.Net;
using ListingSync.Sdk.Http;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Testing;

namespace ListingSync.Sdk.Tests.Resilience;

public class CredentialTests
{
    private sealed class RotatingProvider : ICredentialProvider
    {
        public string Token { get; set; } = "first";

        public ValueTask<ChannelCredential?> GetCredentialAsync(string channel, SellerScope seller, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<ChannelCredential?>(seller.SellerId == "vault" ? ChannelCredential.Bearer($"{channel}:{Token}") : null);
    }

    [Fact]
    public async Task Credentials_are_read_per_request_per_seller_so_rotation_needs_no_restart()
    {
        var seen = new List<string>();
        var stub = new StubHandler((request, _) =>
        {
            seen.Add(request.Headers.Authorization!.ToString());
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") });
        });
        var provider = new RotatingProvider();
        var client = ResilienceTests.Build(stub, new FakeTimeProvider(), o => o.Sellers["shop-2"] = new SellerCredentials { ApiKey = "pat-2" }, provider);

        await client.Seller.GetStatusAsync(new SellerScope("vault"));
        provider.Token = "rotated";
        await client.Seller.GetStatusAsync(new SellerScope("vault"));
        await client.Seller.GetStatusAsync(new SellerScope("shop-2"));
        await client.Seller.GetStatusAsync(SellerScope.Default);

        seen.ShouldBe(["Bearer managem:first", "Bearer managem:rotated", "ApiKey pat-2", "Bearer token-default"]);
    }

    [Fact]
    public async Task An_unknown_seller_fails_with_a_message_naming_the_keys()
    {
        var stub = new StubHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)));
        var client = ResilienceTests.Build(stub, new FakeTimeProvider());

        var error = await Should.ThrowAsync<ListingSyncException>(() => client.Seller.GetStatusAsync(new SellerScope("stranger")));

        error.Message.ShouldContain("managem:Sellers");
        stub.Calls.ShouldBe(0);
    }

    [Fact]
    public void A_credential_never_prints_its_token()
    {
        ChannelCredential.Bearer("s3cr3t").ToString().ShouldNotContain("s3cr3t");
    }
}
