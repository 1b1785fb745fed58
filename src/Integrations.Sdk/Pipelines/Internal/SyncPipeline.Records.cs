namespace Integrations.Sdk.Pipelines.Internal;

/// <summary>One record: key → filter → key lock → step memo → map → the step list with its branches.</summary>
internal sealed partial class SyncPipeline<TSource, TRecord>
{
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
            key = UnkeyedKey(payload);
            return await DeadLetterAsync(run, key, payload, "$key", $"the record key could not be computed: {ex.Message}", 0, DeadLetterKind.Failed, ex, cancellationToken).ConfigureAwait(false);
        }

        if (run.Outage is { } outage)
        {
            // The run paused on an outage: a record not started yet is left for the next run as it is.
            return new RecordResult(key, RecordOutcome.Deferred, null, _engine.Redactor.Redact(outage.Reason));
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
            return await DeadLetterAsync(run, key, SerializePayload(value), "$filter", $"the filter threw: {ex.Message}", 0, DeadLetterKind.Failed, ex, cancellationToken).ConfigureAwait(false);
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
                return await DeadLetterAsync(run, key, SerializePayload(value), "$map", ex.Message, 1, DeadLetterKind.Failed, ex, cancellationToken).ConfigureAwait(false);
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
                    return await DeadLetterAsync(run, context.RecordKey, SerializePayload(source), branch.Name, $"the branch condition threw: {ex.Message}", 0, DeadLetterKind.Failed, ex, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Stands for the shared lock when the state is not shared: the in-process key lock already excludes.</summary>
    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
