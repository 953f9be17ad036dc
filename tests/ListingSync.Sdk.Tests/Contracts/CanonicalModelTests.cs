using System.Text.Json;
using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;
using ListingSync.Sdk.Testing;
using ListingSync.Sdk.Tests.Emulator;

namespace ListingSync.Sdk.Tests.Contracts;

/// <summary>The grown canonical model: rich fields compared, owned and written field by field; channel-specific fields kept.</summary>
public class CanonicalModelTests
{
    private static readonly SellerScope Seller = new("seller-1");

    private static ListingDraft Rich(int n) => ListingChannelContractTests.SkuDraft(n) with
    {
        Titles = new Dictionary<string, string> { ["en"] = $"Vinyl record {n}", ["de"] = $"Schallplatte {n}" },
        Descriptions = new Dictionary<string, string> { ["en"] = "<p>Original pressing</p>" },
        Category = "music/vinyl",
        Attributes = [new ListingAttribute("artist", "The Examples", "record"), new ListingAttribute("catalogue-number", "EX-001", "record")],
        Pictures = [new ListingPicture("https://img.example/front.jpg"), new ListingPicture("https://img.example/back.jpg", "Back")],
        Variations = [new ListingVariation { Sku = $"SKU-{n}-black", Quantity = 1, Attributes = [new ListingAttribute("colour", "black")], PictureIndexes = [0] }],
        Package = new PackageDimensions(31.5m, 31.5m, 0.5m, 0.25m),
        QuantityByLocation = new Dictionary<string, int> { ["wh-berlin"] = 1, ["wh-leeds"] = 1 },
    };

    [Fact]
    public async Task A_changed_title_is_one_update_of_titles_only_and_channel_specific_fields_survive_the_write()
    {
        var channel = new InMemoryListingChannel("shop");
        var extensions = new Dictionary<string, JsonElement> { ["elistingid"] = JsonDocument.Parse("\"E-77\"").RootElement.Clone(), ["restrictions"] = JsonDocument.Parse("""{"adult":false}""").RootElement.Clone() };
        var existing = channel.Seed(Seller, [Rich(1) with { Reference = null, Extensions = extensions }]).Single();
        var store = new InMemoryMappingStore();
        var reconciler = new Reconciler(store);
        var renamed = Rich(1) with { Titles = new Dictionary<string, string> { ["en"] = "Vinyl record 1 (mint)", ["de"] = "Schallplatte 1" } };

        var plan = await reconciler.PlanAsync(channel, Seller, new[] { renamed }.ToAsyncEnumerable());
        await reconciler.ApplyAsync(channel, plan);

        plan.Steps.Single(s => s.Action == PlanAction.Link).ListingId.ShouldBe(existing.Id); // adopted by SKU
        plan.Steps.Single(s => s.Action == PlanAction.Update).ChangedFields.ShouldBe(ListingFields.Titles);
        var written = channel.Listings(Seller).ShouldHaveSingleItem();
        written.Titles["en"].ShouldBe("Vinyl record 1 (mint)");
        written.Attributes.ShouldBe(Rich(1).Attributes);
        written.QuantityByLocation["wh-leeds"].ShouldBe(1);
        written.Extensions.Keys.Order().ShouldBe(["elistingid", "restrictions"]); // not modelled, not lost
        written.Extensions["elistingid"].GetString().ShouldBe("E-77");
        (await reconciler.PlanAsync(channel, Seller, new[] { renamed }.ToAsyncEnumerable())).HasChanges.ShouldBeFalse();
    }

    [Fact]
    public async Task A_field_the_host_does_not_own_is_neither_compared_nor_overwritten()
    {
        var channel = new InMemoryListingChannel("shop");
        channel.Seed(Seller, [Rich(1) with { Reference = null, Descriptions = new Dictionary<string, string> { ["en"] = "Written on the marketplace" } }]);
        var options = new ReconcilerOptions { OwnedFields = ListingFields.All & ~ListingFields.Descriptions };
        var reconciler = new Reconciler(new InMemoryMappingStore());
        var desired = Rich(1) with { Price = Money.Eur(25m) };

        var plan = await reconciler.PlanAsync(channel, Seller, new[] { desired }.ToAsyncEnumerable(), options);
        await reconciler.ApplyAsync(channel, plan);

        plan.Steps.Single(s => s.Action == PlanAction.Update).ChangedFields.ShouldBe(ListingFields.Price);
        var written = channel.Listings(Seller).ShouldHaveSingleItem();
        written.Price.ShouldBe(Money.Eur(25m));
        written.Descriptions["en"].ShouldBe("Written on the marketplace");
    }

