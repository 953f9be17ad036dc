using ListingSync.Sdk.Mapping;

namespace ListingSync.Sdk.Tests;

/// <summary>A mapping store that passes every call to another; tests override what they watch or break.</summary>
internal class DelegatingMappingStore(IMappingStore inner) : IMappingStore
{
    protected IMappingStore Inner { get; } = inner;

    public virtual ValueTask<ListingMapping?> FindByReferenceAsync(MappingScope scope, string reference, CancellationToken cancellationToken = default) => Inner.FindByReferenceAsync(scope, reference, cancellationToken);

    public virtual ValueTask<ListingMapping?> FindByListingIdAsync(MappingScope scope, string listingId, CancellationToken cancellationToken = default) => Inner.FindByListingIdAsync(scope, listingId, cancellationToken);

    public virtual IAsyncEnumerable<ListingMapping> ListAsync(MappingScope scope, CancellationToken cancellationToken = default) => Inner.ListAsync(scope, cancellationToken);

    public virtual ValueTask<ListingMapping> UpsertAsync(ListingMapping mapping, CancellationToken cancellationToken = default) => Inner.UpsertAsync(mapping, cancellationToken);

    public virtual ValueTask<IReadOnlyList<ListingMapping>> UpsertManyAsync(IReadOnlyList<ListingMapping> mappings, CancellationToken cancellationToken = default) => Inner.UpsertManyAsync(mappings, cancellationToken);

    public ValueTask<string?> GetCursorAsync(MappingScope scope, string name, CancellationToken cancellationToken = default) => Inner.GetCursorAsync(scope, name, cancellationToken);

    public ValueTask SetCursorAsync(MappingScope scope, string name, string value, CancellationToken cancellationToken = default) => Inner.SetCursorAsync(scope, name, value, cancellationToken);

    public ValueTask<bool> TryRecordEventAsync(MappingScope scope, string eventId, DateTimeOffset receivedAt, CancellationToken cancellationToken = default) => Inner.TryRecordEventAsync(scope, eventId, receivedAt, cancellationToken);

    public ValueTask<int> PurgeEventsAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default) => Inner.PurgeEventsAsync(olderThan, cancellationToken);

    public ValueTask<MappingLease?> TryAcquireLeaseAsync(MappingScope scope, string holder, TimeSpan duration, CancellationToken cancellationToken = default) => Inner.TryAcquireLeaseAsync(scope, holder, duration, cancellationToken);

    public ValueTask<MappingLease?> RenewLeaseAsync(MappingLease lease, TimeSpan duration, CancellationToken cancellationToken = default) => Inner.RenewLeaseAsync(lease, duration, cancellationToken);

    public ValueTask ReleaseLeaseAsync(MappingLease lease, CancellationToken cancellationToken = default) => Inner.ReleaseLeaseAsync(lease, cancellationToken);

    public ValueTask<MappingLease?> GetLeaseAsync(MappingScope scope, CancellationToken cancellationToken = default) => Inner.GetLeaseAsync(scope, cancellationToken);
}
