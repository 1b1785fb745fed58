using System.Security.Cryptography;
using System.Text;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Transport;
using Integrations.Sdk.WooCommerce.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integrations.Sdk.WooCommerce.Tests;

/// <summary>The exact requests of the WooCommerce connector, against WireMock, its options and its webhook source.</summary>
public sealed class WooCommerceConnectorTests : IDisposable
{
    private const string Key = "ck_0123456789abcdef0123456789abcdef01234567";
    private const string Secret = "cs_fedcba9876543210fedcba9876543210fedcba98";
    private const string HookSecret = "woo-webhook-secret-for-unit-tests";

    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly ServiceProvider _services;

    public WooCommerceConnectorTests() => _services = Build(o => o.StoreUrl = new Uri(_server.Url! + "/"));

    public void Dispose()
    {
        _services.Dispose();
        _server.Stop();
        _server.Dispose();
    }

    private WooCommerceConnector Connector => _services.GetRequiredService<WooCommerceConnector>();

    [Fact]
    public async Task Orders_FirstRead_SendsBasicAuthAndPagesBy100UntilTotalPages()
    {
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/orders").WithParam("page", "1").UsingGet())
            .RespondWith(Page(2, Order(1, "2026-12-05T09:00:00"), Order(2, "2026-12-05T11:00:00")));
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/orders").WithParam("page", "2").UsingGet())
            .RespondWith(Page(2, Order(3, "2026-12-05T10:00:00")));

        var records = await Connector.Orders.ReadAsync(null).ToListAsync();

        records.Select(r => r.Value.Id).Should().Equal(1, 2, 3);
        records.Select(r => r.Checkpoint).Should().Equal(null, null, "2026-12-05T11:00:00Z|2");
        var requests = _server.LogEntries.Select(e => e.RequestMessage!).ToList();
        requests.Should().HaveCount(2);
        foreach (var request in requests)
        {
            request.Headers!["Authorization"].Should().Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Key + ":" + Secret)));
            request.Query!["per_page"].Should().Equal("100");
            request.Query["orderby"].Should().Equal("id");
            request.Query["order"].Should().Equal("asc");
            request.Query["dates_are_gmt"].Should().Equal("true");
            request.Query.Should().NotContainKey("modified_after").And.NotContainKey("consumer_secret");
        }

        requests.Select(r => r.Query!["page"].Single()).Should().Equal("1", "2");
    }

    [Fact]
    public async Task Orders_Resumed_AsksModifiedAfterTheCheckpointLessTheOverlap_AndSkipsTheOrderThatEndedTheLastRead()
    {
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/orders").UsingGet())
            .RespondWith(Page(1, Order(4, "2026-12-05T09:58:00"), Order(5, "2026-12-05T10:00:00"), Order(6, "2026-12-05T10:00:00")));

        var records = await Connector.Orders.ReadAsync("2026-12-05T10:00:00Z|5").ToListAsync();

        _server.LogEntries.Single().RequestMessage!.Query!["modified_after"].Should().Equal("2026-12-05T09:55:00");
        records.Select(r => r.Value.Id).Should().Equal(4, 6);
        records[^1].Checkpoint.Should().Be("2026-12-05T10:00:00Z|6");
    }

    [Fact]
    public async Task Orders_ResumedWithNothingNew_KeepsNoCheckpointAndYieldsNothing()
    {
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/orders").UsingGet()).RespondWith(Page(1, Order(5, "2026-12-05T10:00:00")));

        var records = await Connector.Orders.ReadAsync("2026-12-05T10:00:00Z|5").ToListAsync();

        records.Should().BeEmpty();
    }

    [Fact]
    public async Task Orders_BadCheckpoint_IsAFormatErrorShowingTheExpectedShape()
    {
        var read = async () => await Connector.Orders.ReadAsync("yesterday").ToListAsync();

        (await read.Should().ThrowAsync<FormatException>()).WithMessage("*<date_modified_gmt>|<order id>*");
    }

    [Fact]
    public async Task Orders_EmptyPageBeforeTheLastOne_IsRefusedAsAnInvalidResponse()
    {
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/orders").UsingGet()).RespondWith(Page(3));

        var read = async () => await Connector.GetOrdersModifiedAfterAsync(null).ToListAsync();

        (await read.Should().ThrowAsync<PlatformException>()).Which.ErrorCode.Should().Be("invalid_response");
    }

    [Fact]
    public async Task GetOrder_ReadsMoneyFromDecimalStrings_AndDatesAsUtc()
    {
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/orders/727").UsingGet()).RespondWith(Json("""
            {"id":727,"status":"processing","currency":"EUR","prices_include_tax":true,
             "date_modified_gmt":"2026-12-05T10:00:01","date_paid_gmt":"2026-12-05T09:59:00",
             "discount_total":"5.00","shipping_total":"10.00","shipping_tax":"1.90","total":"115.90","total_tax":"17.90","customer_id":26,
             "billing":{"email":"john.doe@example.com"},
             "line_items":[{"id":315,"name":"Woo Single #1","product_id":93,"variation_id":0,"quantity":2,"subtotal":"60.00","total":"55.00","total_tax":"10.45","sku":"WOO-1","price":27.5,"taxes":[{"id":75,"total":"10.45","subtotal":"11.40"}]}],
             "shipping_lines":[{"id":317,"method_id":"flat_rate","method_title":"Flat Rate","total":"10.00","total_tax":"1.90"}],
             "coupon_lines":[{"id":318,"code":"SAVE5","discount":"5.00","discount_tax":"0.95"}],
             "fee_lines":[],"tax_lines":[{"id":318,"rate_code":"EU-VAT-19","rate_id":75,"label":"VAT","compound":false,"tax_total":"16.00","shipping_tax_total":"1.90"}],
             "refunds":[{"id":726,"reason":"","total":"-10.00"}],"meta_data":[]}
            """));

        var order = (await Connector.GetOrderAsync(727))!;

        (order.Total, order.TotalTax, order.DiscountTotal, order.ShippingTotal).Should().Be((115.90m, 17.90m, 5.00m, 10.00m));
        order.DateModifiedGmt.Should().Be(new DateTimeOffset(2026, 12, 5, 10, 0, 1, TimeSpan.Zero));
        order.DatePaidGmt.Should().Be(new DateTimeOffset(2026, 12, 5, 9, 59, 0, TimeSpan.Zero));
        var line = order.LineItems.Should().ContainSingle().Subject;
        (line.Sku, line.Quantity, line.Price, line.Total, line.Taxes.Single().Total).Should().Be(("WOO-1", 2, 27.5m, 55.00m, 10.45m));
        order.ShippingLines.Single().Total.Should().Be(10.00m);
        order.CouponLines.Single().Code.Should().Be("SAVE5");
        order.TaxLines.Single().RateCode.Should().Be("EU-VAT-19");
        order.Refunds.Single().Total.Should().Be(-10.00m);
        order.Billing!.Email.Should().Be("john.doe@example.com");
        order.Extra.Should().ContainKey("meta_data");
    }

    [Fact]
    public async Task GetOrder_Missing_IsNull()
    {
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/orders/9").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(404).WithHeader("Content-Type", "application/json")
                .WithBody("""{"code":"woocommerce_rest_shop_order_invalid_id","message":"Invalid ID.","data":{"status":404}}"""));

        (await Connector.GetOrderAsync(9)).Should().BeNull();
    }

    [Fact]
    public async Task Unauthorized_IsAPlatformErrorWithWooCommercesCode_AndNoSecret()
    {
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/orders/9").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/json")
                .WithBody("""{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot view this resource.","data":{"status":401}}"""));

        var read = () => Connector.GetOrderAsync(9);

        var thrown = (await read.Should().ThrowAsync<PlatformException>()).Which;
        thrown.ErrorCode.Should().Be("woocommerce_rest_cannot_view");
        thrown.ToString().Should().NotContain(Secret);
    }

    [Fact]
    public async Task FindProductBySku_AsksBySku_AndReadsStock()
    {
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/products").WithParam("sku", "WOO-1").UsingGet())
            .RespondWith(Page(1, """{"id":93,"name":"Woo Single #1","type":"simple","sku":"WOO-1","price":"27.50","manage_stock":true,"stock_quantity":12,"stock_status":"instock","variations":[]}"""));
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/products").WithParam("sku", "NONE").UsingGet()).RespondWith(Page(0));

        var product = (await Connector.FindProductBySkuAsync("WOO-1"))!;

        (product.Id, product.Price, product.ManageStock, product.StockQuantity).Should().Be((93L, 27.50m, true, (int?)12));
        (await Connector.FindProductBySkuAsync("NONE")).Should().BeNull();
    }

    [Fact]
    public async Task FindVariationBySku_AsksTheProductsVariations()
    {
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/products/22/variations").UsingGet())
            .RespondWith(Page(1, """{"id":733,"sku":"TS-BLK-M","price":"20.00","manage_stock":"parent","stock_quantity":4,"stock_status":"instock"}"""));

        var variation = (await Connector.FindVariationBySkuAsync(22, "TS-BLK-M"))!;

        (variation.Id, variation.StockQuantity, variation.Price).Should().Be((733L, (int?)4, (decimal?)20.00m));
        _server.LogEntries.Single().RequestMessage!.Query!["sku"].Should().Equal("TS-BLK-M");
    }

    [Fact]
    public async Task FindCustomerByEmail_AsksByEmailForAllRoles()
    {
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/customers").UsingGet())
            .RespondWith(Page(1, """{"id":26,"email":"John.Doe@example.com","first_name":"John","last_name":"Doe"}"""));

        var customer = (await Connector.FindCustomerByEmailAsync("john.doe@example.com"))!;

        customer.Id.Should().Be(26);
        var query = _server.LogEntries.Single().RequestMessage!.Query!;
        query["email"].Should().Equal("john.doe@example.com");
        query["role"].Should().Equal("all");
    }

    [Fact]
    public async Task GetRefunds_ReadsAmountsAndRefundedLines()
    {
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/orders/727/refunds").UsingGet())
            .RespondWith(Page(1, """{"id":726,"date_created_gmt":"2026-12-06T08:00:00","amount":"27.50","reason":"damaged","line_items":[{"id":1,"product_id":93,"quantity":-1,"total":"-27.50","sku":"WOO-1","price":-27.5}]}"""));

        var refund = (await Connector.GetRefundsAsync(727)).Should().ContainSingle().Subject;

        (refund.Amount, refund.Reason, refund.LineItems.Single().Quantity).Should().Be((27.50m, "damaged", -1));
    }

    [Fact]
    public async Task Start_PlainHttpStore_FailsNamingStoreUrl()
    {
        var thrown = await StartWith(o => o.StoreUrl = new Uri("http://shop.example.test/"));

        thrown.Message.Should().Contain("StoreUrl must be https://");
    }

    [Fact]
    public async Task Start_QueryStringCredentialsOverPlainHttp_FailsNamingTheSetting()
    {
        var thrown = await StartWith(o =>
        {
            o.StoreUrl = new Uri("http://127.0.0.1:8080/");
            o.CredentialsInQueryString = true;
        });

        thrown.Message.Should().Contain("CredentialsInQueryString is refused over plain HTTP");
    }

    [Fact]
    public async Task Start_WithoutSecretOrStore_FailsNamingEach()
    {
        var thrown = await StartWith(o =>
        {
            o.StoreUrl = null;
            o.ConsumerSecret = "";
            o.PageSize = 500;
        });

        thrown.Message.Should().Contain("StoreUrl is required").And.Contain("ConsumerSecret is required").And.Contain("PageSize");
    }

    [Fact]
    public void Webhook_SignedAsWooCommerceDocuments_IsValid_AndKeyedByDeliveryId()
    {
        var source = _services.GetRequiredService<WooCommerceWebhookSource>();
        const string body = """{"id":727,"status":"processing","date_modified_gmt":"2026-12-05T10:00:01"}""";
        var request = Delivery(body, Sign(body, HookSecret));

        source.Verify(request).IsValid.Should().BeTrue();
        source.Handshake(request, source.Verify(request)).Should().BeNull();
        var e = source.Parse(request).Should().ContainSingle().Subject;
        (e.EventId, e.EventType, e.OccurredAt).Should().Be(("9f1c-delivery", "order.updated", new DateTimeOffset(2026, 12, 5, 10, 0, 1, TimeSpan.Zero)));
    }

    [Fact]
    public void Webhook_SignedWithAnotherSecretOrBodyChanged_IsRefusedNamingTheHeader()
    {
        var source = _services.GetRequiredService<WooCommerceWebhookSource>();
        const string body = """{"id":727}""";

        source.Verify(Delivery(body, Sign(body, "another-secret"))).Failure.Should().Contain("X-WC-Webhook-Signature").And.NotContain(HookSecret);
        source.Verify(Delivery("""{"id":728}""", Sign(body, HookSecret))).IsValid.Should().BeFalse();
        source.Verify(Delivery(body, null)).IsValid.Should().BeFalse();
    }

    [Fact]
    public void Webhook_UnsignedPing_IsAnswered200_ButAnUnsignedEventIsNot()
    {
        var source = _services.GetRequiredService<WooCommerceWebhookSource>();
        var ping = new WebhookRequest("POST", new Uri("https://hooks.example.test/webhooks/woocommerce"),
            [new("Content-Type", "application/x-www-form-urlencoded"), new("X-WC-Webhook-ID", "12")], "webhook_id=12"u8.ToArray());
        var unsigned = Delivery("""{"id":727}""", null);

        var verdict = source.Verify(ping);

        verdict.IsValid.Should().BeFalse();
        source.Handshake(ping, verdict)!.StatusCode.Should().Be(200);
        source.Handshake(unsigned, source.Verify(unsigned)).Should().BeNull();
        source.Handshake(Delivery("webhook_id=12&x=1", null), WebhookVerification.Invalid("unsigned")).Should().BeNull();
    }

    [Fact]
    public void Webhook_WithoutDeliveryId_IsAFormatErrorNamingTheHeader()
    {
        var request = new WebhookRequest("POST", new Uri("https://h.test/"), [new("X-WC-Webhook-Topic", "order.updated")], """{"id":1}"""u8.ToArray());

        var parse = () => _services.GetRequiredService<WooCommerceWebhookSource>().Parse(request);

        parse.Should().Throw<FormatException>().WithMessage("*X-WC-Webhook-Delivery-ID*");
    }

    private static async Task<OptionsValidationException> StartWith(Action<WooCommerceOptions> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddIntegrations().AddWooCommerce(o =>
        {
            o.StoreUrl = new Uri("https://shop.example.test/");
            o.ConsumerKey = Key;
            o.ConsumerSecret = Secret;
            configure(o);
        });
        using var host = builder.Build();
        var start = () => host.StartAsync();
        return (await start.Should().ThrowAsync<OptionsValidationException>()).Which;
    }

    private static WebhookRequest Delivery(string body, string? signature)
    {
        var headers = new List<KeyValuePair<string, string>>
        {
            new("X-WC-Webhook-Topic", "order.updated"),
            new("X-WC-Webhook-Resource", "order"),
            new("X-WC-Webhook-Event", "updated"),
            new("X-WC-Webhook-ID", "12"),
            new("X-WC-Webhook-Delivery-ID", "9f1c-delivery"),
        };
        if (signature is not null)
        {
            headers.Add(new("X-WC-Webhook-Signature", signature));
        }

        return new WebhookRequest("POST", new Uri("https://hooks.example.test/webhooks/woocommerce"), headers, Encoding.UTF8.GetBytes(body));
    }

    private static string Sign(string body, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private static ServiceProvider Build(Action<WooCommerceOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddIntegrations().AddWooCommerce(o =>
        {
            o.ConsumerKey = Key;
            o.ConsumerSecret = Secret;
            o.WebhookSecret = HookSecret;
            configure(o);
        });
        services.PostConfigure<ConnectorHttpOptions>(WooCommerceConnector.ConnectorName, o => o.MaxRetryAttempts = 0);
        return services.BuildServiceProvider();
    }

    private static string Order(long id, string modified) =>
        $$"""{"id":{{id}},"status":"processing","currency":"USD","date_modified_gmt":"{{modified}}","total":"10.00","line_items":[]}""";

    private static IResponseBuilder Page(int totalPages, params string[] items) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
            .WithHeader("X-WP-Total", items.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithHeader("X-WP-TotalPages", totalPages.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithBody("[" + string.Join(',', items) + "]");

    private static IResponseBuilder Json(string body) => Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body);
}
