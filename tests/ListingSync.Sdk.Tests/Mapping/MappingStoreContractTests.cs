using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Sqlite;
using ListingSync.Sdk.Testing;

namespace ListingSync.Sdk.Tests.Mapping;

public sealed class MappingStoreContractTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("listingsync-store-").FullName;

    public static TheoryData<string> Cases => new(MappingStoreContract.CaseNames);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task InMemory_store_meets_the_contract(string name) => MappingStoreContract.RunAsync(name, clock => new InMemoryMappingStore(clock));

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Sqlite_store_meets_the_contract(string name) =>
        MappingStoreContract.RunAsync(name, clock => new SqliteMappingStore(Path.Combine(_directory, $"{name}.db"), clock));

    [Fact]
    public async Task A_store_that_ignores_versions_fails_the_contract()
    {
        // The suite must be able to fail: a store that overwrites blindly breaks the stale-write rule.
        var error = await Should.ThrowAsync<MappingStoreContractException>(() => MappingStoreContract.RunAsync("a-stale-version-with-other-content-conflicts", _ => new LastWriteWinsStore()));
        error.Message.ShouldContain("should fail with MappingConflictException");
    }

    [Fact]
    public async Task Two_processes_worth_of_stores_share_one_sqlite_file_through_its_constraints()
    {
        var path = Path.Combine(_directory, "shared.db");
        var scope = new MappingScope("managem", new SellerScope("s"));
        var first = new SqliteMappingStore(path);
        var second = new SqliteMappingStore(path);

        await first.UpsertAsync(MappingStoreContract.Sample(scope, "sku-1", "lst_1"));
        var seen = await second.FindByReferenceAsync(scope, "sku-1");
        await Should.ThrowAsync<MappingConflictException>(() => second.UpsertAsync(MappingStoreContract.Sample(scope, "sku-2", "lst_1")).AsTask());

        seen.ShouldNotBeNull().Version.ShouldBe(1);
        File.Exists(path + "-wal").ShouldBeTrue("the database runs in WAL mode");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private sealed class LastWriteWinsStore : IMappingStore
    {
        private readonly InMemoryMappingStore _inner = new();

        public ValueTask<ListingMapping?> FindByReferenceAsync(MappingScope scope, string reference, CancellationToken cancellationToken = default) => _inner.FindByReferenceAsync(scope, reference, cancellationToken);

        public ValueTask<ListingMapping?> FindByListingIdAsync(MappingScope scope, string listingId, CancellationToken cancellationToken = default) => _inner.FindByListingIdAsync(scope, listingId, cancellationToken);

        public IAsyncEnumerable<ListingMapping> ListAsync(MappingScope scope, CancellationToken cancellationToken = default) => _inner.ListAsync(scope, cancellationToken);

        public async ValueTask<ListingMapping> UpsertAsync(ListingMapping mapping, CancellationToken cancellationToken = default)
        {
            var stored = await _inner.FindByReferenceAsync(mapping.Scope, mapping.Reference, cancellationToken);
            return await _inner.UpsertAsync(mapping with { Version = stored?.Version ?? 0 }, cancellationToken);
        }

        public async ValueTask<IReadOnlyList<ListingMapping>> UpsertManyAsync(IReadOnlyList<ListingMapping> mappings, CancellationToken cancellationToken = default)
        {
            var written = new List<ListingMapping>();
            foreach (var mapping in mappings)
            {
                written.Add(await UpsertAsync(mapping, cancellationToken));
            }

            return written;
        }

        public ValueTask<string?> GetCursorAsync(MappingScope scope, string name, CancellationToken cancellationToken = default) => _inner.GetCursorAsync(scope, name, cancellationToken);

        public ValueTask SetCursorAsync(MappingScope scope, string name, string value, CancellationToken cancellationToken = default) => _inner.SetCursorAsync(scope, name, value, cancellationToken);

        public ValueTask<bool> TryRecordEventAsync(MappingScope scope, string eventId, DateTimeOffset receivedAt, CancellationToken cancellationToken = default) => _inner.TryRecordEventAsync(scope, eventId, receivedAt, cancellationToken);

        public ValueTask<int> PurgeEventsAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default) => _inner.PurgeEventsAsync(olderThan, cancellationToken);

        public ValueTask<MappingLease?> TryAcquireLeaseAsync(MappingScope scope, string holder, TimeSpan duration, CancellationToken cancellationToken = default) => _inner.TryAcquireLeaseAsync(scope, holder, duration, cancellationToken);

        public ValueTask<MappingLease?> RenewLeaseAsync(MappingLease lease, TimeSpan duration, CancellationToken cancellationToken = default) => _inner.RenewLeaseAsync(lease, duration, cancellationToken);

        public ValueTask ReleaseLeaseAsync(MappingLease lease, CancellationToken cancellationToken = default) => _inner.ReleaseLeaseAsync(lease, cancellationToken);

        public ValueTask<MappingLease?> GetLeaseAsync(MappingScope scope, CancellationToken cancellationToken = default) => _inner.GetLeaseAsync(scope, cancellationToken);
    }
}
