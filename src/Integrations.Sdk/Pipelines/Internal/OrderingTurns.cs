namespace Integrations.Sdk.Pipelines.Internal;

/// <summary>
/// The turns of one run's records per ordering key: each record read waits for the one read before it with the same
/// key to finish, so records of one key run in read order while other keys run concurrently. Taken by the single
/// reader in read order; released by the worker when the record is finished (or abandoned).
/// </summary>
internal sealed class OrderingTurns
{
    private readonly Dictionary<string, Task> _last = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Takes the next turn of <paramref name="key"/>; <see langword="null"/> for a record without a key.</summary>
    public Turn? Take(string? key)
    {
        if (key is null)
        {
            return null;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var previous = _last.GetValueOrDefault(key) ?? Task.CompletedTask;
            _last[key] = done.Task;
            return new Turn(this, key, previous, done);
        }
    }

    private void Release(Turn turn)
    {
        lock (_gate)
        {
            // Forget the key once its last record is finished, so the map holds only keys with records in flight.
            if (_last.TryGetValue(turn.Key, out var last) && last == turn.Done.Task)
            {
                _last.Remove(turn.Key);
            }
        }

        turn.Done.TrySetResult();
    }

    /// <summary>One record's turn: wait for <see cref="Previous"/>, then <see cref="Release"/> when finished.</summary>
    internal sealed class Turn(OrderingTurns owner, string key, Task previous, TaskCompletionSource done)
    {
        public string Key { get; } = key;

        /// <summary>Completes when the record read before with the same key is finished.</summary>
        public Task Previous { get; } = previous;

        public TaskCompletionSource Done { get; } = done;

        public void Release() => owner.Release(this);
    }
}
