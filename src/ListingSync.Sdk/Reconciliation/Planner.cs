using System.Runtime.InteropServices;
using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Validation;

namespace ListingSync.Sdk.Reconciliation;

/// <summary>The matching behind <see cref="Reconciler.PlanAsync(string, SellerScope, IAsyncEnumerable{ListingDraft}, IAsyncEnumerable{Listing}, ReconcilerOptions?, CancellationToken)"/>.</summary>
internal sealed class Planner
{
    private const int None = -1;
    /// <summary>The reason of a link step that only refreshes a mapping's last known state.</summary>
    internal const string RefreshReason = "refresh: the marketplace changed since the last sync";

    private readonly MappingScope _scope;
    private readonly ReconcilerOptions _options;
    private readonly ListingFields _owned;
    private readonly IListingDraftRules? _rules;
    private readonly Dictionary<string, ListingMapping> _mappings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _referenceByListingId = new(StringComparer.Ordinal);

    // The remote side, indexed without an object per listing: slots are positions in _remote, with a claimed flag
    // and a chain of unreferenced listings sharing an identity. Fewer surviving objects means less GC promotion.
    private readonly SegmentedList<Listing> _remote = new();
    private readonly SegmentedList<bool> _claimed = new();
    // Per slot, the hash of the attributes that make two listings duplicates (seed 000), taken while the listing is in
    // the cache: finding duplicates at the end reads no listing but the few that share a hash.
    private readonly SegmentedList<int> _duplicateHashes = new();
    private readonly Dictionary<string, int> _remoteById = new(StringComparer.Ordinal);
    // One entry per reference seen on either side: the first remote listing carrying it, and whether the host wants it.
    private readonly Dictionary<string, ReferenceEntry> _references = new(StringComparer.Ordinal);
    // Unreferenced, unmapped remote listings by the channel's match keys: the head slot per (key, value), and per key a
    // chain from each slot to the next listing with the same value, in arrival order.
    private readonly IReadOnlyList<ListingMatchKey> _matchKeys;
    private readonly Dictionary<MatchValue, int> _unreferencedByKey = [];
    private readonly Dictionary<int, int>[] _nextSameKey;
    private readonly bool _completeScan;
    private readonly HashSet<string> _unreadable = new(StringComparer.Ordinal);
    private readonly List<PlanStep> _creates = [], _updates = [], _removes = [], _flags = [], _rejects = [];
    private readonly SegmentedList<LinkEntry> _links = new();
    // Why each link was planned, by LinkEntry.Reason: found through its mapping, adopted by reference, refreshed, then
    // adopted by each match key. The host's resolved identities of links, by link index (few links have one).
    private readonly string[] _linkReasons;
    private readonly Dictionary<int, ItemIdentity> _hostItems = [];
    private const byte MappedFound = 0, AdoptedByReference = 1, Refresh = 2, AdoptedByKey = 3;
    private readonly List<DriftEntry> _drift = [];
    private int _desired;
    private int _unchanged;

    /// <param name="scope">Seller and channel.</param>
    /// <param name="options">The host's choices.</param>
    /// <param name="matchKeys">The channel's keys for adopting unreferenced listings, most trusted first.</param>
    /// <param name="completeScan">
    /// True when the remote side is every listing the seller has (a full scan); false when it is only what the mapping
    /// points at (a channel that cannot list): a listing not seen is then not proof that it does not exist.
    /// </param>
    /// <param name="owned">The fields compared: the host's owned fields that the channel stores.</param>
    /// <param name="rules">The channel's own draft rules, checked once the draft's fate (create or update) is known.</param>
    public Planner(MappingScope scope, ReconcilerOptions options, IReadOnlyList<ListingMatchKey> matchKeys, ListingFields owned, bool completeScan = true, IListingDraftRules? rules = null)
    {
        _rules = rules;
        _scope = scope;
        _options = options;
        _owned = owned;
        _matchKeys = matchKeys;
        _nextSameKey = new Dictionary<int, int>[matchKeys.Count];
        _linkReasons = ["mapped listing found", "adopted by reference", RefreshReason, .. matchKeys.Select(key => $"adopted by identity ({key.Name})")];
        for (var k = 0; k < _nextSameKey.Length; k++)
        {
            _nextSameKey[k] = [];
        }

        _completeScan = completeScan;
    }

