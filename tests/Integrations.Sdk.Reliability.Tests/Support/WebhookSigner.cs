using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Integrations.Sdk.HubSpot;

namespace Integrations.Sdk.Reliability.Tests.Support;

/// <summary>
/// Signs arbitrary raw bytes as each platform does (so a test can send a correctly signed body that is broken in
/// other ways: not JSON, not UTF-8, wrong types). Written from the platforms' documentation, not from the SDK.
/// </summary>
public static class WebhookSigner
{
    public static Dictionary<string, string> Stripe(byte[] body, string secret, DateTimeOffset at)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), (byte[])[.. Encoding.UTF8.GetBytes(t + "."), .. body]);
        return new() { ["Stripe-Signature"] = $"t={t},v1={Convert.ToHexStringLower(mac)}" };
    }

    public static Dictionary<string, string> Shopify(byte[] body, string secret, string eventId, string topic = "orders/paid") => new()
    {
        ["X-Shopify-Hmac-Sha256"] = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)),
        ["X-Shopify-Topic"] = topic,
        ["X-Shopify-Event-Id"] = eventId,
    };

    public static Dictionary<string, string> QuickBooks(byte[] body, string verifierToken) => new()
    {
        ["intuit-signature"] = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(verifierToken), body)),
    };

    public static Dictionary<string, string> HubSpot(byte[] body, string clientSecret, Uri url, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), HubSpotWebhookSource.SignedBytes("POST", url, body, timestamp));
        return new() { ["X-HubSpot-Signature-v3"] = Convert.ToBase64String(mac), ["X-HubSpot-Request-Timestamp"] = timestamp };
    }
}
