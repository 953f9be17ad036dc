using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Storage;
using Npgsql;

namespace ListingSync.Sdk.PostgreSql;

/// <summary>
/// An <see cref="IMappingStore"/> in PostgreSQL, shared by every worker of a host. The database enforces one mapping
/// per (channel, seller, reference) and per (channel, seller, listing id); a version column gives optimistic
/// concurrency; a lease per (channel, seller) carries a fencing token that every fenced write checks in its own
/// transaction (the lease row is read <c>FOR SHARE</c>, so it cannot move until the write commits). New mappings of a
/// batch are written set-based (one <c>unnest</c> statement per scope). The schema is created and migrated on first use
/// under an advisory lock, or by <see cref="MigrateAsync"/> for hosts that forbid DDL at run time.
/// </summary>
public sealed class PostgresMappingStore : IMappingStore, IAsyncDisposable
{
    /// <summary>The schema version this SDK writes.</summary>
    public const int SchemaVersion = 2;

    private const string UniqueViolation = "23505";
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly PostgresStoreOptions _options;
    private readonly string _s;
    private readonly SemaphoreSlim _migrateGate = new(1, 1);
    private volatile bool _migrated;

    /// <summary>Creates the store over <paramref name="options"/>' connection string.</summary>
    public PostgresMappingStore(PostgresStoreOptions options)
        : this(NpgsqlDataSource.Create((options ?? throw new ArgumentNullException(nameof(options))).ConnectionString), options, ownsDataSource: true)
    {
    }

    /// <summary>Creates the store over a data source the host owns (pooling, logging and credentials configured there).</summary>
    public PostgresMappingStore(NpgsqlDataSource dataSource, PostgresStoreOptions options)
        : this(dataSource, options, ownsDataSource: false)
    {
    }

    private PostgresMappingStore(NpgsqlDataSource dataSource, PostgresStoreOptions options, bool ownsDataSource)
    {
        _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        var errors = PostgresStoreOptions.Validate(options, "options");
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        _ownsDataSource = ownsDataSource;
        _s = QuoteIdentifier(options.Schema);
    }

    /// <summary>The options the store was made with.</summary>
    public PostgresStoreOptions Options => _options;

