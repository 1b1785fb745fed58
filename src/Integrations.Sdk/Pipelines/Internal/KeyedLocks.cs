namespace Integrations.Sdk.Pipelines.Internal;

/// <summary>Serializes work on the same record key (duplicate events arriving together), letting other keys run.</summary>
internal sealed class KeyedLocks
{
    private readonly NamedGates _gates = new();

    public async ValueTask<IDisposable> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        var gate = await _gates.WaitAsync(key, cancellationToken).ConfigureAwait(false);
        return new Releaser(_gates, gate);
    }

    private sealed class Releaser(NamedGates gates, NamedGates.Gate gate) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                gates.Release(gate);
            }
        }
    }
}
