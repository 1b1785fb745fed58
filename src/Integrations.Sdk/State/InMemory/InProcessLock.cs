namespace Integrations.Sdk.State.InMemory;

/// <summary>
/// An <see cref="IDistributedLock"/> that excludes the threads of this process only: the default, right for a
/// single host instance per state store.
/// </summary>
public sealed class InProcessLock : IDistributedLock
{
    private readonly NamedGates _gates = new();

    /// <inheritdoc />
    public bool SpansProcesses => false;

    /// <inheritdoc />
    public async ValueTask<ILockHandle> AcquireAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var gate = await _gates.WaitAsync(name, cancellationToken).ConfigureAwait(false);
        return new Handle(_gates, gate);
    }

    /// <inheritdoc />
    public ValueTask<ILockHandle?> TryAcquireAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        cancellationToken.ThrowIfCancellationRequested();
        var gate = _gates.TryEnter(name);
        return ValueTask.FromResult<ILockHandle?>(gate is null ? null : new Handle(_gates, gate));
    }

    private sealed class Handle(NamedGates gates, NamedGates.Gate gate) : ILockHandle
    {
        private int _released;

        public string Name => gate.Name;

        public CancellationToken Lost => CancellationToken.None;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gates.Release(gate);
            }

            return ValueTask.CompletedTask;
        }
    }
}
