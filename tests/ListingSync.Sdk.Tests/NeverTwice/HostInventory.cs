using ListingSync.Sdk.Model;
using ListingSync.Sdk.Tests.Emulator;

namespace ListingSync.Sdk.Tests.NeverTwice;

/// <summary>A host's inventory over the Managem emulator's catalogue: references <c>host-{i}</c>, one URN each.</summary>
internal static class HostInventory
{
    public static ListingDraft Draft(Testing.Managem.EmulatedItem item, int i, decimal price = 1.25m, int quantity = 1) => new()
    {
        Reference = $"host-{i:D5}", Item = ItemIdentity.FromUrn(item.Urn), Condition = ListingCondition.NearMint,
        Language = "English", Price = Money.Gbp(price), Quantity = quantity,
    };

    public static List<ListingDraft> Of(EmulatorSession session, int count, bool varied = false) =>
        [.. session.Emulator.Catalogue.Items.Take(count).Select((item, i) => varied ? Draft(item, i, 1.25m + (i % 7), 1 + (i % 3)) : Draft(item, i))];
}
