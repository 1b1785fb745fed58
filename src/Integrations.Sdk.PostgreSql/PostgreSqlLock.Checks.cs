using Npgsql;

namespace Integrations.Sdk.PostgreSql;

// The connection check while locks are held: SELECT 1 every LockCheckInterval; a failure drops the connection.
public sealed partial class PostgreSqlLock
{
    // A check may take longer than a short interval on a busy server without the session being in doubt.
    private static readonly TimeSpan MinCheckTimeout = TimeSpan.FromSeconds(5);

    // Under the connection gate.
    private ITimer? _checkTimer;

    private int _checking;

    /// <summary>Starts the checks, unless they run already. Under the gate.</summary>
    private void StartChecks() =>
        _checkTimer ??= _time.CreateTimer(static state => ((PostgreSqlLock)state!).OnCheckTimer(), this, _settings.LockCheckInterval, _settings.LockCheckInterval);

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

    private void StopChecks()
    {
        _checkTimer?.Dispose();
        _checkTimer = null;
    }
}
