using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using Microsoft.Extensions.Time.Testing;

namespace ListingSync.Sdk.Testing;

/// <summary>
/// The behaviour every <see cref="IMappingStore"/> must have, as runnable checks that need no test framework.
/// Run each case against a fresh store; a broken rule throws <see cref="MappingStoreContractException"/>.
/// </summary>
/// <example>
/// <code>
/// public static TheoryData&lt;string&gt; Cases => new(MappingStoreContract.CaseNames);
///
/// [Theory, MemberData(nameof(Cases))]
/// public Task MyStore_meets_the_contract(string name) =&gt; MappingStoreContract.RunAsync(name, clock =&gt; new MyStore(..., clock));
/// </code>
/// </example>
public static class MappingStoreContract
{
    private static readonly MappingScope Scope = new("managem", new SellerScope("contract-seller"));
    private static readonly MappingScope OtherSeller = new("managem", new SellerScope("other-seller"));
    private static readonly MappingScope OtherChannel = new("jtl", new SellerScope("contract-seller"));

    private static readonly Dictionary<string, Func<IMappingStore, FakeTimeProvider, Task>> ClockCases = new(StringComparer.Ordinal)
    {
        ["a-lease-has-one-holder-at-a-time"] = LeaseExclusive,
        ["an-expired-lease-passes-on-with-a-larger-token"] = LeaseExpires,
        ["renewing-extends-a-lease-and-fails-once-it-is-lost"] = LeaseRenew,
        ["a-released-lease-is-free-and-its-token-never-reused"] = LeaseRelease,
        ["a-fenced-write-needs-the-current-lease"] = FencedWrites,
        ["a-fenced-batch-with-a-lost-lease-writes-nothing"] = FencedBatch,
    };

    private static readonly Dictionary<string, Func<IMappingStore, Task>> Cases = new(StringComparer.Ordinal)
    {
        ["insert-then-find-by-reference-and-listing-id"] = InsertThenFind,
        ["find-many-references-returns-those-found"] = FindMany,
        ["a-new-mapping-has-version-0"] = NewNeedsVersionZero,
        ["an-update-with-the-stored-version-increments-it"] = UpdateIncrements,
        ["a-stale-version-with-other-content-conflicts"] = StaleConflicts,
        ["a-repeated-write-of-the-same-content-is-harmless"] = RepeatedWriteHarmless,
        ["a-listing-id-maps-to-one-reference-per-scope"] = ListingIdUnique,
        ["scopes-are-independent"] = ScopesIndependent,
        ["changing-the-listing-id-frees-the-old-one"] = ChangingListingIdFreesOld,
        ["list-streams-one-scope"] = ListOneScope,
        ["upsert-many-is-all-or-nothing"] = UpsertManyAtomic,
        ["state-identity-and-flags-round-trip"] = RoundTrip,
        ["cursors-round-trip-per-scope"] = Cursors,
        ["events-are-recorded-once-and-purged-by-age"] = Events,
        ["concurrent-creates-of-one-reference-let-exactly-one-win"] = ConcurrentCreates,
    };

    /// <summary>The names of every case.</summary>
    public static IReadOnlyList<string> CaseNames { get; } = [.. Cases.Keys, .. ClockCases.Keys];

