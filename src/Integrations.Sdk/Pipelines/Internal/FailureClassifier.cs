using Integrations.Sdk.Mapping;

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
        MappingValidationException or FormatException or ArgumentException => FailureKind.Permanent,
        _ => FailureKind.Ambiguous,
    };
}
