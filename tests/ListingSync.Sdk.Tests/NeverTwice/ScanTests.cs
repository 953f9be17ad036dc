using System.Net;
using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;
using ListingSync.Sdk.Tests.Emulator;
using RichardSzalay.MockHttp;

namespace ListingSync.Sdk.Tests.NeverTwice;

/// <summary>Issue 13, situation 3: a listing missing from one scan is never created again.</summary>
public class ScanTests
{
    private static readonly SellerScope Seller = new(EmulatorSession.SellerId);

    [Theory]
    [InlineData(1, 2)]
    [InlineData(5, 2)]
    [InlineData(2, 2)]
    [InlineData(60, 2)]
    public async Task Deletes_between_two_pages_skip_no_listing_that_still_exists(int deletes, int overlap)
    {
        await using var session = await EmulatorSession.StartAsync(configure: o => o.ScanOverlap = overlap);
        var items = session.Emulator.Catalogue.Items;
        var seeded = session.Emulator.SeedListings(EmulatorSession.SellerId, Enumerable.Range(0, 150).Select(i => (items[i].Urn, 125L, 1, (string?)$"host-{i:D3}")));

        var first = await session.Channel.GetListingsPageAsync(Seller);
        foreach (var gone in seeded.Take(deletes))
        {
            session.Emulator.SimulateSellerDelete(EmulatorSession.SellerId, gone.Id); // the seller deletes on the marketplace mid-scan
        }

        var seen = first.Items.Select(l => l.Id).ToList();
        for (var token = first.ContinuationToken; token is not null;)
        {
            var page = await session.Channel.GetListingsPageAsync(Seller, token);
            seen.AddRange(page.Items.Select(l => l.Id));
            token = page.ContinuationToken;
        }

        var remaining = session.Emulator.Listings(EmulatorSession.SellerId).Select(l => l.Id);
        remaining.Except(seen).ShouldBeEmpty();
        seen.Distinct().Count().ShouldBe(seen.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public async Task A_mapped_listing_skipped_by_a_shifted_page_is_confirmed_by_id_and_not_created_again(int deletes)
    {
        // Overlap 0: the page walker alone would skip the listing at the boundary (the behaviour the issue observed).
        await using var session = await EmulatorSession.StartAsync(configure: o => o.ScanOverlap = 0);
        var items = session.Emulator.Catalogue.Items;
        var drafts = Enumerable.Range(0, 120).Select(i => HostInventory.Draft(items[i], i)).ToList();
        var store = new InMemoryMappingStore();
        var reconciler = new Reconciler(store);
        await reconciler.ApplyAsync(session.Channel, await reconciler.PlanAsync(session.Channel, Seller, drafts.ToAsyncEnumerable()));
        var listed = session.Emulator.Listings(EmulatorSession.SellerId);
        var channel = new DeleteAfterFirstPage(session.Channel, () =>
        {
            foreach (var gone in listed.Take(deletes))
            {
                session.Emulator.SimulateSellerDelete(EmulatorSession.SellerId, gone.Id);
            }
        });

        var plan = await reconciler.PlanAsync(channel, Seller, drafts.ToAsyncEnumerable());
        await reconciler.ApplyAsync(session.Channel, plan);

        // The deleted listings were on the first page, read before they went; the ones that shifted over the page boundary
        // were not returned by the scan, were read by id, and exist: nothing is created.
        plan.Count(PlanAction.Create).ShouldBe(0);
        var byReference = session.Emulator.Listings(EmulatorSession.SellerId).GroupBy(l => l.Reference).ToList();
        byReference.Count.ShouldBe(120 - deletes);
        byReference.ShouldAllBe(g => g.Count() == 1); // no duplicate
        session.Emulator.RouteCounts.GetValueOrDefault("GET /seller/listings/{id}").ShouldBe(deletes); // the confirmations
    }

    [Theory]
    [InlineData("empty", """{"total":120,"hits":[]}""", "no hits although the total is 120")]
    [InlineData("null", """{"total":120,"hits":null}""", "no hit list")]
    [InlineData("missing-hits", """{"total":120}""", "no hit list")]
    [InlineData("missing-total", """{"hits":[]}""", "no total")]
    public async Task A_page_that_would_end_the_scan_early_is_an_error_naming_the_page(string name, string secondPage, string problem)
    {
        var mock = new MockHttpMessageHandler();
        var calls = 0;
        mock.When(HttpMethod.Post, ManagemTestHost.Base + "seller/listings/search").Respond(_ =>
            new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(++calls == 1 ? Page(0, 50, 120) : secondPage) });
        using var host = new ManagemTestHost(mock);

        var error = await Should.ThrowAsync<ListingSyncRequestException>(async () =>
        {
            await foreach (var _ in host.Channel.GetListingsAsync(ManagemTestHost.Seller))
            {
            }
        });

        error.Message.ShouldContain("from=48", customMessage: name);
        error.Message.ShouldContain(problem, customMessage: name);
        error.ErrorCode.ShouldBe("inconsistent-page");
    }

    [Fact]
    public async Task A_page_that_repeats_forever_under_a_huge_total_stops_at_the_second_page()
    {
        var mock = new MockHttpMessageHandler();
        var calls = 0;
        mock.When(HttpMethod.Post, ManagemTestHost.Base + "seller/listings/search").Respond(_ => { calls++; return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Page(0, 50, 1_000_000_000)) }; });
        using var host = new ManagemTestHost(mock);

