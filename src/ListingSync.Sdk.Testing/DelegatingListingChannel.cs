using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;

namespace ListingSync.Sdk.Testing;

/// <summary>
/// An <see cref="IListingChannel"/> that hands every call to another one; override a member to bend one behaviour in a
/// test (a read that fails, an update that throws, a scan during which the seller deletes listings) and keep the rest real.
/// </summary>
public class DelegatingListingChannel : IListingChannel
{
    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public DelegatingListingChannel(IListingChannel inner) => Inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <summary>The channel every call goes to.</summary>
    protected IListingChannel Inner { get; }

    /// <inheritdoc />
    public virtual string Name => Inner.Name;

    /// <inheritdoc />
    public virtual ChannelCapabilities Capabilities => Inner.Capabilities;

    /// <inheritdoc />
    public virtual IReadOnlyList<ListingMatchKey> MatchKeys => Inner.MatchKeys;

    /// <inheritdoc />
    public virtual ListingFields Fields => Inner.Fields;

    /// <inheritdoc />
    public virtual IAsyncEnumerable<Listing> GetListingsAsync(SellerScope seller, CancellationToken cancellationToken = default) => Inner.GetListingsAsync(seller, cancellationToken);

    /// <inheritdoc />
    public virtual Task<ListingPage<Listing>> GetListingsPageAsync(SellerScope seller, string? continuationToken = null, CancellationToken cancellationToken = default) => Inner.GetListingsPageAsync(seller, continuationToken, cancellationToken);

    /// <inheritdoc />
    public virtual Task<Listing?> GetListingAsync(SellerScope seller, string listingId, CancellationToken cancellationToken = default) => Inner.GetListingAsync(seller, listingId, cancellationToken);

    /// <inheritdoc />
    public virtual Task<IReadOnlyList<ListingWriteResult>> CreateListingsAsync(SellerScope seller, IReadOnlyList<ListingDraft> drafts, CancellationToken cancellationToken = default) => Inner.CreateListingsAsync(seller, drafts, cancellationToken);

    /// <inheritdoc />
    public virtual Task<ListingWriteResult> UpdateListingAsync(SellerScope seller, string listingId, ListingDraft draft, CancellationToken cancellationToken = default) => Inner.UpdateListingAsync(seller, listingId, draft, cancellationToken);

    /// <inheritdoc />
    public virtual Task<ListingWriteResult> RemoveListingAsync(SellerScope seller, string listingId, CancellationToken cancellationToken = default) => Inner.RemoveListingAsync(seller, listingId, cancellationToken);
}
