using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels;

/// <summary>
/// A marketplace the host lists on, seen through what every such channel shares. <see cref="IChannel.Capabilities"/>
/// says which members work; optional interfaces (<see cref="IImportJobChannel"/>, <see cref="IListingReferenceLookup"/>,
/// <see cref="IListingImporter"/>) carry the rest. Every call is seller-scoped. <c>ListingChannelContract</c> in
/// <c>ListingSync.Sdk.Testing</c> checks an implementation against the rules below.
/// </summary>
public interface IListingChannel : IChannel
{
    /// <summary>
    /// How a listing that carries no host reference is recognised on this channel, most trusted first (Managem:
    /// <see cref="ListingMatchKey.UrnConditionLanguage"/>; SKU-keyed channels: <see cref="ListingMatchKey.Sku"/>). The
    /// reconciler adopts such a listing instead of creating a second one. Empty: adoption by reference only.
    /// </summary>
    IReadOnlyList<ListingMatchKey> MatchKeys { get; }

    /// <summary>
    /// The fields this channel stores and can write (Managem: price, quantity, visibility, condition, language,
    /// variants, comment, notes). The reconciler compares and writes only these (and of them only the host's
    /// <c>OwnedFields</c>), so a field the channel cannot hold never shows as a change that can never converge.
    /// </summary>
    Reconciliation.ListingFields Fields { get; }

    /// <summary>
    /// Streams every listing the seller has on the channel, page by page; memory stays bounded by one page.
    /// Needs <see cref="ChannelCapabilities.ReadListings"/>.
    /// </summary>
    IAsyncEnumerable<Listing> GetListingsAsync(SellerScope seller, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads one page of the seller's listings: pass null to start, then the returned
    /// <see cref="ListingPage{T}.ContinuationToken"/> until it is null. Store the token to resume a long scan after a
    /// restart. Needs <see cref="ChannelCapabilities.ReadListings"/>.
    /// </summary>
    /// <exception cref="ListingSyncValidationException">The token was not issued by this channel.</exception>
    Task<ListingPage<Listing>> GetListingsPageAsync(SellerScope seller, string? continuationToken = null, CancellationToken cancellationToken = default);

    /// <summary>Fetches one listing; null when it does not exist. Needs <see cref="ChannelCapabilities.GetListing"/>.</summary>
    Task<Listing?> GetListingAsync(SellerScope seller, string listingId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates listings and reports one result per draft, in input order. Invalid drafts are reported and
    /// never sent; large inputs are split into the channel's batch size. Needs <see cref="ChannelCapabilities.CreateListings"/>.
    /// </summary>
    Task<IReadOnlyList<ListingWriteResult>> CreateListingsAsync(SellerScope seller, IReadOnlyList<ListingDraft> drafts, CancellationToken cancellationToken = default);

    /// <summary>Replaces a listing's mutable fields. Idempotent. Needs <see cref="ChannelCapabilities.UpdateListings"/>.</summary>
    Task<ListingWriteResult> UpdateListingAsync(SellerScope seller, string listingId, ListingDraft draft, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes a listing off the channel: deletes it, or delists it where the channel keeps the record.
    /// Idempotent: removing what is already gone succeeds. Needs <see cref="ChannelCapabilities.DeleteListings"/> or <see cref="ChannelCapabilities.Delist"/>.
    /// </summary>
    Task<ListingWriteResult> RemoveListingAsync(SellerScope seller, string listingId, CancellationToken cancellationToken = default);
}
