using System.Data;
using Polly;
using Polly.Retry;
using Npgsql;

namespace Integrations.Sdk.PostgreSql;

/// <summary>
/// An <see cref="IDistributedLock"/> over PostgreSQL session-level advisory locks: a name held by one host instance
/// cannot be taken by another instance using the same database and schema, and is released by PostgreSQL itself when
/// the holder's process dies.
/// </summary>
/// <remarks>
/// <para>
/// Each instance keeps <b>one</b> dedicated, unpooled connection; every advisory lock it holds belongs to that
/// connection's session, and commands on it run one at a time. A name is first taken in process (so it is held at
/// most once per process, advisory locks being re-entrant per session), then on the server with
/// <c>pg_try_advisory_lock</c>. <see cref="AcquireAsync"/> polls that with a growing delay (10 ms up to 250 ms) rather
/// than blocking the shared connection. The key of a name is the first 8 bytes of the SHA-256 of
/// <c>{schema}\n{name}</c>, so deployments on different schemas of one database do not block each other.
/// </para>
/// <para>
/// While any lock is held, the connection is checked (<c>SELECT 1</c>) every
/// <see cref="PostgreSqlStateOptions.LockCheckInterval"/>. When a check or any command fails, the connection is
/// dropped, every held handle's <see cref="ILockHandle.Lost"/> is cancelled (PostgreSQL has released or will release
/// the locks when it notices the session gone), and the next call opens a new connection. A lost handle keeps the
/// name taken in process until it is disposed, so work still running under it never overlaps a new local holder.
/// </para>
/// </remarks>
public sealed partial class PostgreSqlLock : IDistributedLock, IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan InitialRetryDelay = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMilliseconds(250);

    private readonly PostgreSqlStateSettings _settings;
    private readonly TimeProvider _time;
    private readonly NpgsqlDataSource _dataSource;

    // Waits for a name another process holds: tries again at 10 ms, doubling to 250 ms, until it is free or cancelled.
    private readonly ResiliencePipeline<ILockHandle?> _waitForName;

    // A name is taken in process first, so it is held at most once per process (advisory locks are re-entrant per session).
    private readonly NamedGates _gates = new();

    // Serializes every command on the connection and guards the fields below, the held handles and the check timer.
    // It exposes no wait handle, so it needs no disposing, and handles disposed after the lock can still take it.
    private readonly SemaphoreSlim _connectionGate = new(1, 1);
    private readonly HashSet<Handle> _held = [];
    private NpgsqlConnection? _connection;
    private long _generation;

    private int _disposed;

    /// <summary>Creates a lock over the database named by <paramref name="connectionString"/>, scoped to the default schema.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <exception cref="ArgumentNullException"><paramref name="connectionString"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or not a valid connection string.</exception>
    public PostgreSqlLock(string connectionString)
        : this(new PostgreSqlStateOptions { ConnectionString = connectionString ?? throw new ArgumentNullException(nameof(connectionString)) })
    {
    }

    /// <summary>Creates a lock from options (<see cref="PostgreSqlStateOptions.ConnectionString"/>, <see cref="PostgreSqlStateOptions.Schema"/>,
    /// <see cref="PostgreSqlStateOptions.LockCheckInterval"/> and <see cref="PostgreSqlStateOptions.TimeProvider"/>).</summary>
    /// <param name="options">The options; read once, here. No connection is opened until the first lock is taken.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is missing or invalid; the message names it.</exception>
    public PostgreSqlLock(PostgreSqlStateOptions options)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Resolve(), options.TimeProvider)
    {
    }

    /// <summary>Creates a lock from validated settings (<c>UsePostgreSqlState</c> resolves its options once, at registration).</summary>
    internal PostgreSqlLock(PostgreSqlStateSettings settings, TimeProvider time)
    {
        _settings = settings;
        _time = time;
        _dataSource = NpgsqlDataSource.Create(_settings.LockConnectionString);
        _waitForName = new ResiliencePipelineBuilder<ILockHandle?> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<ILockHandle?>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome is { Exception: null, Result: null }),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = InitialRetryDelay,
                MaxDelay = MaxRetryDelay,
                UseJitter = false,
            })
            .Build();
    }

    /// <inheritdoc />
    /// <value>Always <see langword="true"/>.</value>
    public bool SpansProcesses => true;

    /// <summary>The server process id of the lock's connection, or <see langword="null"/> when none is open (for tests).</summary>
    internal int? BackendProcessId
    {
        get
        {
            var connection = Volatile.Read(ref _connection);
            return connection is { State: ConnectionState.Open } ? connection.ProcessID : null;
        }
    }

    /// <inheritdoc />
    /// <exception cref="ObjectDisposedException">The lock has been disposed.</exception>
    /// <exception cref="NpgsqlException">The server could not be reached; nothing is held.</exception>
    public async ValueTask<ILockHandle> AcquireAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var gate = await _gates.WaitAsync(name, cancellationToken).ConfigureAwait(false);
        try
        {
            var handle = await _waitForName.ExecuteAsync(TryOnceAsync, cancellationToken).ConfigureAwait(false);
            return handle!;

            async ValueTask<ILockHandle?> TryOnceAsync(CancellationToken ct) => await TryLockOnServerAsync(name, gate, ct).ConfigureAwait(false);
        }
        catch
        {
            _gates.Release(gate);
            throw;
        }
    }

    /// <inheritdoc />
    /// <exception cref="ObjectDisposedException">The lock has been disposed.</exception>
    /// <exception cref="NpgsqlException">The server could not be reached; nothing is held.</exception>
    public async ValueTask<ILockHandle?> TryAcquireAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (_gates.TryEnter(name) is not { } gate)
        {
            return null;
        }

        try
        {
            var handle = await TryLockOnServerAsync(name, gate, cancellationToken).ConfigureAwait(false);
            if (handle is null)
            {
                _gates.Release(gate);
            }

            return handle;
        }
        catch
        {
            _gates.Release(gate);
            throw;
        }
    }

    /// <summary>
    /// Closes the connection, which releases every lock this instance holds on the server, and cancels the
    /// <see cref="ILockHandle.Lost"/> token of every handle still held. Safe to call more than once.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        List<Handle> lost;
        await _connectionGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            lost = DropConnection();
        }
        finally
        {
            _connectionGate.Release();
        }

        SignalLost(lost);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc cref="DisposeAsync" />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        List<Handle> lost;
        _connectionGate.Wait(CancellationToken.None);
        try
        {
            lost = DropConnection();
        }
        finally
        {
            _connectionGate.Release();
        }

        SignalLost(lost);
        _dataSource.Dispose();
    }
}
