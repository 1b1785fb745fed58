using System.Collections.Concurrent;
using Integrations.Sdk.State;
using Integrations.Sdk.State.InMemory;

namespace Integrations.Sdk.Tests.Support;

/// <summary>
/// An <see cref="IDistributedLock"/> that claims to span processes: one instance shared by two service providers
/// stands for a lock server shared by two host instances. Records every name taken, and can lose a held lock.
/// </summary>
public sealed class SharedLock : IDistributedLock
{
    private readonly InProcessLock _inner = new();
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _lost = new(StringComparer.Ordinal);

    public bool SpansProcesses => true;

    public ConcurrentQueue<string> Taken { get; } = new();

    public async ValueTask<ILockHandle> AcquireAsync(string name, CancellationToken cancellationToken = default)
    {
        var handle = await _inner.AcquireAsync(name, cancellationToken);
        Taken.Enqueue(name);
        return Wrap(handle);
    }

    public async ValueTask<ILockHandle?> TryAcquireAsync(string name, CancellationToken cancellationToken = default)
    {
        var handle = await _inner.TryAcquireAsync(name, cancellationToken);
        if (handle is null)
        {
            return null;
        }

        Taken.Enqueue(name);
        return Wrap(handle);
    }

    /// <summary>Signals that the held lock <paramref name="name"/> can no longer be guaranteed.</summary>
    public void Lose(string name) => _lost[name].Cancel();

    private Handle Wrap(ILockHandle inner)
    {
        var lost = new CancellationTokenSource();
        _lost[inner.Name] = lost;
        return new Handle(inner, lost);
    }

    private sealed class Handle(ILockHandle inner, CancellationTokenSource lost) : ILockHandle
    {
        public string Name => inner.Name;

        public CancellationToken Lost => lost.Token;

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
