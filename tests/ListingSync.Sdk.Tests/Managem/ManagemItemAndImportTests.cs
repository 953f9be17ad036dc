using System.Net;
using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.Model;
using RichardSzalay.MockHttp;
using static ListingSync.Sdk.Tests.ManagemTestHost;

namespace ListingSync.Sdk.Tests.Managem;

public class ManagemItemAndImportTests
{
    private static string ItemJson(string urn, string name = "Pikachu", string set = "Base Set", string number = "58", long? cardmarket = null) =>
        $$"""{"urn":"{{urn}}","type":"card","game":"Pokemon","name":"{{name}}","number":"{{number}}","set":{"name":"{{set}}","urn":"urn:managem:pokemon:set/base1"}{{(cardmarket is null ? "" : $",\"cardmarketId\":{cardmarket}")}}}""";

    [Fact]
    public async Task Status_and_account_read_the_seller_endpoints_with_an_api_key()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Get, Base + "seller/status").WithHeaders("Authorization", "ApiKey pat-123").Respond("application/json", """{"sellerId":"sel_1","status":"ACTIVE","chargesEnabled":true,"payoutsEnabled":true}""");
        mock.Expect(HttpMethod.Get, Base + "seller").WithHeaders("Authorization", "ApiKey pat-123").Respond("application/json", """{"id":"acct_1","email":"a@b.c","country":"GB","defaultCurrency":"gbp","detailsSubmitted":true,"chargesEnabled":true,"payoutsEnabled":false}""");
        using var host = new ManagemTestHost(mock, o => { o.AccessToken = null; o.ApiKey = "pat-123"; });

        var status = await host.Client.Seller.GetStatusAsync(Seller);
        var account = await host.Client.Seller.GetAccountAsync(Seller);

        mock.VerifyNoOutstandingExpectation();
        status.CanSell.ShouldBeTrue();
        status.Status.ShouldBe("ACTIVE");
        account.Country.ShouldBe("GB");
        account.PayoutsEnabled.ShouldBeFalse();
    }

    [Fact]
    public async Task Urn_lookup_asks_each_urn_once_in_calls_of_200()
    {
        var mock = new MockHttpMessageHandler();
        var calls = new List<int>();
        mock.When(HttpMethod.Post, Base + "items/lookup").Respond(request =>
        {
            using var doc = System.Text.Json.JsonDocument.Parse(request.Content!.ReadAsStringAsync().Result);
            var urns = doc.RootElement.GetProperty("urns").EnumerateArray().Select(u => u.GetString()!).ToList();
            calls.Add(urns.Count);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("[" + string.Join(",", urns.Select(u => ItemJson(u))) + "]") };
        });
        using var host = new ManagemTestHost(mock);
        var urns = Enumerable.Range(0, 450).Select(i => $"urn:managem:pokemon:set/151/card/{i}").ToList();

        var items = await host.Client.Items.GetByUrnAsync(Seller, urns.Concat(urns.Take(10)));

        calls.ShouldBe([200, 200, 50]);
        items.Count.ShouldBe(450);
    }

    [Fact]
    public async Task External_id_lookups_return_null_when_managem_has_no_mapping()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Get, Base + "items/cardmarket/273699").Respond("application/json", ItemJson("urn:managem:pokemon:set/base1/card/58", cardmarket: 273699));
        mock.Expect(HttpMethod.Get, Base + "items/tcgplayer/42").Respond(HttpStatusCode.NotFound);
        using var host = new ManagemTestHost(mock);

        (await host.Client.Items.FindByCardmarketIdAsync(Seller, 273699)).ShouldNotBeNull().CardmarketId.ShouldBe(273699);
        (await host.Client.Items.FindByTcgplayerIdAsync(Seller, 42)).ShouldBeNull();
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Game_set_name_search_uses_the_full_text_endpoint_with_facets()
    {
        var mock = new MockHttpMessageHandler();
        string? body = null;
        mock.Expect(HttpMethod.Post, Base + "search").With(r => (body = r.Content!.ReadAsStringAsync().Result) is not null)
            .Respond("application/json", $$"""{"total":1,"hits":[{{ItemJson("urn:managem:pokemon:set/base1/card/58")}}]}""");
        using var host = new ManagemTestHost(mock);

        var items = await host.Client.Items.SearchAsync(Seller, "Pokemon", "Base Set", "Pikachu", size: 10);

        Pretty(body!).ShouldMatchApproved(c => c.SubFolder("../Approved").WithDiscriminator("item-search"));
        items.ShouldHaveSingleItem().SetName.ShouldBe("Base Set");
    }

    [Fact]
    public async Task Resolver_applies_urn_then_cardmarket_then_tcgplayer_then_name_and_never_guesses()
    {
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Post, Base + "items/lookup").Respond("application/json", $"[{ItemJson("urn:managem:pokemon:set/base1/card/1", "Alakazam", number: "1")}]");
        mock.When(HttpMethod.Get, Base + "items/cardmarket/100").Respond("application/json", ItemJson("urn:managem:pokemon:set/base1/card/2", "Blastoise", number: "2", cardmarket: 100));
        mock.When(HttpMethod.Get, Base + "items/cardmarket/*").Respond(HttpStatusCode.NotFound);
        mock.When(HttpMethod.Get, Base + "items/tcgplayer/200").Respond("application/json", ItemJson("urn:managem:pokemon:set/base1/card/3", "Chansey", number: "3"));
        mock.When(HttpMethod.Get, Base + "items/tcgplayer/*").Respond(HttpStatusCode.NotFound);
        mock.When(HttpMethod.Post, Base + "search").Respond("application/json", $$"""{"total":3,"hits":[{{ItemJson("urn:a", "Pikachu", number: "58")}},{{ItemJson("urn:b", "Pikachu", number: "60")}},{{ItemJson("urn:c", "Pikachu Promo")}}]}""");
        using var host = new ManagemTestHost(mock);
        ItemIdentity[] identities =
        [
            new() { Urn = "urn:managem:pokemon:set/base1/card/1", CardmarketId = 100 }, // URN wins
            new() { Urn = "urn:managem:pokemon:set/base1/card/999", CardmarketId = 100 }, // unknown URN falls through
            new() { CardmarketId = 555, TcgplayerId = 200 }, // unmapped Cardmarket id falls through
            new() { Game = "Pokemon", Set = "Base Set", Name = "Pikachu", Number = "58" }, // name + number: exact
            new() { Game = "Pokemon", Set = "Base Set", Name = "Pikachu" }, // two Pikachus: ambiguous
            new() { Game = "Pokemon", Set = "Base Set", Name = "Mewtwo" }, // nothing
            new() { Urn = "URN:Managem:Bad/" }, // not canonical
        ];

        var results = await new ManagemIdentityResolver(host.Client).ResolveAsync(Seller, identities);

        results.Select(r => r.Status).ShouldBe([IdentityResolutionStatus.Resolved, IdentityResolutionStatus.Resolved, IdentityResolutionStatus.Resolved, IdentityResolutionStatus.Resolved, IdentityResolutionStatus.Ambiguous, IdentityResolutionStatus.Unresolved, IdentityResolutionStatus.Unresolved]);
        results.Take(4).Select(r => r.ResolvedBy).ShouldBe([ItemIdentityKind.Urn, ItemIdentityKind.CardmarketId, ItemIdentityKind.TcgplayerId, ItemIdentityKind.GameSetName]);
        results[0].Item!.Urn.ShouldBe("urn:managem:pokemon:set/base1/card/1");
        results[3].Item!.Urn.ShouldBe("urn:a");
        results[4].Candidates.Count.ShouldBe(2);
        results[5].Reason!.ShouldContain("no item named 'Mewtwo'");
        results[6].Reason!.ShouldContain("not canonical");
    }

    [Fact]
    public async Task Import_upload_is_multipart_with_the_file_field_and_never_retried()
    {
        var mock = new MockHttpMessageHandler();
        string? contentType = null, part = null;
        var calls = 0;
        mock.When(HttpMethod.Post, Base + "seller/imports").Respond(request =>
        {
            calls++;
            contentType = request.Content!.Headers.ContentType!.MediaType;
            part = request.Content.ReadAsStringAsync().Result;
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        });
        using var host = new ManagemTestHost(mock);
        var csv = "MODE,URN,GAME,SET,NAME,CARDMARKET_ID,TCGPLAYER_ID,CONDITION,PRICE,QUANTITY,VARIANTS,HIDDEN,COMMENT,NOTES,REFERENCE\nCREATE,urn:managem:pokemon:set/151/card/1,,,,,,NM,150,1,,false,,,sku-1\n";

        var error = await Should.ThrowAsync<ListingSyncRequestException>(() => host.Client.ImportJobs.CreateAsync(Seller, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), "backfill.csv"));

        calls.ShouldBe(1);
        error.OutcomeUnknown.ShouldBeTrue();
        contentType.ShouldBe("multipart/form-data");
        part.ShouldNotBeNull().ShouldContain("name=file");
        part.ShouldContain("filename=backfill.csv");
        part.ShouldContain("CREATE,urn:managem:pokemon:set/151/card/1");
    }

    [Fact]
    public async Task Import_lifecycle_routes_and_row_errors()
    {
        const string Import = """{"id":"imp_1","status":"RUNNING","total":10,"successful":4,"failed":1,"createdAt":"2026-03-01T12:00:00Z","updatedAt":"2026-03-01T12:00:00Z","key":"k","batches":[{"id":"b1","total":10,"successful":4,"failed":1,"status":"RUNNING","updatedAt":"2026-03-01T12:00:00Z"}],"errors":[]}""";
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Post, Base + "seller/imports").Respond("application/json", Import);
        mock.Expect(HttpMethod.Get, Base + "seller/imports/imp_1").Respond("application/json", Import);
        mock.Expect(HttpMethod.Get, Base + "seller/imports").Respond("application/json", $"[{Import}]");
        mock.Expect(HttpMethod.Post, Base + "seller/imports/imp_1/pause").Respond("application/json", Import.Replace("RUNNING", "PAUSED", StringComparison.Ordinal));
        mock.Expect(HttpMethod.Post, Base + "seller/imports/imp_1/resume").Respond("application/json", Import);
        mock.Expect(HttpMethod.Post, Base + "seller/imports/imp_1/terminate").Respond("application/json", Import.Replace("RUNNING", "TERMINATED", StringComparison.Ordinal));
        mock.Expect(HttpMethod.Get, Base + "seller/imports/imp_1/errors").Respond("application/json", """{"errors":[{"id":"e1","code":404,"message":"Item not found","line":"CREATE,urn:managem:x,,,,,,NM,150,1,,false,,,sku-9"}]}""");
        using var host = new ManagemTestHost(mock);

        var job = await host.Channel.StartImportAsync(Seller, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(ManagemCsvImportBuilder.Header + "\r\n")), "a.csv");
        (await host.Channel.GetImportAsync(Seller, "imp_1")).PercentComplete.ShouldBe(50);
        (await host.Client.ImportJobs.ListAsync(Seller)).ShouldHaveSingleItem();
        (await host.Client.ImportJobs.PauseAsync(Seller, "imp_1")).ToStatus().State.ShouldBe(ImportJobState.Paused);
        (await host.Client.ImportJobs.ResumeAsync(Seller, "imp_1")).ToStatus().State.ShouldBe(ImportJobState.Running);
        (await host.Client.ImportJobs.TerminateAsync(Seller, "imp_1")).ToStatus().IsFinished.ShouldBeTrue();
        var issue = (await host.Channel.GetImportIssuesAsync(Seller, "imp_1")).ShouldHaveSingleItem();

        mock.VerifyNoOutstandingExpectation();
        job.State.ShouldBe(ImportJobState.Running);
        job.Total.ShouldBe(10);
        issue.Code.ShouldBe("404");
        issue.Line!.ShouldContain("sku-9");
    }
}
