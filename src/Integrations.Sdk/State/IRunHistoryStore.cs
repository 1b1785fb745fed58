namespace Integrations.Sdk.State;

/// <summary>Keeps the summary of each run, for monitoring and health checks.</summary>
public interface IRunHistoryStore
{
    /// <summary>Stores a run's summary (replacing one with the same run id).</summary>
    /// <param name="summary">The summary.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask SaveAsync(RunSummary summary, CancellationToken cancellationToken = default);

    /// <summary>Returns the newest runs of a sync, newest first.</summary>
    /// <param name="sync">The sync's name.</param>
    /// <param name="limit">The most runs to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<RunSummary>> ListAsync(string sync, int limit = 20, CancellationToken cancellationToken = default);
}
