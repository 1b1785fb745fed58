using System.Runtime.CompilerServices;
using Integrations.Sdk.Mapping;
using Polly;

namespace Integrations.Sdk.Pipelines.Internal;

/// <summary>
/// Runs one sync: reads (or receives) records, and drives each through key → filter → map → steps with the step
/// memo, write-safety rules, dead letters and checkpoints. Records run concurrently, bounded, with backpressure on
/// the source; records with the same key never run at once.
/// </summary>
/// <remarks>
/// The parts: the entry points here; the run loop (<c>SyncPipeline.RunLoop.cs</c>, counted in <see cref="RunState"/>);
/// one record through key, filter, map and steps (<c>.Records.cs</c>); one step with its retries and ambiguity rules
/// (<c>.Steps.cs</c>); dead letters (<c>.DeadLetters.cs</c>); replay of a dead letter (<c>.Replay.cs</c>).
/// </remarks>
internal sealed partial class SyncPipeline<TSource, TRecord> : ISyncPipeline
{
    private readonly SyncDefinition<TSource> _definition;
    private readonly Func<TSource, TRecord> _map;
    private readonly MappingDescription? _mapping;
    private readonly List<StepNode<TRecord>> _nodes;
    private readonly SyncEngine _engine;
    private readonly KeyedLocks _keyLocks = new();
    private readonly SemaphoreSlim _runGate = new(1, 1);
    private readonly ResiliencePipeline _stepRetry;
    private readonly bool _batches;

    public SyncPipeline(SyncDefinition<TSource> definition, Func<TSource, TRecord> map, MappingDescription? mapping, List<StepNode<TRecord>> nodes, SyncEngine engine)
    {
        _definition = definition;
        _map = map;
        _mapping = mapping;
        _engine = engine;
        _nodes = [.. nodes.Select(n => n.Bind(engine.Services))];
        _batches = HasBatchStep(_nodes);
        if (_batches && definition.OrderingKey is not null)
        {
            throw new InvalidOperationException($"Sync '{definition.Name}': a sync with an ordering key (WithOrderingKey) cannot have batch steps: a batch would wait for records waiting their turn.");
        }

        _stepRetry = CreateStepRetry(definition, engine.Time);
    }

    public string Name => _definition.Name;

    public SyncSchedule? Schedule => _definition.Schedule;

    public Type RecordType => typeof(TSource);

    public bool HasSource => _definition.Source is not null;

    public async Task<RunReport> RunAsync(RunOptions options, CancellationToken cancellationToken)
    {
        if (_definition.Source is null)
        {
            throw new InvalidOperationException($"Sync '{Name}' takes pushed events; give it records with ISyncRunner.ProcessAsync.");
        }

        await _runGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        ILockHandle? held = null;
        try
        {
            if (_engine.Locks.SpansProcesses)
            {
                // Several instances share the state: one of them runs the sync, the others skip this turn.
                held = await _engine.Locks.TryAcquireAsync(LockNames.Sync(Name), cancellationToken).ConfigureAwait(false);
                if (held is null)
                {
                    Log.RunHeldElsewhere(_engine.Logger, Name);
                    return NotStarted();
                }
            }

            using var lost = held is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.Lost);
            var token = lost?.Token ?? cancellationToken;
            string? checkpoint = null;
            Exception? notStarted = null;
            try
            {
                checkpoint = _definition.Incremental ? await _engine.Checkpoints.GetAsync(Name, token).ConfigureAwait(false) : null;
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                notStarted = ex;
            }

            // Creating the source and reading happen inside the run, so their errors end it as Failed, in the report.
            var from = options.FullRefresh ? null : checkpoint;
            var source = _definition.Source;
            var report = await ExecuteAsync(
                ct => notStarted is null ? source(_engine.Services).ReadItemsAsync(from, ct) : throw notStarted,
                options,
                checkpoint,
                _definition.Incremental,
                token).ConfigureAwait(false);
            if (held is not null && held.Lost.IsCancellationRequested)
            {
                Log.RunLockLost(_engine.Logger, Name, report.Summary.RunId);
            }

            return report;
        }
        finally
        {
            if (held is not null)
            {
                await held.DisposeAsync().ConfigureAwait(false);
            }

            _runGate.Release();
        }
    }

    private RunReport NotStarted()
    {
        var now = _engine.Time.GetUtcNow();
        var summary = new RunSummary
        {
            RunId = Guid.CreateVersion7(now).ToString("N"),
            Sync = Name,
            Status = RunStatus.NotStarted,
            StartedAt = now,
            FinishedAt = now,
        };
        return new RunReport(summary, [], [], _mapping);
    }

    public Task<RunReport> ProcessAsync(object records, RunOptions options, CancellationToken cancellationToken) => records switch
    {
        IAsyncEnumerable<TSource> stream => ExecuteAsync(ct => Wrap(stream, ct), options, null, false, cancellationToken),
        IEnumerable<TSource> list => ExecuteAsync(ct => Wrap(list, ct), options, null, false, cancellationToken),
        _ => throw new ArgumentException($"Sync '{Name}' takes records of type {typeof(TSource).Name}.", nameof(records)),
    };

    private static bool HasBatchStep(IEnumerable<StepNode<TRecord>> nodes) => nodes.Any(n => n switch
    {
        StepDefinition<TRecord> step => step.Batch is not null,
        BranchDefinition<TRecord> branch => HasBatchStep(branch.Then) || HasBatchStep(branch.Otherwise),
        _ => false,
    });

    private static async IAsyncEnumerable<SourceItem<TSource>> Wrap(IEnumerable<TSource> records, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var record in records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return SourceItem<TSource>.Record(record, null);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private static async IAsyncEnumerable<SourceItem<TSource>> Wrap(IAsyncEnumerable<TSource> records, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return SourceItem<TSource>.Record(record, null);
        }
    }

    private ValueTask SaveMemoAsync(string key, string step, StepState state, string? json, int generation, int attempts, DateTimeOffset? at = null) =>
        _engine.Memos.SaveAsync(new StepMemo(Name, key, step, state, json, generation, attempts, at ?? _engine.Time.GetUtcNow()), CancellationToken.None);
}
