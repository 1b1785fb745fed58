namespace Integrations.Sdk.State;

/// <summary>The state of one step of one record, as remembered by an <see cref="IStepMemoStore"/>.</summary>
public enum StepState
{
    /// <summary>The step was started and has not reported back. After a crash this means "maybe applied".</summary>
    Started = 0,

    /// <summary>The step succeeded; its result is stored and is reused instead of running the step again.</summary>
    Completed = 1,

    /// <summary>The step failed in a way that proves it was not applied (the platform refused it).</summary>
    Failed = 2,
}

/// <summary>
/// What the SDK remembers about one step of one record of one sync: whether it ran, its result, and the
/// generation used to derive its idempotency key.
/// </summary>
/// <param name="Sync">The sync's name.</param>
/// <param name="RecordKey">The record's key, for example <c>shopify:order:123</c>.</param>
/// <param name="Step">The step's name. <see cref="RecordStep"/> marks the whole record as finished.</param>
/// <param name="State">What is known about the step.</param>
/// <param name="ResultJson">The step's result as JSON when <paramref name="State"/> is <see cref="StepState.Completed"/>.</param>
/// <param name="Generation">
/// Bumped each time the step failed definitively, so that a later attempt with a changed payload uses a fresh
/// idempotency key instead of replaying the platform's stored refusal.
/// </param>
/// <param name="Attempts">How many times the step has been attempted, over all runs.</param>
/// <param name="UpdatedAt">When this memo was last written.</param>
public sealed record StepMemo(
    string Sync,
    string RecordKey,
    string Step,
    StepState State,
    string? ResultJson,
    int Generation,
    int Attempts,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The reserved step name under which a finished record is remembered.</summary>
    public const string RecordStep = "$record";
}
