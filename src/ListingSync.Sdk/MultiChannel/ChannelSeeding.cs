using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;

namespace ListingSync.Sdk.MultiChannel;

/// <summary>One listing of a channel taken in as a host record: the draft to store, and what the check found.</summary>
/// <param name="Draft">The host record to store (reference, shared fields, the channel's extensions).</param>
/// <param name="ListingId">The channel's listing.</param>
/// <param name="Problems">What the host should look at before trusting the record (no title, no price, …); empty when fine.</param>
/// <param name="Mapped">True when the mapping to the listing was recorded (now or by an earlier run); false when the reference is taken.</param>
public sealed record SeededListing(ListingDraft Draft, string ListingId, IReadOnlyList<string> Problems, bool Mapped);

/// <summary>A batch of listings taken in from a channel, and where to go on.</summary>
/// <param name="Channel">The channel.</param>
/// <param name="Listings">The listings read, in the channel's order.</param>
/// <param name="ContinuationToken">Where the next batch starts; null when the channel has no more.</param>
public sealed record SeedBatch(string Channel, IReadOnlyList<SeededListing> Listings, string? ContinuationToken)
{
    /// <summary>True when the channel has no more listings.</summary>
    public bool IsComplete => ContinuationToken is null;
}

/// <summary>
/// Seeding the host from a channel (seed 004): take in a small sample of the channel's listings as host records plus
/// mappings, let the host check them, then take in the rest; from then on the host is the source of truth and the
/// multi-channel sync lists the records on the other channels. Resumable (pass the batch's continuation token) and
/// idempotent (a listing already mapped is not mapped again; a reference mapped to another listing is reported, never
/// overwritten).
/// </summary>
public sealed class ChannelSeeding
{
    private readonly IMappingStore _store;

    /// <summary>Creates the seeding over <paramref name="store"/>.</summary>
    public ChannelSeeding(IMappingStore store) => _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>
    /// Reads whole pages of <paramref name="channel"/>'s listings from <paramref name="continuationToken"/> (null: the
    /// start) until at least <paramref name="take"/> listings are read or the channel has no more, records a mapping per
    /// listing under its reference (<paramref name="referenceOf"/>, else the listing's own reference, else its SKU, else
    /// <c>channel:listingId</c>) and returns the host records with what their check found.
    /// </summary>
    public async Task<SeedBatch> TakeAsync(IListingChannel channel, SellerScope seller, int take, string? continuationToken = null, Func<Listing, string?>? referenceOf = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentOutOfRangeException.ThrowIfLessThan(take, 1);
        if (!channel.Capabilities.HasFlag(ChannelCapabilities.ReadListings))
        {
            throw new NotSupportedException($"{channel.Name} cannot list a seller's listings (capability {nameof(ChannelCapabilities.ReadListings)}): the host cannot be seeded from it.");
        }

        var scope = new MappingScope(channel.Name, seller);
        var seeded = new List<SeededListing>();
        var token = continuationToken;
        do
        {
            var page = await channel.GetListingsPageAsync(seller, token, cancellationToken).ConfigureAwait(false);
            foreach (var listing in page.Items)
            {
                seeded.Add(await TakeOneAsync(scope, listing, referenceOf, cancellationToken).ConfigureAwait(false));
            }

            token = page.ContinuationToken;
        }
        while (token is not null && seeded.Count < take);

        return new SeedBatch(channel.Name, seeded, token);
    }

    private async Task<SeededListing> TakeOneAsync(MappingScope scope, Listing listing, Func<Listing, string?>? referenceOf, CancellationToken cancellationToken)
    {
        var reference = (referenceOf?.Invoke(listing) ?? listing.Reference ?? listing.Item.Sku ?? $"{scope.Channel}:{listing.Id}").Trim();
        var draft = ListingDraft.From(listing, reference);
        var problems = Check(listing);
        var existing = await _store.FindByReferenceAsync(scope, reference, cancellationToken).ConfigureAwait(false);
        if (existing is { ListingId: { } other } && other != listing.Id)
        {
            return new SeededListing(draft, listing.Id, [.. problems, $"the reference {reference} is already mapped to listing {other}: not mapped again"], false);
        }

        if (existing is null || existing.ListingId is null)
        {
            var mapping = (existing ?? new ListingMapping { Scope = scope, Reference = reference }) with
            {
                ListingId = listing.Id,
                Item = listing.Item,
                State = Reconciler.StateOf(listing),
                RemoteUpdatedAt = listing.UpdatedAt,
                IsActive = true,
            };
            await _store.UpsertAsync(mapping, cancellationToken).ConfigureAwait(false);
        }

        return new SeededListing(draft, listing.Id, problems, true);
    }

    private static List<string> Check(Listing listing)
    {
        var problems = new List<string>();
        if (listing.Titles.Count == 0 && string.IsNullOrWhiteSpace(listing.Item.Name) && listing.Item.Urn is null)
        {
            problems.Add("no title, name or URN: the host cannot tell what it is");
        }

        if (listing.Price.Amount <= 0)
        {
            problems.Add($"price {listing.Price}: not a selling price");
        }

        if (listing.Quantity < 0)
        {
            problems.Add($"quantity {listing.Quantity}: below zero");
        }

        if (!listing.Valid)
        {
            problems.Add("the channel marks it invalid");
        }

        return problems;
    }
}
