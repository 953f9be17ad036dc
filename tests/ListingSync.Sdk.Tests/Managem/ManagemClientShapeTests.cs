using System.Reflection;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Tests.Managem;

/// <summary>Issue 12: ManagemClient is split into focused sub-clients sharing one pipeline, and every part can be substituted in a test.</summary>
public class ManagemClientShapeTests
{
    [Fact]
    public async Task A_test_double_of_one_sub_client_serves_the_channel()
    {
        var channel = new ManagemChannel(new FakeManagem());

        var listing = await channel.GetListingAsync(SellerScope.Default, "lst_42");

        listing.ShouldNotBeNull().Id.ShouldBe("lst_42");
        listing.Price.ShouldBe(Money.Gbp(4.99m));
    }

    [Fact]
    public void The_sub_clients_share_one_http_pipeline_and_each_is_focused()
    {
        using var host = new ManagemTestHost(new RichardSzalay.MockHttp.MockHttpMessageHandler());
        var client = host.Client;
        var pipelines = new object?[] { client.Seller, client.Items, client.Listings, client.Webhooks, client.ImportJobs }
            .Select(c => c!.GetType().GetField("_http", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(c))
            .Distinct()
            .ToList();

        pipelines.ShouldHaveSingleItem().ShouldNotBeNull();
        typeof(ManagemClient).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Where(m => !m.IsSpecialName).ShouldBeEmpty();
        foreach (var type in new[] { typeof(ManagemClient), typeof(ManagemSellerClient), typeof(ManagemItemsClient), typeof(ManagemListingsClient), typeof(ManagemWebhooksClient), typeof(ManagemImportsClient) })
        {
            type.IsSealed.ShouldBeFalse(type.Name);
            type.GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic, Type.EmptyTypes).ShouldNotBeNull($"{type.Name} has a protected constructor for test doubles");
            type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Where(m => !m.IsSpecialName || type == typeof(ManagemClient))
                .ShouldAllBe(m => m.IsVirtual, $"{type.Name}'s public members are virtual");
            type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Count(m => !m.IsSpecialName).ShouldBeLessThanOrEqualTo(8, type.Name);
        }
    }

    private sealed class FakeManagem : ManagemClient
    {
        public override ManagemListingsClient Listings { get; } = new FakeListings();
    }

    private sealed class FakeListings : ManagemListingsClient
    {
        public override Task<Listing?> GetAsync(SellerScope seller, string listingId, CancellationToken cancellationToken = default) =>
            Task.FromResult<Listing?>(new Listing
            {
                Id = listingId,
                Item = ItemIdentity.FromUrn("urn:managem:pokemon:set/151/card/25"),
                Condition = ListingCondition.NearMint,
                Language = "English",
                Price = Money.Gbp(4.99m),
                Quantity = 1,
            });
    }
}
