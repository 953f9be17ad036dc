using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ListingSync.Sdk.Testing.Managem;

/// <summary>
/// An emulator of Managem's seller API, served by Kestrel on 127.0.0.1, for behaviour tests, samples and
/// manual use. It follows the documented behaviour: <c>from</c>/<c>size</c> search (1..50) with totals, bulk create
/// of up to 200 rows answering successful / failed URNs, <c>reference</c> trimmed to 255 (empty clears), listing
/// events, orders that change availability without <c>LISTING_UPDATED</c>, signed webhooks (Standard Webhooks)
/// retried and disabled after <c>maxConsecutiveFailures</c>, imports, validation errors, and seeded faults.
/// </summary>
public sealed partial class ManagemEmulator : LoopbackEmulator
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ConcurrentDictionary<string, SellerState> _sellersByToken = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SellerState> _sellers = new(StringComparer.Ordinal);
    private readonly WebhookDispatcher _webhooks;
    private readonly ImportProcessor _imports;
    private long _ids;

    private ManagemEmulator(ManagemEmulatorOptions options)
        : base(options)
    {
        Options = options;
        Catalogue = ManagemCatalogue.Create(options.GeneratedItems, options.Seed);
        _webhooks = new WebhookDispatcher(this);
        _imports = new ImportProcessor(this);
    }

    /// <summary>The emulator's settings.</summary>
    public ManagemEmulatorOptions Options { get; }

    /// <summary>The catalogue: built-in trading cards plus generated items.</summary>
    public ManagemCatalogue Catalogue { get; }

    /// <summary>Starts an emulator; dispose it to stop.</summary>
    public static async Task<ManagemEmulator> StartAsync(ManagemEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        var emulator = new ManagemEmulator(options ?? new ManagemEmulatorOptions());
        await emulator.StartServerAsync(cancellationToken).ConfigureAwait(false);
        emulator._webhooks.Start(emulator.Services.GetRequiredService<IHttpClientFactory>().CreateClient("webhooks"));
        emulator._imports.Start();
        return emulator;
    }

    /// <summary>Adds a seller reachable with <paramref name="token"/> (as Bearer or ApiKey).</summary>
    public void AddSeller(string sellerId, string token)
    {
        var state = _sellers.GetOrAdd(sellerId, id => new SellerState(id));
        _sellersByToken[token] = state;
    }

    /// <summary>Creates listings for a seller directly (no events), e.g. what the seller listed before the integration.</summary>
    /// <returns>The created listings.</returns>
    public IReadOnlyList<EmulatedListing> SeedListings(string sellerId, IEnumerable<(string Urn, long PricePence, int Quantity, string? Reference)> listings)
    {
        var state = Seller(sellerId);
        var created = new List<EmulatedListing>();
        lock (state)
        {
            foreach (var (urn, price, quantity, reference) in listings)
            {
                var item = Catalogue.ByUrn(urn) ?? throw new ArgumentException($"'{urn}' is not in the emulator's catalogue.", nameof(listings));
                var listing = NewListing(state, item, price, quantity, reference);
                state.Add(listing);
                created.Add(listing.Clone());
            }
        }

        return created;
    }

    /// <summary>A snapshot of a seller's listings, in creation order.</summary>
    public IReadOnlyList<EmulatedListing> Listings(string sellerId)
    {
        var state = Seller(sellerId);
        lock (state)
        {
            return state.Ordered.Select(l => l.Clone()).ToList();
        }
    }

    /// <summary>Events emitted for a seller so far, in order.</summary>
    public IReadOnlyList<EmulatedEvent> Events(string sellerId)
    {
        var state = Seller(sellerId);
        lock (state)
        {
            return [.. state.Events];
        }
    }

    /// <summary>The seller's webhook endpoints.</summary>
    public IReadOnlyList<EmulatedWebhook> Webhooks(string sellerId)
    {
        var state = Seller(sellerId);
        lock (state)
        {
            return [.. state.Webhooks.Values];
        }
    }

    /// <summary>
    /// A buyer orders <paramref name="quantity"/> of a listing: availability drops and <c>ORDER_CREATED</c> is emitted,
    /// but not <c>LISTING_UPDATED</c> (as Managem does). A buyer cannot buy more than is available, nor anything while
    /// the marketplace is down; what sold is counted in <see cref="LoopbackEmulator.UnitsSold"/>.
    /// </summary>
    public string SimulateOrder(string sellerId, string listingId, int quantity)
    {
        ThrowIfDown();
        var state = Seller(sellerId);
        lock (state)
        {
            var listing = state.ById.GetValueOrDefault(listingId) ?? throw new ArgumentException($"No listing '{listingId}'.", nameof(listingId));
            if (quantity < 1 || quantity > listing.Available)
            {
                throw new ArgumentOutOfRangeException(nameof(quantity), quantity, $"1..{listing.Available} available.");
            }

            listing.Available -= quantity;
            CountSold(quantity);
            var orderId = NextId("ord");
            Emit(state, "ORDER_CREATED", new { orderId, listingId, urn = listing.Item.Urn, quantity, available = listing.Available, status = "ACCEPTED" });
            return orderId;
        }
    }

    /// <summary>
    /// The seller edits a listing on the marketplace's own site (drift the host did not make): the given fields change,
    /// <c>updatedAt</c> moves and <c>LISTING_UPDATED</c> is emitted.
    /// </summary>
    public void SimulateSellerEdit(string sellerId, string listingId, long? pricePence = null, int? quantity = null, bool? hidden = null)
    {
        var state = Seller(sellerId);
        lock (state)
        {
            var listing = state.ById.GetValueOrDefault(listingId) ?? throw new ArgumentException($"No listing '{listingId}'.", nameof(listingId));
            if (pricePence is { } price)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(price, nameof(pricePence));
                listing.Price = price;
            }

            if (quantity is { } q)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(q, nameof(quantity));
                listing.Available = Math.Max(0, listing.Available + (q - listing.Quantity));
                listing.Quantity = q;
            }

            listing.Hidden = hidden ?? listing.Hidden;
            listing.UpdatedAt = NextUpdateStamp(listing.UpdatedAt);
            Emit(state, "LISTING_UPDATED", ListingEventData(listing));
        }
    }

    /// <summary>The seller deletes a listing on the marketplace's own site: it is gone and <c>LISTING_DELETED</c> is emitted.</summary>
    public void SimulateSellerDelete(string sellerId, string listingId)
    {
        var state = Seller(sellerId);
        lock (state)
        {
            var listing = state.ById.GetValueOrDefault(listingId) ?? throw new ArgumentException($"No listing '{listingId}'.", nameof(listingId));
            state.Remove(listing);
            Emit(state, "LISTING_DELETED", ListingEventData(listing));
        }
    }

    /// <summary>Waits until every webhook delivery has been made or given up (or <paramref name="timeout"/> passes).</summary>
    public async Task WaitForWebhooksAsync(TimeSpan timeout)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp(); // real time: a wait in a test, whatever the emulator's clock
        while (_webhooks.Pending > 0)
        {
            if (System.Diagnostics.Stopwatch.GetElapsedTime(started) > timeout)
            {
                throw new TimeoutException($"{_webhooks.Pending} webhook deliveries still pending after {timeout}.");
            }

            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    /// <summary>A strictly later stamp than <paramref name="previous"/>, so two edits in one clock tick stay ordered.</summary>
    internal DateTimeOffset NextUpdateStamp(DateTimeOffset previous)
    {
        var now = Time.GetUtcNow();
        return now > previous ? now : previous.AddTicks(1);
    }

    /// <summary>Stops the server, the import processor and the webhook dispatcher.</summary>
    public override async ValueTask DisposeAsync()
    {
        await _imports.DisposeAsync().ConfigureAwait(false);
        await _webhooks.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    internal IEnumerable<SellerState> AllSellers() => _sellers.Values;

    internal SellerState Seller(string sellerId) => _sellers.TryGetValue(sellerId, out var s) ? s : throw new ArgumentException($"No seller '{sellerId}'; call AddSeller first.", nameof(sellerId));

    internal string NextId(string prefix) => $"{prefix}_{Interlocked.Increment(ref _ids).ToString(CultureInfo.InvariantCulture)}";

    internal EmulatedListing NewListing(SellerState state, EmulatedItem item, long price, int quantity, string? reference)
    {
        var now = Time.GetUtcNow();
        return new EmulatedListing
        {
            Id = NextId("lst"),
            SellerId = state.SellerId,
            Item = item,
            Price = price,
            Quantity = quantity,
            Available = quantity,
            CreatedAt = now,
            UpdatedAt = now,
            Reference = NormalizeReference(reference),
            Valid = price < 2000,
        };
    }

    internal static string? NormalizeReference(string? reference) => string.IsNullOrWhiteSpace(reference) ? null : reference.Trim();

    /// <summary>Records an event and hands it to the webhook dispatcher. Call with the seller's lock held.</summary>
    internal void Emit(SellerState state, string type, object data)
    {
        var evt = new EmulatedEvent(NextId("evt"), type, Time.GetUtcNow(), data);
        state.Events.Add(evt);
        foreach (var webhook in state.Webhooks.Values)
        {
            if (webhook.Enabled && webhook.Subscriptions.Contains(type))
            {
                _webhooks.Enqueue(state, webhook, evt);
            }
        }
    }

    internal static object ListingEventData(EmulatedListing l) => new
    {
        listing = new { id = l.Id, urn = l.Item.Urn, condition = l.Condition, price = l.Price, quantity = l.Quantity, available = l.Available, hidden = l.Hidden, updatedAt = l.UpdatedAt },
    };

    internal sealed class SellerState(string sellerId)
    {
        public string SellerId { get; } = sellerId;

        public List<EmulatedListing> Ordered { get; } = [];

        public Dictionary<string, EmulatedListing> ById { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, EmulatedWebhook> Webhooks { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, EmulatedImport> Imports { get; } = new(StringComparer.Ordinal);

        public List<EmulatedEvent> Events { get; } = [];

        /// <summary>Listings by URN (immutable on a listing), in the order they were added: lookups by URN stay O(matches).</summary>
        public Dictionary<string, List<EmulatedListing>> ByUrn { get; } = new(StringComparer.Ordinal);

        private long _sequence;

        public void Add(EmulatedListing listing)
        {
            listing.Sequence = ++_sequence;
            Ordered.Add(listing);
            ById[listing.Id] = listing;
            if (!ByUrn.TryGetValue(listing.Item.Urn, out var same))
            {
                ByUrn[listing.Item.Urn] = same = [];
            }

            same.Add(listing);
        }

        public void Remove(EmulatedListing listing)
        {
            Ordered.Remove(listing);
            ById.Remove(listing.Id);
            if (ByUrn.TryGetValue(listing.Item.Urn, out var same) && same.Remove(listing) && same.Count == 0)
            {
                ByUrn.Remove(listing.Item.Urn);
            }
        }
    }
}
