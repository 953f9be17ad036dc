using ListingSync.Sdk.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ListingSync.Sdk.MultiChannel;

/// <summary>A push that a channel refused or could not take (down, rate-limited past its retries), kept to retry.</summary>
/// <param name="Channel">The channel.</param>
/// <param name="Seller">The seller.</param>
/// <param name="Reference">The host's product.</param>
/// <param name="Attempts">Failed attempts so far.</param>
/// <param name="Since">When the first attempt failed.</param>
/// <param name="NextAttempt">When it is retried next.</param>
/// <param name="LastError">The channel's last answer.</param>
public sealed record PendingPush(string Channel, SellerScope Seller, string Reference, int Attempts, DateTimeOffset Since, DateTimeOffset NextAttempt, string? LastError);

/// <summary>
/// Pushes the host's stock of named products to every channel, so a sale on one channel is reflected on the others
/// before a buyer there can buy the same unit. The oversell strategy:
/// <list type="bullet">
/// <item>Pushes of one product are serialised and each reads the host's stock inside that lock, so the last write on
/// every channel is the latest stock: two sales in flight cannot leave the older, higher quantity on a channel.</item>
/// <item>Every write sets the channel's quantity to the host's stock after the channel's buffer (an absolute value, never
/// a delta), so a repeated or late push cannot sell a unit twice.</item>
/// <item>A channel that fails (down, throttled past its retries) gets the push in a backlog, retried with back-off
/// (<see cref="RetryBacklogAsync"/>, run by the hosted service every <see cref="MultiChannelOptions.BacklogRetryInterval"/>)
/// with the stock as it is at the retry; it stays in <see cref="Backlog"/> until the channel took it. The backlog lives
/// in memory; after a restart, the next full sync repairs what it held (the mapping's last known quantity was never
/// moved for a failed write).</item>
/// <item>What the SDK cannot do: lower the quantity on a channel it cannot reach. A channel whose API is down while its
/// storefront still sells can sell units already gone; <see cref="QuantityBuffer.HoldBack"/> bounds that exposure.</item>
/// </list>
/// </summary>
public sealed partial class StockPusher
{
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromMinutes(5);
    private readonly MultiChannelSync _sync;
    private readonly IInventorySource _inventory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<(string Seller, string Reference), (SemaphoreSlim Gate, int Users)> _locks = [];
    private readonly Dictionary<(string Channel, string Seller, string Reference), PendingPush> _backlog = [];
    private readonly Lock _gate = new();

