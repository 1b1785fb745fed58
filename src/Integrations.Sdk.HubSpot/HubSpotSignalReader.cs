namespace Integrations.Sdk.HubSpot;

/// <summary>
/// Reads HubSpot's signals: <c>X-HubSpot-Correlation-Id</c>, the error body (code <c>category</c>, request id
/// <c>correlationId</c>), the <c>X-HubSpot-RateLimit-*</c> headers and a 429 without <c>Retry-After</c>.
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
        : base(CorrelationIdHeader)
    {
        ThrottleWait = throttleWait ?? TimeSpan.FromSeconds(10);
        ArgumentOutOfRangeException.ThrowIfLessThan(ThrottleWait, TimeSpan.Zero, nameof(throttleWait));
    }

    /// <summary>How long to wait after a 429 with neither <c>Retry-After</c> nor an interval header.</summary>
    public TimeSpan ThrottleWait { get; }

    /// <summary>Feeds <c>X-HubSpot-RateLimit-Remaining</c> to the budget (pausing for the interval when none is left), else the defaults.</summary>
    /// <param name="response">Any response.</param>
    /// <param name="budget">The budget of the account the request was made for.</param>
    public override void ObserveBudget(HttpResponseMessage response, RateLimitBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        if (PlatformJson.TryReadHeader(response, RemainingHeader, out var remaining))
        {
            budget.Observe(remaining, Interval(response));
            return;
        }

        base.ObserveBudget(response, budget);
    }

    /// <summary>Returns <c>Retry-After</c>; after a 429 without it, the interval header, else <see cref="ThrottleWait"/>.</summary>
    /// <param name="response">The response.</param>
    /// <param name="now">The current time, for HTTP dates.</param>
    public override TimeSpan? ReadRetryAfter(HttpResponseMessage response, DateTimeOffset now) =>
        base.ReadRetryAfter(response, now) ?? (response.StatusCode == HttpStatusCode.TooManyRequests ? Interval(response) ?? ThrottleWait : null);

    /// <summary>
    /// Reads HubSpot's error body: the code is <c>category</c>; the message is <c>message</c>, each
    /// <c>errors[].message</c> that adds something, then <c>subCategory</c> in brackets.
    /// </summary>
    /// <param name="response">The error response.</param>
    /// <param name="body">Its body (possibly truncated).</param>
    public override PlatformError ReadError(HttpResponseMessage response, string body) =>
        ReadJsonError(response, body, root => ReadErrorObject(root) is { } error ? error with { RequestId = ReadRequestId(response) ?? error.RequestId } : null);

    /// <summary>Reads a HubSpot error object, its <c>correlationId</c> as request id; <see langword="null"/> when the value is not one.</summary>
    internal static PlatformError? ReadErrorObject(JsonElement root)
    {
        if (!PlatformJson.TryGet(root, "category", out _) && !PlatformJson.TryGet(root, "correlationId", out _))
        {
            return null;
        }

        var message = PlatformJson.Text(root, "message") ?? "HubSpot returned an error without a message";
        var parts = new List<string> { message };
        if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in errors.EnumerateArray())
            {
                if (PlatformJson.Text(item, "message") is { Length: > 0 } detail && !message.Contains(detail, StringComparison.Ordinal))
                {
                    parts.Add(PlatformJson.Text(item, "code") is { Length: > 0 } code ? $"{detail} ({code})" : detail);
                }
            }
        }

        var subCategory = PlatformJson.Text(root, "subCategory");
        var text = string.Join("; ", parts) + (string.IsNullOrEmpty(subCategory) ? string.Empty : $" [{subCategory}]");
        return new PlatformError(PlatformJson.Text(root, "category"), text, RequestId: PlatformJson.Text(root, "correlationId"));
    }

    private static TimeSpan? Interval(HttpResponseMessage response) =>
        PlatformJson.TryReadHeader(response, IntervalHeader, out var ms) && ms is > 0 and < 86_400_000 ? TimeSpan.FromMilliseconds(ms) : null;
}