    /// <summary>
    /// The identity the mapping of <paramref name="reference"/> recorded when an earlier plan resolved it, when it was
    /// resolved from the same host identifiers as <paramref name="asked"/> (Cardmarket id, else TCGplayer id, else game
    /// + set + name + number); null when there is none or the host's identifiers changed. Saves a lookup per product on
    /// every later plan, in any process that shares the store.
    /// </summary>
    public ItemIdentity? RememberedIdentity(string reference, ItemIdentity asked)
    {
        if (_mappings.Count == 0 || _mappings.GetValueOrDefault(reference)?.Item is not { } known)
        {
            return null;
        }

        var same = asked.CardmarketId is { } cm ? known.CardmarketId == cm
            : asked.TcgplayerId is { } tp ? known.TcgplayerId == tp
            : asked.HasGameSetName && known.HasGameSetName && SameName(known.Game, asked.Game) && SameName(known.Set, asked.Set) && SameName(known.Name, asked.Name)
                && (asked.Number is null || SameName(known.Number, asked.Number));
        return same ? known with { Sku = asked.Sku ?? known.Sku, Gtin = asked.Gtin ?? known.Gtin } : null;

        static bool SameName(string? a, string? b) => string.Equals(a?.Trim(), b?.Trim(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// After a full scan: active mappings whose listing the scan did not return (deleted, or skipped by a page that
    /// shifted), and pending creates whose reference it did not see. Each is confirmed before anything is re-created.
    /// </summary>
    public (List<string> MissingIds, List<ListingMapping> PendingUnseen) UnseenAfterScan()
    {
        var missing = new List<string>();
        var pending = new List<ListingMapping>();
        foreach (var mapping in _mappings.Values)
        {
            if (!mapping.IsActive)
            {
                continue;
            }

            if (mapping.ListingId is { } id)
            {
                if (!_remoteById.ContainsKey(id))
                {
                    missing.Add(id);
                }
            }
            else if (!_references.TryGetValue(mapping.Reference, out var entry) || entry.RemoteSlot == None)
            {
                if (!(mapping.NeedsReview?.StartsWith(Reconciler.CreateFailedReview, StringComparison.Ordinal) ?? false))
                {
                    pending.Add(mapping);
                }
            }
        }

        return (missing, pending);
    }

    /// <summary>Marks a mapped listing whose read failed: its product is flagged, never re-created on a guess.</summary>
    public void MarkUnreadable(string listingId) => _unreadable.Add(listingId);

    public void AddMapping(ListingMapping mapping)
    {
        _mappings[mapping.Reference] = mapping;
        if (mapping.ListingId is { } id && mapping.IsActive)
        {
            _referenceByListingId[id] = mapping.Reference;
        }
    }

    public void AddRemote(Listing listing)
    {
        ArgumentNullException.ThrowIfNull(listing);
        var slot = _remote.Count;
        var reference = ListingDraftValidator.NormalizeReference(listing.Reference) is { Length: > 0 } normalized ? normalized : null;
        // Nothing mapped yet (a first sync): no listing is looked for by id, so a referenced listing is indexed by its
        // reference alone, which also tells a listing streamed twice. A million fewer index entries.
        var firstSync = reference is not null && _mappings.Count == 0;
        if (!(firstSync ? TryIndexByReference(reference!, listing.Id, slot) : _remoteById.TryAdd(listing.Id, slot)))
        {
            return; // the marketplace streamed the same listing twice (e.g. pages shifted under a paged read)
        }

        _remote.Add(listing);
        _claimed.Add(false);
        _duplicateHashes.Add(DuplicateKey.Of(listing).GetHashCode());
        if (reference is not null)
        {
            if (!firstSync)
            {
                // A second listing with the same reference stays out of this index: it is a duplicate, found later.
                _references.TryAdd(reference, new ReferenceEntry(slot, Desired: false));
            }

            return;
        }

        if (_referenceByListingId.ContainsKey(listing.Id))
        {
            return; // mapped: found through its mapping, never adopted by another product
        }

        for (var k = 0; k < _matchKeys.Count; k++)
        {
            if (_matchKeys[k].Of(listing) is not { } value)
            {
                continue;
            }

            // Chain candidates in arrival order: the head is the first, each slot points at the next.
            ref var head = ref CollectionsMarshal.GetValueRefOrAddDefault(_unreferencedByKey, new MatchValue(k, value), out var exists);
            if (!exists)
            {
                head = slot;
                continue;
            }

            var last = head;
            while (_nextSameKey[k].TryGetValue(last, out var next))
            {
                last = next;
            }

            _nextSameKey[k][last] = slot;
        }
    }

    /// <summary>
    /// First sync: the listing's slot becomes the reference's first remote listing; a second listing with the reference
    /// is indexed by id. False when this listing was seen already.
    /// </summary>
    private bool TryIndexByReference(string reference, string listingId, int slot)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_references, reference, out var exists);
        if (!exists || entry.RemoteSlot == None)
        {
            entry = new ReferenceEntry(slot, Desired: exists && entry.Desired);
            return true;
        }

        return !string.Equals(_remote[entry.RemoteSlot].Id, listingId, StringComparison.Ordinal) && _remoteById.TryAdd(listingId, slot);
    }

    /// <summary>
    /// Returns the normalised reference of a valid draft, with the remote listing carrying it (or <see cref="None"/>);
    /// a bad one becomes a reject step.
    /// </summary>
    public string? Validate(ListingDraft draft, out int referenceSlot)
    {
        referenceSlot = None;
        _desired++;
        if (draft is null)
        {
            _rejects.Add(new PlanStep { Action = PlanAction.Reject, Errors = [new FieldError("draft", "required", "must not be null")] });
            return null;
        }

        var errors = Reconciler.ValidateDesired(draft);
        var reference = ListingDraftValidator.NormalizeReference(draft.Reference);
        if (errors.Count == 0)
        {
            ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_references, reference!, out var exists);
            if (!exists)
            {
                entry = new ReferenceEntry(None, Desired: true);
            }
            else if (entry.Desired)
            {
                errors = [new FieldError("reference", "unique", $"'{reference}' names another product in the host's input; a reference names one product")];
            }
            else
            {
                entry = entry with { Desired = true };
                referenceSlot = entry.RemoteSlot;
            }
        }

        if (errors.Count > 0)
        {
            _rejects.Add(new PlanStep { Action = PlanAction.Reject, Reference = reference, Desired = draft, Errors = errors });
            return null;
        }

        return reference;
    }

