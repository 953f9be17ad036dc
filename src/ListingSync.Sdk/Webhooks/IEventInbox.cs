namespace ListingSync.Sdk.Webhooks;

/// <summary>
/// Accepted events waiting for their handlers. Accepting drops duplicates by event id (recorded through the mapping
/// store, so the check holds across restarts and across hosts sharing the store); handling happens later, off the
/// request, and an event whose handler throws is retried, then kept as a dead letter — never lost silently.
/// </summary>
public interface IEventInbox
{
    /// <summary>Accepts an event; false when its id was accepted before (a duplicate delivery), which changes nothing.</summary>
    ValueTask<bool> AcceptAsync(ListingEvent listingEvent, CancellationToken cancellationToken = default);

    /// <summary>Takes the next event to handle, waiting for one.</summary>
    ValueTask<InboxItem> TakeAsync(CancellationToken cancellationToken = default);

    /// <summary>Takes the next event to handle when one is ready now.</summary>
    bool TryTake(out InboxItem? item);

    /// <summary>Marks an event handled.</summary>
    ValueTask CompleteAsync(InboxItem item, CancellationToken cancellationToken = default);

    /// <summary>Records a failed attempt: the event comes back after a delay, or becomes a dead letter after the last attempt.</summary>
    ValueTask FailAsync(InboxItem item, Exception exception, CancellationToken cancellationToken = default);

    /// <summary>Events accepted and not yet handled (queued, in progress or waiting to be retried), as this process counts them.</summary>
    int Pending { get; }

    /// <summary>What the inbox has accepted, handled, still holds and dead-lettered, and the duplicates it dropped.</summary>
    ValueTask<InboxCounts> GetCountsAsync(CancellationToken cancellationToken = default);

    /// <summary>Events whose handlers failed on every attempt, oldest first, with their last error.</summary>
    ValueTask<IReadOnlyList<InboxItem>> GetDeadLettersAsync(CancellationToken cancellationToken = default);

    /// <summary>Puts every dead letter back for a fresh round of attempts (after a fix); returns how many.</summary>
    ValueTask<int> RequeueDeadLettersAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores an event that no handler can take yet as a dead letter with <paramref name="reason"/>: kept, not handled,
    /// so the marketplace can be answered without losing it. <see cref="RequeueDeadLettersAsync"/> hands it to the
    /// handlers once one is registered. False when the event was already in the inbox.
    /// </summary>
    ValueTask<bool> KeepAsync(ListingEvent listingEvent, string reason, CancellationToken cancellationToken = default);
}

/// <summary>An event in the inbox, with its attempt count.</summary>
/// <param name="Event">The event.</param>
/// <param name="Attempt">1 for the first attempt.</param>
/// <param name="AcceptedAt">When it was accepted.</param>
public sealed record InboxItem(ListingEvent Event, int Attempt, DateTimeOffset AcceptedAt)
{
    /// <summary>The error of the last failed attempt.</summary>
    public Exception? LastError { get; init; }
}
