using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels.Instica;

/// <summary>
/// Inventory items (<c>/api/v1/inventory/</c>): paged lists with search, status filter and ordering; one item by uid;
/// create and update; list and delist one item on one platform; bulk list and bulk delist (<c>uids</c> ×
/// <c>platforms</c>) with one result per item and platform. A 402 / 400 on a listing call is an
/// <see cref="InsticaPrerequisiteException"/> naming what is missing; an extension-only platform is refused before
/// anything is sent.
/// </summary>
public class InsticaInventoryClient
{
    private const string Base = "api/v1/inventory/";
    private readonly InsticaClient _client = null!;

    internal InsticaInventoryClient(InsticaClient client) => _client = client;

    /// <summary>For mocking frameworks and test doubles only.</summary>
    protected InsticaInventoryClient()
    {
    }

    /// <summary>One page (1-based) of the seller's items.</summary>
    /// <exception cref="ListingSyncValidationException">The page or page size is out of range.</exception>
    public virtual async Task<InsticaPage<InsticaInventoryItem>> GetPageAsync(SellerScope seller, InsticaInventoryQuery? query = null, int page = 1, CancellationToken cancellationToken = default)
    {
        query ??= InsticaInventoryQuery.All;
        var size = query.PageSize ?? _client.Options.PageSize;
        InsticaClient.CheckPageSize(size);

        if (page < 1)
        {
            throw new ListingSyncValidationException([new FieldError("page", "min", $"pages start at 1, was {page}")]);
        }

        var path = Base + InsticaClient.Query(
            ("search", query.Search),
            ("status", query.Statuses.Count == 0 ? null : string.Join(',', query.Statuses)),
            ("ordering", query.Ordering),
            ("page", InsticaClient.Number(page)),
            ("page_size", InsticaClient.Number(size)));
        var root = await _client.GetJsonAsync(seller, path, "inventory.list", $"inventory page {page}", cancellationToken).ConfigureAwait(false);
        return InsticaClient.ReadPage(root, page, InsticaJson.Default.InsticaInventoryItem, "inventory.list", $"inventory page {page}");
    }