    /// <inheritdoc />
    public async ValueTask<ListingMapping?> FindByReferenceAsync(MappingScope scope, string reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindAsync(connection, null, scope, "reference", reference, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>One query for the whole set (<c>reference = ANY(@references)</c>).</remarks>
    public async ValueTask<IReadOnlyDictionary<string, ListingMapping>> FindByReferencesAsync(MappingScope scope, IReadOnlyCollection<string> references, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(references);
        var found = new Dictionary<string, ListingMapping>(StringComparer.Ordinal);
        if (references.Count == 0)
        {
            return found;
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM {_s}.mappings WHERE channel = @channel AND seller = @seller AND reference = ANY(@references)", connection);
        Scope(command, scope);
        command.Parameters.Add(new NpgsqlParameter<string[]>("references", [.. references]));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var mapping = Read(reader, scope);
            found[mapping.Reference] = mapping;
        }

        return found;
    }

    /// <inheritdoc />
    public async ValueTask<ListingMapping?> FindByListingIdAsync(MappingScope scope, string listingId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listingId);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindAsync(connection, null, scope, "listing_id", listingId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ListingMapping> ListAsync(MappingScope scope, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM {_s}.mappings WHERE channel = @channel AND seller = @seller ORDER BY reference", connection);
        Scope(command, scope);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return Read(reader, scope);
        }
    }

    /// <inheritdoc />
    public async ValueTask<ListingMapping> UpsertAsync(ListingMapping mapping, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        var written = await UpsertManyAsync([mapping], cancellationToken).ConfigureAwait(false);
        return written[0];
    }

    /// <inheritdoc />
    /// <remarks>
    /// One transaction. The fencing tokens are checked first (the lease rows locked <c>FOR SHARE</c> until commit); then
    /// one set-based statement per scope inserts the new mappings and one applies the versioned writes whose version
    /// matches (<c>unnest</c> of the batch's columns); what those leave (an existing reference given as new, a stale
    /// version, a repeated write) goes row by row for its exact answer.
    /// </remarks>
    public async ValueTask<IReadOnlyList<ListingMapping>> UpsertManyAsync(IReadOnlyList<ListingMapping> mappings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mappings);
        foreach (var mapping in mappings)
        {
            ArgumentNullException.ThrowIfNull(mapping, nameof(mappings));
            ArgumentException.ThrowIfNullOrEmpty(mapping.Reference, nameof(mappings));
        }

        if (mappings.Count == 0)
        {
            return [];
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CheckFencesAsync(connection, transaction, mappings, cancellationToken).ConfigureAwait(false);
            var written = new List<ListingMapping>(mappings.Count);
            foreach (var segment in Segments(mappings))
            {
                var set = await WriteSetAsync(connection, transaction, segment, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < segment.Count; i++)
                {
                    written.Add(set[i] ?? await ExplainAsync(connection, transaction, segment[i], cancellationToken).ConfigureAwait(false));
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            await AnalyzeAfterLoadAsync(connection, mappings, cancellationToken).ConfigureAwait(false);
            return written;
        }
        catch (PostgresException ex) when (ex.SqlState == UniqueViolation)
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            throw new MappingConflictException($"A mapping would break a unique constraint (one reference and one listing id per seller and channel): {ex.MessageText} ({ex.ConstraintName})", ex);
        }
    }

    /// <summary>
    /// Refreshes the planner's statistics of the mappings table after this store inserted 10,000, 20,000, 40,000, …
    /// rows. Right after a bulk load the statistics still describe an empty table, and the planner then hashes a
    /// seller's whole table for every batch of versioned writes (95 ms per 1,000 at 100,000 mappings, instead of 5 ms
    /// with index probes) until autovacuum catches up, up to a minute later.
    /// </summary>
    private async Task AnalyzeAfterLoadAsync(NpgsqlConnection connection, IReadOnlyList<ListingMapping> mappings, CancellationToken cancellationToken)
    {
        var inserted = mappings.Count(m => m.Version == 0);
        if (inserted == 0 || Interlocked.Add(ref _insertedSinceAnalyze, inserted) < Volatile.Read(ref _analyzeThreshold))
        {
            return;
        }

        Interlocked.Exchange(ref _insertedSinceAnalyze, 0);
        Volatile.Write(ref _analyzeThreshold, Math.Min(Volatile.Read(ref _analyzeThreshold) * 2, 10_000_000));
        await using var analyze = new NpgsqlCommand($"ANALYZE {_s}.mappings", connection);
        await analyze.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private long _insertedSinceAnalyze;
    private long _analyzeThreshold = 10_000;

    private async Task CheckFencesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<ListingMapping> mappings, CancellationToken cancellationToken)
    {
        var checkedScopes = new HashSet<(MappingScope, long)>();
        foreach (var mapping in mappings)
        {
            if (mapping.LeaseToken is not { } token || !checkedScopes.Add((mapping.Scope, token)))
            {
                continue;
            }

            await using var command = new NpgsqlCommand($"SELECT holder, token, expires_at FROM {_s}.leases WHERE channel = @channel AND seller = @seller FOR SHARE", connection, transaction);
            Scope(command, mapping.Scope);
            (string Holder, long Token, long ExpiresAt)? held = null;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    held = (reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2));
                }
            }

            var now = await NowAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            if (held is not { } h || h.Token != token || h.ExpiresAt <= now.UtcTicks)
            {
                throw new MappingLeaseLostException(held is null || held.Value.Token == token
                    ? $"The lease (token {token}) on {mapping.Scope} has expired: this write was refused. Plan again."
                    : $"The lease (token {token}) on {mapping.Scope} has passed to {held.Value.Holder} (token {held.Value.Token}): this write was refused. Plan again.");
            }
        }
    }

    /// <summary>
    /// The batch cut, in order, into runs in which no reference appears twice: a later write of a reference must see the
    /// earlier one, so it goes in the next run.
    /// </summary>
    private static IEnumerable<List<ListingMapping>> Segments(IReadOnlyList<ListingMapping> mappings)
    {
        var segment = new List<ListingMapping>();
        var keys = new HashSet<(MappingScope, string)>();
        foreach (var mapping in mappings)
        {
            if (!keys.Add((mapping.Scope, mapping.Reference)))
            {
                yield return segment;
                segment = [];
                keys.Clear();
                keys.Add((mapping.Scope, mapping.Reference));
            }

            segment.Add(mapping);
        }

        yield return segment;
    }

    /// <summary>
    /// Writes a run of distinct references set-based, one statement per scope and kind: new mappings (version 0) are
    /// inserted with <c>unnest</c> (a reference that exists is left out); versioned writes are applied where the stored
    /// version matches. Returns, per position, the written mapping or null for what was left out, which
    /// <see cref="ExplainAsync"/> answers.
    /// </summary>
    private async Task<ListingMapping?[]> WriteSetAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<ListingMapping> mappings, CancellationToken cancellationToken)
    {
        var written = new ListingMapping?[mappings.Count];
        foreach (var group in Enumerable.Range(0, mappings.Count).GroupBy(i => (mappings[i].Scope, IsNew: mappings[i].Version == 0)))
        {
            var positions = group.ToList();
            var rows = positions.Select(i => mappings[i]).ToList();
            var sql = group.Key.IsNew
                ? $"""
                    INSERT INTO {_s}.mappings (channel, seller, reference, listing_id, item, state, remote_updated_at, remote_version, is_active, needs_review, version)
                    SELECT @channel, @seller, u.reference, u.listing_id, u.item, u.state, u.remote_updated_at, u.remote_version, u.is_active, u.needs_review, 1
                    FROM unnest(@references, @listing_ids, @items, @states, @remote_updated_ats, @remote_versions, @actives, @reviews)
                         AS u(reference, listing_id, item, state, remote_updated_at, remote_version, is_active, needs_review)
                    ON CONFLICT (channel, seller, reference) DO NOTHING
                    RETURNING reference, version
                    """
                : $"""
                    UPDATE {_s}.mappings m SET listing_id = u.listing_id, item = u.item, state = u.state, remote_updated_at = u.remote_updated_at,
                           remote_version = u.remote_version, is_active = u.is_active, needs_review = u.needs_review, version = m.version + 1
                    FROM unnest(@references, @listing_ids, @items, @states, @remote_updated_ats, @remote_versions, @actives, @reviews, @versions)
                         AS u(reference, listing_id, item, state, remote_updated_at, remote_version, is_active, needs_review, version)
                    WHERE m.channel = @channel AND m.seller = @seller AND m.reference = u.reference AND m.version = u.version
                    RETURNING m.reference, m.version
                    """;
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            Scope(command, group.Key.Scope);
            command.Parameters.Add(new NpgsqlParameter<string[]>("references", [.. rows.Select(m => m.Reference)]));
            command.Parameters.Add(new NpgsqlParameter<string?[]>("listing_ids", [.. rows.Select(m => m.ListingId)]));
            command.Parameters.Add(new NpgsqlParameter<string?[]>("items", [.. rows.Select(m => m.Item is null ? null : JsonSerializer.Serialize(m.Item, PostgresJson.Default.ItemIdentity))]));
            command.Parameters.Add(new NpgsqlParameter<string?[]>("states", [.. rows.Select(m => m.State is null ? null : JsonSerializer.Serialize(StoredState.From(m.State), PostgresJson.Default.StoredState))]));
            command.Parameters.Add(new NpgsqlParameter<string?[]>("remote_updated_ats", [.. rows.Select(m => m.RemoteUpdatedAt?.ToString("O", CultureInfo.InvariantCulture))]));
            command.Parameters.Add(new NpgsqlParameter<string?[]>("remote_versions", [.. rows.Select(m => m.RemoteVersion)]));
            command.Parameters.Add(new NpgsqlParameter<bool[]>("actives", [.. rows.Select(m => m.IsActive)]));
            command.Parameters.Add(new NpgsqlParameter<string?[]>("reviews", [.. rows.Select(m => m.NeedsReview)]));
            if (!group.Key.IsNew)
            {
                command.Parameters.Add(new NpgsqlParameter<long[]>("versions", [.. rows.Select(m => m.Version)]));
            }

            var done = new Dictionary<string, long>(StringComparer.Ordinal);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    done[reader.GetString(0)] = reader.GetInt64(1);
                }
            }

            foreach (var i in positions)
            {
                if (done.TryGetValue(mappings[i].Reference, out var version))
                {
                    written[i] = mappings[i] with { LeaseToken = null, Version = version };
                }
            }
        }

        return written;
    }

    /// <summary>
    /// The answer for a write the set statements left out: the stored mapping when it is a repeated write, else the
    /// conflict (the reference exists for a new mapping, the row is missing, or its version moved on).
    /// </summary>
    private async Task<ListingMapping> ExplainAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ListingMapping mapping, CancellationToken cancellationToken)
    {
        mapping = mapping with { LeaseToken = null };
        var stored = await FindAsync(connection, transaction, mapping.Scope, "reference", mapping.Reference, cancellationToken).ConfigureAwait(false);
        if (stored is not null && MappingContent.Same(stored, mapping))
        {
            return stored; // a repeated write
        }

        throw new MappingConflictException(stored is null
            ? $"Mapping '{mapping.Reference}' in {mapping.Scope} does not exist (version {mapping.Version} given, expected 0)."
            : $"Mapping '{mapping.Reference}' in {mapping.Scope} is at version {stored.Version}, not {mapping.Version}: re-read it and retry.");
    }

    /// <inheritdoc />
    public ValueTask<MappingLease?> TryAcquireLeaseAsync(MappingScope scope, string holder, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        return InLeaseTransactionAsync(scope, (current, now) =>
        {
            if (current is not null && current.ExpiresAt > now)
            {
                return (null, null);
            }

            var lease = new MappingLease(scope, holder, (current?.Token ?? 0) + 1, now, now + duration);
            return (lease, lease);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<MappingLease?> RenewLeaseAsync(MappingLease lease, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return InLeaseTransactionAsync(lease.Scope, (current, now) =>
        {
            if (current is null || current.Token != lease.Token || current.ExpiresAt <= now)
            {
                return (null, null);
            }

            var renewed = current with { ExpiresAt = now + duration };
            return (renewed, renewed);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask ReleaseLeaseAsync(MappingLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await InLeaseTransactionAsync(lease.Scope, (current, _) =>
            current is not null && current.Token == lease.Token
                ? (current with { ExpiresAt = DateTimeOffset.MinValue }, null) // the token stays: never issued again
                : (null, null), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<MappingLease?> GetLeaseAsync(MappingScope scope, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var current = await ReadLeaseAsync(connection, null, scope, forUpdate: false, cancellationToken).ConfigureAwait(false);
        var now = await NowAsync(connection, null, cancellationToken).ConfigureAwait(false);
        return current is not null && current.ExpiresAt > now ? current : null;
    }

    /// <summary>Reads the lease row locked, lets <paramref name="decide"/> choose what to write, writes it, commits.</summary>
    private async ValueTask<MappingLease?> InLeaseTransactionAsync(MappingScope scope, Func<MappingLease?, DateTimeOffset, (MappingLease? Write, MappingLease? Result)> decide, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // A row to lock even on the first acquisition: two workers racing for a new scope serialise on it.
        await using (var seed = new NpgsqlCommand($"INSERT INTO {_s}.leases (channel, seller, holder, token, acquired_at, expires_at) VALUES (@channel, @seller, '', 0, 0, 0) ON CONFLICT DO NOTHING", connection, transaction))
        {
            Scope(seed, scope);
            await seed.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var current = await ReadLeaseAsync(connection, transaction, scope, forUpdate: true, cancellationToken).ConfigureAwait(false);
        var now = await NowAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var (write, result) = decide(current, now);
        if (write is not null)
        {
            await using var command = new NpgsqlCommand($"UPDATE {_s}.leases SET holder = @holder, token = @token, acquired_at = @acquired, expires_at = @expires WHERE channel = @channel AND seller = @seller", connection, transaction);
            Scope(command, scope);
            command.Parameters.AddWithValue("holder", write.Holder);
            command.Parameters.AddWithValue("token", write.Token);
            command.Parameters.AddWithValue("acquired", write.AcquiredAt.UtcTicks);
            command.Parameters.AddWithValue("expires", write.ExpiresAt.UtcTicks);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task<MappingLease?> ReadLeaseAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, MappingScope scope, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT holder, token, acquired_at, expires_at FROM {_s}.leases WHERE channel = @channel AND seller = @seller{(forUpdate ? " FOR UPDATE" : "")}", connection, transaction);
        Scope(command, scope);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false) || reader.GetInt64(1) == 0)
        {
            return null; // no row, or the placeholder written to lock on before any lease was issued
        }

        return new MappingLease(scope, reader.GetString(0), reader.GetInt64(1), Ticks(reader.GetInt64(2)), Ticks(reader.GetInt64(3)));

        static DateTimeOffset Ticks(long ticks) => ticks <= DateTimeOffset.MinValue.UtcTicks ? DateTimeOffset.MinValue : new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    /// <summary>
    /// "Now" in Unix milliseconds as SQL for <paramref name="command"/>: the injected clock as a parameter, else the
    /// server's statement time (stable within the statement, so an index on a time column stays usable). Saves the
    /// round trip of <see cref="NowAsync"/> on the inbox's hot paths.
    /// </summary>
    internal string NowMillis(NpgsqlCommand command)
    {
        if (_options.Clock is { } clock)
        {
            command.Parameters.AddWithValue("now_ms", clock.GetUtcNow().ToUnixTimeMilliseconds());
            return "@now_ms";
        }

        return "(extract(epoch from statement_timestamp()) * 1000)::bigint";
    }

    /// <summary>The time leases are judged by: the injected clock, else the database server's (one clock for every worker).</summary>
    internal async Task<DateTimeOffset> NowAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        if (_options.Clock is { } clock)
        {
            return clock.GetUtcNow();
        }

        await using var command = new NpgsqlCommand("SELECT clock_timestamp()", connection, transaction);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return new DateTimeOffset(DateTime.SpecifyKind((DateTime)value!, DateTimeKind.Utc));
    }

    /// <inheritdoc />
    public async ValueTask<string?> GetCursorAsync(MappingScope scope, string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT value FROM {_s}.cursors WHERE channel = @channel AND seller = @seller AND name = @name", connection);
        Scope(command, scope);
        command.Parameters.AddWithValue("name", name);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <inheritdoc />
    public async ValueTask SetCursorAsync(MappingScope scope, string name, string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"INSERT INTO {_s}.cursors (channel, seller, name, value) VALUES (@channel, @seller, @name, @value) ON CONFLICT (channel, seller, name) DO UPDATE SET value = excluded.value", connection);
        Scope(command, scope);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("value", value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryRecordEventAsync(MappingScope scope, string eventId, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"INSERT INTO {_s}.events (channel, seller, event_id, received_at) VALUES (@channel, @seller, @event_id, @received_at) ON CONFLICT DO NOTHING", connection);
        Scope(command, scope);
        command.Parameters.AddWithValue("event_id", eventId);
        command.Parameters.AddWithValue("received_at", receivedAt.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> HasEventAsync(MappingScope scope, string eventId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT 1 FROM {_s}.events WHERE channel = @channel AND seller = @seller AND event_id = @event_id", connection);
        Scope(command, scope);
        command.Parameters.AddWithValue("event_id", eventId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc />
    public async ValueTask<int> PurgeEventsAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"DELETE FROM {_s}.events WHERE received_at < @cutoff", connection);
        command.Parameters.AddWithValue("cutoff", olderThan.ToUnixTimeMilliseconds());
        var purged = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        // Handled events of the inbox go with their ids; pending ones and dead letters stay.
        command.CommandText = $"DELETE FROM {_s}.inbox WHERE state = 1 AND accepted_at < @cutoff";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return purged;
    }

    /// <summary>
    /// Creates or migrates the schema now, under a transaction-scoped advisory lock: workers starting together wait for
    /// one another and find the work done. For hosts that forbid DDL at run time, run it from a deployment step and set
    /// <see cref="PostgresStoreOptions.AutoMigrate"/> to false.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await MigrateCoreAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }

        _migrateGate.Dispose();
    }

    internal string SchemaName => _s;

    /// <summary>An open connection to the migrated database (for <see cref="PostgresEventInbox"/>).</summary>
    internal async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (!_migrated)
        {
            try
            {
                await _migrateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    if (!_migrated)
                    {
                        if (_options.AutoMigrate)
                        {
                            await MigrateCoreAsync(connection, cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            await CheckSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
                finally
                {
                    _migrateGate.Release();
                }
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return connection;
    }

    private async Task CheckSchemaAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {_s}.schema_version", connection);
        int current;
        try
        {
            current = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
        catch (PostgresException ex) when (ex.SqlState is "42P01" or "3F000")
        {
            current = 0;
        }

        if (current != SchemaVersion)
        {
            throw new ListingSyncException($"The PostgreSQL schema {_options.Schema} is at version {current}, this SDK needs {SchemaVersion}, and AutoMigrate is off: run PostgresMappingStore.MigrateAsync() from a deployment step.");
        }

        _migrated = true;
    }

    private async Task MigrateCoreAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext(@key))", connection, transaction);
        command.Parameters.AddWithValue("key", "listingsync-migrate:" + _options.Schema);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        command.Parameters.Clear();
        command.CommandText = $"CREATE SCHEMA IF NOT EXISTS {_s}; CREATE TABLE IF NOT EXISTS {_s}.schema_version (version integer NOT NULL);";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        command.CommandText = $"SELECT coalesce(max(version), 0) FROM {_s}.schema_version";
        var current = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (current > SchemaVersion)
        {
            throw new ListingSyncException($"The PostgreSQL schema {_options.Schema} is at version {current}, newer than this SDK's {SchemaVersion}: upgrade ListingSync.Sdk.PostgreSql.");
        }

        if (current < 1)
        {
            command.CommandText = $"""
                CREATE TABLE {_s}.mappings (
                    channel text NOT NULL, seller text NOT NULL, reference text NOT NULL, listing_id text NULL,
                    item jsonb NULL, state jsonb NULL, remote_updated_at text NULL, remote_version text NULL,
                    is_active boolean NOT NULL, needs_review text NULL, version bigint NOT NULL,
                    PRIMARY KEY (channel, seller, reference));
                CREATE UNIQUE INDEX ux_mappings_listing ON {_s}.mappings (channel, seller, listing_id) WHERE listing_id IS NOT NULL;
                CREATE TABLE {_s}.cursors (channel text NOT NULL, seller text NOT NULL, name text NOT NULL, value text NOT NULL, PRIMARY KEY (channel, seller, name));
                CREATE TABLE {_s}.events (channel text NOT NULL, seller text NOT NULL, event_id text NOT NULL, received_at bigint NOT NULL, PRIMARY KEY (channel, seller, event_id));
                CREATE INDEX ix_events_received ON {_s}.events (received_at);
                CREATE TABLE {_s}.leases (channel text NOT NULL, seller text NOT NULL, holder text NOT NULL, token bigint NOT NULL,
                    acquired_at bigint NOT NULL, expires_at bigint NOT NULL, PRIMARY KEY (channel, seller));
                CREATE TABLE {_s}.inbox (
                    channel text NOT NULL, seller text NOT NULL, event_id text NOT NULL, payload text NOT NULL,
                    state smallint NOT NULL, attempt integer NOT NULL, accepted_at bigint NOT NULL, due_at bigint NOT NULL,
                    taken_until bigint NULL, taken_by text NULL, last_error text NULL,
                    PRIMARY KEY (channel, seller, event_id));
                CREATE INDEX ix_inbox_due ON {_s}.inbox (due_at, accepted_at) WHERE state = 0;
                INSERT INTO {_s}.schema_version (version) VALUES (1);
                """;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (current < 2)
        {
            // Version 2: the item and state are stored as the SDK's JSON text. Nothing queries inside them, and parsing
            // each into jsonb on every write cost a fifth of a 100,000-row upsert.
            command.CommandText = $"""
                ALTER TABLE {_s}.mappings ALTER COLUMN item TYPE text USING item::text, ALTER COLUMN state TYPE text USING state::text;
                INSERT INTO {_s}.schema_version (version) VALUES (2);
                """;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _migrated = true;
    }

    private const string Columns = "reference, listing_id, item::text, state::text, remote_updated_at, remote_version, is_active, needs_review, version";

    private async Task<ListingMapping?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, MappingScope scope, string column, string value, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM {_s}.mappings WHERE channel = @channel AND seller = @seller AND {column} = @value", connection, transaction);
        Scope(command, scope);
        command.Parameters.AddWithValue("value", value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader, scope) : null;
    }

    private static ListingMapping Read(NpgsqlDataReader reader, MappingScope scope) => new()
    {
        Scope = scope,
        Reference = reader.GetString(0),
        ListingId = reader.IsDBNull(1) ? null : reader.GetString(1),
        Item = reader.IsDBNull(2) ? null : JsonSerializer.Deserialize(reader.GetString(2), PostgresJson.Default.ItemIdentity),
        State = reader.IsDBNull(3) ? null : JsonSerializer.Deserialize(reader.GetString(3), PostgresJson.Default.StoredState)!.ToState(),
        RemoteUpdatedAt = reader.IsDBNull(4) ? null : DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture),
        RemoteVersion = reader.IsDBNull(5) ? null : reader.GetString(5),
        IsActive = reader.GetBoolean(6),
        NeedsReview = reader.IsDBNull(7) ? null : reader.GetString(7),
        Version = reader.GetInt64(8),
    };

    private static void Scope(NpgsqlCommand command, MappingScope scope)
    {
        command.Parameters.AddWithValue("channel", scope.Channel);
        command.Parameters.AddWithValue("seller", scope.Seller.SellerId);
    }

    /// <summary>A schema name as a quoted identifier (validated to letters, digits and underscores first).</summary>
    private static string QuoteIdentifier(string name) => "\"" + name + "\"";
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ItemIdentity))]
[JsonSerializable(typeof(StoredState))]
[JsonSerializable(typeof(StoredEvent))]
internal sealed partial class PostgresJson : JsonSerializerContext;