    public void FlagUnresolved(ListingDraft draft, string reference, string problem) =>
        _flags.Add(new PlanStep { Action = PlanAction.FlagUnresolved, Reference = reference, Desired = draft, Reason = problem });

    /// <param name="draft">The desired listing, its identity resolved where a resolver ran.</param>
    /// <param name="reference">Its normalised reference.</param>
    /// <param name="referenceSlot">The remote listing carrying the reference, or none.</param>
    /// <param name="resolved">True when the identity was resolved (or remembered): it is kept in the mapping of an adopted listing.</param>
    public void Match(ListingDraft draft, string reference, int referenceSlot, bool resolved = false)
    {
        var mapping = _mappings.Count == 0 ? null : _mappings.GetValueOrDefault(reference);
        var slot = None;
        var how = -1;
        if (mapping?.ListingId is { } mappedId && _remoteById.TryGetValue(mappedId, out var mapped) && !_claimed[mapped])
        {
            slot = mapped;
        }
        else if (referenceSlot != None && !_claimed[referenceSlot])
        {
            slot = referenceSlot;
            how = AdoptedByReference;
        }
        else if (_unreferencedByKey.Count > 0)
        {
            for (var k = 0; k < _matchKeys.Count && slot == None; k++)
            {
                if (_matchKeys[k].Of(draft) is not { } value || !_unreferencedByKey.TryGetValue(new MatchValue(k, value), out var candidate))
                {
                    continue;
                }

                while (candidate != None && _claimed[candidate])
                {
                    candidate = _nextSameKey[k].TryGetValue(candidate, out var next) ? next : None;
                }

                if (candidate != None)
                {
                    slot = candidate;
                    how = AdoptedByKey + k;
                }
            }
        }

        if (slot == None && mapping is not null && Uncertain(mapping) is { } why)
        {
            _flags.Add(new PlanStep { Action = PlanAction.FlagUncertain, Reference = reference, ListingId = mapping.ListingId, Desired = draft, Reason = why });
            return;
        }

        if (mapping?.ListingId is { } lostId && !_remoteById.ContainsKey(lostId))
        {
            _drift.Add(new DriftEntry(reference, lostId, ListingFields.None, "the mapped listing is no longer on the marketplace"));
        }

        if (_rules?.ValidateDraft(draft, forCreate: slot == None) is { Count: > 0 } broken)
        {
            // A draft the channel would refuse is never sent: one bad draft must not stop, or loop, an apply.
            _rejects.Add(new PlanStep { Action = PlanAction.Reject, Reference = reference, Desired = draft, Errors = broken });
            return;
        }

        if (slot == None)
        {
            _creates.Add(new PlanStep { Action = PlanAction.Create, Reference = reference, Desired = draft, Reason = mapping?.ListingId is null ? "not listed" : "re-list: the listing disappeared", MappingVersion = mapping?.Version ?? 0 });
            return;
        }

        _claimed[slot] = true;
        var remote = _remote[slot];
        var stale = false;
        if (mapping is { State: { } known } && mapping.ListingId == remote.Id)
        {
            var drifted = Reconciler.Drifted(known, remote, _owned);
            if (drifted != ListingFields.None)
            {
                _drift.Add(new DriftEntry(reference, remote.Id, drifted, "changed on the marketplace since the last sync"));
            }

            // Orders move availability without a listing event: a stale record is refreshed, not reported as drift.
            // An unknown availability is taken as the full quantity (what a listing has when it is created).
            stale = drifted != ListingFields.None || (remote.Available is { } available && (known.Available ?? known.Quantity) != available);
        }

        var changed = Reconciler.Diff(draft, remote, _owned);
        var linked = true;
        if (mapping is null || mapping.ListingId != remote.Id || !mapping.IsActive)
        {
            // A link records the remote listing only: the draft is not needed to adopt it, and not keeping a million
            // drafts alive on a first sync halves the plan's memory.
            if (resolved)
            {
                _hostItems[_links.Count] = draft.Item;
            }

            _links.Add(new LinkEntry(reference, slot, (byte)(how < 0 ? MappedFound : how)));
        }
        else if (stale && changed == ListingFields.None)
        {
            // Nothing to send, but the mapping's last known state is out of date (missed webhooks): record what is there.
            _links.Add(new LinkEntry(reference, slot, Refresh));
        }
        else
        {
            linked = false;
        }

        if (changed != ListingFields.None)
        {
            _updates.Add(new PlanStep { Action = PlanAction.Update, Reference = reference, ListingId = remote.Id, Desired = draft, Remote = remote, ChangedFields = changed, Mapping = linked ? null : mapping });
        }
        else if (how < 0 && mapping is not null && mapping.ListingId == remote.Id && mapping.IsActive && !stale)
        {
            _unchanged++;
        }
    }

