namespace Integrations.Sdk.State;

/// <summary>How a run ended.</summary>
public enum RunStatus
{
    /// <summary>Every record read reached an outcome.</summary>
    Succeeded = 0,

    /// <summary>The run stopped on an error outside any record (for example the source could not be read).</summary>
    Failed = 1,

    /// <summary>The run was cancelled.</summary>
    Cancelled = 2,

    /// <summary>
    /// The run did not start because another host instance was running the same sync (shared state only). Nothing
    /// was read; such runs are not kept in the run history.
    /// </summary>
    NotStarted = 3,

    /// <summary>
    /// A platform the sync writes to (or reads from) was unavailable: its circuit was open after repeated failures, or
    /// it could not be reached after the step's retries. The run stopped taking records and left the unfinished ones
    /// for the next run (<see cref="RunSummary.Deferred"/>, not dead-lettered; the checkpoint stays before them).
    /// <see cref="RunSummary.Error"/> names the connector and when its circuit lets a request through again.
    /// </summary>
    Paused = 4,
}

/// <summary>The counts of one run of a sync, as kept in the run history.</summary>
public sealed record RunSummary
{
    /// <summary>The run's id.</summary>
    public required string RunId { get; init; }

    /// <summary>The sync's name.</summary>
    public required string Sync { get; init; }

    /// <summary>How the run ended.</summary>
    public RunStatus Status { get; init; }

    /// <summary>Whether this was a dry run (no writes made).</summary>
    public bool DryRun { get; init; }

    /// <summary>When the run started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When the run finished.</summary>
    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>Records read from the source or received as events.</summary>
    public int Read { get; init; }

    /// <summary>Records whose steps all succeeded in this run.</summary>
    public int Completed { get; init; }

    /// <summary>Records already finished earlier (rerun or duplicate event): nothing was written.</summary>
    public int Skipped { get; init; }

    /// <summary>Records excluded by the sync's filter.</summary>
    public int Filtered { get; init; }

    /// <summary>Records set aside with a reason, replayable.</summary>
    public int DeadLettered { get; init; }

    /// <summary>Records whose unsafe write may or may not have happened; set aside for review.</summary>
    public int Ambiguous { get; init; }

    /// <summary>The checkpoint when the run started.</summary>
    public string? CheckpointBefore { get; init; }

    /// <summary>The checkpoint when the run ended.</summary>
    public string? CheckpointAfter { get; init; }

    /// <summary>
    /// The error that failed the run (<see cref="RunStatus.Failed"/>), or why it paused (<see cref="RunStatus.Paused"/>:
    /// the connector and when it is probed again). No secrets.
    /// </summary>
    public string? Error { get; init; }

    /// <summary>
    /// Records left for the next run because a platform was unavailable (<see cref="RunStatus.Paused"/>): not
    /// finished, not dead-lettered. Counted in <see cref="Read"/>.
    /// </summary>
    public int Deferred { get; init; }
}
