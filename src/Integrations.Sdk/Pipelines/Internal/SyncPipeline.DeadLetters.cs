namespace Integrations.Sdk.Pipelines.Internal;

/// <summary>
/// Sets a record aside as a dead letter (failed) or as ambiguous, with its payload and the reason. Both pass through the
/// redactor once, here: the payload when it is serialized (<see cref="SerializePayload"/>), the reason before it is
/// stored, logged and put in the run report. Callers pass raw exception messages.
/// </summary>
internal sealed partial class SyncPipeline<TSource, TRecord>
{
    private async Task<RecordResult> DeadLetterAsync(
        RunState run, string key, string payload, string step, string reason, int attempts, DeadLetterKind kind, Exception? error, CancellationToken cancellationToken)
    {
        reason = _engine.Redactor.Redact(reason);
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

    /// <summary>The redacted payload of a dead letter: the record's JSON, or a description when it cannot be serialized.</summary>
    private string SerializePayload(TSource value)
    {
        string json;
        try
        {
            json = JsonSerializer.Serialize(value, _definition.Json);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
        {
            // Not replayable anyway, so the full redaction applies; ToString of a record prints every property.
            return JsonSerializer.Serialize(new
            {
                error = _engine.Redactor.Redact($"the record could not be serialized: {ex.Message}"),
                record = _engine.Redactor.Redact(value?.ToString()),
            });
        }

        // Only the registered secrets: the payload must still deserialize and keep its key for a replay.
        return _engine.Redactor.RedactPayload(json);
    }
}
