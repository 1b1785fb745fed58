namespace Integrations.Sdk.Pipelines;

/// <summary>Runs registered syncs on demand, feeds them pushed records, and replays dead letters.</summary>
public interface ISyncRunner
{
    /// <summary>The names of the registered syncs.</summary>
    IReadOnlyCollection<string> Syncs { get; }

    /// <summary>
    /// Runs a sync that reads from a source: reads (incrementally from its checkpoint, or fully), processes every
    /// record and returns the report. Runs of one sync are serialized. Errors outside any record (the source could not
    /// be read) end the run with <see cref="State.RunStatus.Failed"/> in the report rather than an exception.
    /// </summary>
    /// <param name="sync">The sync's name.</param>
    /// <param name="options">Dry run, full refresh; optional.</param>
    /// <param name="cancellationToken">Stops the run; finished records stay finished and the checkpoint keeps what is safe.</param>
    /// <exception cref="KeyNotFoundException">No sync has this name.</exception>
    Task<RunReport> RunAsync(string sync, RunOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Processes records pushed to a sync (webhook events, a host's own messages), with the same steps, memo and outcomes.</summary>
    /// <typeparam name="T">The sync's record type.</typeparam>
    /// <param name="sync">The sync's name.</param>
    /// <param name="records">The records.</param>
    /// <param name="options">Dry run; optional.</param>
    /// <param name="cancellationToken">Stops processing.</param>
    /// <exception cref="KeyNotFoundException">No sync has this name.</exception>
    /// <exception cref="ArgumentException">The sync takes another record type.</exception>
    Task<RunReport> ProcessAsync<T>(string sync, IEnumerable<T> records, RunOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Processes a stream of records pushed to a sync.</summary>
    /// <typeparam name="T">The sync's record type.</typeparam>
    /// <param name="sync">The sync's name.</param>
    /// <param name="records">The records.</param>
    /// <param name="options">Dry run; optional.</param>
    /// <param name="cancellationToken">Stops processing.</param>
    Task<RunReport> ProcessAsync<T>(string sync, IAsyncEnumerable<T> records, RunOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replays a dead-lettered record, optionally with an edited payload (same record key). Completed steps are not
    /// repeated. An ambiguous record needs a person's <paramref name="resolution"/>. On success the dead letter is removed.
    /// </summary>
    /// <param name="deadLetterId">The dead letter's id.</param>
    /// <param name="editedPayload">The corrected record as JSON; <see langword="null"/> replays the stored payload.</param>
    /// <param name="resolution">For ambiguous records: whether the write already happened or must be sent again.</param>
    /// <param name="cancellationToken">Stops the replay.</param>
    /// <exception cref="KeyNotFoundException">No dead letter has this id, or its sync is not registered.</exception>
    /// <exception cref="ArgumentException">The edited payload is not valid JSON for the sync's record type, or changes the record key.</exception>
    /// <exception cref="InvalidOperationException">The record is ambiguous and no resolution was given.</exception>
    Task<RunReport> ReplayAsync(string deadLetterId, string? editedPayload = null, AmbiguousResolution resolution = AmbiguousResolution.None, CancellationToken cancellationToken = default);
}