    /// <summary>
    /// Every item matching <paramref name="query"/>, page by page. A page that cannot belong to a consistent scan is an
    /// error naming the page, never a silent end: no count, a page without results before the count is reached, a page
    /// that repeats items already returned, more items than the count. Once the first page gives the count, up to
    /// <see cref="InsticaClientOptions.MaxConcurrency"/> of the following pages are requested ahead (each within the
    /// rate limit), so a long scan runs at the rate limit rather than one round trip per page; they are checked and
    /// returned in order.
    /// </summary>
    public virtual async IAsyncEnumerable<InsticaInventoryItem> ListAllAsync(SellerScope seller, InsticaInventoryQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var first = await GetPageAsync(seller, query, 1, cancellationToken).ConfigureAwait(false);
        foreach (var item in Check(first, seen))
        {
            yield return item;
        }

        if (first.Next is null || seen.Count >= first.Count)
        {
            yield break;
        }

        // Pages the count says exist are fetched ahead; past them (the count grew), one at a time.
        var last = (int)Math.Min(int.MaxValue, (first.Count!.Value + first.Results.Count - 1) / first.Results.Count);
        var ahead = Math.Max(1, _client.Options.MaxConcurrency);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new Queue<Task<InsticaPage<InsticaInventoryItem>>>();
        try
        {
            for (var next = 2; ; )
            {
                while (next <= last && pending.Count < ahead)
                {
                    pending.Enqueue(GetPageAsync(seller, query, next++, stop.Token));
                }

                if (pending.Count == 0)
                {
                    pending.Enqueue(GetPageAsync(seller, query, next++, stop.Token));
                }

                var answer = await pending.Dequeue().ConfigureAwait(false);
                foreach (var item in Check(answer, seen))
                {
                    yield return item;
                }

                if (answer.Next is null || seen.Count >= answer.Count)
                {
                    yield break;
                }
            }
        }
        finally
        {
            // Pages requested ahead that are no longer wanted (the scan ended, failed or was abandoned) are cancelled.
            await stop.CancelAsync().ConfigureAwait(false);
            await ((Task)Task.WhenAll(pending)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>The page's items after the scan checks; <paramref name="seen"/> collects the uids returned so far.</summary>
    internal static IReadOnlyList<InsticaInventoryItem> Check(InsticaPage<InsticaInventoryItem> answer, HashSet<string> seen, long earlier = 0)
    {
        if (answer.Count is not { } count || count < 0)
        {
            throw PageError(answer.Page, answer.Count is null ? "the answer has no count" : $"the count is negative ({answer.Count})");
        }

        if (answer.Results.Count == 0 && earlier + seen.Count < count)
        {
            throw PageError(answer.Page, $"it returned no items although {earlier + seen.Count} of {count} were returned so far");
        }

        foreach (var item in answer.Results)
        {
            if (string.IsNullOrEmpty(item.Uid))
            {
                throw PageError(answer.Page, "an item has no uid");
            }

            if (!seen.Add(item.Uid))
            {
                throw PageError(answer.Page, $"it returned item {item.Uid} again (the pages repeat)");
            }
        }

        var returned = earlier + seen.Count;
        if (returned > count)
        {
            throw PageError(answer.Page, $"{returned} items were returned, more than the count of {count} (the count is under-reported)");
        }

        if (answer.Next is null && returned < count)
        {
            throw PageError(answer.Page, $"it is the last page (no next) but only {returned} of {count} items were returned");
        }

        return answer.Results;
    }

    private static ListingSyncRequestException PageError(int page, string problem) =>
        new($"Instica inventory page {page.ToString(CultureInfo.InvariantCulture)} cannot be part of a consistent scan: {problem}. Nothing was planned from this scan.")
        {
            Channel = InsticaClientOptions.ChannelName,
            Operation = "inventory.list",
            ErrorCode = "inconsistent-page",
            ErrorMessage = problem,
        };

    /// <summary>One item by uid; null when Instica has none (404).</summary>
    public virtual async Task<InsticaInventoryItem?> GetAsync(SellerScope seller, string uid, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uid);
        var root = await _client.GetJsonAsync(seller, Base + InsticaClient.Escape(uid) + "/", "inventory.get", $"item {uid}", cancellationToken, notFoundIsNull: true).ConfigureAwait(false);
        return root.ValueKind == JsonValueKind.Undefined ? null : InsticaClient.Read(root, InsticaJson.Default.InsticaInventoryItem, "inventory.get", $"item {uid}");
    }

    /// <summary>The items whose SKU is exactly <paramref name="sku"/> (a search, then an exact match on <c>manual_sku</c>).</summary>
    public virtual async Task<IReadOnlyList<InsticaInventoryItem>> FindBySkuAsync(SellerScope seller, string sku, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sku);
        var found = new List<InsticaInventoryItem>();
        await foreach (var item in ListAllAsync(seller, new InsticaInventoryQuery { Search = sku, Ordering = "created" }, cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(item.ManualSku?.Trim(), sku.Trim(), StringComparison.Ordinal))
            {
                found.Add(item);
            }
        }

        return found;
    }

    /// <summary>Creates an item. Not retried: a lost answer is an unknown outcome (look the item up by SKU).</summary>
    public virtual async Task<InsticaInventoryItem> CreateAsync(SellerScope seller, InsticaInventoryItemInput item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        var root = await _client.SendJsonAsync(seller, HttpMethod.Post, Base, item, InsticaJson.Default.InsticaInventoryItemInput, "inventory.create", $"new item {item.ManualSku}", idempotent: false, cancellationToken).ConfigureAwait(false);
        return InsticaClient.Read(root, InsticaJson.Default.InsticaInventoryItem, "inventory.create", $"new item {item.ManualSku}");
    }

    /// <summary>Changes the given fields of an item (<c>PATCH</c>; null fields are left as they are). Idempotent.</summary>
    public virtual async Task<InsticaInventoryItem> UpdateAsync(SellerScope seller, string uid, InsticaInventoryItemInput changes, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uid);
        ArgumentNullException.ThrowIfNull(changes);
        var root = await _client.SendJsonAsync(seller, HttpMethod.Patch, Base + InsticaClient.Escape(uid) + "/", changes, InsticaJson.Default.InsticaInventoryItemInput, "inventory.update", $"item {uid}", idempotent: true, cancellationToken).ConfigureAwait(false);
        return InsticaClient.Read(root, InsticaJson.Default.InsticaInventoryItem, "inventory.update", $"item {uid}");
    }

