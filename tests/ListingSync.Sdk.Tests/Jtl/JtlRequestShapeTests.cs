using System.Net;
using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Channels.Jtl;
using ListingSync.Sdk.DependencyInjection;
using ListingSync.Sdk.Model;
using Microsoft.Extensions.DependencyInjection;
using RichardSzalay.MockHttp;
using static ListingSync.Sdk.Tests.ManagemTestHost;

namespace ListingSync.Sdk.Tests.Jtl;

/// <summary>What goes on the wire to JTL, checked with MockHttp and approved files.</summary>
public sealed class JtlRequestShapeTests : IDisposable
{
    private const string Base = "https://scx-sbx.api.jtl-software.com/";
    private readonly MockHttpMessageHandler _mock = new(BackendDefinitionBehavior.Always);
    private readonly ServiceProvider _services;
    private string? _authBody;

    public JtlRequestShapeTests()
    {
        _mock.When(HttpMethod.Post, Base + "v1/auth")
            .With(r => (_authBody = r.Content!.ReadAsStringAsync().Result) is not null && r.Headers.AcceptLanguage.ToString() == "en")
            .Respond("application/json", """{"authToken":"tok-1","tokenExpireAt":"2030-01-01T00:00:00+00:00","expiresIn":3600}""");
        var services = new ServiceCollection();
        services.AddListingSync().AddJtl(o =>
        {
            o.BaseAddress = JtlClientOptions.SandboxBaseAddress; // the mock answers as JTL's sandbox
            o.RefreshToken = "refresh-xyz";
            o.RateLimit.Enabled = false;
            o.Resilience.UseJitter = false;
        });
        services.AddHttpClient(JtlClientOptions.ChannelName).ConfigurePrimaryHttpMessageHandler(() => _mock);
        services.AddHttpClient(JtlTokenProvider.AuthClientName).ConfigurePrimaryHttpMessageHandler(() => _mock);
        _services = services.BuildServiceProvider();
    }

    public void Dispose()
    {
        _services.Dispose();
        _mock.Dispose();
    }

    private JtlClient Client => _services.GetRequiredService<JtlClient>();

    [Fact]
    public async Task Events_are_pulled_with_the_limit_a_bearer_token_and_english_and_acknowledged_by_id()
    {
        string? ackBody = null;
        _mock.Expect(HttpMethod.Get, Base + "v1/channel/event?limit=50")
            .WithHeaders("Authorization", "Bearer tok-1")
            .With(r => r.Headers.AcceptLanguage.ToString() == "en")
            .Respond("application/json", """{"eventList":[{"id":1,"createdAt":"2026-11-22T10:00:00+01:00","clientVersion":1.9,"type":"Seller:Offer.StockUpdate","event":{"sellerId":77,"offerId":"5","quantity":"3"}}]}""");
        _mock.Expect(HttpMethod.Delete, Base + "v1/channel/event")
            .With(r => (ackBody = r.Content!.ReadAsStringAsync().Result) is not null)
            .Respond(HttpStatusCode.OK);

        var events = await Client.GetEventsAsync(50);
        await Client.AcknowledgeEventsAsync([events[0].Id]);

        _mock.VerifyNoOutstandingExpectation();
        _authBody.ShouldBe("refreshToken=refresh-xyz");
        var e = events.ShouldHaveSingleItem();
        (e.Id, e.ClientVersion).ShouldBe(("1", "1.9"), "numbers where strings are documented are read");
        var mapped = JtlEventMapper.ToListingEvent(e);
        (mapped.Seller.SellerId, mapped.ListingId, mapped.Quantity, mapped.Kind).ShouldBe(("77", "5", 3, ListingSync.Sdk.Webhooks.ListingEventKind.StockChanged));
        Pretty(ackBody!).ShouldMatchApproved(c => c.SubFolder("../Approved").WithDiscriminator("ack"));
    }

    [Fact]
    public async Task Pulls_send_the_documented_filters_and_refuse_more_than_100_per_pull()
    {
        // JTL reference, GET /v1/channel/event: eventList at most 100; createdAfter (date-time) and eventTypeFilter
        // (comma-separated types) filter what is returned.
        var options = _services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<JtlClientOptions>>().CurrentValue;
        options.EventsCreatedAfter = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.FromHours(1));
        options.EventTypeFilter.Add("Seller:Order.Shipping");
        options.EventTypeFilter.Add("Seller:Offer.New");
        _mock.Expect(HttpMethod.Get, Base + "v1/channel/event?limit=100&createdAfter=2026-11-22T09%3A00%3A00.000Z&eventTypeFilter=Seller%3AOrder.Shipping%2CSeller%3AOffer.New")
            .Respond("application/json", """{"eventList":[]}""");

        (await Client.GetEventsAsync()).ShouldBeEmpty();
        var tooMany = await Should.ThrowAsync<ListingSyncValidationException>(() => Client.GetEventsAsync(1000));

