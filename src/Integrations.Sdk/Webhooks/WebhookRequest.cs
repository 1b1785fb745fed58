namespace Integrations.Sdk.Connectors;

/// <summary>A webhook request as received: the raw body bytes (never re-encoded) and its headers.</summary>
public sealed class WebhookRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="url">The full URL the platform called (some platforms sign it).</param>
    /// <param name="headers">The headers; names are compared case-insensitively.</param>
    /// <param name="body">The raw body bytes.</param>
    public WebhookRequest(string method, Uri url, IEnumerable<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(headers);
        Method = method;
        Url = url;
        Body = body;
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            map[name] = value;
        }

        Headers = map;
    }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The full URL.</summary>
    public Uri Url { get; }

    /// <summary>The headers, case-insensitive.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The raw body.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Returns a header's value, or <see langword="null"/>.</summary>
    /// <param name="name">The header's name.</param>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