    public ReconciliationPlan Finish(DateTimeOffset now, IReadOnlyList<string> limitations, IReadOnlyList<Channels.ChannelPrerequisite>? missing = null)
    {
        var removed = new bool[_remote.Count];
        for (var slot = 0; slot < _remote.Count; slot++)
        {
            if (_claimed[slot])
            {
                continue;
            }

            var listing = _remote[slot];
            var owner = _referenceByListingId.GetValueOrDefault(listing.Id)
                ?? (ListingDraftValidator.NormalizeReference(listing.Reference) is { } r && _mappings.ContainsKey(r) ? r : null);
            if (owner is not null && !IsDesired(owner))
            {
                // The host no longer lists the product this sync created or adopted.
                if (_options.Dropped == DroppedListingPolicy.Remove)
                {
                    _removes.Add(new PlanStep { Action = PlanAction.Remove, Reference = owner, ListingId = listing.Id, Remote = listing, Reason = "the host no longer lists this product" });
                    removed[slot] = true;
                }
                else
                {
                    _flags.Add(new PlanStep { Action = PlanAction.FlagUnknown, Reference = owner, ListingId = listing.Id, Remote = listing, Reason = "the host no longer lists this product (kept: Dropped = Report)" });
                }

                continue;
            }

            if (ListingDraftValidator.NormalizeReference(listing.Reference) is { } reference && IsDesired(reference))
            {
                continue; // a second listing carrying a host reference: reported with the duplicates below
            }

            switch (_options.UnknownRemote)
            {
                case UnknownRemotePolicy.Report:
                    _flags.Add(new PlanStep { Action = PlanAction.FlagUnknown, ListingId = listing.Id, Reference = listing.Reference, Remote = listing, Reason = "on the marketplace, unknown to the host" });
                    break;
                case UnknownRemotePolicy.Remove:
                    _removes.Add(new PlanStep { Action = PlanAction.Remove, ListingId = listing.Id, Reference = listing.Reference, Remote = listing, Reason = "unknown to the host (UnknownRemote = Remove)" });
                    removed[slot] = true;
                    break;
            }
        }

        FindDuplicates(removed);
        var steps = new List<PlanStep>(_creates.Count + _updates.Count + _removes.Count + _flags.Count + _rejects.Count);
        steps.AddRange(_creates);
        steps.AddRange(_updates);
        steps.AddRange(_removes);
        steps.AddRange(_flags);
        steps.AddRange(_rejects);
        return new ReconciliationPlan(_scope, new PlanStepList(_links, _linkReasons, _hostItems, _remote, steps), _drift, _desired, _remote.Count, _unchanged, now)
        {
            Options = _options,
            Limitations = limitations,
            MissingPrerequisites = missing ?? [],
        };
    }

