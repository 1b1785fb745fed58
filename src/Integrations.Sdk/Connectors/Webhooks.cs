using System.Security.Cryptography;

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

/// <summary>The verdict on a webhook request's authenticity.</summary>
/// <param name="IsValid">Whether the signature (and timestamp, where signed) is valid.</param>
/// <param name="Failure">Why it is not, naming the header at fault; never echoes a secret or the expected signature.</param>
public readonly record struct WebhookVerification(bool IsValid, string? Failure)
{
    /// <summary>A valid request.</summary>
    public static WebhookVerification Valid => new(true, null);

    /// <summary>An invalid request, with the reason.</summary>
    /// <param name="reason">Why, naming the header at fault.</param>
    public static WebhookVerification Invalid(string reason) => new(false, reason);
}

/// <summary>One event carried by a webhook request.</summary>
/// <param name="EventId">The platform's event id (or a composite key where the platform has none): the dedupe key.</param>
/// <param name="EventType">The platform's event type or topic, for example <c>invoice.payment_failed</c>.</param>
/// <param name="Payload">The event's JSON.</param>
/// <param name="OccurredAt">When the platform says the event happened, if it says.</param>
public sealed record WebhookEvent(string EventId, string EventType, string Payload, DateTimeOffset? OccurredAt);

/// <summary>A platform that pushes events: verifies requests and turns them into events.</summary>
public interface IWebhookSource
{
    /// <summary>The connector's name, used in the endpoint path and in the inbox.</summary>
    string Name { get; }

    /// <summary>Verifies the request's signature over the raw body, in constant time.</summary>
    /// <param name="request">The request.</param>
    WebhookVerification Verify(WebhookRequest request);

    /// <summary>Parses a verified request into its events.</summary>
    /// <param name="request">The verified request.</param>
    /// <exception cref="FormatException">The body is not what the platform sends; the message names the field at fault.</exception>
    IReadOnlyList<WebhookEvent> Parse(WebhookRequest request);
}

/// <summary>Reads webhook bodies for <see cref="IWebhookSource.Parse"/> implementations.</summary>
public static class WebhookJson
{
    /// <summary>Parses a webhook body as JSON; a body that is not JSON becomes a <see cref="FormatException"/> naming the platform.</summary>
    /// <param name="body">The raw body.</param>
    /// <param name="platform">The platform's display name, for the message (for example <c>HubSpot</c>).</param>
    /// <exception cref="FormatException">The body is not JSON.</exception>
    public static System.Text.Json.JsonDocument Parse(ReadOnlyMemory<byte> body, string platform)
    {
        ArgumentException.ThrowIfNullOrEmpty(platform);
        try
        {
            return System.Text.Json.JsonDocument.Parse(body);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new FormatException($"The {platform} webhook body is not JSON: {ex.Message}", ex);
        }
    }
}

/// <summary>Helpers for verifying HMAC webhook signatures correctly: over raw bytes, compared in constant time.</summary>
public static class WebhookSignature
{
    /// <summary>Computes HMAC-SHA256 of <paramref name="data"/> with <paramref name="secret"/>.</summary>
    /// <param name="secret">The signing secret.</param>
    /// <param name="data">The signed bytes.</param>
    public static byte[] HmacSha256(string secret, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data);
    }

    /// <summary>Compares a Base64 signature with an expected MAC in constant time. Malformed Base64 is simply invalid.</summary>
    /// <param name="expected">The MAC computed locally.</param>
    /// <param name="base64Signature">The signature received.</param>
    public static bool Base64Equals(ReadOnlySpan<byte> expected, string? base64Signature)
    {
        if (string.IsNullOrEmpty(base64Signature))
        {
            return false;
        }

        Span<byte> received = stackalloc byte[64];
        return Convert.TryFromBase64String(base64Signature.Trim(), received, out var written)
            && CryptographicOperations.FixedTimeEquals(expected, received[..written]);
    }

    /// <summary>Compares a hexadecimal signature with an expected MAC in constant time. Malformed hex is simply invalid.</summary>
    /// <param name="expected">The MAC computed locally.</param>
    /// <param name="hexSignature">The signature received.</param>
    public static bool HexEquals(ReadOnlySpan<byte> expected, string? hexSignature)
    {
        if (string.IsNullOrEmpty(hexSignature) || hexSignature.Length % 2 != 0 || hexSignature.Length > 128)
        {
            return false;
        }

        Span<byte> received = stackalloc byte[64];
        var status = Convert.FromHexString(hexSignature, received, out _, out var written);
        return status == System.Buffers.OperationStatus.Done
            && CryptographicOperations.FixedTimeEquals(expected, received[..written]);
    }
}

/// <summary>An answer the SDK gives a platform directly, for a handshake.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="Body">The body, if any.</param>
/// <param name="ContentType">The body's content type.</param>
/// <param name="Headers">Extra response headers (Asana's <c>X-Hook-Secret</c>, for example).</param>
public sealed record WebhookResponse(int StatusCode, string? Body = null, string? ContentType = null, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// A webhook source whose platform checks the endpoint before sending events: Slack's <c>url_verification</c>
/// (echo the challenge), Asana's <c>X-Hook-Secret</c> (echo the header), Xero's intent-to-receive (200 when
/// correctly signed, 401 otherwise). The receiver asks it first and, when it answers, stores nothing.
/// </summary>
public interface IWebhookHandshake
{
    /// <summary>Answers the request if it is a handshake; <see langword="null"/> for an ordinary delivery.</summary>
    /// <param name="request">The request.</param>
    /// <param name="verification">The signature check's verdict (some handshakes are unsigned).</param>
    WebhookResponse? Handshake(WebhookRequest request, WebhookVerification verification);
}
