using System.Threading.Channels;
using ListingSync.Sdk.Mapping;

namespace ListingSync.Sdk.Webhooks;

/// <summary>
/// An <see cref="IEventInbox"/> whose queue lives in memory and whose processed ids live in the mapping store. If the
/// process dies with events queued, those events are gone (the marketplace was already answered 200): the next
/// reconciliation pass repairs what they would have changed. Dead letters are kept until <see cref="RequeueDeadLettersAsync"/>.
/// </summary>
public sealed class InMemoryEventInbox : IEventInbox
{
    private readonly IMappingStore _store;
    private readonly TimeProvider _time;
    private readonly EventInboxOptions _options;
    private readonly Channel<InboxItem> _queue = Channel.CreateUnbounded<InboxItem>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly List<InboxItem> _deadLetters = [];
    private int _pending;
    private long _accepted;
    private long _handled;
    private long _duplicates;

    /// <summary>Creates the inbox over <paramref name="store"/>.</summary>
    public InMemoryEventInbox(IMappingStore store, TimeProvider? timeProvider = null, EventInboxOptions? options = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _time = timeProvider ?? TimeProvider.System;
        _options = options ?? new EventInboxOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxAttempts, 1, nameof(options));
    }

    /// <inheritdoc />
    public int Pending => Volatile.Read(ref _pending);

    /// <inheritdoc />
    /// <remarks>Counts since this inbox was created (the in-memory inbox keeps nothing across restarts).</remarks>
    public ValueTask<InboxCounts> GetCountsAsync(CancellationToken cancellationToken = default)
    {
        int dead;
        lock (_deadLetters)
        {
            dead = _deadLetters.Count;
        }

        return ValueTask.FromResult(new InboxCounts(Interlocked.Read(ref _accepted), Interlocked.Read(ref _handled), Volatile.Read(ref _pending), dead, Interlocked.Read(ref _duplicates)));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<InboxItem>> GetDeadLettersAsync(CancellationToken cancellationToken = default)
    {
        lock (_deadLetters)
        {
            return ValueTask.FromResult<IReadOnlyList<InboxItem>>([.. _deadLetters]);
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> AcceptAsync(ListingEvent listingEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listingEvent);
        var now = _time.GetUtcNow();
        if (!await _store.TryRecordEventAsync(new MappingScope(listingEvent.Channel, listingEvent.Seller), listingEvent.EventId, now, cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _duplicates);
            return false;
        }

        Interlocked.Increment(ref _accepted);
        Interlocked.Increment(ref _pending);
        _queue.Writer.TryWrite(new InboxItem(listingEvent, 1, now));
        return true;
    }

    /// <inheritdoc />
    public ValueTask<InboxItem> TakeAsync(CancellationToken cancellationToken = default) => _queue.Reader.ReadAsync(cancellationToken);

    /// <inheritdoc />
    public bool TryTake(out InboxItem? item) => _queue.Reader.TryRead(out item);

    /// <inheritdoc />
    public ValueTask CompleteAsync(InboxItem item, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _handled);
        Interlocked.Decrement(ref _pending);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask FailAsync(InboxItem item, Exception exception, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        var failed = item with { LastError = exception };
        if (_options.RetryAfter(item.Attempt) is not { } delay)
        {
            lock (_deadLetters)
            {
                _deadLetters.Add(failed);
            }

            Interlocked.Decrement(ref _pending);
            return ValueTask.CompletedTask;
        }

        var next = failed with { Attempt = item.Attempt + 1 };
        if (delay <= TimeSpan.Zero)
        {
            _queue.Writer.TryWrite(next);
        }
        else
        {
            ITimer? timer = null;
            timer = _time.CreateTimer(
                _ =>
                {
                    _queue.Writer.TryWrite(next);
                    timer?.Dispose();
                },
                null,
                delay,
                Timeout.InfiniteTimeSpan);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask<bool> KeepAsync(ListingEvent listingEvent, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listingEvent);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var now = _time.GetUtcNow();
        if (!await _store.TryRecordEventAsync(new MappingScope(listingEvent.Channel, listingEvent.Seller), listingEvent.EventId, now, cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _duplicates);
            return false;
        }

        Interlocked.Increment(ref _accepted);
        lock (_deadLetters)
        {
            _deadLetters.Add(new InboxItem(listingEvent, 1, now) { LastError = new InvalidOperationException(reason) });
        }

        return true;
    }

    /// <inheritdoc />
    public ValueTask<int> RequeueDeadLettersAsync(CancellationToken cancellationToken = default)
    {
        List<InboxItem> items;
        lock (_deadLetters)
        {
            items = [.. _deadLetters];
            _deadLetters.Clear();
        }

        foreach (var item in items)
        {
            Interlocked.Increment(ref _pending);
            _queue.Writer.TryWrite(item with { Attempt = 1 });
        }

        return ValueTask.FromResult(items.Count);
    }
}
