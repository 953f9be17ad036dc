using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Validation;

namespace ListingSync.Sdk.Reconciliation;

/// <summary>The matching behind <see cref="Reconciler.PlanAsync(string, SellerScope, IAsyncEnumerable{ListingDraft}, IAsyncEnumerable{Listing}, ReconcilerOptions?, CancellationToken)"/>.</summary>
internal sealed class Planner
{
    private readonly MappingScope _scope;
    private readonly ReconcilerOptions _options;
    private readonly Dictionary<string, ListingMapping> _mappings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _referenceByListingId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Slot> _remoteById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Slot> _remoteByReference = new(StringComparer.Ordinal);
    private readonly Dictionary<IdentityKey, List<Slot>> _unreferencedByIdentity = [];
    private readonly HashSet<string> _seenReferences = new(StringComparer.Ordinal);
    private readonly List<PlanStep> _creates = [], _updates = [], _links = [], _removes = [], _flags = [], _rejects = [];
    private readonly List<DriftEntry> _drift = [];
    private int _desired;
    private int _unchanged;

    public Planner(MappingScope scope, ReconcilerOptions options)
    {
        _scope = scope;
        _options = options;
    }

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
        var slot = new Slot(listing);
        _remoteById[listing.Id] = slot;
        if (listing.Reference is { } reference)
        {
            // A second listing with the same reference stays out of this index: it is a duplicate, found later.
            _remoteByReference.TryAdd(reference, slot);
        }
        else if (!_referenceByListingId.ContainsKey(listing.Id) && listing.Item.Urn is { } urn)
        {
            var key = new IdentityKey(urn, listing.Condition.Code, listing.Language);
            if (!_unreferencedByIdentity.TryGetValue(key, out var candidates))
            {
                _unreferencedByIdentity[key] = candidates = [];
            }

            candidates.Add(slot);
        }
    }

    /// <summary>Returns the normalised reference of a valid draft; a bad one becomes a reject step.</summary>
    public string? Validate(ListingDraft draft)
    {
        _desired++;
        if (draft is null)
        {
            _rejects.Add(new PlanStep { Action = PlanAction.Reject, Errors = [new FieldError("draft", "required", "must not be null")] });
            return null;
        }

        var errors = Reconciler.ValidateDesired(draft);
        var reference = ListingDraftValidator.NormalizeReference(draft.Reference);
        if (errors.Count == 0 && !_seenReferences.Add(reference!))
        {
            errors = [new FieldError("reference", "unique", $"'{reference}' names another product in the host's input; a reference names one product")];
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

    public void Match(ListingDraft draft, string reference)
    {
        var mapping = _mappings.Count == 0 ? null : _mappings.GetValueOrDefault(reference);
        Slot? slot = null;
        string? how = null;
        if (mapping?.ListingId is { } mappedId && _remoteById.TryGetValue(mappedId, out var mapped) && !mapped.Claimed)
        {
            slot = mapped;
        }
        else if (_remoteByReference.TryGetValue(reference, out var byReference) && !byReference.Claimed)
        {
            slot = byReference;
            how = "adopted by reference";
        }
        else if (draft.Item.Urn is { } urn
            && _unreferencedByIdentity.TryGetValue(new IdentityKey(urn, draft.Condition.Code, draft.Language), out var candidates)
            && candidates.Find(c => !c.Claimed) is { } byIdentity)
        {
            slot = byIdentity;
            how = "adopted by identity (URN, condition, language)";
        }

        if (mapping?.ListingId is { } lostId && !_remoteById.ContainsKey(lostId))
        {
            _drift.Add(new DriftEntry(reference, lostId, ListingFields.None, "the mapped listing is no longer on the marketplace"));
        }

        if (slot is null)
        {
            _creates.Add(new PlanStep { Action = PlanAction.Create, Reference = reference, Desired = draft, Reason = mapping?.ListingId is null ? "not listed" : "re-list: the listing disappeared" });
            return;
        }

        slot.Claimed = true;
        var remote = slot.Listing;
        if (mapping is { State: { } known } && mapping.ListingId == remote.Id && Reconciler.Drifted(known, remote) is var drifted && drifted != ListingFields.None)
        {
            _drift.Add(new DriftEntry(reference, remote.Id, drifted, "changed on the marketplace since the last sync"));
        }

        if (mapping is null || mapping.ListingId != remote.Id || !mapping.IsActive)
        {
            _links.Add(new PlanStep { Action = PlanAction.Link, Reference = reference, ListingId = remote.Id, Desired = draft, Remote = remote, Reason = how ?? "mapped listing found" });
        }

        var changed = Reconciler.Diff(draft, remote, _options.OwnedFields);
        if (changed != ListingFields.None)
        {
            _updates.Add(new PlanStep { Action = PlanAction.Update, Reference = reference, ListingId = remote.Id, Desired = draft, Remote = remote, ChangedFields = changed });
        }
        else if (how is null && mapping is not null && mapping.ListingId == remote.Id && mapping.IsActive)
        {
            _unchanged++;
        }
    }

    public ReconciliationPlan Finish(DateTimeOffset now)
    {
        var removedIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var slot in _remoteById.Values)
        {
            if (slot.Claimed)
            {
                continue;
            }

            var listing = slot.Listing;
            var owner = _referenceByListingId.GetValueOrDefault(listing.Id)
                ?? (listing.Reference is { } r && _mappings.ContainsKey(r) ? r : null);
            if (owner is not null && !_seenReferences.Contains(owner))
            {
                // The host no longer lists the product this sync created or adopted.
                if (_options.Dropped == DroppedListingPolicy.Remove)
                {
                    _removes.Add(new PlanStep { Action = PlanAction.Remove, Reference = owner, ListingId = listing.Id, Remote = listing, Reason = "the host no longer lists this product" });
                    removedIds.Add(listing.Id);
                }
                else
                {
                    _flags.Add(new PlanStep { Action = PlanAction.FlagUnknown, Reference = owner, ListingId = listing.Id, Remote = listing, Reason = "the host no longer lists this product (kept: Dropped = Report)" });
                }

                continue;
            }

            if (listing.Reference is { } reference && _seenReferences.Contains(reference))
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
                    removedIds.Add(listing.Id);
                    break;
            }
        }

        FindDuplicates(removedIds);
        var steps = new List<PlanStep>(_links.Count + _creates.Count + _updates.Count + _removes.Count + _flags.Count + _rejects.Count);
        steps.AddRange(_links);
        steps.AddRange(_creates);
        steps.AddRange(_updates);
        steps.AddRange(_removes);
        steps.AddRange(_flags);
        steps.AddRange(_rejects);
        return new ReconciliationPlan(_scope, steps, _drift, _desired, _remoteById.Count, _unchanged, now);
    }

    private void FindDuplicates(HashSet<string> removedIds)
    {
        // Seed 000's duplicate attributes: game, set name, number, price, quantity, condition.
        var groups = new Dictionary<DuplicateKey, object>(_remoteById.Count);
        foreach (var slot in _remoteById.Values)
        {
            var listing = slot.Listing;
            if (removedIds.Count > 0 && removedIds.Contains(listing.Id))
            {
                continue;
            }

            var key = new DuplicateKey(listing.Item.Game, listing.Item.Set, listing.Item.Number ?? listing.Item.Urn, listing.Price, listing.Quantity, listing.Condition.Code);
            ref var existing = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(groups, key, out var found);
            if (!found)
            {
                existing = slot;
            }
            else if (existing is Slot first)
            {
                existing = new List<Slot> { first, slot };
            }
            else
            {
                ((List<Slot>)existing!).Add(slot);
            }
        }

        foreach (var group in groups.Values)
        {
            if (group is not List<Slot> members)
            {
                continue;
            }

            var ordered = members.OrderByDescending(m => m.Claimed).ThenBy(m => m.Listing.CreatedAt).ThenBy(m => m.Listing.Id, StringComparer.Ordinal).ToList();
            _flags.Add(new PlanStep
            {
                Action = PlanAction.FlagDuplicate,
                ListingId = ordered[0].Listing.Id,
                RelatedListingIds = ordered.ConvertAll(m => m.Listing.Id),
                Reason = $"{ordered.Count} listings share game, set, number, price, quantity and condition",
            });
            if (_options.Duplicates == DuplicatePolicy.KeepOne)
            {
                foreach (var extra in ordered.Skip(1).Where(m => !m.Claimed).Select(m => m.Listing))
                {
                    _removes.Add(new PlanStep { Action = PlanAction.Remove, ListingId = extra.Id, Reference = extra.Reference, Remote = extra, Reason = $"duplicate of {ordered[0].Listing.Id} (Duplicates = KeepOne)" });
                }
            }
        }
    }

    private sealed class Slot(Listing listing)
    {
        public Listing Listing { get; } = listing;

        public bool Claimed { get; set; }
    }

    private readonly record struct IdentityKey(string Urn, string Condition, string Language);

    private readonly record struct DuplicateKey(string? Game, string? Set, string? Number, Money Price, int Quantity, string Condition);
}
