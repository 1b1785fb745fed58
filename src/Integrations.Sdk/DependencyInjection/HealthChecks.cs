using Integrations.Sdk.Pipelines.Internal;
using Integrations.Sdk.Transport.Internal;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Polly.CircuitBreaker;

namespace Integrations.Sdk.DependencyInjection;

/// <summary>Reports each connector client's circuit: open or isolated is unhealthy, half-open degraded.</summary>
internal sealed class ConnectorCircuitsHealthCheck(ConnectorCircuits circuits) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = circuits.Snapshot();
        var data = snapshot.ToDictionary(c => c.Client, c => (object)(c.State?.ToString() ?? "NotUsedYet"));
        var open = snapshot.Where(c => c.State is CircuitState.Open or CircuitState.Isolated).Select(c => c.Connector).Distinct().ToList();
        if (open.Count > 0)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"circuit open for: {string.Join(", ", open)}", data: data));
        }

        var halfOpen = snapshot.Where(c => c.State is CircuitState.HalfOpen).Select(c => c.Connector).Distinct().ToList();
        return Task.FromResult(halfOpen.Count > 0
            ? HealthCheckResult.Degraded($"circuit half-open (probing) for: {string.Join(", ", halfOpen)}", data: data)
            : HealthCheckResult.Healthy($"{snapshot.Count} connector client(s), all circuits closed", data));
    }
}

/// <summary>Reports each sync's last run and open dead letters: a failed run is unhealthy; records waiting in the dead-letter store degrade.</summary>
internal sealed class SyncRunsHealthCheck(IEnumerable<SyncRegistration> syncs, IRunHistoryStore history, IDeadLetterStore deadLetters) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var failed = new List<string>();
        var degraded = new List<string>();
        foreach (var sync in syncs)
        {
            var last = (await history.ListAsync(sync.Name, 1, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            var waiting = (await deadLetters.ListAsync(sync.Name, 1, cancellationToken).ConfigureAwait(false)).Count > 0;
            data[sync.Name] = (last is null ? "never run" : $"{last.Status} at {last.FinishedAt:O}: read={last.Read} completed={last.Completed} dead-lettered={last.DeadLettered} ambiguous={last.Ambiguous}")
                + (waiting ? "; dead letters wait for review" : string.Empty);
            if (last?.Status == RunStatus.Failed)
            {
                failed.Add(sync.Name);
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

        return degraded.Count > 0
            ? HealthCheckResult.Degraded($"records need attention (dead-lettered or ambiguous): {string.Join(", ", degraded)}", data: data)
            : HealthCheckResult.Healthy("all syncs' last runs succeeded", data);
    }
}
