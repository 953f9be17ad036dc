using System.Runtime.CompilerServices;

namespace ListingSync.Sdk.Mapping;

/// <summary>
/// An <see cref="IMappingStore"/> in process memory, for tests and hosts that rebuild state on start. Thread-safe;
/// enforces the same unique constraints and optimistic concurrency as the durable stores.
/// </summary>
public sealed class InMemoryMappingStore : IMappingStore
{
    private readonly object _gate = new();
    private readonly Dictionary<(MappingScope, string), ListingMapping> _byReference = [];
    private readonly Dictionary<(MappingScope, string), string> _referenceByListingId = [];
    private readonly Dictionary<(MappingScope, string), string> _cursors = [];
    private readonly Dictionary<(MappingScope, string), DateTimeOffset> _events = [];

    /// <summary>Mappings held, across scopes.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byReference.Count;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<ListingMapping?> FindByReferenceAsync(MappingScope scope, string reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        lock (_gate)
        {
            return ValueTask.FromResult(_byReference.GetValueOrDefault((scope, reference)));
        }
    }

    /// <inheritdoc />
    public ValueTask<ListingMapping?> FindByListingIdAsync(MappingScope scope, string listingId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listingId);
        lock (_gate)
        {
            return ValueTask.FromResult(_referenceByListingId.TryGetValue((scope, listingId), out var reference) ? _byReference.GetValueOrDefault((scope, reference)) : null);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ListingMapping> ListAsync(MappingScope scope, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<ListingMapping> snapshot;
        lock (_gate)
        {
            snapshot = _byReference.Where(kv => kv.Key.Item1 == scope).Select(kv => kv.Value).OrderBy(m => m.Reference, StringComparer.Ordinal).ToList();
        }

        foreach (var mapping in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return mapping;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<ListingMapping> UpsertAsync(ListingMapping mapping, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(Write(mapping, commit: true));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ListingMapping>> UpsertManyAsync(IReadOnlyList<ListingMapping> mappings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mappings);
        lock (_gate)
        {
            // Check everything first so the batch is all or nothing.
            var seenReferences = new HashSet<(MappingScope, string)>();
            var seenIds = new Dictionary<(MappingScope, string), string>();
            foreach (var mapping in mappings)
            {
                Write(mapping, commit: false);
                if (!seenReferences.Add((mapping.Scope, mapping.Reference)))
                {
                    throw new MappingConflictException($"The batch names reference '{mapping.Reference}' twice in {mapping.Scope}.");
                }

                if (mapping.ListingId is { } id && seenIds.TryGetValue((mapping.Scope, id), out var other) && other != mapping.Reference)
                {
                    throw new MappingConflictException($"The batch maps listing '{id}' to both '{other}' and '{mapping.Reference}' in {mapping.Scope}.");
                }

                if (mapping.ListingId is { } listingId)
                {
                    seenIds[(mapping.Scope, listingId)] = mapping.Reference;
                }
            }

            return ValueTask.FromResult<IReadOnlyList<ListingMapping>>(mappings.Select(m => Write(m, commit: true)).ToList());
        }
    }

    private ListingMapping Write(ListingMapping mapping, bool commit)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentException.ThrowIfNullOrEmpty(mapping.Reference);
        var key = (mapping.Scope, mapping.Reference);
        var stored = _byReference.GetValueOrDefault(key);
        if (stored is not null && MappingContent.Same(stored, mapping))
        {
            return stored; // a repeated write: nothing to do
        }

        var storedVersion = stored?.Version ?? 0;
        if (mapping.Version != storedVersion)
        {
            throw new MappingConflictException(stored is null
                ? $"Mapping '{mapping.Reference}' in {mapping.Scope} does not exist (version {mapping.Version} given, expected 0)."
                : $"Mapping '{mapping.Reference}' in {mapping.Scope} is at version {storedVersion}, not {mapping.Version}: re-read it and retry.");
        }

        if (mapping.ListingId is { } listingId && _referenceByListingId.TryGetValue((mapping.Scope, listingId), out var owner) && owner != mapping.Reference)
        {
            throw new MappingConflictException($"Listing '{listingId}' in {mapping.Scope} is already mapped to '{owner}', so it cannot be mapped to '{mapping.Reference}'.");
        }

        if (!commit)
        {
            return mapping;
        }

        if (stored?.ListingId is { } oldId && oldId != mapping.ListingId)
        {
            _referenceByListingId.Remove((mapping.Scope, oldId));
        }

        var written = mapping with { Version = storedVersion + 1 };
        _byReference[key] = written;
        if (written.ListingId is { } id)
        {
            _referenceByListingId[(mapping.Scope, id)] = written.Reference;
        }

        return written;
    }

    /// <inheritdoc />
    public ValueTask<string?> GetCursorAsync(MappingScope scope, string name, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_cursors.GetValueOrDefault((scope, name)));
        }
    }

    /// <inheritdoc />
    public ValueTask SetCursorAsync(MappingScope scope, string name, string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            _cursors[(scope, name)] = value;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> TryRecordEventAsync(MappingScope scope, string eventId, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        lock (_gate)
        {
            return ValueTask.FromResult(_events.TryAdd((scope, eventId), receivedAt));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> HasEventAsync(MappingScope scope, string eventId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        lock (_gate)
        {
            return ValueTask.FromResult(_events.ContainsKey((scope, eventId)));
        }
    }

    /// <inheritdoc />
    public ValueTask<int> PurgeEventsAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var old = _events.Where(e => e.Value < olderThan).Select(e => e.Key).ToList();
            old.ForEach(k => _events.Remove(k));
            return ValueTask.FromResult(old.Count);
        }
    }
}
