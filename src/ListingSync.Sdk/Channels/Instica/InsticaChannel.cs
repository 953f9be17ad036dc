using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;

namespace ListingSync.Sdk.Channels.Instica;

/// <summary>
/// One Instica platform as an <see cref="IListingChannel"/>, named <c>instica:&lt;slug&gt;</c> (e.g. <c>instica:ebay</c>).
/// <list type="bullet">
/// <item>read: the seller's inventory items with a live listing on the platform (inventory pages, <c>page_size</c> 100);</item>
/// <item>create: find the inventory item by SKU (or create it), set its price, then list it through bulk list calls;</item>
/// <item>update: change the item (name, SKU, description, condition, price) and list or delist it (quantity 1 or 0);</item>
/// <item>remove: delist (the inventory item stays).</item>
/// </list>
/// An Instica inventory item is one sellable unit, so a listing's quantity is 1 (listed) or 0. Adoption is by SKU
/// (<see cref="ListingMatchKey.Sku"/>): an item listed before the integration is adopted, and a create finds an
/// existing item by SKU before it makes one, so a retry after a crash never makes a second item. Instica stores no
/// host reference; the mapping store holds it. Browser-extension platforms (Redbubble, TeePublic, Society6) are refused
/// before anything is sent; a missing prerequisite (402 / 400) is remembered per seller so later writes are refused
/// without being sent, and the next plan names it (<see cref="IChannelPreflight"/>).
/// </summary>
public sealed class InsticaChannel : IListingChannel, IListingDraftRules, IChannelPreflight
{
    private const string Currency = "USD";
    private const string TokenPrefix = "instica:v1:";
    private static readonly TimeSpan SkuIndexMaxAge = TimeSpan.FromMinutes(5);
    private readonly InsticaClient _client;
    private readonly InsticaPrerequisiteMemory _memory;
    private readonly Dictionary<string, SkuIndex> _skuIndex = new(StringComparer.Ordinal);

    /// <summary>Creates the channel for <paramref name="platform"/> (a slug such as <c>ebay</c>).</summary>
    public InsticaChannel(InsticaClient client, string platform)
        : this(client, platform, new InsticaPrerequisiteMemory())
    {
    }

