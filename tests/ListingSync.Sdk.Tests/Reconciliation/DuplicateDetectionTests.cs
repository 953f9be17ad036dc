using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;

namespace ListingSync.Sdk.Tests.Reconciliation;

/// <summary>
/// The planner's duplicate finder over a large scan: seed 000's duplicate attributes (game, set, number, price, quantity,
/// condition) decide, listings are bucketed by a hash of them, and only equal hashes are compared field by field.
/// </summary>
public class DuplicateDetectionTests
{
    private static Listing Card(int i, string number, decimal price = 1.00m, int quantity = 1, string? reference = null) => new()
    {
        Id = $"lst-{i:D6}",
        Reference = reference,
        Item = new ItemIdentity { Urn = $"urn:managem:pokemon:set/base/card/{number}", Game = "Pokemon", Set = "Base Set", Number = number },
        Condition = ListingCondition.NearMint,
        Language = "English",
        Price = Money.Gbp(price),
        Quantity = quantity,
        CreatedAt = DateTimeOffset.UnixEpoch.AddMinutes(i),
    };

    private static async IAsyncEnumerable<T> Stream<T>(IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            yield return item;
        }

        await Task.CompletedTask;
    }

    [Fact]
    public async Task Among_twenty_thousand_listings_every_group_of_duplicates_is_found_once_in_streamed_order_and_near_misses_are_not()
    {
        // 20,000 distinct cards, then planted groups; near misses differ in one duplicate attribute only.
        var remote = Enumerable.Range(0, 20_000).Select(i => Card(i, $"n{i}")).ToList();
        remote[15_000] = Card(15_000, "n10");            // group A: 10, 15000, 19999
        remote[19_999] = Card(19_999, "n10");
        remote[7_000] = Card(7_000, "n12");              // group C: 12, 7000
        remote[501] = Card(501, "n500");                 // group B: 500, 501
        remote[502] = Card(502, "n500", price: 1.01m);   // near misses of B: another price,
        remote[503] = Card(503, "n500", quantity: 2);    // another quantity,
        remote[504] = Card(504, "n500") with { Condition = ListingCondition.LightlyPlayed }; // another condition,
        remote[505] = Card(505, "n500") with { Item = remote[500].Item with { Set = "Jungle" } }; // another set

        var plan = await new Reconciler(new InMemoryMappingStore()).PlanAsync("managem", SellerScope.Default, Stream(Array.Empty<ListingDraft>()), Stream(remote), new ReconcilerOptions { UnknownRemote = UnknownRemotePolicy.Ignore });

        var groups = plan.Steps.Where(s => s.Action == PlanAction.FlagDuplicate).Select(s => s.RelatedListingIds.ToArray()).ToList();
        groups.Count.ShouldBe(3);
        groups[0].ShouldBe(["lst-000010", "lst-015000", "lst-019999"]); // oldest first within a group
        groups[1].ShouldBe(["lst-000012", "lst-007000"]);               // groups in the order their first listing streamed
        groups[2].ShouldBe(["lst-000500", "lst-000501"]);
    }

    [Fact]
    public async Task With_KeepOne_the_extra_listings_are_removed_and_the_one_the_host_adopted_is_kept()
    {
        var remote = new[] { Card(0, "7"), Card(1, "7"), Card(2, "7", reference: "prod-7"), Card(3, "8") };
        var desired = new ListingDraft
        {
            Reference = "prod-7",
            Item = remote[2].Item,
            Condition = ListingCondition.NearMint,
            Language = "English",
            Price = Money.Gbp(1.00m),
            Quantity = 1,
        };

        var plan = await new Reconciler(new InMemoryMappingStore()).PlanAsync("managem", SellerScope.Default, Stream([desired]), Stream(remote), new ReconcilerOptions { UnknownRemote = UnknownRemotePolicy.Ignore, Duplicates = DuplicatePolicy.KeepOne });

        plan.Steps.Where(s => s.Action == PlanAction.FlagDuplicate).ShouldHaveSingleItem().RelatedListingIds.ShouldBe(["lst-000002", "lst-000000", "lst-000001"]);
        plan.Steps.Where(s => s.Action == PlanAction.Remove).Select(s => s.ListingId).ShouldBe(["lst-000000", "lst-000001"]);
        plan.Steps.Where(s => s.Action == PlanAction.Link).ShouldHaveSingleItem().ListingId.ShouldBe("lst-000002");
    }
}
