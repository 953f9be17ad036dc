using System.Collections;
using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Reconciliation;

/// <summary>
/// A plan's steps, with the link steps — one per adopted listing, a million on a first sync of a large account — kept
/// as compact entries and turned into <see cref="PlanStep"/> objects only when read (each once; the same instance on
/// every read). Counting by action reads no step.
/// </summary>
internal sealed class PlanStepList : IReadOnlyList<PlanStep>
{
    private readonly SegmentedList<LinkEntry> _links;
    private readonly string[] _reasons;
    private readonly Dictionary<int, ItemIdentity> _hostItems;
    private readonly SegmentedList<Listing> _remote;
    private readonly List<PlanStep> _rest;
    private readonly int[] _counts;
    private PlanStep?[]? _materialized;

    public PlanStepList(SegmentedList<LinkEntry> links, string[] reasons, Dictionary<int, ItemIdentity> hostItems, SegmentedList<Listing> remote, List<PlanStep> rest)
    {
        _links = links;
        _reasons = reasons;
        _hostItems = hostItems;
        _remote = remote;
        _rest = rest;
        _counts = new int[Enum.GetValues<PlanAction>().Max(a => (int)a) + 1];
        _counts[(int)PlanAction.Link] = links.Count;
        foreach (var step in rest)
        {
            _counts[(int)step.Action]++;
        }
    }

    public int Count => _links.Count + _rest.Count;

    public PlanStep this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return index < _links.Count ? Link(index) : _rest[index - _links.Count];
        }
    }

    /// <summary>How many steps have <paramref name="action"/>.</summary>
    public int CountOf(PlanAction action) => (int)action < _counts.Length ? _counts[(int)action] : 0;

    public IEnumerator<PlanStep> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private PlanStep Link(int index)
    {
        var materialized = _materialized ?? Interlocked.CompareExchange(ref _materialized, new PlanStep?[_links.Count], null) ?? _materialized!;
        if (Volatile.Read(ref materialized[index]) is { } existing)
        {
            return existing;
        }

        var entry = _links[index];
        var remote = _remote[entry.Slot];
        var step = new PlanStep { Action = PlanAction.Link, Reference = entry.Reference, ListingId = remote.Id, Remote = remote, Reason = _reasons[entry.Reason], HostItem = _hostItems.GetValueOrDefault(index) };
        return Interlocked.CompareExchange(ref materialized[index], step, null) ?? step;
    }
}

/// <summary>A link step before it is read: the host reference, the remote listing's slot and why (an index into the plan's reasons). 16 bytes.</summary>
internal readonly record struct LinkEntry(string Reference, int Slot, byte Reason);
