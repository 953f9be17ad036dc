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
    private readonly Dictionary<MappingScope, MappingLease> _leases = [];
    private readonly TimeProvider _time;

    /// <summary>Creates an empty store; leases expire by <paramref name="timeProvider"/> (default the system clock).</summary>
    public InMemoryMappingStore(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

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
    public ValueTask<IReadOnlyDictionary<string, ListingMapping>> FindByReferencesAsync(MappingScope scope, IReadOnlyCollection<string> references, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(references);
        lock (_gate)
        {
            var found = new Dictionary<string, ListingMapping>(StringComparer.Ordinal);
            foreach (var reference in references)
            {
                if (_byReference.GetValueOrDefault((scope, reference)) is { } mapping)
                {
                    found[reference] = mapping;
                }
            }

            return ValueTask.FromResult<IReadOnlyDictionary<string, ListingMapping>>(found);
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
        if (mapping.LeaseToken is { } token)
        {
            CheckLease(mapping.Scope, token);
        }

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

        var written = mapping with { Version = storedVersion + 1, LeaseToken = null };
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

    /// <inheritdoc />
    public ValueTask<MappingLease?> TryAcquireLeaseAsync(MappingScope scope, string holder, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var current = _leases.GetValueOrDefault(scope);
            if (current is not null && current.ExpiresAt > now)
            {
                return ValueTask.FromResult<MappingLease?>(null);
            }

            var lease = new MappingLease(scope, holder, (current?.Token ?? 0) + 1, now, now + duration);
            _leases[scope] = lease;
            return ValueTask.FromResult<MappingLease?>(lease);
        }
    }

    /// <inheritdoc />
    public ValueTask<MappingLease?> RenewLeaseAsync(MappingLease lease, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_leases.GetValueOrDefault(lease.Scope) is not { } current || current.Token != lease.Token || current.ExpiresAt <= now)
            {
                return ValueTask.FromResult<MappingLease?>(null);
            }

            var renewed = current with { ExpiresAt = now + duration };
            _leases[lease.Scope] = renewed;
            return ValueTask.FromResult<MappingLease?>(renewed);
        }
    }

    /// <inheritdoc />
    public ValueTask ReleaseLeaseAsync(MappingLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_gate)
        {
            if (_leases.GetValueOrDefault(lease.Scope) is { } current && current.Token == lease.Token)
            {
                _leases[lease.Scope] = current with { ExpiresAt = DateTimeOffset.MinValue }; // the token stays, so it is never issued again
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<MappingLease?> GetLeaseAsync(MappingScope scope, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_leases.GetValueOrDefault(scope) is { } current && current.ExpiresAt > _time.GetUtcNow() ? current : null);
        }
    }

    private void CheckLease(MappingScope scope, long token)
    {
        var current = _leases.GetValueOrDefault(scope);
        if (current is null || current.Token != token || current.ExpiresAt <= _time.GetUtcNow())
        {
            throw new MappingLeaseLostException(current is null || current.Token == token
                ? $"The lease (token {token}) on {scope} has expired: this write was refused. Plan again."
                : $"The lease (token {token}) on {scope} has passed to {current.Holder} (token {current.Token}): this write was refused. Plan again.");
        }
    }
}
