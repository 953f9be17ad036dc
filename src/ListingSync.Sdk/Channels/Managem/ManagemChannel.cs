using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels.Managem;

/// <summary>Managem behind <see cref="IListingChannel"/>, <see cref="IImportJobChannel"/> (with control) and <see cref="IListingImporter"/> (CSV imports).</summary>
public sealed class ManagemChannel : IListingChannel, IImportJobChannel, IImportJobControl, IListingImporter, IListingReferenceLookup, IListingDraftRules, IImportJobLister
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
    /// <remarks>Seed 000: one listing per item, condition and language; a listing without <c>reference</c> is adopted by that identity.</remarks>
    public IReadOnlyList<ListingMatchKey> MatchKeys { get; } = [ListingMatchKey.UrnConditionLanguage];

    /// <inheritdoc />
    public Reconciliation.ListingFields Fields => Reconciliation.ListingFields.Price | Reconciliation.ListingFields.Quantity | Reconciliation.ListingFields.Visibility
        | Reconciliation.ListingFields.Condition | Reconciliation.ListingFields.Language | Reconciliation.ListingFields.Variants
        | Reconciliation.ListingFields.Comment | Reconciliation.ListingFields.Notes;

    /// <inheritdoc />
    /// <remarks>Managem's rules: account currency, whole pence, 64-bit minor units, a canonical URN for creates.</remarks>
    public IReadOnlyList<FieldError> ValidateDraft(ListingDraft draft, bool forCreate) => ManagemValidator.ChannelRules(draft, _client.Options, forCreate);

    /// <inheritdoc />
    public Task<ListingPage<Listing>> GetListingsPageAsync(SellerScope seller, string? continuationToken = null, CancellationToken cancellationToken = default) =>
        _client.Listings.GetPageAsync(seller, ManagemListingQuery.All, continuationToken, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<Listing> GetListingsAsync(SellerScope seller, CancellationToken cancellationToken = default) =>
        _client.Listings.SearchAsync(seller, ManagemListingQuery.All, cancellationToken);

    /// <inheritdoc />
    public Task<Listing?> GetListingAsync(SellerScope seller, string listingId, CancellationToken cancellationToken = default) =>
        _client.Listings.GetAsync(seller, listingId, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ListingWriteResult>> CreateListingsAsync(SellerScope seller, IReadOnlyList<ListingDraft> drafts, CancellationToken cancellationToken = default) =>
        _client.Listings.CreateAsync(seller, drafts, cancellationToken);

    /// <inheritdoc />
    public async Task<ListingWriteResult> UpdateListingAsync(SellerScope seller, string listingId, ListingDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        try
        {
            var listing = await _client.Listings.UpdateAsync(seller, listingId, draft, cancellationToken).ConfigureAwait(false);
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
            await _client.Listings.DeleteAsync(seller, listingId, cancellationToken).ConfigureAwait(false);
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
        foreach (var listing in await _client.Listings.GetByItemAsync(seller, urns, cancellationToken).ConfigureAwait(false))
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
        (await _client.ImportJobs.CreateAsync(seller, content, fileName, cancellationToken).ConfigureAwait(false)).ToStatus();

    /// <inheritdoc />
    public async Task<ImportJobStatus> GetImportAsync(SellerScope seller, string jobId, CancellationToken cancellationToken = default) =>
        (await _client.ImportJobs.GetAsync(seller, jobId, cancellationToken).ConfigureAwait(false))?.ToStatus()
        ?? throw new ListingSyncRequestException($"Managem import '{jobId}' does not exist.") { Channel = Name, StatusCode = System.Net.HttpStatusCode.NotFound };

    /// <inheritdoc />
    public async Task<IReadOnlyList<ImportJobIssue>> GetImportIssuesAsync(SellerScope seller, string jobId, CancellationToken cancellationToken = default) =>
        (await _client.ImportJobs.GetErrorsAsync(seller, jobId, cancellationToken).ConfigureAwait(false))
            .Select(e => new ImportJobIssue(e.Id, e.Code.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, e.Line))
            .ToList();

    /// <inheritdoc />
    public async Task<IReadOnlyList<ImportJobStatus>> ListImportsAsync(SellerScope seller, CancellationToken cancellationToken = default) =>
        [.. (await _client.ImportJobs.ListAsync(seller, cancellationToken).ConfigureAwait(false)).Select(i => i.ToStatus())];

    /// <inheritdoc />
    public async Task<ImportJobStatus> PauseImportAsync(SellerScope seller, string jobId, CancellationToken cancellationToken = default) =>
        (await _client.ImportJobs.PauseAsync(seller, jobId, cancellationToken).ConfigureAwait(false)).ToStatus();

    /// <inheritdoc />
    public async Task<ImportJobStatus> ResumeImportAsync(SellerScope seller, string jobId, CancellationToken cancellationToken = default) =>
        (await _client.ImportJobs.ResumeAsync(seller, jobId, cancellationToken).ConfigureAwait(false)).ToStatus();

    /// <inheritdoc />
    public async Task<ImportJobStatus> TerminateImportAsync(SellerScope seller, string jobId, CancellationToken cancellationToken = default) =>
        (await _client.ImportJobs.TerminateAsync(seller, jobId, cancellationToken).ConfigureAwait(false)).ToStatus();

    /// <inheritdoc />
    /// <remarks>
    /// One result per draft: <see cref="ListingWriteStatus.Rejected"/> when the row could not be written,
    /// <see cref="ListingWriteStatus.Failed"/> with Managem's message when its row failed, <see cref="ListingWriteStatus.Unknown"/>
    /// when its job ended terminated or failed (or its file was never uploaded) — the next reconciliation finds out by
    /// reference — else <see cref="ListingWriteStatus.Succeeded"/> (the listing id is not reported by imports).
    /// </remarks>
    public async Task<IReadOnlyList<ListingWriteResult>> ImportListingsAsync(SellerScope seller, IReadOnlyList<ListingDraft> drafts, IProgress<ImportJobs.ImportJobProgress>? progress = null, Func<ImportJobStatus, CancellationToken, ValueTask>? jobStarted = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(drafts);
        var jobs = new ManagemImportJobs(this);
        var result = await jobs.ImportAsync(seller, drafts.ToAsyncEnumerable(), progress, jobStarted, cancellationToken).ConfigureAwait(false);
        var results = new ListingWriteResult?[drafts.Count];
        foreach (var rejected in result.Build.Rejected)
        {
            var index = (int)rejected.InputIndex;
            results[index] = new ListingWriteResult { Index = index, Reference = rejected.Reference, Status = ListingWriteStatus.Rejected, Errors = rejected.Errors };
        }

        // The rows written, in file order: a row error's record number points into this list.
        var written = new List<int>(drafts.Count - result.Build.Rejected.Count);
        for (var i = 0; i < drafts.Count; i++)
        {
            if (results[i] is null)
            {
                written.Add(i);
            }
        }

        var fileStart = new long[result.Build.Files.Count];
        for (var f = 1; f < fileStart.Length; f++)
        {
            fileStart[f] = fileStart[f - 1] + result.Build.Files[f - 1].Rows;
        }

        for (var f = 0; f < result.Build.Files.Count; f++)
        {
            var finished = f < result.Jobs.Count && result.Jobs[f].Status.State == ImportJobState.Completed;
            var errors = f < result.Jobs.Count ? result.RowErrors.Where(e => e.JobId == result.Jobs[f].Status.Id).ToList() : [];
            var failedRows = new Dictionary<long, ManagemImportRowError>();
            foreach (var error in errors)
            {
                if (error.RowNumber is { } row && row >= 2 && row - 2 < result.Build.Files[f].Rows)
                {
                    failedRows.TryAdd(fileStart[f] + row - 2, error);
                }
            }

            var byReference = errors.Where(e => e.RowNumber is null && e.Reference is not null).GroupBy(e => e.Reference!).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            for (var r = 0L; r < result.Build.Files[f].Rows; r++)
            {
                var index = written[(int)(fileStart[f] + r)];
                var reference = Validation.ListingDraftValidator.NormalizeReference(drafts[index].Reference);
                var error = failedRows.GetValueOrDefault(fileStart[f] + r) ?? (reference is null ? null : byReference.GetValueOrDefault(reference));
                results[index] = error is not null
                    ? new ListingWriteResult { Index = index, Reference = reference, Status = ListingWriteStatus.Failed, Errors = [new FieldError("import", "row-failed", $"{error.Code} {error.Message}")] }
                    : new ListingWriteResult { Index = index, Reference = reference, Status = finished ? ListingWriteStatus.Succeeded : ListingWriteStatus.Unknown };
            }
        }

        return [.. results.Select((r, i) => r ?? new ListingWriteResult { Index = i, Reference = drafts[i].Reference, Status = ListingWriteStatus.Unknown })];
    }
}
