using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels.Managem;

/// <summary>Managem behind <see cref="IListingChannel"/> and <see cref="IImportJobChannel"/>.</summary>
public sealed class ManagemChannel : IListingChannel, IImportJobChannel, IListingReferenceLookup
{
    private readonly ManagemClient _client;

    /// <summary>Creates the channel over <paramref name="client"/>.</summary>
    public ManagemChannel(ManagemClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

    /// <summary>The typed client, for Managem-only calls (webhooks, item lookup).</summary>
    public ManagemClient Client => _client;

    /// <inheritdoc />
    public string Name => ManagemClientOptions.ChannelName;

    /// <inheritdoc />
    public ChannelCapabilities Capabilities =>
        ChannelCapabilities.ReadListings | ChannelCapabilities.GetListing | ChannelCapabilities.CreateListings | ChannelCapabilities.BulkCreate
        | ChannelCapabilities.UpdateListings | ChannelCapabilities.DeleteListings | ChannelCapabilities.StoresReference
        | ChannelCapabilities.ImportJobs | ChannelCapabilities.Webhooks;

    /// <inheritdoc />
    public IAsyncEnumerable<Listing> GetListingsAsync(SellerScope seller, CancellationToken cancellationToken = default) =>
        _client.SearchListingsAsync(seller, ManagemListingQuery.All, cancellationToken);

    /// <inheritdoc />
    public Task<Listing?> GetListingAsync(SellerScope seller, string listingId, CancellationToken cancellationToken = default) =>
        _client.GetListingAsync(seller, listingId, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ListingWriteResult>> CreateListingsAsync(SellerScope seller, IReadOnlyList<ListingDraft> drafts, CancellationToken cancellationToken = default) =>
        _client.CreateListingsAsync(seller, drafts, cancellationToken);

    /// <inheritdoc />
    public async Task<ListingWriteResult> UpdateListingAsync(SellerScope seller, string listingId, ListingDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        try
        {
            var listing = await _client.UpdateListingAsync(seller, listingId, draft, cancellationToken).ConfigureAwait(false);
            return new ListingWriteResult { Reference = draft.Reference, ListingId = listing.Id, Listing = listing, Status = ListingWriteStatus.Succeeded };
        }
        catch (ListingSyncValidationException ex)
        {
            return new ListingWriteResult { Reference = draft.Reference, ListingId = listingId, Status = ListingWriteStatus.Rejected, Errors = ex.Errors, Exception = ex };
        }
        catch (ListingSyncRequestException ex)
        {
            return new ListingWriteResult { Reference = draft.Reference, ListingId = listingId, Status = ListingWriteStatus.Failed, Errors = ex.FieldErrors, Exception = ex };
        }
    }

    /// <inheritdoc />
    public async Task<ListingWriteResult> RemoveListingAsync(SellerScope seller, string listingId, CancellationToken cancellationToken = default)
    {
        try
        {
            await _client.DeleteListingAsync(seller, listingId, cancellationToken).ConfigureAwait(false);
            return new ListingWriteResult { ListingId = listingId, Status = ListingWriteStatus.Succeeded };
        }
        catch (ListingSyncRequestException ex)
        {
            return new ListingWriteResult { ListingId = listingId, Status = ListingWriteStatus.Failed, Errors = ex.FieldErrors, Exception = ex };
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>> FindListingIdsAsync(SellerScope seller, IReadOnlyList<(string Reference, ItemIdentity Item)> wanted, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        var references = wanted.Select(w => w.Reference).ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var urns = wanted.Where(w => w.Item.Urn is not null).Select(w => w.Item.Urn!);
        foreach (var listing in await _client.GetListingsByItemAsync(seller, urns, cancellationToken).ConfigureAwait(false))
        {
            if (listing.Reference is { } reference && references.Contains(reference))
            {
                found.TryAdd(reference, listing.Id);
            }
        }

        return found;
    }

    /// <inheritdoc />
    public async Task<ImportJobStatus> StartImportAsync(SellerScope seller, Stream content, string fileName, CancellationToken cancellationToken = default) =>
        (await _client.CreateImportAsync(seller, content, fileName, cancellationToken).ConfigureAwait(false)).ToStatus();

    /// <inheritdoc />
    public async Task<ImportJobStatus> GetImportAsync(SellerScope seller, string jobId, CancellationToken cancellationToken = default) =>
        (await _client.GetImportAsync(seller, jobId, cancellationToken).ConfigureAwait(false))?.ToStatus()
        ?? throw new ListingSyncRequestException($"Managem import '{jobId}' does not exist.") { Channel = Name, StatusCode = System.Net.HttpStatusCode.NotFound };

    /// <inheritdoc />
    public async Task<IReadOnlyList<ImportJobIssue>> GetImportIssuesAsync(SellerScope seller, string jobId, CancellationToken cancellationToken = default) =>
        (await _client.GetImportErrorsAsync(seller, jobId, cancellationToken).ConfigureAwait(false))
            .Select(e => new ImportJobIssue(e.Id, e.Code.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, e.Line))
            .ToList();
}
