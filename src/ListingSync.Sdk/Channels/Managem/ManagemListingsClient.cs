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

/// <summary>The seller's listings: search (streamed or paged), get, bulk create, update, delete.</summary>
/// <remarks>
/// Reached through <see cref="ManagemClient"/> (<c>client.Listings</c>); shares its HTTP pipeline (resilience, rate limit,
/// credentials). Members are virtual and the protected constructor exists so tests can substitute it.
/// </remarks>
public class ManagemListingsClient : ManagemSubClient
{
    /// <summary>The longest path and query a lookup by URN sends; longer lists are split into several calls.</summary>
    private const int MaxLookupQueryLength = 4_000;

    internal ManagemListingsClient(ChannelHttp http, IOptionsMonitor<ManagemClientOptions> options, ILogger logger)
        : base(http, options, logger)
    {
    }

    /// <summary>For mocking frameworks and test doubles only.</summary>
    protected ManagemListingsClient()
    {
    }


    /// <summary>
    /// Streams every listing matching <paramref name="query"/>, one page in memory at a time.
    /// </summary>
    /// <exception cref="ListingSyncValidationException">The page size is outside 1..50.</exception>
    public virtual async IAsyncEnumerable<Listing> SearchAsync(SellerScope seller, ManagemListingQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= ManagemListingQuery.All;
        ManagemValidator.ValidatePageSize(query.PageSize);
        string? token = null;
        do
        {
            var page = await GetPageAsync(seller, query, token, cancellationToken).ConfigureAwait(false);
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
    public virtual async Task<ListingPage<Listing>> GetPageAsync(SellerScope seller, ManagemListingQuery? query = null, string? continuationToken = null, CancellationToken cancellationToken = default)
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
    public virtual async Task<Listing?> GetAsync(SellerScope seller, string listingId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(listingId);
        var options = Options;
        return await _http.SendAsync(ChannelHttp.Request(HttpMethod.Get, $"seller/listings/{Uri.EscapeDataString(listingId)}", "listings.get", seller, idempotent: true), utf8 => ManagemListingReader.ReadSingle(utf8, options.Currency, options.CurrencyDecimals), cancellationToken, notFoundIsNull: true).ConfigureAwait(false);
    }

    /// <summary>The seller's listings of the given items (<c>GET /seller/listings/items</c>), 200 URNs per call.</summary>
    public virtual async Task<IReadOnlyList<Listing>> GetByItemAsync(SellerScope seller, IEnumerable<string> urns, CancellationToken cancellationToken = default)
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
    public virtual async Task<IReadOnlyList<ListingWriteResult>> CreateAsync(SellerScope seller, IReadOnlyList<ListingDraft> drafts, CancellationToken cancellationToken = default)
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

        foreach (var listing in await GetByItemAsync(seller, wanted.Select(r => r.Urn), cancellationToken).ConfigureAwait(false))
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
    public virtual async Task<Listing> UpdateAsync(SellerScope seller, string listingId, ListingDraft draft, CancellationToken cancellationToken = default)
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
    public virtual async Task<bool> DeleteAsync(SellerScope seller, string listingId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(listingId);
        var status = await _http.SendAsync(ChannelHttp.Request(HttpMethod.Delete, $"seller/listings/{Uri.EscapeDataString(listingId)}", "listings.delete", seller, idempotent: true), cancellationToken, notFoundIsOk: true).ConfigureAwait(false);
        return status != System.Net.HttpStatusCode.NotFound;
    }


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
