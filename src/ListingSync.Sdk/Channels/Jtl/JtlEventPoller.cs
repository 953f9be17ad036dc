using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Webhooks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ListingSync.Sdk.Channels.Jtl;

/// <summary>
/// Pulls JTL events, maps them to <see cref="ListingEvent"/>s, runs the handlers registered for their kinds, and
/// acknowledges only what was processed. An event id already recorded in the mapping store is a redelivery: its
/// handlers are not run again and it is acknowledged. An event whose payload cannot be read, or whose handler throws,
/// is reported in the result, not acknowledged (JTL delivers it again), and never blocks the rest of the batch.
/// </summary>
/// <remarks>
/// Order per event: handle, then record the id, then acknowledge. A crash between handling and recording runs the
/// handlers again on redelivery, so handlers must be idempotent (the default handler is).
/// </remarks>
public sealed partial class JtlEventPoller
{
    private readonly JtlClient _client;
    private readonly ListingEventProcessor _processor;
    private readonly IMappingStore _store;
    private readonly IOptionsMonitor<JtlClientOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the poller.</summary>
    public JtlEventPoller(JtlClient client, ListingEventProcessor processor, IMappingStore store, IOptionsMonitor<JtlClientOptions> options, TimeProvider? timeProvider = null, ILogger<JtlEventPoller>? logger = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _processor = processor ?? throw new ArgumentNullException(nameof(processor));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>One pull: process what came and acknowledge what was processed.</summary>
    public async Task<JtlPollResult> PollOnceAsync(CancellationToken cancellationToken = default)
    {
        var events = await _client.GetEventsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var processed = new List<string>(events.Count);
        var failed = new List<JtlEventFailure>();
        var duplicates = 0;
        var kept = 0;
        foreach (var jtlEvent in events)
        {
            ListingEvent listingEvent;
            try
            {
                listingEvent = JtlEventMapper.ToListingEvent(jtlEvent);
            }
#pragma warning disable CA1031 // one unreadable event, whatever the cause, is that event's failure: the batch goes on
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                failed.Add(new JtlEventFailure(jtlEvent.Id, jtlEvent.Type, (ex as WebhookPayloadException)?.Field, ex.Message, ex));
                LogUnreadable(jtlEvent.Id, jtlEvent.Type, ex.Message);
                if (JtlEventMapper.Unreadable(jtlEvent) is { } order)
                {
                    // An order event reads the same way on every delivery: waiting for JTL's next one would only end in
                    // the order being dropped. It is kept as a dead letter with its payload, then acknowledged.
                    await _processor.Inbox.KeepAsync(order, $"unreadable JTL order event: {ex.Message}", cancellationToken).ConfigureAwait(false);
                    LogKept(jtlEvent.Id, jtlEvent.Type, order.Kind);
                    kept++;
                    processed.Add(jtlEvent.Id);
                }

                continue;
            }

            var scope = new MappingScope(listingEvent.Channel, listingEvent.Seller);
            if (await _store.HasEventAsync(scope, listingEvent.EventId, cancellationToken).ConfigureAwait(false))
            {
                duplicates++;
                processed.Add(jtlEvent.Id);
                continue;
            }

            if (EventHandlerRegistry.NeedsHostHandler(listingEvent.Kind) && !_processor.HasHostHandler(listingEvent.Kind))
            {
                // An order or an unknown type that no handler of the host takes: acknowledging it after the SDK's own
                // handler would lose it, and leaving it with JTL would lose it too after JTL's 10 deliveries. It is
                // kept as a dead letter in the inbox (with its payload), then acknowledged.
                var reason = $"no handler for JTL event type {jtlEvent.Type}: register one with AddEventHandler<T>(ListingEventKind.{listingEvent.Kind}), then requeue the inbox's dead letters (IEventInbox.RequeueDeadLettersAsync)";
                await _processor.Inbox.KeepAsync(listingEvent, reason, cancellationToken).ConfigureAwait(false);
                LogKept(jtlEvent.Id, jtlEvent.Type, listingEvent.Kind);
                kept++;
                processed.Add(jtlEvent.Id);
                continue;
            }

            try
            {
                await _processor.HandleAsync(listingEvent, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // a handler's failure of any kind is reported and the event left for redelivery
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                failed.Add(new JtlEventFailure(jtlEvent.Id, jtlEvent.Type, null, ex.Message, ex));
                LogHandlerFailed(ex, jtlEvent.Id, jtlEvent.Type);
                continue;
            }

            await _store.TryRecordEventAsync(scope, listingEvent.EventId, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            processed.Add(jtlEvent.Id);
        }

        await _client.AcknowledgeEventsAsync(processed, cancellationToken).ConfigureAwait(false);
        return new JtlPollResult(events.Count, processed.Count - duplicates - kept, duplicates, failed) { Kept = kept };
    }

    /// <summary>Polls until cancelled: again at once while pulls come back full, else after <see cref="JtlClientOptions.PollInterval"/>.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var full = false;
            try
            {
                var result = await PollOnceAsync(cancellationToken).ConfigureAwait(false);
                // Full by the server's measure: JTL returns at most 100 per pull, so a backlog drains without waiting.
                full = result.Received >= Math.Min(_options.CurrentValue.EventLimit, JtlClientOptions.MaxEventsPerPull);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the loop outlives any one failed pull: logged, backed off, tried again
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogPollFailed(ex, ex.Message);
                failures++;
                try
                {
                    // Back off: 1 s, 2 s, 4 s, ... up to the poll interval, so a broken answer does not spin the loop.
                    var delay = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, failures - 1), Math.Max(1, _options.CurrentValue.PollInterval.TotalSeconds)));
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            failures = 0;

            if (!full)
            {
                try
                {
                    await Task.Delay(_options.CurrentValue.PollInterval, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "JTL event {EventId} ({Type}) is unreadable and stays unacknowledged: {Reason}")]
    private partial void LogUnreadable(string eventId, string type, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Handling JTL event {EventId} ({Type}) failed; it stays unacknowledged and comes again")]
    private partial void LogHandlerFailed(Exception exception, string eventId, string type);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "JTL event {EventId} ({Type}) has no handler for {Kind}: kept as a dead letter in the event inbox and acknowledged; register a handler and requeue the dead letters to handle it")]
    private partial void LogKept(string eventId, string type, ListingEventKind kind);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Pulling JTL events failed: {Reason}")]
    private partial void LogPollFailed(Exception exception, string reason);
}

/// <summary>What one pull did.</summary>
/// <param name="Received">Events pulled.</param>
/// <param name="Processed">Events handled and acknowledged now.</param>
/// <param name="Duplicates">Redeliveries of events handled before (acknowledged, not handled again).</param>
/// <param name="Failed">Events left unacknowledged, with the reason.</param>
public sealed record JtlPollResult(int Received, int Processed, int Duplicates, IReadOnlyList<JtlEventFailure> Failed)
{
    /// <summary>Events no handler of the host takes (orders, unknown types), kept as dead letters in the event inbox and acknowledged.</summary>
    public int Kept { get; init; }
}

/// <summary>An event that could not be processed.</summary>
/// <param name="EventId">The event.</param>
/// <param name="Type">Its type.</param>
/// <param name="Field">The payload field at fault, when the payload was the problem.</param>
/// <param name="Reason">What went wrong.</param>
/// <param name="Exception">The exception.</param>
public sealed record JtlEventFailure(string EventId, string Type, string? Field, string Reason, Exception Exception);

/// <summary>Runs <see cref="JtlEventPoller.RunAsync"/> in the background (registered by <c>AddJtlEventPolling()</c>).</summary>
public sealed class JtlEventPollerService(JtlEventPoller poller) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => poller.RunAsync(stoppingToken);
}
