using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Sdk.Reliability.Tests.Support;

/// <summary>
/// Transport settings for tests against the simulators on an <see cref="AcceleratedClock"/>: the SDK's own
/// mechanisms (retries honouring Retry-After, attempt timeouts, circuit breaker) stay on, measured on the fast clock,
/// and the request budgets are lifted (the simulators' own limits are lifted too), so a cell measures faults rather
/// than politeness.
/// </summary>
public static class FastTransport
{
    /// <summary>How long one attempt may take, on the wall clock, before the SDK gives up on it.</summary>
    public static readonly TimeSpan AttemptTimeoutWall = TimeSpan.FromMilliseconds(250);

    public static void Configure(IServiceCollection services, AcceleratedClock clock, params string[] connectors)
    {
        services.AddSingleton<TimeProvider>(clock);
        foreach (var connector in connectors)
        {
            services.PostConfigure<ConnectorHttpOptions>(connector, o =>
            {
                o.AttemptTimeout = clock.FromWall(AttemptTimeoutWall);
                o.TotalTimeout = TimeSpan.FromHours(2);
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(100);
                o.MaxRetryAttempts = 6;
                o.RateLimit = new RateLimitOptions { PermitsPerWindow = 100_000, Window = TimeSpan.FromSeconds(1), MaxConcurrency = 64 };
                o.AdditionalRateLimits.Clear();
                o.AppRateLimit = null;
                // Failures are sampled over 10 s of wall time, as many requests as a real 30 s window sees at
                // production rates: a window of a few accelerated milliseconds would open on noise alone.
                o.CircuitSamplingDuration = clock.FromWall(TimeSpan.FromSeconds(10));

                // The breaker opens on a sustained failure ratio (50 % of at least 100 requests), not on an unlucky
                // first dozen: at a 30 % fault rate, 5 failures in the first 10 requests happen about one cell in
                // seven, and the cell then measured the breaker rather than the fault. CircuitBreakerTests sets its
                // own threshold.
                o.CircuitMinimumThroughput = 100;
            });
        }
    }
}
