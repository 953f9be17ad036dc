using System.Net;
using ListingSync.Sdk.Channels.Managem;
using RichardSzalay.MockHttp;
using static ListingSync.Sdk.Tests.ManagemTestHost;

namespace ListingSync.Sdk.Tests.Managem;

public class ManagemWebhookTests
{
    private const string WebhookJson = """
        {"id":"wh_1","url":"https://host.example/webhooks/managem","enabled":false,"additionalHeaders":{"X-Env":"prod"},"secret":"whsec_c2VjcmV0",
         "lastSuccessAt":null,"lastFailureAt":null,"consecutiveFailures":0,"maxConsecutiveFailures":10,
         "createdAt":"2026-03-01T12:00:00Z","updatedAt":"2026-03-01T12:00:00Z","subscriptions":["LISTING_CREATED","LISTING_UPDATED"],"description":"sync"}
        """;

    [Fact]
    public async Task Create_posts_the_endpoint_disabled_by_default_and_maps_the_answer()
    {
        var mock = new MockHttpMessageHandler();
        string? body = null;
        mock.Expect(HttpMethod.Post, Base + "seller/webhooks").With(r => (body = r.Content!.ReadAsStringAsync().Result) is not null).Respond("application/json", WebhookJson);
        using var host = new ManagemTestHost(mock);

        var webhook = await host.Client.Webhooks.CreateAsync(Seller, new ManagemWebhookCreateRequest
        {
            Url = "https://host.example/webhooks/managem",
            Subscriptions = ManagemEventTypes.SyncSubscriptions,
            Description = "sync",
            AdditionalHeaders = new Dictionary<string, string> { ["X-Env"] = "prod" },
        });

        Pretty(body!).ShouldMatchApproved(c => c.SubFolder("../Approved").WithDiscriminator("webhook-create"));
        webhook.Id.ShouldBe("wh_1");
        webhook.Enabled.ShouldBeFalse();
        webhook.Secret.ShouldBe("whsec_c2VjcmV0");
        webhook.MaxConsecutiveFailures.ShouldBe(10);
        webhook.Subscriptions.ShouldBe(["LISTING_CREATED", "LISTING_UPDATED"]);
        webhook.AdditionalHeaders!["X-Env"].ShouldBe("prod");
    }

    [Fact]
    public async Task List_get_update_subscriptions_and_delete_use_the_documented_routes()
    {
        var mock = new MockHttpMessageHandler();
        string? patch = null, put = null;
        mock.Expect(HttpMethod.Get, Base + "seller/webhooks").Respond("application/json", $"[{WebhookJson}]");
        mock.Expect(HttpMethod.Get, Base + "seller/webhooks/wh_1").Respond("application/json", WebhookJson);
        mock.Expect(HttpMethod.Get, Base + "seller/webhooks/nope").Respond(HttpStatusCode.NotFound);
        mock.Expect(HttpMethod.Patch, Base + "seller/webhooks/wh_1").With(r => (patch = r.Content!.ReadAsStringAsync().Result) is not null).Respond("application/json", WebhookJson.Replace("\"enabled\":false", "\"enabled\":true", StringComparison.Ordinal));
        mock.Expect(HttpMethod.Put, Base + "seller/webhooks/wh_1/subscriptions").With(r => (put = r.Content!.ReadAsStringAsync().Result) is not null).Respond("application/json", WebhookJson);
        mock.Expect(HttpMethod.Delete, Base + "seller/webhooks/wh_1").Respond(HttpStatusCode.NoContent);
        using var host = new ManagemTestHost(mock);

        (await host.Client.Webhooks.ListAsync(Seller)).ShouldHaveSingleItem().Id.ShouldBe("wh_1");
        (await host.Client.Webhooks.GetAsync(Seller, "wh_1")).ShouldNotBeNull();
        (await host.Client.Webhooks.GetAsync(Seller, "nope")).ShouldBeNull();
        (await host.Client.Webhooks.UpdateAsync(Seller, "wh_1", new ManagemWebhookUpdateRequest { Enabled = true })).Enabled.ShouldBeTrue();
        await host.Client.Webhooks.SetSubscriptionsAsync(Seller, "wh_1", [ManagemEventTypes.ListingDeleted, ManagemEventTypes.OrderCreated]);
        (await host.Client.Webhooks.DeleteAsync(Seller, "wh_1")).ShouldBeTrue();

        mock.VerifyNoOutstandingExpectation();
        patch.ShouldBe("""{"enabled":true}""");
        put.ShouldBe("""{"events":["LISTING_DELETED","ORDER_CREATED"]}""");
    }

    [Fact]
    public async Task Test_delivery_returns_the_status_code_the_endpoint_answered()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Post, Base + "seller/webhooks/wh_1/test").Respond("application/json", """{"statusCode":500,"responseTime":31}""");
        mock.Expect(HttpMethod.Post, Base + "seller/webhooks/wh_1/test").Respond("application/json", """{"statusCode":200,"responseTime":12}""");
        using var host = new ManagemTestHost(mock);

        var failing = await host.Client.Webhooks.TestAsync(Seller, "wh_1");
        var passing = await host.Client.Webhooks.TestAsync(Seller, "wh_1");

        failing.StatusCode.ShouldBe(500);
        failing.IsOk.ShouldBeFalse();
        passing.IsOk.ShouldBeTrue();
        passing.ResponseTime.ShouldBe(12);
    }

    [Fact]
    public async Task Failures_are_listed_with_the_limit_in_the_query()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Get, Base + "seller/webhooks/wh_1/failures").WithExactQueryString("limit=100")
            .Respond("application/json", """{"failures":[{"id":"f1","responseStatusCode":503,"responseTime":5000,"reason":"timeout","harKey":"k","createdAt":"2026-03-01T12:00:00Z"}]}""");
        using var host = new ManagemTestHost(mock);

        var failure = (await host.Client.Webhooks.ListFailuresAsync(Seller, "wh_1", limit: 100)).ShouldHaveSingleItem();

        failure.ResponseStatusCode.ShouldBe(503);
        failure.Reason.ShouldBe("timeout");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task Failures_limit_outside_1_to_100_is_refused_before_sending(int limit)
    {
        var mock = new MockHttpMessageHandler();
        using var host = new ManagemTestHost(mock);

        var error = await Should.ThrowAsync<ListingSyncValidationException>(() => host.Client.Webhooks.ListFailuresAsync(Seller, "wh_1", limit));

        error.Errors.ShouldHaveSingleItem().ShouldBe(new FieldError("limit", "range", $"must be between 1 and 100 (was {limit})"));
    }

    [Fact]
    public async Task Webhook_url_subscriptions_and_description_are_validated_before_sending()
    {
        var mock = new MockHttpMessageHandler();
        using var host = new ManagemTestHost(mock);

        var error = await Should.ThrowAsync<ListingSyncValidationException>(() => host.Client.Webhooks.CreateAsync(Seller, new ManagemWebhookCreateRequest
        {
            Url = "ftp://nope",
            Subscriptions = [],
            Description = new string('d', 1025),
        }));

        error.Errors.Select(e => (e.Field, e.Rule)).ShouldBe([("url", "absolute-http-url"), ("subscriptions", "min-count"), ("description", "max-length")]);
    }
}
