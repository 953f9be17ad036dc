using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Testing;
using ListingSync.Sdk.Testing.Managem;
using ListingSync.Sdk.Tests.Emulator;

namespace ListingSync.Sdk.Tests.Contracts;

/// <summary>The channel contract against each channel: Managem over loopback to its emulator, and the in-memory channel in its shapes.</summary>
public class ListingChannelContractTests
{
    public static TheoryData<string> Cases => new(ListingChannelContract.CaseNames);

    [Theory, MemberData(nameof(Cases))]
    public Task Managem_meets_the_channel_contract(string name) => ListingChannelContract.RunAsync(name, async () =>
    {
        var session = await EmulatorSession.StartAsync(new ManagemEmulatorOptions { GeneratedItems = 50 });
        var items = session.Emulator.Catalogue.Items;
        return new ListingChannelContractSubject
        {
            Channel = session.Channel,
            Seller = new SellerScope(EmulatorSession.SellerId),
            Draft = n => new ListingDraft
            {
                Reference = $"contract-{n}",
                Item = ItemIdentity.FromUrn(items[n].Urn),
                Condition = ListingCondition.NearMint,
                Language = "English",
                Price = Money.Gbp(1.25m + n),
                Quantity = 1,
            },
            CountListings = () => Task.FromResult(session.Emulator.Listings(EmulatorSession.SellerId).Count),
            SeedWithoutReference = draft =>
            {
                session.Emulator.SeedListings(EmulatorSession.SellerId, [(draft.Item.Urn!, (long)(draft.Price.Amount * 100), draft.Quantity, null)]);
                return Task.CompletedTask;
            },
            LoseNextCreateAnswer = () => session.Emulator.LoseNextWriteAnswers(1),
            Owner = session,
        };
    });

    [Theory, MemberData(nameof(Cases))]
    public Task A_sku_keyed_channel_meets_the_channel_contract(string name) => ListingChannelContract.RunAsync(name, () => Task.FromResult(InMemory(new InMemoryListingChannel("shop") { PageSize = 3 })));

    [Theory, MemberData(nameof(Cases))]
    public Task A_channel_that_cannot_list_meets_the_channel_contract(string name) => ListingChannelContract.RunAsync(name, () => Task.FromResult(InMemory(new InMemoryListingChannel(
        "one-by-one",
        ChannelCapabilities.GetListing | ChannelCapabilities.CreateListings | ChannelCapabilities.UpdateListings | ChannelCapabilities.StoresReference))));

    internal static ListingDraft SkuDraft(int n, string? reference = null) => new()
    {
        Reference = reference ?? $"contract-{n}",
        Item = new ItemIdentity { Sku = $"SKU-{n:D4}", Name = $"Product {n}" },
        Condition = ListingCondition.New,
        Language = "en",
        Price = Money.Eur(10m + n),
        Quantity = 2,
    };

    private static ListingChannelContractSubject InMemory(InMemoryListingChannel channel)
    {
        var seller = new SellerScope("contract-seller");
        return new ListingChannelContractSubject
        {
            Channel = channel,
            Seller = seller,
            Draft = n => SkuDraft(n),
            CountListings = () => Task.FromResult(channel.Listings(seller).Count),
            SeedWithoutReference = draft =>
            {
                channel.Seed(seller, [draft with { Reference = null }]);
                return Task.CompletedTask;
            },
            LoseNextCreateAnswer = () => channel.LoseNextCreateAnswers(1),
        };
    }
}
