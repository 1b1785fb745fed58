using System.Text;
using Integrations.Sdk.Connectors;
using Microsoft.Extensions.Options;

namespace Integrations.Sdk.Shopify.Tests;

public sealed class ShopifyWebhookSourceTests
{
    private const string Secret = "app-client-secret";

    private const string OrderJson = """
        {"id":820982911946154508,"admin_graphql_api_id":"gid://shopify/Order/820982911946154508","name":"#9999","order_number":9999,
         "email":"jon@example.com","created_at":"2026-11-27T12:00:00-05:00","updated_at":"2026-11-27T12:30:00-05:00",
         "financial_status":"partially_refunded","currency":"USD","total_price":"403.00",
         "customer":{"id":115310627314723954,"email":"jon@example.com","first_name":"Jon","last_name":"Doe"},
         "line_items":[{"id":866550311766439020,"sku":"IPOD-342-N","title":"IPod Nano","quantity":2,"price":"199.00","variant_id":808950810},
                       {"id":141249953214522974,"sku":"","title":"Gift wrap","quantity":1,"price":"5.00","variant_id":null}]}
        """;

    private readonly ShopifyWebhookSource _source = new(Options.Create(new ShopifyOptions { WebhookSecret = Secret }));

    private static string Sign(string body, string secret = Secret) => Convert.ToBase64String(WebhookSignature.HmacSha256(secret, Encoding.UTF8.GetBytes(body)));

    private static WebhookRequest Request(string body, IEnumerable<KeyValuePair<string, string>> headers) =>
        new("POST", new Uri("https://host.example/webhooks/shopify"), headers, Encoding.UTF8.GetBytes(body));

    private static Dictionary<string, string> Headers(string body, string? signature = null) => new()
    {
        ["X-Shopify-Hmac-Sha256"] = signature ?? Sign(body),
        ["X-Shopify-Topic"] = "orders/updated",
        ["X-Shopify-Event-Id"] = "98880550-7158-44d4-b7cd-2c97c8a091b5",
        ["X-Shopify-Webhook-Id"] = "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
        ["X-Shopify-Triggered-At"] = "2026-11-27T17:30:01.000000Z",
        ["X-Shopify-Shop-Domain"] = "acme.myshopify.com",
    };

    [Fact]
    public void Verify_SignedWithTheAppSecret_IsValid()
    {
        _source.Verify(Request(OrderJson, Headers(OrderJson))).Should().Be(WebhookVerification.Valid);
        _source.Name.Should().Be("shopify");
    }

    [Fact]
    public void Verify_SignedWithAnotherSecret_IsInvalid()
    {
        var verdict = _source.Verify(Request(OrderJson, Headers(OrderJson, Sign(OrderJson, "other-secret"))));

        verdict.IsValid.Should().BeFalse();
        verdict.Failure.Should().Contain("X-Shopify-Hmac-Sha256").And.NotContain(Secret);
    }

    [Fact]
    public void Verify_BodyAlteredAfterSigning_IsInvalid()
    {
        var altered = OrderJson.Replace("403.00", "4.03", StringComparison.Ordinal);

        _source.Verify(Request(altered, Headers(OrderJson))).IsValid.Should().BeFalse();
    }

    [Fact]
    public void Verify_WithoutSignatureHeader_IsInvalidNamingTheHeader()
    {
        var headers = Headers(OrderJson);
        headers.Remove("X-Shopify-Hmac-Sha256");

        var verdict = _source.Verify(Request(OrderJson, headers));

        verdict.IsValid.Should().BeFalse();
        verdict.Failure.Should().Contain("X-Shopify-Hmac-Sha256").And.Contain("missing");
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("====")]
    [InlineData("c2hvcnQ=")]
    public void Verify_MalformedOrShortSignature_IsInvalid(string signature) =>
        _source.Verify(Request(OrderJson, Headers(OrderJson, signature))).IsValid.Should().BeFalse();

    [Fact]
    public void Verify_WithoutConfiguredSecret_ThrowsNamingTheSetting()
    {
        var source = new ShopifyWebhookSource(Options.Create(new ShopifyOptions()));

        var act = () => source.Verify(Request(OrderJson, Headers(OrderJson)));

        act.Should().Throw<InvalidOperationException>().WithMessage("*ShopifyOptions.WebhookSecret*");
    }

