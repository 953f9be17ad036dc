using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ListingSync.Sdk.Channels.Instica;
using ListingSync.Sdk.Http;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RichardSzalay.MockHttp;

namespace ListingSync.Sdk.Tests.Instica;

/// <summary>
/// Issue 16: the Instica client's request shapes, its reading of the documented answers and its error handling.
/// Sources: instica.com/docs/api/ (overview: X-API-Key, uids as opaque strings), /docs/api/inventory/ (list query
/// parameters and the item example), /docs/api/marketplace/ (platforms, import jobs, issues, list / delist, bulk,
/// 402 / 400 prerequisites), seed 002.
/// </summary>
public class InsticaClientTests
{
    private static readonly SellerScope Seller = new("s1");

    /// <summary>The inventory list example of instica.com/docs/api/inventory/ (its first item, to the fields the page shows), plus a field the SDK does not model.</summary>
    internal const string InventoryPageExample = """
        {
          "count": 156,
          "next": "https://app.instica.com/api/v1/inventory/?page=2",
          "previous": null,
          "results": [
            {
              "uid": "inv_d4e5f6",
              "title": "Abbey Road - VG+",
              "name": null,
              "product": { "uid": "prod_a1b2c3", "title": "Abbey Road", "type": "physical", "artist": { "uid": "art_x1y2", "name": "The Beatles" }, "catalog_number": "PCS 7088" },
              "organization": { "uid": "org_abc", "display_name": "My Store", "slug": "my-store", "default_barcode_type": "code128" },
              "condition_item": "vg_plus",
              "condition_item_display": "VG+",
              "condition_container": "vg",
              "condition_container_display": "VG",
              "status": "ready-to-sell",
              "status_display": "Ready to Sell",
              "price_total_usd": "34.99",
              "price_item_usd": "29.99",
              "days_in_inventory": 12
            }
          ]
        }
        """;

    /// <summary>The "Job response" example of instica.com/docs/api/marketplace/ (seed 002), verbatim.</summary>
    internal const string JobExample = """
        {
          "id": "job_p6q7r8",
          "marketplace": "ebay",
          "status": "in_progress",
          "total_listings_found": 150,
          "items_imported": 82,
          "items_skipped": 0,
          "items_failed": 3,
          "items_conflicted": 2,
          "has_issues": true,
          "issue_summary": "3 failed, 2 conflicts",
          "progress_percentage": 58.0,
          "error_message": null,
          "created_at": "2026-02-15T09:00:00Z",
          "started_at": "2026-02-15T09:00:05Z",
          "completed_at": null
        }
        """;

    /// <summary>The "Issue item response" example of instica.com/docs/api/marketplace/ (seed 002), verbatim.</summary>
    internal const string IssuesExample = """
        {
          "count": 2,
          "results": [
            {
              "id": "item_xyz",
              "external_listing_id": "394857201",
              "external_sku": "PCS-7088-001",
              "status": "conflict",
              "listing_title": "Abbey Road - VG+",
              "listing_price": "34.99",
              "conflict_type": "duplicate_sku",
              "conflict_details":
                "SKU matches existing item inv_d4e5f6",
              "error_message": null,
              "error_code": null,
              "resolution": "pending",
              "created_inventory_item_uid": null,
              "processed_at": "2026-02-15T09:05:00Z"
            }
          ]
        }
        """;