        var error = await Should.ThrowAsync<ListingSyncRequestException>(async () =>
        {
            await foreach (var _ in host.Channel.GetListingsAsync(ManagemTestHost.Seller))
            {
            }
        });

        error.Message.ShouldContain("repeats");
        calls.ShouldBe(2);
    }

    [Fact]
    public async Task A_total_reported_too_low_is_caught_by_the_page_that_crosses_it()
    {
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Post, ManagemTestHost.Base + "seller/listings/search").Respond(request =>
        {
            var from = System.Text.Json.JsonDocument.Parse(request.Content!.ReadAsStringAsync().Result).RootElement.GetProperty("from").GetInt32();
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Page(from, Math.Min(50, 120 - from), 100)) }; // 120 exist, 100 claimed
        });
        using var host = new ManagemTestHost(mock);

        var error = await Should.ThrowAsync<ListingSyncRequestException>(async () =>
        {
            await foreach (var _ in host.Channel.GetListingsAsync(ManagemTestHost.Seller))
            {
            }
        });

        error.Message.ShouldContain("past the total of 100");
    }

    [Fact]
    public async Task A_planned_scan_that_fails_plans_nothing()
    {
        var mock = new MockHttpMessageHandler();
        var calls = 0;
        mock.When(HttpMethod.Post, ManagemTestHost.Base + "seller/listings/search").Respond(_ =>
            new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(++calls == 1 ? Page(0, 50, 120) : """{"total":120,"hits":[]}""") });
        using var host = new ManagemTestHost(mock);
        var drafts = Enumerable.Range(0, 120).Select(i => ManagemTestHost.Draft(i, reference: $"r-{i}")).ToList();

        await Should.ThrowAsync<ListingSyncRequestException>(() => new Reconciler(new InMemoryMappingStore()).PlanAsync(host.Channel, ManagemTestHost.Seller, drafts.ToAsyncEnumerable()));
    }

    private static string Page(int from, int count, long total) =>
        $$"""{"total":{{total}},"hits":[{{string.Join(",", Enumerable.Range(from, count).Select(i => ManagemTestHost.ListingJson($"lst_{i}", $"urn:managem:pokemon:set/151/card/{i}", reference: $"r-{i}")))}}]}""";

    /// <summary>Runs an action once, after the first page of the scan was read: a seller deleting listings mid-scan.</summary>
    private sealed class DeleteAfterFirstPage(ManagemChannel inner, Action afterFirstPage) : Testing.DelegatingListingChannel(inner)
    {
        private int _pages;

        public override async IAsyncEnumerable<Listing> GetListingsAsync(SellerScope seller, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            string? token = null;
            do
            {
                var page = await GetListingsPageAsync(seller, token, cancellationToken);
                foreach (var listing in page.Items)
                {
                    yield return listing;
                }

                token = page.ContinuationToken;
            }
            while (token is not null);
        }

        public override async Task<ListingPage<Listing>> GetListingsPageAsync(SellerScope seller, string? continuationToken = null, CancellationToken cancellationToken = default)
        {
            var page = await base.GetListingsPageAsync(seller, continuationToken, cancellationToken);
            if (++_pages == 1)
            {
                afterFirstPage();
            }

            return page;
        }
    }
}
