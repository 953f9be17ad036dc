using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Validation;

namespace ListingSync.Sdk.Reconciliation;

/// <summary>
/// Turns the difference between what the host wants listed and what a marketplace has into a safe, minimal plan,
/// and carries it out. Listings are matched by mapping, then by the host reference stored on the listing, then by
/// identity (URN + condition + language), so nothing is ever created twice — including after a crash half-way
/// through an apply, since every create is recorded before it is sent and carries the reference.
/// </summary>
public sealed class Reconciler
{
    private readonly IMappingStore _store;
    private readonly TimeProvider _time;

    /// <summary>Creates a reconciler over <paramref name="store"/>.</summary>
    public Reconciler(IMappingStore store, TimeProvider? timeProvider = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The start of <see cref="Mapping.ListingMapping.NeedsReview"/> after the marketplace said a create failed (nothing was created).</summary>
    internal const string CreateFailedReview = "create failed: ";

    /// <summary>
    /// Plans against <paramref name="channel"/> for <paramref name="seller"/>. Sends nothing. A channel that can list
    /// (<see cref="ChannelCapabilities.ReadListings"/>) is scanned in full; one that can only read a listing by id
    /// (<see cref="ChannelCapabilities.GetListing"/>, e.g. Shopiro) is read listing by listing from the mapping store
    /// (<see cref="ReconcilerOptions.MaxConcurrency"/> reads at once, paced by the channel's rate limiter), and the plan's
    /// <see cref="ReconciliationPlan.Limitations"/> says what that cannot see.
    /// </summary>
    /// <exception cref="NotSupportedException">The channel can neither list nor read a listing by id.</exception>
    public Task<ReconciliationPlan> PlanAsync(IListingChannel channel, SellerScope seller, IAsyncEnumerable<ListingDraft> desired, ReconcilerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(desired);
        options ??= new ReconcilerOptions();
        var keys = options.MatchKeys ?? channel.MatchKeys;
        if (channel.Capabilities.HasFlag(ChannelCapabilities.ReadListings))
        {
            return PlanCoreAsync(channel.Name, seller, desired, channel.GetListingsAsync(seller, cancellationToken), channel, keys, options.OwnedFields & channel.Fields, options, cancellationToken);
        }

        if (channel.Capabilities.HasFlag(ChannelCapabilities.GetListing))
        {
            return PlanCoreAsync(channel.Name, seller, desired, null, channel, keys, options.OwnedFields & channel.Fields, options, cancellationToken);
        }

        throw new NotSupportedException($"{channel.Name} can neither stream listings (ChannelCapabilities.ReadListings) nor read one by id (ChannelCapabilities.GetListing), so it cannot be reconciled.");
    }

    /// <summary>
    /// Plans from two streams: the host's desired listings and every listing the marketplace has. Sends nothing.
    /// Unreferenced listings are adopted by <see cref="ReconcilerOptions.MatchKeys"/> (default URN + condition + language).
    /// </summary>
    public Task<ReconciliationPlan> PlanAsync(string channel, SellerScope seller, IAsyncEnumerable<ListingDraft> desired, IAsyncEnumerable<Listing> remote, ReconcilerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(remote);
        options ??= new ReconcilerOptions();
        return PlanCoreAsync(channel, seller, desired, remote, null, options.MatchKeys ?? [ListingMatchKey.UrnConditionLanguage], options.OwnedFields, options, cancellationToken);
    }

    // remote: every listing the marketplace has (a full scan), or null to read the mapped listings one by one from source.
    // source: the channel planned against, when there is one: it confirms what a scan did not show, reads by id when it
    // cannot list, and brings its draft rules.
    private async Task<ReconciliationPlan> PlanCoreAsync(string channel, SellerScope seller, IAsyncEnumerable<ListingDraft> desired, IAsyncEnumerable<Listing>? remote, IListingChannel? source, IReadOnlyList<ListingMatchKey> keys, ListingFields owned, ReconcilerOptions options, CancellationToken cancellationToken)
    {
        var scope = new MappingScope(channel, seller);
        var planner = new Planner(scope, options, keys, owned, completeScan: remote is not null, rules: source as IListingDraftRules);
        var progress = new PlanProgressReporter(options.PlanProgress);
        var mapped = remote is null ? new List<ListingMapping>() : null;

        progress.Phase(PlanningPhase.Mappings);
        await foreach (var mapping in _store.ListAsync(scope, cancellationToken).ConfigureAwait(false))
        {
            planner.AddMapping(mapping);
            mapped?.Add(mapping);
            progress.Mapping();
        }

        var limitations = new List<string>();
        if (source is not null)
        {
            await WaitForImportsAsync(source, seller, options, limitations, progress, cancellationToken).ConfigureAwait(false);
        }

        progress.Phase(PlanningPhase.Remote);
        if (remote is not null)
        {
            await foreach (var listing in remote.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                planner.AddRemote(listing);
                progress.Remote();
            }

            if (source is not null)
            {
                await ConfirmUnseenAsync(source, seller, planner, progress, options, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            limitations.Add($"{channel} cannot list a seller's listings: only listings the mapping store knows were read, one by one, so listings created outside the host (or by another store) are not seen, adopted or reported");
            await ReadMappedAsync(source!, seller, mapped!, planner, progress, options, cancellationToken).ConfigureAwait(false);
        }

        progress.Phase(PlanningPhase.Desired);
        var unresolved = new List<(ListingDraft Draft, string Reference, int Slot)>();
        await foreach (var draft in desired.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            progress.Desired();
            if (planner.Validate(draft, out var slot) is not { } reference)
            {
                continue;
            }

            if (options.IdentityResolver is { } resolver && !resolver.IsResolved(draft.Item))
            {
                if (planner.RememberedIdentity(reference, draft.Item) is { } known && resolver.IsResolved(known))
                {
                    planner.Match(draft with { Item = known }, reference, slot, resolved: true);
                    continue;
                }

                unresolved.Add((draft, reference, slot));
                if (unresolved.Count >= 500)
                {
                    await ResolveAsync(planner, resolver, seller, unresolved, progress, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            planner.Match(draft, reference, slot);
        }

        if (options.IdentityResolver is { } last)
        {
            await ResolveAsync(planner, last, seller, unresolved, progress, cancellationToken).ConfigureAwait(false);
        }

        IReadOnlyList<ChannelPrerequisite> missing = [];
        if (source is IChannelPreflight preflight)
        {
            missing = await preflight.CheckPrerequisitesAsync(seller, cancellationToken).ConfigureAwait(false);
        }

        progress.Phase(PlanningPhase.Finished);
        return planner.Finish(_time.GetUtcNow(), limitations, missing);
    }

    /// <summary>
    /// Import jobs an earlier apply started and never saw finish (it crashed, was killed or cancelled) may still be
    /// creating rows: the plan waits for each of them to finish (or terminates them, <see cref="ReconcilerOptions.RunningImports"/>)
    /// before it reads the marketplace, so it sees what they created and plans no create for it.
    /// </summary>
    private async Task WaitForImportsAsync(IListingChannel channel, SellerScope seller, ReconcilerOptions options, List<string> limitations, PlanProgressReporter progress, CancellationToken cancellationToken)
    {
        var journal = new ImportJobs.ImportJobJournal(_store, new MappingScope(channel.Name, seller));
        var entries = await journal.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (entries.Count == 0)
        {
            return;
        }

        progress.Phase(PlanningPhase.WaitingForImports);
        if (channel is not IImportJobChannel jobs)
        {
            limitations.Add($"{entries.Count} import job(s) recorded by an earlier apply could not be checked: {channel.Name} does not report import jobs");
            return;
        }

        var ids = entries.Where(e => e.Id is not null).Select(e => e.Id!).ToList();
        foreach (var (_, since) in entries.Where(e => e.Id is null))
        {
            if (channel is IImportJobLister lister)
            {
                // An upload began and its job id was never recorded: any job created since then (allowing for clock skew) may be it.
                var recent = await lister.ListImportsAsync(seller, cancellationToken).ConfigureAwait(false);
                ids.AddRange(recent.Where(j => !j.IsFinished && (j.CreatedAt is null || j.CreatedAt >= since - TimeSpan.FromMinutes(5))).Select(j => j.Id));
            }
            else
            {
                limitations.Add($"an import upload began at {since:O} and its job could not be looked for: {channel.Name} cannot list import jobs");
            }
        }

        var runner = new ImportJobs.ImportJobRunner(jobs, options.ImportPollInterval, _time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RunningImportsTimeout);
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            try
            {
                var status = await jobs.GetImportAsync(seller, id, timeout.Token).ConfigureAwait(false);
                if (!status.IsFinished && options.RunningImports == RunningImportPolicy.Terminate && channel is IImportJobControl control)
                {
                    await control.TerminateImportAsync(seller, id, timeout.Token).ConfigureAwait(false);
                }

                await runner.WaitAsync(seller, id, null, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ListingSyncException($"Import job {id} on {channel.Name}, started by an earlier apply, was still running after {options.RunningImportsTimeout}; nothing was planned, so its rows are not created twice. Plan again later, or terminate it.");
            }
        }

        await journal.ClearAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A scan is not proof that a listing is gone: a page that shifted under a delete can skip one. Every mapped listing
    /// the scan did not return is read by id (gone only when the marketplace says so), and every create recorded earlier
    /// whose reference the scan did not show is looked up by reference, before the plan may re-create anything.
    /// </summary>
    private static async Task ConfirmUnseenAsync(IListingChannel channel, SellerScope seller, Planner planner, PlanProgressReporter progress, ReconcilerOptions options, CancellationToken cancellationToken)
    {
        var (missing, pending) = planner.UnseenAfterScan();
        if (pending.Count > 0 && channel is IListingReferenceLookup lookup)
        {
            var found = await lookup.FindListingIdsAsync(seller, pending.ConvertAll(m => (m.Reference, m.Item ?? new ItemIdentity())), cancellationToken).ConfigureAwait(false);
            missing.AddRange(found.Values);
        }

        if (missing.Count == 0)
        {
            return;
        }

        if (!channel.Capabilities.HasFlag(ChannelCapabilities.GetListing))
        {
            foreach (var id in missing)
            {
                planner.MarkUnreadable(id); // cannot be confirmed either way: flagged, never re-created on a guess
            }

            return;
        }

        await ReadByIdAsync(channel, seller, missing.Distinct(StringComparer.Ordinal).ToList(), planner, progress, options, cancellationToken).ConfigureAwait(false);
    }

    private static async Task ReadByIdAsync(IListingChannel channel, SellerScope seller, List<string> ids, Planner planner, PlanProgressReporter progress, ReconcilerOptions options, CancellationToken cancellationToken)
    {
        var read = new Listing?[ids.Count];
        var failed = new bool[ids.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxConcurrency), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), parallel, async (i, ct) =>
        {
            try
            {
                read[i] = await channel.GetListingAsync(seller, ids[i], ct).ConfigureAwait(false);
            }
            catch (ListingSyncException)
            {
                failed[i] = true; // one unreadable listing flags its product; it does not stop the plan
            }

            progress.RemoteConcurrent();
        }).ConfigureAwait(false);

        for (var i = 0; i < ids.Count; i++)
        {
            if (read[i] is { } listing)
            {
                planner.AddRemote(listing);
            }
            else if (failed[i])
            {
                planner.MarkUnreadable(ids[i]);
            }
        }
    }

    /// <summary>
    /// The remote side of a channel that cannot list: every listing a mapping points at, read by id (a null answer
    /// means it is gone); creates whose id was never recorded are looked up by reference where the channel can.
    /// </summary>
    private static async Task ReadMappedAsync(IListingChannel channel, SellerScope seller, List<ListingMapping> mapped, Planner planner, PlanProgressReporter progress, ReconcilerOptions options, CancellationToken cancellationToken)
    {
        var ids = mapped.Where(m => m.ListingId is not null).Select(m => m.ListingId!).Distinct(StringComparer.Ordinal).ToList();
        var pending = mapped.Where(m => m.ListingId is null && m.IsActive).ToList();
        if (pending.Count > 0 && channel is IListingReferenceLookup lookup)
        {
            var found = await lookup.FindListingIdsAsync(seller, pending.ConvertAll(m => (m.Reference, m.Item ?? new ItemIdentity())), cancellationToken).ConfigureAwait(false);
            ids.AddRange(found.Values.Where(id => !ids.Contains(id, StringComparer.Ordinal)));
        }

        await ReadByIdAsync(channel, seller, ids, planner, progress, options, cancellationToken).ConfigureAwait(false);
    }

    private static async Task ResolveAsync(Planner planner, IIdentityResolver resolver, SellerScope seller, List<(ListingDraft Draft, string Reference, int Slot)> pending, PlanProgressReporter progress, CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return;
        }

        progress.Phase(PlanningPhase.Resolving);
        var outcomes = await resolver.ResolveIdentitiesAsync(seller, pending.ConvertAll(p => p.Draft.Item), cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < pending.Count; i++)
        {
            var (draft, reference, slot) = pending[i];
            if (outcomes[i].Resolved is { } identity)
            {
                planner.Match(draft with { Item = identity }, reference, slot, resolved: true);
            }
            else
            {
                planner.FlagUnresolved(draft, reference, outcomes[i].Problem ?? "unresolved");
            }
        }

        progress.Resolved(pending.Count);
        progress.Phase(PlanningPhase.Desired);
        pending.Clear();
    }

    /// <summary>
    /// Carries out <paramref name="plan"/> through <paramref name="channel"/>: links, then creates (batched, each recorded
    /// in the mapping before it is sent), then updates and removes (bounded concurrency; the channel's rate limiter sets
    /// the pace). Returns one result per step carried out. Cancelling stops between steps; the next plan picks up
    /// where this one stopped without creating anything twice. <paramref name="options"/> null (default): the options the
    /// plan was made with.
    /// </summary>
    public async Task<ReconciliationResult> ApplyAsync(IListingChannel channel, ReconciliationPlan plan, ReconcilerOptions? options = null, IProgress<ReconciliationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(plan);
        if (!string.Equals(channel.Name, plan.Scope.Channel, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The plan is for {plan.Scope.Channel}, not {channel.Name}.", nameof(plan));
        }

        options ??= plan.Options;
        if (plan.MissingPrerequisites.Count > 0 && plan.HasChanges)
        {
            throw new ChannelPrerequisiteException($"{channel.Name} is missing what its writes need, so nothing was written: {string.Join("; ", plan.MissingPrerequisites)}. Fix it and plan again.")
            {
                Missing = plan.MissingPrerequisites,
            };
        }

        var lease = await AcquireLeaseAsync(plan.Scope, options, cancellationToken).ConfigureAwait(false);
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var holder = new LeaseHolder(lease);
        var renewal = RenewAsync(holder, options, lost);
        try
        {
            var applier = new Applier(this, channel, plan, options, progress, lease.Token);
            return await applier.RunAsync(lost.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (holder.Lost && !cancellationToken.IsCancellationRequested)
        {
            throw new MappingLeaseLostException($"The lease on {plan.Scope} (token {lease.Token}) was lost during the apply (it could not be renewed in time); the apply stopped, and what it had not written is left for the next plan.");
        }
        finally
        {
            await holder.StopAsync(renewal).ConfigureAwait(false);
            if (!holder.Lost)
            {
                await _store.ReleaseLeaseAsync(holder.Current, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Takes the (channel, seller) lease for the apply, waiting up to <see cref="ReconcilerOptions.LeaseWait"/> for
    /// another holder to finish; otherwise fails naming the holder and since when.
    /// </summary>
    private async Task<MappingLease> AcquireLeaseAsync(MappingScope scope, ReconcilerOptions options, CancellationToken cancellationToken)
    {
        var holder = options.LeaseHolder ?? $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";
        var deadline = _time.GetUtcNow() + options.LeaseWait;
        while (true)
        {
            if (await _store.TryAcquireLeaseAsync(scope, holder, options.LeaseDuration, cancellationToken).ConfigureAwait(false) is { } lease)
            {
                return lease;
            }

            var current = await _store.GetLeaseAsync(scope, cancellationToken).ConfigureAwait(false);
            if (_time.GetUtcNow() >= deadline)
            {
                throw new MappingLeaseHeldException(current is null
                    ? $"Another applier holds {scope}; nothing was applied."
                    : $"{current.Holder} has been applying to {scope} since {current.AcquiredAt:O} (lease until {current.ExpiresAt:O}); nothing was applied. Wait for it, or set ReconcilerOptions.LeaseWait.")
                {
                    Current = current,
                };
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Renews the lease every third of its duration; when a renewal fails, the apply is stopped.</summary>
    private async Task RenewAsync(LeaseHolder holder, ReconcilerOptions options, CancellationTokenSource lost)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.LeaseDuration / 3, _time, holder.Stopping).ConfigureAwait(false);
                if (await _store.RenewLeaseAsync(holder.Current, options.LeaseDuration, holder.Stopping).ConfigureAwait(false) is not { } renewed)
                {
                    holder.Lost = true;
                    await lost.CancelAsync().ConfigureAwait(false);
                    return;
                }

                holder.Current = renewed;
            }
        }
        catch (OperationCanceledException) when (holder.Stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>The lease an apply holds, as renewed, and the signal that stops its renewal.</summary>
    private sealed class LeaseHolder(MappingLease lease) : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();

        public MappingLease Current { get; set; } = lease;

        public volatile bool Lost;

        public CancellationToken Stopping => _stop.Token;

        public async Task StopAsync(Task renewal)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(false);
        }

        public void Dispose() => _stop.Dispose();
    }

    internal IMappingStore Store => _store;

    internal DateTimeOffset Now => _time.GetUtcNow();

    internal static ListingState StateOf(ListingDraft draft) => new()
    {
        Price = draft.Price,
        Quantity = draft.Quantity,
        Visibility = draft.Visibility,
        Condition = draft.Condition,
        Language = draft.Language,
        Variants = draft.Variants,
        ContentHash = ListingContent.Hash(draft),
    };

    internal static ListingState StateOf(Listing listing) => new()
    {
        Price = listing.Price,
        Quantity = listing.Quantity,
        Available = listing.Available,
        Visibility = listing.Visibility,
        Condition = listing.Condition,
        Language = listing.Language,
        Variants = listing.Variants,
        ContentHash = ListingContent.Hash(listing),
    };

    /// <summary>
    /// The fields among <paramref name="owned"/> other than content (price, quantity, visibility, condition, language,
    /// variants) where a mapping's last known state differs from the draft.
    /// </summary>
    internal static ListingFields Differs(ListingState known, ListingDraft draft, ListingFields owned) =>
        ScalarChanges(known, draft.Price, draft.Quantity, draft.Visibility, draft.Condition, draft.Language, draft.Variants) & owned;

    /// <summary>The fields other than content where <paramref name="known"/> differs from the given values.</summary>
    private static ListingFields ScalarChanges(ListingState known, Money price, int quantity, ListingVisibility visibility, ListingCondition condition, string language, IReadOnlyList<string> variants)
    {
        var changed = ListingFields.None;
        if (known.Price != price) changed |= ListingFields.Price;
        if (known.Quantity != quantity) changed |= ListingFields.Quantity;
        if (known.Visibility != visibility) changed |= ListingFields.Visibility;
        if (known.Condition != condition) changed |= ListingFields.Condition;
        if (!string.Equals(known.Language, language, StringComparison.Ordinal)) changed |= ListingFields.Language;
        if (!SameVariants(known.Variants, variants)) changed |= ListingFields.Variants;
        return changed;
    }

    /// <summary>The fields among <paramref name="owned"/> where the listing differs from the draft.</summary>
    internal static ListingFields Diff(ListingDraft desired, Listing remote, ListingFields owned)
    {
        var changed = ListingFields.None;
        if ((owned & ListingFields.Price) != 0 && desired.Price != remote.Price) changed |= ListingFields.Price;
        if ((owned & ListingFields.Quantity) != 0 && desired.Quantity != remote.Quantity) changed |= ListingFields.Quantity;
        if ((owned & ListingFields.Visibility) != 0 && desired.Visibility != remote.Visibility) changed |= ListingFields.Visibility;
        if ((owned & ListingFields.Condition) != 0 && desired.Condition != remote.Condition) changed |= ListingFields.Condition;
        if ((owned & ListingFields.Language) != 0 && !string.Equals(desired.Language, remote.Language, StringComparison.Ordinal)) changed |= ListingFields.Language;
        if ((owned & ListingFields.Variants) != 0 && !SameVariants(desired.Variants, remote.Variants)) changed |= ListingFields.Variants;
        if ((owned & ListingFields.Comment) != 0 && !SameText(desired.Comment, remote.Comment)) changed |= ListingFields.Comment;
        if ((owned & ListingFields.Notes) != 0 && !SameText(desired.Notes, remote.Notes)) changed |= ListingFields.Notes;
        if ((owned & (ListingFields.Content | ListingFields.QuantityByLocation)) != 0)
        {
            changed |= DiffContent(desired, remote, owned);
        }

        return changed;
    }

    private static ListingFields DiffContent(ListingDraft desired, Listing remote, ListingFields owned)
    {
        var changed = ListingFields.None;
        if ((owned & ListingFields.Titles) != 0 && !ListingContent.SameText(desired.Titles, remote.Titles)) changed |= ListingFields.Titles;
        if ((owned & ListingFields.Descriptions) != 0 && !ListingContent.SameText(desired.Descriptions, remote.Descriptions)) changed |= ListingFields.Descriptions;
        if ((owned & ListingFields.Category) != 0 && !SameText(desired.Category, remote.Category)) changed |= ListingFields.Category;
        if ((owned & ListingFields.Attributes) != 0 && !ListingContent.SameList(desired.Attributes, remote.Attributes)) changed |= ListingFields.Attributes;
        if ((owned & ListingFields.Pictures) != 0 && !ListingContent.SameList(desired.Pictures, remote.Pictures)) changed |= ListingFields.Pictures;
        if ((owned & ListingFields.Variations) != 0 && !ListingContent.SameVariations(desired.Variations, remote.Variations)) changed |= ListingFields.Variations;
        if ((owned & ListingFields.Package) != 0 && desired.Package != remote.Package) changed |= ListingFields.Package;
        // No split from the host means it owns the total only: the channel's own split (a default warehouse) is no change.
        if ((owned & ListingFields.QuantityByLocation) != 0 && desired.QuantityByLocation.Count > 0 && !ListingContent.SameQuantities(desired.QuantityByLocation, remote.QuantityByLocation)) changed |= ListingFields.QuantityByLocation;
        return changed;
    }

    /// <summary>The fields where the marketplace moved away from the state the mapping last recorded.</summary>
    internal static ListingFields Drifted(ListingState known, Listing remote, ListingFields compared = ListingFields.All)
    {
        var changed = ScalarChanges(known, remote.Price, remote.Quantity, remote.Visibility, remote.Condition, remote.Language, remote.Variants);
        if ((compared & ListingFields.Content) != 0 && !string.Equals(known.ContentHash, ListingContent.Hash(remote), StringComparison.Ordinal)) changed |= ListingFields.Content;
        return changed;
    }

    /// <summary>What to write on update: the host's owned fields, the marketplace's values for the rest.</summary>
    internal static ListingDraft Merge(ListingDraft desired, Listing remote, ListingFields owned) => desired with
    {
        Price = (owned & ListingFields.Price) != 0 ? desired.Price : remote.Price,
        Quantity = (owned & ListingFields.Quantity) != 0 ? desired.Quantity : remote.Quantity,
        Visibility = (owned & ListingFields.Visibility) != 0 ? desired.Visibility : remote.Visibility,
        Condition = (owned & ListingFields.Condition) != 0 ? desired.Condition : remote.Condition,
        Language = (owned & ListingFields.Language) != 0 ? desired.Language : remote.Language,
        Variants = (owned & ListingFields.Variants) != 0 ? desired.Variants : remote.Variants,
        Comment = (owned & ListingFields.Comment) != 0 ? desired.Comment : remote.Comment,
        Notes = (owned & ListingFields.Notes) != 0 ? desired.Notes : remote.Notes,
        Titles = (owned & ListingFields.Titles) != 0 ? desired.Titles : remote.Titles,
        Descriptions = (owned & ListingFields.Descriptions) != 0 ? desired.Descriptions : remote.Descriptions,
        Category = (owned & ListingFields.Category) != 0 ? desired.Category : remote.Category,
        Attributes = (owned & ListingFields.Attributes) != 0 ? desired.Attributes : remote.Attributes,
        Pictures = (owned & ListingFields.Pictures) != 0 ? desired.Pictures : remote.Pictures,
        Variations = (owned & ListingFields.Variations) != 0 ? desired.Variations : remote.Variations,
        Package = (owned & ListingFields.Package) != 0 ? desired.Package : remote.Package,
        QuantityByLocation = (owned & ListingFields.QuantityByLocation) != 0 ? desired.QuantityByLocation : remote.QuantityByLocation,
        // What the channel sent that the model has no place for goes back unchanged; the host may add to it.
        Extensions = MergeExtensions(remote.Extensions, desired.Extensions),
    };

    private static IReadOnlyDictionary<string, System.Text.Json.JsonElement> MergeExtensions(IReadOnlyDictionary<string, System.Text.Json.JsonElement> remote, IReadOnlyDictionary<string, System.Text.Json.JsonElement> desired)
    {
        if (desired.Count == 0)
        {
            return remote;
        }

        var merged = new Dictionary<string, System.Text.Json.JsonElement>(remote, StringComparer.Ordinal);
        foreach (var (key, value) in desired)
        {
            merged[key] = value;
        }

        return merged;
    }

    private static bool SameVariants(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!string.Equals(a[i], b[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameText(string? a, string? b) => string.Equals(a ?? string.Empty, b ?? string.Empty, StringComparison.Ordinal);

    /// <summary>Checks a desired listing against the rules every channel shares plus the ones sync adds.</summary>
    internal static IReadOnlyList<FieldError> ValidateDesired(ListingDraft draft)
    {
        var errors = ListingDraftValidator.Validate(draft);
        if (!string.IsNullOrWhiteSpace(draft.Reference))
        {
            return errors;
        }

        return [.. errors, new FieldError("reference", "required", "is required: it is how sync knows which listing is which product")];
    }
}
