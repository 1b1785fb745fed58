using System.Globalization;
using System.Net;
using System.Text.Json;
using Integrations.Sdk.Transport;

namespace Integrations.Sdk.HubSpot;

/// <summary>
/// Reads HubSpot's signals: its error body <c>{status, message, correlationId, category, subCategory, errors[]}</c>
/// (the code is the <c>category</c>, the request id the <c>correlationId</c>), its <c>X-HubSpot-RateLimit-*</c>
/// headers (which feed the request budget) and its throttle (429 with <c>Retry-After</c>).
/// </summary>
public sealed class HubSpotSignalReader : PlatformSignalReader
{
    /// <summary>The header carrying HubSpot's correlation id on every answer.</summary>
    public const string CorrelationIdHeader = "X-HubSpot-Correlation-Id";

    /// <summary>Requests left in the current interval of the app's burst limit.</summary>
    public const string RemainingHeader = "X-HubSpot-RateLimit-Remaining";

    /// <summary>The length, in milliseconds, of the interval the burst limit counts over (10,000).</summary>
    public const string IntervalHeader = "X-HubSpot-RateLimit-Interval-Milliseconds";

    /// <summary>Creates the reader.</summary>
    /// <param name="throttleWait">How long to wait after a 429 that says nothing. <value>Default: 10 seconds, HubSpot's burst interval.</value></param>
    public HubSpotSignalReader(TimeSpan? throttleWait = null)
    {
        if (throttleWait is { } wait)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(wait, TimeSpan.Zero);
        }

        ThrottleWait = throttleWait ?? TimeSpan.FromSeconds(10);
    }

    /// <summary>How long to wait after a 429 with neither <c>Retry-After</c> nor an interval header.</summary>
    public TimeSpan ThrottleWait { get; }

    /// <summary>
    /// Returns <c>X-HubSpot-Correlation-Id</c>, else the default request-id headers. An error body's
    /// <c>correlationId</c> is used when neither is there (see <see cref="ReadError"/>).
    /// </summary>
    /// <param name="response">The response.</param>
    public override string? ReadRequestId(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Headers.TryGetValues(CorrelationIdHeader, out var values) && values.FirstOrDefault() is { Length: > 0 } header)
        {
            return header;
        }

        return base.ReadRequestId(response);
    }

    /// <summary>
    /// Feeds <c>X-HubSpot-RateLimit-Remaining</c> to the budget; when nothing is left, the budget pauses for
    /// <c>X-HubSpot-RateLimit-Interval-Milliseconds</c>. Falls back to the default headers.
    /// </summary>
    /// <param name="response">Any response.</param>
    /// <param name="budget">The budget of the account the request was made for.</param>
    public override void ObserveBudget(HttpResponseMessage response, RateLimitBudget budget)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(budget);
        if (TryReadNumber(response, RemainingHeader, out var remaining))
        {
            budget.Observe(remaining, Interval(response));
            return;
        }

        base.ObserveBudget(response, budget);
    }

    /// <summary>
    /// Returns <c>Retry-After</c> when HubSpot sends one; after a 429 without it, the interval header, else
    /// <see cref="ThrottleWait"/>.
    /// </summary>
    /// <param name="response">The response.</param>
    /// <param name="now">The current time, for HTTP dates.</param>
    public override TimeSpan? ReadRetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        return base.ReadRetryAfter(response, now)
            ?? (response.StatusCode == HttpStatusCode.TooManyRequests ? Interval(response) ?? ThrottleWait : null);
    }

    /// <summary>
    /// Reads HubSpot's error body. The code is <c>category</c> (<c>VALIDATION_ERROR</c>, <c>OBJECT_NOT_FOUND</c>,
    /// <c>RATE_LIMITS</c>...); the message is <c>message</c>, then each of <c>errors[].message</c> that adds something,
    /// then <c>subCategory</c> in brackets. The body's <c>correlationId</c> becomes the request id.
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
                if (TryReadError(document.RootElement, out var error, out var correlationId))
                {
                    return error with { RequestId = ReadRequestId(response) ?? correlationId };
                }
            }
            catch (JsonException)
            {
                // Not JSON (a gateway's HTML page, a truncated body): the default reader shows its start.
            }
        }

        return base.ReadError(response, body);
    }

    /// <summary>Reads a HubSpot error object; <see langword="false"/> when the value is not one.</summary>
    internal static bool TryReadError(JsonElement root, out PlatformError error, out string? correlationId)
    {
        error = default;
        correlationId = null;
        if (root.ValueKind != JsonValueKind.Object || (!root.TryGetProperty("category", out _) && !root.TryGetProperty("correlationId", out _)))
        {
            return false;
        }

        var category = Text(root, "category");
        var message = Text(root, "message") ?? "HubSpot returned an error without a message";
        correlationId = Text(root, "correlationId");
        var parts = new List<string> { message };
        if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in errors.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && Text(item, "message") is { Length: > 0 } detail
                    && !message.Contains(detail, StringComparison.Ordinal))
                {
                    parts.Add(Text(item, "code") is { Length: > 0 } code ? $"{detail} ({code})" : detail);
                }
            }
        }

        var text = string.Join("; ", parts);
        if (Text(root, "subCategory") is { Length: > 0 } subCategory)
        {
            text += $" [{subCategory}]";
        }

        error = new PlatformError(category, text);
        return true;
    }

    private static TimeSpan? Interval(HttpResponseMessage response) =>
        TryReadNumber(response, IntervalHeader, out var ms) && ms is > 0 and < 86_400_000 ? TimeSpan.FromMilliseconds(ms) : null;

    private static bool TryReadNumber(HttpResponseMessage response, string header, out double value)
    {
        value = 0;
        return response.Headers.TryGetValues(header, out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
