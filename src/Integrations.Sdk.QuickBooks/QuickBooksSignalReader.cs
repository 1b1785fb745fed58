namespace Integrations.Sdk.QuickBooks;

/// <summary>Reads QuickBooks Online's signals: its <c>Fault</c> error body, its <c>intuit_tid</c> request id and its throttle.</summary>
public sealed class QuickBooksSignalReader : PlatformSignalReader
{
    /// <summary>The header carrying Intuit's transaction id, to quote to Intuit support.</summary>
    public const string RequestIdHeader = "intuit_tid";

    /// <summary>Creates the reader.</summary>
    /// <param name="throttleWait">How long to wait after a 429 without <c>Retry-After</c>. <value>Default: 60 seconds, as Intuit advises.</value></param>
    public QuickBooksSignalReader(TimeSpan? throttleWait = null)
        : base(RequestIdHeader)
    {
        ThrottleWait = throttleWait ?? TimeSpan.FromSeconds(60);
        ArgumentOutOfRangeException.ThrowIfLessThan(ThrottleWait, TimeSpan.Zero, nameof(throttleWait));
    }

    /// <summary>How long to wait after a 429 without <c>Retry-After</c>.</summary>
    public TimeSpan ThrottleWait { get; }

    /// <summary>Returns <c>Retry-After</c> when QuickBooks sends one; after a 429 without it, <see cref="ThrottleWait"/>.</summary>
    /// <param name="response">The response.</param>
    /// <param name="now">The current time, for HTTP dates.</param>
    public override TimeSpan? ReadRetryAfter(HttpResponseMessage response, DateTimeOffset now) =>
        base.ReadRetryAfter(response, now) ?? (response.StatusCode == HttpStatusCode.TooManyRequests ? ThrottleWait : null);

    /// <summary>
    /// Reads <c>{"Fault":{"Error":[{"Message","Detail","code","element"}],"type":"ValidationFault"}}</c> (in any letter
    /// case): the code is the first error's <c>code</c>; the message joins each error's message, detail and element,
    /// then the fault type. Any other body goes to the default reader.
    /// </summary>
    /// <param name="response">The error response.</param>
    /// <param name="body">Its body (possibly truncated).</param>
    public override PlatformError ReadError(HttpResponseMessage response, string body) =>
        ReadJsonError(response, body, root =>
            PlatformJson.TryGet(root, "Fault", out var fault, ignoreCase: true) && fault.ValueKind == JsonValueKind.Object ? ReadFault(fault) : null);

    private static PlatformError ReadFault(JsonElement fault)
    {
        var type = PlatformJson.Text(fault, "type", ignoreCase: true);
        List<JsonElement> errors = PlatformJson.TryGet(fault, "Error", out var list, ignoreCase: true) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)]
            : [];
        var code = errors.Select(e => Text(e, "code")).FirstOrDefault(c => c is not null);
        var all = errors.Count == 0 ? "QuickBooks returned a fault without errors" : string.Join("; ", errors.Select(Describe));
        return new PlatformError(code ?? type, string.IsNullOrEmpty(type) ? all : $"{all} [{type}]");
    }

    private static string Describe(JsonElement error)
    {
        var message = Text(error, "Message");
        var detail = Text(error, "Detail");
        var element = Text(error, "element");
        var text = string.IsNullOrEmpty(detail) || detail == message ? message ?? "error" : $"{message ?? "error"}: {detail}";
        return string.IsNullOrEmpty(element) ? text : $"{text} (element {element})";
    }

    private static string? Text(JsonElement element, string name) => PlatformJson.Text(element, name, ignoreCase: true);
}
