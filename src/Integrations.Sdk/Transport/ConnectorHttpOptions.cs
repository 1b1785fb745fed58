using Integrations.Sdk.Transport.Auth;

namespace Integrations.Sdk.Transport;

/// <summary>
/// How one connector talks HTTP: its address, auth, request budgets, retries, circuit breaker and timeouts.
/// Connector packages fill these with the platform's documented limits; hosts may tune them.
/// </summary>
public sealed class ConnectorHttpOptions
{
    /// <summary>The platform's base address, for example <c>https://api.hubapi.com/</c>. Required.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>How requests authenticate; <see langword="null"/> for none.</summary>
    public ConnectorAuth? Auth { get; set; }

    /// <summary>The budget of each account or tenant. <value>Default: 10 per second.</value></summary>
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>
    /// Further budgets each account must also respect, for platforms with several windows (QuickBooks: 10 per second
    /// and 500 per minute per realm). Platform signals update the primary <see cref="RateLimit"/> budget.
    /// </summary>
    public IList<RateLimitOptions> AdditionalRateLimits { get; } = [];

    /// <summary>An optional budget shared by all accounts of the connector (an app-wide limit).</summary>
    public RateLimitOptions? AppRateLimit { get; set; }

    /// <summary>Retries after the first attempt. <value>Default: 4.</value></summary>
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>The first backoff delay; it doubles each retry, with jitter. <value>Default: 1 second.</value></summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest backoff delay. <value>Default: 30 seconds.</value></summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A <c>Retry-After</c> longer than this is not waited for: the request fails, retryable. <value>Default: 5 minutes.</value></summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The limit for one attempt. <value>Default: 30 seconds.</value></summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The limit for a request including retries and waits. <value>Default: 5 minutes.</value></summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The failure ratio that opens the circuit. <value>Default: 0.5.</value></summary>
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>Requests in the sampling window before the circuit may open. <value>Default: 10.</value></summary>
    public int CircuitMinimumThroughput { get; set; } = 10;

    /// <summary>The window failures are counted over. <value>Default: 30 seconds.</value></summary>
    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit stays open. <value>Default: 30 seconds.</value></summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Headers that carry an idempotency key on this platform: a request with one may be retried. <value>Default: <c>Idempotency-Key</c>.</value></summary>
    public IList<string> IdempotencyHeaders { get; } = ["Idempotency-Key"];

    /// <summary>Query parameters that carry an idempotency key on this platform (QuickBooks <c>requestid</c>): a request with one may be retried.</summary>
    public IList<string> IdempotencyQueryParameters { get; } = [];

    /// <summary>Reads the platform's errors, request ids and rate-limit signals.</summary>
    public PlatformSignalReader Signals { get; set; } = new();

    /// <summary>
    /// Headers sent with every request of the connector, for example a pinned API version (<c>Stripe-Version</c>).
    /// Names are compared case-insensitively. Never put a secret here: use <see cref="Auth"/>.
    /// </summary>
    public IDictionary<string, string> DefaultHeaders { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    internal IEnumerable<string> Validate(string connector)
    {
        if (BaseAddress is null || !BaseAddress.IsAbsoluteUri)
        {
            yield return $"{connector}: {nameof(BaseAddress)} must be an absolute URI.";
        }

        if (RateLimit is null || RateLimit.PermitsPerWindow < 1 || RateLimit.Window <= TimeSpan.Zero)
        {
            yield return $"{connector}: {nameof(RateLimit)} needs PermitsPerWindow >= 1 and a positive Window.";
        }

        if (AppRateLimit is not null && (AppRateLimit.PermitsPerWindow < 1 || AppRateLimit.Window <= TimeSpan.Zero))
        {
            yield return $"{connector}: {nameof(AppRateLimit)} needs PermitsPerWindow >= 1 and a positive Window.";
        }

        if (AdditionalRateLimits.Any(r => r is null || r.PermitsPerWindow < 1 || r.Window <= TimeSpan.Zero))
        {
            yield return $"{connector}: every entry of {nameof(AdditionalRateLimits)} needs PermitsPerWindow >= 1 and a positive Window.";
        }

        if (MaxRetryAttempts < 0)
        {
            yield return $"{connector}: {nameof(MaxRetryAttempts)} must be 0 or more.";
        }

        if (AttemptTimeout <= TimeSpan.Zero || TotalTimeout < AttemptTimeout)
        {
            yield return $"{connector}: {nameof(AttemptTimeout)} must be positive and not longer than {nameof(TotalTimeout)}.";
        }

        if (Auth is not null)
        {
            foreach (var error in Auth.Validate(connector))
            {
                yield return error;
            }
        }
    }
}
