using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Integrations.Sdk.Transport.Internal;

/// <summary>
/// The one rule for HTTP retries: retry a retryable failure when the platform did not act on the request
/// (429, refused connection, rejected token) or when the request is safe to replay (a read, or it carries an
/// idempotency key). A write without a key whose effect is unknown is never resent here.
/// </summary>
internal static class RetryRules
{
    public static bool ShouldRetry(Exception? exception, HttpRequestMessage? request, ConnectorHttpOptions options) => exception switch
    {
        PlatformException { IsRetryable: false } => false,
        PlatformException { RetryAfter: { } wait } when wait > options.MaxRetryAfter => false,
        PlatformException { MayHaveBeenApplied: false } => true,
        PlatformException => IsReplaySafe(request, options),
        TimeoutRejectedException => IsReplaySafe(request, options),
        BrokenCircuitException => false,
        _ => false,
    };

    public static bool CountsAsPlatformFailure(Exception? exception) => exception switch
    {
        PlatformException { StatusCode: null, ErrorCode: not "circuit_open" and not "rate_limited" and not "no_refresh_token" } => true,
        PlatformException { StatusCode: { } status, IsRetryable: true } => (int)status >= 500, // a refusal sent as 5xx is the caller's fault
        TimeoutRejectedException => true,
        _ => false,
    };

    /// <summary>Whether the platform answered the request itself in a way that shows it is up: a success, or a refusal below 500.</summary>
    public static bool IsPlatformAnswer(Exception? exception) =>
        exception is null || (exception is PlatformException { StatusCode: not null } && !CountsAsPlatformFailure(exception));

    private static bool IsReplaySafe(HttpRequestMessage? request, ConnectorHttpOptions options) =>
        request is not null && request.IsReplaySafe([.. options.IdempotencyHeaders], [.. options.IdempotencyQueryParameters]);
}
