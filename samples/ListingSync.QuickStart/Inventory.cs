using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using ListingSync.Sdk.Model;

namespace ListingSync.QuickStart;

/// <summary>The host's inventory: the source of truth the quick start syncs to Managem.</summary>
internal static class Inventory
{
    public static List<ListingDraft> Load(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim });
        var drafts = new List<ListingDraft>();
        foreach (var row in csv.GetRecords<Row>())
        {
            drafts.Add(new ListingDraft
            {
                Reference = row.sku,
                Item = new ItemIdentity
                {
                    Urn = Empty(row.urn),
                    CardmarketId = long.TryParse(row.cardmarket_id, CultureInfo.InvariantCulture, out var cm) ? cm : null,
                    TcgplayerId = long.TryParse(row.tcgplayer_id, CultureInfo.InvariantCulture, out var tp) ? tp : null,
                    Game = Empty(row.game),
                    Set = Empty(row.set),
                    Name = Empty(row.name),
                    Number = Empty(row.number),
                },
                Condition = new ListingCondition(row.condition),
                Language = row.language,
                Price = Money.Gbp(decimal.Parse(row.price, CultureInfo.InvariantCulture)),
                Quantity = int.Parse(row.quantity, CultureInfo.InvariantCulture),
            });
        }

        return drafts;
    }

    /// <summary>Synthetic inventory for <c>--listings N</c>: generated catalogue items, half by URN, half by Cardmarket id.</summary>
    public static IEnumerable<ListingDraft> Generated(IReadOnlyList<(string Urn, long? CardmarketId)> items, int count)
    {
        for (var i = 0; i < count && i < items.Count; i++)
        {
            var (urn, cardmarket) = items[i];
            yield return new ListingDraft
            {
                Reference = $"GEN-{i + 1:D7}",
                Item = i % 2 == 1 && cardmarket is { } id ? new ItemIdentity { CardmarketId = id } : ItemIdentity.FromUrn(urn),
                Condition = ListingCondition.NearMint,
                Language = "English",
                Price = Money.Gbp(0.25m + (i % 40 * 0.25m)),
                Quantity = 1 + (i % 4),
            };
        }
    }

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

#pragma warning disable IDE1006, SA1300 // CSV column names
    private sealed class Row
    {
        public string sku { get; set; } = "";
        public string? urn { get; set; }
        public string? cardmarket_id { get; set; }
        public string? tcgplayer_id { get; set; }
        public string? game { get; set; }
        public string? set { get; set; }
        public string? name { get; set; }
        public string? number { get; set; }
        public string condition { get; set; } = "";
        public string language { get; set; } = "";
        public string price { get; set; } = "";
        public string quantity { get; set; } = "";
    }
#pragma warning restore IDE1006, SA1300
}

/// <summary>
/// The host's inventory as the multi-channel sync reads it: the source of truth, where a sale reported by any channel
/// is booked once per order event (a re-delivered event books nothing).
/// </summary>
internal sealed class HostInventory(IEnumerable<ListingDraft> products) : ListingSync.Sdk.MultiChannel.IInventorySource
{
    private readonly Dictionary<string, ListingDraft> _products = products.Where(p => p.Reference is not null).ToDictionary(p => p.Reference!, StringComparer.Ordinal);
    private readonly HashSet<string> _booked = new(StringComparer.Ordinal);

    public int Stock(string reference)
    {
        lock (_products)
        {
            return _products[reference].Quantity;
        }
    }

    public IAsyncEnumerable<ListingDraft> ReadAllAsync(SellerScope seller, CancellationToken cancellationToken = default)
    {
        lock (_products)
        {
            return _products.Values.ToList().ToAsyncEnumerable();
        }
    }

    public Task<IReadOnlyList<ListingDraft>> ReadAsync(SellerScope seller, IReadOnlyCollection<string> references, CancellationToken cancellationToken = default)
    {
        lock (_products)
        {
            return Task.FromResult<IReadOnlyList<ListingDraft>>([.. references.Where(_products.ContainsKey).Select(r => _products[r])]);
        }
    }

    public Task<IReadOnlyCollection<string>> BookOrderAsync(ListingSync.Sdk.Webhooks.OrderEvent order, string? reference, CancellationToken cancellationToken = default)
    {
        lock (_products)
        {
            if (reference is null || !_products.TryGetValue(reference, out var product) || !_booked.Add($"{order.Channel}:{order.EventId}") || !order.IsNew)
            {
                return Task.FromResult<IReadOnlyCollection<string>>([]);
            }

            _products[reference] = product with { Quantity = Math.Max(0, product.Quantity - (order.Quantity ?? 1)) };
            return Task.FromResult<IReadOnlyCollection<string>>([reference]);
        }
    }
}
