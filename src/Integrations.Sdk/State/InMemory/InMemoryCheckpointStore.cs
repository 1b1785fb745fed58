using System.Collections.Concurrent;

namespace Integrations.Sdk.State.InMemory;

/// <summary>An <see cref="ICheckpointStore"/> kept in memory.</summary>
public sealed class InMemoryCheckpointStore : ICheckpointStore
{
    private readonly ConcurrentDictionary<string, string> _checkpoints = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<string?> GetAsync(string sync, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sync);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_checkpoints.TryGetValue(sync, out var value) ? value : null);
    }

    /// <inheritdoc />
    public ValueTask SetAsync(string sync, string checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(checkpoint);
        cancellationToken.ThrowIfCancellationRequested();
        _checkpoints[sync] = checkpoint;
        return ValueTask.CompletedTask;
    }
}
