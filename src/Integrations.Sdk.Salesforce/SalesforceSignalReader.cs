using Integrations.Sdk.Salesforce.Models;

namespace Integrations.Sdk.Salesforce;

/// <summary>
/// Reads Salesforce's signals: <c>Sforce-Limit-Info: api-usage=N/M</c> (the org's daily allocation, fed to the budget),
/// the REST error array <c>[{"errorCode","message","fields"}]</c>, <c>REQUEST_LIMIT_EXCEEDED</c> (HTTP 403) as a
/// throttle and <c>INVALID_SESSION_ID</c> (HTTP 401) as a token to renew, both retryable and never applied.
/// </summary>
public sealed class SalesforceSignalReader : PlatformSignalReader
{
    /// <summary>The header with the org's API usage on every answer.</summary>
    public const string LimitInfoHeader = "Sforce-Limit-Info";

    /// <summary>The error code of an expired or revoked access token (HTTP 401).</summary>
    public const string InvalidSessionCode = "INVALID_SESSION_ID";

    /// <summary>The error code of a spent allocation (daily total or concurrent long requests), HTTP 403.</summary>
    public const string RequestLimitCode = "REQUEST_LIMIT_EXCEEDED";

    /// <summary>Creates the reader.</summary>
    /// <param name="dailyLimitWait">How long to hold requests once the org's daily allocation is spent. <value>Default: 1 hour.</value></param>
    public SalesforceSignalReader(TimeSpan? dailyLimitWait = null)
    {
        DailyLimitWait = dailyLimitWait ?? TimeSpan.FromHours(1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(DailyLimitWait, TimeSpan.Zero, nameof(dailyLimitWait));
    }

    /// <summary>How long requests wait once <c>api-usage</c> reaches the org's limit.</summary>
    public TimeSpan DailyLimitWait { get; }

    /// <summary>Reads <c>api-usage=N/M</c> from <c>Sforce-Limit-Info</c>.</summary>
    /// <param name="response">Any response.</param>
    /// <param name="used">The calls used in the last 24 hours.</param>
    /// <param name="limit">The org's allocation.</param>
    /// <returns>Whether the header was there and readable.</returns>
    public static bool TryReadApiUsage(HttpResponseMessage response, out long used, out long limit)
    {
        ArgumentNullException.ThrowIfNull(response);
        used = 0;
        limit = 0;
        if (!response.Headers.TryGetValues(LimitInfoHeader, out var values))
        {
            return false;
        }

        foreach (var part in values.SelectMany(v => v.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!part.StartsWith("api-usage=", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var figures = part["api-usage=".Length..].Split('/');
            if (figures.Length == 2
                && long.TryParse(figures[0], NumberStyles.None, CultureInfo.InvariantCulture, out used)
                && long.TryParse(figures[1], NumberStyles.None, CultureInfo.InvariantCulture, out limit)
                && limit > 0)
            {
                return true;
            }
        }

        used = limit = 0;
        return false;
    }

    /// <summary>Lowers the budget to what the org has left (<c>M - N</c>); with nothing left, holds requests for <see cref="DailyLimitWait"/>.</summary>
    /// <param name="response">Any response.</param>
    /// <param name="budget">The budget.</param>
    public override void ObserveBudget(HttpResponseMessage response, RateLimitBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        if (TryReadApiUsage(response, out var used, out var limit))
        {
            var remaining = Math.Max(0, limit - used);
            budget.Observe(remaining, remaining < 1 ? DailyLimitWait : null);
        }
    }

    /// <summary>Returns <c>Retry-After</c>; for a 403 whose <c>api-usage</c> shows the allocation spent, <see cref="DailyLimitWait"/>.</summary>
    /// <param name="response">The response.</param>
    /// <param name="now">The current time.</param>
    public override TimeSpan? ReadRetryAfter(HttpResponseMessage response, DateTimeOffset now) =>
        base.ReadRetryAfter(response, now)
            ?? (response.StatusCode == HttpStatusCode.Forbidden && TryReadApiUsage(response, out var used, out var limit) && used >= limit ? DailyLimitWait : null);

    /// <summary>
    /// Reads the error array: the code is the first <c>errorCode</c>, the message lists each error with its fields
    /// (<c>Required fields are missing: [LastName] (fields LastName)</c>). <c>INVALID_SESSION_ID</c> and
    /// <c>REQUEST_LIMIT_EXCEEDED</c> are retryable and not applied; any other body goes to the default reader.
    /// </summary>
    /// <param name="response">The error response.</param>
    /// <param name="body">Its body (possibly truncated).</param>
    public override PlatformError ReadError(HttpResponseMessage response, string body) =>
        ReadJsonError(response, body, root => ReadErrors(root) is { Count: > 0 } errors ? ToPlatformError(errors) : null);

    /// <summary>Reads Salesforce's error array (or a single error object) from a body; empty when it is not one.</summary>
    /// <param name="body">The body.</param>
    public static IReadOnlyList<SalesforceError> ReadErrors(string? body) =>
        PlatformJson.TryParse(body, out var root) ? ReadErrors(root) : [];

    internal static IReadOnlyList<SalesforceError> ReadErrors(JsonElement root)
    {
        var items = root.ValueKind switch
        {
            JsonValueKind.Array => root.EnumerateArray().ToList(),
            JsonValueKind.Object => [root],
            _ => [],
        };
        var errors = new List<SalesforceError>();
        foreach (var item in items)
        {
            var code = PlatformJson.Text(item, "errorCode") ?? PlatformJson.Text(item, "statusCode");
            var message = PlatformJson.Text(item, "message");
            if (code is null && message is null)
            {
                continue;
            }

            var fields = PlatformJson.TryGet(item, "fields", out var f) && f.ValueKind == JsonValueKind.Array
                ? f.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
                : [];
            errors.Add(new SalesforceError(code ?? "UNKNOWN", message ?? code!, fields));
        }

        return errors;
    }

    private static PlatformError ToPlatformError(IReadOnlyList<SalesforceError> errors)
    {
        var code = errors[0].ErrorCode;
        var text = string.Join("; ", errors.Select(e => e.Fields.Count > 0 ? $"{e.Message} (fields {string.Join(", ", e.Fields)})" : e.Message));
        // The exception names the first code already; more than one is listed.
        if (errors.Select(e => e.ErrorCode).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            text += $" [{string.Join(", ", errors.Select(e => e.ErrorCode).Distinct(StringComparer.Ordinal))}]";
        }

        // Neither was acted on: a token to renew (the auth handler drops it), an allocation to wait for.
        return code is InvalidSessionCode or RequestLimitCode
            ? new PlatformError(code, text, IsRetryable: true, MayHaveBeenApplied: false)
            : new PlatformError(code, text);
    }
}
