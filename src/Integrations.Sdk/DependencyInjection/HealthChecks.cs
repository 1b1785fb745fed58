using Integrations.Sdk.Pipelines.Internal;
using Integrations.Sdk.Transport.Internal;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Polly.CircuitBreaker;

namespace Integrations.Sdk.DependencyInjection;

/// <summary>
/// Reports each connector client's circuit: open (its break still running) or isolated is unhealthy, naming the
/// connector and when a request probes it again; half-open, or open with its break over (Polly keeps saying open until
/// a request comes to probe), is degraded, never unhealthy: the next request probes the platform, and only its answer
/// can make the check healthy again, so nobody should wait for healthy before sending it. Isolation cannot happen
/// through the SDK (it sets up no manual control of the breaker); it is reported unhealthy with no time, as it ends
/// only by hand.
/// </summary>
internal sealed class ConnectorCircuitsHealthCheck(ConnectorCircuits circuits, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var snapshot = circuits.Snapshot();
        var data = snapshot.ToDictionary(c => c.Client, c => (object)Describe(c, now));
        var open = snapshot
            .Where(c => c.State is CircuitState.Isolated || (c.State is CircuitState.Open && !(c.OpenUntil <= now)))
            .GroupBy(c => c.Connector)
            .Select(g => g.Any(c => c.State is CircuitState.Isolated) ? $"{g.Key} (isolated: held open until it is closed by hand)"
                : g.Max(c => c.OpenUntil) is { } until ? $"{g.Key} (probed again at {until.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z)" : g.Key)
            .ToList();
        if (open.Count > 0)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"circuit open for: {string.Join(", ", open)}; requests are refused until the time named, syncs defer their records and webhook events wait in the inbox: nothing to do",
                data: data));
        }

        var probing = snapshot
            .Where(c => c.State is CircuitState.HalfOpen || (c.State is CircuitState.Open && c.OpenUntil <= now))
            .Select(c => c.Connector).Distinct().ToList();
        if (probing.Count > 0)
        {
            return Task.FromResult(HealthCheckResult.Degraded(
                $"circuit break over, the next request probes: {string.Join(", ", probing)} (the next scheduled run or inbox event sends it, or run the sync now; Healthy again once the platform answers it)",
                data: data));
        }

        // A platform failing every request before its breaker has seen enough of them to trip is down all the same.
        var failing = circuits.FailingEveryone();
        return Task.FromResult(failing.Count > 0
            ? HealthCheckResult.Degraded(
                "failing every request (circuit still closed): " + string.Join(", ", failing.Select(f =>
                    f.AnsweredUpTo is { } at ? $"{f.Connector} (no answer to a request sent since {at.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z)" : $"{f.Connector} (no answer yet)")),
                data: data)
            : HealthCheckResult.Healthy($"{snapshot.Count} connector client(s), all circuits closed", data));
    }

    private static string Describe(CircuitSnapshot circuit, DateTimeOffset now) => circuit switch
    {
        { State: null } => "NotUsedYet",
        { State: CircuitState.Open, OpenUntil: { } until } when until <= now => "Open, break over: the next request probes",
        { State: CircuitState.Open, OpenUntil: { } until } => $"Open until {until.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z",
        _ => circuit.State.Value.ToString(),
    };
}

/// <summary>
/// Reports each sync's last run, open dead letters and schedule (with its next run): a failed run is unhealthy; a run
/// paused by an outage (naming the connector and when it is probed again) and records waiting in the dead-letter
/// store degrade.
/// </summary>
internal sealed class SyncRunsHealthCheck(IEnumerable<SyncRegistration> syncs, IRunHistoryStore history, IDeadLetterStore deadLetters, SyncScheduler scheduler) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var failed = new List<string>();
        var degraded = new List<string>();
        var paused = new List<string>();
        foreach (var sync in syncs)
        {
            var last = (await history.ListAsync(sync.Name, 1, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            var waiting = (await deadLetters.ListAsync(sync.Name, 1, cancellationToken).ConfigureAwait(false)).Count > 0;
            data[sync.Name] = (last is null ? "never run" : $"{last.Status} at {last.FinishedAt:O}: read={last.Read} completed={last.Completed} dead-lettered={last.DeadLettered} ambiguous={last.Ambiguous}")
                + (last?.Deferred > 0 ? $" deferred={last.Deferred}" : string.Empty)
                + (last?.Status == RunStatus.Paused ? $"; paused: {last.Error}" : string.Empty)
                + (waiting ? "; dead letters wait for review" : string.Empty)
                + (scheduler.Describe(sync.Name) is { } scheduled ? "; " + scheduled : string.Empty);
            if (last?.Status == RunStatus.Failed)
            {
                failed.Add(sync.Name);
            }
            else if (last?.Status == RunStatus.Paused)
            {
                paused.Add($"{sync.Name} ({last.Deferred} record(s) wait: {last.Error})");
            }
            else if (waiting || last?.DeadLettered > 0 || last?.Ambiguous > 0)
            {
                degraded.Add(sync.Name);
            }
        }

        if (failed.Count > 0)
        {
            return HealthCheckResult.Unhealthy($"last run failed: {string.Join(", ", failed)}", data: data);
        }

        if (paused.Count > 0)
        {
            return HealthCheckResult.Degraded($"paused by an outage, records left for the next run: {string.Join("; ", paused)}", data: data);
        }

        return degraded.Count > 0
            ? HealthCheckResult.Degraded($"records need attention (dead-lettered or ambiguous): {string.Join(", ", degraded)}", data: data)
            : HealthCheckResult.Healthy("all syncs' last runs succeeded", data);
    }
}
