using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.Pipelines.Internal;

/// <summary>The services every sync pipeline uses.</summary>
internal sealed class SyncEngine(
    IServiceProvider services,
    IStepMemoStore memos,
    ICheckpointStore checkpoints,
    IDeadLetterStore deadLetters,
    IRunHistoryStore history,
    IDistributedLock locks,
    TimeProvider timeProvider,
    IntegrationsMetrics metrics,
    SecretRedactor redactor,
    ILoggerFactory loggerFactory)
{
    public IServiceProvider Services { get; } = services;

    public IStepMemoStore Memos { get; } = memos;

    public ICheckpointStore Checkpoints { get; } = checkpoints;

    public IDeadLetterStore DeadLetters { get; } = deadLetters;

    public IRunHistoryStore History { get; } = history;

    public IDistributedLock Locks { get; } = locks;

    public TimeProvider Time { get; } = timeProvider;

    public IntegrationsMetrics Metrics { get; } = metrics;

    public SecretRedactor Redactor { get; } = redactor;

    public ILogger Logger { get; } = loggerFactory.CreateLogger("Integrations.Sdk.Sync");
}

/// <summary>A sync, bound to the host's services and ready to run.</summary>
internal interface ISyncPipeline
{
    string Name { get; }

    /// <summary>When the hosted scheduler runs the sync; <see langword="null"/> when it is not scheduled.</summary>
    SyncSchedule? Schedule { get; }

    Type RecordType { get; }

    bool HasSource { get; }

    Task<RunReport> RunAsync(RunOptions options, CancellationToken cancellationToken);

    Task<RunReport> ProcessAsync(object records, RunOptions options, CancellationToken cancellationToken);

    Task<RunReport> ReplayAsync(DeadLetter deadLetter, string? payload, AmbiguousResolution resolution, CancellationToken cancellationToken);
}
