using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Storage;
using Microsoft.Data.Sqlite;

namespace ListingSync.Sdk.Sqlite;

/// <summary>
/// An <see cref="IMappingStore"/> in a SQLite file. The schema is created and migrated on first use; the database
/// runs in WAL mode so readers never block the writer, and every write is one <c>BEGIN IMMEDIATE</c> transaction,
/// so several processes on one machine can share the file. Unique constraints and the version column — not
/// in-process locks — keep concurrent writers correct.
/// </summary>
public sealed class SqliteMappingStore : IMappingStore
{
    private const int SchemaVersion = 3;
    private const int SqliteConstraint = 19;

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly object _migrateGate = new();
    private volatile bool _migrated;

    /// <summary>Opens (and if needed creates) the store in the file at <paramref name="path"/>.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="timeProvider">The clock leases expire by (default the system clock; processes sharing the file share the machine's clock).</param>
    public SqliteMappingStore(string path, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _time = timeProvider ?? TimeProvider.System;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <inheritdoc />
    public async ValueTask<ListingMapping?> FindByReferenceAsync(MappingScope scope, string reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindAsync(connection, null, scope, "reference", reference, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>One connection, and one statement per 250 references (<c>reference IN (…)</c>) on the unique index.</remarks>
    public async ValueTask<IReadOnlyDictionary<string, ListingMapping>> FindByReferencesAsync(MappingScope scope, IReadOnlyCollection<string> references, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(references);
        var found = new Dictionary<string, ListingMapping>(StringComparer.Ordinal);
        if (references.Count == 0)
        {
            return found;
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in references.Distinct(StringComparer.Ordinal).Chunk(250))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM ls_mappings WHERE channel = $channel AND seller = $seller AND reference IN ({string.Join(",", Enumerable.Range(0, chunk.Length).Select(i => "$r" + i.ToString(CultureInfo.InvariantCulture)))})";
            Scope(command, scope);
            for (var i = 0; i < chunk.Length; i++)
            {
                command.Parameters.Add("$r" + i.ToString(CultureInfo.InvariantCulture), SqliteType.Text).Value = chunk[i];
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var mapping = Read(reader, scope);
                found[mapping.Reference] = mapping;
            }
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
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM ls_mappings WHERE channel = $channel AND seller = $seller ORDER BY reference";
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
    public async ValueTask<IReadOnlyList<ListingMapping>> UpsertManyAsync(IReadOnlyList<ListingMapping> mappings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mappings);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        using var writer = new Writer(connection, transaction, _time);
        var written = new List<ListingMapping>(mappings.Count);
        try
        {
            foreach (var mapping in mappings)
            {
                cancellationToken.ThrowIfCancellationRequested();
                written.Add(writer.Write(mapping));
            }

            transaction.Commit();
            return written;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint)
        {
            transaction.Rollback();
            throw new MappingConflictException($"A mapping would break a unique constraint (one reference and one listing id per seller and channel): {ex.Message}", ex);
        }
        catch
        {
            transaction.Rollback();
            throw;
        }
    }

    /// <summary>Prepared statements reused across one transaction's writes.</summary>
    private sealed class Writer : IDisposable
    {
        private const int VersionParameter = 10;
        private static readonly string[] WriteParameters = ["$channel", "$seller", "$reference", "$listing_id", "$item", "$state", "$remote_updated_at", "$remote_version", "$is_active", "$needs_review"];

        private readonly SqliteCommand _find;
        private readonly RawStatement _insert;
        private readonly RawStatement _update;
        private readonly SqliteCommand _lease;
        private readonly TimeProvider _time;
        private (MappingScope Scope, long Token)? _verified;

        public Writer(SqliteConnection connection, SqliteTransaction transaction, TimeProvider time)
        {
            _time = time;
            _lease = Command(connection, transaction, "SELECT holder, token, expires_at FROM ls_leases WHERE channel = $channel AND seller = $seller", ["$channel", "$seller"]);
            _find = Command(connection, transaction, $"SELECT {Columns} FROM ls_mappings WHERE channel = $channel AND seller = $seller AND reference = $reference", ["$channel", "$seller", "$reference"]);
            _insert = new RawStatement(connection, """
                INSERT INTO ls_mappings (channel, seller, reference, listing_id, item, state, remote_updated_at, remote_version, is_active, needs_review, version)
                VALUES ($channel, $seller, $reference, $listing_id, $item, $state, $remote_updated_at, $remote_version, $is_active, $needs_review, 1)
                ON CONFLICT (channel, seller, reference) DO NOTHING
                """, WriteParameters);
            _update = new RawStatement(connection, """
                UPDATE ls_mappings SET listing_id = $listing_id, item = $item, state = $state, remote_updated_at = $remote_updated_at,
                       remote_version = $remote_version, is_active = $is_active, needs_review = $needs_review, version = version + 1
                WHERE channel = $channel AND seller = $seller AND reference = $reference AND version = $version
                  AND NOT (listing_id IS $listing_id AND item IS $item AND state IS $state AND remote_updated_at IS $remote_updated_at
                           AND remote_version IS $remote_version AND is_active = $is_active AND needs_review IS $needs_review)
                """, [.. WriteParameters, "$version"]);
        }

        /// <summary>Fencing: a write carrying a lease token is refused unless that lease is held, checked in the write's own transaction.</summary>
        private void Fence(ListingMapping mapping)
        {
            if (mapping.LeaseToken is not { } token || _verified == (mapping.Scope, token))
            {
                return;
            }

            // Fencing: checked inside the write's own transaction, so a lease that lapsed a moment ago cannot slip through.
            _lease.Parameters["$channel"].Value = mapping.Scope.Channel;
            _lease.Parameters["$seller"].Value = mapping.Scope.Seller.SellerId;
            using var reader = _lease.ExecuteReader();
            var held = reader.Read() ? (Holder: reader.GetString(0), Token: reader.GetInt64(1), ExpiresAt: reader.GetInt64(2)) : default;
            if (held.Holder is null || held.Token != token || held.ExpiresAt <= _time.GetUtcNow().UtcTicks)
            {
                throw new MappingLeaseLostException(held.Holder is null || held.Token == token
                    ? $"The lease (token {token}) on {mapping.Scope} has expired: this write was refused. Plan again."
                    : $"The lease (token {token}) on {mapping.Scope} has passed to {held.Holder} (token {held.Token}): this write was refused. Plan again.");
            }

            _verified = (mapping.Scope, token); // once per scope and token per transaction: the lease row cannot move under it
        }

        public ListingMapping Write(ListingMapping mapping)
        {
            ArgumentNullException.ThrowIfNull(mapping);
            ArgumentException.ThrowIfNullOrEmpty(mapping.Reference);
            Fence(mapping);
            mapping = mapping with { LeaseToken = null };

            if (mapping.Version == 0)
            {
                // A new mapping needs one statement; a reference that already exists falls through to the checks below.
                if (Bind(_insert, mapping).Execute() == 1)
                {
                    return mapping with { Version = 1 };
                }
            }
            else
            {
                // The common case: the caller read the current version and changes the content. One statement, no
                // read; it matches nothing when the version moved or the content is already there, and the read
                // below tells those apart.
                if (Bind(_update, mapping).Bind(VersionParameter, mapping.Version).Execute() == 1)
                {
                    return mapping with { Version = mapping.Version + 1 };
                }
            }

            _find.Parameters["$channel"].Value = mapping.Scope.Channel;
            _find.Parameters["$seller"].Value = mapping.Scope.Seller.SellerId;
            _find.Parameters["$reference"].Value = mapping.Reference;
            ListingMapping? stored;
            using (var reader = _find.ExecuteReader())
            {
                stored = reader.Read() ? Read(reader, mapping.Scope) : null;
            }

            if (stored is not null && MappingContent.Same(stored, mapping))
            {
                return stored; // a repeated write
            }

            if (stored is null || mapping.Version != stored.Version)
            {
                throw new MappingConflictException(stored is null
                    ? $"Mapping '{mapping.Reference}' in {mapping.Scope} does not exist (version {mapping.Version} given, expected 0)."
                    : $"Mapping '{mapping.Reference}' in {mapping.Scope} is at version {stored.Version}, not {mapping.Version}: re-read it and retry.");
            }

            if (Bind(_update, mapping).Bind(VersionParameter, stored.Version).Execute() != 1)
            {
                throw new MappingConflictException($"Mapping '{mapping.Reference}' in {mapping.Scope} changed while it was being written: re-read it and retry.");
            }

            return mapping with { Version = stored.Version + 1 };
        }

        private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string text, string[] parameters)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = text;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
            }

            return command;
        }

        private static RawStatement Bind(RawStatement statement, ListingMapping mapping)
        {
            var (item, state, updatedAt) = Texts(mapping);
            return statement.Bind(0, mapping.Scope.Channel).Bind(1, mapping.Scope.Seller.SellerId).Bind(2, mapping.Reference)
                .Bind(3, mapping.ListingId).Bind(4, item).Bind(5, state).Bind(6, updatedAt).Bind(7, mapping.RemoteVersion)
                .Bind(8, mapping.IsActive ? 1 : 0).Bind(9, mapping.NeedsReview);
        }

        /// <summary>The stored text of a mapping's item, state and marketplace timestamp (one form for every statement).</summary>
        private static (string? Item, string? State, string? UpdatedAt) Texts(ListingMapping mapping) => (
            mapping.Item is null ? null : JsonSerializer.Serialize(mapping.Item, SqliteJson.Default.ItemIdentity),
            mapping.State is null ? null : JsonSerializer.Serialize(StoredState.From(mapping.State), SqliteJson.Default.StoredState),
            mapping.RemoteUpdatedAt?.ToString("O", CultureInfo.InvariantCulture));

        public void Dispose()
        {
            _find.Dispose();
            _insert.Dispose();
            _update.Dispose();
            _lease.Dispose();
        }

        /// <summary>
        /// A statement bound and stepped through SQLitePCL directly, on the transaction's own connection (so inside its
        /// transaction). Microsoft.Data.Sqlite looks every parameter up by name and builds a reader on each execution,
        /// which cost more than SQLite's own work for a one-row write; here the indexes are resolved once.
        /// </summary>
        private sealed class RawStatement : IDisposable
        {
            private readonly SQLitePCL.sqlite3 _db;
            private readonly SQLitePCL.sqlite3_stmt _statement;
            private readonly int[] _index;

            public RawStatement(SqliteConnection connection, string sql, string[] parameters)
            {
                _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
                Check(SQLitePCL.raw.sqlite3_prepare_v2(_db, sql, out _statement));
                _index = Array.ConvertAll(parameters, name => SQLitePCL.raw.sqlite3_bind_parameter_index(_statement, name));
            }

            public RawStatement Bind(int parameter, string? value)
            {
                Check(value is null
                    ? SQLitePCL.raw.sqlite3_bind_null(_statement, _index[parameter])
                    : SQLitePCL.raw.sqlite3_bind_text(_statement, _index[parameter], value));
                return this;
            }

            public RawStatement Bind(int parameter, long value)
            {
                Check(SQLitePCL.raw.sqlite3_bind_int64(_statement, _index[parameter], value));
                return this;
            }

            /// <summary>Runs the statement; the rows it changed. A failure (e.g. a unique constraint) is a <see cref="SqliteException"/>.</summary>
            public int Execute()
            {
                var rc = SQLitePCL.raw.sqlite3_step(_statement);
                var error = rc is SQLitePCL.raw.SQLITE_DONE or SQLitePCL.raw.SQLITE_ROW ? null : Error(rc); // read before the reset
                SQLitePCL.raw.sqlite3_reset(_statement);
                return error is null ? SQLitePCL.raw.sqlite3_changes(_db) : throw error;
            }

            public void Dispose() => _statement.Dispose();

            private void Check(int rc)
            {
                if (rc != SQLitePCL.raw.SQLITE_OK)
                {
                    throw Error(rc);
                }
            }

            private SqliteException Error(int rc) => new(SQLitePCL.raw.sqlite3_errmsg(_db).utf8_to_string(), rc & 0xFF, rc);
        }
    }