    /// <summary>Lists one item on one platform at <paramref name="price"/> (sent as a decimal string, e.g. <c>"34.99"</c>).</summary>
    /// <exception cref="InsticaPrerequisiteException">A prerequisite is missing, or the platform cannot be listed on through the API.</exception>
    public virtual async Task<InsticaListResult> ListAsync(SellerScope seller, string uid, string platform, decimal? price = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uid);
        RefuseUnlistable(platform);
        var body = new Dictionary<string, JsonElement>();
        if (price is { } p)
        {
            body["price"] = JsonSerializer.SerializeToElement(p.ToString("0.00##", CultureInfo.InvariantCulture), InsticaJson.Default.String);
        }

        var path = $"{Base}{InsticaClient.Escape(uid)}/platforms/{InsticaClient.Escape(platform)}/list/";
        var root = await Prerequisites(platform, () => _client.SendJsonAsync(seller, HttpMethod.Post, path, body, InsticaJson.Default.DictionaryStringJsonElement, "inventory.list-on", $"item {uid} on {platform}", idempotent: true, cancellationToken)).ConfigureAwait(false);
        return InsticaClient.Read(root, InsticaJson.Default.InsticaListResult, "inventory.list-on", $"item {uid} on {platform}");
    }

    /// <summary>Delists one item from one platform; the inventory item stays. Idempotent.</summary>
    public virtual async Task DelistAsync(SellerScope seller, string uid, string platform, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uid);
        RefuseUnlistable(platform);
        var path = $"{Base}{InsticaClient.Escape(uid)}/platforms/{InsticaClient.Escape(platform)}/delist/";
        await Prerequisites(platform, async () =>
        {
            await _client.SendAsync(seller, HttpMethod.Post, path, null, null, "inventory.delist", $"item {uid} on {platform}", idempotent: true, cancellationToken).ConfigureAwait(false);
            return default;
        }).ConfigureAwait(false);
    }

    /// <summary>Lists every item on every platform (<c>POST /api/v1/inventory/bulk/list/</c>): one result per item and platform, in input order.</summary>
    public virtual Task<IReadOnlyList<InsticaBulkItemResult>> BulkListAsync(SellerScope seller, IReadOnlyList<string> uids, IReadOnlyList<string> platforms, CancellationToken cancellationToken = default) =>
        BulkAsync(seller, "list", uids, platforms, cancellationToken);

    /// <summary>Delists every item from every platform (<c>POST /api/v1/inventory/bulk/delist/</c>): one result per item and platform.</summary>
    public virtual Task<IReadOnlyList<InsticaBulkItemResult>> BulkDelistAsync(SellerScope seller, IReadOnlyList<string> uids, IReadOnlyList<string> platforms, CancellationToken cancellationToken = default) =>
        BulkAsync(seller, "delist", uids, platforms, cancellationToken);

    private async Task<IReadOnlyList<InsticaBulkItemResult>> BulkAsync(SellerScope seller, string verb, IReadOnlyList<string> uids, IReadOnlyList<string> platforms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uids);
        ArgumentNullException.ThrowIfNull(platforms);
        if (uids.Any(string.IsNullOrWhiteSpace))
        {
            throw new ListingSyncValidationException([new FieldError("uids", "required", "every uid must be non-empty")]);
        }

        if (platforms.Count == 0 || platforms.Any(string.IsNullOrWhiteSpace))
        {
            throw new ListingSyncValidationException([new FieldError("platforms", "required", "name at least one platform slug, none empty")]);
        }

        foreach (var platform in platforms)
        {
            RefuseUnlistable(platform);
        }

        var results = new List<InsticaBulkItemResult>(uids.Count * platforms.Count);
        var size = Math.Max(1, _client.Options.BulkSize);
        for (var start = 0; start < uids.Count; start += size)
        {
            var chunk = uids.Skip(start).Take(size).ToList();
            var body = new Dictionary<string, JsonElement>
            {
                ["uids"] = JsonSerializer.SerializeToElement(chunk, InsticaJson.Default.ListString),
                ["platforms"] = JsonSerializer.SerializeToElement(platforms.ToList(), InsticaJson.Default.ListString),
            };
            var operation = "inventory.bulk-" + verb;
            var subject = $"{chunk.Count} items on {string.Join(", ", platforms)}";
            var root = await Prerequisites(platforms.Count == 1 ? platforms[0] : null, () => _client.SendJsonAsync(seller, HttpMethod.Post, $"{Base}bulk/{verb}/", body, InsticaJson.Default.DictionaryStringJsonElement, operation, subject, idempotent: true, cancellationToken)).ConfigureAwait(false);
            var answered = root.ValueKind is JsonValueKind.Array or JsonValueKind.Object && (root.ValueKind == JsonValueKind.Array || root.TryGetProperty("results", out _))
                ? InsticaClient.ReadList(root, InsticaJson.Default.InsticaBulkItemResult, operation, subject)
                : [];
            foreach (var uid in chunk)
            {
                foreach (var platform in platforms)
                {
                    results.Add(answered.FirstOrDefault(r => r.Uid == uid && string.Equals(r.Platform, platform, StringComparison.OrdinalIgnoreCase))
                        ?? new InsticaBulkItemResult { Uid = uid, Platform = platform, Status = "unknown", IsMissing = true, Error = "Instica's answer has no result for this item and platform" });
                }
            }
        }

        return results;
    }

    private static void RefuseUnlistable(string platform)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(platform);
        if (InsticaPlatforms.WhyNotListable(platform) is { } why)
        {
            throw new InsticaPrerequisiteException($"Not sent: {why}.")
            {
                Channel = InsticaClientOptions.ChannelName,
                Operation = "inventory.list-on",
                Prerequisite = InsticaPrerequisite.ApiListing,
                Platform = platform,
                ErrorCode = "extension-platform",
                ErrorMessage = why,
            };
        }
    }

    /// <summary>Turns Instica's 402 / 400 answers to a listing call into a typed error naming the missing prerequisite.</summary>
    private static async Task<JsonElement> Prerequisites(string? platform, Func<Task<JsonElement>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ListingSyncRequestException ex) when (ex.StatusCode is HttpStatusCode.PaymentRequired or HttpStatusCode.BadRequest && ex is not InsticaPrerequisiteException)
        {
            var text = $"{ex.ErrorCode} {ex.ErrorMessage}".ToLowerInvariant();
            var missing = ex.StatusCode == HttpStatusCode.PaymentRequired || text.Contains("subscription", StringComparison.Ordinal) ? InsticaPrerequisite.Subscription
                : text.Contains("address", StringComparison.Ordinal) ? InsticaPrerequisite.PrimaryAddress
                : text.Contains("connect", StringComparison.Ordinal) ? InsticaPrerequisite.PlatformConnection
                : InsticaPrerequisite.Unknown;
            if (missing == InsticaPrerequisite.Unknown && ex.StatusCode == HttpStatusCode.BadRequest && ex.FieldErrors.Count > 0)
            {
                throw; // a field-level refusal, not a missing prerequisite
            }

            throw new InsticaPrerequisiteException($"Instica refused to list{(platform is null ? "" : " on " + platform)}: {Describe(missing)} ({(int)ex.StatusCode!}: {ex.ErrorMessage ?? ex.ErrorCode ?? "no detail"}).", ex)
            {
                Channel = ex.Channel,
                Operation = ex.Operation,
                StatusCode = ex.StatusCode,
                ErrorCode = ex.ErrorCode,
                ErrorMessage = ex.ErrorMessage,
                RequestId = ex.RequestId,
                RawBody = ex.RawBody,
                Prerequisite = missing,
                Platform = platform,
            };
        }
    }

    internal static string Describe(InsticaPrerequisite missing) => missing switch
    {
        InsticaPrerequisite.Subscription => "an active subscription is required",
        InsticaPrerequisite.PrimaryAddress => "a primary address must be on file",
        InsticaPrerequisite.PlatformConnection => "the platform must be connected (a valid connection)",
        InsticaPrerequisite.ApiListing => "the platform is listed on manually (browser extension), not through the API",
        _ => "a listing prerequisite is missing",
    };
}
