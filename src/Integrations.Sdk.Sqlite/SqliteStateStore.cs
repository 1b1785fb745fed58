using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Integrations.Sdk.Sqlite;

/// <summary>
/// Keeps all of the SDK's state — step memos, checkpoints, dead letters, OAuth tokens and run history — in one
/// SQLite file, so a single-node deployment survives restarts and crashes without a database server.
/// </summary>
/// <remarks>
/// <para>
/// The schema is created, or migrated to this version, on first use. Each migration runs in its own
/// <c>BEGIN IMMEDIATE</c> transaction that rereads the recorded version, so several store instances or
/// processes opening the same file at once apply every migration exactly once.
/// </para>
/// <para>
/// The file runs in WAL mode with <c>synchronous=NORMAL</c>: readers never block the writer, and every write is
/// a single statement, hence atomic. A write that has returned survives the process being killed at any point;
/// only a power loss or operating-system crash can roll back the last writes before it (never corrupting the
/// file). Writes from one instance are serialized in process, and writes that arrive while another is being written
/// are committed together in one transaction (group commit): each call still returns only after its own statement is
/// committed, and a write that fails is retried alone so it fails alone. Other instances and processes wait for the
/// file's write lock for up to <see cref="SqliteStateOptions.BusyTimeout"/>.
/// </para>
/// <para>
/// OAuth tokens are stored unencrypted: protect the file (and its <c>-wal</c> and <c>-shm</c> companions) with
/// file-system permissions as you would a secret.
/// </para>
/// <para>
/// The stores are implemented explicitly: use the instance through <see cref="IStepMemoStore"/>,
/// <see cref="ICheckpointStore"/>, <see cref="IDeadLetterStore"/>, <see cref="ITokenStore"/> and
/// <see cref="IRunHistoryStore"/>. It is safe for concurrent use.
/// </para>
/// </remarks>
public sealed partial class SqliteStateStore
    : IStepMemoStore, ICheckpointStore, IDeadLetterStore, ITokenStore, IRunHistoryStore, IWebhookInbox, IAsyncDisposable, IDisposable
{
    /// <summary>Reads rows into records; a timestamp is one ISO 8601 text column (round-trip format).</summary>
    private static readonly StateRows Rows = new(timestampColumns: 1, ReadTimestamp);

    private readonly SqliteStateSettings _settings;
    private readonly string _connectionPragmas;
    private readonly TimeProvider _time;

    private readonly StateInitialization _initialization;

    // The semaphore exposes no wait handle, so it needs no disposing; leaving it undisposed also lets operations
    // still in flight at disposal release it safely.
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentQueue<PendingWrite> _pendingWrites = new();
    private int _disposed;

    /// <summary>Creates a store over the database file at <paramref name="path"/>.</summary>
    /// <param name="path">The database file, for example <c>integrations.db</c>; created on first use.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, whitespace or not a valid file path.</exception>
    public SqliteStateStore(string path)
        : this(new SqliteStateOptions { Path = path ?? throw new ArgumentNullException(nameof(path)) })
    {
    }

    /// <summary>Creates a store from options.</summary>
    /// <param name="options">The options; read once, here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are incomplete, contradictory or name no writable file.</exception>
    public SqliteStateStore(SqliteStateOptions options)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Resolve(), options.TimeProvider ?? TimeProvider.System)
    {
    }

    /// <summary>Creates a store from validated settings (<c>UseSqliteState</c> resolves its options once, at registration).</summary>
    internal SqliteStateStore(SqliteStateSettings settings, TimeProvider time)
    {
        _settings = settings;
        _time = time;
        _initialization = new StateInitialization(InitializeAsync);
        _connectionPragmas = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {_settings.BusyTimeoutMs}; PRAGMA synchronous = NORMAL;");
    }

    /// <summary>
    /// Releases the pooled connections to the file. Operations already running complete; later calls throw
    /// <see cref="ObjectDisposedException"/>. Safe to call more than once.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        using var connection = new SqliteConnection(_settings.ConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <inheritdoc cref="Dispose" />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Runs one write statement, serialized with this instance's other writes, and returns the rows changed once it
    /// is committed. Writes that arrive while another is being written are committed together, in one transaction
    /// (see <see cref="DrainWritesAsync"/>): each caller still returns only after its own statement is committed.
    /// </summary>
    private async ValueTask<int> WriteAsync<TState>(
        string sql,
        TState state,
        Action<SqliteParameterCollection, TState> bind,
        CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var write = new PendingWrite<TState>(sql, state, bind);
        _pendingWrites.Enqueue(write);
        if (_writeLock.Wait(0, CancellationToken.None))
        {
            await WriteQueuedAndReleaseAsync().ConfigureAwait(false);
        }

        try
        {
            return await write.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !write.Completion.IsCompleted)
        {
            if (write.TryCancel())
            {
                throw; // never written
            }

            // Already being written: its outcome is known in a moment, and the caller must learn it.
            return await write.Completion.ConfigureAwait(false);
        }
    }

    /// <summary>Runs one query and maps each row.</summary>
    private async ValueTask<List<TRow>> ReadAsync<TState, TRow>(
        string sql,
        TState state,
        Action<SqliteParameterCollection, TState> bind,
        Func<DbDataReader, TRow> map,
        CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command.Parameters, state);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<TRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    private async ValueTask<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_settings.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // Per-connection settings; a pooled connection already has them, and setting them again is cheap.
            using var command = connection.CreateCommand();
            command.CommandText = _connectionPragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private ValueTask EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        return _initialization.EnsureAsync(cancellationToken);
    }

    /// <summary>Creates the file (and its directory), switches it to WAL mode and applies the missing migrations.</summary>
    private async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(_settings.Directory))
        {
            Directory.CreateDirectory(_settings.Directory);
        }

        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await EnableWriteAheadLogAsync(connection, cancellationToken).ConfigureAwait(false);
        while (await ApplyNextMigrationAsync(connection, Now(), cancellationToken).ConfigureAwait(false))
        {
        }
    }

    private static async ValueTask EnableWriteAheadLogAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        // The journal mode is stored in the file, so this is a no-op for every connection after the first.
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        var mode = (string?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"The SQLite state database \"{connection.DataSource}\" could not be switched to WAL mode (journal mode is \"{mode}\").");
        }
    }

    /// <summary>
    /// Applies the migration after the recorded version, if any, in one immediate transaction. Returns whether
    /// one was applied. The version is read under the write lock, so a concurrent opener never applies it twice.
    /// </summary>
    private static async ValueTask<bool> ApplyNextMigrationAsync(SqliteConnection connection, string appliedAt, CancellationToken cancellationToken)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;

        command.CommandText = SqliteSchema.CreateVersionTable;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version;";
        var version = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (version > SqliteSchema.CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The SQLite state database \"{connection.DataSource}\" has schema version {version}, but this version of " +
                $"Integrations.Sdk.Sqlite knows versions up to {SqliteSchema.CurrentVersion}. Upgrade the package, or use another file.");
        }

        if (version == SqliteSchema.CurrentVersion)
        {
            transaction.Commit();
            return false;
        }

        command.CommandText = SqliteSchema.Migrations[version];
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        command.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES ($version, $applied_at);";
        command.Parameters.AddWithValue("$version", version + 1);
        command.Parameters.AddWithValue("$applied_at", appliedAt);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        transaction.Commit();
        return true;
    }

    private string Now() => FormatTimestamp(_time.GetUtcNow());

    private static string FormatTimestamp(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal) =>
        DateTimeOffset.ParseExact(reader.GetString(ordinal), "O", CultureInfo.InvariantCulture, DateTimeStyles.None);

    private static object DbValue(string? value) => value ?? (object)DBNull.Value;
}
