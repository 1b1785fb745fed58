namespace Integrations.Sdk.Stripe;

/// <summary>
/// Reads Stripe's signals: its error body <c>{"error":{"type","code","message","param","decline_code"}}</c>, its
/// <c>Request-Id</c> header, <c>Stripe-Should-Retry</c>, and its throttle (429, normally without <c>Retry-After</c>).
/// </summary>
public sealed class StripeSignalReader : PlatformSignalReader
{
    /// <summary>The header carrying Stripe's request id (<c>req_...</c>), to quote to Stripe support or find in the Dashboard's logs.</summary>
    public const string RequestIdHeader = "Request-Id";

    /// <summary>The header by which Stripe says whether a failed request is worth retrying.</summary>
    public const string ShouldRetryHeader = "Stripe-Should-Retry";

    /// <summary>Creates the reader.</summary>
    /// <param name="throttleWait">How long to wait after a 429 without <c>Retry-After</c>. <value>Default: 1 second (Stripe's limits are per second).</value></param>
    public StripeSignalReader(TimeSpan? throttleWait = null)
        : base(RequestIdHeader)
    {
        ThrottleWait = throttleWait ?? TimeSpan.FromSeconds(1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ThrottleWait, TimeSpan.Zero, nameof(throttleWait));
    }

    /// <summary>How long to wait after a 429 without <c>Retry-After</c>.</summary>
    public TimeSpan ThrottleWait { get; }

    /// <summary>
    /// <c>Retry-After</c> when Stripe sends one; else <see cref="ThrottleWait"/> after a 429 or a response with
    /// <c>Stripe-Should-Retry: true</c> (a lock timeout, a concurrent request with the same idempotency key).
    /// </summary>
    /// <param name="response">The response.</param>
    /// <param name="now">The current time, for HTTP dates.</param>
    public override TimeSpan? ReadRetryAfter(HttpResponseMessage response, DateTimeOffset now) =>
        base.ReadRetryAfter(response, now)
            ?? (response.StatusCode == HttpStatusCode.TooManyRequests || ShouldRetry(response) == true ? ThrottleWait : null);

    /// <summary>Reads <c>Stripe-Should-Retry</c>: <see langword="true"/>, <see langword="false"/>, or <see langword="null"/> when absent.</summary>
    /// <param name="response">The response.</param>
    public static bool? ShouldRetry(HttpResponseMessage response) =>
        bool.TryParse(PlatformJson.Header(response, ShouldRetryHeader), out var flag) ? flag : null;

    /// <summary>
    /// Reads Stripe's error: the code is <c>code</c>, else <c>decline_code</c>, else <c>type</c>; the message names the
    /// <c>param</c> at fault. <c>Stripe-Should-Retry</c> decides whether a retry can help.
    /// </summary>
    /// <param name="response">The error response.</param>
    /// <param name="body">Its body (possibly truncated).</param>
    public override PlatformError ReadError(HttpResponseMessage response, string body) =>
        ReadJsonError(response, body, root =>
            PlatformJson.TryGet(root, "error", out var e) && e.ValueKind == JsonValueKind.Object ? ReadErrorObject(e) with { IsRetryable = ShouldRetry(response) } : null);

    private static PlatformError ReadErrorObject(JsonElement e)
    {
        var type = PlatformJson.Text(e, "type");
        var code = PlatformJson.Text(e, "code");
        var decline = PlatformJson.Text(e, "decline_code");
        var message = PlatformJson.Text(e, "message") ?? "Stripe returned an error without a message";
        message += PlatformJson.Text(e, "param") is { Length: > 0 } param ? $" (param {param})" : string.Empty;
        message += !string.IsNullOrEmpty(decline) && decline != code ? $" (decline_code {decline})" : string.Empty;
        message += string.IsNullOrEmpty(type) ? string.Empty : $" [{type}]";
        return new PlatformError(code ?? decline ?? type, message);
    }
}
