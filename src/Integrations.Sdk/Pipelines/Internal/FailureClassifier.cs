using Integrations.Sdk.Mapping;
using Integrations.Sdk.Transport.Internal;

namespace Integrations.Sdk.Pipelines.Internal;

/// <summary>What a step's failure says about its write.</summary>
internal enum FailureKind
{
    /// <summary>Not applied, and trying again will not help (bad data caught before sending, a refusal by the platform).</summary>
    Permanent,

    /// <summary>Not applied, and trying again may help (throttled, open circuit, unreachable).</summary>
    Transient,

    /// <summary>
    /// May have been applied: a 5xx, a timeout or a reset after the request was sent, or any error the SDK cannot
    /// place (a response that could not be read, a bug after the call): only a refusal proves a write did not happen.
    /// </summary>
    Ambiguous,
}

internal static class FailureClassifier
{
    public static FailureKind Classify(Exception exception) => exception switch
    {
        PlatformException { MayHaveBeenApplied: true } => FailureKind.Ambiguous,
        PlatformException { IsRetryable: true } => FailureKind.Transient,
        PlatformException => FailureKind.Permanent,
        RecordRejectedException or MappingValidationException or FormatException or ArgumentException => FailureKind.Permanent,
        _ => FailureKind.Ambiguous,
    };
}

/// <summary>
/// A platform that is unavailable as a whole, not for one record: its circuit is open after repeated failures, or it
/// could not be reached at all (nothing was sent). A run that meets one pauses and leaves its records for later.
/// </summary>
/// <param name="Connector">The connector's name.</param>
/// <param name="ResumeAfter">When the circuit lets a request through again, when known.</param>
/// <param name="Reason">Why the records wait, naming the connector and the time. No secrets.</param>
internal sealed record Outage(string Connector, DateTimeOffset? ResumeAfter, string Reason)
{
    /// <summary>
    /// The failure's message for a dead letter; when a step of the user's caught an open circuit's exception and threw
    /// one of its own (which hides the outage, so the record is dead-lettered, not deferred), followed by the open
    /// circuit's message, which says until when and what to do, unless the step's message already carries it.
    /// </summary>
    public static string Explain(Exception exception)
    {
        if (exception is PlatformException)
        {
            return exception.Message;
        }

        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is PlatformException { ErrorCode: "circuit_open" } open)
            {
                // The whole message carries the "[circuit_open]" code the operations recipe looks for; the platform's part alone does not.
                return exception.Message.Contains(open.Message, StringComparison.Ordinal) ? exception.Message : $"{exception.Message} (caused by: {open.Message})";
            }
        }

        return exception.Message;
    }

    /// <summary>Whether the failure is an open circuit: trying again before the break ends cannot help.</summary>
    public static bool IsCircuitOpen(Exception exception) => exception is PlatformException { ErrorCode: "circuit_open" };

    /// <summary>Returns the outage a failure shows, or <see langword="null"/> when it concerns the record (or may have been applied).</summary>
    public static Outage? From(Exception exception, DateTimeOffset now) => exception switch
    {
        PlatformException { ErrorCode: "circuit_open" } pe when pe.RetryAfter is { } wait => Open(pe.Platform, now + wait),
        PlatformException { ErrorCode: "circuit_open" } pe =>
            new(pe.Platform, null, $"{pe.Platform} is unavailable (its circuit is open after repeated failures){Untimed}"),
        PlatformException { StatusCode: null, IsRetryable: true, MayHaveBeenApplied: false, ErrorCode: { } code } pe
            when code.StartsWith("transport_", StringComparison.Ordinal) || code == "token_refresh_failed" =>
            new(pe.Platform, null, $"{pe.Platform} could not be reached ({code}){Untimed}"),
        _ => null,
    };

    /// <summary>What to do about an outage whose end is known: nothing, and why (the run's error, each deferred record's reason, the inbox's).</summary>
    private const string Timed =
        "; nothing to do: unfinished records are left for the next run, which reads them again, and webhook events go back to the inbox " +
        "(a replay that met it keeps its dead letter: replay it again after that time)";

    /// <summary>What to do about an outage whose end is not known.</summary>
    private const string Untimed =
        "; nothing to do: unfinished records are left for the next run, which reads them again, and webhook events go back to the inbox " +
        "(a replay that met it keeps its dead letter: replay it again later)";

    private static Outage Open(string connector, DateTimeOffset until) =>
        new(connector, until, $"{connector} is unavailable (its circuit is open after repeated failures) until about {until.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z (UTC), when a request probes it again{Timed}");

    /// <summary>
    /// The outage behind a retryable failure (a 5xx, a timeout) that ran out of step retries while its connector's
    /// circuit is open: the record met the outage before the breaker tripped, not a fault of its own.
    /// </summary>
    /// <remarks>
    /// The breaker trips only after enough failures, so the first records into an outage run out of retries while it
    /// is still closed. Such a record is an outage's too when the platform has answered no request sent since the
    /// record's first failure (<paramref name="since"/>; <see langword="null"/> to consider the open circuit only): it is
    /// failing everyone, not this record. Requests already under way when the outage began may still be answered after
    /// that failure; they are dated by when they were sent, so they do not count.
    /// </remarks>
    public static Outage? FromOpenCircuit(Exception exception, ConnectorCircuits? circuits, DateTimeOffset now, DateTimeOffset? since)
    {
        if (exception is not PlatformException { IsRetryable: true } pe || circuits is null)
        {
            return null;
        }

        if (!circuits.IsOpen(pe.Platform, out var until))
        {
            return since is not { } from || !circuits.IsSilentSince(pe.Platform, from)
                ? null
                : new(pe.Platform, null, $"{pe.Platform} has answered no request sent since {from.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z (the last failure: {(pe.StatusCode is { } status ? $"HTTP {(int)status}" : pe.ErrorCode ?? "no answer")}){Untimed}");
        }

        return until is { } end && end > now
            ? Open(pe.Platform, end)
            : new(pe.Platform, null, $"{pe.Platform} is unavailable (its circuit is open after repeated failures; the next request probes it){Untimed}");
    }
}
