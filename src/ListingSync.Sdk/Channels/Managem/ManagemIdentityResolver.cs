using System.Collections.Concurrent;
using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels.Managem;

/// <summary>
/// Maps host items to Managem catalogue items in the order Managem recommends — URN, Cardmarket id, TCGplayer
/// id, game + set + name — falling through when an identifier finds nothing, and reporting what it cannot
/// resolve instead of guessing. URNs are looked up 200 per call; every distinct identifier is asked once per call,
/// and Cardmarket and TCGplayer ids that resolved are remembered for the resolver's lifetime (catalogue mappings do not
/// move), so a second reconciliation pass asks nothing again. Ids that found nothing are asked again next time. Lookups
/// of one kind run <see cref="MaxConcurrency"/> at a time, paced by the client's rate limiter. The reconciler also
/// remembers resolved identities in the mapping store, so a new process asks nothing for products it already mapped.
/// </summary>
public sealed class ManagemIdentityResolver : IIdentityResolver
{
    private readonly ManagemClient _client;
    private readonly ConcurrentDictionary<long, ManagemItem> _knownCardmarket = new();
    private readonly ConcurrentDictionary<long, ManagemItem> _knownTcgplayer = new();

    /// <summary>Creates a resolver over <paramref name="client"/>.</summary>
    public ManagemIdentityResolver(ManagemClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

    /// <summary>Resolves every identity; one result per input, in input order.</summary>
    public async Task<IReadOnlyList<IdentityResolution>> ResolveAsync(SellerScope seller, IReadOnlyList<ItemIdentity> identities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identities);
        var results = new IdentityResolution?[identities.Count];
        var notes = new List<string>?[identities.Count];
        void Note(int i, string text) => (notes[i] ??= []).Add(text);

        // 1. URNs, batched.
        var byUrn = (await _client.Items.GetByUrnAsync(
                seller,
                identities.Where(id => id?.Urn is { } u && ManagemValidator.IsCanonicalUrn(u)).Select(id => id.Urn!),
                cancellationToken).ConfigureAwait(false))
            .GroupBy(i => i.Urn, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        for (var i = 0; i < identities.Count; i++)
        {
            var id = identities[i];
            if (id?.Urn is not { Length: > 0 } urn)
            {
                continue;
            }

            if (!ManagemValidator.IsCanonicalUrn(urn))
            {
                Note(i, $"URN '{urn}' is not canonical");
            }
            else if (byUrn.TryGetValue(urn, out var item))
            {
                results[i] = Resolved(i, id, item, ItemIdentityKind.Urn);
            }
            else
            {
                Note(i, $"URN '{urn}' not in the catalogue");
            }
        }

        // 2-4. External ids, then names: every distinct key asked once, the lookups of a phase in flight together
        // (MaxConcurrency at once; the client's rate limiter sets the pace), each phase only for what is still open.
        var cardmarket = await LookupAsync(
            identities, results, id => id.CardmarketId, _knownCardmarket, (cm, ct) => _client.Items.FindByCardmarketIdAsync(seller, cm, ct), cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < identities.Count; i++)
        {
            if (results[i] is null && identities[i]?.CardmarketId is { } cm)
            {
                if (cardmarket.GetValueOrDefault(cm) is { } item)
                {
                    results[i] = Resolved(i, identities[i], item, ItemIdentityKind.CardmarketId);
                }
                else
                {
                    Note(i, $"Cardmarket id {cm} not mapped");
                }
            }
        }

        var tcgplayer = await LookupAsync(
            identities, results, id => id.TcgplayerId, _knownTcgplayer, (tp, ct) => _client.Items.FindByTcgplayerIdAsync(seller, tp, ct), cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < identities.Count; i++)
        {
            if (results[i] is null && identities[i]?.TcgplayerId is { } tp)
            {
                if (tcgplayer.GetValueOrDefault(tp) is { } item)
                {
                    results[i] = Resolved(i, identities[i], item, ItemIdentityKind.TcgplayerId);
                }
                else
                {
                    Note(i, $"TCGplayer id {tp} not mapped");
                }
            }
        }

        // 4. Game + set + name (+ number), exact matches only.
        var names = identities.Where((id, i) => results[i] is null && id is { HasGameSetName: true }).Select(NameKey).Distinct().ToList();
        var byName = new ConcurrentDictionary<(string, string, string), IReadOnlyList<ManagemItem>>();
        await Parallel.ForEachAsync(names, Concurrently(cancellationToken), async (key, ct) =>
            byName[key] = await _client.Items.SearchAsync(seller, key.Item1, key.Item2, key.Item3, cancellationToken: ct).ConfigureAwait(false)).ConfigureAwait(false);
        for (var i = 0; i < identities.Count; i++)
        {
            var id = identities[i];
            if (results[i] is not null || id is not { HasGameSetName: true })
            {
                continue;
            }

            var key = NameKey(id);
            var exact = byName[key].Where(c => Same(c.Game, key.Item1) && Same(c.SetName, key.Item2) && Same(c.Name, key.Item3)).ToList();
            if (id.Number is { Length: > 0 } number)
            {
                exact = exact.Where(c => Same(c.Number, number)).ToList();
            }

            if (exact.Count == 1)
            {
                results[i] = Resolved(i, id, exact[0], ItemIdentityKind.GameSetName);
            }
            else if (exact.Count > 1)
            {
                results[i] = new IdentityResolution
                {
                    Index = i,
                    Identity = id,
                    Status = IdentityResolutionStatus.Ambiguous,
                    Candidates = exact,
                    Reason = $"{exact.Count} items are named '{key.Item3}' in {key.Item1} / {key.Item2}; add the collector number or a URN",
                };
            }
            else
            {
                Note(i, $"no item named '{key.Item3}' in {key.Item1} / {key.Item2}");
            }
        }

        for (var i = 0; i < identities.Count; i++)
        {
            results[i] ??= new IdentityResolution
            {
                Index = i,
                Identity = identities[i] ?? new ItemIdentity(),
                Status = IdentityResolutionStatus.Unresolved,
                Reason = notes[i] is { } n ? string.Join("; ", n) : "no URN, Cardmarket id, TCGplayer id or game + set + name to resolve by",
            };
        }

        return results!;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<(ItemIdentity? Resolved, string? Problem)>> ResolveIdentitiesAsync(SellerScope seller, IReadOnlyList<ItemIdentity> identities, CancellationToken cancellationToken = default) =>
        (await ResolveAsync(seller, identities, cancellationToken).ConfigureAwait(false))
            .Select(r => r.Status == IdentityResolutionStatus.Resolved
                ? ((ItemIdentity?)MergeResolved(r.Identity, r.Item!), (string?)null)
                : (null, $"{r.Status}: {r.Reason}"))
            .ToList();

    /// <inheritdoc />
    public bool IsResolved(ItemIdentity identity) => ManagemValidator.IsCanonicalUrn(identity?.Urn);

    private static ItemIdentity MergeResolved(ItemIdentity asked, ManagemItem item) => item.ToIdentity() with
    {
        CardmarketId = item.CardmarketId ?? asked.CardmarketId,
        TcgplayerId = item.TcgplayerId ?? asked.TcgplayerId,
        Sku = asked.Sku,
        Gtin = asked.Gtin,
    };

    /// <summary>Lookups of one kind in flight at once. Default 8; the client's rate limiter still sets the pace.</summary>
    public int MaxConcurrency { get; init; } = 8;

    private ParallelOptions Concurrently(CancellationToken cancellationToken) => new() { MaxDegreeOfParallelism = Math.Max(1, MaxConcurrency), CancellationToken = cancellationToken };

    /// <summary>Looks up every distinct id of the still-open identities that memory does not know, concurrently; remembers what resolved.</summary>
    private async Task<Dictionary<long, ManagemItem?>> LookupAsync(IReadOnlyList<ItemIdentity> identities, IdentityResolution?[] results, Func<ItemIdentity, long?> idOf, ConcurrentDictionary<long, ManagemItem> known, Func<long, CancellationToken, Task<ManagemItem?>> find, CancellationToken cancellationToken)
    {
        var found = new Dictionary<long, ManagemItem?>();
        var ask = new List<long>();
        for (var i = 0; i < identities.Count; i++)
        {
            if (results[i] is null && identities[i] is { } id && idOf(id) is { } key && !found.ContainsKey(key))
            {
                found[key] = known.GetValueOrDefault(key);
                if (found[key] is null)
                {
                    ask.Add(key);
                }
            }
        }

        var answers = new ManagemItem?[ask.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, ask.Count), Concurrently(cancellationToken), async (n, ct) =>
            answers[n] = await find(ask[n], ct).ConfigureAwait(false)).ConfigureAwait(false);
        for (var n = 0; n < ask.Count; n++)
        {
            found[ask[n]] = answers[n];
            if (answers[n] is { } item)
            {
                known[ask[n]] = item;
            }
        }

        return found;
    }

    private static (string, string, string) NameKey(ItemIdentity id) => (id.Game!.Trim(), id.Set!.Trim(), id.Name!.Trim());

    private static bool Same(string? a, string b) => string.Equals(a?.Trim(), b, StringComparison.OrdinalIgnoreCase);

    private static IdentityResolution Resolved(int index, ItemIdentity identity, ManagemItem item, ItemIdentityKind kind) =>
        new() { Index = index, Identity = identity, Status = IdentityResolutionStatus.Resolved, Item = item, ResolvedBy = kind };
}
