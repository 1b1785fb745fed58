using System.Net;
using System.Text.Json;
using Integrations.Sdk.Transport;

namespace Integrations.Sdk.Stripe;

/// <summary>
/// Reads Stripe's signals: its error body <c>{"error":{"type","code","message","param","decline_code"}}</c>, its
/// <c>Request-Id</c> header, and its throttle (429, normally without <c>Retry-After</c>).
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
    {
        if (throttleWait is { } wait)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(wait, TimeSpan.Zero);
        }

        ThrottleWait = throttleWait ?? TimeSpan.FromSeconds(1);
    }

    /// <summary>How long to wait after a 429 without <c>Retry-After</c>.</summary>
    public TimeSpan ThrottleWait { get; }

    /// <inheritdoc />
    public override string? ReadRequestId(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Headers.TryGetValues(RequestIdHeader, out var values) ? values.FirstOrDefault() : base.ReadRequestId(response);
    }

    /// <summary>
    /// Returns <c>Retry-After</c> when Stripe sends one; after a 429 without it, <see cref="ThrottleWait"/>; after a
    /// 409 with <c>Stripe-Should-Retry: true</c> (a lock timeout or a concurrent request with the same idempotency
    /// key), <see cref="ThrottleWait"/> too.
    /// </summary>
    /// <param name="response">The response.</param>
    /// <param name="now">The current time, for HTTP dates.</param>
    public override TimeSpan? ReadRetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        return base.ReadRetryAfter(response, now)
            ?? (response.StatusCode == HttpStatusCode.TooManyRequests || ShouldRetry(response) == true ? ThrottleWait : null);
    }

    /// <summary>Reads <c>Stripe-Should-Retry</c>: <see langword="true"/>, <see langword="false"/>, or <see langword="null"/> when absent.</summary>
    /// <param name="response">The response.</param>
    public static bool? ShouldRetry(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Headers.TryGetValues(ShouldRetryHeader, out var values) && bool.TryParse(values.FirstOrDefault(), out var flag) ? flag : null;
    }

    /// <summary>
    /// Reads <c>{"error":{"type","code","message","param","decline_code"}}</c>. The code is <c>code</c>, else
    /// <c>decline_code</c>, else <c>type</c>; the message is <c>message</c> with the <c>param</c> at fault, the decline
    /// code and the type.
    /// </summary>
    /// <param name="response">The error response.</param>
    /// <param name="body">Its body (possibly truncated).</param>
    public override PlatformError ReadError(HttpResponseMessage response, string body)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (TryReadError(document.RootElement, out var error))
                {
                    // Stripe says itself whether a retry can help (for example false on some 5xx, true on a 409 lock).
                    return error with { IsRetryable = ShouldRetry(response) };
                }
            }
            catch (JsonException)
            {
                // Not JSON (a proxy's page, a truncated body): the default reader shows its start.
            }
        }

        return base.ReadError(response, body);
    }

    internal static bool TryReadError(JsonElement root, out PlatformError error)
    {
        error = default;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var e) || e.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var type = Text(e, "type");
        var code = Text(e, "code");
        var decline = Text(e, "decline_code");
        var param = Text(e, "param");
        var message = Text(e, "message") ?? "Stripe returned an error without a message";
        if (!string.IsNullOrEmpty(param))
        {
            message += $" (param {param})";
        }

        if (!string.IsNullOrEmpty(decline) && !string.Equals(decline, code, StringComparison.Ordinal))
        {
            message += $" (decline_code {decline})";
        }

        if (!string.IsNullOrEmpty(type))
        {
            message += $" [{type}]";
        }

        error = new PlatformError(code ?? decline ?? type, message);
        return true;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
