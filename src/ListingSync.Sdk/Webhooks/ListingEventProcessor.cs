using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ListingSync.Sdk.Webhooks;

/// <summary>
/// Drains the <see cref="IEventInbox"/>: each event runs through the handlers registered for its kind, in a fresh DI
/// scope; success completes it, an exception hands it back to the inbox for a retry. <see cref="RunAsync"/> is the
/// loop the hosted <see cref="ListingEventWorker"/> runs; <see cref="DrainAsync"/> handles what is queued now
/// (console hosts, tests).
/// </summary>
public sealed partial class ListingEventProcessor
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IEventInbox _inbox;
    private readonly ILogger _logger;

    /// <summary>Creates the processor.</summary>
    public ListingEventProcessor(IServiceScopeFactory scopes, IEventInbox inbox, ILogger<ListingEventProcessor>? logger = null)
    {
        _scopes = scopes ?? throw new ArgumentNullException(nameof(scopes));
        _inbox = inbox ?? throw new ArgumentNullException(nameof(inbox));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The inbox it drains.</summary>
    internal IEventInbox Inbox => _inbox;

    /// <summary>True when the host registered a handler of its own for <paramref name="kind"/> (<c>AddEventHandler</c>).</summary>
    internal bool HasHostHandler(ListingEventKind kind)
    {
        if (_registry is null)
        {
            using var scope = _scopes.CreateScope();
            _registry = scope.ServiceProvider.GetService<EventHandlerRegistry>() ?? new EventHandlerRegistry();
        }

        return _registry.HasHostHandler(kind);
    }

    private EventHandlerRegistry? _registry;

    /// <summary>Runs every handler registered for the event's kind; throws what a handler throws.</summary>
    public async Task HandleAsync(ListingEvent listingEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listingEvent);
        var scope = _scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            foreach (var handler in scope.ServiceProvider.GetKeyedServices<IListingEventHandler>(listingEvent.Kind))
            {
                await handler.HandleAsync(listingEvent, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Handles every event queued now; returns how many were taken.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken = default)
    {
        var count = 0;
        while (_inbox.TryTake(out var item))
        {
            await ProcessAsync(item!, cancellationToken).ConfigureAwait(false);
            count++;
        }

        return count;
    }

    /// <summary>Handles events as they arrive until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            InboxItem item;
            try
            {
                item = await _inbox.TakeAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            await ProcessAsync(item, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ProcessAsync(InboxItem item, CancellationToken cancellationToken)
    {
        try
        {
            await HandleAsync(item.Event, cancellationToken).ConfigureAwait(false);
            await _inbox.CompleteAsync(item, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a handler's failure of any kind goes back to the inbox; nothing is swallowed
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
#pragma warning restore CA1031
        {
            LogHandlerFailed(ex, item.Event.EventId, item.Event.Type, item.Attempt);
            await _inbox.FailAsync(item, ex, CancellationToken.None).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Handling event {EventId} ({Type}) failed on attempt {Attempt}; the inbox keeps it")]
    private partial void LogHandlerFailed(Exception exception, string eventId, string type, int attempt);
}