    [Fact]
    public void Verify_HeaderNamesAreCaseInsensitive()
    {
        var headers = Headers(OrderJson).ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value);

        _source.Verify(Request(OrderJson, headers)).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Parse_ReadsEventIdTopicAndTriggeredAt()
    {
        var events = _source.Parse(Request(OrderJson, Headers(OrderJson)));

        var e = events.Should().ContainSingle().Which;
        e.EventId.Should().Be("98880550-7158-44d4-b7cd-2c97c8a091b5");
        e.EventType.Should().Be("orders/updated");
        e.OccurredAt.Should().Be(new DateTimeOffset(2026, 11, 27, 17, 30, 1, TimeSpan.Zero));
        e.Payload.Should().Be(OrderJson);
    }

    [Fact]
    public void Parse_WithoutEventId_FallsBackToTheWebhookId()
    {
        var headers = Headers(OrderJson);
        headers.Remove("X-Shopify-Event-Id");

        _source.Parse(Request(OrderJson, headers)).Single().EventId.Should().Be("b54557e4-bdd9-4b37-8a5f-bf7d70bcd043");
    }

    [Fact]
    public void Parse_WithoutTopic_ThrowsFormatExceptionNamingTheHeader()
    {
        var headers = Headers(OrderJson);
        headers.Remove("X-Shopify-Topic");

        var act = () => _source.Parse(Request(OrderJson, headers));

        act.Should().Throw<FormatException>().WithMessage("*X-Shopify-Topic*");
    }

    [Theory]
    [InlineData("{\"id\": 1, ")]
    [InlineData("[1,2,3]")]
    [InlineData("")]
    public void Parse_BodyNotAJsonObject_ThrowsFormatException(string body)
    {
        var act = () => _source.Parse(Request(body, Headers(body)));

        act.Should().Throw<FormatException>().WithMessage("*orders/updated*JSON*");
    }

    [Fact]
    public void ReadOrder_MapsTheRestPayloadToTheGraphQlModel()
    {
        var order = ShopifyWebhookSource.ReadOrder(OrderJson);

        order.Id.Should().Be("gid://shopify/Order/820982911946154508");
        order.Name.Should().Be("#9999");
        order.Email.Should().Be("jon@example.com");
        order.UpdatedAt.Should().Be(new DateTimeOffset(2026, 11, 27, 17, 30, 0, TimeSpan.Zero));
        order.CreatedAt.Should().Be(new DateTimeOffset(2026, 11, 27, 17, 0, 0, TimeSpan.Zero));
        order.DisplayFinancialStatus.Should().Be("PARTIALLY_REFUNDED");
        order.CurrencyCode.Should().Be("USD");
        order.TotalPrice.Should().Be(403.00m);
        order.Customer.Should().BeEquivalentTo(new ShopifyCustomer { Id = "gid://shopify/Customer/115310627314723954", Email = "jon@example.com", FirstName = "Jon", LastName = "Doe" });
        order.LineItems.Should().BeEquivalentTo(new[]
        {
            new ShopifyLineItem { Sku = "IPOD-342-N", Title = "IPod Nano", Quantity = 2, UnitPrice = 199.00m, VariantId = "gid://shopify/ProductVariant/808950810" },
            new ShopifyLineItem { Sku = null, Title = "Gift wrap", Quantity = 1, UnitPrice = 5.00m, VariantId = null },
        }, o => o.WithStrictOrdering());
    }

    [Theory]
    [InlineData("""{"name":"#1","updated_at":"2026-11-27T12:30:00Z"}""", "*admin_graphql_api_id*")]
    [InlineData("""{"id":1}""", "*updated_at*")]
    [InlineData("""{"id":1,"updated_at":"2026-11-27T12:30:00Z","total_price":"lots"}""", "*total_price 'lots'*")]
    [InlineData("""{"id":1,"updated_at":"2026-11-27T12:30:00Z","line_items":[{"sku":"A"}]}""", "*line_items[0].quantity*")]
    [InlineData("not json", "*not valid JSON*")]
    public void ReadOrder_NotAnOrder_ThrowsFormatExceptionNamingTheField(string payload, string message)
    {
        var act = () => ShopifyWebhookSource.ReadOrder(payload);

        act.Should().Throw<FormatException>().WithMessage(message);
    }
}