        _mock.VerifyNoOutstandingExpectation();
        tooMany.Errors.ShouldHaveSingleItem().Message.ShouldContain("between 1 and 100");
    }

    [Fact]
    public async Task Acknowledgements_carry_at_most_100_ids_each()
    {
        var bodies = new List<int>();
        _mock.When(HttpMethod.Delete, Base + "v1/channel/event").Respond(r =>
        {
            using var body = System.Text.Json.JsonDocument.Parse(r.Content!.ReadAsStringAsync().Result);
            bodies.Add(body.RootElement.GetProperty("eventIdList").GetArrayLength());
            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        await Client.AcknowledgeEventsAsync([.. Enumerable.Range(0, 250).Select(i => $"e{i}")]);

        bodies.ShouldBe([100, 100, 50]);
    }

    [Fact]
    public async Task Status_reports_post_one_batch_per_status_in_the_documented_shape()
    {
        var bodies = new Dictionary<string, string>();
        foreach (var path in new[] { "in-progress", "listed", "listing-failed" })
        {
            _mock.Expect(HttpMethod.Post, Base + "v1/channel/offer/" + path)
                .With(r => (bodies[path] = r.Content!.ReadAsStringAsync().Result) is not null)
                .Respond(HttpStatusCode.OK);
        }

        var at = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.FromHours(1));
        var results = await Client.ReportStatusAsync(new SellerScope("77"),
        [
            new ListingStatusReport { OfferId = "5", Status = ListingStatusKind.InProgress, At = at },
            new ListingStatusReport { OfferId = "6", Status = ListingStatusKind.Listed, At = at, ChannelOfferId = "C-6", ListingUrl = new Uri("https://shop.example/6") },
            new ListingStatusReport { OfferId = "7", Status = ListingStatusKind.Failed, At = at, Errors = [new FieldError("gtin", "E100", "GTIN unknown")] },
        ]);

        _mock.VerifyNoOutstandingExpectation();
        results.ShouldAllBe(r => r.IsSuccess);
        string.Join("\n---\n", bodies.OrderBy(b => b.Key).Select(b => b.Key + "\n" + Pretty(b.Value))).ShouldMatchApproved(c => c.SubFolder("../Approved").WithDiscriminator("status-reports"));
    }

    [Fact]
    public async Task A_listing_failed_report_sends_the_recommended_value_and_keeps_messages_within_250_characters()
    {
        // JTL reference, POST /v1/channel/offer/listing-failed: errorList[] of code, message (at most 250 characters),
        // longMessage, relatedAttributeId, recommendedValue.
        string? body = null;
        _mock.Expect(HttpMethod.Post, Base + "v1/channel/offer/listing-failed")
            .With(r => (body = r.Content!.ReadAsStringAsync().Result) is not null)
            .Respond(HttpStatusCode.OK);
        var longText = string.Concat(Enumerable.Repeat("The category needs a colour attribute from its list. ", 10));

        await Client.ReportStatusAsync(new SellerScope("77"),
        [
            new ListingStatusReport
            {
                OfferId = "7",
                Status = ListingStatusKind.Failed,
                At = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero),
                Errors = [new FieldError("color", "E210", longText) { RecommendedValue = "blue" }, new FieldError("gtin", "E100", "GTIN unknown")],
            },
        ]);

        using var sent = System.Text.Json.JsonDocument.Parse(body!);
        var errors = sent.RootElement.GetProperty("offerList")[0].GetProperty("errorList");
        var first = errors[0];
        first.GetProperty("recommendedValue").GetString().ShouldBe("blue");
        first.GetProperty("relatedAttributeId").GetString().ShouldBe("color");
        var message = first.GetProperty("message").GetString()!;
        message.Length.ShouldBe(250);
        message.ShouldEndWith(" […]");
        first.GetProperty("longMessage").GetString()!.ShouldContain(longText.TrimEnd()); // the full text is not lost
        errors[1].TryGetProperty("recommendedValue", out _).ShouldBeFalse(); // none given: none sent
        errors[1].GetProperty("message").GetString().ShouldBe("GTIN unknown");
    }

    [Fact]
    public async Task Stock_updates_are_asked_for_with_an_explicit_offset_and_a_jtl_error_list_becomes_a_typed_error()
    {
        _mock.Expect(HttpMethod.Get, Base + "v1/channel/offer/stock-updates?updatedAfter=2026-11-22T09%3A00%3A00.0000000%2B00%3A00&sellerId=77")
            .Respond("application/json", """{"stockUpdateList":[{"channel":"x","sellerId":"77","offerId":5,"channelOfferId":"C-5","quantity":"4","updatedAt":"2026-11-22T09:30:00+00:00"}],"lastUpdatedAt":"2026-11-22T09:30:00+00:00"}""");
        _mock.Expect(HttpMethod.Get, Base + "v1/channel/offer/stock-updates/all?updatedAfter=2026-11-22T09%3A30%3A00.0000000%2B00%3A00")
            .Respond(HttpStatusCode.BadRequest, "application/json", """{"errorList":[{"code":"VAL_01","message":"Ungültiger Wert","severity":"error","hint":"updatedAfter is invalid"}]}""");

        var (changes, last) = await Client.GetStockUpdatesAsync(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.FromHours(1)), "77");
        var error = await Should.ThrowAsync<ListingSyncRequestException>(() => Client.GetStockUpdatesAsync(last!.Value));

        changes.ShouldHaveSingleItem().Quantity.ShouldBe(4);
        error.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        error.ErrorCode.ShouldBe("VAL_01");
        error.ErrorMessage!.ShouldContain("updatedAfter is invalid");
        _mock.VerifyNoOutstandingExpectation();
    }
}
