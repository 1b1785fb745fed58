using System.Collections.Concurrent;

namespace Integrations.Sdk.State.InMemory;

/// <summary>An <see cref="IStepMemoStore"/> kept in memory: for tests and short-lived jobs. Lost when the process ends.</summary>
public sealed class InMemoryStepMemoStore : IStepMemoStore
{
    private readonly ConcurrentDictionary<(string Sync, string Key), ConcurrentDictionary<string, StepMemo>> _records = new();

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StepMemo>> GetRecordAsync(string sync, string recordKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(recordKey);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<StepMemo> result = _records.TryGetValue((sync, recordKey), out var steps) ? [.. steps.Values] : [];
        return ValueTask.FromResult(result);
    }

    /// <inheritdoc />
    public ValueTask SaveAsync(StepMemo memo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memo);
        cancellationToken.ThrowIfCancellationRequested();
        _records.GetOrAdd((memo.Sync, memo.RecordKey), static _ => new(StringComparer.Ordinal))[memo.Step] = memo;
        return ValueTask.CompletedTask;
    }
}
