namespace Integrations.Sdk.Connectors;

/// <summary>The context a sink operation runs in: the deterministic idempotency key of this step of this record.</summary>
/// <param name="Sync">The sync's name.</param>
/// <param name="RecordKey">The record's key.</param>
/// <param name="Step">The step's name.</param>
/// <param name="IdempotencyKey">
/// A key derived from (sync, record key, step, generation): identical on every retry of the same logical write,
/// different after the platform definitively refused an earlier attempt.
/// </param>
/// <param name="Attempt">The attempt number of this step for this record, starting at 1, over all runs.</param>
/// <param name="PreviousAttemptAmbiguous">Whether an earlier attempt ended with unknown effect (a lookup-then-create operation must look first).</param>
public sealed record WriteContext(string Sync, string RecordKey, string Step, string IdempotencyKey, int Attempt, bool PreviousAttemptAmbiguous);

/// <summary>A write to a platform that declares how it can be retried safely.</summary>
/// <typeparam name="TInput">What the operation writes.</typeparam>
/// <typeparam name="TResult">What the platform returns (for example the created entity's id).</typeparam>
public interface ISinkOperation<in TInput, TResult>
{
    /// <summary>How this operation can be retried without duplicating its side effect.</summary>
    WriteSafety Safety { get; }

    /// <summary>Performs the write.</summary>
    /// <param name="input">What to write.</param>
    /// <param name="context">The idempotency key and attempt information.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task<TResult> ExecuteAsync(TInput input, WriteContext context, CancellationToken cancellationToken = default);
}

/// <summary>
/// A write with <see cref="WriteSafety.LookupThenCreate"/> safety: after an attempt with unknown effect the runner calls
/// <see cref="LookupAsync"/> first and only writes when it returns nothing.
/// </summary>
/// <typeparam name="TInput">What the operation writes.</typeparam>
/// <typeparam name="TResult">What the platform returns.</typeparam>
public interface ILookupThenCreateOperation<in TInput, TResult> : ISinkOperation<TInput, TResult>
{
    /// <summary>Finds the entity an earlier attempt may have created (for example by reference or external id).</summary>
    /// <param name="input">What would be written.</param>
    /// <param name="context">The idempotency key and attempt information.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The existing entity, or <see langword="null"/> when none exists.</returns>
    Task<TResult?> LookupAsync(TInput input, WriteContext context, CancellationToken cancellationToken = default);

    /// <summary>
    /// How long after a write the platform's lookup can be relied on to find it (for example a search index that lags
    /// writes). After an attempt with unknown effect the runner waits at least this long, counted from that attempt
    /// (as stored in the step memo, so across restarts too), before it calls <see cref="LookupAsync"/>: a lookup any
    /// sooner could miss what the attempt created and create it a second time.
    /// <value>Default: zero (the lookup sees a write at once).</value>
    /// </summary>
    TimeSpan FindableAfter => TimeSpan.Zero;
}
