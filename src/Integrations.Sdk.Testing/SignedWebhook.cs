using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Integrations.Sdk.Testing;

/// <summary>A webhook request as a platform would send it: raw body bytes and headers, signature included.</summary>
/// <param name="Body">The raw body.</param>
/// <param name="Headers">The headers, signature included.</param>
public sealed record SignedWebhook(byte[] Body, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>
    /// Builds a webhook the way a platform does: the body is <paramref name="payload"/>'s JSON in UTF-8, and
    /// <paramref name="sign"/> computes the headers, signature included, from exactly those bytes.
    /// </summary>
    /// <param name="payload">The webhook's JSON.</param>
    /// <param name="sign">The platform's signing rule: the headers for a body (names compared case-insensitively).</param>
    /// <returns>The signed webhook.</returns>
    public static SignedWebhook Create(JsonNode payload, Func<byte[], IReadOnlyDictionary<string, string>> sign)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(sign);
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        return new SignedWebhook(body, new Dictionary<string, string>(sign(body), StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>HMAC-SHA256 of <paramref name="data"/> keyed with the UTF-8 bytes of <paramref name="secret"/>, as most platforms sign.</summary>
    /// <param name="secret">The signing secret.</param>
    /// <param name="data">What is signed.</param>
    /// <returns>The MAC.</returns>
    public static byte[] HmacSha256(string secret, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data);
    }

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