    /// <inheritdoc />
    public async ValueTask<MappingLease?> TryAcquireLeaseAsync(MappingScope scope, string holder, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        return await InLeaseTransactionAsync(scope, (command, current, now) =>
        {
            if (current is not null && current.ExpiresAt > now)
            {
                return null;
            }

            var lease = new MappingLease(scope, holder, (current?.Token ?? 0) + 1, now, now + duration);
            WriteLease(command, lease);
            return lease;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<MappingLease?> RenewLeaseAsync(MappingLease lease, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return await InLeaseTransactionAsync(lease.Scope, (command, current, now) =>
        {
            if (current is null || current.Token != lease.Token || current.ExpiresAt <= now)
            {
                return null;
            }

            var renewed = current with { ExpiresAt = now + duration };
            WriteLease(command, renewed);
            return renewed;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask ReleaseLeaseAsync(MappingLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await InLeaseTransactionAsync(lease.Scope, (command, current, _) =>
        {
            if (current is not null && current.Token == lease.Token)
            {
                WriteLease(command, current with { ExpiresAt = DateTimeOffset.MinValue }); // the token stays: never issued again
            }

            return null;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<MappingLease?> GetLeaseAsync(MappingScope scope, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var current = ReadLease(command, scope);
        return current is not null && current.ExpiresAt > _time.GetUtcNow() ? current : null;
    }

    private async Task<MappingLease?> InLeaseTransactionAsync(MappingScope scope, Func<SqliteCommand, MappingLease?, DateTimeOffset, MappingLease?> decide, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: one decision at a time across processes
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var result = decide(command, ReadLease(command, scope), _time.GetUtcNow());
        transaction.Commit();
        return result;
    }

    private static MappingLease? ReadLease(SqliteCommand command, MappingScope scope)
    {
        command.Parameters.Clear();
        command.CommandText = "SELECT holder, token, acquired_at, expires_at FROM ls_leases WHERE channel = $channel AND seller = $seller";
        Scope(command, scope);
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new MappingLease(scope, reader.GetString(0), reader.GetInt64(1), Ticks(reader.GetInt64(2)), Ticks(reader.GetInt64(3)))
            : null;

        static DateTimeOffset Ticks(long ticks) => ticks <= DateTimeOffset.MinValue.UtcTicks ? DateTimeOffset.MinValue : new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    private static void WriteLease(SqliteCommand command, MappingLease lease)
    {
        command.Parameters.Clear();
        command.CommandText = """
            INSERT INTO ls_leases (channel, seller, holder, token, acquired_at, expires_at) VALUES ($channel, $seller, $holder, $token, $acquired, $expires)
            ON CONFLICT (channel, seller) DO UPDATE SET holder = excluded.holder, token = excluded.token, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at
            """;
        Scope(command, lease.Scope);
        command.Parameters.AddWithValue("$holder", lease.Holder);
        command.Parameters.AddWithValue("$token", lease.Token);
        command.Parameters.AddWithValue("$acquired", lease.AcquiredAt.UtcTicks);
        command.Parameters.AddWithValue("$expires", lease.ExpiresAt.UtcTicks);
        command.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public async ValueTask<string?> GetCursorAsync(MappingScope scope, string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM ls_cursors WHERE channel = $channel AND seller = $seller AND name = $name";
        Scope(command, scope);
        command.Parameters.AddWithValue("$name", name);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <inheritdoc />
    public async ValueTask SetCursorAsync(MappingScope scope, string name, string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO ls_cursors (channel, seller, name, value) VALUES ($channel, $seller, $name, $value) ON CONFLICT (channel, seller, name) DO UPDATE SET value = excluded.value";
        Scope(command, scope);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$value", value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryRecordEventAsync(MappingScope scope, string eventId, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO ls_events (channel, seller, event_id, received_at) VALUES ($channel, $seller, $event_id, $received_at) ON CONFLICT DO NOTHING";
        Scope(command, scope);
        command.Parameters.AddWithValue("$event_id", eventId);
        command.Parameters.AddWithValue("$received_at", receivedAt.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> HasEventAsync(MappingScope scope, string eventId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM ls_events WHERE channel = $channel AND seller = $seller AND event_id = $event_id";
        Scope(command, scope);
        command.Parameters.AddWithValue("$event_id", eventId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc />
    public async ValueTask<int> PurgeEventsAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM ls_events WHERE received_at < $cutoff";
        command.Parameters.AddWithValue("$cutoff", olderThan.ToUnixTimeMilliseconds());
        var purged = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        // Handled events of the durable inbox go with their ids; pending ones and dead letters stay.
        command.CommandText = "DELETE FROM ls_inbox WHERE state = 1 AND accepted_at < $cutoff";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return purged;
    }

    private const string Columns = "reference, listing_id, item, state, remote_updated_at, remote_version, is_active, needs_review, version";

    private static async Task<ListingMapping?> FindAsync(SqliteConnection connection, SqliteTransaction? transaction, MappingScope scope, string column, string value, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM ls_mappings WHERE channel = $channel AND seller = $seller AND {column} = $value";
        Scope(command, scope);
        command.Parameters.AddWithValue("$value", value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader, scope) : null;
    }

    private static ListingMapping Read(SqliteDataReader reader, MappingScope scope) => new()
    {
        Scope = scope,
        Reference = reader.GetString(0),
        ListingId = reader.IsDBNull(1) ? null : reader.GetString(1),
        Item = reader.IsDBNull(2) ? null : JsonSerializer.Deserialize(reader.GetString(2), SqliteJson.Default.ItemIdentity),
        State = reader.IsDBNull(3) ? null : JsonSerializer.Deserialize(reader.GetString(3), SqliteJson.Default.StoredState)!.ToState(),
        RemoteUpdatedAt = reader.IsDBNull(4) ? null : DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture),
        RemoteVersion = reader.IsDBNull(5) ? null : reader.GetString(5),
        IsActive = reader.GetInt64(6) != 0,
        NeedsReview = reader.IsDBNull(7) ? null : reader.GetString(7),
        Version = reader.GetInt64(8),
    };

    private static void Scope(SqliteCommand command, MappingScope scope)
    {
        command.Parameters.AddWithValue("$channel", scope.Channel);
        command.Parameters.AddWithValue("$seller", scope.Seller.SellerId);
    }

    /// <summary>An open connection to the migrated database (for <see cref="SqliteEventInbox"/>).</summary>
    internal async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

        // Per connection, not stored in the file: with WAL, NORMAL syncs at checkpoints instead of every commit, which
        // survives a process crash (a power cut may lose the last commits, never corrupt the file). A write that finds
        // the file locked by another writer waits in SQLite's own busy handler (1 ms, 2 ms, 5 ms, … up to 100 ms between
        // tries) rather than failing at once into Microsoft.Data.Sqlite's retry, which sleeps 150 ms per try: two writes
        // of one apply that overlap (a batch's answers while the next batch is recorded) cost a millisecond, not 150.
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000;";
            pragma.ExecuteNonQuery();
        }
        if (!_migrated)
        {
            lock (_migrateGate)
            {
                Migrate(connection);
            }
        }

        return connection;
    }

    private void Migrate(SqliteConnection connection)
    {
        if (_migrated)
        {
            return;
        }

        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
            wal.ExecuteNonQuery();
        }

        // BEGIN IMMEDIATE: a second process migrating at the same moment waits, then finds the work done.
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "CREATE TABLE IF NOT EXISTS ls_schema (version INTEGER NOT NULL); SELECT coalesce(max(version), 0) FROM ls_schema;";
        var current = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (current > SchemaVersion)
        {
            throw new ListingSyncException($"The mapping database is at schema version {current}, newer than this SDK's {SchemaVersion}: upgrade ListingSync.Sdk.Sqlite.");
        }

        if (current < 1)
        {
            command.CommandText = """
                CREATE TABLE ls_mappings (
                    channel TEXT NOT NULL, seller TEXT NOT NULL, reference TEXT NOT NULL, listing_id TEXT NULL,
                    item TEXT NULL, state TEXT NULL, remote_updated_at TEXT NULL, remote_version TEXT NULL,
                    is_active INTEGER NOT NULL, needs_review TEXT NULL, version INTEGER NOT NULL,
                    PRIMARY KEY (channel, seller, reference)) WITHOUT ROWID;
                CREATE UNIQUE INDEX ux_ls_mappings_listing ON ls_mappings (channel, seller, listing_id) WHERE listing_id IS NOT NULL;
                CREATE TABLE ls_cursors (channel TEXT NOT NULL, seller TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
                    PRIMARY KEY (channel, seller, name)) WITHOUT ROWID;
                CREATE TABLE ls_events (channel TEXT NOT NULL, seller TEXT NOT NULL, event_id TEXT NOT NULL, received_at INTEGER NOT NULL,
                    PRIMARY KEY (channel, seller, event_id)) WITHOUT ROWID;
                CREATE INDEX ix_ls_events_received ON ls_events (received_at);
                INSERT INTO ls_schema (version) VALUES (1);
                """;
            command.ExecuteNonQuery();
        }

        if (current < 3)
        {
            // Leases per (channel, seller): one applier at a time, with a fencing token that only grows.
            command.CommandText = """
                CREATE TABLE IF NOT EXISTS ls_leases (
                    channel TEXT NOT NULL, seller TEXT NOT NULL, holder TEXT NOT NULL, token INTEGER NOT NULL,
                    acquired_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
                    PRIMARY KEY (channel, seller)) WITHOUT ROWID;
                """;
            command.ExecuteNonQuery();
        }

        if (current < 2)
        {
            // The durable inbox: accepted events waiting for (or done with, or failed in) their handlers.
            command.CommandText = """
                CREATE TABLE ls_inbox (
                    channel TEXT NOT NULL, seller TEXT NOT NULL, event_id TEXT NOT NULL, payload TEXT NOT NULL,
                    state INTEGER NOT NULL, attempt INTEGER NOT NULL, accepted_at INTEGER NOT NULL, due_at INTEGER NOT NULL,
                    last_error TEXT NULL,
                    PRIMARY KEY (channel, seller, event_id)) WITHOUT ROWID;
                CREATE INDEX ix_ls_inbox_state ON ls_inbox (state, due_at);
                INSERT INTO ls_schema (version) VALUES (2);
                """;
            command.ExecuteNonQuery();
        }

        if (current < 3)
        {
            command.CommandText = "INSERT INTO ls_schema (version) VALUES (3);";
            command.ExecuteNonQuery();
        }

        transaction.Commit();
        _migrated = true;
    }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ItemIdentity))]
[JsonSerializable(typeof(StoredState))]
internal sealed partial class SqliteJson : JsonSerializerContext;
