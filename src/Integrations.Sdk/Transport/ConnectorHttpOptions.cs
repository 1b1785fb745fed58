using System.ComponentModel.DataAnnotations;
using Integrations.Sdk.Transport.Auth;

namespace Integrations.Sdk.Transport;

/// <summary>
/// How one connector talks HTTP: its address, auth, request budgets, retries, circuit breaker and timeouts.
/// Connector packages fill these with the platform's documented limits; hosts may tune them.
/// </summary>
public sealed class ConnectorHttpOptions
{
    /// <summary>The platform's base address, for example <c>https://api.hubapi.com/</c>. Required, absolute.</summary>
    [Required]
    public Uri? BaseAddress { get; set; }

    /// <summary>How requests authenticate; <see langword="null"/> for none.</summary>
    public ConnectorAuth? Auth { get; set; }

    /// <summary>The budget of each account or tenant. Required. <value>Default: 10 per second.</value></summary>
    [Required]
    [ValidateObjectMembers]
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>
    /// Further budgets each account must also respect, for platforms with several windows (QuickBooks: 10 per second
    /// and 500 per minute per realm). Platform signals update the primary <see cref="RateLimit"/> budget.
    /// </summary>
    [ValidateEnumeratedItems]
    public IList<RateLimitOptions> AdditionalRateLimits { get; } = [];

    /// <summary>An optional budget shared by all accounts of the connector (an app-wide limit).</summary>
    [ValidateObjectMembers]
    public RateLimitOptions? AppRateLimit { get; set; }

    /// <summary>Retries after the first attempt, 0 (none) to 100. <value>Default: 4.</value></summary>
    [Range(0, 100)]
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>The first backoff delay; it doubles each retry, with jitter. Zero to 1 day. <value>Default: 1 second.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest backoff delay; not shorter than <see cref="RetryBaseDelay"/>, at most 1 day. <value>Default: 30 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A <c>Retry-After</c> longer than this is not waited for: the request fails, retryable. Zero to 1 day. <value>Default: 5 minutes.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The limit for one attempt; 10 ms to 1 day, and not longer than <see cref="TotalTimeout"/>. <value>Default: 30 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The limit for a request including retries and waits; 10 ms to 1 day. <value>Default: 5 minutes.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The failure ratio that opens the circuit: above 0, up to 1. <value>Default: 0.5.</value></summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>Requests in the sampling window before the circuit may open; 2 or more. <value>Default: 10.</value></summary>
    [Range(2, int.MaxValue)]
    public int CircuitMinimumThroughput { get; set; } = 10;

    /// <summary>The window failures are counted over; 0.5 seconds to 1 day. <value>Default: 30 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "1.00:00:00")]
    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit stays open; 0.5 seconds to 1 day. <value>Default: 30 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "1.00:00:00")]
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Headers that carry an idempotency key on this platform: a request with one may be retried. <value>Default: <c>Idempotency-Key</c>.</value></summary>
    public IList<string> IdempotencyHeaders { get; } = ["Idempotency-Key"];

    /// <summary>Query parameters that carry an idempotency key on this platform (QuickBooks <c>requestid</c>): a request with one may be retried.</summary>
    public IList<string> IdempotencyQueryParameters { get; } = [];

    /// <summary>Reads the platform's errors, request ids and rate-limit signals. Required.</summary>
    [Required]
    public PlatformSignalReader Signals { get; set; } = new();

    /// <summary>
    /// Headers sent with every request of the connector, for example a pinned API version (<c>Stripe-Version</c>).
    /// Names are compared case-insensitively. Never put a secret here: use <see cref="Auth"/>.
    /// </summary>
    public IDictionary<string, string> DefaultHeaders { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
}
