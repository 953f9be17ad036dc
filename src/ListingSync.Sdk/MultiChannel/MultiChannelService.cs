using ListingSync.Sdk.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ListingSync.Sdk.MultiChannel;

/// <summary>Options of the multi-channel sync registered with <c>AddMultiChannel</c>.</summary>
public sealed class MultiChannelOptions
{
    /// <summary>The channels and their policies, each made from the service provider (e.g. <c>sp.GetRequiredService&lt;ShopiroChannel&gt;()</c>).</summary>
    public IList<Func<IServiceProvider, ChannelTarget>> Channels { get; } = [];

    /// <summary>The sellers the scheduled sync runs for.</summary>
    public IList<SellerScope> Sellers { get; } = [];

    /// <summary>How often the hosted service runs a full sync of every seller; null (default): no schedule, call on demand.</summary>
    public TimeSpan? Interval { get; set; }

    /// <summary>How often the hosted service retries the stock pushes a channel did not take (<see cref="StockPusher.Backlog"/>). Default 5 s.</summary>
    public TimeSpan BacklogRetryInterval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Runs a full multi-channel sync of every configured seller on <see cref="MultiChannelOptions.Interval"/>, and retries
/// the stock backlog on <see cref="MultiChannelOptions.BacklogRetryInterval"/>.
/// </summary>
internal sealed partial class MultiChannelService(MultiChannelSync sync, IInventorySource inventory, StockPusher pusher, IOptions<MultiChannelOptions> options, TimeProvider time, ILogger<MultiChannelService>? logger = null) : BackgroundService
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(ScheduleAsync(stoppingToken), RetryBacklogAsync(stoppingToken));

    private async Task RetryBacklogAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.BacklogRetryInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
                if (pusher.Backlog.Count > 0)
                {
                    await pusher.RetryBacklogAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is ListingSyncException or HttpRequestException)
            {
                Log.BacklogFailed(_logger, ex);
            }
        }
    }

    private async Task ScheduleAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Interval is not { } interval)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var seller in options.Value.Sellers)
            {
                try
                {
                    var result = await sync.SyncAsync(seller, () => inventory.ReadAllAsync(seller, stoppingToken), cancellationToken: stoppingToken).ConfigureAwait(false);
                    Log.Synced(_logger, seller.SellerId, result.Succeeded, result.NotSucceeded, result.Channels.Count(c => c.Error is not null));
                }
                catch (Exception ex) when (ex is ListingSyncException or HttpRequestException)
                {
                    Log.Failed(_logger, seller.SellerId, ex);
                }
            }

            await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Multi-channel sync of {Seller}: {Succeeded} written, {NotSucceeded} not, {FailedChannels} channel(s) failed")]
        public static partial void Synced(ILogger logger, string seller, int succeeded, int notSucceeded, int failedChannels);

        [LoggerMessage(2, LogLevel.Error, "Multi-channel sync of {Seller} failed")]
        public static partial void Failed(ILogger logger, string seller, Exception exception);

        [LoggerMessage(3, LogLevel.Error, "Retrying the multi-channel stock backlog failed")]
        public static partial void BacklogFailed(ILogger logger, Exception exception);
    }
}