    private void FindDuplicates(bool[] removed)
    {
        // Seed 000's duplicate attributes: game, set name, number, price, quantity, condition. Listings are chained in
        // buckets by the hash of those attributes (taken in AddRemote; two int arrays, no per-listing object); only
        // listings whose hashes are equal are read again and split by the attributes themselves.
        var count = _remote.Count;
        if (count < 2)
        {
            return;
        }

        var mask = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)count * 2) - 1;
        var heads = new int[mask + 1]; // per bucket: 1 + the last slot chained there; 0 when empty
        var next = new int[count];     // per slot: 1 + the slot chained before it in its bucket; 0 at the end
        for (var slot = 0; slot < count; slot++)
        {
            if (!removed[slot])
            {
                ref var head = ref heads[_duplicateHashes[slot] & mask];
                next[slot] = head;
                head = slot + 1;
            }
        }

        var groups = new List<List<int>>();
        var candidates = new List<int>();
        foreach (var first in heads)
        {
            if (first == 0 || next[first - 1] == 0 || !HasEqualHashes(first, next))
            {
                continue; // empty, one listing, or listings whose attributes differ (their hashes do)
            }

            candidates.Clear();
            for (var link = first; link != 0; link = next[link - 1])
            {
                candidates.Add(link - 1);
            }

            // Equal hashes next to each other, each run in the order the marketplace streamed it.
            candidates.Sort((a, b) => _duplicateHashes[a] != _duplicateHashes[b] ? _duplicateHashes[a].CompareTo(_duplicateHashes[b]) : a.CompareTo(b));
            for (var start = 0; start < candidates.Count;)
            {
                var end = start + 1;
                while (end < candidates.Count && _duplicateHashes[candidates[end]] == _duplicateHashes[candidates[start]])
                {
                    end++;
                }

                if (end - start > 1)
                {
                    groups.AddRange(GroupsOfEqualKeys(candidates.GetRange(start, end - start)));
                }

                start = end;
            }
        }

        // Report groups in the order the marketplace streamed their first listing, whatever the hashes were.
        groups.Sort((a, b) => a[0].CompareTo(b[0]));
        foreach (var members in groups)
        {
            var ordered = members.OrderByDescending(m => _claimed[m]).ThenBy(m => _remote[m].CreatedAt).ThenBy(m => _remote[m].Id, StringComparer.Ordinal).Select(m => (Slot: m, Listing: _remote[m])).ToList();
            _flags.Add(new PlanStep
            {
                Action = PlanAction.FlagDuplicate,
                ListingId = ordered[0].Listing.Id,
                RelatedListingIds = ordered.ConvertAll(m => m.Listing.Id),
                Reason = $"{ordered.Count} listings share game, set, number, price, quantity and condition",
            });
            if (_options.Duplicates == DuplicatePolicy.KeepOne)
            {
                foreach (var extra in ordered.Skip(1).Where(m => !_claimed[m.Slot]).Select(m => m.Listing))
                {
                    _removes.Add(new PlanStep { Action = PlanAction.Remove, ListingId = extra.Id, Reference = extra.Reference, Remote = extra, Reason = $"duplicate of {ordered[0].Listing.Id} (Duplicates = KeepOne)" });
                }
            }
        }
    }

    /// <summary>
    /// Why creating <paramref name="mapping"/>'s product again could duplicate it, or null when it is safe: a mapped
    /// listing whose read failed, or a create recorded earlier whose outcome nobody knows on a channel whose listings
    /// this plan could not all see.
    /// </summary>
    private string? Uncertain(ListingMapping mapping)
    {
        if (mapping.ListingId is { } id)
        {
            return _unreadable.Contains(id) ? $"the mapped listing {id} could not be read; nothing is created until it can be" : null;
        }

        if (_completeScan || (mapping.NeedsReview?.StartsWith(Reconciler.CreateFailedReview, StringComparison.Ordinal) ?? false))
        {
            return null; // a full scan would have shown it, or the marketplace said the earlier create failed
        }

        return "a create was sent earlier and its outcome is unknown; this channel cannot list or look listings up by reference, so nothing is created until the mapping is confirmed";
    }

    /// <summary>The listings among <paramref name="slots"/> (equal hashes, in streamed order) whose duplicate attributes are equal, in groups of two or more.</summary>
    private IEnumerable<List<int>> GroupsOfEqualKeys(List<int> slots)
    {
        var run = new List<(DuplicateKey Key, List<int> Members)>();
        foreach (var slot in slots)
        {
            var key = DuplicateKey.Of(_remote[slot]);
            var group = run.FindIndex(g => g.Key == key);
            if (group < 0)
            {
                run.Add((key, [slot]));
            }
            else
            {
                run[group].Members.Add(slot);
            }
        }

        return run.Where(g => g.Members.Count > 1).Select(g => g.Members);
    }

    /// <summary>True when two listings of the bucket chain starting at <paramref name="first"/> (1 + slot) have the same hash.</summary>
    private bool HasEqualHashes(int first, int[] next)
    {
        for (var a = first; a != 0; a = next[a - 1])
        {
            var hash = _duplicateHashes[a - 1];
            for (var b = next[a - 1]; b != 0; b = next[b - 1])
            {
                if (_duplicateHashes[b - 1] == hash)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool IsDesired(string reference) => _references.TryGetValue(reference, out var entry) && entry.Desired;

    private readonly record struct ReferenceEntry(int RemoteSlot, bool Desired);

    private readonly record struct MatchValue(int Key, string Value);

    private readonly record struct DuplicateKey(string? Game, string? Set, string? Number, Money Price, int Quantity, string Condition)
    {
        public static DuplicateKey Of(Listing listing) =>
            new(listing.Item.Game, listing.Item.Set, listing.Item.Number ?? listing.Item.Urn, listing.Price, listing.Quantity, listing.Condition.Code);
    }
}
