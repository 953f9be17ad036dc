using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using ListingSync.Sdk.Channels.Managem.Wire;
using ListingSync.Sdk.Http;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Telemetry;
using ListingSync.Sdk.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ListingSync.Sdk.Channels.Managem;

/// <summary>Catalogue items: lookup by URN, Cardmarket id, TCGplayer id, or game + set + name.</summary>
/// <remarks>
/// Reached through <see cref="ManagemClient"/> (<c>client.Items</c>); shares its HTTP pipeline (resilience, rate limit,
/// credentials). Members are virtual and the protected constructor exists so tests can substitute it.
/// </remarks>
public class ManagemItemsClient : ManagemSubClient
{
    /// <summary>The longest path and query a lookup by URN sends; longer lists are split into several calls.</summary>
    private const int MaxLookupQueryLength = 4_000;

    internal ManagemItemsClient(ChannelHttp http, IOptionsMonitor<ManagemClientOptions> options, ILogger logger)
        : base(http, options, logger)
    {
    }

    /// <summary>For mocking frameworks and test doubles only.</summary>
    protected ManagemItemsClient()
    {
    }


    /// <summary>
    /// Looks items up by URN, 200 per call (larger inputs are split; duplicates are asked once).
    /// URNs Managem does not know are simply absent from the result.
    /// </summary>
    public virtual async Task<IReadOnlyList<ManagemItem>> GetByUrnAsync(SellerScope seller, IEnumerable<string> urns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(urns);
        var distinct = urns.Where(u => !string.IsNullOrWhiteSpace(u)).Distinct(StringComparer.Ordinal).ToList();
        var items = new List<ManagemItem>(distinct.Count);
        foreach (var chunk in distinct.Chunk(ManagemValidator.MaxBatch))
        {
            var body = JsonContent.Create(new WireUrnLookup { Urns = [.. chunk] }, Json.WireUrnLookup);
            var found = await _http.SendAsync(ChannelHttp.Request(HttpMethod.Post, "items/lookup", "items.lookup", seller, idempotent: true, body), Json.ListWireItem, cancellationToken).ConfigureAwait(false);
            items.AddRange((found ?? []).Select(ManagemMapper.ToItem));
        }

        return items;
    }

    /// <summary>Finds the item with a Cardmarket product id; null when Managem has no mapping for it.</summary>
    public virtual Task<ManagemItem?> FindByCardmarketIdAsync(SellerScope seller, long cardmarketId, CancellationToken cancellationToken = default) =>
        FindItemAsync(seller, $"items/cardmarket/{cardmarketId.ToString(CultureInfo.InvariantCulture)}", "items.by-cardmarket-id", cancellationToken);

    /// <summary>Finds the item with a TCGplayer product id; null when Managem has no mapping for it.</summary>
    public virtual Task<ManagemItem?> FindByTcgplayerIdAsync(SellerScope seller, long tcgplayerId, CancellationToken cancellationToken = default) =>
        FindItemAsync(seller, $"items/tcgplayer/{tcgplayerId.ToString(CultureInfo.InvariantCulture)}", "items.by-tcgplayer-id", cancellationToken);

    /// <summary>
    /// Finds catalogue items by game, set and name through full-text search (<c>POST /search</c> with Game and
    /// Set facets). Returns every candidate; callers decide what an exact match is (see <see cref="ManagemIdentityResolver"/>).
    /// </summary>
    public virtual async Task<IReadOnlyList<ManagemItem>> SearchAsync(SellerScope seller, string game, string setName, string name, int size = 50, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(game);
        ArgumentException.ThrowIfNullOrWhiteSpace(setName);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ManagemValidator.ValidatePageSize(size);
        var request = new WireSearchRequest
        {
            Query = name,
            Facets = new Dictionary<string, List<string>> { ["Game"] = [game], ["Set"] = [setName] },
            From = 0,
            Size = size,
        };
        var response = await _http.SendAsync(ChannelHttp.Request(HttpMethod.Post, "search", "items.search", seller, idempotent: true, JsonContent.Create(request, Json.WireSearchRequest)), Json.WireItemSearchResponse, cancellationToken).ConfigureAwait(false);
        return (response?.Hits ?? []).Select(ManagemMapper.ToItem).ToList();
    }

    private async Task<ManagemItem?> FindItemAsync(SellerScope seller, string path, string operation, CancellationToken cancellationToken)
    {
        var item = await _http.SendAsync(ChannelHttp.Request(HttpMethod.Get, path, operation, seller, idempotent: true), Json.WireItem, cancellationToken, notFoundIsNull: true).ConfigureAwait(false);
        return item is null ? null : ManagemMapper.ToItem(item);
    }
}
