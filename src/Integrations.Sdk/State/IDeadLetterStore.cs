namespace Integrations.Sdk.State;

/// <summary>Keeps records that could not be processed, so nothing is lost and each can be replayed.</summary>
public interface IDeadLetterStore
{
    /// <summary>
    /// Adds an entry, or replaces the entry with the same <see cref="DeadLetter.Id"/> keeping its
    /// <see cref="DeadLetter.CreatedAt"/>.
    /// </summary>
    /// <param name="deadLetter">The entry.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask AddAsync(DeadLetter deadLetter, CancellationToken cancellationToken = default);

    /// <summary>Returns the entry with this id, or <see langword="null"/>.</summary>
    /// <param name="id">The entry's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<DeadLetter?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Lists entries, oldest first.</summary>
    /// <param name="sync">Only entries of this sync; all when <see langword="null"/>.</param>
    /// <param name="limit">The most entries to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<DeadLetter>> ListAsync(string? sync = null, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>Removes an entry (after a successful replay). Returns whether it existed.</summary>
    /// <param name="id">The entry's id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask<bool> RemoveAsync(string id, CancellationToken cancellationToken = default);
}
