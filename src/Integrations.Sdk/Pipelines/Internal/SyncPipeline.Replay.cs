namespace Integrations.Sdk.Pipelines.Internal;

/// <summary>Replays a dead-lettered record, optionally edited, after a person resolved an ambiguous write.</summary>
internal sealed partial class SyncPipeline<TSource, TRecord>
{
    public async Task<RunReport> ReplayAsync(DeadLetter deadLetter, string? payload, AmbiguousResolution resolution, CancellationToken cancellationToken)
    {
        if (deadLetter.Step == SelectStep && payload is null)
        {
            throw new InvalidOperationException(
                $"Dead letter '{deadLetter.Id}' holds the record as the source read it, before its Select could convert it to {typeof(TSource).Name} "
                + $"({deadLetter.Reason}). Replay it with a payload: the corrected record as a {typeof(TSource).Name} in JSON.");
        }

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
}
