using ListingSync.Sdk.Mapping;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ListingSync.Sdk.Webhooks;

/// <summary>
/// The hosted service that runs <see cref="ListingEventProcessor.RunAsync"/> and, every hour, forgets processed event
/// ids older than <see cref="EventInboxOptions.EventIdRetention"/>. Registered by <c>AddWebhooks()</c>.
/// </summary>
public sealed class ListingEventWorker : BackgroundService
{
    private readonly ListingEventProcessor _processor;
    private readonly IMappingStore _store;
    private readonly TimeProvider _time;
    private readonly EventInboxOptions _options;

    /// <summary>Creates the worker.</summary>
    public ListingEventWorker(ListingEventProcessor processor, IMappingStore store, TimeProvider timeProvider, IOptions<WebhookOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _processor = processor;
        _store = store;
        _time = timeProvider;
        _options = options.Value.Inbox;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var purge = PurgeLoopAsync(stoppingToken);
        await _processor.RunAsync(stoppingToken).ConfigureAwait(false);
        await purge.ConfigureAwait(false);
    }

    private async Task PurgeLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _store.PurgeEventsAsync(_time.GetUtcNow() - _options.EventIdRetention, stoppingToken).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromHours(1), _time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
