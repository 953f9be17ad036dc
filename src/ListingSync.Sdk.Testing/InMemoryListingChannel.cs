using System.Globalization;
using System.Runtime.CompilerServices;
using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Validation;

namespace ListingSync.Sdk.Testing;

/// <summary>
/// A marketplace held in memory behind <see cref="IListingChannel"/>, for tests of code that drives any channel (the
/// reconciler, a host's own orchestration). Its shape is configurable — capabilities, match keys, whether it stores the
/// host reference, page size — so one class can stand in for a SKU-keyed channel, a channel that cannot list, or one
/// that loses the answer to a create it applied. Thread-safe; ids are <c>mem_1</c>, <c>mem_2</c>, … in creation order.
/// </summary>
public sealed class InMemoryListingChannel : IListingChannel
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<long, Listing>> _bySeller = new(StringComparer.Ordinal);
    private long _nextId;
    private int _loseNextCreateAnswers;
    private int _createCalls;

    /// <summary>Creates a channel named <paramref name="name"/>.</summary>
    /// <param name="name">The channel name, e.g. <c>shop</c>.</param>
    /// <param name="capabilities">What it can do. Default: list, get, create (bulk), update, delete, stores the reference.</param>
    /// <param name="matchKeys">How unreferenced listings are recognised. Default: <see cref="ListingMatchKey.Sku"/>.</param>
    public InMemoryListingChannel(string name = "memory", ChannelCapabilities? capabilities = null, IReadOnlyList<ListingMatchKey>? matchKeys = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Capabilities = capabilities ?? (ChannelCapabilities.ReadListings | ChannelCapabilities.GetListing | ChannelCapabilities.CreateListings
            | ChannelCapabilities.BulkCreate | ChannelCapabilities.UpdateListings | ChannelCapabilities.DeleteListings | ChannelCapabilities.StoresReference);
        MatchKeys = matchKeys ?? [ListingMatchKey.Sku];
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public ChannelCapabilities Capabilities { get; }

    /// <inheritdoc />
    public IReadOnlyList<ListingMatchKey> MatchKeys { get; }

    /// <inheritdoc />
    /// <remarks>Every field of the canonical model.</remarks>
    public Reconciliation.ListingFields Fields { get; init; } = Reconciliation.ListingFields.All;

    /// <summary>Listings per page of <see cref="GetListingsPageAsync"/>. Default 50.</summary>
    public int PageSize { get; init; } = 50;

    /// <summary>Create calls received (each may carry many drafts).</summary>
    public int CreateCalls => Volatile.Read(ref _createCalls);

    /// <summary>
    /// Puts listings on the channel as if the seller had listed them before the integration (or by hand): no events, and
    /// no reference unless the draft carries one and the channel stores references.
    /// </summary>
    public IReadOnlyList<Listing> Seed(SellerScope seller, IEnumerable<ListingDraft> drafts)
    {
        ArgumentNullException.ThrowIfNull(drafts);
        lock (_gate)
        {
            return [.. drafts.Select(d => Add(seller, d))];
        }
    }

    /// <summary>A snapshot of the seller's listings, in creation order: the channel's own books, for assertions.</summary>
    public IReadOnlyList<Listing> Listings(SellerScope seller)
    {
        lock (_gate)
        {
            return _bySeller.TryGetValue(seller.SellerId, out var listings) ? [.. listings.Values] : [];
        }
    }

    /// <summary>Deletes a listing as the seller would on the marketplace's own site.</summary>
    public bool DeleteBySeller(SellerScope seller, string listingId)
    {
        lock (_gate)
        {
            return _bySeller.TryGetValue(seller.SellerId, out var listings) && listings.Remove(Key(listingId));
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> create calls are applied, then throw <see cref="ListingSyncRequestException"/>
    /// (status 500): the answer was lost after the marketplace committed the write.
    /// </summary>
    public void LoseNextCreateAnswers(int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Interlocked.Exchange(ref _loseNextCreateAnswers, count);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Listing> GetListingsAsync(SellerScope seller, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = null;
        do
        {
            var page = await GetListingsPageAsync(seller, token, cancellationToken).ConfigureAwait(false);
            foreach (var listing in page.Items)
            {
                yield return listing;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    /// <inheritdoc />
    /// <remarks>The token is the last id read (a key cursor), so listings deleted between pages shift nothing.</remarks>
    public Task<ListingPage<Listing>> GetListingsPageAsync(SellerScope seller, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        Require(ChannelCapabilities.ReadListings);
        cancellationToken.ThrowIfCancellationRequested();
        long after = 0;
        if (continuationToken is not null && !long.TryParse(continuationToken, NumberStyles.None, CultureInfo.InvariantCulture, out after))
        {
            throw new ListingSyncValidationException([new FieldError("continuationToken", "format", $"'{continuationToken}' is not a token {Name} returned")]);
        }

        lock (_gate)
        {
            var listings = _bySeller.TryGetValue(seller.SellerId, out var all) ? all : [];
            var page = listings.Where(l => l.Key > after).Take(PageSize + 1).ToList();
            var items = page.Take(PageSize).Select(l => l.Value).ToList();
            return Task.FromResult(new ListingPage<Listing>
            {
                Items = items,
                Total = listings.Count,
                ContinuationToken = page.Count > PageSize ? page[PageSize - 1].Key.ToString(CultureInfo.InvariantCulture) : null,
            });
        }
    }

    /// <inheritdoc />
    public Task<Listing?> GetListingAsync(SellerScope seller, string listingId, CancellationToken cancellationToken = default)
    {
        Require(ChannelCapabilities.GetListing);
        ArgumentException.ThrowIfNullOrWhiteSpace(listingId);
        lock (_gate)
        {
            return Task.FromResult(_bySeller.TryGetValue(seller.SellerId, out var listings) && listings.TryGetValue(Key(listingId), out var listing) ? listing : null);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ListingWriteResult>> CreateListingsAsync(SellerScope seller, IReadOnlyList<ListingDraft> drafts, CancellationToken cancellationToken = default)
    {
        Require(ChannelCapabilities.CreateListings);
        ArgumentNullException.ThrowIfNull(drafts);
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _createCalls);
        var results = new List<ListingWriteResult>(drafts.Count);
        lock (_gate)
        {
            for (var i = 0; i < drafts.Count; i++)
            {
                var draft = drafts[i];
                var errors = draft is null ? [new FieldError("draft", "required", "must not be null")] : ListingDraftValidator.Validate(draft);
                if (errors.Count > 0)
                {
                    results.Add(new ListingWriteResult { Index = i, Reference = draft?.Reference, Status = ListingWriteStatus.Rejected, Errors = errors });
                    continue;
                }

                var listing = Add(seller, draft!);
                results.Add(new ListingWriteResult { Index = i, Reference = draft!.Reference, ListingId = listing.Id, Listing = listing, Status = ListingWriteStatus.Succeeded });
            }
        }

        if (TakeLostAnswer())
        {
            throw new ListingSyncRequestException($"{Name} answered 500 after applying the create (injected).") { Channel = Name, Operation = "listings.create", StatusCode = System.Net.HttpStatusCode.InternalServerError, OutcomeUnknown = true };
        }

        return Task.FromResult<IReadOnlyList<ListingWriteResult>>(results);
    }

    /// <inheritdoc />
    public Task<ListingWriteResult> UpdateListingAsync(SellerScope seller, string listingId, ListingDraft draft, CancellationToken cancellationToken = default)
    {
        Require(ChannelCapabilities.UpdateListings);
        ArgumentNullException.ThrowIfNull(draft);
        var errors = ListingDraftValidator.Validate(draft);
        if (errors.Count > 0)
        {
            return Task.FromResult(new ListingWriteResult { Reference = draft.Reference, ListingId = listingId, Status = ListingWriteStatus.Rejected, Errors = errors });
        }

        lock (_gate)
        {
            if (!_bySeller.TryGetValue(seller.SellerId, out var listings) || !listings.TryGetValue(Key(listingId), out var current))
            {
                return Task.FromResult(new ListingWriteResult { Reference = draft.Reference, ListingId = listingId, Status = ListingWriteStatus.Failed, Errors = [new FieldError("listingId", "exists", $"{listingId} does not exist")] });
            }

            var updated = ToListing(listingId, seller, draft, current.CreatedAt) with { Reference = current.Reference ?? StoredReference(draft) };
            listings[Key(listingId)] = updated;
            return Task.FromResult(new ListingWriteResult { Reference = draft.Reference, ListingId = listingId, Listing = updated, Status = ListingWriteStatus.Succeeded });
        }
    }

    /// <inheritdoc />
    public Task<ListingWriteResult> RemoveListingAsync(SellerScope seller, string listingId, CancellationToken cancellationToken = default)
    {
        if ((Capabilities & (ChannelCapabilities.DeleteListings | ChannelCapabilities.Delist)) == 0)
        {
            throw new NotSupportedException($"{Name} cannot remove listings (ChannelCapabilities.DeleteListings or ChannelCapabilities.Delist).");
        }

        lock (_gate)
        {
            if (_bySeller.TryGetValue(seller.SellerId, out var listings))
            {
                listings.Remove(Key(listingId));
            }
        }

        return Task.FromResult(new ListingWriteResult { ListingId = listingId, Status = ListingWriteStatus.Succeeded });
    }

    private Listing Add(SellerScope seller, ListingDraft draft)
    {
        if (!_bySeller.TryGetValue(seller.SellerId, out var listings))
        {
            _bySeller[seller.SellerId] = listings = [];
        }

        var id = ++_nextId;
        var listing = ToListing("mem_" + id.ToString(CultureInfo.InvariantCulture), seller, draft, DateTimeOffset.UnixEpoch.AddSeconds(id));
        listings[id] = listing;
        return listing;
    }

    private Listing ToListing(string id, SellerScope seller, ListingDraft draft, DateTimeOffset? createdAt) => new()
    {
        Id = id,
        SellerId = seller.SellerId,
        Reference = StoredReference(draft),
        Item = draft.Item,
        Condition = draft.Condition,
        Language = draft.Language,
        Price = draft.Price,
        Quantity = draft.Quantity,
        Available = draft.Quantity,
        Variants = draft.Variants,
        Visibility = draft.Visibility,
        Comment = draft.Comment,
        Notes = draft.Notes,
        Grading = draft.Grading,
        Titles = draft.Titles,
        Descriptions = draft.Descriptions,
        Category = draft.Category,
        Attributes = draft.Attributes,
        Pictures = draft.Pictures,
        Variations = draft.Variations,
        Package = draft.Package,
        QuantityByLocation = draft.QuantityByLocation,
        Extensions = draft.Extensions,
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
    };

    private string? StoredReference(ListingDraft draft) =>
        Capabilities.HasFlag(ChannelCapabilities.StoresReference) ? ListingDraftValidator.NormalizeReference(draft.Reference) : null;

    private static long Key(string listingId) =>
        listingId.StartsWith("mem_", StringComparison.Ordinal) && long.TryParse(listingId.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var key) ? key : -1;

    private void Require(ChannelCapabilities capability)
    {
        if (!Capabilities.HasFlag(capability))
        {
            throw new NotSupportedException($"{Name} does not support ChannelCapabilities.{capability}.");
        }
    }

    private bool TakeLostAnswer() => Countdown.TryTake(ref _loseNextCreateAnswers);
}
