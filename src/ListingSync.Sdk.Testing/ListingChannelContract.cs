using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;

namespace ListingSync.Sdk.Testing;

/// <summary>
/// The behaviour every <see cref="IListingChannel"/> must have, as runnable checks that need no test framework. Run each
/// case against a fresh subject (a fresh emulator or seller); a broken rule throws <see cref="ListingChannelContractException"/>.
/// </summary>
/// <example>
/// <code>
/// public static TheoryData&lt;string&gt; Cases => new(ListingChannelContract.CaseNames);
///
/// [Theory, MemberData(nameof(Cases))]
/// public Task MyChannel_meets_the_contract(string name) =&gt; ListingChannelContract.RunAsync(name, StartMyChannelAsync);
/// </code>
/// </example>
public static class ListingChannelContract
{
    private static readonly Dictionary<string, Func<ListingChannelContractSubject, Task>> Cases = new(StringComparer.Ordinal)
    {
        ["one-result-per-draft-in-input-order"] = OneResultPerDraft,
        ["invalid-drafts-are-never-sent"] = InvalidNeverSent,
        ["removal-is-idempotent"] = RemovalIdempotent,
        ["a-missing-capability-throws-naming-it"] = MissingCapability,
        ["pages-resume-from-a-continuation-token"] = PagesResume,
        ["a-pre-existing-listing-is-adopted-not-duplicated"] = PreExistingAdopted,
        ["an-interrupted-create-is-not-repeated-on-re-run"] = InterruptedCreateNotRepeated,
    };

    /// <summary>The names of every case.</summary>
    public static IReadOnlyList<string> CaseNames { get; } = [.. Cases.Keys];

    /// <summary>Runs one case against a fresh subject from <paramref name="start"/>, disposed afterwards.</summary>
    public static async Task RunAsync(string caseName, Func<Task<ListingChannelContractSubject>> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (!Cases.TryGetValue(caseName, out var run))
        {
            throw new ArgumentException($"No contract case '{caseName}'.", nameof(caseName));
        }

        var subject = await start().ConfigureAwait(false);
        await using (subject.ConfigureAwait(false))
        {
            await run(subject).ConfigureAwait(false);
        }
    }

    private static async Task OneResultPerDraft(ListingChannelContractSubject s)
    {
        if (!s.Channel.Capabilities.HasFlag(ChannelCapabilities.CreateListings))
        {
            return; // covered by a-missing-capability-throws-naming-it
        }

        var drafts = new[] { s.Draft(1), Invalid(s.Draft(2)), s.Draft(3), s.Draft(4) };
        var results = await s.Channel.CreateListingsAsync(s.Seller, drafts).ConfigureAwait(false);
        Check(results.Count == drafts.Length, $"CreateListingsAsync returned {results.Count} results for {drafts.Length} drafts; one per draft is required");
        for (var i = 0; i < drafts.Length; i++)
        {
            Check(results[i].Index == i, $"result {i} has Index {results[i].Index}; results must be in input order");
            Check(string.Equals(results[i].Reference, drafts[i].Reference, StringComparison.Ordinal), $"result {i} names reference '{results[i].Reference}', the draft was '{drafts[i].Reference}'");
        }

        Check(results[1].Status == ListingWriteStatus.Rejected && results[1].Errors.Count > 0, $"the invalid draft came back {results[1].Status} without field errors; it must be Rejected with the field named");
        Check(results.Where((_, i) => i != 1).All(r => r.Status == ListingWriteStatus.Succeeded), "a valid draft next to an invalid one did not succeed: one bad draft must not stop the others");
    }

    private static async Task InvalidNeverSent(ListingChannelContractSubject s)
    {
        if (!s.Channel.Capabilities.HasFlag(ChannelCapabilities.CreateListings))
        {
            return;
        }

        var before = await s.CountListings().ConfigureAwait(false);
        var results = await s.Channel.CreateListingsAsync(s.Seller, [Invalid(s.Draft(1)), Invalid(s.Draft(2)) with { Quantity = -1 }]).ConfigureAwait(false);
        var after = await s.CountListings().ConfigureAwait(false);
        Check(results.All(r => r.Status == ListingWriteStatus.Rejected), "invalid drafts must be Rejected");
        Check(after == before, $"the marketplace went from {before} to {after} listings after a create of invalid drafts only: invalid drafts must never be sent");
    }

    private static async Task RemovalIdempotent(ListingChannelContractSubject s)
    {
        if ((s.Channel.Capabilities & (ChannelCapabilities.DeleteListings | ChannelCapabilities.Delist)) == 0
            || !s.Channel.Capabilities.HasFlag(ChannelCapabilities.CreateListings))
        {
            return;
        }

        var created = (await s.Channel.CreateListingsAsync(s.Seller, [s.Draft(1)]).ConfigureAwait(false))[0];
        var id = created.ListingId ?? throw new ListingChannelContractException("a create did not report the new listing's id; removal cannot be checked");
        var first = await s.Channel.RemoveListingAsync(s.Seller, id).ConfigureAwait(false);
        var second = await s.Channel.RemoveListingAsync(s.Seller, id).ConfigureAwait(false);
        Check(first.IsSuccess, $"removing {id} came back {first.Status}");
        Check(second.IsSuccess, $"removing {id} a second time came back {second.Status}; removing what is already gone must succeed");
    }

