using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;
using ListingSync.Sdk.Testing;
using ListingSync.Sdk.Tests.Contracts;
using ListingSync.Sdk.Tests.Emulator;

namespace ListingSync.Sdk.Tests.NeverTwice;

/// <summary>Issue 13, situation 4: one bad draft never stops an apply, and a rule the channel enforces is checked at plan time.</summary>
public class BadDraftTests
{
    private static readonly SellerScope Seller = new(EmulatorSession.SellerId);

    [Theory]
    [InlineData("1e27", "range")]
    [InlineData("79228162514264337593543950335", "range")] // decimal.MaxValue
    [InlineData("1.234", "precision")]
    public async Task A_draft_managem_would_refuse_is_rejected_at_plan_time_and_the_twenty_good_ones_are_created(string price, string rule)
    {
        await using var session = await EmulatorSession.StartAsync();
        var items = session.Emulator.Catalogue.Items;
        var drafts = Enumerable.Range(0, 21).Select(i => HostInventory.Draft(items[i], i)).ToList();
        drafts[7] = drafts[7] with { Price = Money.Gbp(decimal.Parse(price, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture)) };
        var reconciler = new Reconciler(new InMemoryMappingStore());

        var plan = await reconciler.PlanAsync(session.Channel, Seller, drafts.ToAsyncEnumerable());
        var result = await reconciler.ApplyAsync(session.Channel, plan);
        var again = await reconciler.PlanAsync(session.Channel, Seller, drafts.ToAsyncEnumerable());

        plan.Steps.Single(s => s.Action == PlanAction.Reject).ShouldSatisfyAllConditions(
            s => s.Reference.ShouldBe("host-00007"),
            s => s.Errors.ShouldContain(e => e.Field == "price" && e.Rule == rule));
        result.Of(PlanAction.Create).Count(r => r.Status == ListingWriteStatus.Succeeded).ShouldBe(20);
        session.Emulator.Listings(EmulatorSession.SellerId).Count.ShouldBe(20);
        again.Count(PlanAction.Create).ShouldBe(0); // converged: the bad draft is reported, not retried on every pass
        again.Count(PlanAction.Reject).ShouldBe(1);
    }

    [Fact]
    public async Task A_draft_in_another_currency_is_rejected_at_plan_time_naming_the_account_currency()
    {
        await using var session = await EmulatorSession.StartAsync();
        var draft = HostInventory.Draft(session.Emulator.Catalogue.Items[0], 0) with { Price = Money.Eur(2m) };

        var plan = await new Reconciler(new InMemoryMappingStore()).PlanAsync(session.Channel, Seller, new[] { draft }.ToAsyncEnumerable());

        plan.Steps.ShouldHaveSingleItem().Errors.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            e => e.Field.ShouldBe("price.currency"),
            e => e.Message.ShouldContain("GBP"));
    }

    [Fact]
    public async Task A_draft_known_only_by_cardmarket_id_without_a_resolver_is_flagged_at_plan_time_naming_the_fix()
    {
        await using var session = await EmulatorSession.StartAsync();
        var draft = HostInventory.Draft(session.Emulator.Catalogue.Items[0], 0) with { Item = new ItemIdentity { CardmarketId = 123 } };

        var plan = await new Reconciler(new InMemoryMappingStore()).PlanAsync(session.Channel, Seller, new[] { draft }.ToAsyncEnumerable());

        var error = plan.Steps.ShouldHaveSingleItem().Errors.ShouldHaveSingleItem();
        (error.Field, error.Rule).ShouldBe(("item.urn", "urn-required"));
        error.Message.ShouldContain("ManagemIdentityResolver");
    }

    [Fact]
    public async Task Any_failure_of_one_update_is_that_items_result_and_the_others_are_written()
    {
        var inner = new InMemoryListingChannel("shop");
        var store = new InMemoryMappingStore();
        var reconciler = new Reconciler(store);
        var drafts = Enumerable.Range(0, 10).Select(i => ListingChannelContractTests.SkuDraft(i)).ToList();
        await reconciler.ApplyAsync(inner, await reconciler.PlanAsync(inner, new SellerScope("s"), drafts.ToAsyncEnumerable()));
        var broken = inner.Listings(new SellerScope("s"))[3].Id;
        var channel = new ThrowingUpdates(inner, broken);
        var repriced = drafts.Select(d => d with { Price = Money.Eur(99m) }).ToList();

        var result = await reconciler.ApplyAsync(channel, await reconciler.PlanAsync(channel, new SellerScope("s"), repriced.ToAsyncEnumerable()));

        var updates = result.Of(PlanAction.Update);
        updates.Count().ShouldBe(10);
        updates.Single(r => r.Status != ListingWriteStatus.Succeeded).ShouldSatisfyAllConditions(
            r => r.ListingId.ShouldBe(broken),
            r => r.Exception.ShouldBeOfType<OverflowException>());
        inner.Listings(new SellerScope("s")).Count(l => l.Price == Money.Eur(99m)).ShouldBe(9);
    }

    /// <summary>A channel whose update of one listing fails with an exception the SDK does not know.</summary>
    private sealed class ThrowingUpdates(InMemoryListingChannel inner, string failingId) : DelegatingListingChannel(inner)
    {
        public override Task<ListingWriteResult> UpdateListingAsync(SellerScope seller, string listingId, ListingDraft draft, CancellationToken cancellationToken = default) =>
            listingId == failingId ? throw new OverflowException("Value was either too large or too small for an Int64.") : base.UpdateListingAsync(seller, listingId, draft, cancellationToken);
    }
}

/// <summary>Issue 13, references: one Unicode form, and no reference that hides what it is.</summary>
public class ReferenceRulesTests
{
    [Fact]
    public async Task Cafe_typed_with_a_combining_accent_and_precomposed_is_one_product_created_once()
    {
        var channel = new InMemoryListingChannel("shop");
        var reconciler = new Reconciler(new InMemoryMappingStore());
        var seller = new SellerScope("s");
        var composed = ListingChannelContractTests.SkuDraft(1, reference: "caf\u00E9-1");
        var decomposed = composed with { Reference = "cafe\u0301-1" };

        await reconciler.ApplyAsync(channel, await reconciler.PlanAsync(channel, seller, new[] { composed }.ToAsyncEnumerable()));
        var again = await reconciler.PlanAsync(channel, seller, new[] { decomposed }.ToAsyncEnumerable());

        again.HasChanges.ShouldBeFalse();
        channel.Listings(seller).ShouldHaveSingleItem().Reference.ShouldBe("caf\u00E9-1");
    }

    [Theory]
    [InlineData("\u200B\u200D", "not-blank")]
    [InlineData("sku-1\u202Egpj.exe", "no-bidi-controls")]
    [InlineData("sku\u0007-1", "no-control-characters")]
    [InlineData("sku-\u2066x\u2069", "no-bidi-controls")]
    public void A_reference_that_hides_what_it_is_is_rejected_naming_the_rule(string reference, string rule)
    {
        var draft = ListingChannelContractTests.SkuDraft(1, reference: reference);

        Sdk.Validation.ListingDraftValidator.Validate(draft).ShouldContain(e => e.Field == "reference" && e.Rule == rule);
    }

    [Fact]
    public void Ordinary_references_in_any_script_pass()
    {
        foreach (var reference in new[] { "SKU-0001", "Schallplatte-Ä", "カード-25", "карта 7", "كتاب-3" })
        {
            Sdk.Validation.ListingDraftValidator.Validate(ListingChannelContractTests.SkuDraft(1, reference: reference)).ShouldBeEmpty(reference);
        }
    }
}
