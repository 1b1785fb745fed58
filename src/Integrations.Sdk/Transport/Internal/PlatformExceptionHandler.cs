using System.Globalization;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Integrations.Sdk.Transport.Internal;

/// <summary>The outermost handler: turns the resilience pipeline's own exceptions into <see cref="PlatformException"/>.</summary>
internal sealed class PlatformExceptionHandler(string connector, TimeProvider time) : DelegatingHandler
{
    /// <summary>What an open circuit means for the person who reads it, after "until when".</summary>
    private const string CircuitOpenAdvice =
        "Nothing to do for syncs: records that meet it are deferred and read again by the next run, and webhook events go back to the inbox. " +
        "Your own calls: try again after that time; a dead letter with this reason: replay it after that time.";

    private const string CircuitIsolatedAdvice =
        "Records that meet it are deferred and read again by the next run, and webhook events go back to the inbox. " +
        "Your own calls, and a dead letter with this reason: try again once it is closed.";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new PlatformException(connector, null, "timeout", $"no response within {ex.Timeout}", isRetryable: true, mayHaveBeenApplied: true, innerException: ex);
        }
        catch (BrokenCircuitException ex)
        {
            throw new PlatformException(connector, null, "circuit_open", CircuitOpenMessage(ex, time.GetUtcNow()),
                isRetryable: true, mayHaveBeenApplied: false, retryAfter: ex.RetryAfter, innerException: ex);
        }
        catch (RateLimiterRejectedException ex)
        {
            throw new PlatformException(connector, null, "rate_limited", "the request budget was exhausted",
                isRetryable: true, mayHaveBeenApplied: false, retryAfter: ex.RetryAfter, innerException: ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PlatformException(connector, null, "timeout", "the request timed out", isRetryable: true, mayHaveBeenApplied: true, innerException: ex);
        }
    }

    /// <summary>
    /// Says until when (UTC, from the injected clock) requests are refused and what to do; built only on a refusal, so
    /// a request that passes pays nothing for it.
    /// </summary>
    internal static string CircuitOpenMessage(BrokenCircuitException exception, DateTimeOffset now) => exception switch
    {
        IsolatedCircuitException =>
            "the circuit is isolated (held open by hand): requests are refused without being sent until it is closed again. " + CircuitIsolatedAdvice,
        { RetryAfter: { } wait } => string.Create(CultureInfo.InvariantCulture,
            $"the circuit is open after repeated failures: requests are refused without being sent until about {(now + wait).ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z (UTC), when the next one probes the platform. {CircuitOpenAdvice}"),
        _ => "the circuit is open after repeated failures: requests are refused without being sent until its break ends, when the next one probes the platform. " + CircuitOpenAdvice,
    };
}
