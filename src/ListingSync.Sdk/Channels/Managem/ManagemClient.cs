using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using ListingSync.Sdk.Channels.Managem.Wire;
using ListingSync.Sdk.Http;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Telemetry;
using ListingSync.Sdk.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ListingSync.Sdk.Channels.Managem;

/// <summary>
/// The Managem seller API: seller status, item lookup, listing search / get / bulk create / update / delete,
/// webhooks and CSV imports. Every call is seller-scoped; credentials are read per request.
/// Register with <c>services.AddListingSync().AddManagem(...)</c>; the instance is a typed
/// <see cref="HttpClient"/> client and safe to share.
/// </summary>
public sealed class ManagemClient
{
    private static readonly ManagemJsonContext Json = ManagemJsonContext.Default;

    /// <summary>The longest path and query a lookup by URN sends; longer lists are split into several calls.</summary>
    private const int MaxLookupQueryLength = 4_000;

    private readonly ChannelHttp _http;
    private readonly IOptionsMonitor<ManagemClientOptions> _options;
    private readonly ILogger _logger;

    /// <summary>Creates the client; use dependency injection rather than calling this directly.</summary>
    public ManagemClient(HttpClient httpClient, IOptionsMonitor<ManagemClientOptions> options, ILogger<ManagemClient>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _http = new ChannelHttp(httpClient, ManagemClientOptions.ChannelName, ParseError, _logger, timeProvider ?? TimeProvider.System);
    }

    internal ManagemClientOptions Options => _options.CurrentValue;

    // ---- Seller -------------------------------------------------------------------------------------------

    /// <summary>The seller's account (<c>GET /seller</c>).</summary>
    public async Task<ManagemSellerAccount> GetSellerAccountAsync(SellerScope seller, CancellationToken cancellationToken = default) =>
        (await _http.SendAsync(ChannelHttp.Request(HttpMethod.Get, "seller", "seller.get", seller, idempotent: true), Json.ManagemSellerAccount, cancellationToken).ConfigureAwait(false))!;

    /// <summary>Whether the connected user has a seller account that can sell (<c>GET /seller/status</c>).</summary>
    public async Task<ManagemSellerStatus> GetSellerStatusAsync(SellerScope seller, CancellationToken cancellationToken = default) =>
        (await _http.SendAsync(ChannelHttp.Request(HttpMethod.Get, "seller/status", "seller.status", seller, idempotent: true), Json.ManagemSellerStatus, cancellationToken).ConfigureAwait(false))!;

    // ---- Items --------------------------------------------------------------------------------------------

    /// <summary>
    /// Looks items up by URN, 200 per call (larger inputs are split; duplicates are asked once).
    /// URNs Managem does not know are simply absent from the result.
    /// </summary>
    public async Task<IReadOnlyList<ManagemItem>> GetItemsByUrnAsync(SellerScope seller, IEnumerable<string> urns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(urns);
        var distinct = urns.Where(u => !string.IsNullOrWhiteSpace(u)).Distinct(StringComparer.Ordinal).ToList();
        var items = new List<ManagemItem>(distinct.Count);
        foreach (var chunk in distinct.Chunk(ManagemValidator.MaxBatch))
        {
            var body = JsonContent.Create(new WireUrnLookup { Urns = [.. chunk] }, Json.WireUrnLookup);
            var found = await _http.SendAsync(ChannelHttp.Request(HttpMethod.Post, "items/lookup", "items.lookup", seller, idempotent: true, body), Json.ListWireItem, cancellationToken).ConfigureAwait(false);
            items.AddRange((found ?? []).Select(ManagemMapper.ToItem));
        }

        return items;
    }

    /// <summary>Finds the item with a Cardmarket product id; null when Managem has no mapping for it.</summary>
    public Task<ManagemItem?> FindItemByCardmarketIdAsync(SellerScope seller, long cardmarketId, CancellationToken cancellationToken = default) =>
        FindItemAsync(seller, $"items/cardmarket/{cardmarketId.ToString(CultureInfo.InvariantCulture)}", "items.by-cardmarket-id", cancellationToken);

    /// <summary>Finds the item with a TCGplayer product id; null when Managem has no mapping for it.</summary>
    public Task<ManagemItem?> FindItemByTcgplayerIdAsync(SellerScope seller, long tcgplayerId, CancellationToken cancellationToken = default) =>
        FindItemAsync(seller, $"items/tcgplayer/{tcgplayerId.ToString(CultureInfo.InvariantCulture)}", "items.by-tcgplayer-id", cancellationToken);

