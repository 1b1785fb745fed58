using System.Collections.Concurrent;
using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Integrations.Sdk.PostgreSql;

/// <summary>
/// Keeps all of the SDK's state — step memos, checkpoints, dead letters, OAuth tokens, run history and the webhook
/// inbox — in one PostgreSQL schema, so several host instances can share it.
/// </summary>
/// <remarks>
/// <para>
/// The schema (by default <c>integrations</c>) is created, or migrated to this version, on first use, in one
/// transaction that first takes a transaction-level advisory lock for the schema: instances starting at once wait
/// for each other, and every migration is applied exactly once.
/// </para>
/// <para>
/// Every write is one statement (an <c>INSERT ... ON CONFLICT</c> upsert where a row is replaced), hence atomic and
/// durable once the call returns. Inbox claims use <c>FOR UPDATE SKIP LOCKED</c>, so concurrent claimers in any
/// number of processes never take the same message.
/// </para>
/// <para>
/// OAuth tokens are stored unencrypted: restrict access to the schema as you would to a secret.
/// </para>
/// <para>
/// The stores are implemented explicitly: use the instance through <see cref="IStepMemoStore"/>,
/// <see cref="ICheckpointStore"/>, <see cref="IDeadLetterStore"/>, <see cref="ITokenStore"/>,
/// <see cref="IRunHistoryStore"/> and <see cref="IWebhookInbox"/>. It is safe for concurrent use. It owns one
/// <see cref="NpgsqlDataSource"/> (one connection pool); the locks are a separate <see cref="PostgreSqlLock"/>.
/// </para>
/// </remarks>
public sealed partial class PostgreSqlStateStore
    : IStepMemoStore, ICheckpointStore, IDeadLetterStore, ITokenStore, IRunHistoryStore, IWebhookInbox, IAsyncDisposable, IDisposable
{
    /// <summary>Reads rows into records; a timestamp is three columns (see <see cref="PostgreSqlTimestamps"/>).</summary>
    private static readonly StateRows Rows = new(PostgreSqlTimestamps.Columns, PostgreSqlTimestamps.Read);

    private readonly PostgreSqlStateSettings _settings;
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, string> _sql = new(StringComparer.Ordinal);

    private readonly StateInitialization _initialization;
    private int _migrationsApplied;
    private int _disposed;

    /// <summary>Creates a store over the database named by <paramref name="connectionString"/>, in the default schema.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <exception cref="ArgumentNullException"><paramref name="connectionString"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or not a valid connection string.</exception>
    public PostgreSqlStateStore(string connectionString)
        : this(new PostgreSqlStateOptions { ConnectionString = connectionString ?? throw new ArgumentNullException(nameof(connectionString)) })
    {
    }

    /// <summary>Creates a store from options.</summary>
    /// <param name="options">The options; read once, here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is missing or invalid; the message names it.</exception>
    public PostgreSqlStateStore(PostgreSqlStateOptions options)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Resolve(), options.TimeProvider)
    {
    }

    /// <summary>Creates a store from validated settings (<c>UsePostgreSqlState</c> resolves its options once, at registration).</summary>
    internal PostgreSqlStateStore(PostgreSqlStateSettings settings, TimeProvider time)
    {
        _settings = settings;
        _time = time;
        _initialization = new StateInitialization(MigrateAsync);
        _dataSource = NpgsqlDataSource.Create(_settings.ConnectionString);
    }

    /// <summary>The schema that holds the tables.</summary>
    public string Schema => _settings.Schema;

    /// <summary>How many migrations this instance applied itself (for tests).</summary>
    internal int MigrationsApplied => Volatile.Read(ref _migrationsApplied);

    /// <summary>
    /// Closes the store's connection pool. Operations already running complete; later calls throw
    /// <see cref="ObjectDisposedException"/>. Safe to call more than once.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _dataSource.Dispose();
        }
    }

    /// <inheritdoc cref="Dispose" />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Runs one statement and returns the rows it changed.</summary>
    private async ValueTask<int> WriteAsync<TState>(
        string sql,
        TState state,
        Action<NpgsqlParameterCollection, TState> bind,
        CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        return await Transient.ExecuteAsync(
            static async (args, ct) =>
            {
                using var command = args.Store._dataSource.CreateCommand(args.Store.Sql(args.Sql));
                args.Bind(command.Parameters, args.State);
                return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            (Store: this, Sql: sql, State: state, Bind: bind),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one statement that returns rows (a query, or a write with <c>RETURNING</c>) and maps each row.</summary>
    private async ValueTask<List<TRow>> ReadAsync<TState, TRow>(
        string sql,
        TState state,
        Action<NpgsqlParameterCollection, TState> bind,
        Func<DbDataReader, TRow> map,
        CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        return await Transient.ExecuteAsync(
            static async (args, ct) =>
            {
                using var command = args.Store._dataSource.CreateCommand(args.Store.Sql(args.Sql));
                args.Bind(command.Parameters, args.State);
                var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var rows = new List<TRow>();
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        rows.Add(args.Map(reader));
                    }

                    return rows;
                }
            },
            (Store: this, Sql: sql, State: state, Bind: bind, Map: map),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns <paramref name="template"/> with <c>{schema}</c> replaced by the quoted schema name (cached).</summary>
    private string Sql(string template) =>
        _sql.GetOrAdd(template, static (t, schema) => t.Replace("{schema}", schema, StringComparison.Ordinal), _settings.QuotedSchema);

    private ValueTask EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        return _initialization.EnsureAsync(cancellationToken);
    }

    /// <summary>
    /// Creates the schema if needed and applies every missing migration, all in one transaction that holds the
    /// schema's transaction-level advisory lock: concurrent starters queue behind it and then find nothing to do.
    /// </summary>
    private ValueTask MigrateAsync(CancellationToken cancellationToken) =>
        Transient.ExecuteAsync(static (store, ct) => store.MigrateOnceAsync(ct), this, cancellationToken);

    private async ValueTask MigrateOnceAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var applied = await MigrateAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref _migrationsApplied, applied);
            }
        }
    }

    /// <summary>The body of <see cref="MigrateAsync(CancellationToken)"/>; returns how many migrations it applied.</summary>
    private async ValueTask<int> MigrateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@class, @schema);", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<int>("class", NpgsqlDbType.Integer) { TypedValue = AdvisoryLockKeys.MigrationClass });
            command.Parameters.Add(new NpgsqlParameter<int>("schema", NpgsqlDbType.Integer) { TypedValue = AdvisoryLockKeys.ForMigration(_settings.Schema) });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // CREATE SCHEMA needs the CREATE privilege on the database even when the schema exists, so look first: a
        // role that may only use an existing schema still starts.
        bool schemaExists;
        using (var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @schema);", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<string>("schema", NpgsqlDbType.Text) { TypedValue = _settings.Schema });
            schemaExists = (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        if (!schemaExists)
        {
            await ExecuteAsync(connection, transaction, $"CREATE SCHEMA {_settings.QuotedSchema};", cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, transaction, Sql(PostgreSqlSchema.CreateVersionTable), cancellationToken).ConfigureAwait(false);

        int version;
        using (var command = new NpgsqlCommand(Sql("SELECT COALESCE(MAX(version), 0) FROM {schema}.schema_version;"), connection, transaction))
        {
            version = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        if (version > PostgreSqlSchema.CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL state schema \"{_settings.Schema}\" has version {version}, but this version of Integrations.Sdk.PostgreSql " +
                $"knows versions up to {PostgreSqlSchema.CurrentVersion}. Upgrade the package, or set {nameof(PostgreSqlStateOptions)}.{nameof(PostgreSqlStateOptions.Schema)} to another schema.");
        }

        var applied = 0;
        for (; version < PostgreSqlSchema.CurrentVersion; version++)
        {
            await ExecuteAsync(connection, transaction, Sql(PostgreSqlSchema.Migrations[version]), cancellationToken).ConfigureAwait(false);
            using var record = new NpgsqlCommand(
                Sql("INSERT INTO {schema}.schema_version (version, applied_at) VALUES (@version, @applied_at);"), connection, transaction);
            record.Parameters.Add(new NpgsqlParameter<int>("version", NpgsqlDbType.Integer) { TypedValue = version + 1 });
            PostgreSqlTimestamps.AddInstant(record.Parameters, "applied_at", _time.GetUtcNow());
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            applied++;
        }

        return applied;
    }

    private static async ValueTask ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddText(NpgsqlParameterCollection parameters, string name, string? value) =>
        parameters.Add(value is null
            ? new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = DBNull.Value }
            : new NpgsqlParameter<string>(name, NpgsqlDbType.Text) { TypedValue = value });

    private static void AddInt(NpgsqlParameterCollection parameters, string name, int value) =>
        parameters.Add(new NpgsqlParameter<int>(name, NpgsqlDbType.Integer) { TypedValue = value });

    private static void AddSmallInt(NpgsqlParameterCollection parameters, string name, int value) =>
        parameters.Add(new NpgsqlParameter<short>(name, NpgsqlDbType.Smallint) { TypedValue = checked((short)value) });
}
