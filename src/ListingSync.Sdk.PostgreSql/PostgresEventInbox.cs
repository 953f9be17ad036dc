using System.Text.Json;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Storage;
using ListingSync.Sdk.Webhooks;
using Npgsql;
using NpgsqlTypes;

namespace ListingSync.Sdk.PostgreSql;

/// <summary>
/// A durable <see cref="IEventInbox"/> in PostgreSQL that several processes take from at once (competing consumers).
/// Accepting records the event id and stores the event in one transaction. Taking claims one due event with
/// <c>FOR UPDATE SKIP LOCKED</c> and makes it invisible for <see cref="PostgresStoreOptions.VisibilityTimeout"/>: each
/// event is handled by one worker at a time, and one that crashed mid-handler is offered again when the timeout ends.
/// Failures are retried per <see cref="EventInboxOptions"/>, then dead-lettered with the error.
/// </summary>
public sealed class PostgresEventInbox : IEventInbox, IDisposable
{
    private const short StatePending = 0;
    private const short StateDone = 1;
    private const short StateDead = 2;

    private readonly PostgresMappingStore _store;
    private readonly EventInboxOptions _options;
    private readonly string _s;
    private readonly string _worker = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
    private long _duplicates;

    /// <summary>Creates the inbox in <paramref name="store"/>'s database and schema.</summary>
    public PostgresEventInbox(PostgresMappingStore store, EventInboxOptions? options = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _options = options ?? new EventInboxOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxAttempts, 1, nameof(options));
        _s = store.SchemaName;
    }

    /// <inheritdoc />
    /// <remarks>As this process counts them: accepted or requeued here, not yet completed or dead-lettered here. Other workers' events are not counted (use <see cref="GetCountsAsync"/>).</remarks>
    public int Pending => Math.Max(0, Volatile.Read(ref _pending));

    private int _pending;

    /// <inheritdoc />
    /// <remarks>Claims from the database synchronously (blocking the caller for one round trip).</remarks>
    public bool TryTake(out InboxItem? item)
    {
        item = TryClaimAsync().GetAwaiter().GetResult();
        return item is not null;
    }

    /// <summary>This process's name in <c>taken_by</c> (machine, process id, instance).</summary>
    public string WorkerName => _worker;

    /// <inheritdoc />
    public async ValueTask<bool> AcceptAsync(ListingEvent listingEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listingEvent);
        var accepted = await InsertAsync(listingEvent, StatePending, null, cancellationToken).ConfigureAwait(false);
        if (accepted)
        {
            Interlocked.Increment(ref _pending);
            _signal.Release();
        }

        return accepted;
    }

    /// <inheritdoc />
    public ValueTask<bool> KeepAsync(ListingEvent listingEvent, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listingEvent);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new ValueTask<bool>(InsertAsync(listingEvent, StateDead, reason, cancellationToken));
    }

    private async Task<bool> InsertAsync(ListingEvent listingEvent, short state, string? error, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var record = new NpgsqlCommand(null, connection, transaction);
        record.CommandText = $"INSERT INTO {_s}.events (channel, seller, event_id, received_at) VALUES (@channel, @seller, @event_id, {_store.NowMillis(record)}) ON CONFLICT DO NOTHING";
        Key(record, listingEvent);
        if (await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            Interlocked.Increment(ref _duplicates);
            return false; // seen before: a duplicate delivery
        }

        await using var store = new NpgsqlCommand(null, connection, transaction);
        var now = _store.NowMillis(store);
        store.CommandText = $"""
            INSERT INTO {_s}.inbox (channel, seller, event_id, payload, state, attempt, accepted_at, due_at, last_error)
            VALUES (@channel, @seller, @event_id, @payload, @state, 1, {now}, {now}, @error)
            ON CONFLICT (channel, seller, event_id) DO UPDATE SET payload = excluded.payload, state = excluded.state, attempt = 1,
                accepted_at = excluded.accepted_at, due_at = excluded.due_at, taken_until = NULL, taken_by = NULL, last_error = excluded.last_error
            """;
        Key(store, listingEvent);
        store.Parameters.AddWithValue("payload", JsonSerializer.Serialize(StoredEvent.From(listingEvent), PostgresJson.Default.StoredEvent));
        store.Parameters.AddWithValue("state", state);
        store.Parameters.AddWithValue("error", NpgsqlDbType.Text, (object?)error ?? DBNull.Value);
        await store.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    /// <remarks>Claims the oldest due event no other worker holds; waits (for this process's accepts, or the poll interval) when there is none.</remarks>
    public async ValueTask<InboxItem> TakeAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (await TryClaimAsync(cancellationToken).ConfigureAwait(false) is { } item)
            {
                return item;
            }

            await _signal.WaitAsync(_store.Options.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Claims one due event, or returns null when none is due.</summary>
    public async Task<InboxItem?> TryClaimAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(null, connection);
        var now = _store.NowMillis(command);
        command.CommandText = $"""
            UPDATE {_s}.inbox i SET taken_until = {now} + @visibility, taken_by = @worker
            FROM (SELECT channel, seller, event_id FROM {_s}.inbox
                  WHERE state = 0 AND due_at <= {now} AND (taken_until IS NULL OR taken_until <= {now})
                  ORDER BY due_at, accepted_at LIMIT 1 FOR UPDATE SKIP LOCKED) c
            WHERE i.channel = c.channel AND i.seller = c.seller AND i.event_id = c.event_id
            RETURNING i.payload, i.attempt, i.accepted_at
            """;
        command.Parameters.AddWithValue("visibility", (long)_store.Options.VisibilityTimeout.TotalMilliseconds);
        command.Parameters.AddWithValue("worker", _worker);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadItem(reader) : null;
    }

    /// <inheritdoc />
    public ValueTask CompleteAsync(InboxItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new ValueTask(CompleteCoreAsync(item, cancellationToken));
    }

    private async Task CompleteCoreAsync(InboxItem item, CancellationToken cancellationToken)
    {
        await UpdateAsync(item.Event, StateDone, item.Attempt, null, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        Interlocked.Decrement(ref _pending);
    }

    /// <inheritdoc />
    public ValueTask FailAsync(InboxItem item, Exception exception, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(exception);
        return new ValueTask(FailCoreAsync(item, exception, cancellationToken));
    }

    private async Task FailCoreAsync(InboxItem item, Exception exception, CancellationToken cancellationToken)
    {
        if (_options.RetryAfter(item.Attempt) is { } delay)
        {
            await UpdateAsync(item.Event, StatePending, item.Attempt + 1, exception.Message, delay, cancellationToken).ConfigureAwait(false);
            return;
        }

        await UpdateAsync(item.Event, StateDead, item.Attempt, exception.Message, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        Interlocked.Decrement(ref _pending);
    }

    /// <inheritdoc />
    public async ValueTask<InboxCounts> GetCountsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT state, count(*) FROM {_s}.inbox GROUP BY state", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        long pending = 0, done = 0, dead = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var count = reader.GetInt64(1);
            switch (reader.GetInt16(0))
            {
                case StatePending: pending = count; break;
                case StateDone: done = count; break;
                case StateDead: dead = count; break;
            }
        }

        return new InboxCounts(pending + done + dead, done, pending, dead, Interlocked.Read(ref _duplicates));
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<InboxItem>> GetDeadLettersAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT payload, attempt, accepted_at, last_error FROM {_s}.inbox WHERE state = 2 ORDER BY accepted_at, event_id", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var items = new List<InboxItem>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(ReadItem(reader) with { LastError = reader.IsDBNull(3) ? null : new InvalidOperationException(reader.GetString(3)) });
        }

        return items;
    }

    /// <inheritdoc />
    public async ValueTask<int> RequeueDeadLettersAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(null, connection);
        command.CommandText = $"UPDATE {_s}.inbox SET state = 0, attempt = 1, due_at = {_store.NowMillis(command)}, taken_until = NULL, taken_by = NULL, last_error = NULL WHERE state = 2";
        var count = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (count > 0)
        {
            Interlocked.Add(ref _pending, count);
            _signal.Release(count);
        }

        return count;
    }

    /// <summary>Deletes handled events accepted before <paramref name="olderThan"/>; pending ones and dead letters stay.</summary>
    public async Task<int> PurgeHandledAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default)
    {
        await using var connection = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"DELETE FROM {_s}.inbox WHERE state = 1 AND accepted_at < @cutoff", connection);
        command.Parameters.AddWithValue("cutoff", olderThan.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _signal.Dispose();

    private async Task UpdateAsync(ListingEvent listingEvent, short state, int attempt, string? error, TimeSpan delay, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(null, connection);
        command.CommandText = $"UPDATE {_s}.inbox SET state = @state, attempt = @attempt, last_error = @error, due_at = {_store.NowMillis(command)} + @delay, taken_until = NULL, taken_by = NULL WHERE channel = @channel AND seller = @seller AND event_id = @event_id";
        Key(command, listingEvent);
        command.Parameters.AddWithValue("state", state);
        command.Parameters.AddWithValue("attempt", attempt);
        command.Parameters.AddWithValue("error", NpgsqlDbType.Text, (object?)error ?? DBNull.Value);
        command.Parameters.AddWithValue("delay", (long)delay.TotalMilliseconds);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static InboxItem ReadItem(NpgsqlDataReader reader) =>
        new(JsonSerializer.Deserialize(reader.GetString(0), PostgresJson.Default.StoredEvent)!.ToEvent(), reader.GetInt32(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)));

    private static void Key(NpgsqlCommand command, ListingEvent listingEvent)
    {
        command.Parameters.AddWithValue("channel", listingEvent.Channel);
        command.Parameters.AddWithValue("seller", listingEvent.Seller.SellerId);
        command.Parameters.AddWithValue("event_id", listingEvent.EventId);
    }
}