    internal static ServiceProvider Services(MockHttpMessageHandler mock, Action<InsticaClientOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddListingSync().AddInstica(o =>
        {
            o.Sellers["s1"] = new SellerCredentials { AccessToken = "tok-1" };
            o.Sellers["s2"] = new SellerCredentials { ApiKey = "key-2" };
            o.Resilience.MaxRetryAttempts = 0;
            configure?.Invoke(o);
        });
        services.AddHttpClient(InsticaClientOptions.ChannelName).ConfigurePrimaryHttpMessageHandler(() => mock);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task The_documented_inventory_page_is_read_typed_and_keeps_what_the_sdk_does_not_model()
    {
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Get, "https://app.instica.com/api/v1/inventory/*").Respond("application/json", InventoryPageExample);
        await using var provider = Services(mock);

        var page = await provider.GetRequiredService<InsticaClient>().Inventory.GetPageAsync(Seller);

        page.Count.ShouldBe(156);
        page.Next.ShouldNotBeNull();
        var item = page.Results.ShouldHaveSingleItem();
        item.Uid.ShouldBe("inv_d4e5f6");
        item.Product!.Artist!.Name.ShouldBe("The Beatles");
        item.Product.CatalogNumber.ShouldBe("PCS 7088");
        item.ConditionItemDisplay.ShouldBe("VG+");
        item.PriceTotalUsd.ShouldBe(34.99m); // a decimal sent as a string
        item.Extra!["days_in_inventory"].GetInt32().ShouldBe(12);

        // As a listing of instica:ebay: the record details become attributes; the whole item is kept as an extension.
        var listing = new InsticaChannel(provider.GetRequiredService<InsticaClient>(), "ebay").ToListing(item);
        listing.Condition.Code.ShouldBe("VG+");
        listing.Quantity.ShouldBe(0, "not listed on eBay");
        listing.Attributes.ShouldContain(new Model.ListingAttribute("artist", "The Beatles", "product"));
        listing.Attributes.ShouldContain(new Model.ListingAttribute("condition_container", "VG", "condition"));
        listing.Extensions["instica"].GetProperty("days_in_inventory").GetInt32().ShouldBe(12);
    }

    [Fact]
    public async Task The_documented_job_and_issue_answers_are_read_into_typed_and_channel_neutral_forms()
    {
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Get, "https://app.instica.com/api/v1/marketplace/import/jobs/job_p6q7r8/").Respond("application/json", JobExample);
        mock.When(HttpMethod.Get, "https://app.instica.com/api/v1/marketplace/import/jobs/job_p6q7r8/issues/*").Respond("application/json", IssuesExample.Replace("\"count\": 2", "\"count\": 1", StringComparison.Ordinal));
        await using var provider = Services(mock);
        var imports = new InsticaImportChannel(provider.GetRequiredService<InsticaClient>());

        var status = await imports.GetImportAsync(Seller, "job_p6q7r8");
        var issues = await imports.GetImportIssuesAsync(Seller, "job_p6q7r8");

