using System.Diagnostics;
using Integrations.Sdk.Transport.Internal;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Retry;

namespace Integrations.Sdk.Pipelines.Internal;

/// <summary>
/// One step: the memo says whether it is done, a dry run only plans writes, and failures are retried within the run
/// unless the write is unsafe and its outcome unknown (ambiguous).
/// </summary>
internal sealed partial class SyncPipeline<TSource, TRecord>
{
    private static readonly ResiliencePropertyKey<StepAttempt> AttemptKey = new("Integrations.StepAttempt");

    /// <summary>
    /// In how many runs a record may use up its step attempts on a platform that answered no request at all while its
    /// circuit stayed closed: deferred until then, dead-lettered like any failure in the last. An open circuit has no
    /// such limit.
    /// </summary>
    private const int SilentPlatformRuns = 3;

    /// <summary>Retries a failing step within the run, with exponential backoff and jitter, while its attempt says it may.</summary>
    private static ResiliencePipeline CreateStepRetry(SyncDefinition<TSource> definition, TimeProvider time) =>
        definition.StepAttempts <= 1
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder { TimeProvider = time }
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
            var reason = ex is RecordRejectedException rejected
                ? $"step '{step.Name}' rejected the record: {rejected.Reason}"
                : $"step '{step.Name}' failed after {attempt.Attempts} attempt(s): {Outage.Explain(ex)}";
            var now = _engine.Time.GetUtcNow();
            var outage = attempt.LastKind == FailureKind.Transient ? Outage.From(ex, now) : null;
            if (outage is null && (attempt.LastKind == FailureKind.Transient || (attempt.LastKind == FailureKind.Ambiguous && step.CanRetryAmbiguous)))
            {
                // A platform that answers nobody is waited out too, but a record met that way run after run (a write
                // the platform fails every time, with nothing else running to show it is up) is set aside at last.
                var silenceCounts = attempt.Attempts < _definition.StepAttempts * SilentPlatformRuns;
                outage = Outage.FromOpenCircuit(ex, _engine.Services.GetService<ConnectorCircuits>(), now, silenceCounts ? attempt.FirstFailureAt : null);
            }

            if (outage is not null)
            {
                // The platform is down, not the record: leave it unfinished for the next run. Its step memo stays as
                // the attempts left it (Started when an attempt may have applied the write), so the usual rules apply.
                var pause = run.Pause(outage);
                Log.RecordDeferred(_engine.Logger, Name, key, step.Name, outage.Connector, _engine.Redactor.Redact(ex.Message));
                return new RecordResult(key, RecordOutcome.Deferred, step.Name, _engine.Redactor.Redact(pause.Reason), attempt.Attempts);
            }

            if (attempt.LastKind == FailureKind.Ambiguous && !step.CanRetryAmbiguous)
            {
                reason = $"step '{step.Name}' may or may not have been applied (unsafe write, outcome unknown), so it is not resent: {Outage.Explain(ex)}";
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
        if (attempt.AmbiguousBefore && step.Lookup is not null && step.FindableAfter > TimeSpan.Zero)
        {
            await WaitUntilFindableAsync(step, key, attempt, cancellationToken).ConfigureAwait(false);
        }

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
            attempt.FirstFailureAt ??= _engine.Time.GetUtcNow();
            // An open circuit refuses at once until its break ends: retrying within the step cannot help, and the
            // record is deferred instead (see RunStepAsync).
            attempt.Retryable = (kind == FailureKind.Transient && !Outage.IsCircuitOpen(ex)) || (kind == FailureKind.Ambiguous && step.CanRetryAmbiguous);
            if (kind == FailureKind.Ambiguous)
            {
                attempt.AmbiguousBefore = true;
                if (step.Lookup is not null)
                {
                    // The write may have landed at any moment up to now: the lookup's wait counts from here, and the
                    // memo (still Started) carries this time to a restart.
                    attempt.AmbiguousAt = _engine.Time.GetUtcNow();
                    await SaveMemoAsync(key, step.Name, StepState.Started, null, attempt.Generation, attempt.Attempts, attempt.AmbiguousAt).ConfigureAwait(false);
                }
            }
            else if (kind == FailureKind.Transient && attempt.AmbiguousBefore)
            {
                // Not sent this time, but an earlier attempt may have applied the write: the memo stays Started, so
                // the next attempt (in this run or a later one) still treats the write as possibly made.
            }
            else if (step.Safety != WriteSafety.ReadOnly)
            {
                // The platform did not apply it. After a refusal the next attempt gets a fresh idempotency key, so a
                // corrected payload is not answered with the stored refusal.
                if (kind == FailureKind.Permanent)
                {
                    attempt.Generation++;
                }

                // This attempt proves nothing about an earlier ambiguous one: a lookup step's memo stays Started, with
                // that attempt's time, so that a restart still waits and looks before it creates.
                var stillAmbiguous = attempt.AmbiguousBefore && step.Lookup is not null;
                await SaveMemoAsync(key, step.Name, stillAmbiguous ? StepState.Started : StepState.Failed, null, attempt.Generation, attempt.Attempts,
                    stillAmbiguous ? attempt.AmbiguousAt : null).ConfigureAwait(false);
            }

            Log.StepFailed(_engine.Logger, Name, key, step.Name, attempt.Attempts, kind.ToString(), _engine.Redactor.Redact(ex.Message));
            throw;
        }
    }

    /// <summary>
    /// Waits until the step's platform makes a write findable (<see cref="StepDefinition{TRecord}.FindableAfter"/>),
    /// counted from the earlier ambiguous attempt: its time in the memo, so a restart waits only the rest. On the
    /// engine's clock; however long, it is only cut short by cancellation.
    /// </summary>
    private async Task WaitUntilFindableAsync(StepDefinition<TRecord> step, string key, StepAttempt attempt, CancellationToken cancellationToken)
    {
        var now = _engine.Time.GetUtcNow();
        attempt.AmbiguousAt ??= now;   // unknown (a memo without a time cannot be): wait the whole delay
        // At most the whole delay: a memo written by a host whose clock runs ahead must not stretch it.
        var wait = TimeSpan.FromTicks(Math.Min((attempt.AmbiguousAt.Value + step.FindableAfter - now).Ticks, step.FindableAfter.Ticks));
        if (wait > TimeSpan.Zero)
        {
            Log.WaitingForFindable(_engine.Logger, Name, key, step.Name, wait);
            await Task.Delay(wait, _engine.Time, cancellationToken).ConfigureAwait(false);
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

    /// <summary>The state of one step across its attempts in this run.</summary>
    private sealed class StepAttempt(StepMemo? memo)
    {
        public int Generation { get; set; } = memo?.Generation ?? 0;

        public int Attempts { get; set; } = memo?.Attempts ?? 0;

        public bool AmbiguousBefore { get; set; } = memo?.State == StepState.Started;

        /// <summary>
        /// The latest moment an earlier ambiguous attempt may have been applied: when its failure was seen, or, after
        /// a crash during the call, the Started memo's time (written just before the call was sent).
        /// </summary>
        public DateTimeOffset? AmbiguousAt { get; set; } = memo?.State == StepState.Started ? memo.UpdatedAt : null;

        public FailureKind LastKind { get; set; }

        /// <summary>
        /// When this run's first attempt failed: if the platform has answered no request sent since, the record met an
        /// outage (see <see cref="Outage.FromOpenCircuit"/>).
        /// </summary>
        public DateTimeOffset? FirstFailureAt { get; set; }

        public bool Retryable { get; set; }
    }
}
