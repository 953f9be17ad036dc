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

    private sealed class LastWriteWinsStore() : DelegatingMappingStore(new InMemoryMappingStore())
    {
        public override async ValueTask<ListingMapping> UpsertAsync(ListingMapping mapping, CancellationToken cancellationToken = default)
        {
            var stored = await Inner.FindByReferenceAsync(mapping.Scope, mapping.Reference, cancellationToken);
            return await Inner.UpsertAsync(mapping with { Version = stored?.Version ?? 0 }, cancellationToken);
        }

        public override async ValueTask<IReadOnlyList<ListingMapping>> UpsertManyAsync(IReadOnlyList<ListingMapping> mappings, CancellationToken cancellationToken = default)
        {
            var written = new List<ListingMapping>();
            foreach (var mapping in mappings)
            {
                written.Add(await UpsertAsync(mapping, cancellationToken));
            }

            return written;
        }
    }
}
