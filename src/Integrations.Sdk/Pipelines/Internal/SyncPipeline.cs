using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Mapping;
using Integrations.Sdk.State;
using Integrations.Sdk.Telemetry;
using Polly;
using Polly.Retry;

namespace Integrations.Sdk.Pipelines.Internal;

/// <summary>
/// Runs one sync: reads (or receives) records, and drives each through key → filter → map → steps with the step
/// memo, write-safety rules, dead letters and checkpoints. Records run concurrently, bounded, with backpressure on
/// the source; records with the same key never run at once.
/// </summary>
internal sealed class SyncPipeline<TSource, TRecord> : ISyncPipeline
{
    private const int CheckpointEvery = 50;
    private static readonly ResiliencePropertyKey<StepAttempt> AttemptKey = new("Integrations.StepAttempt");

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
        _stepRetry = definition.StepAttempts <= 1
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder { TimeProvider = engine.Time }
                .AddRetry(new RetryStrategyOptions
                {
                    MaxRetryAttempts = definition.StepAttempts - 1,
                    Delay = definition.StepRetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = definition.StepRetryDelay > TimeSpan.Zero,
                    ShouldHandle = args => ValueTask.FromResult(
                        args.Outcome.Exception is not null && args.Context.Properties.GetValue(AttemptKey, null!)?.Retryable == true),
                })
                .Build();
    }

    public string Name => _definition.Name;

    public TimeSpan? Schedule => _definition.Schedule;

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
                ct => notStarted is null ? source(_engine.Services).ReadAsync(from, ct) : throw notStarted,
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

    public async Task<RunReport> ReplayAsync(DeadLetter deadLetter, string? payload, AmbiguousResolution resolution, CancellationToken cancellationToken)
    {
        TSource value;
        try
        {
            value = JsonSerializer.Deserialize<TSource>(payload ?? deadLetter.Payload, _definition.Json)
                ?? throw new JsonException("the payload is null");
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The payload is not a valid {typeof(TSource).Name}: {ex.Message}", nameof(payload), ex);
        }

        var key = _definition.Key!(value);
        if (key != deadLetter.RecordKey && !deadLetter.RecordKey.StartsWith("unkeyed:", StringComparison.Ordinal))
        {
            throw new ArgumentException($"The edited payload has the key '{key}', not '{deadLetter.RecordKey}': edit the record, not its identity.", nameof(payload));
        }

        if (deadLetter.Kind == DeadLetterKind.Ambiguous && deadLetter.Step is { } step)
        {
            if (resolution == AmbiguousResolution.None)
            {
                throw new InvalidOperationException(
                    $"Record '{deadLetter.RecordKey}' is ambiguous at step '{step}': its write may have happened. Check the platform, then replay with AmbiguousResolution.AlreadyApplied or AmbiguousResolution.SendAgain.");
            }

            var memos = await _engine.Memos.GetRecordAsync(Name, key, cancellationToken).ConfigureAwait(false);
            var memo = memos.FirstOrDefault(m => m.Step == step);
            await _engine.Memos.SaveAsync(
                new StepMemo(Name, key, step, resolution == AmbiguousResolution.AlreadyApplied ? StepState.Completed : StepState.Failed, null,
                    memo?.Generation ?? 0, memo?.Attempts ?? 0, _engine.Time.GetUtcNow()),
                cancellationToken).ConfigureAwait(false);
        }

        var report = await ExecuteAsync(ct => Wrap([value], ct), new RunOptions { IncludeAllRecords = true }, null, false, cancellationToken).ConfigureAwait(false);
        var outcome = report.Records.FirstOrDefault()?.Outcome;
        if (outcome is RecordOutcome.Completed or RecordOutcome.Skipped or RecordOutcome.Filtered)
        {
            // Usually removed on completion already; an entry filed under an "unkeyed:" key is only removed here.
            await _engine.DeadLetters.RemoveAsync(deadLetter.Id, CancellationToken.None).ConfigureAwait(false);
        }

        Log.Replayed(_engine.Logger, Name, deadLetter.Id, key, outcome?.ToString() ?? "none");
        return report;
    }

    private static bool HasBatchStep(IEnumerable<StepNode<TRecord>> nodes) => nodes.Any(n => n switch
    {
        StepDefinition<TRecord> step => step.Batch is not null,
        BranchDefinition<TRecord> branch => HasBatchStep(branch.Then) || HasBatchStep(branch.Otherwise),
        _ => false,
    });

    private static async IAsyncEnumerable<SourceRecord<TSource>> Wrap(IEnumerable<TSource> records, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var record in records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new SourceRecord<TSource>(record, null);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private static async IAsyncEnumerable<SourceRecord<TSource>> Wrap(IAsyncEnumerable<TSource> records, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return new SourceRecord<TSource>(record, null);
        }
    }

    private async Task<RunReport> ExecuteAsync(
        Func<CancellationToken, IAsyncEnumerable<SourceRecord<TSource>>> read,
        RunOptions options,
        string? checkpointBefore,
        bool trackCheckpoint,
        CancellationToken cancellationToken)
    {
        var startedAt = _engine.Time.GetUtcNow();
        var runId = Guid.CreateVersion7(startedAt).ToString("N");
        using var activity = IntegrationsTelemetry.Source.StartActivity("integrations.run");
        activity?.SetTag("integrations.sync", Name);
        activity?.SetTag("integrations.run.id", runId);
        activity?.SetTag("integrations.run.dry", options.DryRun);
        Log.RunStarted(_engine.Logger, Name, runId, options.DryRun, checkpointBefore);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateBounded<(long Sequence, TSource Value)>(
            new BoundedChannelOptions(_definition.Concurrency * 2) { SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        var run = new RunState(options, _batches ? new BatchCoordinator(_definition.Concurrency, () => channel.Reader.Count, _engine.Services, stop.Token) : null);
        var tracker = new CheckpointTracker(checkpointBefore);
        using var checkpointGate = new SemaphoreSlim(1, 1);
        var persisted = checkpointBefore;
        var sinceCheckpoint = 0;

        async Task PersistCheckpointAsync(bool force)
        {
            if (!trackCheckpoint || options.DryRun)
            {
                return;
            }

            await checkpointGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                if ((force || ++sinceCheckpoint >= CheckpointEvery) && tracker.Safe is { } safe && safe != persisted)
                {
                    await _engine.Checkpoints.SetAsync(Name, safe, CancellationToken.None).ConfigureAwait(false);
                    persisted = safe;
                    sinceCheckpoint = 0;
                }
            }
            finally
            {
                checkpointGate.Release();
            }
        }

        async Task ProduceAsync()
        {
            try
            {
                await foreach (var record in read(stop.Token).WithCancellation(stop.Token).ConfigureAwait(false))
                {
                    var sequence = tracker.Register(record.Checkpoint);
                    await channel.Writer.WriteAsync((sequence, record.Value), stop.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                channel.Writer.TryComplete();
            }
        }

        async Task WorkAsync()
        {
            try
            {
                await foreach (var item in channel.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
                {
                    run.Batches?.Poke();
                    var result = await ProcessRecordAsync(item.Value, run, stop.Token).ConfigureAwait(false);
                    run.Batches?.Poke();
                    run.Count(result, Name, options.DryRun ? null : _engine.Metrics);
                    if (tracker.Finish(item.Sequence))
                    {
                        await PersistCheckpointAsync(force: false).ConfigureAwait(false);
                    }
                }
            }
            catch
            {
                await stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }

        var status = RunStatus.Succeeded;
        string? error = null;
        var tasks = new List<Task> { Task.Run(ProduceAsync, CancellationToken.None) };
        tasks.AddRange(Enumerable.Range(0, _definition.Concurrency).Select(_ => Task.Run(WorkAsync, CancellationToken.None)));
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = RunStatus.Cancelled;
        }
        catch (Exception)
        {
            status = cancellationToken.IsCancellationRequested ? RunStatus.Cancelled : RunStatus.Failed;
            var first = tasks.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions).FirstOrDefault(e => e is not OperationCanceledException)
                ?? tasks.FirstOrDefault(t => t.IsFaulted)?.Exception?.InnerException;
            error = first is null ? "the run stopped" : $"{first.GetType().Name}: {_engine.Redactor.Redact(first.Message)}";
        }

        await PersistCheckpointAsync(force: true).ConfigureAwait(false);
        var summary = run.Summarize(runId, Name, status, startedAt, _engine.Time.GetUtcNow(), checkpointBefore, trackCheckpoint ? persisted : null, error);
        if (!options.DryRun)
        {
            await _engine.History.SaveAsync(summary, CancellationToken.None).ConfigureAwait(false);
        }

        if (error is not null)
        {
            Log.RunFailed(_engine.Logger, Name, runId, error);
            activity?.SetStatus(ActivityStatusCode.Error, error);
        }

        Log.RunFinished(_engine.Logger, Name, runId, status.ToString(), summary.Read, summary.Completed, summary.Skipped, summary.Filtered, summary.DeadLettered, summary.Ambiguous);
        return new RunReport(summary, [.. run.Records], [.. run.Planned], _mapping);
    }

    private async Task<RecordResult> ProcessRecordAsync(TSource value, RunState run, CancellationToken cancellationToken)
    {
        string key;
        try
        {
            key = _definition.Key!(value);
            ArgumentException.ThrowIfNullOrEmpty(key);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var payload = SerializePayload(value);
            key = "unkeyed:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payload)).AsSpan(0, 8));
            return await DeadLetterAsync(run, key, payload, "$key", $"the record key could not be computed: {_engine.Redactor.Redact(ex.Message)}", 0, DeadLetterKind.Failed, ex, cancellationToken).ConfigureAwait(false);
        }

        using var activity = IntegrationsTelemetry.Source.StartActivity("integrations.record");
        activity?.SetTag("integrations.sync", Name);
        activity?.SetTag("integrations.record.key", key);
        try
        {
            if (_definition.Filter is { } filter && !filter(value))
            {
                return new RecordResult(key, RecordOutcome.Filtered);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return await DeadLetterAsync(run, key, SerializePayload(value), "$filter", $"the filter threw: {_engine.Redactor.Redact(ex.Message)}", 0, DeadLetterKind.Failed, ex, cancellationToken).ConfigureAwait(false);
        }

        using (await _keyLocks.AcquireAsync(key, cancellationToken).ConfigureAwait(false))
        {
            // With state shared by several instances, the same key must not run on two of them at once either.
            IAsyncDisposable shared = _engine.Locks.SpansProcesses
                ? await _engine.Locks.AcquireAsync(LockNames.Record(Name, key), cancellationToken).ConfigureAwait(false)
                : NoLock.Instance;
            await using var release = shared.ConfigureAwait(false);
            var stored = await _engine.Memos.GetRecordAsync(Name, key, cancellationToken).ConfigureAwait(false);
            var memos = stored.ToDictionary(m => m.Step, StringComparer.Ordinal);
            if (memos.TryGetValue(StepMemo.RecordStep, out var done) && done.State == StepState.Completed)
            {
                return new RecordResult(key, RecordOutcome.Skipped);
            }

            TRecord mapped;
            try
            {
                mapped = _map(value);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return await DeadLetterAsync(run, key, SerializePayload(value), "$map", _engine.Redactor.Redact(ex.Message), 1, DeadLetterKind.Failed, ex, cancellationToken).ConfigureAwait(false);
            }

            var results = memos.Values.Where(m => m.State == StepState.Completed).ToDictionary(m => m.Step, m => m.ResultJson, StringComparer.Ordinal);
            var context = new StepContext(Name, key, _engine.Services, results, _definition.Json, run.Options.DryRun) { Batches = run.Batches };
            RecordResult? problem;
            run.Batches?.Enter();
            try
            {
                problem = await RunNodesAsync(_nodes, value, mapped, context, memos, run, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                run.Batches?.Exit();
            }

            if (problem is not null)
            {
                return problem;
            }

            if (!run.Options.DryRun)
            {
                await SaveMemoAsync(key, StepMemo.RecordStep, StepState.Completed, null, 0, 0).ConfigureAwait(false);
                if (memos.Values.Any(m => m.State != StepState.Completed))
                {
                    // It was set aside before and has now gone through: its dead letter is resolved.
                    await _engine.DeadLetters.RemoveAsync(DeadLetter.CreateId(Name, key), CancellationToken.None).ConfigureAwait(false);
                }
            }

            return new RecordResult(key, RecordOutcome.Completed);
        }
    }

    private async Task<RecordResult?> RunNodesAsync(
        List<StepNode<TRecord>> nodes, TSource source, TRecord record, StepContext context, Dictionary<string, StepMemo> memos, RunState run, CancellationToken cancellationToken)
    {
        foreach (var node in nodes)
        {
            RecordResult? problem;
            if (node is BranchDefinition<TRecord> branch)
            {
                bool matches;
                try
                {
                    matches = branch.Predicate(record);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    return await DeadLetterAsync(run, context.RecordKey, SerializePayload(source), branch.Name, $"the branch condition threw: {_engine.Redactor.Redact(ex.Message)}", 0, DeadLetterKind.Failed, ex, cancellationToken).ConfigureAwait(false);
                }

                problem = await RunNodesAsync(matches ? branch.Then : branch.Otherwise, source, record, context, memos, run, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                problem = await RunStepAsync((StepDefinition<TRecord>)node, source, record, context, memos, run, cancellationToken).ConfigureAwait(false);
            }

            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    private async Task<RecordResult?> RunStepAsync(
        StepDefinition<TRecord> step, TSource source, TRecord record, StepContext context, Dictionary<string, StepMemo> memos, RunState run, CancellationToken cancellationToken)
    {
        memos.TryGetValue(step.Name, out var memo);
        if (memo is { State: StepState.Completed })
        {
            return null;
        }

        var key = context.RecordKey;
        if (run.Options.DryRun && step.Safety != WriteSafety.ReadOnly)
        {
            run.Planned.Enqueue(new PlannedWrite(key, step.Name, step.Safety, DescribeInput(step, record, context)));
            return null;
        }

        var attempt = new StepAttempt(memo);
        if (attempt.AmbiguousBefore && !step.CanRetryAmbiguous)
        {
            return await DeadLetterAsync(run, key, SerializePayload(source), step.Name,
                $"step '{step.Name}' was interrupted in an earlier attempt (the process stopped or the response was lost), so its unsafe write may have happened; it is not resent",
                attempt.Attempts, DeadLetterKind.Ambiguous, null, cancellationToken).ConfigureAwait(false);
        }

        using var activity = IntegrationsTelemetry.Source.StartActivity("integrations.step");
        activity?.SetTag("integrations.sync", Name);
        activity?.SetTag("integrations.step", step.Name);
        activity?.SetTag("integrations.record.key", key);
        var started = _engine.Time.GetTimestamp();
        var resilience = ResilienceContextPool.Shared.Get(cancellationToken);
        resilience.Properties.Set(AttemptKey, attempt);
        try
        {
            var result = await _stepRetry.ExecuteAsync(
                async (ctx, state) => await state.Pipeline.AttemptAsync(state.Step, state.Record, state.Context, state.Attempt, ctx.CancellationToken).ConfigureAwait(false),
                resilience,
                (Pipeline: this, Step: step, Record: record, Context: context, Attempt: attempt)).ConfigureAwait(false);

            if (!run.Options.DryRun)
            {
                var json = JsonSerializer.Serialize(result, step.ResultType, _definition.Json);
                await SaveMemoAsync(key, step.Name, StepState.Completed, json, attempt.Generation, attempt.Attempts).ConfigureAwait(false);
            }

            context.SetResult(step.Name, result);
            _engine.Metrics.StepDuration(Name, step.Name, true, _engine.Time.GetElapsedTime(started));
            return null;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            _engine.Metrics.StepDuration(Name, step.Name, false, _engine.Time.GetElapsedTime(started));
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            var reason = $"step '{step.Name}' failed after {attempt.Attempts} attempt(s): {_engine.Redactor.Redact(ex.Message)}";
            if (attempt.LastKind == FailureKind.Ambiguous && !step.CanRetryAmbiguous)
            {
                reason = $"step '{step.Name}' may or may not have been applied (unsafe write, outcome unknown), so it is not resent: {_engine.Redactor.Redact(ex.Message)}";
                return await DeadLetterAsync(run, key, SerializePayload(source), step.Name, reason, attempt.Attempts, DeadLetterKind.Ambiguous, ex, cancellationToken).ConfigureAwait(false);
            }

            return await DeadLetterAsync(run, key, SerializePayload(source), step.Name, reason, attempt.Attempts, DeadLetterKind.Failed, ex, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(resilience);
        }
    }

    private async ValueTask<object?> AttemptAsync(StepDefinition<TRecord> step, TRecord record, StepContext context, StepAttempt attempt, CancellationToken cancellationToken)
    {
        var key = context.RecordKey;
        attempt.Attempts++;
        if (step.Safety != WriteSafety.ReadOnly)
        {
            // Written before the call: if the process dies during it, the next run knows the write may have happened.
            await SaveMemoAsync(key, step.Name, StepState.Started, null, attempt.Generation, attempt.Attempts).ConfigureAwait(false);
        }

        context.Write = new WriteContext(Name, key, step.Name, IdempotencyKeys.Derive(Name, key, step.Name, attempt.Generation), attempt.Attempts, attempt.AmbiguousBefore);
        try
        {
            if (attempt.AmbiguousBefore && step.Lookup is { } lookup)
            {
                var found = await lookup(record, context, cancellationToken).ConfigureAwait(false);
                if (found is not null)
                {
                    return found;
                }
            }

            return step.Batch is { } batch
                ? await context.Batches!.EnqueueAsync(step.Name, batch, step.DescribeInput!(record, context), context.Write).WaitAsync(cancellationToken).ConfigureAwait(false)
                : await step.Execute(record, context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var kind = FailureClassifier.Classify(ex);
            attempt.LastKind = kind;
            attempt.Retryable = kind == FailureKind.Transient || (kind == FailureKind.Ambiguous && step.CanRetryAmbiguous);
            if (kind == FailureKind.Ambiguous)
            {
                attempt.AmbiguousBefore = true;
            }
            else if (step.Safety != WriteSafety.ReadOnly)
            {
                // The platform did not apply it. After a refusal the next attempt gets a fresh idempotency key, so a
                // corrected payload is not answered with the stored refusal.
                if (kind == FailureKind.Permanent)
                {
                    attempt.Generation++;
                }

                await SaveMemoAsync(key, step.Name, StepState.Failed, null, attempt.Generation, attempt.Attempts).ConfigureAwait(false);
            }

            Log.StepFailed(_engine.Logger, Name, key, step.Name, attempt.Attempts, kind.ToString(), _engine.Redactor.Redact(ex.Message));
            throw;
        }
    }

    private string? DescribeInput(StepDefinition<TRecord> step, TRecord record, StepContext context)
    {
        if (step.DescribeInput is null)
        {
            return null;
        }

        try
        {
            return _engine.Redactor.Redact(JsonSerializer.Serialize(step.DescribeInput(record, context), _definition.Json));
        }
        catch (InvalidOperationException)
        {
            // The input depends on an earlier write's result, which a dry run does not make.
            return null;
        }
    }

    private async Task<RecordResult> DeadLetterAsync(
        RunState run, string key, string payload, string step, string reason, int attempts, DeadLetterKind kind, Exception? error, CancellationToken cancellationToken)
    {
        if (!run.Options.DryRun)
        {
            var now = _engine.Time.GetUtcNow();
            await _engine.DeadLetters.AddAsync(
                new DeadLetter
                {
                    Id = DeadLetter.CreateId(Name, key),
                    Sync = Name,
                    RecordKey = key,
                    Payload = payload,
                    Reason = reason,
                    Step = step,
                    ErrorType = error?.GetType().Name,
                    Attempts = attempts,
                    Kind = kind,
                    CreatedAt = now,
                    UpdatedAt = now,
                },
                CancellationToken.None).ConfigureAwait(false);
            await SaveMemoAsync(key, StepMemo.RecordStep, kind == DeadLetterKind.Ambiguous ? StepState.Started : StepState.Failed, null, 0, attempts).ConfigureAwait(false);
        }

        if (kind == DeadLetterKind.Ambiguous)
        {
            Log.Ambiguous(_engine.Logger, Name, key, step, reason);
            return new RecordResult(key, RecordOutcome.Ambiguous, step, reason, attempts);
        }

        Log.DeadLettered(_engine.Logger, Name, key, step, attempts, reason);
        _ = cancellationToken;
        return new RecordResult(key, RecordOutcome.DeadLettered, step, reason, attempts);
    }

    private ValueTask SaveMemoAsync(string key, string step, StepState state, string? json, int generation, int attempts) =>
        _engine.Memos.SaveAsync(new StepMemo(Name, key, step, state, json, generation, attempts, _engine.Time.GetUtcNow()), CancellationToken.None);

    private string SerializePayload(TSource value)
    {
        try
        {
            return JsonSerializer.Serialize(value, _definition.Json);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
        {
            return JsonSerializer.Serialize(new { error = $"the record could not be serialized: {ex.Message}", record = value?.ToString() });
        }
    }

    /// <summary>The state of one step across its attempts in this run.</summary>
    private sealed class StepAttempt(StepMemo? memo)
    {
        public int Generation { get; set; } = memo?.Generation ?? 0;

        public int Attempts { get; set; } = memo?.Attempts ?? 0;

        public bool AmbiguousBefore { get; set; } = memo?.State == StepState.Started;

        public FailureKind LastKind { get; set; }

        public bool Retryable { get; set; }
    }

    /// <summary>Counts and details of one run, updated by concurrent workers.</summary>
    private sealed class RunState(RunOptions options, BatchCoordinator? batches)
    {
        private int _read;
        private int _completed;
        private int _skipped;
        private int _filtered;
        private int _deadLettered;
        private int _ambiguous;

        public RunOptions Options { get; } = options;

        public BatchCoordinator? Batches { get; } = batches;

        public ConcurrentQueue<RecordResult> Records { get; } = new();

        public ConcurrentQueue<PlannedWrite> Planned { get; } = new();

        public void Count(RecordResult result, string sync, IntegrationsMetrics? metrics)
        {
            Interlocked.Increment(ref _read);
            switch (result.Outcome)
            {
                case RecordOutcome.Completed: Interlocked.Increment(ref _completed); break;
                case RecordOutcome.Skipped: Interlocked.Increment(ref _skipped); break;
                case RecordOutcome.Filtered: Interlocked.Increment(ref _filtered); break;
                case RecordOutcome.DeadLettered: Interlocked.Increment(ref _deadLettered); break;
                default: Interlocked.Increment(ref _ambiguous); break;
            }

            if (Options.IncludeAllRecords || result.Outcome is RecordOutcome.DeadLettered or RecordOutcome.Ambiguous)
            {
                Records.Enqueue(result);
            }

            metrics?.RecordOutcome(sync, result.Outcome switch
            {
                RecordOutcome.Completed => "completed",
                RecordOutcome.Skipped => "skipped",
                RecordOutcome.Filtered => "filtered",
                RecordOutcome.DeadLettered => "dead_lettered",
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
            CheckpointBefore = before,
            CheckpointAfter = after ?? before,
            Error = error,
        };
    }

    /// <summary>Stands for the shared lock when the state is not shared: the in-process key lock already excludes.</summary>
    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
