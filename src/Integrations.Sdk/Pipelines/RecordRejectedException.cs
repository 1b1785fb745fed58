namespace Integrations.Sdk.Pipelines;

/// <summary>
/// A step refuses its record: the record is dead-lettered at once, with <see cref="Reason"/>, and never retried
/// within the run (a rerun skips it; replay it once fixed). Throw it with <see cref="StepContext.Reject(string)"/>.
/// </summary>
/// <remarks>
/// Use it for a record the step can tell is wrong or unwanted (a missing email, an amount below a threshold the sync
/// does not serve). The dead letter reads <c>step 'name' rejected the record: reason</c>, its error type is
/// <c>RecordRejectedException</c> and its kind <see cref="State.DeadLetterKind.Failed"/>.
/// </remarks>
public sealed class RecordRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why the record is refused, for the person who reads the dead letter; name the field at fault.</param>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is null, empty or white space.</exception>
    public RecordRejectedException(string reason)
        : base(Check(reason))
    {
        Reason = reason;
    }

    /// <summary>Why the record is refused.</summary>
    public string Reason { get; }

    private static string Check(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return reason;
    }
}
