using System.Diagnostics;
using System.Threading.Channels;

namespace Integrations.Sdk.Pipelines.Internal;

/// <summary>
/// The run loop: one producer reads the source into a bounded channel, workers take records from it, and the
/// checkpoint advances past finished records only.
/// </summary>
internal sealed partial class SyncPipeline<TSource, TRecord>
{
    private const int CheckpointEvery = 50;

    private async Task<RunReport> ExecuteAsync(
        Func<CancellationToken, IAsyncEnumerable<SourceItem<TSource>>> read,
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
        var channel = Channel.CreateBounded<(long Sequence, TSource Value, OrderingTurns.Turn? Turn)>(
            new BoundedChannelOptions(_definition.Concurrency * 2) { SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        using var run = new RunState(options, _batches ? new BatchCoordinator(_definition.Concurrency, () => channel.Reader.Count, _engine.Services, stop.Token) : null);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, run.Paused.Token);
        var tracker = new CheckpointTracker(checkpointBefore);
        var turns = _definition.OrderingKey is null ? null : new OrderingTurns();
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
                // A run paused on an outage stops reading; what was read is still taken by the workers.
                await foreach (var item in read(reading.Token).WithCancellation(reading.Token).ConfigureAwait(false))
                {
                    var sequence = tracker.Register(item.Checkpoint);
                    if (!item.IsRecord)
                    {
                        // Records the source left out (RecordSourceExtensions.Where): nothing to process, the checkpoint may
                        // pass them. A record its Select could not convert is dead-lettered as read, then passed the same way.
                        if (item.Failure is { } failure)
                        {
                            run.Count(await DeadLetterUnconvertedAsync(run, failure).ConfigureAwait(false), Name, options.DryRun ? null : _engine.Metrics);
                        }

                        if (tracker.Finish(sequence))
                        {
                            await PersistCheckpointAsync(force: false).ConfigureAwait(false);
                        }

                        continue;
                    }

                    await channel.Writer.WriteAsync((sequence, item.Value, turns?.Take(OrderingKeyOf(item.Value))), reading.Token).ConfigureAwait(false);
                }
            }
            catch (Exception) when (run.Paused.IsCancellationRequested && !stop.IsCancellationRequested)
            {
                // Stopped reading because the run paused.
            }
            catch (Exception ex) when (!stop.IsCancellationRequested && Outage.From(ex, _engine.Time.GetUtcNow()) is { } outage)
            {
                // The source's platform is down: pause rather than fail; the next run reads from the checkpoint.
                run.Pause(outage);
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
                    RecordResult result;
                    try
                    {
                        if (item.Turn is { } turn)
                        {
                            // Records of the same ordering key run in the order read: wait for the one before to finish.
                            await turn.Previous.WaitAsync(stop.Token).ConfigureAwait(false);
                        }

                        result = await ProcessRecordAsync(item.Value, run, stop.Token).ConfigureAwait(false);
                    }
                    finally
                    {
                        item.Turn?.Release();
                    }

                    run.Batches?.Poke();
                    run.Count(result, Name, options.DryRun ? null : _engine.Metrics);

                    // A deferred record is not finished: the checkpoint stays before it, so the next run reads it again.
                    if (result.Outcome != RecordOutcome.Deferred && tracker.Finish(item.Sequence))
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

        if (status == RunStatus.Succeeded && run.Outage is { } paused)
        {
            status = RunStatus.Paused;
            error = _engine.Redactor.Redact(paused.Reason);
        }

        await PersistCheckpointAsync(force: true).ConfigureAwait(false);
        var summary = run.Summarize(runId, Name, status, startedAt, _engine.Time.GetUtcNow(), checkpointBefore, trackCheckpoint ? persisted : null, error);
        if (!options.DryRun)
        {
            await _engine.History.SaveAsync(summary, CancellationToken.None).ConfigureAwait(false);
        }

        if (status == RunStatus.Paused)
        {
            Log.RunPaused(_engine.Logger, Name, runId, summary.Deferred, error!);
        }
        else if (error is not null)
        {
            Log.RunFailed(_engine.Logger, Name, runId, error);
            activity?.SetStatus(ActivityStatusCode.Error, error);
        }

        Log.RunFinished(_engine.Logger, Name, runId, status.ToString(), summary.Read, summary.Completed, summary.Skipped, summary.Filtered, summary.DeadLettered, summary.Ambiguous);
        return new RunReport(summary, [.. run.Records], [.. run.Planned], _mapping, status == RunStatus.Paused ? run.Outage?.ResumeAfter : null);
    }

    /// <summary>The record's ordering key, or <see langword="null"/> when it cannot be computed (the record then runs unordered).</summary>
    private string? OrderingKeyOf(TSource value)
    {
        try
        {
            return _definition.OrderingKey!(value);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }
}