    /// <summary>
    /// Runs one case against a fresh store from <paramref name="createStore"/> (disposed afterwards if disposable). The
    /// store must read time (lease expiry) from the <see cref="TimeProvider"/> it is given: the lease cases move it.
    /// </summary>
    public static async Task RunAsync(string caseName, Func<TimeProvider, IMappingStore> createStore)
    {
        ArgumentNullException.ThrowIfNull(createStore);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        Func<IMappingStore, Task> run = Cases.TryGetValue(caseName, out var plain) ? plain
            : ClockCases.TryGetValue(caseName, out var timed) ? s => timed(s, clock)
            : throw new ArgumentException($"No contract case '{caseName}'.", nameof(caseName));

        var store = createStore(clock);
        try
        {
            await run(store).ConfigureAwait(false);
        }
        finally
        {
            switch (store)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    /// <summary>A mapping with every field set, for tests.</summary>
    public static ListingMapping Sample(MappingScope scope, string reference, string? listingId) => new()
    {
        Scope = scope,
        Reference = reference,
        ListingId = listingId,
        Item = new ItemIdentity { Urn = "urn:managem:pokemon:set/base1/card/4", Game = "Pokemon", Set = "Base Set", Name = "Charizard", Number = "4", CardmarketId = 273603 },
        State = new ListingState
        {
            Price = Money.Gbp(189.99m),
            Quantity = 2,
            Available = 1,
            Visibility = ListingVisibility.Hidden,
            Condition = ListingCondition.LightlyPlayed,
            Language = "English",
            Variants = ["holo", "1st-edition"],
            ContentHash = "abc123",
        },
        RemoteUpdatedAt = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero),
        RemoteVersion = "7",
    };

    private static async Task InsertThenFind(IMappingStore store)
    {
        var written = await store.UpsertAsync(Sample(Scope, "sku-1", "lst_1")).ConfigureAwait(false);
        Check(written.Version == 1, $"a first write stores version 1 (got {written.Version})");
        var byReference = await store.FindByReferenceAsync(Scope, "sku-1").ConfigureAwait(false);
        var byId = await store.FindByListingIdAsync(Scope, "lst_1").ConfigureAwait(false);
        Check(byReference is not null && byReference.ListingId == "lst_1", "found by reference");
        Check(byId is not null && byId.Reference == "sku-1", "found by listing id");
        Check(await store.FindByReferenceAsync(Scope, "sku-2").ConfigureAwait(false) is null, "an unknown reference is null");
        Check(await store.FindByListingIdAsync(Scope, "lst_2").ConfigureAwait(false) is null, "an unknown listing id is null");
    }

    private static async Task FindMany(IMappingStore store)
    {
        await store.UpsertManyAsync([Sample(Scope, "sku-1", "lst_1"), Sample(Scope, "sku-2", null), Sample(OtherSeller, "sku-3", "lst_3")]).ConfigureAwait(false);
        var found = await store.FindByReferencesAsync(Scope, ["sku-1", "sku-2", "sku-3", "sku-9"]).ConfigureAwait(false);
        Check(found.Count == 2 && found["sku-1"].ListingId == "lst_1" && found["sku-2"].Version == 1, $"many references are found in one call, only in the scope asked (found {found.Count})");
    }

    private static async Task NewNeedsVersionZero(IMappingStore store)
    {
        await ExpectConflict(() => store.UpsertAsync(Sample(Scope, "sku-1", "lst_1") with { Version = 3 }), "a new mapping written with version 3").ConfigureAwait(false);
        Check(await store.FindByReferenceAsync(Scope, "sku-1").ConfigureAwait(false) is null, "nothing written after a conflict");
    }

    private static async Task UpdateIncrements(IMappingStore store)
    {
        var first = await store.UpsertAsync(Sample(Scope, "sku-1", null)).ConfigureAwait(false);
        var second = await store.UpsertAsync(first with { ListingId = "lst_9" }).ConfigureAwait(false);
        Check(second.Version == first.Version + 1, $"an update increments the version ({first.Version} -> {second.Version})");
        Check((await store.FindByListingIdAsync(Scope, "lst_9").ConfigureAwait(false))?.Reference == "sku-1", "the new listing id is found");
    }

    private static async Task StaleConflicts(IMappingStore store)
    {
        var first = await store.UpsertAsync(Sample(Scope, "sku-1", "lst_1")).ConfigureAwait(false);
        await store.UpsertAsync(first with { IsActive = false }).ConfigureAwait(false);
        await ExpectConflict(() => store.UpsertAsync(first with { NeedsReview = "stale writer" }), "a write based on version 1 after version 2").ConfigureAwait(false);
        var stored = await store.FindByReferenceAsync(Scope, "sku-1").ConfigureAwait(false);
        Check(stored is { IsActive: false, NeedsReview: null }, "the stale write changed nothing");
    }

    private static async Task RepeatedWriteHarmless(IMappingStore store)
    {
        var mapping = Sample(Scope, "sku-1", "lst_1");
        var first = await store.UpsertAsync(mapping).ConfigureAwait(false);
        var again = await store.UpsertAsync(mapping).ConfigureAwait(false);
        Check(again.Version == first.Version, $"repeating a write keeps the version ({first.Version}, then {again.Version})");
    }

    private static async Task ListingIdUnique(IMappingStore store)
    {
        await store.UpsertAsync(Sample(Scope, "sku-1", "lst_1")).ConfigureAwait(false);
        await ExpectConflict(() => store.UpsertAsync(Sample(Scope, "sku-2", "lst_1")), "mapping lst_1 to a second reference").ConfigureAwait(false);
        Check(await store.FindByReferenceAsync(Scope, "sku-2").ConfigureAwait(false) is null, "the conflicting mapping was not written");
    }

    private static async Task ScopesIndependent(IMappingStore store)
    {
        await store.UpsertAsync(Sample(Scope, "sku-1", "lst_1")).ConfigureAwait(false);
        await store.UpsertAsync(Sample(OtherSeller, "sku-1", "lst_1")).ConfigureAwait(false);
        await store.UpsertAsync(Sample(OtherChannel, "sku-1", "lst_1")).ConfigureAwait(false);
        Check((await store.FindByReferenceAsync(OtherSeller, "sku-1").ConfigureAwait(false))?.Scope == OtherSeller, "another seller has its own mapping");
        Check((await store.FindByListingIdAsync(OtherChannel, "lst_1").ConfigureAwait(false))?.Scope == OtherChannel, "another channel has its own mapping");
    }

    private static async Task ChangingListingIdFreesOld(IMappingStore store)
    {
        var first = await store.UpsertAsync(Sample(Scope, "sku-1", "lst_1")).ConfigureAwait(false);
        await store.UpsertAsync(first with { ListingId = "lst_2" }).ConfigureAwait(false);
        Check(await store.FindByListingIdAsync(Scope, "lst_1").ConfigureAwait(false) is null, "the old listing id no longer resolves");
        await store.UpsertAsync(Sample(Scope, "sku-2", "lst_1")).ConfigureAwait(false);
    }

    private static async Task ListOneScope(IMappingStore store)
    {
        for (var i = 0; i < 25; i++)
        {
            await store.UpsertAsync(Sample(Scope, $"sku-{i:D2}", $"lst_{i}")).ConfigureAwait(false);
        }

        await store.UpsertAsync(Sample(OtherSeller, "sku-x", "lst_x")).ConfigureAwait(false);
        var listed = new List<string>();
        await foreach (var mapping in store.ListAsync(Scope).ConfigureAwait(false))
        {
            listed.Add(mapping.Reference);
        }

        Check(listed.Count == 25 && listed.Distinct().Count() == 25 && !listed.Contains("sku-x"), $"list returns the scope's 25 mappings (got {listed.Count})");
    }

    private static async Task UpsertManyAtomic(IMappingStore store)
    {
        await store.UpsertAsync(Sample(Scope, "taken", "lst_taken")).ConfigureAwait(false);
        var batch = new[] { Sample(Scope, "a", "lst_a"), Sample(Scope, "b", "lst_taken"), Sample(Scope, "c", "lst_c") };
        await ExpectConflict(() => store.UpsertManyAsync(batch), "a batch with one conflicting mapping").ConfigureAwait(false);
        Check(await store.FindByReferenceAsync(Scope, "a").ConfigureAwait(false) is null, "no mapping of a failed batch was written");
        var written = await store.UpsertManyAsync([Sample(Scope, "a", "lst_a"), Sample(Scope, "c", "lst_c")]).ConfigureAwait(false);
        Check(written.Count == 2 && written.All(m => m.Version == 1), "a good batch is written whole");
    }

    private static async Task RoundTrip(IMappingStore store)
    {
        var mapping = Sample(Scope, "  spaced reference ü  ", "lst_1") with { IsActive = false, NeedsReview = "duplicate of lst_2" };
        await store.UpsertAsync(mapping).ConfigureAwait(false);
        var stored = await store.FindByReferenceAsync(Scope, mapping.Reference).ConfigureAwait(false);
        Check(stored is not null, "found");
        Check(Equals(stored!.Item, mapping.Item), "item identity round-trips");
        Check(stored.State is { } s && s.Price == mapping.State!.Price && s.Quantity == 2 && s.Available == 1 && s.Visibility == ListingVisibility.Hidden
            && s.Condition == ListingCondition.LightlyPlayed && s.Language == "English" && s.Variants.SequenceEqual(["holo", "1st-edition"]) && s.ContentHash == "abc123", "state round-trips");
        Check(stored.RemoteUpdatedAt == mapping.RemoteUpdatedAt && stored.RemoteVersion == "7", "remote version and time round-trip");
        Check(!stored.IsActive && stored.NeedsReview == "duplicate of lst_2", "flags round-trip");
    }

    private static async Task Cursors(IMappingStore store)
    {
        Check(await store.GetCursorAsync(Scope, "stock").ConfigureAwait(false) is null, "an unwritten cursor is null");
        await store.SetCursorAsync(Scope, "stock", "2026-01-01T00:00:00+00:00").ConfigureAwait(false);
        await store.SetCursorAsync(Scope, "stock", "2026-01-02T00:00:00+00:00").ConfigureAwait(false);
        Check(await store.GetCursorAsync(Scope, "stock").ConfigureAwait(false) == "2026-01-02T00:00:00+00:00", "the last write wins");
        Check(await store.GetCursorAsync(OtherSeller, "stock").ConfigureAwait(false) is null, "cursors are per scope");
    }

    private static async Task Events(IMappingStore store)
    {
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Check(!await store.HasEventAsync(Scope, "evt_1").ConfigureAwait(false), "an unknown event is not known");
        Check(await store.TryRecordEventAsync(Scope, "evt_1", t0).ConfigureAwait(false), "a first event is recorded");
        Check(await store.HasEventAsync(Scope, "evt_1").ConfigureAwait(false), "a recorded event is known");
        Check(!await store.HasEventAsync(OtherSeller, "evt_1").ConfigureAwait(false), "known per scope");
        Check(!await store.TryRecordEventAsync(Scope, "evt_1", t0.AddMinutes(1)).ConfigureAwait(false), "a duplicate is refused");
        Check(await store.TryRecordEventAsync(OtherSeller, "evt_1", t0).ConfigureAwait(false), "event ids are per scope");
        await store.TryRecordEventAsync(Scope, "evt_2", t0.AddHours(1)).ConfigureAwait(false);
        var purged = await store.PurgeEventsAsync(t0.AddMinutes(30)).ConfigureAwait(false);
        Check(purged == 2, $"purge removes events older than the cut-off (removed {purged})");
        Check(!await store.TryRecordEventAsync(Scope, "evt_2", t0).ConfigureAwait(false), "newer events are kept");
    }

    private static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(30);

    private static async Task LeaseExclusive(IMappingStore store, FakeTimeProvider clock)
    {
        var a = await store.TryAcquireLeaseAsync(Scope, "worker-a", LeaseTime).ConfigureAwait(false);
        Check(a is { Holder: "worker-a" } && a.Token > 0 && a.ExpiresAt == clock.GetUtcNow() + LeaseTime, $"a free lease is taken, expiring a lease-time from now (got {a})");
        Check(await store.TryAcquireLeaseAsync(Scope, "worker-b", LeaseTime).ConfigureAwait(false) is null, "a held lease is refused to another holder");
        var current = await store.GetLeaseAsync(Scope).ConfigureAwait(false);
        Check(current is { Holder: "worker-a" } && current.Token == a!.Token && current.AcquiredAt == a.AcquiredAt, "the current lease names its holder and since when");
        Check(await store.TryAcquireLeaseAsync(OtherSeller, "worker-b", LeaseTime).ConfigureAwait(false) is not null, "another seller's lease is independent");
        Check(await store.TryAcquireLeaseAsync(OtherChannel, "worker-b", LeaseTime).ConfigureAwait(false) is not null, "another channel's lease is independent");
    }

    private static async Task LeaseExpires(IMappingStore store, FakeTimeProvider clock)
    {
        var a = (await store.TryAcquireLeaseAsync(Scope, "worker-a", LeaseTime).ConfigureAwait(false))!;
        clock.Advance(LeaseTime + TimeSpan.FromSeconds(1));
        Check(await store.GetLeaseAsync(Scope).ConfigureAwait(false) is null, "an expired lease is no longer current");
        var b = await store.TryAcquireLeaseAsync(Scope, "worker-b", LeaseTime).ConfigureAwait(false);
        Check(b is not null && b.Token > a.Token, $"an expired lease passes on with a larger fencing token ({a.Token} -> {b?.Token})");
        Check(await store.RenewLeaseAsync(a, LeaseTime).ConfigureAwait(false) is null, "the old holder cannot renew a lease that passed on");
    }

    private static async Task LeaseRenew(IMappingStore store, FakeTimeProvider clock)
    {
        var a = (await store.TryAcquireLeaseAsync(Scope, "worker-a", LeaseTime).ConfigureAwait(false))!;
        clock.Advance(LeaseTime / 2);
        var renewed = await store.RenewLeaseAsync(a, LeaseTime).ConfigureAwait(false);
        Check(renewed is not null && renewed.Token == a.Token && renewed.ExpiresAt == clock.GetUtcNow() + LeaseTime, "renewing keeps the token and extends from now");
        clock.Advance(LeaseTime * 3 / 4);
        Check(await store.TryAcquireLeaseAsync(Scope, "worker-b", LeaseTime).ConfigureAwait(false) is null, "a renewed lease still holds past its first expiry");
        clock.Advance(LeaseTime);
        Check(await store.RenewLeaseAsync(a, LeaseTime).ConfigureAwait(false) is null, "a lease that expired cannot be renewed");
    }

    private static async Task LeaseRelease(IMappingStore store, FakeTimeProvider clock)
    {
        var a = (await store.TryAcquireLeaseAsync(Scope, "worker-a", LeaseTime).ConfigureAwait(false))!;
        await store.ReleaseLeaseAsync(a).ConfigureAwait(false);
        Check(await store.GetLeaseAsync(Scope).ConfigureAwait(false) is null, "a released lease is free");
        var b = await store.TryAcquireLeaseAsync(Scope, "worker-b", LeaseTime).ConfigureAwait(false);
        Check(b is not null && b.Token > a.Token, "after a release the next holder gets a larger token");
        await store.ReleaseLeaseAsync(a).ConfigureAwait(false);
        Check((await store.GetLeaseAsync(Scope).ConfigureAwait(false))?.Holder == "worker-b", "releasing a lease one no longer holds changes nothing");
    }

    private static async Task FencedWrites(IMappingStore store, FakeTimeProvider clock)
    {
        var a = (await store.TryAcquireLeaseAsync(Scope, "worker-a", LeaseTime).ConfigureAwait(false))!;
        var written = await store.UpsertAsync(Sample(Scope, "sku-1", "lst_1") with { LeaseToken = a.Token }).ConfigureAwait(false);
        Check(written.Version == 1, "a write under the current lease is stored");
        Check((await store.FindByReferenceAsync(Scope, "sku-1").ConfigureAwait(false))?.LeaseToken is null, "the lease token is not stored");
        clock.Advance(LeaseTime + TimeSpan.FromSeconds(1));
        var b = (await store.TryAcquireLeaseAsync(Scope, "worker-b", LeaseTime).ConfigureAwait(false))!;
        await ExpectLeaseLost(() => store.UpsertAsync(Sample(Scope, "sku-2", "lst_2") with { LeaseToken = a.Token }), "a write under an expired, passed-on lease").ConfigureAwait(false);
        Check(await store.FindByReferenceAsync(Scope, "sku-2").ConfigureAwait(false) is null, "a refused fenced write stores nothing");
        Check((await store.UpsertAsync(Sample(Scope, "sku-3", "lst_3") with { LeaseToken = b.Token }).ConfigureAwait(false)).Version == 1, "the new holder writes");
        Check((await store.UpsertAsync(Sample(Scope, "sku-4", "lst_4")).ConfigureAwait(false)).Version == 1, "a write without a lease token is not fenced");
        await store.ReleaseLeaseAsync(b).ConfigureAwait(false);
        await ExpectLeaseLost(() => store.UpsertAsync(Sample(Scope, "sku-5", "lst_5") with { LeaseToken = b.Token }), "a write under a released lease").ConfigureAwait(false);
    }

    private static async Task FencedBatch(IMappingStore store, FakeTimeProvider clock)
    {
        var a = (await store.TryAcquireLeaseAsync(Scope, "worker-a", LeaseTime).ConfigureAwait(false))!;
        clock.Advance(LeaseTime + TimeSpan.FromSeconds(1));
        await ExpectLeaseLost(() => store.UpsertManyAsync([Sample(Scope, "sku-1", "lst_1") with { LeaseToken = a.Token }, Sample(Scope, "sku-2", "lst_2") with { LeaseToken = a.Token }]), "a batch under an expired lease").ConfigureAwait(false);
        Check(await store.FindByReferenceAsync(Scope, "sku-1").ConfigureAwait(false) is null && await store.FindByReferenceAsync(Scope, "sku-2").ConfigureAwait(false) is null, "a refused batch stores none of its mappings");
    }

    private static async Task ExpectLeaseLost<T>(Func<ValueTask<T>> write, string what)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (MappingLeaseLostException)
        {
            return;
        }

        throw new MappingStoreContractException($"{what} must throw MappingLeaseLostException.");
    }

    private static async Task ConcurrentCreates(IMappingStore store)
    {
        var writers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await store.UpsertAsync(Sample(Scope, "contended", $"lst_{i}")).ConfigureAwait(false);
                return true;
            }
            catch (MappingConflictException)
            {
                return false;
            }
        }));
        var outcomes = await Task.WhenAll(writers).ConfigureAwait(false);
        Check(outcomes.Count(won => won) == 1, $"exactly one of 8 concurrent creates wins (won: {outcomes.Count(w => w)})");
    }

    private static async Task ExpectConflict<T>(Func<ValueTask<T>> write, string what)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (MappingConflictException)
        {
            return;
        }

        throw new MappingStoreContractException($"{what} should fail with MappingConflictException but succeeded.");
    }

    private static void Check(bool condition, string rule)
    {
        if (!condition)
        {
            throw new MappingStoreContractException("Broken: " + rule);
        }
    }
}
