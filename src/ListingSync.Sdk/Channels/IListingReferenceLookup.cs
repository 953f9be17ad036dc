using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels;

/// <summary>
/// A channel that can find listings by the host's reference (Managem: list listings by item, matched on
/// <c>reference</c>). The reconciler uses it to learn the ids of listings it just created, and bulk create uses it
/// to check what an ambiguous failure did.
/// </summary>
public interface IListingReferenceLookup
{
    /// <summary>Finds the listings carrying each reference; returns reference → listing id for those found.</summary>
    Task<IReadOnlyDictionary<string, string>> FindListingIdsAsync(SellerScope seller, IReadOnlyList<(string Reference, ItemIdentity Item)> wanted, CancellationToken cancellationToken = default);
}