    /// <summary>
    /// Finds catalogue items by game, set and name through full-text search (<c>POST /search</c> with Game and
    /// Set facets). Returns every candidate; callers decide what an exact match is (see <see cref="ManagemIdentityResolver"/>).
    /// </summary>
    public async Task<IReadOnlyList<ManagemItem>> SearchItemsAsync(SellerScope seller, string game, string set, string name, int size = 50, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(game);
        ArgumentException.ThrowIfNullOrWhiteSpace(set);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ManagemValidator.ValidatePageSize(size);
        var request = new WireSearchRequest
        {
            Query = name,
            Facets = new Dictionary<string, List<string>> { ["Game"] = [game], ["Set"] = [set] },
            From = 0,
            Size = size,
        };
        var response = await _http.SendAsync(ChannelHttp.Request(HttpMethod.Post, "search", "items.search", seller, idempotent: true, JsonContent.Create(request, Json.WireSearchRequest)), Json.WireItemSearchResponse, cancellationToken).ConfigureAwait(false);
        return (response?.Hits ?? []).Select(ManagemMapper.ToItem).ToList();
    }

    private async Task<ManagemItem?> FindItemAsync(SellerScope seller, string path, string operation, CancellationToken cancellationToken)
    {
        var item = await _http.SendAsync(ChannelHttp.Request(HttpMethod.Get, path, operation, seller, idempotent: true), Json.WireItem, cancellationToken, notFoundIsNull: true).ConfigureAwait(false);
        return item is null ? null : ManagemMapper.ToItem(item);
    }

    // ---- Listings -----------------------------------------------------------------------------------------