        status.State.ShouldBe(Channels.ImportJobState.Running);
        (status.Total, status.Succeeded, status.Failed, status.Conflicted, status.Skipped).ShouldBe((150L, 82L, 3L, 2L, 0L));
        status.PercentComplete.ShouldBe(58.0);
        var issue = issues.ShouldHaveSingleItem();
        issue.Code.ShouldBe("duplicate_sku");
        issue.Message.ShouldBe("SKU matches existing item inv_d4e5f6");
        issue.Line.ShouldBe("Abbey Road - VG+");
    }

    [Fact]
    public async Task Every_endpoint_sends_the_documented_request_shape()
    {
        var mock = new MockHttpMessageHandler();
        var log = new StringBuilder();
        void Record(HttpRequestMessage r)
        {
            var auth = r.Headers.Authorization?.ToString() ?? (r.Headers.TryGetValues("X-API-Key", out var key) ? "X-API-Key " + key.Single() : "(none)");
            var body = r.Content is null ? "" : r.Content.ReadAsStringAsync().Result;
            log.Append(r.Method).Append(' ').Append(r.RequestUri!.PathAndQuery).Append("  [").Append(auth).Append(']');
            log.Append(body.Length == 0 ? "" : "\n  " + body).Append('\n');
        }

        mock.When("*").With(r => { Record(r); return true; }).Respond(r => Answer(r));
        await using var provider = Services(mock);
        var client = provider.GetRequiredService<InsticaClient>();
        var s2 = new SellerScope("s2");

        await client.GetPlatformsAsync(Seller);
        await client.GetSellerAccountsAsync(s2);
        await client.Inventory.GetPageAsync(Seller, new InsticaInventoryQuery { Search = "abbey road", Statuses = ["ready-to-sell", "listed"], Ordering = "-created", PageSize = 25 }, page: 2);
        await client.Inventory.GetAsync(Seller, "inv_d4e5f6");
        await client.Inventory.CreateAsync(Seller, new InsticaInventoryItemInput { Name = "Abbey Road", ManualSku = "PCS-7088-001", ConditionItem = "vg_plus", PriceTotalUsd = 34.99m, Status = "ready-to-sell" });
        await client.Inventory.UpdateAsync(Seller, "inv_d4e5f6", new InsticaInventoryItemInput { PriceTotalUsd = 30m });
        await client.Inventory.ListAsync(Seller, "inv_d4e5f6", "ebay", 34.99m);
        await client.Inventory.DelistAsync(Seller, "inv_d4e5f6", "ebay");
        await client.Inventory.BulkListAsync(Seller, ["inv_001", "inv_002"], ["ebay", "discogs"]);
        await client.Inventory.BulkDelistAsync(Seller, ["inv_001", "inv_002", "inv_003"], ["ebay", "discogs"]);
        await client.Products.GetPageAsync(Seller, search: "beatles", ordering: "-updated", pageSize: 10);
        await client.Products.GetAsync(Seller, "prod_a1b2c3");
        await client.ImportJobs.CreateJobAsync(Seller, "sa_abc123", "ebay");
        await client.ImportJobs.QuickImportAsync(Seller, "ebay");
        await client.ImportJobs.ListJobsAsync(Seller, marketplace: "ebay", status: "completed");
        await client.ImportJobs.GetJobAsync(Seller, "job_p6q7r8");
        await client.ImportJobs.PreviewAsync(Seller, "job_p6q7r8", statusFilter: "pending", limit: 10);
        await client.ImportJobs.StartAsync(Seller, "job_p6q7r8", skipConflicts: false);
        await client.ImportJobs.GetIssuesPageAsync(Seller, "job_p6q7r8", status: "conflict");
        await client.ImportJobs.ResolveAsync(Seller, "job_p6q7r8", "item_xyz");
        await client.ImportJobs.RetryFailedAsync(Seller, "job_p6q7r8");
        await client.ImportJobs.SkipAllConflictsAsync(Seller, "job_p6q7r8");
        await client.Orders.GetPageAsync(Seller, status: "awaiting_shipment", platform: "ebay", ordering: "-created");

        log.ToString().ReplaceLineEndings("\n").ShouldMatchApproved(c => c.SubFolder("../Approved").WithDiscriminator("requests"));
    }

    private static HttpResponseMessage Answer(HttpRequestMessage request)
    {
        var path = request.RequestUri!.AbsolutePath;
        var body = path switch
        {
            "/api/v1/platforms/" => """[{"uid":"plt_abc","name":"eBay","slug":"ebay","url":"https://ebay.com","is_selling_active":true,"connection_url":"/accounts/ebay/login/"}]""",
            "/api/v1/marketplace/accounts/" => """[{"uid":"sa_abc123","marketplace":"ebay"}]""",
            "/api/v1/inventory/" when request.Method == HttpMethod.Get => InventoryPageExample,
            "/api/v1/products/" => """{"count":0,"next":null,"previous":null,"results":[]}""",
            "/api/v1/orders/" => OrdersExample,
            _ when path.EndsWith("/list/", StringComparison.Ordinal) && path.Contains("/platforms/", StringComparison.Ordinal) => """{"status":"success","listing_url":"https://ebay.com/itm/394857201","listing_id":"394857201"}""",
            _ when path.Contains("/bulk/", StringComparison.Ordinal) => """{"results":[]}""",
            _ when path.StartsWith("/api/v1/inventory/", StringComparison.Ordinal) => JsonNode.Parse(InventoryPageExample)!["results"]![0]!.ToJsonString(),
            _ when path.StartsWith("/api/v1/products/", StringComparison.Ordinal) => """{"uid":"prod_a1b2c3","title":"Abbey Road"}""",
            _ when path.EndsWith("/issues/", StringComparison.Ordinal) => IssuesExample,
            "/api/v1/marketplace/import/jobs/" => "[" + JobExample + "]",
            "/api/v1/marketplace/import/preview/" or "/api/v1/marketplace/import/start/" => "",
            _ => JobExample,
        };
        return new HttpResponseMessage(body.Length == 0 ? HttpStatusCode.Accepted : HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }

    // The reference's example answer (instica.com/docs/api/orders/: uid, order_id, status, platform, platform_name,
    // buyer_name, …); the nested inventory_item_listing is not shown there: its listing_id / inventory_item.uid are the
    // SDK's assumption, and whatever else it holds (here "title") is kept.
    private const string OrdersExample = """
        {"count":23,"next":null,"previous":null,"results":[{"uid":"ord_m3n4o5","order_id":"12-34567-89012","status":"awaiting_shipment",
        "platform":"ebay","platform_name":"eBay","buyer_name":"J. Doe","sale_price":"34.99","marketplace_fee":"4.55","platform_fee":null,
        "shipping_cost":"5.00","net_revenue":"25.44","sold_at":"2026-11-30T18:02:11Z",
        "inventory_item_listing":{"listing_id":"394857201","platform":"ebay","title":"Abbey Road - VG+","inventory_item":{"uid":"inv_d4e5f6","manual_sku":"PCS-7088-001"}},
        "shipment_tracking_number":null,"shipment_carrier":null,"shipment_status":null,"shipment_address":{"city":"Leeds","country":"GB"},"gift":false}]}
        """;

    [Fact]
    public async Task An_order_page_reads_every_documented_field_and_keeps_the_rest()
    {
        var mock = new MockHttpMessageHandler();
        mock.When("*").Respond("application/json", OrdersExample);
        await using var provider = Services(mock);

        var page = await provider.GetRequiredService<InsticaClient>().Orders.GetPageAsync(Seller);

        var order = page.Results.ShouldHaveSingleItem();
        (order.Uid, order.OrderId, order.Status, order.Platform, order.PlatformName, order.BuyerName).ShouldBe(("ord_m3n4o5", "12-34567-89012", "awaiting_shipment", "ebay", "eBay", "J. Doe"));
        (order.SalePrice, order.MarketplaceFee, order.PlatformFee, order.ShippingCost, order.NetRevenue).ShouldBe((34.99m, 4.55m, null, 5.00m, 25.44m));
        order.SoldAt.ShouldBe(new DateTimeOffset(2026, 11, 30, 18, 2, 11, TimeSpan.Zero));
        (order.Listing!.ListingId, order.Listing.InventoryItem!.Uid, order.Listing.InventoryItem.ManualSku).ShouldBe(("394857201", "inv_d4e5f6", "PCS-7088-001"));
        order.Listing.Extra!["title"].GetString().ShouldBe("Abbey Road - VG+");
        order.ShipmentAddress!.Value.GetProperty("city").GetString().ShouldBe("Leeds");
        order.Extra!["gift"].GetBoolean().ShouldBeFalse();
        page.Count.ShouldBe(23);
    }

    [Fact]
    public async Task An_order_list_whose_pages_repeat_forever_ends_the_poll_after_the_first_repeat()
    {
        var mock = new MockHttpMessageHandler();
        var pages = mock.When("*").Respond("application/json", """{"count":100000,"next":"more","results":[{"uid":"ord_1","sold_at":"2026-12-01T10:00:00Z"}]}""");
        await using var provider = Services(mock);
        var store = new InMemoryMappingStore();
        await store.SetCursorAsync(new MappingScope("instica", Seller), "orders", "0|");
        var handled = new List<string>();

        var polled = await new InsticaOrderFeed(provider.GetRequiredService<InsticaClient>(), store).PollAsync(Seller, (e, _) => { handled.Add(e.EventId); return Task.CompletedTask; });

        polled.ShouldHaveSingleItem().EventId.ShouldBe("ord_1");
        handled.ShouldBe(["ord_1"]);
        mock.GetMatchCount(pages).ShouldBe(2);
    }

    [Fact]
    public async Task An_extension_platform_is_refused_before_anything_is_sent()
    {
        var mock = new MockHttpMessageHandler();
        var sent = mock.When("*").Respond(HttpStatusCode.OK);
        await using var provider = Services(mock);
        var client = provider.GetRequiredService<InsticaClient>();

        var error = await Should.ThrowAsync<InsticaPrerequisiteException>(() => client.Inventory.ListAsync(Seller, "inv_1", "redbubble", 10m));
        await Should.ThrowAsync<InsticaPrerequisiteException>(() => client.Inventory.BulkListAsync(Seller, ["inv_1"], ["ebay", "teepublic"]));

        error.Prerequisite.ShouldBe(InsticaPrerequisite.ApiListing);
        error.Message.ShouldContain("browser extension");
        mock.GetMatchCount(sent).ShouldBe(0);
    }

    [Theory]
    [InlineData(402, """{"detail":"An active subscription is required to list items.","code":"subscription_required"}""", InsticaPrerequisite.Subscription)]
    [InlineData(400, """{"detail":"A primary address is required before listing."}""", InsticaPrerequisite.PrimaryAddress)]
    [InlineData(400, """{"error":"No valid connection to eBay. Connect the platform first."}""", InsticaPrerequisite.PlatformConnection)]
    public async Task A_402_or_400_on_a_listing_call_names_the_missing_prerequisite(int status, string body, InsticaPrerequisite expected)
    {
        var mock = new MockHttpMessageHandler();
        mock.When("*").Respond((HttpStatusCode)status, "application/json", body);
        await using var provider = Services(mock);

        var error = await Should.ThrowAsync<InsticaPrerequisiteException>(() => provider.GetRequiredService<InsticaClient>().Inventory.ListAsync(Seller, "inv_1", "ebay", 10m));

        error.Prerequisite.ShouldBe(expected);
        error.Platform.ShouldBe("ebay");
        ((int)error.StatusCode!).ShouldBe(status);
    }

    [Fact]
    public async Task A_field_refusal_on_create_is_a_typed_error_naming_the_field_not_a_prerequisite()
    {
        var mock = new MockHttpMessageHandler();
        mock.When("*").Respond(HttpStatusCode.BadRequest, "application/json", """{"price_total_usd":["A valid number is required."]}""");
        await using var provider = Services(mock);

        var error = await Should.ThrowAsync<ListingSyncRequestException>(() => provider.GetRequiredService<InsticaClient>().Inventory.CreateAsync(Seller, new InsticaInventoryItemInput { Name = "x" }));

        error.ShouldNotBeOfType<InsticaPrerequisiteException>();
        error.FieldErrors.ShouldHaveSingleItem().Field.ShouldBe("price_total_usd");
    }

    [Theory]
    [InlineData("""{"next":null,"results":[{"uid":"inv_1"}]}""", "no count")]
    [InlineData("""{"count":5,"next":"x","results":[]}""", "returned no items")]
    [InlineData("""{"count":5,"next":null,"results":[{"uid":"inv_1"}]}""", "only 1 of 5")]
    [InlineData("""{"count":1,"next":null,"results":[{"uid":"inv_1"},{"uid":"inv_2"}]}""", "under-reported")]
    [InlineData("""{"count":3,"next":"x","results":[{"uid":"inv_1"},{"uid":"inv_1"}]}""", "again")]
    [InlineData("""{"count":1,"next":null,"results":[{"uid":"inv_1","price_total_usd":"lots"}]}""", "results[0].price_total_usd")]
    public async Task A_page_that_cannot_belong_to_a_consistent_scan_is_an_error_naming_it(string page, string expected)
    {
        var mock = new MockHttpMessageHandler();
        mock.When("*").Respond("application/json", page);
        await using var provider = Services(mock);

        var error = await Should.ThrowAsync<ListingSyncRequestException>(async () =>
        {
            await foreach (var _ in provider.GetRequiredService<InsticaClient>().Inventory.ListAllAsync(Seller))
            {
            }
        });

        error.Message.ShouldContain(expected);
    }

    [Fact]
    public async Task A_page_that_repeats_forever_stops_at_the_second_page_and_the_pages_read_ahead_are_dropped()
    {
        var mock = new MockHttpMessageHandler();
        var pages = mock.When("*").Respond("application/json", """{"count":100000,"next":"more","results":[{"uid":"inv_1"},{"uid":"inv_2"}]}""");
        await using var provider = Services(mock);

        await Should.ThrowAsync<ListingSyncRequestException>(async () =>
        {
            await foreach (var _ in provider.GetRequiredService<InsticaClient>().Inventory.ListAllAsync(Seller))
            {
            }
        });

        // Page 2 is the first that can repeat; pages 3–9 were requested ahead with it (MaxConcurrency 8) and dropped.
        mock.GetMatchCount(pages).ShouldBeInRange(2, 9);
    }

    [Fact]
    public void Options_are_validated_on_start_with_messages_naming_the_full_key()
    {
        var services = new ServiceCollection();
        services.AddListingSync().AddInstica(o =>
        {
            o.PageSize = 500;
            o.BulkSize = 0;
            o.SellerAccountsPath = "/absolute";
        });
        using var provider = services.BuildServiceProvider();

        var error = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<InsticaClientOptions>>().CurrentValue);

        error.Failures.ShouldContain(f => f.StartsWith("ListingSync:Instica:PageSize must be between 1 and 100", StringComparison.Ordinal));
        error.Failures.ShouldContain(f => f.StartsWith("ListingSync:Instica:BulkSize", StringComparison.Ordinal));
        error.Failures.ShouldContain(f => f.StartsWith("ListingSync:Instica:SellerAccountsPath", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_configuration_section_binds_and_an_api_key_from_it_travels_as_x_api_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ListingSync:Instica:Sellers:s9:ApiKey"] = "key-9",
            ["ListingSync:Instica:PageSize"] = "50",
            ["ListingSync:Instica:Resilience:MaxRetryAttempts"] = "0",
        }).Build();
        var mock = new MockHttpMessageHandler();
        string? key = null;
        mock.When("*").With(r => { key = r.Headers.TryGetValues("X-API-Key", out var v) ? v.Single() : null; return r.Headers.Authorization is null; })
            .Respond("application/json", """{"count":0,"next":null,"previous":null,"results":[]}""");
        var services = new ServiceCollection();
        services.AddListingSync().AddInstica(configuration.GetSection("ListingSync:Instica"));
        services.AddHttpClient(InsticaClientOptions.ChannelName).ConfigurePrimaryHttpMessageHandler(() => mock);
        await using var provider = services.BuildServiceProvider();

        var page = await provider.GetRequiredService<InsticaClient>().Inventory.GetPageAsync(new SellerScope("s9"));

        page.Results.ShouldBeEmpty();
        key.ShouldBe("key-9");
        provider.GetRequiredService<IOptionsMonitor<InsticaClientOptions>>().CurrentValue.PageSize.ShouldBe(50);
    }

    [Theory]
    [InlineData("""{"id":"job_1","status":"in_progress","items_imported":"many"}""", "items_imported")]
    [InlineData("""{"id":"job_1","status":"in_progress","progress_percentage":{"x":1}}""", "progress_percentage")]
    [InlineData("""[1,2]""", "not an object")]
    [InlineData("""<html>gateway</html>""", "could not read")]
    public async Task A_job_answer_of_the_wrong_shape_is_a_typed_error_naming_the_field(string body, string expected)
    {
        var mock = new MockHttpMessageHandler();
        mock.When("*").Respond("application/json", body);
        await using var provider = Services(mock);

        var error = await Should.ThrowAsync<ListingSyncRequestException>(() => provider.GetRequiredService<InsticaClient>().ImportJobs.GetJobAsync(Seller, "job_1"));

        error.Message.ShouldContain(expected);
        error.Channel.ShouldBe("instica");
    }

    [Fact]
    public void The_client_and_its_sub_clients_can_be_replaced_by_test_doubles()
    {
        var fake = new FakeInventory();
        var client = new FakeClient(fake);

        client.Inventory.ShouldBeSameAs(fake);
    }

    private sealed class FakeInventory : InsticaInventoryClient;

    private sealed class FakeClient(InsticaInventoryClient inventory) : InsticaClient
    {
        public override InsticaInventoryClient Inventory => inventory;
    }
}
