using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels;

/// <summary>Turns host item identities into the identity a channel lists by (Managem: a URN).</summary>
public interface IIdentityResolver
{
    /// <summary>One outcome per identity, in input order: the resolved identity, or why it could not be resolved.</summary>
    Task<IReadOnlyList<(ItemIdentity? Resolved, string? Problem)>> ResolveIdentitiesAsync(SellerScope seller, IReadOnlyList<ItemIdentity> identities, CancellationToken cancellationToken = default);

    /// <summary>True when <paramref name="identity"/> is already what the channel lists by.</summary>
    bool IsResolved(ItemIdentity identity);
}
