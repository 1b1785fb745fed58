namespace Integrations.Sdk.Xero;

/// <summary>
/// Reads Xero's signals: its <c>ValidationException</c> error body (the reasons of each element), its remaining
/// budgets (<c>X-MinLimit-Remaining</c>, <c>X-DayLimit-Remaining</c>) and its throttle (<c>Retry-After</c> with
/// <c>X-Rate-Limit-Problem</c>).
/// </summary>
public sealed class XeroSignalReader : PlatformSignalReader
{
    /// <summary>The header with the requests left in the tenant's current minute.</summary>
    public const string MinuteRemainingHeader = "X-MinLimit-Remaining";

    /// <summary>The header with the requests left in the tenant's current day.</summary>
    public const string DayRemainingHeader = "X-DayLimit-Remaining";

    /// <summary>The header naming the limit a 429 hit: <c>minute</c>, <c>day</c> (daily), <c>concurrent</c> or <c>appminute</c>.</summary>
    public const string ProblemHeader = "X-Rate-Limit-Problem";

    /// <summary>The error code of a 429 on the daily limit (<c>X-Rate-Limit-Problem</c> <c>day</c> or <c>daily</c>).</summary>
    public const string DailyLimitCode = "rate_limit_daily";

    /// <summary>The header carrying Xero's correlation id, to quote to Xero support.</summary>
    public const string RequestIdHeader = "Xero-Correlation-Id";

    /// <summary>Creates the reader.</summary>
    /// <param name="dailyWait">How long to wait after a daily-limit 429 without <c>Retry-After</c>. <value>Default: 1 hour.</value></param>
    public XeroSignalReader(TimeSpan? dailyWait = null)
        : base(RequestIdHeader)
    {
        DailyWait = dailyWait ?? TimeSpan.FromHours(1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(DailyWait, TimeSpan.Zero, nameof(dailyWait));
    }

    /// <summary>How long to wait after a daily-limit 429 without <c>Retry-After</c>.</summary>
    public TimeSpan DailyWait { get; }

    /// <summary>
    /// Lowers the tenant's budget to what Xero says is left: the smaller of <c>X-MinLimit-Remaining</c> and
    /// <c>X-DayLimit-Remaining</c>. With nothing left in the minute, requests wait for the next minute; with nothing
    /// left in the day, the next request's 429 tells how long (see <see cref="ReadRetryAfter"/>).
    /// </summary>
    /// <param name="response">Any response.</param>
    /// <param name="budget">The tenant's budget.</param>
    public override void ObserveBudget(HttpResponseMessage response, RateLimitBudget budget)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(budget);
        var minute = PlatformJson.TryReadHeader(response, MinuteRemainingHeader, out var m) ? m : (double?)null;
        var day = PlatformJson.TryReadHeader(response, DayRemainingHeader, out var d) ? d : (double?)null;
        if (minute is null && day is null)
        {
            return;
        }

        // A spent day is left to the 429 that follows: its Retry-After says how long, and the call fails at once.
        var remaining = minute ?? double.MaxValue;
        if (day is >= 1 && day < remaining)
        {
            remaining = day.Value;
        }

        if (remaining < double.MaxValue)
        {
            budget.Observe(remaining, remaining < 1 ? TimeSpan.FromMinutes(1) : null);
        }
    }

    /// <summary>
    /// Returns <c>Retry-After</c>; after a 429 without it, a minute (or <see cref="DailyWait"/> when
    /// <c>X-Rate-Limit-Problem</c> names the daily limit). A daily wait is longer than the transport retries, so the
    /// call fails at once as retryable later, with the wait.
    /// </summary>
    /// <param name="response">The response.</param>
    /// <param name="now">The current time, for HTTP dates.</param>
    public override TimeSpan? ReadRetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        var wait = base.ReadRetryAfter(response, now);
        if (wait is not null || response.StatusCode != HttpStatusCode.TooManyRequests)
        {
            return wait;
        }

        return IsDaily(Problem(response)) ? DailyWait : TimeSpan.FromMinutes(1);
    }

    /// <summary>
    /// Reads <c>{"ErrorNumber":10,"Type":"ValidationException","Message":...,"Elements":[{..."ValidationErrors":[{"Message":...}]}]}</c>:
    /// the code is the <c>Type</c>, the message lists each element's reasons (<c>Elements[0]: ...</c>). A 429 is coded
    /// <see cref="DailyLimitCode"/> for the daily limit, else <c>rate_limit_{problem}</c>. Any other body goes to the default reader.
    /// </summary>
    /// <param name="response">The error response.</param>
    /// <param name="body">Its body (possibly truncated).</param>
    public override PlatformError ReadError(HttpResponseMessage response, string body)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var problem = Problem(response) ?? "unknown";
            var daily = IsDaily(problem);
            return new PlatformError(
                daily ? DailyLimitCode : "rate_limit_" + problem.ToLowerInvariant(),
                daily
                    ? "Xero's daily limit for this tenant (5,000 requests) is spent; try again after Retry-After"
                    : $"Xero's {problem} limit for this tenant was hit");
        }

        return ReadJsonError(response, body, root => root.ValueKind == JsonValueKind.Object
            && (PlatformJson.TryGet(root, "Elements", out _, ignoreCase: true) || PlatformJson.TryGet(root, "ErrorNumber", out _, ignoreCase: true))
            ? ReadValidation(root)
            : null);
    }

    private static PlatformError ReadValidation(JsonElement root)
    {
        var type = Text(root, "Type");
        var message = Text(root, "Message") ?? "Xero refused the request";
        var reasons = new List<string>();
        if (PlatformJson.TryGet(root, "Elements", out var elements, ignoreCase: true) && elements.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var element in elements.EnumerateArray())
            {
                var texts = Messages(element).ToList();
                if (texts.Count > 0)
                {
                    reasons.Add(string.Create(CultureInfo.InvariantCulture, $"Elements[{i}]: {string.Join("; ", texts)}"));
                }

                i++;
            }
        }

        var text = reasons.Count == 0 ? message : $"{message}: {string.Join(" | ", reasons)}";
        return new PlatformError(type, string.IsNullOrEmpty(type) ? text : $"{text} [{type}]");
    }

    /// <summary>The element's own reasons, then those of its line items (<c>LineItems[n]: ...</c>).</summary>
    private static IEnumerable<string> Messages(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        if (PlatformJson.TryGet(element, "ValidationErrors", out var errors, ignoreCase: true) && errors.ValueKind == JsonValueKind.Array)
        {
            foreach (var error in errors.EnumerateArray())
            {
                if (error.ValueKind == JsonValueKind.Object && Text(error, "Message") is { Length: > 0 } text)
                {
                    yield return text;
                }
            }
        }

        if (PlatformJson.TryGet(element, "LineItems", out var lines, ignoreCase: true) && lines.ValueKind == JsonValueKind.Array)
        {
            var n = 0;
            foreach (var line in lines.EnumerateArray())
            {
                foreach (var text in Messages(line))
                {
                    yield return string.Create(CultureInfo.InvariantCulture, $"LineItems[{n}]: {text}");
                }

                n++;
            }
        }
    }

    private static string? Problem(HttpResponseMessage response) =>
        response.Headers.TryGetValues(ProblemHeader, out var values) ? values.FirstOrDefault()?.Trim() : null;

    private static bool IsDaily(string? problem) =>
        problem is not null && (problem.Equals("day", StringComparison.OrdinalIgnoreCase) || problem.Equals("daily", StringComparison.OrdinalIgnoreCase));

    private static string? Text(JsonElement element, string name) => PlatformJson.Text(element, name, ignoreCase: true);
}
