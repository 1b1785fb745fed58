using Npgsql;
using NpgsqlTypes;

namespace Integrations.Sdk.PostgreSql;

// The advisory locks on the server: taking and releasing one on the shared connection.
public sealed partial class PostgreSqlLock
{
    /// <summary>One <c>pg_try_advisory_lock</c> on the shared connection; a handle when it was granted.</summary>
    private async ValueTask<Handle?> TryLockOnServerAsync(string name, NamedGates.Gate gate, CancellationToken cancellationToken)
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

            var handle = new Handle(this, key, gate, _generation);
            _held.Add(handle);
            StartChecks();
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

    private static async ValueTask<bool> ExecuteBooleanAsync(NpgsqlConnection connection, string sql, long key, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<long>("key", NpgsqlDbType.Bigint) { TypedValue = key });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
