namespace ListingSync.Sdk.Mapping;

/// <summary>
/// Durable, seller-scoped sync state: mappings, cursors and processed event ids. Hosts may implement it
/// over their own database; the contract test suite in <c>ListingSync.Sdk.Testing</c> checks an implementation.
/// Implementations rely on unique constraints, not in-process locks, so several hosts can share one store.
/// </summary>
public interface IMappingStore
{
    /// <summary>Finds the mapping of a host reference; null when there is none.</summary>
    ValueTask<ListingMapping?> FindByReferenceAsync(MappingScope scope, string reference, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finds the mappings of many references at once (the reconciler reads a batch of 500 before each batched write);
    /// the result holds only those found. The default asks <see cref="FindByReferenceAsync"/> one by one; durable stores
    /// answer in one round trip.
    /// </summary>
    async ValueTask<IReadOnlyDictionary<string, ListingMapping>> FindByReferencesAsync(MappingScope scope, IReadOnlyCollection<string> references, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(references);
        var found = new Dictionary<string, ListingMapping>(StringComparer.Ordinal);
        foreach (var reference in references)
        {
            if (await FindByReferenceAsync(scope, reference, cancellationToken).ConfigureAwait(false) is { } mapping)
            {
                found[reference] = mapping;
            }
        }

        return found;
    }

    /// <summary>Finds the mapping of a marketplace listing id; null when there is none.</summary>
    ValueTask<ListingMapping?> FindByListingIdAsync(MappingScope scope, string listingId, CancellationToken cancellationToken = default);

    /// <summary>Streams every mapping in a scope.</summary>
    IAsyncEnumerable<ListingMapping> ListAsync(MappingScope scope, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts or updates a mapping with optimistic concurrency: <see cref="ListingMapping.Version"/> must equal
    /// the stored version (0 for a new record). Writing content equal to what is stored succeeds whatever the
    /// version (so a retried write is harmless); a write based on a stale version with other content fails.
    /// </summary>
    /// <returns>The stored mapping with its new version.</returns>
    /// <exception cref="MappingConflictException">The stored version differs, or the listing id is mapped to another reference.</exception>
    ValueTask<ListingMapping> UpsertAsync(ListingMapping mapping, CancellationToken cancellationToken = default);

    /// <summary>
    /// Upserts several mappings in one transaction where the store allows: all are written or none is, and a
    /// conflict names the first mapping that failed. Same rules per mapping as <see cref="UpsertAsync"/>.
    /// </summary>
    ValueTask<IReadOnlyList<ListingMapping>> UpsertManyAsync(IReadOnlyList<ListingMapping> mappings, CancellationToken cancellationToken = default);

    /// <summary>Reads a named cursor (e.g. JTL's <c>lastUpdatedAt</c>); null when never written.</summary>
    ValueTask<string?> GetCursorAsync(MappingScope scope, string name, CancellationToken cancellationToken = default);

    /// <summary>Writes a named cursor.</summary>
    ValueTask SetCursorAsync(MappingScope scope, string name, string value, CancellationToken cancellationToken = default);

    /// <summary>Records an event id as processed; false when it was already recorded (a duplicate).</summary>
    ValueTask<bool> TryRecordEventAsync(MappingScope scope, string eventId, DateTimeOffset receivedAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// True when the event id was recorded (and not yet purged). The default answers false — "not known" — which makes
    /// callers re-run their idempotent handlers; stores override it.
    /// </summary>
    ValueTask<bool> HasEventAsync(MappingScope scope, string eventId, CancellationToken cancellationToken = default) => ValueTask.FromResult(false);

    /// <summary>Forgets processed event ids received before <paramref name="olderThan"/>; returns how many.</summary>
    ValueTask<int> PurgeEventsAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the lease of <paramref name="scope"/> for <paramref name="holder"/> for <paramref name="duration"/>, with a
    /// fencing token larger than any before; null when another holder has an unexpired lease (read it with
    /// <see cref="GetLeaseAsync"/>), whoever asks: a holder that crashed waits for its own lease to expire.
    /// </summary>
    ValueTask<MappingLease?> TryAcquireLeaseAsync(MappingScope scope, string holder, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Extends <paramref name="lease"/> to <paramref name="duration"/> from now; null when it is no longer held (expired and taken, or released).</summary>
    ValueTask<MappingLease?> RenewLeaseAsync(MappingLease lease, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Gives <paramref name="lease"/> up at once, if it is still held; the token is never reused.</summary>
    ValueTask ReleaseLeaseAsync(MappingLease lease, CancellationToken cancellationToken = default);

    /// <summary>The scope's current unexpired lease, or null.</summary>
    ValueTask<MappingLease?> GetLeaseAsync(MappingScope scope, CancellationToken cancellationToken = default);
}
