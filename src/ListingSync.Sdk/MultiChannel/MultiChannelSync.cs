using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;

namespace ListingSync.Sdk.MultiChannel;

/// <summary>A channel in a multi-channel sync, with its policy.</summary>
/// <param name="Channel">The channel.</param>
/// <param name="Policy">How the host's inventory goes there.</param>
public sealed record ChannelTarget(IListingChannel Channel, ChannelPolicy Policy);

/// <summary>
/// One inventory kept on many channels: one combined plan (each channel planned as the single-channel reconciler plans
/// it, from the host's drafts shaped by the channel's <see cref="ChannelPolicy"/>), an apply that runs the channels in
/// parallel (each within its own rate limit and lease, so crash-safe and resumable like a single-channel apply), and a
/// targeted sync of named references that reads no listing scan.
/// </summary>
public sealed class MultiChannelSync
{
    private readonly IMappingStore _store;
    private readonly Reconciler _reconciler;
    private readonly IReadOnlyList<ChannelTarget> _targets;

    /// <summary>Creates the orchestration over <paramref name="targets"/> (names must differ).</summary>
    public MultiChannelSync(IMappingStore store, IEnumerable<ChannelTarget> targets, TimeProvider? timeProvider = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        ArgumentNullException.ThrowIfNull(targets);
        _targets = [.. targets];
        if (_targets.GroupBy(t => t.Channel.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"The channel {twice.Key} is named twice.", nameof(targets));
        }

        _reconciler = new Reconciler(store, timeProvider);
    }

    /// <summary>The channels, in the order given.</summary>
    public IReadOnlyList<ChannelTarget> Targets => _targets;

    /// <summary>
    /// Plans every channel at once: <paramref name="inventory"/> is read once per channel (it is the host's source of
    /// truth, e.g. a query), shaped by the channel's policy. A channel whose planning fails is reported in the plan; the
    /// others are planned. <paramref name="channels"/> names the channels to plan (null: all), e.g. to bring one channel
    /// in on its own with its own plan, apply and validation report.
    /// </summary>
    public async Task<MultiChannelPlan> PlanAsync(SellerScope seller, Func<IAsyncEnumerable<ListingDraft>> inventory, IReadOnlyCollection<string>? channels = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var plans = await Task.WhenAll(Selected(channels).Select(target => PlanOneAsync(target, seller, inventory, cancellationToken))).ConfigureAwait(false);
        return new MultiChannelPlan(seller, plans);
    }

    /// <summary>
    /// Applies every channel's plan in parallel; one channel failing (down, missing a prerequisite, its lease held)
    /// does not stop the others, and its error is in the result. Re-plan and apply again to resume after a crash.
    /// </summary>
    public async Task<MultiChannelResult> ApplyAsync(MultiChannelPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var results = await Task.WhenAll(plan.Channels.Select(channelPlan => ApplyOneAsync(channelPlan, cancellationToken))).ConfigureAwait(false);
        return new MultiChannelResult(results);
    }

