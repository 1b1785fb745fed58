using System.Collections.Concurrent;

namespace Integrations.Sdk.State.InMemory;

/// <summary>An <see cref="IRunHistoryStore"/> kept in memory.</summary>
public sealed class InMemoryRunHistoryStore : IRunHistoryStore
{
    private readonly ConcurrentDictionary<string, RunSummary> _runs = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask SaveAsync(RunSummary summary, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(summary);
        cancellationToken.ThrowIfCancellationRequested();
        _runs[summary.RunId] = summary;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RunSummary>> ListAsync(string sync, int limit = 20, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<RunSummary> result = [.. _runs.Values
            .Where(r => r.Sync == sync)
            .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.RunId, StringComparer.Ordinal)
            .Take(limit)];
        return ValueTask.FromResult(result);
    }
}
