using System.Text;
using Integrations.Sdk.Connectors;

namespace Integrations.Sdk.Tests.Connectors;

public sealed class WebhookSignatureTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"id\":1,\"total\":\"9.99\"}");

    [Fact]
    public void Base64Equals_MatchesTheDocumentedAlgorithm()
    {
        var mac = WebhookSignature.HmacSha256("secret", Body);
        var expected = Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes("secret"), Body));

        WebhookSignature.Base64Equals(mac, expected).Should().BeTrue();
        WebhookSignature.HexEquals(mac, Convert.ToHexStringLower(mac)).Should().BeTrue();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 !!")]
    [InlineData("AAAA")]
    public void Base64Equals_MissingMalformedOrWrong_IsFalse(string? signature)
    {
        var mac = WebhookSignature.HmacSha256("secret", Body);

        WebhookSignature.Base64Equals(mac, signature).Should().BeFalse();
    }

    [Fact]
    public void Signature_OfAnAlteredBodyOrWrongSecret_DoesNotMatch()
    {
        var signature = Convert.ToBase64String(WebhookSignature.HmacSha256("secret", Body));
        var altered = Encoding.UTF8.GetBytes("{\"id\":1,\"total\":\"0.01\"}");

        WebhookSignature.Base64Equals(WebhookSignature.HmacSha256("secret", altered), signature).Should().BeFalse();
        WebhookSignature.Base64Equals(WebhookSignature.HmacSha256("other", Body), signature).Should().BeFalse();
        WebhookSignature.HexEquals(WebhookSignature.HmacSha256("secret", Body), "zz").Should().BeFalse();
    }

    [Fact]
    public void WebhookRequest_HeadersAreCaseInsensitive()
    {
        var request = new WebhookRequest("POST", new Uri("http://127.0.0.1/webhooks/shop"), [new("X-Shopify-Hmac-Sha256", "abc")], Body);

        request.Header("x-shopify-hmac-sha256").Should().Be("abc");
        request.Header("missing").Should().BeNull();
    }
}
