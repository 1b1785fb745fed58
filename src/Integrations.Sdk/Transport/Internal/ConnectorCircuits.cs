using System.Collections.Concurrent;
using Polly.CircuitBreaker;

namespace Integrations.Sdk.Transport.Internal;

/// <summary>A Refit client registered for a connector.</summary>
internal sealed record ConnectorClientRegistration(string Connector, string ClientName);

/// <summary>The circuit state of each connector's HTTP clients, for health checks.</summary>
internal sealed class ConnectorCircuits(IEnumerable<ConnectorClientRegistration> registrations)
{
    private readonly ConcurrentDictionary<string, CircuitBreakerStateProvider> _circuits = new(StringComparer.Ordinal);

    public void Track(string clientName, CircuitBreakerStateProvider provider) => _circuits[clientName] = provider;

    /// <summary>Each registered client with its connector and circuit state (<see langword="null"/> before first use).</summary>
    public IReadOnlyList<(string Connector, string Client, CircuitState? State)> Snapshot() =>
        [.. registrations.Select(r => (r.Connector, r.ClientName, _circuits.TryGetValue(r.ClientName, out var p) ? p.CircuitState : (CircuitState?)null))];
}
