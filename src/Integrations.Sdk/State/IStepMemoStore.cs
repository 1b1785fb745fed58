namespace Integrations.Sdk.State;

/// <summary>
/// Remembers each step's outcome under <c>(sync, record key, step)</c>, so reruns, retries after a crash and
/// duplicate events skip completed steps and reuse their results.
/// </summary>
/// <remarks>Implementations must be safe for concurrent use and durable once a call returns.</remarks>
public interface IStepMemoStore
{
    /// <summary>Returns every memo stored for one record of a sync (empty when the record was never seen).</summary>
    /// <param name="sync">The sync's name.</param>
    /// <param name="recordKey">The record's key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<StepMemo>> GetRecordAsync(string sync, string recordKey, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces the memo identified by its sync, record key and step.</summary>
    /// <param name="memo">The memo to store.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask SaveAsync(StepMemo memo, CancellationToken cancellationToken = default);
}
