using System.Data;
using Npgsql;

namespace Integrations.Sdk.PostgreSql;

// The one connection whose session holds the locks: opened on demand, dropped (with every handle on it) when broken.
public sealed partial class PostgreSqlLock
{
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
}
