namespace Integrations.Sdk.Pipelines.Internal;

/// <summary>
/// Sets a record aside as a dead letter (failed) or as ambiguous, with its payload and the reason. Both pass through the
/// redactor once, here: the payload when it is serialized (<see cref="SerializePayload"/>), the reason before it is
/// stored, logged and put in the run report. Callers pass raw exception messages.
/// </summary>
internal sealed partial class SyncPipeline<TSource, TRecord>
{
    /// <summary>The step name of a dead letter whose record the source's <c>Select</c> could not convert.</summary>
    private const string SelectStep = "$select";

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

    /// <summary>
    /// Dead-letters a record the source read but its <c>Select</c> could not convert (<see cref="SourceFailure"/>). It has
    /// no key of the sync's yet, so it is filed under one derived from its payload, like a record whose key failed.
    /// </summary>
    private Task<RecordResult> DeadLetterUnconvertedAsync(RunState run, SourceFailure failure)
    {
        var payload = _engine.Redactor.RedactPayload(failure.Payload);
        return DeadLetterAsync(run, UnkeyedKey(payload), payload, SelectStep, failure.Reason, 0, DeadLetterKind.Failed, failure.Error, CancellationToken.None);
    }

    /// <summary>The key a dead letter is filed under when the record has none: <c>unkeyed:</c> and a hash of its payload.</summary>
    private static string UnkeyedKey(string payload) =>
        "unkeyed:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(payload)).AsSpan(0, 8));

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
