using System.Globalization;
using System.Text.Json;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ListingSync.Sdk.Channels.Instica;

/// <summary>
/// Instica's order sync as order events: Instica publishes no webhooks, so its orders list (<c>GET /api/v1/orders/</c>,
/// newest first) is polled and every order not seen before becomes an <see cref="OrderEvent"/> on the channel
/// <c>instica:&lt;platform&gt;</c>, naming the sold inventory item as its listing (the listing id of an Instica channel),
/// so the multi-channel <c>StockPropagation</c> books it and pushes the stock to the other channels. Where it got to is
/// kept in the mapping store (a cursor per seller) after each order handled, so a restart neither loses nor repeats
/// one; a handler that throws leaves that order and the later ones for the next poll. The first poll of a seller
/// starts from now: it records the newest order and hands over none (orders before the integration are the host's
/// history, not new sales).
/// </summary>
public sealed class InsticaOrderFeed
{
    private const string CursorName = "orders";
    private readonly InsticaClient _client;
    private readonly IMappingStore _store;

    /// <summary>Creates the feed (registered by <c>AddInstica</c>).</summary>
    public InsticaOrderFeed(InsticaClient client, IMappingStore store)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _store = store ?? throw new ArgumentNullException(nameof(store));
    }

    /// <summary>
    /// Reads the orders placed since the last poll and hands each to <paramref name="handle"/>, oldest first; returns
    /// the events handled. Orders without a uid or a time cannot be told apart and are skipped (counted in the log).
    /// </summary>
    public async Task<IReadOnlyList<OrderEvent>> PollAsync(SellerScope seller, Func<OrderEvent, CancellationToken, Task> handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var scope = new MappingScope(InsticaClientOptions.ChannelName, seller);
        var cursor = Cursor.Parse(await _store.GetCursorAsync(scope, CursorName, cancellationToken).ConfigureAwait(false));
        var fresh = new List<(DateTimeOffset SoldAt, InsticaOrder Order)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 1; ; page++)
        {
            var answer = await _client.Orders.GetPageAsync(seller, ordering: "-created", page: page, cancellationToken: cancellationToken).ConfigureAwait(false);
            var older = false;
            var added = 0;
            foreach (var order in answer.Results)
            {
                if (order is not { Uid: { Length: > 0 } uid, SoldAt: { } soldAt } || !seen.Add(uid))
                {
                    continue;
                }

                added++;

                if (cursor is not null && !cursor.IsBefore(soldAt, uid))
                {
                    older |= soldAt < cursor.At;
                    continue;
                }

                fresh.Add((soldAt, order));
            }

            // A page with nothing new (the pages repeat) ends the walk: an endless or looping answer cannot keep it going.
            if (answer.Next is null || added == 0 || older || cursor is null)
            {
                break;
            }
        }

        fresh.Sort((a, b) => a.SoldAt != b.SoldAt ? a.SoldAt.CompareTo(b.SoldAt) : string.CompareOrdinal(a.Order.Uid, b.Order.Uid));
        if (cursor is null)
        {
            // The first poll starts from now.
            var start = fresh.Aggregate(Cursor.Of(DateTimeOffset.MinValue, []), (at, f) => at.After(f.SoldAt, f.Order.Uid!));
            await _store.SetCursorAsync(scope, CursorName, start.ToString(), cancellationToken).ConfigureAwait(false);
            return [];
        }

        var handled = new List<OrderEvent>(fresh.Count);
        foreach (var (soldAt, order) in fresh)
        {
            var orderEvent = ToEvent(order, seller, soldAt);
            await handle(orderEvent, cancellationToken).ConfigureAwait(false);
            cursor = cursor.After(soldAt, order.Uid!);
            await _store.SetCursorAsync(scope, CursorName, cursor.ToString(), cancellationToken).ConfigureAwait(false);
            handled.Add(orderEvent);
        }

        return handled;
    }

    private static OrderEvent ToEvent(InsticaOrder order, SellerScope seller, DateTimeOffset soldAt) => new()
    {
        Channel = InsticaClientOptions.ChannelName + ":" + (order.Platform ?? order.Listing?.Platform ?? "unknown").Trim().ToLowerInvariant(),
        Seller = seller,
        EventId = order.Uid!,
        Type = "instica.order",
        OccurredAt = soldAt,
        IsNew = true,
        OrderId = order.OrderId,
        Status = order.Status,
        ListingId = order.Listing?.InventoryItem?.Uid,
        Quantity = 1, // an Instica inventory item is one unit
        Payload = JsonSerializer.Serialize(order, InsticaJson.Default.InsticaOrder),
    };

    /// <summary>The time of the newest order handled and the uids handled at that time.</summary>
    private sealed record Cursor(DateTimeOffset At, IReadOnlySet<string> Uids)
    {
        public static Cursor Of(DateTimeOffset at, IEnumerable<string> uids) => new(at, uids.ToHashSet(StringComparer.Ordinal));

        public static Cursor? Parse(string? text)
        {
            if (text?.Split('|', 2) is not [var ticks, var uids] || !long.TryParse(ticks, NumberStyles.Integer, CultureInfo.InvariantCulture, out var utc))
            {
                return null;
            }

            return Of(new DateTimeOffset(utc, TimeSpan.Zero), uids.Split(',', StringSplitOptions.RemoveEmptyEntries));
        }

        /// <summary>True when the order at <paramref name="at"/> with <paramref name="uid"/> was not handled yet.</summary>
        public bool IsBefore(DateTimeOffset at, string uid) => at > At || (at == At && !Uids.Contains(uid));

        public Cursor After(DateTimeOffset at, string uid) => at > At ? Of(at, [uid]) : Of(At, Uids.Append(uid));

        public override string ToString() => $"{At.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{string.Join(',', Uids)}";
    }
}

/// <summary>Options of the Instica order sync registered with <c>AddInsticaOrderSync</c>.</summary>
public sealed class InsticaOrderSyncOptions
{
    /// <summary>The sellers whose orders are polled.</summary>
    public IList<SellerScope> Sellers { get; } = [];

    /// <summary>How often. Default 30 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Polls <see cref="InsticaOrderFeed"/> for every configured seller and hands each order to the host's order handlers.</summary>
internal sealed partial class InsticaOrderSyncService(InsticaOrderFeed feed, IServiceScopeFactory scopes, IOptions<InsticaOrderSyncOptions> options, TimeProvider time, ILogger<InsticaOrderSyncService>? logger = null) : BackgroundService
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var seller in options.Value.Sellers)
            {
                try
                {
                    await feed.PollAsync(seller, HandleAsync, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is ListingSyncException or HttpRequestException)
                {
                    PollFailed(_logger, seller.SellerId, ex);
                }
            }

            await Task.Delay(options.Value.Interval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(OrderEvent orderEvent, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        foreach (var handler in scope.ServiceProvider.GetServices<IOrderHandler>())
        {
            await handler.HandleAsync(orderEvent, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Polling Instica orders of {Seller} failed; the next poll starts where this one stopped")]
    private static partial void PollFailed(ILogger logger, string seller, Exception exception);
}
