namespace Integrations.Sdk.PostgreSql;

// The in-process gates: a name is held at most once per process before it is asked for on the server.
public sealed partial class PostgreSqlLock
{
    private readonly Dictionary<string, LocalGate> _gates = new(StringComparer.Ordinal);

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
}
