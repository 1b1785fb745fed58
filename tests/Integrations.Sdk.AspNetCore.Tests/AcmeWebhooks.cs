using System.Text;
using System.Text.Json;
using Integrations.Sdk.Connectors;

namespace Integrations.Sdk.AspNetCore.Tests;

/// <summary>
/// A small fake platform that pushes webhooks: Base64 HMAC-SHA256 of the raw body in <c>X-Acme-Signature</c>, the
/// event id in the body, and two handshakes — Asana's (echo <c>X-Hook-Secret</c>) and Slack's (echo the challenge).
/// </summary>
public sealed class AcmeWebhookSource : IWebhookSource, IWebhookHandshake
{
    public const string Secret = "acme-signing-secret";

    public string Name => "acme";

    public static Dictionary<string, string> Sign(string body, string secret = Secret) => new()
    {
        ["X-Acme-Signature"] = Convert.ToBase64String(WebhookSignature.HmacSha256(secret, Encoding.UTF8.GetBytes(body))),
    };

    public WebhookVerification Verify(WebhookRequest request) =>
        request.Header("X-Acme-Signature") is not { } signature
            ? WebhookVerification.Invalid("the header X-Acme-Signature is missing")
            : WebhookSignature.Base64Equals(WebhookSignature.HmacSha256(Secret, request.Body.Span), signature)
                ? WebhookVerification.Valid
                : WebhookVerification.Invalid("the X-Acme-Signature does not match the body");

    public IReadOnlyList<WebhookEvent> Parse(WebhookRequest request)
    {
        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        var id = root.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString()! : throw new FormatException("the field 'id' is missing");
        var type = root.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
        return [new WebhookEvent(id, type, root.GetRawText(), null)];
    }

    public WebhookResponse? Handshake(WebhookRequest request, WebhookVerification verification)
    {
        if (request.Header("X-Hook-Secret") is { } hookSecret)
        {
            return new WebhookResponse(200, Headers: new Dictionary<string, string> { ["X-Hook-Secret"] = hookSecret });
        }

        if (!verification.IsValid)
        {
            return null;
        }

        using var json = JsonDocument.Parse(request.Body);
        return json.RootElement.TryGetProperty("type", out var type) && type.GetString() == "url_verification"
            ? new WebhookResponse(200, json.RootElement.GetProperty("challenge").GetString(), "text/plain")
            : null;
    }
}

/// <summary>What the test sync receives.</summary>
public sealed record AcmeEvent(string Id, string Type, string? Customer);