    [Fact]
    public async Task Content_a_channel_cannot_store_is_never_a_change_so_a_managem_sync_converges()
    {
        await using var session = await EmulatorSession.StartAsync();
        var item = session.Emulator.Catalogue.Items[0];
        var draft = new ListingDraft
        {
            Reference = "card-1", Item = ItemIdentity.FromUrn(item.Urn), Condition = ListingCondition.NearMint, Language = "English", Price = Money.Gbp(2m), Quantity = 1,
            Titles = new Dictionary<string, string> { ["en"] = "Managem titles listings by catalogue item" },
            Pictures = [new ListingPicture("https://img.example/card.jpg")],
        };
        var reconciler = new Reconciler(new InMemoryMappingStore());

        await reconciler.ApplyAsync(session.Channel, await reconciler.PlanAsync(session.Channel, Seller, new[] { draft }.ToAsyncEnumerable()));
        var again = await reconciler.PlanAsync(session.Channel, Seller, new[] { draft }.ToAsyncEnumerable());

        session.Channel.Fields.HasFlag(ListingFields.Titles).ShouldBeFalse();
        again.HasChanges.ShouldBeFalse();
        again.Drift.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_description_edited_on_the_marketplace_is_reported_as_content_drift()
    {
        var channel = new InMemoryListingChannel("shop");
        var store = new InMemoryMappingStore();
        var reconciler = new Reconciler(store);
        await reconciler.ApplyAsync(channel, await reconciler.PlanAsync(channel, Seller, new[] { Rich(1) }.ToAsyncEnumerable()));
        var listing = channel.Listings(Seller).Single();
        (await channel.UpdateListingAsync(Seller, listing.Id, Rich(1) with { Descriptions = new Dictionary<string, string> { ["en"] = "edited by the seller" } })).IsSuccess.ShouldBeTrue();

        var plan = await reconciler.PlanAsync(channel, Seller, new[] { Rich(1) }.ToAsyncEnumerable());

        plan.Drift.ShouldHaveSingleItem().Fields.ShouldBe(ListingFields.Content);
        plan.Steps.Single(s => s.Action == PlanAction.Update).ChangedFields.ShouldBe(ListingFields.Descriptions);
    }

    [Theory]
    [InlineData("quantityByLocation", "adds-up")]
    [InlineData("pictures[0].url", "absolute-http-url")]
    [InlineData("package", "non-negative")]
    [InlineData("attributes[0]", "name-and-value")]
    public async Task A_rich_draft_breaking_a_rule_is_rejected_at_plan_time_naming_field_and_rule(string field, string rule)
    {
        var draft = field switch
        {
            "quantityByLocation" => Rich(1) with { QuantityByLocation = new Dictionary<string, int> { ["wh-berlin"] = 5 } },
            "pictures[0].url" => Rich(1) with { Pictures = [new ListingPicture("front.jpg")] },
            "package" => Rich(1) with { Package = new PackageDimensions(-1m, 1m, 1m, 1m) },
            _ => Rich(1) with { Attributes = [new ListingAttribute("", "x")] },
        };
        var channel = new InMemoryListingChannel("shop");

        var plan = await new Reconciler(new InMemoryMappingStore()).PlanAsync(channel, Seller, new[] { draft, Rich(2) }.ToAsyncEnumerable());

        var reject = plan.Steps.Single(s => s.Action == PlanAction.Reject);
        reject.Errors.ShouldContain(e => e.Field == field && e.Rule == rule);
        plan.Count(PlanAction.Create).ShouldBe(1); // the good draft goes on
    }

    [Fact]
    public void Canonical_records_print_their_lists_and_dictionaries_readably()
    {
        var draft = new ListingDraft
        {
            Reference = "sku-1",
            Item = ItemIdentity.FromUrn("urn:managem:pokemon:set/151/card/25"),
            Condition = ListingCondition.NearMint,
            Language = "English",
            Price = Money.Gbp(4.99m),
            Quantity = 2,
            Variants = ["foil", "signed"],
            Titles = new Dictionary<string, string> { ["en"] = "Pikachu", ["de"] = "Pikachu (DE)" },
            Pictures = [new ListingPicture("https://img.example/1.jpg")],
        };

        var text = draft.ToString();

        text.ShouldStartWith("ListingDraft { Reference = sku-1, ");
        text.ShouldContain("Variants = [foil, signed]");
        text.ShouldContain("Titles = {en: Pikachu, de: Pikachu (DE)}");
        text.ShouldContain("Pictures = [ListingPicture { Url = https://img.example/1.jpg, Title =  }]");
        text.ShouldNotContain("System.String[]");
        text.ShouldNotContain("System.Collections");
        new Listing { Id = "lst_1", Item = draft.Item, Condition = draft.Condition, Language = "English", Price = draft.Price, Quantity = 1, Variants = ["foil"] }
            .ToString().ShouldContain("Variants = [foil]");
    }
}
