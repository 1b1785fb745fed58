namespace Integrations.Sdk.State;

/// <summary>
/// In-process mutual exclusion by name: one gate per name, shared by everyone holding or waiting for it, created on
/// first use and removed when nobody holds or waits for it any more.
/// </summary>
internal sealed class NamedGates
{
    private readonly Dictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    /// <summary>Waits until the caller holds the gate of <paramref name="name"/>; <see cref="Release"/> it afterwards.</summary>
    /// <param name="name">The name; compared ordinally.</param>
    /// <param name="cancellationToken">Stops waiting; the gate is then not held.</param>
    public async ValueTask<Gate> WaitAsync(string name, CancellationToken cancellationToken)
    {
        var gate = Enter(name);
        try
        {
            await gate.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(gate, held: false);
            throw;
        }

        return gate;
    }

    /// <summary>Takes the gate of <paramref name="name"/> if nobody holds it, without waiting; <see langword="null"/> otherwise.</summary>
    /// <param name="name">The name; compared ordinally.</param>
    public Gate? TryEnter(string name)
    {
        var gate = Enter(name);
        if (gate.Semaphore.Wait(0, CancellationToken.None))
        {
            return gate;
        }

        Leave(gate, held: false);
        return null;
    }

    /// <summary>Releases a gate taken with <see cref="WaitAsync"/> or <see cref="TryEnter"/>. Call once per taking.</summary>
    /// <param name="gate">The held gate.</param>
    public void Release(Gate gate) => Leave(gate, held: true);

    private Gate Enter(string name)
    {
        lock (_gates)
        {
            if (!_gates.TryGetValue(name, out var gate))
            {
                gate = new Gate(name);
                _gates[name] = gate;
            }

            gate.Users++;
            return gate;
        }
    }

    private void Leave(Gate gate, bool held)
    {
        if (held)
        {
            gate.Semaphore.Release();
        }

        lock (_gates)
        {
            if (--gate.Users == 0)
            {
                _gates.Remove(gate.Name);
                gate.Semaphore.Dispose();
            }
        }
    }

    /// <summary>The gate of one name.</summary>
    /// <param name="name">The name.</param>
    internal sealed class Gate(string name)
    {
        /// <summary>The name.</summary>
        public string Name { get; } = name;

        /// <summary>Held by one caller at a time.</summary>
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        /// <summary>How many callers hold or wait for the gate; guarded by the table's lock.</summary>
        public int Users { get; set; }
    }
}
