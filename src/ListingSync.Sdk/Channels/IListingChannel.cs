using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels;

/// <summary>
/// One marketplace, seen through what every channel shares. <see cref="Capabilities"/> says which members
/// work; optional interfaces (<see cref="IImportJobChannel"/>, <see cref="IListingStatusReporter"/>) carry the rest.
/// Every call is seller-scoped.
/// </summary>
public interface IListingChannel
{
    /// <summary>The channel's stable name, e.g. <c>managem</c>; used in mappings, metrics and logs.</summary>
    string Name { get; }

    /// <summary>What this channel can do.</summary>
    ChannelCapabilities Capabilities { get; }

    /// <summary>
    /// Streams every listing the seller has on the channel, page by page; memory stays bounded by one page.
    /// Needs <see cref="ChannelCapabilities.ReadListings"/>.
    /// </summary>
    IAsyncEnumerable<Listing> GetListingsAsync(SellerScope seller, CancellationToken cancellationToken = default);

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
