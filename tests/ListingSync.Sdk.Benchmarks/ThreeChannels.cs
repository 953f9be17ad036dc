using System.Collections.Concurrent;
using ListingSync.Sdk.Channels.Instica;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.Channels.Shopiro;
using ListingSync.Sdk.Http;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.MultiChannel;
using ListingSync.Sdk.Testing;
using ListingSync.Sdk.Testing.Instica;
using ListingSync.Sdk.Testing.Managem;
using ListingSync.Sdk.Testing.Shopiro;
using ListingSync.Sdk.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace ListingSync.Sdk.Benchmarks;

/// <summary>
/// Managem, Instica (eBay) and Shopiro emulators on loopback with the SDK's channels over them and a multi-channel sync
/// of <c>products</c> cards: the set-up the propagation and first-sync runs share. A rate (requests per second per
/// seller) is enforced by the emulator (a token bucket holding a second's worth) and followed by the SDK's limiter
/// (the same rate, no burst); null means neither limits.
/// </summary>
internal sealed class ThreeChannels : IAsyncDisposable
{
    public const string SellerId = "seller-1";

    private ThreeChannels(ManagemEmulator managem, InsticaEmulator instica, ShopiroEmulator shopiro, ServiceProvider provider, BenchmarkInventory inventory)
    {
        (Managem, Instica, Shopiro, Provider, Inventory) = (managem, instica, shopiro, provider, inventory);
        Store = provider.GetRequiredService<IMappingStore>();
        Sync = new MultiChannelSync(Store,
        [
            new ChannelTarget(provider.GetRequiredService<ManagemChannel>(), new ChannelPolicy
            {
                Price = new PriceRule { Currency = "GBP", ExchangeRate = 0.8m },
                Adapt = d => d with { Language = "English", Titles = new Dictionary<string, string>() },
            }),
            new ChannelTarget(provider.GetRequiredService<InsticaChannels>().For("ebay"), new ChannelPolicy { Quantity = new QuantityBuffer { Max = 1 } }),
            new ChannelTarget(provider.GetRequiredService<ShopiroChannel>(), new ChannelPolicy { Options = new Reconciliation.ReconcilerOptions { MaxConcurrency = 8 } }),
        ]);
    }

    public static SellerScope Seller { get; } = new(SellerId);

    public ManagemEmulator Managem { get; }

    public InsticaEmulator Instica { get; }

    public ShopiroEmulator Shopiro { get; }

    public ServiceProvider Provider { get; }

    public IMappingStore Store { get; }

    public MultiChannelSync Sync { get; }

    public BenchmarkInventory Inventory { get; }

    public IEnumerable<LoopbackEmulator> Emulators => [Managem, Instica, Shopiro];

    public static async Task<ThreeChannels> StartAsync(int products, int quantity, double? managemRate = null, double? insticaRate = null, double? shopiroRate = null)
    {
        var managem = await ManagemEmulator.StartAsync(new ManagemEmulatorOptions { GeneratedItems = products + 10, RateLimitPerSecond = managemRate });
        managem.AddSeller(SellerId, "tok-m");
        var instica = await InsticaEmulator.StartAsync(new InsticaEmulatorOptions { RateLimitPerSecond = insticaRate });
        instica.AddSeller(SellerId, "tok-i", null, "ebay");
        var shopiro = await ShopiroEmulator.StartAsync(new ShopiroEmulatorOptions { RateLimitPerSecond = shopiroRate });
        shopiro.AddSeller(90000001, "tok-s");

        var services = new ServiceCollection();
        services.AddListingSync()
            .AddManagem(o => Configure(o, managem, "tok-m", managemRate))
            .AddInstica(o => Configure(o, instica, "tok-i", insticaRate))
            .AddShopiro(o => Configure(o, shopiro, "tok-s", shopiroRate))
            .AddInMemoryMappingStore();
        var items = managem.Catalogue.Items;
        var inventory = new BenchmarkInventory(Enumerable.Range(0, products).Select(i => new ListingDraft
        {
            Reference = $"p-{i:D5}",
            Item = new ItemIdentity { Urn = items[i].Urn, Sku = $"P-{i:D5}", Name = $"Card {i}" },
            Condition = ListingCondition.NearMint,
            Language = "en",
            Titles = new Dictionary<string, string> { ["en"] = $"Card {i}" },
            Price = Money.Usd(10m + (i % 90)),
            Quantity = quantity,
        }));
        return new ThreeChannels(managem, instica, shopiro, services.BuildServiceProvider(), inventory);
    }

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        foreach (var emulator in Emulators)
        {
            await emulator.DisposeAsync();
        }
    }

    private static void Configure(ChannelClientOptions options, LoopbackEmulator emulator, string token, double? rate)
    {
        options.BaseAddress = emulator.BaseAddress;
        options.Sellers[SellerId] = new SellerCredentials { AccessToken = token };
        options.RateLimit.Enabled = rate is not null;
        if (rate is { } r)
        {
            options.RateLimit.PermitsPerSecond = r;
            options.RateLimit.Burst = 1; // never ahead of the rate: the emulator's bucket is not the SDK's to spend
        }
    }
}

/// <summary>The host's inventory in the runs: products by reference, each order event booked once.</summary>
internal sealed class BenchmarkInventory(IEnumerable<ListingDraft> products) : IInventorySource
{
    private readonly ConcurrentDictionary<string, ListingDraft> _products = new(products.ToDictionary(p => p.Reference!));
    private readonly ConcurrentDictionary<string, bool> _booked = new();

    public int Count => _products.Count;

    public int Total() => _products.Values.Sum(p => p.Quantity);

    public IAsyncEnumerable<ListingDraft> ReadAllAsync(SellerScope seller, CancellationToken cancellationToken = default) => _products.Values.OrderBy(p => p.Reference, StringComparer.Ordinal).ToAsyncEnumerable();

    public Task<IReadOnlyList<ListingDraft>> ReadAsync(SellerScope seller, IReadOnlyCollection<string> references, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ListingDraft>>([.. references.Where(_products.ContainsKey).Select(r => _products[r])]);

    public Task<IReadOnlyCollection<string>> BookOrderAsync(OrderEvent order, string? reference, CancellationToken cancellationToken = default)
    {
        if (reference is null || !_booked.TryAdd(order.EventId, true))
        {
            return Task.FromResult<IReadOnlyCollection<string>>([]);
        }

        _products.AddOrUpdate(reference, _ => throw new InvalidOperationException(), (_, p) => p with { Quantity = Math.Max(0, p.Quantity - (order.Quantity ?? 1)) });
        return Task.FromResult<IReadOnlyCollection<string>>([reference]);
    }
}
