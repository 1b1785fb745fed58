namespace Integrations.Sdk.Connectors;

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
