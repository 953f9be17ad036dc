using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Storage;
using ListingSync.Sdk.Webhooks;
using Microsoft.Data.Sqlite;

namespace ListingSync.Sdk.Sqlite;

/// <summary>
/// A durable <see cref="IEventInbox"/> in the same SQLite file as the <see cref="SqliteMappingStore"/>. Accepting an
/// event records its id (the duplicate check) and stores the event in one transaction, so an event answered 200 is
/// never lost: events not yet handled when the process stops are handled after the next start, and retries and dead
/// letters survive restarts. Handlers therefore run at least once per event; the default handler is idempotent, so a
/// handler interrupted half-way and run again ends in the same state.
/// </summary>
/// <remarks>
/// <see cref="ListingEvent.Listing"/> (a whole listing some channels send) is not stored: after a restart such an
/// event carries the listing id only, and the default handler re-fetches the listing.
/// </remarks>
public sealed class SqliteEventInbox : IEventInbox, IDisposable
{
    private const int StatePending = 0;
    private const int StateDone = 1;
    private const int StateDead = 2;

    private readonly SqliteMappingStore _store;
    private readonly TimeProvider _time;
    private readonly EventInboxOptions _options;
    private readonly Channel<InboxItem> _ready = Channel.CreateUnbounded<InboxItem>();
    private readonly SemaphoreSlim _load = new(1, 1);
    private readonly List<ITimer> _timers = [];
    private volatile bool _loaded;
    private int _pending;

