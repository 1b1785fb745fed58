namespace Integrations.Sdk.Transport;

/// <summary>A platform's error as read from its response, with what the body says beyond the status code.</summary>
/// <param name="Code">The platform's error code, if any.</param>
/// <param name="Message">The platform's message (redacted before it is shown).</param>
/// <param name="IsRetryable">
/// Whether trying again can help, when the platform says so itself (Stripe's <c>Stripe-Should-Retry</c>, a refusal
/// sent with a 5xx); <see langword="null"/> leaves it to <see cref="PlatformSignalReader.IsRetryable"/>.
/// </param>
/// <param name="MayHaveBeenApplied">
/// Whether the platform may have acted, when the body tells (a refusal sent with a 5xx did not act);
/// <see langword="null"/> leaves it to the status (5xx and 408 may have).
/// </param>
/// <param name="RequestId">The platform's request id when it is in the body; <see langword="null"/> uses <see cref="PlatformSignalReader.ReadRequestId"/>.</param>
public readonly record struct PlatformError(string? Code, string Message, bool? IsRetryable = null, bool? MayHaveBeenApplied = null, string? RequestId = null);

/// <summary>
/// Reads a platform's signals from its HTTP responses: its error shape, its request id, its rate-limit headers and
/// errors it hides in successful responses. Connectors derive from it; the defaults understand common conventions.
/// </summary>
public class PlatformSignalReader
{
    private static readonly string[] CommonRequestIdHeaders = ["X-Request-Id", "Request-Id", "X-Correlation-Id"];

    private readonly string[] _requestIdHeaders;

    /// <summary>Creates a reader of the common conventions.</summary>
    public PlatformSignalReader()
        : this([])
    {
    }

    /// <summary>Creates a reader that looks for the platform's own request-id headers before the common ones.</summary>
    /// <param name="requestIdHeaders">The platform's request-id headers, most specific first.</param>
    protected PlatformSignalReader(params string[] requestIdHeaders)
    {
        ArgumentNullException.ThrowIfNull(requestIdHeaders);
        _requestIdHeaders = [.. requestIdHeaders, .. CommonRequestIdHeaders];
    }

    /// <summary>
    /// Returns the platform's request id, for support: the platform's own headers, then <c>X-Request-Id</c>,
    /// <c>Request-Id</c>, <c>X-Correlation-Id</c>.
    /// </summary>
    /// <param name="response">The response.</param>
    public virtual string? ReadRequestId(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        foreach (var name in _requestIdHeaders)
        {
            if (response.Headers.TryGetValues(name, out var values))
            {
                return values.FirstOrDefault();
            }
        }

        return null;
    }

    /// <summary>
    /// Updates the budget from the response's rate-limit headers. Default: <c>X-RateLimit-Remaining</c> with
    /// <c>X-RateLimit-Reset</c> (seconds until reset).
    /// </summary>
    /// <param name="response">Any response, successful or not.</param>
    /// <param name="budget">The budget of the account the request was made for.</param>
    public virtual void ObserveBudget(HttpResponseMessage response, RateLimitBudget budget)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(budget);
        if (PlatformJson.TryReadHeader(response, "X-RateLimit-Remaining", out var remaining))
        {
            TimeSpan? reset = PlatformJson.TryReadHeader(response, "X-RateLimit-Reset", out var seconds) && seconds is > 0 and < 3600
                ? TimeSpan.FromSeconds(seconds)
                : null;
            budget.Observe(remaining, reset);
        }
    }

    /// <summary>
    /// Returns how long the platform asked to wait. Default: the <c>Retry-After</c> header, as seconds or an HTTP date.
    /// </summary>
    /// <param name="response">The response.</param>
    /// <param name="now">The current time, for HTTP dates.</param>
    public virtual TimeSpan? ReadRetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (retryAfter?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>Whether a status is worth retrying. Default: 408, 429, 500, 502, 503, 504.</summary>
    /// <param name="status">The status.</param>
    public virtual bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>
    /// Reads the platform's error code and message from an error body. Default: JSON with <c>error</c> (string or
    /// object with <c>code</c>/<c>message</c>), <c>message</c>, <c>error_description</c>, <c>code</c>; else the status.
    /// </summary>
    /// <param name="response">The error response.</param>
    /// <param name="body">Its body (possibly truncated).</param>
    public virtual PlatformError ReadError(HttpResponseMessage response, string body) => DefaultReadError(response, body);

    private static PlatformError DefaultReadError(HttpResponseMessage response, string body)
    {
        ArgumentNullException.ThrowIfNull(response);
        var fallback = new PlatformError(null, string.IsNullOrWhiteSpace(response.ReasonPhrase) ? "no error details" : response.ReasonPhrase);
        if (string.IsNullOrWhiteSpace(body))
        {
            return fallback;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return fallback;
            }

            if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                root = error;
            }

            var code = PlatformJson.Text(root, "code") ?? PlatformJson.Text(root, "type") ?? (error.ValueKind == JsonValueKind.String ? error.GetString() : null);
            var message = PlatformJson.Text(root, "message") ?? PlatformJson.Text(root, "error_description") ?? PlatformJson.Text(root, "detail") ?? code;
            return message is null ? fallback : new PlatformError(code, message);
        }
        catch (JsonException)
        {
            return fallback with { Message = body.Length > 200 ? body[..200] + "..." : body };
        }
    }

    /// <summary>
    /// Reads an error body as JSON with the platform's own reader, and falls back to <see cref="ReadError"/>'s
    /// defaults when the body is not JSON (a proxy's page, a truncated body) or the reader does not recognise it.
    /// </summary>
    /// <param name="response">The error response.</param>
    /// <param name="body">Its body (possibly truncated).</param>
    /// <param name="read">Reads the platform's error from the JSON root; <see langword="null"/> when it is not one.</param>
    protected PlatformError ReadJsonError(HttpResponseMessage response, string body, Func<JsonElement, PlatformError?> read)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(read);
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (read(document.RootElement) is { } error)
                {
                    return error;
                }
            }
            catch (JsonException)
            {
                // Not JSON: the defaults show its start.
            }
        }

        return DefaultReadError(response, body);
    }

    /// <summary>
    /// Inspects a successful response for errors the platform reports with a 2xx status (GraphQL errors, for example).
    /// Default: none. Return an exception to fail the attempt.
    /// </summary>
    /// <param name="response">The successful response.</param>
    /// <param name="budget">The budget of the account the request was made for.</param>
    /// <param name="cancellationToken">Cancels reading the body.</param>
    public virtual ValueTask<PlatformException?> InspectSuccessAsync(HttpResponseMessage response, RateLimitBudget budget, CancellationToken cancellationToken) =>
        ValueTask.FromResult<PlatformException?>(null);
}
