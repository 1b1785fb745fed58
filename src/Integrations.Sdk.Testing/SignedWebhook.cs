using System.Net.Http.Headers;

namespace Integrations.Sdk.Testing;

/// <summary>A webhook request as a platform would send it: raw body bytes and headers, signature included.</summary>
/// <param name="Body">The raw body.</param>
/// <param name="Headers">The headers, signature included.</param>
public sealed record SignedWebhook(byte[] Body, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>Posts the webhook to <paramref name="target"/> with the caller's client (from IHttpClientFactory, or a test server's).</summary>
    /// <param name="client">The HTTP client.</param>
    /// <param name="target">The receiving endpoint.</param>
    /// <param name="cancellationToken">Cancels the delivery.</param>
    /// <returns>The receiver's answer.</returns>
    public async Task<HttpResponseMessage> PostAsync(HttpClient client, Uri target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(target);
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns a copy with one header changed (to forge or break a signature in tests).</summary>
    /// <param name="name">The header.</param>
    /// <param name="value">Its new value.</param>
    public SignedWebhook WithHeader(string name, string value) =>
        this with { Headers = new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase) { [name] = value } };
}