    private static async Task MissingCapability(ListingChannelContractSubject s)
    {
        var channel = s.Channel;
        var draft = s.Draft(1);
        var calls = new (ChannelCapabilities Capability, Func<Task> Call)[]
        {
            (ChannelCapabilities.ReadListings, async () => await channel.GetListingsPageAsync(s.Seller).ConfigureAwait(false)),
            (ChannelCapabilities.GetListing, async () => await channel.GetListingAsync(s.Seller, "contract-missing").ConfigureAwait(false)),
            (ChannelCapabilities.CreateListings, async () => await channel.CreateListingsAsync(s.Seller, [draft]).ConfigureAwait(false)),
            (ChannelCapabilities.UpdateListings, async () => await channel.UpdateListingAsync(s.Seller, "contract-missing", draft).ConfigureAwait(false)),
        };
        foreach (var (capability, call) in calls.Where(c => !channel.Capabilities.HasFlag(c.Capability)))
        {
            try
            {
                await call().ConfigureAwait(false);
                throw new ListingChannelContractException($"{channel.Name} lacks {capability} but the call did not throw NotSupportedException");
            }
            catch (NotSupportedException ex)
            {
                Check(ex.Message.Contains(capability.ToString(), StringComparison.Ordinal), $"NotSupportedException for {capability} must name it; it said: {ex.Message}");
            }
        }
    }

    private static async Task PagesResume(ListingChannelContractSubject s)
    {
        if (!s.Channel.Capabilities.HasFlag(ChannelCapabilities.ReadListings))
        {
            return;
        }

        const int Count = 7;
        foreach (var i in Enumerable.Range(1, Count))
        {
            await s.SeedWithoutReference(s.Draft(i)).ConfigureAwait(false);
        }

        var streamed = new List<string>();
        await foreach (var listing in s.Channel.GetListingsAsync(s.Seller).ConfigureAwait(false))
        {
            streamed.Add(listing.Id);
        }

        // Page by page, as a job that stores the token and resumes after a restart does: a fresh call per page.
        var paged = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await s.Channel.GetListingsPageAsync(s.Seller, token).ConfigureAwait(false);
            paged.AddRange(page.Items.Select(l => l.Id));
            token = page.ContinuationToken;
            Check(++pages <= Count + 1, "the continuation token never ran out");
        }
        while (token is not null);

        Check(streamed.Count == Count && streamed.Distinct(StringComparer.Ordinal).Count() == Count, $"streaming gave {streamed.Count} listings ({streamed.Distinct(StringComparer.Ordinal).Count()} distinct) of {Count}");
        Check(paged.SequenceEqual(streamed, StringComparer.Ordinal), "reading page by page with continuation tokens gave other listings than streaming");
    }

    private static async Task PreExistingAdopted(ListingChannelContractSubject s)
    {
        if (!s.Channel.Capabilities.HasFlag(ChannelCapabilities.ReadListings))
        {
            return; // a channel that cannot list cannot see what was listed before the integration: the plan says so
        }

        var draft = s.Draft(1);
        await s.SeedWithoutReference(draft).ConfigureAwait(false);
        var store = new InMemoryMappingStore();
        var reconciler = new Reconciler(store);
        var plan = await reconciler.PlanAsync(s.Channel, s.Seller, One(draft)).ConfigureAwait(false);
        Check(plan.Count(PlanAction.Create) == 0 && plan.Count(PlanAction.Link) == 1, $"a listing that existed before the integration was planned as {plan.Count(PlanAction.Create)} create(s) and {plan.Count(PlanAction.Link)} link(s); it must be adopted by {string.Join(" / ", s.Channel.MatchKeys)}");
        await reconciler.ApplyAsync(s.Channel, plan).ConfigureAwait(false);
        var again = await reconciler.PlanAsync(s.Channel, s.Seller, One(draft)).ConfigureAwait(false);
        var count = await s.CountListings().ConfigureAwait(false);
        Check(count == 1, $"the marketplace has {count} listings of one product after adopting it");
        Check(again.Count(PlanAction.Create) == 0, "the second plan wants to create the adopted product");
    }

    private static async Task InterruptedCreateNotRepeated(ListingChannelContractSubject s)
    {
        if (!s.Channel.Capabilities.HasFlag(ChannelCapabilities.CreateListings))
        {
            return;
        }

        var drafts = new[] { s.Draft(1), s.Draft(2) };
        var store = new InMemoryMappingStore();
        var reconciler = new Reconciler(store);
        s.LoseNextCreateAnswer();
        var first = await reconciler.PlanAsync(s.Channel, s.Seller, Many(drafts)).ConfigureAwait(false);
        var interrupted = await reconciler.ApplyAsync(s.Channel, first).ConfigureAwait(false);
        Check(interrupted.Results.All(r => r.Status != ListingWriteStatus.Failed && r.Status != ListingWriteStatus.Rejected), "a create whose answer was lost was reported Failed; its outcome is unknown");

        for (var pass = 0; pass < 2; pass++)
        {
            var plan = await reconciler.PlanAsync(s.Channel, s.Seller, Many(drafts)).ConfigureAwait(false);
            await reconciler.ApplyAsync(s.Channel, plan).ConfigureAwait(false);
        }

        var count = await s.CountListings().ConfigureAwait(false);
        Check(count == drafts.Length, $"the marketplace has {count} listings of {drafts.Length} products after a create whose answer was lost and two re-runs: a create must not be repeated");
    }

    private static ListingDraft Invalid(ListingDraft draft) => draft with { Price = new Money(-1m, draft.Price.Currency) };

    private static async IAsyncEnumerable<ListingDraft> One(ListingDraft draft)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield return draft;
    }

    private static async IAsyncEnumerable<ListingDraft> Many(IEnumerable<ListingDraft> drafts)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var draft in drafts)
        {
            yield return draft;
        }
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new ListingChannelContractException(message);
        }
    }
}
