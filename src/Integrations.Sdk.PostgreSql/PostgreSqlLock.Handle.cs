namespace Integrations.Sdk.PostgreSql;

public sealed partial class PostgreSqlLock
{
    /// <summary>A held lock: releases it on the server, then in process, when disposed; <see cref="ILockHandle.Lost"/> is cancelled when its connection breaks.</summary>
    private sealed class Handle(PostgreSqlLock owner, long key, NamedGates.Gate gate, long generation) : ILockHandle
    {
        // Never disposed: it has no timer or wait handle, and SignalLost may run after the handle is released.
        private readonly CancellationTokenSource _lost = new();
        private int _released;

        public string Name => gate.Name;

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
                owner._gates.Release(gate);
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