    /// <summary>
    /// Streams every listing matching <paramref name="query"/>, one page in memory at a time.
    /// </summary>
    /// <exception cref="ListingSyncValidationException">The page size is outside 1..50.</exception>
    public async IAsyncEnumerable<Listing> SearchListingsAsync(SellerScope seller, ManagemListingQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= ManagemListingQuery.All;
        ManagemValidator.ValidatePageSize(query.PageSize);
        string? token = null;
        do
        {
            var page = await GetListingsPageAsync(seller, query, token, cancellationToken).ConfigureAwait(false);
            foreach (var listing in page.Items)
            {
                yield return listing;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    /// <summary>
    /// Reads one page of listings. Pass the returned <see cref="ListingPage{T}.ContinuationToken"/> to read the next;
    /// store it to resume a job after a restart.
    /// <para>
    /// Managem pages by offset, so a listing deleted between two calls shifts the next page. Each call therefore starts
    /// <see cref="ManagemClientOptions.ScanOverlap"/> listings before where the last one ended and drops what it already
    /// returned; when none of those overlap listings is found (more were deleted than the overlap), it steps back a
    /// page at a time until it finds one, so no listing is skipped. A page that ends a scan early is an error naming
    /// the page, never a silent end: a missing total, a page without hits before the total is reached, a page that
    /// brings nothing new, a page past the total.
    /// </para>
    /// </summary>
    /// <exception cref="ListingSyncValidationException">The page size is outside 1..50 or the token is not one this SDK issued.</exception>
    /// <exception cref="ListingSyncRequestException">Managem answered a page that cannot be part of a consistent scan.</exception>
    public async Task<ListingPage<Listing>> GetListingsPageAsync(SellerScope seller, ManagemListingQuery? query = null, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        query ??= ManagemListingQuery.All;
        ManagemValidator.ValidatePageSize(query.PageSize);
        var (from, previousFirst, seen) = continuationToken is null ? (0, null, Array.Empty<string>()) : DecodeToken(continuationToken);
        var options = Options;
        var start = Math.Max(0, from - seen.Length);
        var (total, hits) = await SearchPageAsync(seller, query, start, options, cancellationToken).ConfigureAwait(false);
        var steppedBack = false;
        for (var stepBack = 0; seen.Length > 0 && start > 0 && !hits.Any(h => seen.Contains(h.Id, StringComparer.Ordinal)); stepBack++)
        {
            // None of the listings this page should begin with came back: more listings were deleted since the last
            // page than the overlap covers, so some shifted before this offset. Step back until the overlap is found.
            if (stepBack == MaxStepBacks)
            {
                throw PageError(start, $"the listings shifted by more than {MaxStepBacks} pages between two reads (listings deleted during the scan); start the scan again", total);
            }

            start = Math.Max(0, start - query.PageSize);
            steppedBack = true;
            var (earlierTotal, earlier) = await SearchPageAsync(seller, query, start, options, cancellationToken).ConfigureAwait(false);
            (total, hits) = (earlierTotal, [.. earlier, .. hits.Where(h => !earlier.Any(e => e.Id == h.Id))]);
        }

        // Resume after the last listing already returned (the overlap's last one still there), whatever a step back re-read.
        var resumeAt = 0;
        for (var i = hits.Length - 1; i >= 0 && seen.Length > 0; i--)
        {
            if (seen.Contains(hits[i].Id, StringComparer.Ordinal))
            {
                resumeAt = i + 1;
                break;
            }
        }

        var fresh = resumeAt == 0 ? hits : hits[resumeAt..];
        var next = start + hits.Length;
        if (next > total)
        {
            throw PageError(start, $"it returned {hits.Length} listings, {next - total} of them past the total of {total} (the total is under-reported)", total);
        }

        if (previousFirst is not null && !steppedBack && hits.Any(h => h.Id == previousFirst))
        {
            throw PageError(start, "it returned the first listing of the previous page again (the page repeats instead of moving on)", total);
        }

        if (hits.Length > 0 && fresh.Length == 0 && next < total)
        {
            throw PageError(start, "it returned only listings earlier pages returned (the page repeats)", total);
        }

        // A full page that ends exactly at the total is followed by one more call: it must bring nothing past the total,
        // so a total reported too low is caught instead of ending the scan early.
        var more = next < total || (hits.Length == query.PageSize && fresh.Length > 0);
        return new ListingPage<Listing>
        {
            Items = fresh,
            Total = total,
            ContinuationToken = more ? EncodeToken(next, hits.Length > 0 ? hits[0].Id : null, hits.Skip(Math.Max(0, hits.Length - options.ScanOverlap)).Select(h => h.Id).ToArray()) : null,
        };
    }

    private const int MaxStepBacks = 20;

    private async Task<(long Total, Listing[] Hits)> SearchPageAsync(SellerScope seller, ManagemListingQuery query, int from, ManagemClientOptions options, CancellationToken cancellationToken)
    {
        var request = new WireSearchRequest
        {
            Query = query.Query,
            Filters = query.Filters is null ? null : [.. query.Filters],
            Facets = query.Facets?.ToDictionary(f => f.Key, f => f.Value.ToList()),
            From = from,
            Size = query.PageSize,
            Sorting = query.SortField is null ? null : new WireSorting { Field = query.SortField, Order = query.SortDescending ? "desc" : "asc" },
        };
        var (currency, decimals) = (options.Currency, options.CurrencyDecimals);
        var (total, hits) = await _http.SendAsync(
            ChannelHttp.Request(HttpMethod.Post, "seller/listings/search", "listings.search", seller, idempotent: true, JsonContent.Create(request, Json.WireSearchRequest)),
            utf8 => ManagemListingReader.ReadSearchResponse(utf8, currency, decimals),
            cancellationToken).ConfigureAwait(false);
        if (total is not { } reported || reported < 0)
        {
            throw PageError(from, total is null ? "the answer has no total" : $"the total is negative ({total})", null);
        }

        if (hits is null || (hits.Length == 0 && from < reported))
        {
            throw PageError(from, $"it returned {(hits is null ? "no hit list" : "no hits")} although the total is {reported}", reported);
        }

        return (reported, hits);
    }

    private static ListingSyncRequestException PageError(int from, string problem, long? total) =>
        new($"Managem listing search page at from={from.ToString(CultureInfo.InvariantCulture)} cannot be part of a consistent scan: {problem}. Nothing was planned from this scan.")
        {
            Channel = ManagemClientOptions.ChannelName,
            Operation = "listings.search",
            ErrorCode = "inconsistent-page",
            ErrorMessage = problem + (total is { } t ? $" (total {t.ToString(CultureInfo.InvariantCulture)})" : string.Empty),
        };

    /// <summary>Fetches one listing; null when it does not exist.</summary>
    public async Task<Listing?> GetListingAsync(SellerScope seller, string listingId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(listingId);
        var options = Options;
        return await _http.SendAsync(ChannelHttp.Request(HttpMethod.Get, $"seller/listings/{Uri.EscapeDataString(listingId)}", "listings.get", seller, idempotent: true), utf8 => ManagemListingReader.ReadSingle(utf8, options.Currency, options.CurrencyDecimals), cancellationToken, notFoundIsNull: true).ConfigureAwait(false);
    }

    /// <summary>The seller's listings of the given items (<c>GET /seller/listings/items</c>), 200 URNs per call.</summary>
    public async Task<IReadOnlyList<Listing>> GetListingsByItemAsync(SellerScope seller, IEnumerable<string> urns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(urns);
        var options = Options;
        var listings = new List<Listing>();
        var query = new StringBuilder();
        var inQuery = 0;
        foreach (var urn in urns.Distinct(StringComparer.Ordinal))
        {
            // Keep each URL well under common request-line limits (Kestrel's default is 8 KB; proxies often allow less).
            var escaped = Uri.EscapeDataString(urn);
            if (inQuery > 0 && (inQuery == ManagemValidator.MaxBatch || query.Length + escaped.Length + 5 > MaxLookupQueryLength))
            {
                listings.AddRange(await LookupAsync(query.ToString()).ConfigureAwait(false));
                query.Clear();
                inQuery = 0;
            }

            query.Append(inQuery == 0 ? "seller/listings/items?urn=" : "&urn=").Append(escaped);
            inQuery++;
        }

        if (inQuery > 0)
        {
            listings.AddRange(await LookupAsync(query.ToString()).ConfigureAwait(false));
        }

        return listings;

        async Task<IReadOnlyList<Listing>> LookupAsync(string path) =>
            await _http.SendAsync(ChannelHttp.Request(HttpMethod.Get, path, "listings.by-item", seller, idempotent: true), utf8 => ManagemListingReader.ReadListingArray(utf8, options.Currency, options.CurrencyDecimals), cancellationToken).ConfigureAwait(false) ?? [];
    }

    /// <summary>
    /// Creates listings through bulk create and reports one result per draft, in input order.
    /// <list type="bullet">
    /// <item>Invalid drafts (and a reference used twice) are <see cref="ListingWriteStatus.Rejected"/> and never sent.</item>
    /// <item>Input is split into calls of <see cref="ManagemClientOptions.BulkBatchSize"/> rows, with URNs unique per call, because
    /// Managem's answer names only URNs.</item>
    /// <item>A call that fails with an unknown outcome is never repeated blindly: with
    /// <see cref="ManagemClientOptions.VerifyAmbiguousCreates"/>, rows are looked up by reference and those found are reported created.</item>
    /// </list>
    /// </summary>
    public async Task<IReadOnlyList<ListingWriteResult>> CreateListingsAsync(SellerScope seller, IReadOnlyList<ListingDraft> drafts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(drafts);
        var options = Options;
        var results = new ListingWriteResult[drafts.Count];
        var rows = new List<PendingRow>(drafts.Count);
        var seenReferences = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < drafts.Count; i++)
        {
            var draft = drafts[i];
            var reference = ListingDraftValidator.NormalizeReference(draft?.Reference);
            if (draft is null)
            {
                results[i] = Rejected(i, null, [new FieldError($"drafts[{i}]", "required", "must not be null")]);
                continue;
            }

            var errors = ManagemValidator.ValidateDraft(draft, options, forCreate: true);
            if (errors.Count == 0 && !string.IsNullOrEmpty(reference) && !seenReferences.Add(reference))
            {
                errors = [new FieldError("reference", "unique", $"'{reference}' is used by an earlier draft in this call; a reference names one listing")];
            }

            if (errors.Count > 0)
            {
                results[i] = Rejected(i, reference, errors);
                continue;
            }

            rows.Add(new PendingRow(i, reference, draft.Item.Urn!, ManagemMapper.ToWrite(draft, options.CurrencyDecimals, includeUrn: true)));
        }

        foreach (var batch in PartitionUniqueUrns(rows, options.BulkBatchSize))
        {
            await CreateBatchAsync(seller, batch, results, options, cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    private async Task CreateBatchAsync(SellerScope seller, List<PendingRow> batch, ListingWriteResult[] results, ManagemClientOptions options, CancellationToken cancellationToken)
    {
        var body = new WireBulkRequest { Listings = batch.ConvertAll(r => r.Wire) };
        WireBulkResponse response;
        try
        {
            response = await _http.SendAsync(
                ChannelHttp.Request(HttpMethod.Post, "seller/listings/bulk", "listings.bulk-create", seller, idempotent: false, JsonContent.Create(body, Json.WireBulkRequest)),
                Json.WireBulkResponse,
                cancellationToken).ConfigureAwait(false) ?? new WireBulkResponse();
        }
        catch (ListingSyncRequestException ex) when (ex.OutcomeUnknown)
        {
            await VerifyAmbiguousBatchAsync(seller, batch, results, ex, options, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (ListingSyncRequestException ex)
        {
            foreach (var row in batch)
            {
                results[row.Index] = new ListingWriteResult { Index = row.Index, Reference = row.Reference, Status = ListingWriteStatus.Failed, Errors = ex.FieldErrors, Exception = ex };
            }

            return;
        }

        // A null or missing list names no row: such rows are reported Unknown (not-reported), never a crash.
        var succeeded = (response.Successful ?? []).Where(u => u is not null).ToHashSet(StringComparer.Ordinal);
        var failed = (response.Failed ?? []).Where(u => u is not null).ToHashSet(StringComparer.Ordinal);
        Dictionary<string, Listing>? ids = null;
        if (options.ResolveCreatedListingIds && succeeded.Count > 0)
        {
            try
            {
                ids = await ListingIdsByReferenceAsync(seller, batch.Where(r => succeeded.Contains(r.Urn)), cancellationToken).ConfigureAwait(false);
            }
            catch (ListingSyncException)
            {
                // The creates happened; only their ids are missing. They are reported Succeeded without an id, and the
                // reconciler adopts them by reference on its next scan.
                ids = null;
            }
        }

        foreach (var row in batch)
        {
            results[row.Index] = succeeded.Contains(row.Urn)
                ? new ListingWriteResult { Index = row.Index, Reference = row.Reference, Status = ListingWriteStatus.Succeeded, ListingId = Created(ids, row)?.Id, Listing = Created(ids, row) }
                : failed.Contains(row.Urn)
                    ? new ListingWriteResult { Index = row.Index, Reference = row.Reference, Status = ListingWriteStatus.Failed, Errors = [new FieldError("item.urn", "marketplace-rejected", $"Managem reported the row for {row.Urn} as failed (it gives no reason)")] }
                    : new ListingWriteResult { Index = row.Index, Reference = row.Reference, Status = ListingWriteStatus.Unknown, Errors = [new FieldError("item.urn", "not-reported", $"Managem's answer named neither success nor failure for {row.Urn}")] };
        }
    }

    private async Task VerifyAmbiguousBatchAsync(SellerScope seller, List<PendingRow> batch, ListingWriteResult[] results, ListingSyncRequestException failure, ManagemClientOptions options, CancellationToken cancellationToken)
    {
        Dictionary<string, Listing>? found = null;
        if (options.VerifyAmbiguousCreates && batch.All(r => !string.IsNullOrEmpty(r.Reference)))
        {
            try
            {
                found = await ListingIdsByReferenceAsync(seller, batch, cancellationToken).ConfigureAwait(false);
            }
            catch (ListingSyncRequestException)
            {
                found = null;
            }
        }

        Log.AmbiguousBulkCreate(_logger, ManagemClientOptions.ChannelName, batch.Count, found?.Count ?? 0);
        foreach (var row in batch)
        {
            results[row.Index] = found is null
                ? new ListingWriteResult { Index = row.Index, Reference = row.Reference, Status = ListingWriteStatus.Unknown, Exception = failure }
                : found.TryGetValue(row.Reference!, out var listing)
                    ? new ListingWriteResult { Index = row.Index, Reference = row.Reference, Status = ListingWriteStatus.Succeeded, ListingId = listing.Id, Listing = listing }
                    : new ListingWriteResult { Index = row.Index, Reference = row.Reference, Status = ListingWriteStatus.Failed, Exception = failure, Errors = [new FieldError("reference", "not-created", "the call failed and no listing with this reference exists: safe to create again")] };
        }
    }

    private static Listing? Created(Dictionary<string, Listing>? created, PendingRow row) =>
        row.Reference is not null && created?.TryGetValue(row.Reference, out var listing) == true ? listing : null;

    private async Task<Dictionary<string, Listing>> ListingIdsByReferenceAsync(SellerScope seller, IEnumerable<PendingRow> rows, CancellationToken cancellationToken)
    {
        var wanted = rows.Where(r => !string.IsNullOrEmpty(r.Reference)).ToList();
        var references = wanted.Select(r => r.Reference!).ToHashSet(StringComparer.Ordinal);
        var ids = new Dictionary<string, Listing>(StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            return ids;
        }

        foreach (var listing in await GetListingsByItemAsync(seller, wanted.Select(r => r.Urn), cancellationToken).ConfigureAwait(false))
        {
            if (listing.Reference is { } reference && references.Contains(reference))
            {
                ids.TryAdd(reference, listing);
            }
        }

        return ids;
    }

    /// <summary>
    /// Replaces a listing's mutable fields (<c>PUT /seller/listings/{id}</c>; the URN cannot change). Idempotent, so retried.
    /// </summary>
    /// <exception cref="ListingSyncValidationException">The draft breaks a rule; nothing was sent.</exception>
    public async Task<Listing> UpdateListingAsync(SellerScope seller, string listingId, ListingDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(listingId);
        ArgumentNullException.ThrowIfNull(draft);
        var options = Options;
        var errors = ManagemValidator.ValidateDraft(draft, options, forCreate: false);
        if (errors.Count > 0)
        {
            throw new ListingSyncValidationException(errors);
        }

        var body = JsonContent.Create(ManagemMapper.ToWrite(draft, options.CurrencyDecimals, includeUrn: false), Json.WireListingWrite);
        return (await _http.SendAsync(ChannelHttp.Request(HttpMethod.Put, $"seller/listings/{Uri.EscapeDataString(listingId)}", "listings.update", seller, idempotent: true, body), utf8 => ManagemListingReader.ReadSingle(utf8, options.Currency, options.CurrencyDecimals), cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Deletes a listing. Idempotent: returns false when it was already gone.</summary>
    public async Task<bool> DeleteListingAsync(SellerScope seller, string listingId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(listingId);
        var status = await _http.SendAsync(ChannelHttp.Request(HttpMethod.Delete, $"seller/listings/{Uri.EscapeDataString(listingId)}", "listings.delete", seller, idempotent: true), cancellationToken, notFoundIsOk: true).ConfigureAwait(false);
        return status != System.Net.HttpStatusCode.NotFound;
    }

    // ---- Webhooks -----------------------------------------------------------------------------------------

    /// <summary>Registers a webhook endpoint. Not retried on ambiguous failures (a repeat would register two): list before creating again.</summary>
    /// <exception cref="ListingSyncValidationException">URL, subscriptions or description break a rule.</exception>
    public async Task<ManagemWebhook> CreateWebhookAsync(SellerScope seller, ManagemWebhookCreateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ValidateWebhook(request.Url, request.Subscriptions, request.Description, requireSubscriptions: true);
        return (await _http.SendAsync(ChannelHttp.Request(HttpMethod.Post, "seller/webhooks", "webhooks.create", seller, idempotent: false, JsonContent.Create(request, Json.ManagemWebhookCreateRequest)), Json.ManagemWebhook, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Lists the seller's webhook endpoints.</summary>
    public async Task<IReadOnlyList<ManagemWebhook>> ListWebhooksAsync(SellerScope seller, CancellationToken cancellationToken = default) =>
        await _http.SendAsync(ChannelHttp.Request(HttpMethod.Get, "seller/webhooks", "webhooks.list", seller, idempotent: true), Json.ListManagemWebhook, cancellationToken).ConfigureAwait(false) ?? [];

    /// <summary>Reads one webhook endpoint; null when it does not exist.</summary>
    public Task<ManagemWebhook?> GetWebhookAsync(SellerScope seller, string webhookId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(webhookId);
        return _http.SendAsync(ChannelHttp.Request(HttpMethod.Get, $"seller/webhooks/{Uri.EscapeDataString(webhookId)}", "webhooks.get", seller, idempotent: true), Json.ManagemWebhook, cancellationToken, notFoundIsNull: true);
    }

    /// <summary>Changes a webhook endpoint (<c>PATCH</c>). Idempotent, so retried.</summary>
    public async Task<ManagemWebhook> UpdateWebhookAsync(SellerScope seller, string webhookId, ManagemWebhookUpdateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(webhookId);
        ArgumentNullException.ThrowIfNull(request);
        ValidateWebhook(request.Url, request.Subscriptions, request.Description, requireSubscriptions: false);
        return (await _http.SendAsync(ChannelHttp.Request(HttpMethod.Patch, $"seller/webhooks/{Uri.EscapeDataString(webhookId)}", "webhooks.update", seller, idempotent: true, JsonContent.Create(request, Json.ManagemWebhookUpdateRequest)), Json.ManagemWebhook, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Replaces a webhook's subscriptions (<c>PUT .../subscriptions</c>). Idempotent.</summary>
    public async Task<ManagemWebhook> SetWebhookSubscriptionsAsync(SellerScope seller, string webhookId, IReadOnlyList<string> events, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(webhookId);
        ValidateWebhook(null, events, null, requireSubscriptions: true);
        var body = JsonContent.Create(new WireSubscriptions { Events = [.. events] }, Json.WireSubscriptions);
        return (await _http.SendAsync(ChannelHttp.Request(HttpMethod.Put, $"seller/webhooks/{Uri.EscapeDataString(webhookId)}/subscriptions", "webhooks.subscriptions", seller, idempotent: true, body), Json.ManagemWebhook, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Deletes a webhook endpoint. Idempotent: false when it was already gone.</summary>
    public async Task<bool> DeleteWebhookAsync(SellerScope seller, string webhookId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(webhookId);
        var status = await _http.SendAsync(ChannelHttp.Request(HttpMethod.Delete, $"seller/webhooks/{Uri.EscapeDataString(webhookId)}", "webhooks.delete", seller, idempotent: true), cancellationToken, notFoundIsOk: true).ConfigureAwait(false);
        return status != System.Net.HttpStatusCode.NotFound;
    }

    /// <summary>Sends a test delivery and returns the status code the endpoint answered; go live only on 200.</summary>
    public async Task<ManagemWebhookTestResult> TestWebhookAsync(SellerScope seller, string webhookId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(webhookId);
        return (await _http.SendAsync(ChannelHttp.Request(HttpMethod.Post, $"seller/webhooks/{Uri.EscapeDataString(webhookId)}/test", "webhooks.test", seller, idempotent: true), Json.ManagemWebhookTestResult, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Lists recent failed deliveries of a webhook endpoint.</summary>
    /// <param name="seller">The seller.</param>
    /// <param name="webhookId">The endpoint.</param>
    /// <param name="limit">How many, 1 to 100. Default 20.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ListingSyncValidationException"><paramref name="limit"/> is outside 1..100.</exception>
    public async Task<IReadOnlyList<ManagemWebhookFailure>> ListWebhookFailuresAsync(SellerScope seller, string webhookId, int limit = 20, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(webhookId);
        if (limit is < 1 or > 100)
        {
            throw new ListingSyncValidationException([new FieldError("limit", "range", $"must be between 1 and 100 (was {limit})")]);
        }

        var path = $"seller/webhooks/{Uri.EscapeDataString(webhookId)}/failures?limit={limit.ToString(CultureInfo.InvariantCulture)}";
        var response = await _http.SendAsync(ChannelHttp.Request(HttpMethod.Get, path, "webhooks.failures", seller, idempotent: true), Json.WireFailures, cancellationToken).ConfigureAwait(false);
        return response?.Failures ?? [];
    }

    private static void ValidateWebhook(string? url, IReadOnlyList<string>? subscriptions, string? description, bool requireSubscriptions)
    {
        var errors = new List<FieldError>();
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
        {
            errors.Add(new FieldError("url", "absolute-http-url", $"must be an absolute http(s) URL (was '{url}')"));
        }

        if ((requireSubscriptions || subscriptions is not null) && (subscriptions is null || subscriptions.Count == 0))
        {
            errors.Add(new FieldError("subscriptions", "min-count", "must name at least one event type, e.g. LISTING_CREATED"));
        }
        else if (subscriptions is not null && subscriptions.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add(new FieldError("subscriptions", "no-empty-entries", "must not contain empty event types"));
        }

        if (description is { Length: > ManagemValidator.MaxWebhookDescription })
        {
            errors.Add(new FieldError("description", "max-length", $"must be at most {ManagemValidator.MaxWebhookDescription} characters (was {description.Length})"));
        }

        if (errors.Count > 0)
        {
            throw new ListingSyncValidationException(errors);
        }
    }

    // ---- Imports ------------------------------------------------------------------------------------------

    /// <summary>
    /// Uploads a CSV import file (<c>multipart/form-data</c>, field <c>file</c>). The stream is sent as it is read,
    /// never buffered whole, and the call is never repeated (a repeat would import twice). A seekable file's header is
    /// checked first, so a wrong header or column order fails before anything is sent.
    /// </summary>
    /// <exception cref="ListingSyncValidationException">The header is not exactly <see cref="ManagemCsvImportBuilder.Header"/>.</exception>
    public async Task<ManagemImport> CreateImportAsync(SellerScope seller, Stream csv, string fileName = "listings.csv", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        if (csv.CanSeek && ReadHeader(csv) is { } header && !string.Equals(header, ManagemCsvImportBuilder.Header, StringComparison.Ordinal))
        {
            throw new ListingSyncValidationException([new FieldError("file", "header", $"the header must be exactly {ManagemCsvImportBuilder.Header} (found {header}); nothing was uploaded")]);
        }

        var content = new MultipartFormDataContent();
        var file = new StreamContent(csv);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", fileName);
        return (await _http.SendAsync(ChannelHttp.Request(HttpMethod.Post, "seller/imports", "imports.create", seller, idempotent: false, content, replayable: false), Json.ManagemImport, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>The first line of a seekable file (without a UTF-8 BOM), leaving the position where it was; null when unreadable.</summary>
    private static string? ReadHeader(Stream csv)
    {
        var start = csv.Position;
        try
        {
            var buffer = new byte[4096];
            var read = csv.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            var span = buffer.AsSpan(0, read);
            if (span.StartsWith("\uFEFF"u8))
            {
                span = span[3..];
            }

            var end = span.IndexOfAny((byte)'\r', (byte)'\n');
            return end < 0 && read == buffer.Length ? null : System.Text.Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
        }
        finally
        {
            csv.Position = start;
        }
    }

    /// <summary>Reads an import's progress; null when it does not exist.</summary>
    public Task<ManagemImport?> GetImportAsync(SellerScope seller, string importId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(importId);
        return _http.SendAsync(ChannelHttp.Request(HttpMethod.Get, $"seller/imports/{Uri.EscapeDataString(importId)}", "imports.get", seller, idempotent: true, subject: $"import {importId}"), Json.ManagemImport, cancellationToken, notFoundIsNull: true);
    }

    /// <summary>Lists the seller's imports, newest first.</summary>
    public async Task<IReadOnlyList<ManagemImport>> ListImportsAsync(SellerScope seller, CancellationToken cancellationToken = default) =>
        await _http.SendAsync(ChannelHttp.Request(HttpMethod.Get, "seller/imports", "imports.list", seller, idempotent: true), Json.ListManagemImport, cancellationToken).ConfigureAwait(false) ?? [];

    /// <summary>Pauses a running import. Idempotent.</summary>
    public Task<ManagemImport> PauseImportAsync(SellerScope seller, string importId, CancellationToken cancellationToken = default) => ImportActionAsync(seller, importId, "pause", cancellationToken);

    /// <summary>Resumes a paused import. Idempotent.</summary>
    public Task<ManagemImport> ResumeImportAsync(SellerScope seller, string importId, CancellationToken cancellationToken = default) => ImportActionAsync(seller, importId, "resume", cancellationToken);

    /// <summary>Stops an import for good. Idempotent.</summary>
    public Task<ManagemImport> TerminateImportAsync(SellerScope seller, string importId, CancellationToken cancellationToken = default) => ImportActionAsync(seller, importId, "terminate", cancellationToken);

    /// <summary>The rows an import could not process, each quoting its CSV line.</summary>
    public async Task<IReadOnlyList<ManagemImportError>> GetImportErrorsAsync(SellerScope seller, string importId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(importId);
        var response = await _http.SendAsync(ChannelHttp.Request(HttpMethod.Get, $"seller/imports/{Uri.EscapeDataString(importId)}/errors", "imports.errors", seller, idempotent: true, subject: $"import {importId}"), Json.WireImportErrors, cancellationToken).ConfigureAwait(false);
        return response?.Errors ?? [];
    }

    private async Task<ManagemImport> ImportActionAsync(SellerScope seller, string importId, string action, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(importId);
        return (await _http.SendAsync(ChannelHttp.Request(HttpMethod.Post, $"seller/imports/{Uri.EscapeDataString(importId)}/{action}", $"imports.{action}", seller, idempotent: true, subject: $"import {importId}"), Json.ManagemImport, cancellationToken).ConfigureAwait(false))!;
    }

    // ---- Helpers ------------------------------------------------------------------------------------------

    private static ListingWriteResult Rejected(int index, string? reference, IReadOnlyList<FieldError> errors) =>
        new() { Index = index, Reference = reference, Status = ListingWriteStatus.Rejected, Errors = errors };

    /// <summary>Splits rows into batches of at most <paramref name="size"/> with no URN twice in one batch.</summary>
    internal static List<List<PendingRow>> PartitionUniqueUrns(List<PendingRow> rows, int size)
    {
        var batches = new List<List<PendingRow>>();
        var lastBatchOfUrn = new Dictionary<string, int>(StringComparer.Ordinal);
        var firstOpen = 0;
        foreach (var row in rows)
        {
            var target = lastBatchOfUrn.TryGetValue(row.Urn, out var last) ? Math.Max(last + 1, firstOpen) : firstOpen;
            while (target < batches.Count && batches[target].Count >= size)
            {
                target++;
            }

            if (target == batches.Count)
            {
                batches.Add(new List<PendingRow>(Math.Min(size, rows.Count)));
            }

            batches[target].Add(row);
            lastBatchOfUrn[row.Urn] = target;
            while (firstOpen < batches.Count && batches[firstOpen].Count >= size)
            {
                firstOpen++;
            }
        }

        return batches;
    }

    // The token carries the next offset and the ids of the last listings returned (the overlap), so the next call can
    // find where it left off even when listings were deleted in between. "mg1:{from}" tokens from earlier versions still read.
    private static string EncodeToken(int from, string? firstId, string[] lastIds) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("mg2:" + from.ToString(CultureInfo.InvariantCulture) + "\n" + firstId + string.Concat(lastIds.Select(id => "\n" + id))));

    private static (int From, string? PreviousFirst, string[] Seen) DecodeToken(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var parts = text.Split('\n');
            if (int.TryParse(parts[0].AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var from))
            {
                if (parts[0].StartsWith("mg2:", StringComparison.Ordinal) && parts.Length >= 2)
                {
                    return (from, parts[1].Length == 0 ? null : parts[1], parts[2..]);
                }

                if (parts[0].StartsWith("mg1:", StringComparison.Ordinal) && parts.Length == 1)
                {
                    return (from, null, []);
                }
            }
        }
        catch (FormatException)
        {
        }

        throw new ListingSyncValidationException([new FieldError("continuationToken", "format", "is not a token this SDK issued for Managem listing search")]);
    }

    /// <summary>Reads Managem's error bodies; lenient, since their exact shape is not published.</summary>
    internal static ErrorBody ParseError(string raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return ErrorBody.Empty;
        }

        var wire = JsonSerializer.Deserialize(raw, Json.WireError);
        if (wire is null)
        {
            return ErrorBody.Empty;
        }

        string? code = wire.Code.ValueKind switch
        {
            JsonValueKind.String => wire.Code.GetString(),
            JsonValueKind.Number => wire.Code.GetRawText(),
            _ => null,
        };
        var message = wire.Message;
        if (wire.Error.ValueKind == JsonValueKind.String)
        {
            message ??= wire.Error.GetString();
        }
        else if (wire.Error.ValueKind == JsonValueKind.Object)
        {
            if (wire.Error.TryGetProperty("code", out var c))
            {
                code ??= c.ValueKind == JsonValueKind.String ? c.GetString() : c.GetRawText();
            }

            if (wire.Error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
            {
                message ??= m.GetString();
            }
        }

        var fields = (wire.Errors ?? [])
            .Select(e => new FieldError(e.Field ?? e.Path ?? "", e.Rule ?? e.Code ?? "invalid", e.Message ?? "is invalid"))
            .ToList();
        return new ErrorBody(code, message, fields);
    }

    internal sealed record PendingRow(int Index, string? Reference, string Urn, WireListingWrite Wire);
}
