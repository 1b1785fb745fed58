using System.Collections.Concurrent;
using Polly.CircuitBreaker;

namespace Integrations.Sdk.Transport.Internal;

/// <summary>A Refit client registered for a connector.</summary>
internal sealed record ConnectorClientRegistration(string Connector, string ClientName);

/// <summary>One client's circuit as the health check sees it.</summary>
/// <param name="Connector">The connector's name.</param>
/// <param name="Client">The client's name.</param>
/// <param name="State">The circuit's state (<see langword="null"/> before first use).</param>
/// <param name="OpenUntil">When an open circuit's break ends and the next request probes the platform; <see langword="null"/> when not open.</param>
internal sealed record CircuitSnapshot(string Connector, string Client, CircuitState? State, DateTimeOffset? OpenUntil);

/// <summary>
/// The circuit state of each connector's HTTP clients, for health checks, with the end of each open circuit's break:
/// Polly's state provider says <see cref="CircuitState.Open"/> until a request comes and probes, however long ago the
/// break ended, so the break's end is kept here to tell "open" from "ready to probe".
/// </summary>
internal sealed class ConnectorCircuits(IEnumerable<ConnectorClientRegistration> registrations)
{
    private readonly ConcurrentDictionary<string, CircuitBreakerStateProvider> _circuits = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _openUntil = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, LastAnswer> _lastAnswer = new(StringComparer.Ordinal);

    public void Track(string clientName, CircuitBreakerStateProvider provider) => _circuits[clientName] = provider;

    /// <summary>
    /// Where a client of <paramref name="connector"/> notes that its platform answered a request (a success or a refusal
    /// below 500). Taken once per client, so noting an answer on every request costs one write, no lookup.
    /// </summary>
    public LastAnswer AnswersOf(string connector) => _lastAnswer.GetOrAdd(connector, static _ => new LastAnswer());

    /// <summary>
    /// Whether <paramref name="connector"/> is one of the registered connectors and its platform has answered no request
    /// sent at or after <paramref name="since"/>. A client the SDK does not know is never called silent: nothing here sees its answers.
    /// </summary>
    public bool IsSilentSince(string connector, DateTimeOffset since) =>
        registrations.Any(r => r.Connector == connector) && !(_lastAnswer.TryGetValue(connector, out var last) && last.UtcTicks >= since.UtcTicks);

    /// <summary>
    /// The registered connectors whose platform failed a request sent after the last request it answered (or never
    /// answered one), with when that answered request was sent (<see langword="null"/>: never).
    /// </summary>
    public IReadOnlyList<(string Connector, DateTimeOffset? AnsweredUpTo)> FailingEveryone() =>
        [.. registrations.Select(r => r.Connector).Distinct(StringComparer.Ordinal)
            .Select(c => (Connector: c, Last: _lastAnswer.GetValueOrDefault(c)))
            .Where(x => x.Last is { } last && last.FailedUtcTicks > last.UtcTicks)
            .Select(x => (x.Connector, x.Last!.UtcTicks == 0 ? (DateTimeOffset?)null : new DateTimeOffset(x.Last.UtcTicks, TimeSpan.Zero)))];

    /// <summary>Records that a client's circuit opened (again) until <paramref name="until"/>.</summary>
    public void Opened(string clientName, DateTimeOffset until) => _openUntil[clientName] = until;

    /// <summary>Records that a client's circuit closed.</summary>
    public void Closed(string clientName) => _openUntil.TryRemove(clientName, out _);

    /// <summary>
    /// Whether a client of <paramref name="connector"/> has its circuit open (or isolated) now; <paramref name="until"/>
    /// is when its break ends, when known.
    /// </summary>
    public bool IsOpen(string connector, out DateTimeOffset? until)
    {
        until = null;
        var open = false;
        foreach (var circuit in Snapshot().Where(c => c.Connector == connector && c.State is CircuitState.Open or CircuitState.Isolated))
        {
            open = true;
            if (circuit.OpenUntil is { } end && (until is null || end > until))
            {
                until = end;
            }
        }

        return open;
    }

    /// <summary>Each registered client with its connector, circuit state and break end.</summary>
    public IReadOnlyList<CircuitSnapshot> Snapshot() =>
        [.. registrations.Select(r =>
        {
            var state = _circuits.TryGetValue(r.ClientName, out var p) ? p.CircuitState : (CircuitState?)null;
            DateTimeOffset? until = state is CircuitState.Open && _openUntil.TryGetValue(r.ClientName, out var u) ? u : null;
            return new CircuitSnapshot(r.Connector, r.ClientName, state, until);
        })];
}

/// <summary>
/// When the latest request a connector's platform answered was sent, and when the latest one it failed (5xx, timeout, no
/// answer) was sent, in UTC ticks (0: never). A failure sent after the last answer means the platform is failing
/// everyone, even while its circuit is still closed.
/// </summary>
internal sealed class LastAnswer
{
    private long _utcTicks;
    private long _failedUtcTicks;

    public long UtcTicks => Volatile.Read(ref _utcTicks);

    public long FailedUtcTicks => Volatile.Read(ref _failedUtcTicks);

    /// <summary>Notes an answer to a request sent at <paramref name="sentAt"/>, keeping the latest such time.</summary>
    public void Mark(DateTimeOffset sentAt) => Latest(ref _utcTicks, sentAt.UtcTicks);

    /// <summary>Notes a platform failure of a request sent at <paramref name="sentAt"/>, keeping the latest such time.</summary>
    public void MarkFailure(DateTimeOffset sentAt) => Latest(ref _failedUtcTicks, sentAt.UtcTicks);

    private static void Latest(ref long field, long ticks)
    {
        var seen = Volatile.Read(ref field);
        while (ticks > seen)
        {
            var before = Interlocked.CompareExchange(ref field, ticks, seen);
            if (before == seen)
            {
                return;
            }

            seen = before;
        }
    }
}
