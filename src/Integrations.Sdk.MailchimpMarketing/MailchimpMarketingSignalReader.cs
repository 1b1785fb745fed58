namespace Integrations.Sdk.MailchimpMarketing;

/// <summary>
/// Reads the Marketing API's signals: its problem-details error body (<c>type</c>, <c>title</c>, <c>status</c>,
/// <c>detail</c>, <c>instance</c> and, on validation errors, <c>errors: [{ field, message }]</c>), whose <c>title</c>
/// becomes the error code (<c>Invalid Resource</c>, <c>Resource Not Found</c>, <c>Member Exists</c>...) and whose
/// <c>instance</c> the request id; the <c>X-Request-Id</c> header; and throttling: Mailchimp answers 429 beyond 10
/// simultaneous connections, without <c>Retry-After</c>, and "at exceptionally high volumes" a 429 or 403 without a JSON
/// body. Such a 403 is read as a throttle (retryable, nothing applied), not as a refusal.
/// </summary>
public sealed class MailchimpMarketingSignalReader : PlatformSignalReader
{
    /// <summary>The request id header Mailchimp sends on every answer.</summary>
    public const string RequestIdHeader = "X-Request-Id";

    /// <summary>The error code given to a 403 without a JSON body: Mailchimp's throttle at very high volumes.</summary>
    public const string ThrottledCode = "throttled";

    /// <summary>Creates the reader.</summary>
    /// <param name="throttleWait">How long to wait after a 429 (or bodiless 403) without <c>Retry-After</c>. <value>Default: 2 seconds (connections free up as requests end).</value></param>
    public MailchimpMarketingSignalReader(TimeSpan? throttleWait = null)
        : base(RequestIdHeader)
    {
        ThrottleWait = throttleWait ?? TimeSpan.FromSeconds(2);
        ArgumentOutOfRangeException.ThrowIfLessThan(ThrottleWait, TimeSpan.Zero, nameof(throttleWait));
    }

    /// <summary>How long to wait after a throttle that says nothing.</summary>
    public TimeSpan ThrottleWait { get; }

    /// <summary>Returns <c>Retry-After</c>; after a 429 or a bodiless 403 without it, <see cref="ThrottleWait"/>.</summary>
    /// <param name="response">The response.</param>
    /// <param name="now">The current time, for HTTP dates.</param>
    public override TimeSpan? ReadRetryAfter(HttpResponseMessage response, DateTimeOffset now) =>
        base.ReadRetryAfter(response, now) ?? (response.StatusCode == HttpStatusCode.TooManyRequests || IsBodilessForbidden(response) ? ThrottleWait : null);

    /// <summary>
    /// Reads the problem details: code <c>title</c>, message <c>detail</c> followed by each <c>errors[].field: message</c>,
    /// request id <c>instance</c>. A 403 without a JSON body is a throttle (<see cref="ThrottledCode"/>, retryable, not applied).
    /// </summary>
    /// <param name="response">The error response.</param>
    /// <param name="body">Its body (possibly truncated).</param>
    public override PlatformError ReadError(HttpResponseMessage response, string body)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.StatusCode == HttpStatusCode.Forbidden && !PlatformJson.TryParse(body, out _))
        {
            return new PlatformError(ThrottledCode, "Mailchimp refused the request without details (its throttle at very high volumes)", IsRetryable: true, MayHaveBeenApplied: false);
        }

        return ReadJsonError(response, body, root =>
        {
            if (!PlatformJson.TryGet(root, "title", out _) && !PlatformJson.TryGet(root, "detail", out _))
            {
                return null;
            }

            var title = PlatformJson.Text(root, "title");
            var instance = PlatformJson.Text(root, "instance");
            return new PlatformError(title, Describe(root) ?? title ?? "Mailchimp returned an error without details", RequestId: string.IsNullOrEmpty(instance) ? null : instance);
        });
    }

    /// <summary>Mailchimp's problem details in one line: <c>detail</c> (else <c>title</c>), then each <c>errors[].field: message</c>.</summary>
    internal static string? Describe(string? body) => PlatformJson.TryParse(body, out var root) ? Describe(root) : null;

    private static string? Describe(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var parts = new List<string>();
        if ((PlatformJson.Text(root, "detail") ?? PlatformJson.Text(root, "title")) is { Length: > 0 } detail)
        {
            parts.Add(detail);
        }

        if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in errors.EnumerateArray())
            {
                var field = PlatformJson.Text(item, "field");
                var message = PlatformJson.Text(item, "message");
                if (!string.IsNullOrEmpty(field) || !string.IsNullOrEmpty(message))
                {
                    parts.Add(string.IsNullOrEmpty(field) ? message! : $"{field}: {message}");
                }
            }
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    private static bool IsBodilessForbidden(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Forbidden
        && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true;
}
