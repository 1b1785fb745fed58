using System.Collections.Concurrent;

namespace Integrations.Sdk.State.InMemory;

/// <summary>An <see cref="IDeadLetterStore"/> kept in memory.</summary>
public sealed class InMemoryDeadLetterStore : IDeadLetterStore
{
    private readonly ConcurrentDictionary<string, DeadLetter> _entries = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask AddAsync(DeadLetter deadLetter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        cancellationToken.ThrowIfCancellationRequested();
        _entries.AddOrUpdate(deadLetter.Id, deadLetter, (_, existing) => deadLetter with { CreatedAt = existing.CreatedAt });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<DeadLetter?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_entries.TryGetValue(id, out var value) ? value : null);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<DeadLetter>> ListAsync(string? sync = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<DeadLetter> result = [.. _entries.Values
            .Where(d => sync is null || d.Sync == sync)
            .OrderBy(d => d.CreatedAt).ThenBy(d => d.Id, StringComparer.Ordinal)
            .Take(limit)];
        return ValueTask.FromResult(result);
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_entries.TryRemove(id, out _));
    }
}
