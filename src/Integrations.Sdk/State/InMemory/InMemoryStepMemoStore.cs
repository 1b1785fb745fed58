using System.Collections.Concurrent;

namespace Integrations.Sdk.State.InMemory;

/// <summary>An <see cref="IStepMemoStore"/> kept in memory.</summary>
/// <remarks>
/// Each record's memos are one small immutable array, replaced on every save: a record has a handful of steps, and
/// this keeps a large run's retained memory to the memos themselves.
/// </remarks>
public sealed class InMemoryStepMemoStore : IStepMemoStore
{
    private readonly ConcurrentDictionary<(string Sync, string Key), StepMemo[]> _records = new();

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StepMemo>> GetRecordAsync(string sync, string recordKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(recordKey);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<StepMemo> result = _records.TryGetValue((sync, recordKey), out var steps) ? steps : [];
        return ValueTask.FromResult(result);
    }

    /// <inheritdoc />
    public ValueTask SaveAsync(StepMemo memo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memo);
        cancellationToken.ThrowIfCancellationRequested();
        _records.AddOrUpdate(
            (memo.Sync, memo.RecordKey),
            static (_, m) => [m],
            static (_, steps, m) => Replace(steps, m),
            memo);
        return ValueTask.CompletedTask;
    }

    private static StepMemo[] Replace(StepMemo[] steps, StepMemo memo)
    {
        for (var i = 0; i < steps.Length; i++)
        {
            if (string.Equals(steps[i].Step, memo.Step, StringComparison.Ordinal))
            {
                var copy = (StepMemo[])steps.Clone();
                copy[i] = memo;
                return copy;
            }
        }

        return [.. steps, memo];
    }
}
