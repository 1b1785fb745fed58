using System.Collections.Concurrent;

namespace Integrations.Sdk.Pipelines.Internal;

/// <summary>Counts and details of one run, updated by concurrent workers.</summary>
internal sealed class RunState(RunOptions options, BatchCoordinator? batches) : IDisposable
{
    private int _read;
    private int _completed;
    private int _skipped;
    private int _filtered;
    private int _deadLettered;
    private int _ambiguous;
    private int _deferred;
    private Outage? _outage;

    public RunOptions Options { get; } = options;

    public BatchCoordinator? Batches { get; } = batches;

    public ConcurrentQueue<RecordResult> Records { get; } = new();

    public ConcurrentQueue<PlannedWrite> Planned { get; } = new();

    /// <summary>The outage that paused the run, or <see langword="null"/>: from then on no record is started.</summary>
    public Outage? Outage => Volatile.Read(ref _outage);

    /// <summary>Cancelled when the run pauses: the source stops being read.</summary>
    public CancellationTokenSource Paused { get; } = new();

    /// <summary>Pauses the run on an outage (the first one wins); returns the outage in force.</summary>
    public Outage Pause(Outage outage)
    {
        var current = Interlocked.CompareExchange(ref _outage, outage, null) ?? outage;
        if (ReferenceEquals(current, outage))
        {
            Paused.Cancel();
        }

        return current;
    }

    public void Count(RecordResult result, string sync, IntegrationsMetrics? metrics)
    {
        Interlocked.Increment(ref _read);
        switch (result.Outcome)
        {
            case RecordOutcome.Completed: Interlocked.Increment(ref _completed); break;
            case RecordOutcome.Skipped: Interlocked.Increment(ref _skipped); break;
            case RecordOutcome.Filtered: Interlocked.Increment(ref _filtered); break;
            case RecordOutcome.DeadLettered: Interlocked.Increment(ref _deadLettered); break;
            case RecordOutcome.Deferred: Interlocked.Increment(ref _deferred); break;
            default: Interlocked.Increment(ref _ambiguous); break;
        }

        if (Options.IncludeAllRecords || result.Outcome is RecordOutcome.DeadLettered or RecordOutcome.Ambiguous or RecordOutcome.Deferred)
        {
            Records.Enqueue(result);
        }

        metrics?.RecordOutcome(sync, result.Outcome switch
        {
            RecordOutcome.Completed => "completed",
            RecordOutcome.Skipped => "skipped",
            RecordOutcome.Filtered => "filtered",
            RecordOutcome.DeadLettered => "dead_lettered",
            RecordOutcome.Deferred => "deferred",
            _ => "ambiguous",
        });
    }

    public RunSummary Summarize(string runId, string sync, RunStatus status, DateTimeOffset started, DateTimeOffset finished, string? before, string? after, string? error) => new()
    {
        RunId = runId,
        Sync = sync,
        Status = status,
        DryRun = Options.DryRun,
        StartedAt = started,
        FinishedAt = finished,
        Read = _read,
        Completed = _completed,
        Skipped = _skipped,
        Filtered = _filtered,
        DeadLettered = _deadLettered,
        Ambiguous = _ambiguous,
        Deferred = _deferred,
        CheckpointBefore = before,
        CheckpointAfter = after ?? before,
        Error = error,
    };

    public void Dispose() => Paused.Dispose();
}
