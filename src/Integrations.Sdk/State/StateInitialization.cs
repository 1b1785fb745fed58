namespace Integrations.Sdk.State;

/// <summary>
/// Runs a store's initialization (creating or migrating its schema) once: the first caller runs it, callers arriving
/// meanwhile wait for it, and after a failure the next caller tries again.
/// </summary>
/// <param name="initialize">The initialization.</param>
internal sealed class StateInitialization(Func<CancellationToken, ValueTask> initialize)
{
    // The semaphore exposes no wait handle, so it needs no disposing; leaving it undisposed also lets operations
    // still in flight when the store is disposed release it safely.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _done;

    /// <summary>Returns once the initialization has completed, running it first when no caller has yet.</summary>
    /// <param name="cancellationToken">Stops waiting for, or cancels, the initialization.</param>
    internal async ValueTask EnsureAsync(CancellationToken cancellationToken)
    {
        if (_done)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_done)
            {
                await initialize(cancellationToken).ConfigureAwait(false);
                _done = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
