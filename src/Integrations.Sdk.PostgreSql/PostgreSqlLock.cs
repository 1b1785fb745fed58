using System.Data;
using Integrations.Sdk.State;
using Npgsql;
using NpgsqlTypes;

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
public sealed class PostgreSqlLock : IDistributedLock, IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan InitialRetryDelay = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMilliseconds(250);

    // A check may take longer than a short interval on a busy server without the session being in doubt.
    private static readonly TimeSpan MinCheckTimeout = TimeSpan.FromSeconds(5);

    private readonly PostgreSqlStateSettings _settings;
    private readonly TimeProvider _time;
    private readonly NpgsqlDataSource _dataSource;
    private readonly Dictionary<string, LocalGate> _gates = new(StringComparer.Ordinal);

    // Serializes every command on the connection and guards the fields below. It exposes no wait handle, so it
    // needs no disposing, and handles disposed after the lock can still take it.
    private readonly SemaphoreSlim _connectionGate = new(1, 1);
    private readonly HashSet<Handle> _held = [];
    private NpgsqlConnection? _connection;
    private long _generation;
    private ITimer? _checkTimer;

    private int _checking;
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
        var gate = EnterGate(name);
        try
        {
            await gate.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            LeaveGate(name, gate, held: false);
            throw;
        }

        try
        {
            var delay = InitialRetryDelay;
            while (true)
            {
                var handle = await TryLockOnServerAsync(name, gate, cancellationToken).ConfigureAwait(false);
                if (handle is not null)
                {
                    return handle;
                }

                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
        catch
        {
            LeaveGate(name, gate, held: true);
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
        var gate = EnterGate(name);
        if (!gate.Semaphore.Wait(0, CancellationToken.None))
        {
            LeaveGate(name, gate, held: false);
            return null;
        }

        try
        {
            var handle = await TryLockOnServerAsync(name, gate, cancellationToken).ConfigureAwait(false);
            if (handle is null)
            {
                LeaveGate(name, gate, held: true);
            }

            return handle;
        }
        catch
        {
            LeaveGate(name, gate, held: true);
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

    /// <summary>One <c>pg_try_advisory_lock</c> on the shared connection; a handle when it was granted.</summary>
    private async ValueTask<Handle?> TryLockOnServerAsync(string name, LocalGate gate, CancellationToken cancellationToken)
    {
        var key = AdvisoryLockKeys.ForName(_settings.Schema, name);
        var lost = new List<Handle>();
        await _connectionGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            var connection = await EnsureConnectionAsync(lost, cancellationToken).ConfigureAwait(false);
            bool granted;
            try
            {
                // Not cancelled by the caller: once sent, the outcome must be known, or the lock could stay held.
                granted = await ExecuteBooleanAsync(connection, "SELECT pg_try_advisory_lock(@key);", key, CancellationToken.None).ConfigureAwait(false);
            }
            catch
            {
                lost.AddRange(DropConnection());
                throw;
            }

            if (!granted)
            {
                return null;
            }

            var handle = new Handle(this, name, key, gate, _generation);
            _held.Add(handle);
            _checkTimer ??= _time.CreateTimer(static state => ((PostgreSqlLock)state!).OnCheckTimer(), this, _settings.LockCheckInterval, _settings.LockCheckInterval);
            return handle;
        }
        finally
        {
            _connectionGate.Release();
            SignalLost(lost);
        }
    }

    /// <summary>Releases a handle's advisory lock, unless the connection that held it is gone (and with it the lock).</summary>
    private async ValueTask UnlockOnServerAsync(Handle handle)
    {
        List<Handle>? lost = null;
        await _connectionGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (!_held.Remove(handle))
            {
                return;
            }

            if (_held.Count == 0)
            {
                StopChecks();
            }

            if (_connection is { } connection && handle.Generation == _generation)
            {
                try
                {
                    await ExecuteBooleanAsync(connection, "SELECT pg_advisory_unlock(@key);", handle.Key, CancellationToken.None).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // A failed unlock means a broken session: dropping it releases the lock too.
                catch (Exception)
#pragma warning restore CA1031
                {
                    lost = DropConnection();
                }
            }
        }
        finally
        {
            _connectionGate.Release();
            SignalLost(lost);
        }
    }

    private void OnCheckTimer()
    {
        if (Interlocked.Exchange(ref _checking, 1) == 0)
        {
            _ = CheckConnectionAsync();
        }
    }

    /// <summary>The keep-alive check: <c>SELECT 1</c> on the connection while locks are held.</summary>
    private async Task CheckConnectionAsync()
    {
        List<Handle>? lost = null;
        try
        {
            await _connectionGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                if (_held.Count == 0 || Volatile.Read(ref _disposed) != 0)
                {
                    return;
                }

                if (_connection is not { } connection || !IsUsable(connection))
                {
                    lost = DropConnection();
                    return;
                }

                using var timeout = new CancellationTokenSource(
                    _settings.LockCheckInterval > MinCheckTimeout ? _settings.LockCheckInterval : MinCheckTimeout, _time);
                using var command = new NpgsqlCommand("SELECT 1;", connection);
                await command.ExecuteScalarAsync(timeout.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Any failure of the check means the session, and so its locks, can no longer be vouched for.
            catch (Exception)
#pragma warning restore CA1031
            {
                lost = DropConnection();
            }
            finally
            {
                _connectionGate.Release();
            }
        }
        finally
        {
            Volatile.Write(ref _checking, 0);
            SignalLost(lost);
        }
    }

    /// <summary>
    /// Returns the open connection, opening a new one (a new generation) when there is none. A connection found
    /// broken is dropped first; its handles are added to <paramref name="lost"/>. Under the gate.
    /// </summary>
    private async ValueTask<NpgsqlConnection> EnsureConnectionAsync(List<Handle> lost, CancellationToken cancellationToken)
    {
        if (_connection is { } current)
        {
            if (IsUsable(current))
            {
                return current;
            }

            lost.AddRange(DropConnection());
        }

        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        _generation++;
        Volatile.Write(ref _connection, connection);
        return connection;
    }

    /// <summary>Forgets the connection and everything held on it; returns the handles to signal. Under the gate.</summary>
    private List<Handle> DropConnection()
    {
        var lost = _held.ToList();
        _held.Clear();
        StopChecks();
        var connection = _connection;
        Volatile.Write(ref _connection, null);
        if (connection is not null)
        {
            _generation++;
            try
            {
                connection.Dispose();
            }
#pragma warning disable CA1031 // Closing a broken connection may fail; it is being abandoned either way.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        return lost;
    }

    private void StopChecks()
    {
        _checkTimer?.Dispose();
        _checkTimer = null;
    }

    private static void SignalLost(List<Handle>? lost)
    {
        if (lost is null)
        {
            return;
        }

        foreach (var handle in lost)
        {
            handle.SignalLost();
        }
    }

    private static bool IsUsable(NpgsqlConnection connection) =>
        connection.State == ConnectionState.Open && (connection.FullState & ConnectionState.Broken) == 0;

    private static async ValueTask<bool> ExecuteBooleanAsync(NpgsqlConnection connection, string sql, long key, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<long>("key", NpgsqlDbType.Bigint) { TypedValue = key });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private LocalGate EnterGate(string name)
    {
        lock (_gates)
        {
            if (!_gates.TryGetValue(name, out var gate))
            {
                gate = new LocalGate();
                _gates[name] = gate;
            }

            gate.Users++;
            return gate;
        }
    }

    private void LeaveGate(string name, LocalGate gate, bool held)
    {
        if (held)
        {
            gate.Semaphore.Release();
        }

        lock (_gates)
        {
            if (--gate.Users == 0)
            {
                _gates.Remove(name);
                gate.Semaphore.Dispose();
            }
        }
    }

    /// <summary>The in-process gate of one name, shared by everyone holding or waiting for it in this process.</summary>
    private sealed class LocalGate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Handle(PostgreSqlLock owner, string name, long key, LocalGate gate, long generation) : ILockHandle
    {
        // Never disposed: it has no timer or wait handle, and SignalLost may run after the handle is released.
        private readonly CancellationTokenSource _lost = new();
        private int _released;

        public string Name => name;

        public CancellationToken Lost => _lost.Token;

        public long Key => key;

        public long Generation => generation;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            try
            {
                await owner.UnlockOnServerAsync(this).ConfigureAwait(false);
            }
            finally
            {
                owner.LeaveGate(name, gate, held: true);
            }
        }

        public void SignalLost()
        {
            try
            {
                _lost.Cancel();
            }
#pragma warning disable CA1031 // A callback registered on Lost threw; the other handles must still be told.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }
}
