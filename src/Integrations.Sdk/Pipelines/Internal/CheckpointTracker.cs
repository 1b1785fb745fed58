namespace Integrations.Sdk.Pipelines.Internal;

/// <summary>
/// Tracks records in read order and yields the checkpoint of the longest prefix of finished records, so a
/// checkpoint never moves past a record that is still in flight, whatever order concurrent workers finish in.
/// </summary>
internal sealed class CheckpointTracker(string? initial)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, string?> _pending = [];
    private readonly HashSet<long> _finished = [];
    private long _nextSequence;
    private long _nextToRelease;

    /// <summary>The checkpoint up to which every record is finished.</summary>
    public string? Safe { get; private set; } = initial;

    /// <summary>Registers the next record read, with the checkpoint valid after it; returns its sequence number.</summary>
    public long Register(string? checkpoint)
    {
        lock (_gate)
        {
            _pending[_nextSequence] = checkpoint;
            return _nextSequence++;
        }
    }

    /// <summary>Marks a record finished; returns whether the safe checkpoint moved.</summary>
    public bool Finish(long sequence)
    {
        lock (_gate)
        {
            _finished.Add(sequence);
            var moved = false;
            while (_finished.Remove(_nextToRelease))
            {
                if (_pending.Remove(_nextToRelease, out var checkpoint) && checkpoint is not null)
                {
                    Safe = checkpoint;
                    moved = true;
                }

                _nextToRelease++;
            }

            return moved;
        }
    }
}