    /// <summary>Creates the pusher (registered by <c>AddMultiChannel</c> as a singleton).</summary>
    public StockPusher(MultiChannelSync sync, IInventorySource inventory, TimeProvider? timeProvider = null, ILogger<StockPusher>? logger = null)
    {
        _sync = sync ?? throw new ArgumentNullException(nameof(sync));
        _inventory = inventory ?? throw new ArgumentNullException(nameof(inventory));
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The pushes waiting for a channel to take them, oldest first.</summary>
    public IReadOnlyList<PendingPush> Backlog
    {
        get
        {
            lock (_gate)
            {
                return [.. _backlog.Values.OrderBy(p => p.Since)];
            }
        }
    }

    /// <summary>
    /// Pushes the host's current stock of <paramref name="references"/> to every channel (or to <paramref name="channels"/>):
    /// the host's records are read under a lock per product, then written by reference. Failures go to the backlog.
    /// </summary>
    public async Task<TargetedSyncResult> PushAsync(SellerScope seller, IReadOnlyCollection<string> references, IReadOnlyCollection<string>? channels = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(references);
        var keys = references.Where(r => !string.IsNullOrEmpty(r)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (keys.Count == 0)
        {
            return new TargetedSyncResult([]);
        }

        var gates = new SemaphoreSlim[keys.Count];
        int entered = 0, acquired = 0;
        try
        {
            // In key order, so two pushes sharing products cannot wait on each other.
            for (var i = 0; i < keys.Count; i++)
            {
                gates[i] = Enter(seller, keys[i]);
                entered++;
                await gates[i].WaitAsync(cancellationToken).ConfigureAwait(false);
                acquired++;
            }

            var products = await _inventory.ReadAsync(seller, keys, cancellationToken).ConfigureAwait(false);
            var result = await _sync.SyncProductsAsync(seller, products, channels, cancellationToken).ConfigureAwait(false);
            Record(seller, keys, result);
            return result;
        }
        finally
        {
            for (var i = 0; i < acquired; i++)
            {
                gates[i].Release();
            }

            for (var i = 0; i < entered; i++)
            {
                Leave(seller, keys[i]);
            }
        }
    }

    /// <summary>
    /// Retries the pushes in the backlog whose time has come (all of them when <paramref name="dueOnly"/> is false), each
    /// with the host's stock as it is now; a channel that takes it clears it, one that fails again is retried later
    /// (back-off doubling up to five minutes). Returns what the retries wrote.
    /// </summary>
    public async Task<TargetedSyncResult> RetryBacklogAsync(bool dueOnly = true, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var due = Backlog.Where(p => !dueOnly || p.NextAttempt <= now).ToList();
        var writes = new List<TargetedWrite>();
        foreach (var group in due.GroupBy(p => (p.Seller, p.Channel)))
        {
            var result = await PushAsync(group.Key.Seller, [.. group.Select(p => p.Reference)], [group.Key.Channel], cancellationToken).ConfigureAwait(false);
            writes.AddRange(result.Writes);
        }

        return new TargetedSyncResult(writes);
    }

    private void Record(SellerScope seller, IReadOnlyCollection<string> references, TargetedSyncResult result)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            // A product the host no longer has, or that no channel answered for, leaves nothing to retry.
            var answered = result.Writes.Select(w => (w.Channel, w.Reference)).ToHashSet();
            foreach (var stale in _backlog.Keys.Where(k => k.Seller == seller.SellerId && references.Contains(k.Reference) && !answered.Contains((k.Channel, k.Reference))).ToList())
            {
                _backlog.Remove(stale);
            }

            foreach (var write in result.Writes)
            {
                var key = (write.Channel, seller.SellerId, write.Reference);
                if (write.Outcome != TargetedOutcome.Failed)
                {
                    _backlog.Remove(key);
                    continue;
                }

                var attempts = _backlog.TryGetValue(key, out var pending) ? pending.Attempts + 1 : 1;
                var backOff = TimeSpan.FromSeconds(Math.Min(MaxBackOff.TotalSeconds, Math.Pow(2, attempts - 1)));
                _backlog[key] = new PendingPush(write.Channel, seller, write.Reference, attempts, pending?.Since ?? now, now + backOff, write.Message);
                Backlogged(_logger, write.Reference, write.Channel, attempts, backOff, write.Message);
            }
        }
    }

    private SemaphoreSlim Enter(SellerScope seller, string reference)
    {
        lock (_gate)
        {
            var key = (seller.SellerId, reference);
            var entry = _locks.TryGetValue(key, out var existing) ? existing : (Gate: new SemaphoreSlim(1, 1), Users: 0);
            _locks[key] = (entry.Gate, entry.Users + 1);
            return entry.Gate;
        }
    }

    private void Leave(SellerScope seller, string reference)
    {
        lock (_gate)
        {
            var key = (seller.SellerId, reference);
            var entry = _locks[key];
            if (entry.Users == 1)
            {
                _locks.Remove(key);
                entry.Gate.Dispose();
            }
            else
            {
                _locks[key] = (entry.Gate, entry.Users - 1);
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Stock of {Reference} not pushed to {Channel} (attempt {Attempts}): {Message}. Retried in {BackOff}; the next full sync repairs it too.")]
    private static partial void Backlogged(ILogger logger, string reference, string channel, int attempts, TimeSpan backOff, string? message);
}
