using System.Net;
using System.Text.Json;
using Integrations.Sdk.Transport;

namespace Integrations.Sdk.QuickBooks;

/// <summary>
/// Reads QuickBooks Online's signals: its <c>Fault</c> error body, its <c>intuit_tid</c> request id, and its throttle
/// (429 without <c>Retry-After</c>, after which Intuit advises waiting a minute).
/// </summary>
public sealed class QuickBooksSignalReader : PlatformSignalReader
{
    /// <summary>The header carrying Intuit's transaction id, to quote to Intuit support.</summary>
    public const string RequestIdHeader = "intuit_tid";

    /// <summary>Creates the reader.</summary>
    /// <param name="throttleWait">How long to wait after a 429 that says nothing (no <c>Retry-After</c>). <value>Default: 60 seconds, as Intuit advises.</value></param>
    public QuickBooksSignalReader(TimeSpan? throttleWait = null)
    {
        if (throttleWait is { } wait)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(wait, TimeSpan.Zero);
        }

        ThrottleWait = throttleWait ?? TimeSpan.FromSeconds(60);
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
    /// Returns <c>Retry-After</c> when QuickBooks sends one; after a 429 without it, <see cref="ThrottleWait"/>: QuickBooks'
    /// windows are a second and a minute per realm, and Intuit advises waiting 60 seconds.
    /// </summary>
    /// <param name="response">The response.</param>
    /// <param name="now">The current time, for HTTP dates.</param>
    public override TimeSpan? ReadRetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        return base.ReadRetryAfter(response, now) ?? (response.StatusCode == HttpStatusCode.TooManyRequests ? ThrottleWait : null);
    }

    /// <summary>
    /// Reads <c>{"Fault":{"Error":[{"Message","Detail","code","element"}],"type":"ValidationFault"}}</c>, and the
    /// lower-case <c>fault</c>/<c>error</c> variant of the authentication and throttling answers. The code is the first
    /// error's <c>code</c>; the message joins each error's message, detail and element, then the fault type.
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
                if (TryReadFault(document.RootElement, out var error))
                {
                    return error;
                }
            }
            catch (JsonException)
            {
                // Not JSON (a gateway's HTML page, a truncated body): the default reader shows its start.
            }
        }

        return base.ReadError(response, body);
    }

    /// <summary>Reads a QuickBooks fault from a JSON value; <see langword="false"/> when it holds none.</summary>
    internal static bool TryReadFault(JsonElement root, out PlatformError error)
    {
        error = default;
        if (root.ValueKind != JsonValueKind.Object || !TryGet(root, "Fault", out var fault) || fault.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var type = TryGet(fault, "type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        string? code = null;
        var parts = new List<string>();
        if (TryGet(fault, "Error", out var errors) && errors.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in errors.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                code ??= Text(item, "code");
                var message = Text(item, "Message");
                var detail = Text(item, "Detail");
                var element = Text(item, "element");
                var text = message ?? "error";
                if (!string.IsNullOrEmpty(detail) && !string.Equals(detail, message, StringComparison.Ordinal))
                {
                    text += ": " + detail;
                }

                if (!string.IsNullOrEmpty(element))
                {
                    text += $" (element {element})";
                }

                parts.Add(text);
            }
        }

        if (parts.Count == 0)
        {
            parts.Add("QuickBooks returned a fault without errors");
        }

        var all = string.Join("; ", parts);
        error = new PlatformError(code ?? type, string.IsNullOrEmpty(type) ? all : $"{all} [{type}]");
        return true;
    }

    private static string? Text(JsonElement element, string name) =>
        TryGet(element, name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    private static bool TryGet(JsonElement element, string name, out JsonElement value)
    {
        if (element.TryGetProperty(name, out value))
        {
            return true;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}