    internal InsticaChannel(InsticaClient client, string platform, InsticaPrerequisiteMemory memory)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        ArgumentException.ThrowIfNullOrWhiteSpace(platform);
        Platform = platform.Trim().ToLowerInvariant();
        _memory = memory;
    }

    /// <summary>The platform slug, e.g. <c>ebay</c>.</summary>
    public string Platform { get; }

    /// <inheritdoc />
    public string Name => InsticaClientOptions.ChannelName + ":" + Platform;

    /// <inheritdoc />
    public ChannelCapabilities Capabilities => InsticaPlatforms.WhyNotListable(Platform) is null
        ? ChannelCapabilities.ReadListings | ChannelCapabilities.GetListing | ChannelCapabilities.CreateListings | ChannelCapabilities.BulkCreate | ChannelCapabilities.UpdateListings | ChannelCapabilities.Delist
        : ChannelCapabilities.ReadListings | ChannelCapabilities.GetListing;

    /// <summary>SKU (<c>manual_sku</c>): one inventory item per SKU.</summary>
    public IReadOnlyList<ListingMatchKey> MatchKeys { get; } = [ListingMatchKey.Sku];

    /// <inheritdoc />
    public ListingFields Fields => ListingFields.Price | ListingFields.Quantity | ListingFields.Condition | ListingFields.Titles | ListingFields.Descriptions;

    private string TitleLanguage => _client.Options.TitleLanguage;

    /// <inheritdoc />
    public async IAsyncEnumerable<Listing> GetListingsAsync(SellerScope seller, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in _client.Inventory.ListAllAsync(seller, InsticaInventoryQuery.All, cancellationToken).ConfigureAwait(false))
        {
            if (item.ListingOn(Platform) is not null)
            {
                yield return ToListing(item);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>The token holds the next page number and how many items were returned before it.</remarks>
    public async Task<ListingPage<Listing>> GetListingsPageAsync(SellerScope seller, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        var (page, before) = continuationToken is null ? (1, 0L) : DecodeToken(continuationToken);
        var answer = await _client.Inventory.GetPageAsync(seller, InsticaInventoryQuery.All, page, cancellationToken).ConfigureAwait(false);
        var items = InsticaInventoryClient.Check(answer, new HashSet<string>(StringComparer.Ordinal), before);
        var returned = before + items.Count;
        return new ListingPage<Listing>
        {
            Items = [.. items.Where(i => i.ListingOn(Platform) is not null).Select(ToListing)],
            Total = answer.Count,
            ContinuationToken = answer.Next is not null && returned < answer.Count ? EncodeToken(page + 1, returned) : null,
        };
    }

    private static string EncodeToken(int page, long before) => TokenPrefix + page.ToString(CultureInfo.InvariantCulture) + ":" + before.ToString(CultureInfo.InvariantCulture);

    private static (int Page, long Before) DecodeToken(string token)
    {
        var parts = token.StartsWith(TokenPrefix, StringComparison.Ordinal) ? token[TokenPrefix.Length..].Split(':') : [];
        return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page >= 1
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var before)
            ? (page, before)
            : throw new ListingSyncValidationException([new FieldError("continuationToken", "format", "is not a token this channel issued (instica:v1:<page>:<count>)")]);
    }

    /// <inheritdoc />
    /// <remarks>An item that exists but is not listed on the platform reads with quantity 0 (an update lists it again).</remarks>
    public async Task<Listing?> GetListingAsync(SellerScope seller, string listingId, CancellationToken cancellationToken = default)
    {
        var item = await _client.Inventory.GetAsync(seller, listingId, cancellationToken).ConfigureAwait(false);
        return item is null ? null : ToListing(item);
    }

    /// <inheritdoc />
    public IReadOnlyList<FieldError> ValidateDraft(ListingDraft draft, bool forCreate)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var errors = new List<FieldError>();
        if (InsticaPlatforms.WhyNotListable(Platform) is { } why)
        {
            errors.Add(new FieldError("channel", "api-listing", why));
        }

        if (string.IsNullOrWhiteSpace(draft.Item.Sku))
        {
            errors.Add(new FieldError("item.sku", "required", "Instica recognises an inventory item by its SKU (manual_sku): without one a listing made before a crash could not be found again"));
        }

        if (!string.Equals(draft.Price.Currency, Currency, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new FieldError("price.currency", "currency", $"Instica prices are in USD (price_total_usd); convert {draft.Price.Currency} first"));
        }

        if (draft.Price.Amount <= 0 || draft.Price.Amount >= 100_000_000m)
        {
            errors.Add(new FieldError("price", "range", $"must be more than 0 and less than 100,000,000 USD (was {draft.Price.Amount.ToString(CultureInfo.InvariantCulture)})"));
        }
        else if (decimal.Round(draft.Price.Amount, 2) != draft.Price.Amount)
        {
            errors.Add(new FieldError("price", "precision", $"USD has whole cents (was {draft.Price.Amount.ToString(CultureInfo.InvariantCulture)})"));
        }

        if (draft.Quantity is < 0 or > 1)
        {
            errors.Add(new FieldError("quantity", "range", $"an Instica inventory item is one unit: quantity is 1 (listed) or 0 (delisted), was {draft.Quantity}; list more units as more items, each with its own SKU"));
        }
        else if (forCreate && draft.Quantity == 0)
        {
            errors.Add(new FieldError("quantity", "min", "nothing to list: quantity is 0"));
        }

        if (draft.Visibility == ListingVisibility.Hidden && draft.Quantity > 0)
        {
            errors.Add(new FieldError("visibility", "instica", "Instica lists or delists: a hidden draft must have quantity 0"));
        }

        foreach (var (field, texts) in new[] { ("titles", draft.Titles), ("descriptions", draft.Descriptions) })
        {
            if (texts.Count > 1 || (texts.Count == 1 && !texts.ContainsKey(TitleLanguage)))
            {
                errors.Add(new FieldError(field, "language", $"an Instica item has one {field[..^1]}, read and written as language '{TitleLanguage}' ({InsticaClientOptions.DefaultSection}:TitleLanguage); the draft has {string.Join(", ", texts.Keys)}"));
            }
        }

        if (forCreate && !draft.Titles.Values.Any(t => !string.IsNullOrWhiteSpace(t)) && string.IsNullOrWhiteSpace(draft.Item.Name))
        {
            errors.Add(new FieldError("titles", "required", "a new inventory item needs a name: set ListingDraft.Titles or Item.Name"));
        }

        return errors;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ChannelPrerequisite>> CheckPrerequisitesAsync(SellerScope seller, CancellationToken cancellationToken = default)
    {
        var missing = new List<ChannelPrerequisite>();
        if (InsticaPlatforms.WhyNotListable(Platform) is { } why)
        {
            missing.Add(new ChannelPrerequisite("api-listing", why));
            return missing;
        }

        var accounts = await _client.GetSellerAccountsAsync(seller, cancellationToken).ConfigureAwait(false);
        if (accounts is not null && !accounts.Any(a => string.Equals(a.Marketplace, Platform, StringComparison.OrdinalIgnoreCase) && a.IsActive != false))
        {
            missing.Add(new ChannelPrerequisite("platform-connection", $"the seller has no valid connection to {Platform} on Instica: connect it (OAuth) in Instica first"));
        }

        if (_memory.Find(_client, seller, Platform) is { } remembered && remembered.Prerequisite != InsticaPrerequisite.PlatformConnection)
        {
            missing.Add(new ChannelPrerequisite(Name(remembered.Prerequisite), remembered.Message));
        }

        return missing;

        static string Name(InsticaPrerequisite p) => p switch
        {
            InsticaPrerequisite.Subscription => "subscription",
            InsticaPrerequisite.PrimaryAddress => "primary-address",
            InsticaPrerequisite.PlatformConnection => "platform-connection",
            InsticaPrerequisite.ApiListing => "api-listing",
            _ => "prerequisite",
        };
    }

    /// <summary>Forgets a prerequisite remembered for <paramref name="seller"/> (call after fixing it, to write again at once).</summary>
    public void ForgetPrerequisites(SellerScope seller) => _memory.Forget(_client, seller, Platform);

    /// <inheritdoc />
    public async Task<IReadOnlyList<ListingWriteResult>> CreateListingsAsync(SellerScope seller, IReadOnlyList<ListingDraft> drafts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(drafts);
        var results = new ListingWriteResult?[drafts.Count];
        var pending = new List<int>();
        var skus = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < drafts.Count; i++)
        {
            var draft = drafts[i];
            var errors = draft is null ? [new FieldError("draft", "required", "must not be null")] : ValidateDraft(draft, forCreate: true).ToList();
            if (errors.Count == 0 && !skus.Add(draft!.Item.Sku!.Trim()))
            {
                errors.Add(new FieldError("item.sku", "unique", $"SKU {draft.Item.Sku} appears twice in this batch: one Instica item per SKU"));
            }

            if (errors.Count > 0)
            {
                results[i] = new ListingWriteResult { Index = i, Reference = draft?.Reference, Status = ListingWriteStatus.Rejected, Errors = errors };
                continue;
            }

            pending.Add(i);
        }

        if (pending.Count > 0 && _memory.Find(_client, seller, Platform) is { } refused)
        {
            foreach (var i in pending)
            {
                results[i] = Failed(i, drafts[i].Reference, null, refused);
            }

            return Complete(results);
        }

        // 1. The inventory item of each draft: found by SKU, else created (then found by SKU again if the answer was lost).
        var existing = await FindBySkuAsync(seller, pending.Select(i => drafts[i].Item.Sku!.Trim()).ToList(), cancellationToken).ConfigureAwait(false);
        var uids = new string?[drafts.Count];
        var known = new InsticaInventoryItem?[drafts.Count];
        await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _client.Options.MaxConcurrency), CancellationToken = cancellationToken }, async (i, token) =>
        {
            var draft = drafts[i];
            var sku = draft.Item.Sku!.Trim();
            try
            {
                if (existing.TryGetValue(sku, out var item))
                {
                    if (Changes(item, draft) is { } changes)
                    {
                        item = await _client.Inventory.UpdateAsync(seller, item.Uid!, changes, token).ConfigureAwait(false);
                        Indexed(seller, item);
                    }

                    uids[i] = item.Uid;
                    known[i] = item;
                    if (item.ListingOn(Platform) is not null)
                    {
                        results[i] = new ListingWriteResult { Index = i, Reference = draft.Reference, ListingId = item.Uid, Status = ListingWriteStatus.Succeeded, Listing = ToListing(item) };
                    }

                    return;
                }

                try
                {
                    var created = await _client.Inventory.CreateAsync(seller, NewItem(draft), token).ConfigureAwait(false);
                    uids[i] = created.Uid;
                    known[i] = created;
                    Indexed(seller, created, created: true);
                }
                catch (ListingSyncRequestException ex) when (ex.OutcomeUnknown)
                {
                    var found = await _client.Inventory.FindBySkuAsync(seller, sku, token).ConfigureAwait(false);
                    if (found.Count == 1)
                    {
                        uids[i] = found[0].Uid;
                        known[i] = found[0];
                        Indexed(seller, found[0]);
                    }
                    else
                    {
                        results[i] = new ListingWriteResult { Index = i, Reference = draft.Reference, Status = ListingWriteStatus.Unknown, Exception = ex, Errors = [new FieldError("item.sku", "unknown-outcome", $"the create of SKU {sku} may or may not have happened ({found.Count} items found)")] };
                    }
                }
            }
            catch (ListingSyncRequestException ex)
            {
                results[i] = Failed(i, draft.Reference, null, ex);
            }
        }).ConfigureAwait(false);

        // 2. List them in bulk calls (up to MaxConcurrency at once): one result per item. Once a call meets a missing
        //    prerequisite, the calls not yet sent are refused unsent.
        var toList = pending.Where(i => results[i] is null && uids[i] is not null).ToList();
        var chunks = toList.Chunk(Math.Max(1, _client.Options.BulkSize));
        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _client.Options.MaxConcurrency), CancellationToken = cancellationToken }, async (chunk, token) =>
        {
            if (_memory.Find(_client, seller, Platform) is { } refused)
            {
                foreach (var i in chunk)
                {
                    results[i] = Failed(i, drafts[i].Reference, uids[i], refused);
                }

                return;
            }

            try
            {
                // One result per item (BulkListAsync fills in any Instica left out); the first answer for a uid counts.
                var answer = new Dictionary<string, InsticaBulkItemResult>(StringComparer.Ordinal);
                foreach (var answered in await _client.Inventory.BulkListAsync(seller, [.. chunk.Select(i => uids[i]!)], [Platform], token).ConfigureAwait(false))
                {
                    answer.TryAdd(answered.Uid ?? "", answered);
                }

                foreach (var i in chunk)
                {
                    var result = answer[uids[i]!];
                    var listed = result.IsSuccess && known[i] is { } item ? WithListing(item, result.ListingId, result.ListingUrl, null) : null;
                    Indexed(seller, listed);
                    results[i] = result.IsSuccess
                        ? new ListingWriteResult { Index = i, Reference = drafts[i].Reference, ListingId = uids[i], Status = ListingWriteStatus.Succeeded, Listing = listed is null ? null : ToListing(listed) }
                        : result.IsMissing
                            ? await VerifyListedAsync(seller, i, drafts[i].Reference, uids[i]!, token).ConfigureAwait(false)
                            : new ListingWriteResult { Index = i, Reference = drafts[i].Reference, ListingId = uids[i], Status = ListingWriteStatus.Failed, Errors = [new FieldError("listing", "instica", result.Error ?? result.Status ?? "failed")] };
                }
            }
            catch (InsticaPrerequisiteException ex)
            {
                _memory.Remember(_client, seller, Platform, ex);
                foreach (var i in chunk)
                {
                    results[i] = Failed(i, drafts[i].Reference, uids[i], ex);
                }
            }
            catch (ListingSyncRequestException ex)
            {
                foreach (var i in chunk)
                {
                    results[i] = ex.OutcomeUnknown
                        ? await VerifyListedAsync(seller, i, drafts[i].Reference, uids[i]!, token).ConfigureAwait(false)
                        : Failed(i, drafts[i].Reference, uids[i], ex);
                }
            }
        }).ConfigureAwait(false);

        return Complete(results);
    }

    private static ListingWriteResult[] Complete(ListingWriteResult?[] results)
    {
        for (var i = 0; i < results.Length; i++)
        {
            results[i] ??= new ListingWriteResult { Index = i, Status = ListingWriteStatus.Unknown };
        }

        return results!;
    }

    private async Task<ListingWriteResult> VerifyListedAsync(SellerScope seller, int index, string? reference, string uid, CancellationToken cancellationToken)
    {
        var item = await _client.Inventory.GetAsync(seller, uid, cancellationToken).ConfigureAwait(false);
        return item?.ListingOn(Platform) is not null
            ? new ListingWriteResult { Index = index, Reference = reference, ListingId = uid, Status = ListingWriteStatus.Succeeded, Listing = ToListing(item) }
            : new ListingWriteResult { Index = index, Reference = reference, ListingId = uid, Status = ListingWriteStatus.Failed, Errors = [new FieldError("listing", "not-listed", $"Instica did not say whether item {uid} was listed on {Platform}, and reading it shows it is not")] };
    }

    private static ListingWriteResult Failed(int index, string? reference, string? uid, ListingSyncRequestException ex) => new()
    {
        Index = index,
        Reference = reference,
        ListingId = uid,
        Status = ListingWriteStatus.Failed,
        Errors = ex.FieldErrors.Count > 0 ? ex.FieldErrors : [new FieldError(ex is InsticaPrerequisiteException p ? "prerequisite." + p.Prerequisite.ToString().ToLowerInvariant() : "listing", ex.ErrorCode ?? "instica", ex.Message)],
        Exception = ex,
    };

    /// <summary>The seller's items with these SKUs: per-SKU searches for a few, one inventory scan for many.</summary>
    private async Task<Dictionary<string, InsticaInventoryItem>> FindBySkuAsync(SellerScope seller, List<string> skus, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, InsticaInventoryItem>(StringComparer.Ordinal);
        void Keep(InsticaInventoryItem item)
        {
            var sku = item.ManualSku?.Trim();
            if (sku is null || item.Uid is null)
            {
                return;
            }

            // Several items with one SKU: prefer the one already listed here, then the oldest (first seen).
            if (!found.TryGetValue(sku, out var known) || (known.ListingOn(Platform) is null && item.ListingOn(Platform) is not null))
            {
                found[sku] = item;
            }
        }

        if (skus.Count <= 10)
        {
            foreach (var sku in skus)
            {
                foreach (var item in await _client.Inventory.FindBySkuAsync(seller, sku, cancellationToken).ConfigureAwait(false))
                {
                    Keep(item);
                }
            }

            return found;
        }

        // Many SKUs: one scan of the whole inventory, kept as an index for up to five minutes and kept up to date with this
        // channel's own creates and listings, so the batches of one apply do not each scan an inventory they are
        // growing. Before each use, one request for the inventory's count: if anyone else added or deleted an item
        // since (the count is not what the index expects), it scans again. Any other write of this channel drops it.
        SkuIndex? index;
        lock (_skuIndex)
        {
            index = _skuIndex.TryGetValue(seller.SellerId, out var kept) && _client.Time.GetUtcNow() - kept.Built < SkuIndexMaxAge ? kept : null;
        }

        if (index is not null)
        {
            var current = await _client.Inventory.GetPageAsync(seller, InsticaInventoryQuery.All with { PageSize = 1 }, 1, cancellationToken).ConfigureAwait(false);
            lock (_skuIndex)
            {
                index = current.Count == index.Count ? index : null;
            }
        }

        if (index is null)
        {
            var built = _client.Time.GetUtcNow();
            var count = 0L;
            await foreach (var item in _client.Inventory.ListAllAsync(seller, InsticaInventoryQuery.All, cancellationToken).ConfigureAwait(false))
            {
                Keep(item);
                count++;
            }

            index = new SkuIndex(built, found, count);
            lock (_skuIndex)
            {
                _skuIndex[seller.SellerId] = index;
            }
        }

        lock (_skuIndex)
        {
            return skus.Where(index.Items.ContainsKey).Distinct(StringComparer.Ordinal).ToDictionary(sku => sku, sku => index.Items[sku], StringComparer.Ordinal);
        }
    }

    /// <summary>Keeps the SKU index (if one is kept for the seller) up to date with an item this channel wrote (<paramref name="created"/>: a new one).</summary>
    private void Indexed(SellerScope seller, InsticaInventoryItem? item, bool created = false)
    {
        lock (_skuIndex)
        {
            if (item is not null && _skuIndex.TryGetValue(seller.SellerId, out var kept))
            {
                if (item.ManualSku?.Trim() is { } sku)
                {
                    kept.Items[sku] = item;
                }

                kept.Count += created ? 1 : 0;
            }
        }
    }

    /// <summary>Drops the seller's SKU index: the next batch scans again.</summary>
    private void Unindexed(SellerScope seller)
    {
        lock (_skuIndex)
        {
            _skuIndex.Remove(seller.SellerId);
        }
    }

    /// <summary>The seller's inventory by SKU as one scan found it, with this channel's writes since, and how many items it holds.</summary>
    private sealed class SkuIndex(DateTimeOffset built, Dictionary<string, InsticaInventoryItem> items, long count)
    {
        public DateTimeOffset Built { get; } = built;

        public Dictionary<string, InsticaInventoryItem> Items { get; } = items;

        public long Count { get; set; } = count;
    }

    /// <inheritdoc />
    public async Task<ListingWriteResult> UpdateListingAsync(SellerScope seller, string listingId, ListingDraft draft, CancellationToken cancellationToken = default)
    {
        Unindexed(seller);
        ArgumentException.ThrowIfNullOrWhiteSpace(listingId);
        ArgumentNullException.ThrowIfNull(draft);
        if (ValidateDraft(draft, forCreate: false) is { Count: > 0 } broken)
        {
            return new ListingWriteResult { Reference = draft.Reference, ListingId = listingId, Status = ListingWriteStatus.Rejected, Errors = broken };
        }

        if (_memory.Find(_client, seller, Platform) is { } refused)
        {
            return Failed(0, draft.Reference, listingId, refused);
        }

        try
        {
            var item = await _client.Inventory.GetAsync(seller, listingId, cancellationToken).ConfigureAwait(false);
            if (item is null)
            {
                return new ListingWriteResult { Reference = draft.Reference, ListingId = listingId, Status = ListingWriteStatus.Failed, Errors = [new FieldError("listingId", "not-found", $"Instica has no inventory item {listingId}")] };
            }

            if (Changes(item, draft) is { } changes)
            {
                item = await _client.Inventory.UpdateAsync(seller, listingId, changes, cancellationToken).ConfigureAwait(false);
            }

            var listed = item.ListingOn(Platform) is not null;
            var wanted = draft.Quantity > 0 && draft.Visibility == ListingVisibility.Visible;
            if (wanted && !listed)
            {
                var answer = await _client.Inventory.ListAsync(seller, listingId, Platform, draft.Price.Amount, cancellationToken).ConfigureAwait(false);
                item = WithListing(item, answer.ListingId, answer.ListingUrl, draft.Price.Amount);
            }
            else if (!wanted && listed)
            {
                await _client.Inventory.DelistAsync(seller, listingId, Platform, cancellationToken).ConfigureAwait(false);
                item = item with { Listings = [.. (item.Listings ?? []).Where(l => !string.Equals(l.Platform, Platform, StringComparison.OrdinalIgnoreCase))] };
            }

            // What the item now is, from Instica's answers (no extra read): the next plan compares against it.
            return new ListingWriteResult { Reference = draft.Reference, ListingId = listingId, Status = ListingWriteStatus.Succeeded, Listing = ToListing(item) };
        }
        catch (InsticaPrerequisiteException ex)
        {
            _memory.Remember(_client, seller, Platform, ex);
            return Failed(0, draft.Reference, listingId, ex);
        }
        catch (ListingSyncRequestException ex)
        {
            return Failed(0, draft.Reference, listingId, ex);
        }
    }

    /// <summary>Delists the item from the platform; the inventory item stays. Idempotent: an item not listed, or gone, succeeds.</summary>
    public async Task<ListingWriteResult> RemoveListingAsync(SellerScope seller, string listingId, CancellationToken cancellationToken = default)
    {
        Unindexed(seller);
        ArgumentException.ThrowIfNullOrWhiteSpace(listingId);
        try
        {
            var item = await _client.Inventory.GetAsync(seller, listingId, cancellationToken).ConfigureAwait(false);
            if (item?.ListingOn(Platform) is not null)
            {
                await _client.Inventory.DelistAsync(seller, listingId, Platform, cancellationToken).ConfigureAwait(false);
            }

            return new ListingWriteResult { ListingId = listingId, Status = ListingWriteStatus.Succeeded };
        }
        catch (InsticaPrerequisiteException ex)
        {
            _memory.Remember(_client, seller, Platform, ex);
            return Failed(0, null, listingId, ex);
        }
        catch (ListingSyncRequestException ex)
        {
            return Failed(0, null, listingId, ex);
        }
    }

    private static InsticaInventoryItemInput NewItem(ListingDraft draft) => new()
    {
        Name = Title(draft) ?? draft.Item.Name,
        ManualSku = draft.Item.Sku!.Trim(),
        ManualDescription = draft.Descriptions.Values.FirstOrDefault(),
        ConditionItem = ConditionCode(draft.Condition),
        PriceTotalUsd = draft.Price.Amount,
        Status = "ready-to-sell",
    };

    /// <summary>What the draft changes on the item (null when nothing): only fields the draft carries are sent.</summary>
    private static InsticaInventoryItemInput? Changes(InsticaInventoryItem item, ListingDraft draft)
    {
        var title = Title(draft);
        var description = draft.Descriptions.Values.FirstOrDefault();
        var condition = ConditionCode(draft.Condition);
        var changes = new InsticaInventoryItemInput
        {
            Name = title is not null && title != (item.Name ?? item.Product?.Title) ? title : null,
            ManualDescription = description is not null && description != item.ManualDescription ? description : null,
            ConditionItem = !string.Equals(condition, item.ConditionItem, StringComparison.OrdinalIgnoreCase) ? condition : null,
            PriceTotalUsd = item.PriceTotalUsd != draft.Price.Amount ? draft.Price.Amount : null,
            ManualSku = draft.Item.Sku is { } sku && sku.Trim() != item.ManualSku?.Trim() ? sku.Trim() : null,
        };
        return changes is { Name: null, ManualDescription: null, ConditionItem: null, PriceTotalUsd: null, ManualSku: null } ? null : changes;
    }

    /// <summary>The item as it is after Instica listed it here (its listings elsewhere kept).</summary>
    private InsticaInventoryItem WithListing(InsticaInventoryItem item, string? listingId, string? url, decimal? price) => item with
    {
        Listings =
        [
            .. (item.Listings ?? []).Where(l => !string.Equals(l.Platform, Platform, StringComparison.OrdinalIgnoreCase)),
            new InsticaItemListing { Platform = Platform, ListingId = listingId, ListingUrl = url, Status = "active", Price = price ?? item.PriceTotalUsd },
        ],
    };

    private static string? Title(ListingDraft draft) => draft.Titles.Values.FirstOrDefault(t => !string.IsNullOrWhiteSpace(t));

    /// <summary><c>VG+</c> → <c>vg_plus</c>, <c>NM</c> → <c>nm</c>, <c>G-</c> → <c>g_minus</c>.</summary>
    internal static string ConditionCode(ListingCondition condition) =>
        condition.Code.Trim().ToLowerInvariant().Replace("+", "_plus", StringComparison.Ordinal).Replace("-", "_minus", StringComparison.Ordinal).Replace(' ', '_');

    /// <summary><c>vg_plus</c> → <c>VG+</c>.</summary>
    internal static string ConditionDisplay(string code) =>
        code.Trim().ToUpperInvariant().Replace("_PLUS", "+", StringComparison.Ordinal).Replace("_MINUS", "-", StringComparison.Ordinal).Replace('_', ' ');

    /// <summary>The item as a listing on this platform (quantity 1 when listed here, else 0).</summary>
    public Listing ToListing(InsticaInventoryItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var live = item.ListingOn(Platform);
        var name = item.Name ?? item.Product?.Title ?? item.Title;
        var attributes = new List<ListingAttribute>();
        if (item.Product?.Artist?.Name is { Length: > 0 } artist)
        {
            attributes.Add(new ListingAttribute("artist", artist, "product"));
        }

        if (item.Product?.CatalogNumber is { Length: > 0 } catalog)
        {
            attributes.Add(new ListingAttribute("catalog_number", catalog, "product"));
        }

        if (item.ConditionContainer is { Length: > 0 } container)
        {
            attributes.Add(new ListingAttribute("condition_container", item.ConditionContainerDisplay ?? ConditionDisplay(container), "condition"));
        }

        if (live?.ListingUrl is { Length: > 0 } url)
        {
            attributes.Add(new ListingAttribute("listing_url", url, Platform));
        }

        if (live?.ListingId is { Length: > 0 } externalId)
        {
            attributes.Add(new ListingAttribute("listing_id", externalId, Platform));
        }

        return new Listing
        {
            Id = item.Uid ?? throw InsticaClient.Unreadable("inventory.get", "an item", "the item has no uid"),
            SellerId = item.Organization?.Uid,
            Item = new ItemIdentity { Sku = item.ManualSku, Name = item.Product?.Title ?? name, Number = item.Product?.CatalogNumber },
            Condition = new ListingCondition(item.ConditionItemDisplay ?? (item.ConditionItem is { Length: > 0 } code ? ConditionDisplay(code) : "UNGRADED")),
            Language = TitleLanguage,
            Price = new Money(item.PriceTotalUsd ?? live?.Price ?? 0m, Currency),
            Quantity = live is null ? 0 : 1,
            Available = live is null ? 0 : 1,
            Visibility = ListingVisibility.Visible, // listed or not is the quantity (1 / 0): Instica has no hidden listing
            Titles = name is { Length: > 0 } ? new Dictionary<string, string>(StringComparer.Ordinal) { [TitleLanguage] = name } : EmptyTexts,
            Descriptions = item.ManualDescription is { Length: > 0 } description ? new Dictionary<string, string>(StringComparer.Ordinal) { [TitleLanguage] = description } : EmptyTexts,
            Category = item.Product?.Type,
            Attributes = attributes,
            Pictures = [.. (item.Assets ?? []).Where(a => !string.IsNullOrEmpty(a.Url)).Select(a => new ListingPicture(a.Url!))],
            Extensions = new Dictionary<string, JsonElement>(StringComparer.Ordinal) { ["instica"] = JsonSerializer.SerializeToElement(item, InsticaJson.Default.InsticaInventoryItem) },
            CreatedAt = item.CreatedAt,
            UpdatedAt = item.UpdatedAt,
        };
    }

    private static readonly Dictionary<string, string> EmptyTexts = new(StringComparer.Ordinal);
}

