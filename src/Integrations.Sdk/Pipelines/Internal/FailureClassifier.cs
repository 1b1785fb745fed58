using System.Text.Json;
using Integrations.Sdk.Mapping;
using Integrations.Sdk.Transport;
using Polly.Timeout;

namespace Integrations.Sdk.Pipelines.Internal;

/// <summary>What a step's failure says about its write.</summary>
internal enum FailureKind
{
    /// <summary>Not applied, and trying again will not help (bad data, a refusal, a bug).</summary>
    Permanent,

    /// <summary>Not applied, and trying again may help (throttled, open circuit, unreachable).</summary>
    Transient,

    /// <summary>May have been applied (a 5xx, a timeout or a reset after the request was sent).</summary>
    Ambiguous,
}

internal static class FailureClassifier
{
    public static FailureKind Classify(Exception exception) => exception switch
    {
        PlatformException { MayHaveBeenApplied: true } => FailureKind.Ambiguous,
        PlatformException { IsRetryable: true } => FailureKind.Transient,
        PlatformException => FailureKind.Permanent,
        MappingValidationException or JsonException or FormatException or ArgumentException => FailureKind.Permanent,
        TimeoutRejectedException or TimeoutException or HttpRequestException or OperationCanceledException or IOException => FailureKind.Ambiguous,
        _ => FailureKind.Permanent,
    };
}