    /// <summary>Creates the inbox over <paramref name="store"/>'s file.</summary>
    public SqliteEventInbox(SqliteMappingStore store, TimeProvider? timeProvider = null, EventInboxOptions? options = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _time = timeProvider ?? TimeProvider.System;
        _options = options ?? new EventInboxOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxAttempts, 1, nameof(options));
    }

    /// <inheritdoc />
    public int Pending => Volatile.Read(ref _pending);

    private long _duplicates;

    /// <inheritdoc />
    /// <remarks>Accepted, handled, pending and dead-lettered are read from the file (all processes sharing it, until purged); duplicates are this process's.</remarks>
    public async ValueTask<InboxCounts> GetCountsAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT state, count(*) FROM ls_inbox GROUP BY state";
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                long pending = 0, done = 0, dead = 0;
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var count = reader.GetInt64(1);
                    switch (reader.GetInt32(0))
                    {
                        case StatePending: pending = count; break;
                        case StateDone: done = count; break;
                        case StateDead: dead = count; break;
                    }
                }

                return new InboxCounts(pending + done + dead, done, pending, dead, Interlocked.Read(ref _duplicates));
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<InboxItem>> GetDeadLettersAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT payload, attempt, accepted_at, last_error FROM ls_inbox WHERE state = $dead ORDER BY accepted_at";
            command.Parameters.AddWithValue("$dead", StateDead);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var items = new List<InboxItem>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    items.Add(ReadItem(reader) with { LastError = reader.IsDBNull(3) ? null : new InvalidOperationException(reader.GetString(3)) });
                }

                return items;
            }
        }
    }

    /// <summary>Loads the events left pending by an earlier run into the queue. Called by the first take or accept; call it at start-up to recover at once.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        if (_loaded)
        {
            return;
        }

        await _load.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_loaded)
            {
                return;
            }

            var connection = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT payload, attempt, accepted_at, due_at FROM ls_inbox WHERE state = $pending ORDER BY accepted_at";
                command.Parameters.AddWithValue("$pending", StatePending);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref _pending);
                    Schedule(ReadItem(reader), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)) - _time.GetUtcNow());
                }
            }

            _loaded = true;
        }
        finally
        {
            _load.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> AcceptAsync(ListingEvent listingEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listingEvent);
        var now = _time.GetUtcNow();
        if (!await InsertAsync(listingEvent, StatePending, null, now, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        Interlocked.Increment(ref _pending);
        _ready.Writer.TryWrite(new InboxItem(listingEvent, 1, now));
        return true;
    }

    /// <inheritdoc />
    public async ValueTask<bool> KeepAsync(ListingEvent listingEvent, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listingEvent);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return await InsertAsync(listingEvent, StateDead, reason, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records the event id and stores the event in one transaction; false when the id was seen before.</summary>
    private async Task<bool> InsertAsync(ListingEvent listingEvent, int state, string? error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await using var record = connection.CreateCommand();
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO ls_events (channel, seller, event_id, received_at) VALUES ($channel, $seller, $event_id, $at) ON CONFLICT DO NOTHING";
                Key(record, listingEvent);
                record.Parameters.AddWithValue("$at", now.ToUnixTimeMilliseconds());
                if (await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    Interlocked.Increment(ref _duplicates);
                    return false; // seen before: a duplicate delivery
                }

                await using var store = connection.CreateCommand();
                store.Transaction = transaction;
                store.CommandText = """
                    INSERT INTO ls_inbox (channel, seller, event_id, payload, state, attempt, accepted_at, due_at, last_error)
                    VALUES ($channel, $seller, $event_id, $payload, $state, 1, $at, $at, $error)
                    ON CONFLICT DO UPDATE SET payload = excluded.payload, state = excluded.state, attempt = 1, accepted_at = excluded.accepted_at, due_at = excluded.due_at, last_error = excluded.last_error
                    """;
                Key(store, listingEvent);
                store.Parameters.AddWithValue("$payload", JsonSerializer.Serialize(StoredEvent.From(listingEvent), InboxJson.Default.StoredEvent));
                store.Parameters.AddWithValue("$state", state);
                store.Parameters.AddWithValue("$at", now.ToUnixTimeMilliseconds());
                store.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
                await store.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return true;
    }

    /// <inheritdoc />
    public async ValueTask<InboxItem> TakeAsync(CancellationToken cancellationToken = default)
    {
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return await _ready.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public bool TryTake(out InboxItem? item)
    {
        if (!_loaded)
        {
            LoadAsync().GetAwaiter().GetResult();
        }

        return _ready.Reader.TryRead(out item);
    }

    /// <inheritdoc />
    public async ValueTask CompleteAsync(InboxItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        await UpdateAsync(item.Event, StateDone, item.Attempt, null, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        Interlocked.Decrement(ref _pending);
    }

    /// <inheritdoc />
    public async ValueTask FailAsync(InboxItem item, Exception exception, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(exception);
        if (_options.RetryAfter(item.Attempt) is not { } delay)
        {
            await UpdateAsync(item.Event, StateDead, item.Attempt, exception.Message, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            Interlocked.Decrement(ref _pending);
            return;
        }

        var next = item with { Attempt = item.Attempt + 1, LastError = exception };
        await UpdateAsync(item.Event, StatePending, next.Attempt, exception.Message, _time.GetUtcNow() + delay, cancellationToken).ConfigureAwait(false);
        Schedule(next, delay);
    }

    /// <inheritdoc />
    public async ValueTask<int> RequeueDeadLettersAsync(CancellationToken cancellationToken = default)
    {
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        var dead = await GetDeadLettersAsync(cancellationToken).ConfigureAwait(false);
        foreach (var item in dead)
        {
            await UpdateAsync(item.Event, StatePending, 1, null, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _pending);
            _ready.Writer.TryWrite(item with { Attempt = 1, LastError = null });
        }

        return dead.Count;
    }

    /// <summary>Deletes handled events accepted before <paramref name="olderThan"/> (dead letters are kept).</summary>
    public async Task<int> PurgeHandledAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default)
    {
        var connection = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM ls_inbox WHERE state = $done AND accepted_at < $cutoff";
            command.Parameters.AddWithValue("$done", StateDone);
            command.Parameters.AddWithValue("$cutoff", olderThan.ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_timers)
        {
            foreach (var timer in _timers)
            {
                timer.Dispose();
            }

            _timers.Clear();
        }

        _load.Dispose();
    }

    private void Schedule(InboxItem item, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            _ready.Writer.TryWrite(item);
            return;
        }

        ITimer? timer = null;
        timer = _time.CreateTimer(
            _ =>
            {
                _ready.Writer.TryWrite(item);
                lock (_timers)
                {
                    _timers.Remove(timer!);
                }

                timer!.Dispose();
            },
            null,
            Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
        lock (_timers)
        {
            _timers.Add(timer);
        }

        timer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    private async Task UpdateAsync(ListingEvent listingEvent, int state, int attempt, string? error, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var connection = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE ls_inbox SET state = $state, attempt = $attempt, last_error = $error, due_at = $due WHERE channel = $channel AND seller = $seller AND event_id = $event_id";
            Key(command, listingEvent);
            command.Parameters.AddWithValue("$state", state);
            command.Parameters.AddWithValue("$attempt", attempt);
            command.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
            command.Parameters.AddWithValue("$due", dueAt.ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static InboxItem ReadItem(SqliteDataReader reader) =>
        new(JsonSerializer.Deserialize(reader.GetString(0), InboxJson.Default.StoredEvent)!.ToEvent(), reader.GetInt32(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)));

    private static void Key(SqliteCommand command, ListingEvent listingEvent)
    {
        command.Parameters.AddWithValue("$channel", listingEvent.Channel);
        command.Parameters.AddWithValue("$seller", listingEvent.Seller.SellerId);
        command.Parameters.AddWithValue("$event_id", listingEvent.EventId);
    }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StoredEvent))]
internal sealed partial class InboxJson : JsonSerializerContext;
