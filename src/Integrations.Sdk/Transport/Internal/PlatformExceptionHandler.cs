using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Integrations.Sdk.Transport.Internal;

/// <summary>The outermost handler: turns the resilience pipeline's own exceptions into <see cref="PlatformException"/>.</summary>
internal sealed class PlatformExceptionHandler(string connector) : DelegatingHandler
{
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
            throw new PlatformException(connector, null, "circuit_open", "the circuit is open after repeated failures; requests are paused",
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
}
