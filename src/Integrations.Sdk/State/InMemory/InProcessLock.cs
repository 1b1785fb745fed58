namespace Integrations.Sdk.State.InMemory;

/// <summary>
/// An <see cref="IDistributedLock"/> that excludes the threads of this process only: the default, right for a
/// single host instance per state store.
/// </summary>
public sealed class InProcessLock : IDistributedLock
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public bool SpansProcesses => false;

    /// <inheritdoc />
    public async ValueTask<ILockHandle> AcquireAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var entry = Enter(name);
        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(name, entry, held: false);
            throw;
        }

        return new Handle(this, name, entry);
    }

    /// <inheritdoc />
    public ValueTask<ILockHandle?> TryAcquireAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        cancellationToken.ThrowIfCancellationRequested();
        var entry = Enter(name);
        if (!entry.Semaphore.Wait(0, CancellationToken.None))
        {
            Leave(name, entry, held: false);
            return ValueTask.FromResult<ILockHandle?>(null);
        }

        return ValueTask.FromResult<ILockHandle?>(new Handle(this, name, entry));
    }

    private Entry Enter(string name)
    {
        lock (_entries)
        {
            if (!_entries.TryGetValue(name, out var entry))
            {
                entry = new Entry();
                _entries[name] = entry;
            }

            entry.Users++;
            return entry;
        }
    }

    private void Leave(string name, Entry entry, bool held)
    {
        if (held)
        {
            entry.Semaphore.Release();
        }

        lock (_entries)
        {
            if (--entry.Users == 0)
            {
                _entries.Remove(name);
                entry.Semaphore.Dispose();
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Handle(InProcessLock owner, string name, Entry entry) : ILockHandle
    {
        private int _released;

        public string Name => name;

        public CancellationToken Lost => CancellationToken.None;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Leave(name, entry, held: true);
            }

            return ValueTask.CompletedTask;
        }
    }
}
