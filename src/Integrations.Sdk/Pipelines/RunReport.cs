using Integrations.Sdk.Mapping;

namespace Integrations.Sdk.Pipelines;

/// <summary>Where a record ended. Every record read ends in exactly one of these.</summary>
public enum RecordOutcome
{
    /// <summary>All its steps succeeded in this run.</summary>
    Completed = 0,

    /// <summary>It was already finished (a rerun or a duplicate event): nothing was written.</summary>
    Skipped = 1,

    /// <summary>The sync's filter excluded it.</summary>
    Filtered = 2,

    /// <summary>It failed and was set aside with its payload and reason; it can be replayed.</summary>
    DeadLettered = 3,

    /// <summary>An unsafe write may or may not have happened; set aside for a person to review.</summary>
    Ambiguous = 4,

    /// <summary>
    /// Not finished: a platform it needs was unavailable (its circuit open, or unreachable after the step's retries),
    /// so the run paused and left it for the next run. It is not dead-lettered: the checkpoint stays before it, so the
    /// next run reads it again (an event stays in the webhook inbox; a replayed dead letter stays in the store), and its
    /// completed steps are skipped then. A step whose write may have happened stays "started" and follows the usual
    /// rules on the next attempt.
    /// </summary>
    Deferred = 5,
}

/// <summary>The end of one record.</summary>
/// <param name="RecordKey">The record's key.</param>
/// <param name="Outcome">Where it ended.</param>
/// <param name="Step">The step it ended at, for dead letters, ambiguous and deferred records.</param>
/// <param name="Reason">Why, for dead letters, ambiguous and deferred records. Never contains secrets.</param>
/// <param name="Attempts">Attempts of the failing step, over all runs.</param>
public sealed record RecordResult(string RecordKey, RecordOutcome Outcome, string? Step = null, string? Reason = null, int Attempts = 0);

/// <summary>A write a dry run would have made.</summary>
/// <param name="RecordKey">The record's key.</param>
/// <param name="Step">The step.</param>
/// <param name="Safety">The step's write safety.</param>
/// <param name="Input">The input of a sink-operation step as JSON, when it could be computed without earlier writes.</param>
public sealed record PlannedWrite(string RecordKey, string Step, WriteSafety Safety, string? Input);

/// <summary>How to run a sync.</summary>
public sealed record RunOptions
{
    /// <summary>Read and map, run read-only steps, and report the writes that would be made, making none and storing nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Read everything, ignoring the stored checkpoint (records already finished are still skipped).</summary>
    public bool FullRefresh { get; init; }

    /// <summary>Keep a <see cref="RecordResult"/> for every record in the report, not only the problems. Costs memory on large runs.</summary>
    public bool IncludeAllRecords { get; init; }
}

/// <summary>What a person decided about an ambiguous record before replaying it.</summary>
public enum AmbiguousResolution
{
    /// <summary>No decision: replaying an ambiguous record is refused.</summary>
    None = 0,

    /// <summary>
    /// The write did happen (checked on the platform): mark the step done and continue with the next steps. The step's
    /// result is unknown, so later steps reading it with <see cref="StepContext.ResultOf{T}(string)"/> get <see langword="default"/>.
    /// </summary>
    AlreadyApplied = 1,

    /// <summary>The write did not happen: send it again.</summary>
    SendAgain = 2,
}

/// <summary>The result of a run: the counts (which add up to <see cref="RunSummary.Read"/>), the problems, the planned writes of a dry run, and how data maps.</summary>
public sealed class RunReport
{
    internal RunReport(RunSummary summary, IReadOnlyList<RecordResult> records, IReadOnlyList<PlannedWrite> plannedWrites, MappingDescription? mapping, DateTimeOffset? resumeAfter = null)
    {
        Summary = summary;
        Records = records;
        PlannedWrites = plannedWrites;
        Mapping = mapping;
        ResumeAfter = resumeAfter;
    }

    /// <summary>The counts and times of the run.</summary>
    public RunSummary Summary { get; }

    /// <summary>The records that were dead-lettered, ambiguous or deferred (every record with <see cref="RunOptions.IncludeAllRecords"/>).</summary>
    public IReadOnlyList<RecordResult> Records { get; }

    /// <summary>The writes a dry run would have made (empty otherwise).</summary>
    public IReadOnlyList<PlannedWrite> PlannedWrites { get; }

    /// <summary>The field-by-field mapping of the sync, when it maps with a describable <see cref="Mapper{TSource, TTarget}"/>.</summary>
    public MappingDescription? Mapping { get; }

    /// <summary>
    /// For a run that paused (<see cref="RunStatus.Paused"/>): when the unavailable connector's circuit lets a request
    /// through again, if known; <see langword="null"/> otherwise. Not kept in the run history (the reason in
    /// <see cref="RunSummary.Error"/> names the time).
    /// </summary>
    public DateTimeOffset? ResumeAfter { get; }

    /// <summary>
    /// The one-line summary: <c>read=N completed=N skipped=N filtered=N dead-lettered=N ambiguous=N</c>, followed by
    /// <c> deferred=N</c> when records were deferred.
    /// </summary>
    public override string ToString() =>
        $"read={Summary.Read} completed={Summary.Completed} skipped={Summary.Skipped} filtered={Summary.Filtered} dead-lettered={Summary.DeadLettered} ambiguous={Summary.Ambiguous}"
        + (Summary.Deferred > 0 ? $" deferred={Summary.Deferred}" : string.Empty);
}