    /// <summary>
    /// Plans and applies every channel (or <paramref name="channels"/>), each channel applying as soon as its own plan is
    /// made: a channel that plans fast does not wait for a slow one.
    /// </summary>
    public async Task<MultiChannelResult> SyncAsync(SellerScope seller, Func<IAsyncEnumerable<ListingDraft>> inventory, IReadOnlyCollection<string>? channels = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var results = await Task.WhenAll(Selected(channels).Select(async target =>
            await ApplyOneAsync(await PlanOneAsync(target, seller, inventory, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        return new MultiChannelResult(results);
    }

    private async Task<ChannelPlan> PlanOneAsync(ChannelTarget target, SellerScope seller, Func<IAsyncEnumerable<ListingDraft>> inventory, CancellationToken cancellationToken)
    {
        try
        {
            var plan = await _reconciler.PlanAsync(target.Channel, seller, Shaped(inventory(), target.Policy, cancellationToken), Options(target), cancellationToken).ConfigureAwait(false);
            return new ChannelPlan(target.Channel.Name, plan, null);
        }
        catch (Exception ex) when (ex is ListingSyncException or HttpRequestException or NotSupportedException)
        {
            return new ChannelPlan(target.Channel.Name, null, ex);
        }
    }

    private async Task<ChannelResult> ApplyOneAsync(ChannelPlan channelPlan, CancellationToken cancellationToken)
    {
        if (channelPlan.Plan is not { } single)
        {
            return new ChannelResult(channelPlan.Channel, null, channelPlan.Error);
        }

        var target = _targets.First(t => t.Channel.Name == channelPlan.Channel);
        try
        {
            return new ChannelResult(channelPlan.Channel, await _reconciler.ApplyAsync(target.Channel, single, single.Options, cancellationToken: cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception ex) when (ex is ListingSyncException or HttpRequestException)
        {
            return new ChannelResult(channelPlan.Channel, null, ex);
        }
    }

    /// <summary>
    /// Brings the named products up to date on every channel without scanning any: for each channel, the mappings of
    /// <paramref name="products"/> are looked up and each mapped listing whose last known price, quantity, visibility,
    /// condition, language or variants differ from the shaped draft is written once, the whole draft (read first only
    /// where the host does not own every field the channel stores). Content alone (titles, pictures, …) does not make a
    /// write here: a full sync compares it with the channel's listing. A product not
    /// listed on a channel yet is reported there (a full sync lists it; creating it here could not be verified without a
    /// scan). Channels run in parallel; <paramref name="channels"/> names the ones to write (null: all).
    /// </summary>
    public async Task<TargetedSyncResult> SyncProductsAsync(SellerScope seller, IReadOnlyList<ListingDraft> products, IReadOnlyCollection<string>? channels = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(products);
        var perChannel = await Task.WhenAll(Selected(channels).Select(target => TargetedAsync(target, seller, products, cancellationToken))).ConfigureAwait(false);
        return new TargetedSyncResult([.. perChannel.SelectMany(r => r)]);
    }

    private async Task<List<TargetedWrite>> TargetedAsync(ChannelTarget target, SellerScope seller, IReadOnlyList<ListingDraft> products, CancellationToken cancellationToken)
    {
        var scope = new MappingScope(target.Channel.Name, seller);
        var writes = new List<TargetedWrite>();
        var shaped = products.Where(p => !string.IsNullOrEmpty(p.Reference)).Select(p => (Product: p, Draft: target.Policy.Shape(p))).ToList();
        var mappings = await _store.FindByReferencesAsync(scope, [.. shaped.Select(s => s.Product.Reference!)], cancellationToken).ConfigureAwait(false);
        var owned = target.Policy.OwnedFields & target.Channel.Fields;
        var readFirst = (target.Channel.Fields & ~target.Policy.OwnedFields) != ListingFields.None;
        var concurrency = Math.Max(1, Options(target).MaxConcurrency);
        var gate = new object();
        await Parallel.ForEachAsync(shaped, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (item, token) =>
        {
            var reference = item.Product.Reference!;
            var write = await WriteOneAsync(target, scope, seller, reference, item.Draft, mappings.GetValueOrDefault(reference), owned, readFirst, token).ConfigureAwait(false);
            lock (gate)
            {
                writes.Add(write);
            }
        }).ConfigureAwait(false);
        return writes;
    }

    private async Task<TargetedWrite> WriteOneAsync(ChannelTarget target, MappingScope scope, SellerScope seller, string reference, ListingDraft? draft, ListingMapping? mapping, ListingFields owned, bool readFirst, CancellationToken cancellationToken)
    {
        var channel = target.Channel.Name;
        if (mapping is not { ListingId: { } listingId, IsActive: true })
        {
            return new TargetedWrite(channel, reference, null, draft is null ? TargetedOutcome.NotForThisChannel : TargetedOutcome.NotListed, null);
        }

        // A product the channel no longer takes (filtered out) keeps its listing at quantity 0 rather than vanishing.
        var desired = draft ?? new ListingDraft
        {
            Reference = reference,
            Item = mapping.Item ?? new ItemIdentity(),
            Condition = mapping.State?.Condition ?? ListingCondition.New,
            Language = mapping.State?.Language ?? "und",
            Price = mapping.State?.Price ?? new Money(0m, "USD"),
            Quantity = 0,
        };
        if (mapping.State is { } known && Reconciler.Differs(known, desired, owned) == ListingFields.None)
        {
            return new TargetedWrite(channel, reference, listingId, TargetedOutcome.Unchanged, null);
        }

        try
        {
            if (readFirst && target.Channel.Capabilities.HasFlag(ChannelCapabilities.GetListing))
            {
                var remote = await target.Channel.GetListingAsync(seller, listingId, cancellationToken).ConfigureAwait(false);
                if (remote is null)
                {
                    return new TargetedWrite(channel, reference, listingId, TargetedOutcome.Failed, "the listing is gone from the channel: a full sync re-lists it");
                }

                desired = Reconciler.Merge(desired, remote, owned);
            }

            var result = await target.Channel.UpdateListingAsync(seller, listingId, desired, cancellationToken).ConfigureAwait(false);
            if (!result.IsSuccess)
            {
                return new TargetedWrite(channel, reference, listingId, TargetedOutcome.Failed, string.Join("; ", result.Errors.Select(e => e.ToString()).DefaultIfEmpty(result.Exception?.Message ?? result.Status.ToString())));
            }

            await RecordAsync(scope, reference, result.Listing is { } listing ? Reconciler.StateOf(listing) : Reconciler.StateOf(desired), cancellationToken).ConfigureAwait(false);
            return new TargetedWrite(channel, reference, listingId, TargetedOutcome.Written, null);
        }
        catch (Exception ex) when (ex is ListingSyncException or HttpRequestException or NotSupportedException)
        {
            return new TargetedWrite(channel, reference, listingId, TargetedOutcome.Failed, ex.Message);
        }
    }

    /// <summary>
    /// The first-sync validation report: a seeded sample of <paramref name="inventory"/> (<see cref="ValidationOptions.SampleSize"/>)
    /// is checked on every channel (or <see cref="ValidationOptions.Channels"/>) that takes it: the listing the mapping
    /// names is read and compared field by field with the host's record after the channel's policy (only the fields the
    /// host owns there and the channel stores), and its pointer back to the product is checked (the store's mapping of
    /// the listing; the listing's own reference where the channel stores one, else its SKU where the channel matches by
    /// SKU). Channel-specific fields are listed apart, never compared. Reads only; writes nothing.
    /// </summary>
    public async Task<ValidationReport> ValidateAsync(SellerScope seller, Func<IAsyncEnumerable<ListingDraft>> inventory, ValidationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        options ??= new ValidationOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SampleSize, 1, "options.SampleSize");
        var sample = await SampleAsync(inventory(), options.SampleSize, options.Seed, cancellationToken).ConfigureAwait(false);
        var checks = await Task.WhenAll(Selected(options.Channels).Select(target => CheckAsync(target, seller, sample, cancellationToken))).ConfigureAwait(false);
        return new ValidationReport(seller, [.. sample.Select(p => p.Reference!)], [.. checks.SelectMany(c => c)]);
    }

    private IEnumerable<ChannelTarget> Selected(IReadOnlyCollection<string>? channels)
    {
        if (channels?.FirstOrDefault(name => _targets.All(t => t.Channel.Name != name)) is { } unknown)
        {
            throw new ArgumentException($"No channel named '{unknown}' in this sync (channels: {string.Join(", ", _targets.Select(t => t.Channel.Name))}).", nameof(channels));
        }

        return _targets.Where(t => channels is null || channels.Contains(t.Channel.Name));
    }

    private static async Task<List<ListingDraft>> SampleAsync(IAsyncEnumerable<ListingDraft> inventory, int size, int seed, CancellationToken cancellationToken)
    {
        // Reservoir sampling, seeded: one pass, any inventory size; kept in the inventory's order.
        var random = new Random(seed);
        var reservoir = new List<(long Index, ListingDraft Draft)>(size);
        long seen = 0;
        await foreach (var draft in inventory.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (string.IsNullOrEmpty(draft.Reference))
            {
                continue;
            }

            if (reservoir.Count < size)
            {
                reservoir.Add((seen, draft));
            }
            else if (random.NextInt64(seen + 1) is var slot && slot < size)
            {
                reservoir[(int)slot] = (seen, draft);
            }

            seen++;
        }

        return [.. reservoir.OrderBy(r => r.Index).Select(r => r.Draft)];
    }

    private async Task<List<ListingCheck>> CheckAsync(ChannelTarget target, SellerScope seller, IReadOnlyList<ListingDraft> sample, CancellationToken cancellationToken)
    {
        var channel = target.Channel;
        var scope = new MappingScope(channel.Name, seller);
        var shaped = sample.Select(p => (Reference: p.Reference!, Draft: target.Policy.Shape(p))).Where(s => s.Draft is not null).ToList();
        var mappings = await _store.FindByReferencesAsync(scope, [.. shaped.Select(s => s.Reference)], cancellationToken).ConfigureAwait(false);
        var options = Options(target);
        var compared = options.OwnedFields & channel.Fields;
        var checks = new ListingCheck[shaped.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, shaped.Count), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxConcurrency), CancellationToken = cancellationToken }, async (i, token) =>
        {
            var (reference, draft) = shaped[i];
            checks[i] = await CheckOneAsync(channel, scope, seller, reference, draft!, mappings.GetValueOrDefault(reference), compared, token).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return [.. checks];
    }

    private async Task<ListingCheck> CheckOneAsync(IListingChannel channel, MappingScope scope, SellerScope seller, string reference, ListingDraft draft, ListingMapping? mapping, ListingFields compared, CancellationToken cancellationToken)
    {
        ListingCheck Verdict(string? listingId, ListingCheckStatus status, string? message) => new(channel.Name, reference, listingId, status, [], null, [], message);

        if (mapping is not { ListingId: { } listingId, IsActive: true })
        {
            return Verdict(null, ListingCheckStatus.NotListed, "no listing is recorded for it: the first sync has not listed it here");
        }

        if (!channel.Capabilities.HasFlag(ChannelCapabilities.GetListing))
        {
            return Verdict(listingId, ListingCheckStatus.Unreadable, $"{channel.Name} cannot read one listing (capability {nameof(ChannelCapabilities.GetListing)})");
        }

        Listing? listing;
        ListingMapping? owner;
        try
        {
            listing = await channel.GetListingAsync(seller, listingId, cancellationToken).ConfigureAwait(false);
            owner = await _store.FindByListingIdAsync(scope, listingId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ListingSyncException or HttpRequestException)
        {
            return Verdict(listingId, ListingCheckStatus.Unreadable, ex.Message);
        }

        if (listing is null)
        {
            return Verdict(listingId, ListingCheckStatus.Gone, $"{channel.Name} no longer has listing {listingId}: the next full sync re-lists it");
        }

        var (pointsBack, backPointer) = BackPointer(channel, listingId, reference, owner, listing, draft);
        var mismatches = ListingComparison.Mismatches(draft, listing, compared);
        var status = !pointsBack ? ListingCheckStatus.WrongBackPointer : mismatches.Count > 0 ? ListingCheckStatus.Mismatched : ListingCheckStatus.Matches;
        return new ListingCheck(channel.Name, reference, listingId, status, mismatches, backPointer, [.. listing.Extensions.Keys.Order(StringComparer.Ordinal)], null);
    }

    /// <summary>
    /// Whether the listing points back to <paramref name="reference"/>: the store gives it to that product, and the
    /// listing's own reference (where the channel stores one) or its SKU (where the channel matches by SKU) names it.
    /// </summary>
    private static (bool PointsBack, string Description) BackPointer(IListingChannel channel, string listingId, string reference, ListingMapping? owner, Listing listing, ListingDraft draft)
    {
        if (owner?.Reference != reference)
        {
            return (false, $"the mapping store gives listing {listingId} to {owner?.Reference ?? "no product"}");
        }

        if (channel.Capabilities.HasFlag(ChannelCapabilities.StoresReference))
        {
            return listing.Reference == reference
                ? (true, $"reference {reference}")
                : (false, $"the listing's reference is {listing.Reference ?? "(empty)"}, not {reference}");
        }

        if (channel.MatchKeys.Contains(ListingMatchKey.Sku))
        {
            return string.Equals(listing.Item.Sku, draft.Item.Sku, StringComparison.OrdinalIgnoreCase)
                ? (true, $"sku {listing.Item.Sku ?? "(empty)"}")
                : (false, $"sku {listing.Item.Sku ?? "(empty)"}, not {draft.Item.Sku}");
        }

        return (true, "the mapping store (the channel stores no reference)");
    }

    /// <summary>Records the written state; a concurrent writer (version moved on) is re-read and retried.</summary>
    private async Task RecordAsync(MappingScope scope, string reference, ListingState state, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (await _store.FindByReferenceAsync(scope, reference, cancellationToken).ConfigureAwait(false) is not { } current)
            {
                return;
            }

            try
            {
                await _store.UpsertAsync(current with { State = state, NeedsReview = null }, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (MappingConflictException) when (attempt < 4)
            {
            }
        }
    }

    private static ReconcilerOptions Options(ChannelTarget target)
    {
        var options = (target.Policy.Options ?? new ReconcilerOptions()).Clone();
        options.OwnedFields &= target.Policy.OwnedFields;
        return options;
    }

    private static async IAsyncEnumerable<ListingDraft> Shaped(IAsyncEnumerable<ListingDraft> inventory, ChannelPolicy policy, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var draft in inventory.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (policy.Shape(draft) is { } shaped)
            {
                yield return shaped;
            }
        }
    }
}
