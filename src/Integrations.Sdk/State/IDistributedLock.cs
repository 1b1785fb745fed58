namespace Integrations.Sdk.State;

/// <summary>
/// Named mutual exclusion among every host instance that shares the same state. The SDK takes these locks around
/// the few things that must happen on one instance at a time: a run of an incremental sync (<c>sync:{name}</c>),
/// the processing of one record key (<c>record:{sync}:{key}</c>) and an OAuth token refresh
/// (<c>oauth:{connector}:{account}</c>).
/// </summary>
/// <remarks>
/// The default implementation coordinates the threads of one process only, and reports
/// <see cref="SpansProcesses"/> as <see langword="false"/>: the SDK then relies on its in-process gates and takes no
/// extra lock. A shared store (PostgreSQL) reports <see langword="true"/>; its locks must be released automatically
/// when the holding process dies, so work moves to another instance without waiting for an operator.
/// </remarks>
public interface IDistributedLock
{
    /// <summary>
    /// Whether these locks exclude other processes. When <see langword="false"/>, the SDK does not call this lock for
    /// record keys and runs, because its own in-process gates already give the same exclusion.
    /// </summary>
    bool SpansProcesses { get; }

    /// <summary>Waits until the named lock is held by the caller.</summary>
    /// <param name="name">The lock's name; any string, compared ordinally.</param>
    /// <param name="cancellationToken">Stops waiting; the lock is then not held.</param>
    /// <returns>The held lock; dispose it to release.</returns>
    ValueTask<ILockHandle> AcquireAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Takes the named lock if nobody holds it, without waiting.</summary>
    /// <param name="name">The lock's name; any string, compared ordinally.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>The held lock, or <see langword="null"/> when another holder has it.</returns>
    ValueTask<ILockHandle?> TryAcquireAsync(string name, CancellationToken cancellationToken = default);
}

/// <summary>A held <see cref="IDistributedLock"/> lock. Disposing it releases the lock.</summary>
public interface ILockHandle : IAsyncDisposable
{
    /// <summary>The lock's name.</summary>
    string Name { get; }

    /// <summary>
    /// Cancelled when the lock can no longer be guaranteed (for example the connection that holds it broke), so
    /// that work done under it stops before another instance takes over.
    /// </summary>
    CancellationToken Lost { get; }
}