/// <summary>Prerequisites Instica reported missing, per client address, seller and platform, for a while.</summary>
internal sealed class InsticaPrerequisiteMemory
{
    private readonly ConcurrentDictionary<string, (InsticaPrerequisiteException Error, DateTimeOffset Until)> _missing = new(StringComparer.Ordinal);

    private static string Key(InsticaClient client, SellerScope seller, string platform) =>
        $"{client.Options.BaseAddress}|{seller.SellerId}|{platform}";

    public void Remember(InsticaClient client, SellerScope seller, string platform, InsticaPrerequisiteException error)
    {
        if (error.Prerequisite == InsticaPrerequisite.Unknown)
        {
            return; // not recognised: not worth refusing later writes for
        }

        _missing[Key(client, seller, platform)] = (error, client.Time.GetUtcNow() + client.Options.PrerequisiteMemory);
    }

    public InsticaPrerequisiteException? Find(InsticaClient client, SellerScope seller, string platform)
    {
        var key = Key(client, seller, platform);
        if (_missing.TryGetValue(key, out var entry))
        {
            if (entry.Until > client.Time.GetUtcNow())
            {
                return entry.Error;
            }

            _missing.TryRemove(key, out _);
        }

        return null;
    }

    public void Forget(InsticaClient client, SellerScope seller, string platform) => _missing.TryRemove(Key(client, seller, platform), out _);
}
