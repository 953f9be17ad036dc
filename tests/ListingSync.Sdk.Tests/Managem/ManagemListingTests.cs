using System.Net;
using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.Model;
using RichardSzalay.MockHttp;
using static ListingSync.Sdk.Tests.ManagemTestHost;

namespace ListingSync.Sdk.Tests.Managem;

public class ManagemListingTests
{
    [Fact]
    public async Task Search_page_sends_query_facets_sorting_and_paging_and_maps_the_answer()
    {
        var mock = new MockHttpMessageHandler();
        string? body = null;
        mock.Expect(HttpMethod.Post, Base + "seller/listings/search")
            .WithHeaders("Authorization", "Bearer token-default")
            .With(r => (body = r.Content!.ReadAsStringAsync().Result) is not null)
            .Respond("application/json", $$"""{"total":3,"hits":[{{ListingJson("lst_1", "urn:managem:pokemon:set/base1/card/58", 1299, 2, "sku-1", hidden: true)}}]}""");
        using var host = new ManagemTestHost(mock);

        var page = await host.Client.Listings.GetPageAsync(Seller, new ManagemListingQuery
        {
            Query = "pikachu",
            Facets = new Dictionary<string, IReadOnlyList<string>> { ["Game"] = ["Pokemon"], ["Condition"] = ["NM"] },
            SortField = "price",
            SortDescending = true,
            PageSize = 1,
        });

        mock.VerifyNoOutstandingExpectation();
        Pretty(body!).ShouldMatchApproved(c => c.SubFolder("../Approved").WithDiscriminator("search-request"));
        var listing = page.Items.ShouldHaveSingleItem();
        listing.Id.ShouldBe("lst_1");
        listing.Price.ShouldBe(Money.Gbp(12.99m));
        listing.Quantity.ShouldBe(2);
        listing.Available.ShouldBe(2);
        listing.Visibility.ShouldBe(ListingVisibility.Hidden);
        listing.Reference.ShouldBe("sku-1");
        listing.Condition.ShouldBe(ListingCondition.NearMint);
        listing.Variants.ShouldBe(["holo"]);
        listing.Item.Urn.ShouldBe("urn:managem:pokemon:set/base1/card/58");
        listing.Item.Game.ShouldBe("Pokemon");
        listing.Item.Set.ShouldBe("Base Set");
        listing.Item.Number.ShouldBe("58");
        listing.UpdatedAt.ShouldBe(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));
        page.Total.ShouldBe(3);
        page.ContinuationToken.ShouldNotBeNull();
    }

    [Fact]
    public async Task Streaming_walks_every_page_with_from_and_size_until_total()
    {
        var mock = new MockHttpMessageHandler();
        var froms = new List<int>();
        mock.When(HttpMethod.Post, Base + "seller/listings/search").Respond(request =>
        {
            using var doc = System.Text.Json.JsonDocument.Parse(request.Content!.ReadAsStringAsync().Result);
            var from = doc.RootElement.GetProperty("from").GetInt32();
            var size = doc.RootElement.GetProperty("size").GetInt32();
            froms.Add(from);
            var hits = Enumerable.Range(from, Math.Max(0, Math.Min(size, 120 - from))).Select(i => ListingJson($"lst_{i}", $"urn:managem:pokemon:set/151/card/{i}"));
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($$"""{"total":120,"hits":[{{string.Join(",", hits)}}]}""", System.Text.Encoding.UTF8, "application/json") };
        });
        using var host = new ManagemTestHost(mock);

        var ids = new List<string>();
        await foreach (var listing in host.Channel.GetListingsAsync(Seller))
        {
            ids.Add(listing.Id);
        }

        froms.ShouldBe([0, 48, 96]); // each page re-reads the last ScanOverlap (2) listings of the previous one
        ids.Count.ShouldBe(120);
        ids.Distinct().Count().ShouldBe(120);
    }

    [Fact]
    public async Task A_continuation_token_resumes_at_the_next_page_and_a_foreign_token_is_refused()
    {
        var mock = new MockHttpMessageHandler();
        var froms = new List<int>();
        mock.When(HttpMethod.Post, Base + "seller/listings/search").Respond(request =>
        {
            using var doc = System.Text.Json.JsonDocument.Parse(request.Content!.ReadAsStringAsync().Result);
            froms.Add(doc.RootElement.GetProperty("from").GetInt32());
            var from = froms[^1];
            var hits = Enumerable.Range(from, 10).Select(i => ListingJson($"lst_{i}", $"urn:managem:pokemon:set/151/card/{i}"));
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($$"""{"total":100,"hits":[{{string.Join(",", hits)}}]}""") };
        });
        using var host = new ManagemTestHost(mock);
        var query = new ManagemListingQuery { PageSize = 10 };

        var first = await host.Client.Listings.GetPageAsync(Seller, query);
        var second = await host.Client.Listings.GetPageAsync(Seller, query, first.ContinuationToken);

        froms.ShouldBe([0, 8]); // from the overlap of ScanOverlap (2) listings
        second.Items.Select(l => l.Id).ShouldBe(Enumerable.Range(10, 8).Select(i => $"lst_{i}")); // the overlap is not returned twice
        var error = await Should.ThrowAsync<ListingSyncValidationException>(() => host.Client.Listings.GetPageAsync(Seller, query, "not-a-token"));
        error.Errors.ShouldHaveSingleItem().Field.ShouldBe("continuationToken");
    }

    [Fact]
    public async Task Get_listing_maps_404_to_null()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Get, Base + "seller/listings/lst_1").Respond("application/json", ListingJson("lst_1", "urn:managem:pokemon:set/151/card/1"));
        mock.Expect(HttpMethod.Get, Base + "seller/listings/missing").Respond(HttpStatusCode.NotFound);
        using var host = new ManagemTestHost(mock);

        (await host.Client.Listings.GetAsync(Seller, "lst_1")).ShouldNotBeNull().Id.ShouldBe("lst_1");
        (await host.Client.Listings.GetAsync(Seller, "missing")).ShouldBeNull();
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Bulk_create_of_1000_drafts_sends_five_calls_of_200_and_returns_one_result_per_draft()
    {
        var mock = new MockHttpMessageHandler();
        var batchSizes = new List<int>();
        mock.When(HttpMethod.Post, Base + "seller/listings/bulk").Respond(request =>
        {
            using var doc = System.Text.Json.JsonDocument.Parse(request.Content!.ReadAsStringAsync().Result);
            var urns = doc.RootElement.GetProperty("listings").EnumerateArray().Select(l => l.GetProperty("urn").GetString()!).ToList();
            batchSizes.Add(urns.Count);
            // Managem fails rows it cannot list; here every URN ending in 7 fails.
            var ok = urns.Where(u => !u.EndsWith('7'));
            var failed = urns.Where(u => u.EndsWith('7'));
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($$"""{"successful":[{{string.Join(",", ok.Select(u => $"\"{u}\""))}}],"failed":[{{string.Join(",", failed.Select(u => $"\"{u}\""))}}]}"""),
            };
        });
        using var host = new ManagemTestHost(mock);
        var drafts = Enumerable.Range(0, 1000).Select(i => Draft(i)).ToList();

        var results = await host.Channel.CreateListingsAsync(Seller, drafts);

        batchSizes.ShouldBe([200, 200, 200, 200, 200]);
        results.Count.ShouldBe(1000);
        results.Select(r => r.Index).ShouldBe(Enumerable.Range(0, 1000));
        results.Select(r => r.Reference).ShouldBe(drafts.Select(d => d.Reference));
        results.Count(r => r.Status == ListingWriteStatus.Failed).ShouldBe(100);
        results.Where(r => r.Status == ListingWriteStatus.Failed).ShouldAllBe(r => r.Index % 10 == 7);
        results.Count(r => r.Status == ListingWriteStatus.Succeeded).ShouldBe(900);
    }

    [Fact]
    public async Task Bulk_create_sends_the_documented_row_shape()
    {
        var mock = new MockHttpMessageHandler();
        string? body = null;
        mock.Expect(HttpMethod.Post, Base + "seller/listings/bulk")
            .With(r => (body = r.Content!.ReadAsStringAsync().Result) is not null)
            .Respond("application/json", """{"successful":["urn:managem:pokemon:set/151/card/25"],"failed":[]}""");
        using var host = new ManagemTestHost(mock);
        var draft = Draft(25, price: 12.34m, quantity: 3, reference: "  sku-25  ") with
        {
            Variants = ["reverse-holo"],
            Visibility = ListingVisibility.Hidden,
            Comment = "Light edge wear",
            Notes = "Shelf B4",
            Grading = new Grading("PSA", "9", "12345678"),
        };

        var result = (await host.Client.Listings.CreateAsync(Seller, [draft])).ShouldHaveSingleItem();

        result.Status.ShouldBe(ListingWriteStatus.Succeeded);
        result.Reference.ShouldBe("sku-25");
        Pretty(body!).ShouldMatchApproved(c => c.SubFolder("../Approved").WithDiscriminator("bulk-request"));
    }

    [Fact]
    public async Task Bulk_create_keeps_urns_unique_per_call_so_answers_map_back_to_rows()
    {
        var mock = new MockHttpMessageHandler();
        var calls = new List<List<string>>();
        mock.When(HttpMethod.Post, Base + "seller/listings/bulk").Respond(request =>
        {
            using var doc = System.Text.Json.JsonDocument.Parse(request.Content!.ReadAsStringAsync().Result);
            var urns = doc.RootElement.GetProperty("listings").EnumerateArray().Select(l => l.GetProperty("urn").GetString()!).ToList();
            calls.Add(urns);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($$"""{"successful":[{{string.Join(",", urns.Select(u => $"\"{u}\""))}}],"failed":[]}""") };
        });
        using var host = new ManagemTestHost(mock, o => o.BulkBatchSize = 3);
        // Three copies of card 1 (different references), plus cards 2-4.
        var drafts = new[] { Draft(0, "urn:managem:pokemon:set/151/card/1"), Draft(1, "urn:managem:pokemon:set/151/card/1"), Draft(2, "urn:managem:pokemon:set/151/card/1"), Draft(3), Draft(4), Draft(5) };

        var results = await host.Client.Listings.CreateAsync(Seller, drafts);

        calls.ShouldAllBe(c => c.Count <= 3 && c.Distinct().Count() == c.Count);
        calls.Sum(c => c.Count).ShouldBe(6);
        results.ShouldAllBe(r => r.Status == ListingWriteStatus.Succeeded);
    }

    [Fact]
    public async Task Bulk_create_reports_invalid_drafts_and_never_sends_them()
    {
        var mock = new MockHttpMessageHandler();
        var sent = 0;
        mock.When(HttpMethod.Post, Base + "seller/listings/bulk").Respond(request =>
        {
            using var doc = System.Text.Json.JsonDocument.Parse(request.Content!.ReadAsStringAsync().Result);
            sent += doc.RootElement.GetProperty("listings").GetArrayLength();
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"successful":["urn:managem:pokemon:set/151/card/0"],"failed":[]}""") };
        });
        using var host = new ManagemTestHost(mock);
        var drafts = new[]
        {
            Draft(0),
            Draft(1, price: -1m),
            Draft(2, quantity: -5),
            Draft(3, reference: new string('x', 256)),
            Draft(4) with { Item = new ItemIdentity() },
            Draft(5, reference: "sku-00000"),
        };

        var results = await host.Client.Listings.CreateAsync(Seller, drafts);

        sent.ShouldBe(1);
        results[0].Status.ShouldBe(ListingWriteStatus.Succeeded);
        results.Skip(1).ShouldAllBe(r => r.Status == ListingWriteStatus.Rejected);
        results[1].Errors.ShouldContain(e => e.Field == "price" && e.Rule == "non-negative");
        results[2].Errors.ShouldContain(e => e.Field == "quantity" && e.Rule == "non-negative");
        results[3].Errors.ShouldContain(e => e.Field == "reference" && e.Rule == "max-length");
        results[4].Errors.ShouldContain(e => e.Field == "item" && e.Rule == "identity-required");
        results[5].Errors.ShouldContain(e => e.Field == "reference" && e.Rule == "unique");
    }

    [Fact]
    public async Task Bulk_create_can_resolve_listing_ids_through_list_by_item()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Post, Base + "seller/listings/bulk").Respond("application/json", """{"successful":["urn:managem:pokemon:set/151/card/1","urn:managem:pokemon:set/151/card/2"],"failed":[]}""");
        mock.Expect(HttpMethod.Get, Base + "seller/listings/items")
            .WithExactQueryString("urn=urn%3Amanagem%3Apokemon%3Aset%2F151%2Fcard%2F1&urn=urn%3Amanagem%3Apokemon%3Aset%2F151%2Fcard%2F2")
            .Respond("application/json", $"[{ListingJson("lst_a", "urn:managem:pokemon:set/151/card/1", reference: "sku-00001")},{ListingJson("lst_old", "urn:managem:pokemon:set/151/card/2", reference: "someone-else")},{ListingJson("lst_b", "urn:managem:pokemon:set/151/card/2", reference: "sku-00002")}]");
        using var host = new ManagemTestHost(mock, o => o.ResolveCreatedListingIds = true);

        var results = await host.Client.Listings.CreateAsync(Seller, [Draft(1), Draft(2)]);

        mock.VerifyNoOutstandingExpectation();
        results.Select(r => r.ListingId).ShouldBe(["lst_a", "lst_b"]);
    }

    [Fact]
    public async Task Update_puts_every_mutable_field_but_not_the_urn()
    {
        var mock = new MockHttpMessageHandler();
        string? body = null;
        mock.Expect(HttpMethod.Put, Base + "seller/listings/lst_9")
            .With(r => (body = r.Content!.ReadAsStringAsync().Result) is not null)
            .Respond("application/json", ListingJson("lst_9", "urn:managem:pokemon:set/151/card/9", 450, 7, "sku-00009"));
        using var host = new ManagemTestHost(mock);

        var listing = await host.Client.Listings.UpdateAsync(Seller, "lst_9", Draft(9, price: 4.50m, quantity: 7));

        Pretty(body!).ShouldMatchApproved(c => c.SubFolder("../Approved").WithDiscriminator("update-request"));
        listing.Price.ShouldBe(Money.Gbp(4.50m));
        listing.Quantity.ShouldBe(7);
    }

    [Fact]
    public async Task Delete_is_idempotent()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Delete, Base + "seller/listings/lst_1").Respond(HttpStatusCode.NoContent);
        mock.Expect(HttpMethod.Delete, Base + "seller/listings/lst_1").Respond(HttpStatusCode.NotFound);
        mock.Expect(HttpMethod.Delete, Base + "seller/listings/lst_1").Respond(HttpStatusCode.NotFound);
        using var host = new ManagemTestHost(mock);

        (await host.Client.Listings.DeleteAsync(Seller, "lst_1")).ShouldBeTrue();
        (await host.Client.Listings.DeleteAsync(Seller, "lst_1")).ShouldBeFalse();
        (await host.Channel.RemoveListingAsync(Seller, "lst_1")).Status.ShouldBe(ListingWriteStatus.Succeeded);
        mock.VerifyNoOutstandingExpectation();
    }
}
