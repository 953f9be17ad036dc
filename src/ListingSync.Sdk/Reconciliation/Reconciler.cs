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

    /// <summary>Plans against the listings <paramref name="channel"/> streams for <paramref name="seller"/>. Sends nothing.</summary>
    public Task<ReconciliationPlan> PlanAsync(IListingChannel channel, SellerScope seller, IAsyncEnumerable<ListingDraft> desired, ReconcilerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (!channel.Capabilities.HasFlag(ChannelCapabilities.ReadListings))
        {
            throw new NotSupportedException($"{channel.Name} cannot stream listings (ChannelCapabilities.ReadListings), so it cannot be reconciled this way.");
        }

        return PlanAsync(channel.Name, seller, desired, channel.GetListingsAsync(seller, cancellationToken), options, cancellationToken);
    }

    /// <summary>Plans from two streams: the host's desired listings and the marketplace's listings. Sends nothing.</summary>
    public async Task<ReconciliationPlan> PlanAsync(string channel, SellerScope seller, IAsyncEnumerable<ListingDraft> desired, IAsyncEnumerable<Listing> remote, ReconcilerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(remote);
        options ??= new ReconcilerOptions();
        var scope = new MappingScope(channel, seller);
        var planner = new Planner(scope, options);

        await foreach (var mapping in _store.ListAsync(scope, cancellationToken).ConfigureAwait(false))
        {
            planner.AddMapping(mapping);
        }

        await foreach (var listing in remote.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            planner.AddRemote(listing);
        }

        var unresolved = new List<(ListingDraft Draft, string Reference, int Slot)>();
        await foreach (var draft in desired.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (planner.Validate(draft, out var slot) is not { } reference)
            {
                continue;
            }

            if (options.IdentityResolver is { } resolver && !resolver.IsResolved(draft.Item))
            {
                unresolved.Add((draft, reference, slot));
                if (unresolved.Count >= 500)
                {
                    await ResolveAsync(planner, resolver, seller, unresolved, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            planner.Match(draft, reference, slot);
        }

        if (options.IdentityResolver is { } last)
        {
            await ResolveAsync(planner, last, seller, unresolved, cancellationToken).ConfigureAwait(false);
        }

        return planner.Finish(_time.GetUtcNow());
    }

    private static async Task ResolveAsync(Planner planner, IIdentityResolver resolver, SellerScope seller, List<(ListingDraft Draft, string Reference, int Slot)> pending, CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return;
        }

        var outcomes = await resolver.ResolveIdentitiesAsync(seller, pending.ConvertAll(p => p.Draft.Item), cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < pending.Count; i++)
        {
            var (draft, reference, slot) = pending[i];
            if (outcomes[i].Resolved is { } identity)
            {
                planner.Match(draft with { Item = identity }, reference, slot);
            }
            else
            {
                planner.FlagUnresolved(draft, reference, outcomes[i].Problem ?? "unresolved");
            }
        }

        pending.Clear();
    }

    /// <summary>
    /// Carries out <paramref name="plan"/> through <paramref name="channel"/>: links, then creates (batched, each recorded
    /// in the mapping before it is sent), then updates and removes (bounded concurrency; the channel's rate limiter sets
    /// the pace). Returns one result per step carried out. Cancelling stops between steps; the next plan picks up
    /// where this one stopped without creating anything twice.
    /// </summary>
    public async Task<ReconciliationResult> ApplyAsync(IListingChannel channel, ReconciliationPlan plan, ReconcilerOptions? options = null, IProgress<ReconciliationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(plan);
        if (!string.Equals(channel.Name, plan.Scope.Channel, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The plan is for {plan.Scope.Channel}, not {channel.Name}.", nameof(plan));
        }

        options ??= new ReconcilerOptions();
        var applier = new Applier(this, channel, plan, options, progress);
        return await applier.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    internal IMappingStore Store => _store;

    internal static ListingState StateOf(ListingDraft draft) => new()
    {
        Price = draft.Price,
        Quantity = draft.Quantity,
        Visibility = draft.Visibility,
        Condition = draft.Condition,
        Language = draft.Language,
        Variants = draft.Variants,
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
    };

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
        return changed;
    }

    /// <summary>The fields where the marketplace moved away from the state the mapping last recorded.</summary>
    internal static ListingFields Drifted(ListingState known, Listing remote)
    {
        var changed = ListingFields.None;
        if (known.Price != remote.Price) changed |= ListingFields.Price;
        if (known.Quantity != remote.Quantity) changed |= ListingFields.Quantity;
        if (known.Visibility != remote.Visibility) changed |= ListingFields.Visibility;
        if (known.Condition != remote.Condition) changed |= ListingFields.Condition;
        if (!string.Equals(known.Language, remote.Language, StringComparison.Ordinal)) changed |= ListingFields.Language;
        if (!SameVariants(known.Variants, remote.Variants)) changed |= ListingFields.Variants;
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
    };

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
