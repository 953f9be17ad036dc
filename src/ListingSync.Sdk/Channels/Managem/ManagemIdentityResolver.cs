using System.Collections.Concurrent;
using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Channels.Managem;

/// <summary>
/// Maps host items to Managem catalogue items in the order Managem recommends — URN, Cardmarket id, TCGplayer
/// id, game + set + name — falling through when an identifier finds nothing, and reporting what it cannot
/// resolve instead of guessing. URNs are looked up 200 per call; every distinct identifier is asked once per call,
/// and Cardmarket and TCGplayer ids that resolved are remembered for the resolver's lifetime (catalogue mappings do not
/// move), so a second reconciliation pass asks nothing again. Ids that found nothing are asked again next time.
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
        var byUrn = (await _client.GetItemsByUrnAsync(
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

        // 2-3. External ids, each distinct id asked once.
        var cardmarket = new Dictionary<long, ManagemItem?>();
        var tcgplayer = new Dictionary<long, ManagemItem?>();
        var byName = new Dictionary<(string, string, string), IReadOnlyList<ManagemItem>>();
        for (var i = 0; i < identities.Count; i++)
        {
            var id = identities[i];
            if (results[i] is not null || id is null)
            {
                continue;
            }

            if (id.CardmarketId is { } cm)
            {
                if (!cardmarket.TryGetValue(cm, out var item))
                {
                    item = _knownCardmarket.GetValueOrDefault(cm) ?? await _client.FindItemByCardmarketIdAsync(seller, cm, cancellationToken).ConfigureAwait(false);
                    cardmarket[cm] = item;
                    if (item is not null)
                    {
                        _knownCardmarket[cm] = item;
                    }
                }

                if (item is not null)
                {
                    results[i] = Resolved(i, id, item, ItemIdentityKind.CardmarketId);
                    continue;
                }

                Note(i, $"Cardmarket id {cm} not mapped");
            }

            if (id.TcgplayerId is { } tp)
            {
                if (!tcgplayer.TryGetValue(tp, out var item))
                {
                    item = _knownTcgplayer.GetValueOrDefault(tp) ?? await _client.FindItemByTcgplayerIdAsync(seller, tp, cancellationToken).ConfigureAwait(false);
                    tcgplayer[tp] = item;
                    if (item is not null)
                    {
                        _knownTcgplayer[tp] = item;
                    }
                }

                if (item is not null)
                {
                    results[i] = Resolved(i, id, item, ItemIdentityKind.TcgplayerId);
                    continue;
                }

                Note(i, $"TCGplayer id {tp} not mapped");
            }

            // 4. Game + set + name (+ number), exact matches only.
            if (id.HasGameSetName)
            {
                var key = (id.Game!.Trim(), id.Set!.Trim(), id.Name!.Trim());
                if (!byName.TryGetValue(key, out var candidates))
                {
                    candidates = await _client.SearchItemsAsync(seller, key.Item1, key.Item2, key.Item3, cancellationToken: cancellationToken).ConfigureAwait(false);
                    byName[key] = candidates;
                }

                var exact = candidates.Where(c => Same(c.Game, key.Item1) && Same(c.SetName, key.Item2) && Same(c.Name, key.Item3)).ToList();
                if (id.Number is { Length: > 0 } number)
                {
                    exact = exact.Where(c => Same(c.Number, number)).ToList();
                }

                if (exact.Count == 1)
                {
                    results[i] = Resolved(i, id, exact[0], ItemIdentityKind.GameSetName);
                    continue;
                }

                if (exact.Count > 1)
                {
                    results[i] = new IdentityResolution
                    {
                        Index = i,
                        Identity = id,
                        Status = IdentityResolutionStatus.Ambiguous,
                        Candidates = exact,
                        Reason = $"{exact.Count} items are named '{key.Item3}' in {key.Item1} / {key.Item2}; add the collector number or a URN",
                    };
                    continue;
                }

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

    private static bool Same(string? a, string b) => string.Equals(a?.Trim(), b, StringComparison.OrdinalIgnoreCase);

    private static IdentityResolution Resolved(int index, ItemIdentity identity, ManagemItem item, ItemIdentityKind kind) =>
        new() { Index = index, Identity = identity, Status = IdentityResolutionStatus.Resolved, Item = item, ResolvedBy = kind };
}
