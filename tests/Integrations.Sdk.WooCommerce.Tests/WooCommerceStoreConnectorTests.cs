using System.Text;
using System.Text.Json.Nodes;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Integrations.Sdk.Stores;
using Integrations.Sdk.Transport;
using Integrations.Sdk.WooCommerce.Internal;
using Integrations.Sdk.WooCommerce.Models;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integrations.Sdk.WooCommerce.Tests;

/// <summary>The exact requests of the store category model and the stock writes, against WireMock.</summary>
public sealed class WooCommerceStoreConnectorTests : IDisposable
{
    private const string Key = "ck_store_model_key";
    private const string Secret = "cs_store_model_secret";

    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly ServiceProvider _services;

    public WooCommerceStoreConnectorTests()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddIntegrations().AddWooCommerce(o =>
        {
            o.StoreUrl = new Uri(_server.Url! + "/");
            o.ConsumerKey = Key;
            o.ConsumerSecret = Secret;
        });
        services.PostConfigure<ConnectorHttpOptions>(WooCommerceConnector.ConnectorName, o => o.MaxRetryAttempts = 0);
        _services = services.BuildServiceProvider();
    }

    public void Dispose()
    {
        _services.Dispose();
        _server.Stop();
        _server.Dispose();
    }

    private IStoreConnector Store => _services.GetRequiredKeyedService<IStoreConnector>(WooCommerceConnector.ConnectorName);

    private WooCommerceConnector Connector => _services.GetRequiredService<WooCommerceConnector>();

    [Fact]
    public async Task Orders_ReadTheRefundsOfOrdersThatHaveSome_AndEachProductOnce()
    {
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/orders").UsingGet()).RespondWith(Page(PlainOrder, RefundedOrder));
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/orders/802/refunds").UsingGet()).RespondWith(Page(NewerRefund, OlderRefund));
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/products/93").UsingGet())
            .RespondWith(Json("""{"id":93,"name":"Mug","sku":"MUG-1","categories":[{"id":9,"name":"Kitchen","slug":"kitchen"},{"id":10,"name":"Gifts","slug":"gifts"}]}"""));
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/products/22").UsingGet())
            .RespondWith(Json("""{"id":22,"name":"Shirt","type":"variable","categories":[]}"""));

        var records = await Store.Orders.ReadAsync(null).ToListAsync();

        records.Select(r => r.Value.Id).Should().Equal("801", "802");
        records[^1].Checkpoint.Should().Be("2026-12-06T08:00:00Z|802", "the same checkpoint as the typed source");
        var requests = _server.LogEntries.Select(e => e.RequestMessage!).ToList();
        requests.Select(r => r.Path).Should().BeEquivalentTo(
            "/wp-json/wc/v3/orders", "/wp-json/wc/v3/products/93", "/wp-json/wc/v3/orders/802/refunds", "/wp-json/wc/v3/products/22");
        var refunds = requests.Single(r => r.Path.EndsWith("/refunds", StringComparison.Ordinal));
        (refunds.Method, refunds.Query!["page"].Single(), refunds.Query["per_page"].Single()).Should().Be(("GET", "1", "100"));
        refunds.Headers!["Authorization"].Should().Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Key + ":" + Secret)));

        var plain = records[0].Value;
        (plain.PaymentStatus, plain.Refunds.Count, plain.Lines.Single().ProductType, plain.Channel).Should().Be((StorePaymentStatus.Paid, 0, "Kitchen", "checkout"));

        var order = records[1].Value;
        order.PaymentStatus.Should().Be(StorePaymentStatus.PartiallyRefunded);
        order.PricesIncludeTax.Should().BeTrue();
        order.Lines.Should().BeEquivalentTo(
        [
            new StoreOrderLine
            {
                Id = "901", Sku = "MUG-1", Title = "Mug", ProductType = "Kitchen", Quantity = 3, UnitPrice = 12.00m, Discount = 3.60m,
                Taxes = [new StoreTaxLine("VAT", 0.2m, 5.40m)],
            },
            new StoreOrderLine
            {
                Id = "902", Sku = "SHIRT-L", Title = "Shirt - L", ProductType = null, Quantity = 1, UnitPrice = 10.00m, Discount = 0m,
                Taxes = [new StoreTaxLine("VAT", 0.2m, 1.67m)],
            },
        ], o => o.WithStrictOrdering());
        order.ShippingLines.Single().Should().BeEquivalentTo(new StoreShippingLine { Title = "Flat rate", Amount = 6.00m, Taxes = [new StoreTaxLine("VAT", 0.2m, 1.00m)] });
        order.Discounts.Should().Equal(new StoreDiscount("spring", 3.60m));
        (order.Total, order.TotalTax, order.Currency, order.Email, order.Customer!.Id).Should().Be((48.40m, 8.07m, "GBP", "jo@example.com", "26"));
        order.Refunds.Should().BeEquivalentTo(
        [
            new StoreRefund
            {
                Id = "950", CreatedAt = new DateTimeOffset(2026, 12, 6, 7, 0, 0, TimeSpan.Zero), Amount = 10.80m, Reason = null,
                Lines = [new StoreRefundLine { LineId = "901", Sku = "MUG-1", Quantity = 1, Subtotal = 9.00m, Tax = 1.80m, Restock = false }],
            },
            new StoreRefund
            {
                Id = "951", CreatedAt = new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero), Amount = 27.60m, Reason = "damaged",
                Shipping = 5.00m, ShippingTax = 1.00m,
                Lines = [new StoreRefundLine { LineId = "901", Sku = "MUG-1", Quantity = 2, Subtotal = 18.00m, Tax = 3.60m, Restock = true }],
            },
        ], o => o.WithStrictOrdering());
    }

    [Theory]
    [InlineData("pending", 0, false, StorePaymentStatus.Pending)]
    [InlineData("on-hold", 0, false, StorePaymentStatus.Pending)]
    [InlineData("failed", 0, false, StorePaymentStatus.Pending)]
    [InlineData("processing", 0, true, StorePaymentStatus.Paid)]
    [InlineData("processing", 0, false, StorePaymentStatus.Pending)] // cash on delivery, bank transfer: not received yet
    [InlineData("completed", 0, true, StorePaymentStatus.Paid)]
    [InlineData("completed", 0, false, StorePaymentStatus.Paid)] // as the docs' own completed order: closed by the merchant
    [InlineData("completed", 10, false, StorePaymentStatus.PartiallyRefunded)]
    [InlineData("processing", 50, true, StorePaymentStatus.Refunded)]
    [InlineData("refunded", 50, true, StorePaymentStatus.Refunded)]
    [InlineData("cancelled", 0, false, StorePaymentStatus.Voided)]
    [InlineData("trash", 0, false, StorePaymentStatus.Voided)]
    [InlineData("checkout-draft", 0, false, StorePaymentStatus.Pending)]
    public void PaymentStatus_FollowsTheOrderStatusTheDatePaidAndTheRefunds(string status, int refunded, bool datePaid, StorePaymentStatus expected)
    {
        var order = new WooOrder { Id = 1, Status = status, Total = 50m, DatePaidGmt = datePaid ? new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero) : null };
        if (refunded > 0)
        {
            order.Refunds.Add(new WooOrderRefundSummary { Id = 2, Total = -refunded });
        }

        WooStoreMapping.PaymentStatus(order).Should().Be(expected);
    }

    [Fact]
    public async Task SetStock_PutsManageStockAndTheQuantity_ToTheProductOrTheVariation()
    {
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/products/93").UsingPut())
            .RespondWith(Json("""{"id":93,"sku":"MUG-1","manage_stock":true,"stock_quantity":7,"stock_status":"instock"}"""));
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/products/22/variations/733").UsingPut())
            .RespondWith(Json("""{"id":733,"sku":"SHIRT-L","manage_stock":true,"stock_quantity":0,"stock_status":"outofstock"}"""));
        var context = new WriteContext("stock", "MUG-1", "set", "key-1", 1, false);

        var product = await Connector.SetStock.ExecuteAsync(new WooStockUpdate(93, 7), context);
        var variation = await Connector.SetStock.ExecuteAsync(new WooStockUpdate(22, 0) { VariationId = 733 }, context);

        Connector.SetStock.Safety.Should().Be(WriteSafety.NaturalUpsert);
        product.Should().Be(new WooStockLevel(93, null, "MUG-1", true, 7));
        variation.Should().Be(new WooStockLevel(22, 733, "SHIRT-L", true, 0));
        var requests = _server.LogEntries.Select(e => e.RequestMessage!).ToList();
        requests.Select(r => (r.Method, r.Path)).Should().Equal(("PUT", "/wp-json/wc/v3/products/93"), ("PUT", "/wp-json/wc/v3/products/22/variations/733"));
        requests.Select(r => JsonNode.Parse(r.Body!)!.ToJsonString()).Should().Equal("""{"manage_stock":true,"stock_quantity":7}""", """{"manage_stock":true,"stock_quantity":0}""");
        requests.Should().AllSatisfy(r =>
        {
            r.Headers!["Content-Type"].Single().Should().StartWith("application/json");
            r.Headers["Authorization"].Single().Should().StartWith("Basic ");
        });
    }

    [Fact]
    public async Task SetStock_WithAVariationIdOfZero_IsRefusedNamingTheField_BeforeAnyRequest()
    {
        var write = () => Connector.SetStock.ExecuteAsync(new WooStockUpdate(22, 3) { VariationId = 0 }, new WriteContext("s", "k", "t", "key", 1, false));

        (await write.Should().ThrowAsync<ArgumentException>()).WithMessage("*VariationId*");
        _server.LogEntries.Should().BeEmpty();
    }

    [Fact]
    public async Task GetStock_OfAVariationSku_AsksProductsBySku_ThenTheVariableProductsVariations()
    {
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/products").WithParam("sku", "SHIRT-L").UsingGet()).RespondWith(Page());
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/products").WithParam("type", "variable").UsingGet())
            .RespondWith(Page("""{"id":21,"type":"variable","variations":[700]}""", """{"id":22,"type":"variable","variations":[733]}"""));
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/products/21/variations").UsingGet()).RespondWith(Page());
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/products/22/variations").UsingGet())
            .RespondWith(Page("""{"id":733,"sku":"SHIRT-L","manage_stock":"parent","stock_quantity":4}"""));

        var stock = await Store.GetStockAsync("SHIRT-L");

        stock.Should().Be(4);
        var requests = _server.LogEntries.Select(e => e.RequestMessage!).ToList();
        requests.Select(r => r.Path).Should().Equal(
            "/wp-json/wc/v3/products", "/wp-json/wc/v3/products", "/wp-json/wc/v3/products/21/variations", "/wp-json/wc/v3/products/22/variations");
        requests[0].Query!["sku"].Should().Equal("SHIRT-L");
        requests[1].Query!["type"].Should().Equal("variable");
        requests[1].Query.Should().NotContainKey("sku");
        requests[2].Query!["sku"].Should().Equal("SHIRT-L");
    }

    [Fact]
    public async Task GetStock_OfAProductWhoseStockIsNotManaged_IsNull()
    {
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/products").WithParam("sku", "GIFT").UsingGet())
            .RespondWith(Page("""{"id":5,"sku":"GIFT","manage_stock":false,"stock_quantity":null}"""));

        (await Store.GetStockAsync("GIFT")).Should().BeNull();
        _server.LogEntries.Should().ContainSingle();
    }

    [Theory]
    [InlineData(404, true)] // the store refuses this order's refunds: that order alone is set aside
    [InlineData(503, false)] // a failure that may pass stops the read; the next run resumes at that order
    public async Task StoreOrders_InASync_AnOrderWhoseRefundsTheStoreRefuses_IsDeadLetteredAlone_WhileATransientFailureStopsTheRun(int status, bool deadLettered)
    {
        var broken = RefundedOrder.Replace("\"id\":802,\"number\":\"802\"", "\"id\":803,\"number\":\"803\"", StringComparison.Ordinal)
            .Replace("2026-12-06T08:00:00", "2026-12-05T12:00:00", StringComparison.Ordinal);
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/orders").UsingGet()).RespondWith(Page(PlainOrder, broken, RefundedOrder));
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/orders/803/refunds").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json")
                .WithBody("""{"code":"woocommerce_rest_shop_order_invalid_id","message":"Invalid ID.","data":{"status":404}}"""));
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/orders/802/refunds").UsingGet()).RespondWith(Page(NewerRefund, OlderRefund));
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/products/93").UsingGet()).RespondWith(Json("""{"id":93,"name":"Mug","categories":[]}"""));
        _server.Given(Request.Create().WithPath("/wp-json/wc/v3/products/22").UsingGet()).RespondWith(Json("""{"id":22,"name":"Shirt","categories":[]}"""));
        var booked = new List<string>();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddIntegrations()
            .AddWooCommerce(o => (o.StoreUrl, o.ConsumerKey, o.ConsumerSecret) = (new Uri(_server.Url! + "/"), Key, Secret))
            .AddSync<StoreOrder>("woo-books", s => s
                .FromIncremental(sp => sp.GetRequiredKeyedService<IStoreConnector>(WooCommerceConnector.ConnectorName).Orders)
                .Key(o => "order:" + o.Id)
                .Step("book", WriteSafety.NaturalUpsert, (o, _, _) =>
                {
                    booked.Add(o.Id);
                    return Task.FromResult(o.Id);
                }));
        services.PostConfigure<ConnectorHttpOptions>(WooCommerceConnector.ConnectorName, o => o.MaxRetryAttempts = 0);
        await using var host = services.BuildServiceProvider();

        var report = await host.GetRequiredService<ISyncRunner>().RunAsync("woo-books");

        var letters = await host.GetRequiredService<IDeadLetterStore>().ListAsync("woo-books");
        if (deadLettered)
        {
            report.Summary.Status.Should().Be(RunStatus.Succeeded);
            booked.Should().Equal("801", "802");
            report.Summary.DeadLettered.Should().Be(1);
            var letter = letters.Should().ContainSingle().Subject;
            letter.Reason.Should().Contain("refunds of order 803 (#803) could not be read").And.Contain("404");
            letter.Payload.Should().Contain("\"id\":803", "the order is kept as read");
            report.Summary.CheckpointAfter.Should().Be("2026-12-06T08:00:00Z|802");
        }
        else
        {
            report.Summary.Status.Should().Be(RunStatus.Failed);
            booked.Should().Equal("801");
            letters.Should().BeEmpty("a failure that may pass is not the order's fault");
        }
    }

    private const string PlainOrder = """
        {"id":801,"number":"801","status":"completed","currency":"GBP","created_via":"checkout","prices_include_tax":false,
         "date_created_gmt":"2026-12-05T09:00:00","date_modified_gmt":"2026-12-05T09:00:00","total":"12.00","total_tax":"0.00","customer_id":0,
         "billing":{"email":""},"line_items":[{"id":900,"name":"Mug","product_id":93,"variation_id":0,"quantity":1,"subtotal":"12.00","subtotal_tax":"0.00","total":"12.00","total_tax":"0.00","taxes":[],"sku":"MUG-1","price":12}],
         "tax_lines":[],"shipping_lines":[],"fee_lines":[],"coupon_lines":[],"refunds":[]}
        """;

    // Prices include tax: WooCommerce's subtotal/total are still without it (36.00 with 20 % VAT is 30.00 + 6.00).
    private const string RefundedOrder = """
        {"id":802,"number":"802","status":"processing","currency":"GBP","created_via":"admin","prices_include_tax":true,
         "date_created_gmt":"2026-12-05T10:00:00","date_modified_gmt":"2026-12-06T08:00:00","date_paid_gmt":"2026-12-05T10:00:00",
         "discount_total":"3.00","discount_tax":"0.60","shipping_total":"5.00","shipping_tax":"1.00","cart_tax":"7.07","total":"48.40","total_tax":"8.07",
         "customer_id":26,"billing":{"first_name":"Jo","last_name":"Park","email":"jo@example.com"},
         "line_items":[
           {"id":901,"name":"Mug","product_id":93,"variation_id":0,"quantity":3,"tax_class":"","subtotal":"30.00","subtotal_tax":"6.00","total":"27.00","total_tax":"5.40",
            "taxes":[{"id":75,"total":"5.4","subtotal":"6"}],"meta_data":[{"id":1,"key":"_reduced_stock","value":"1"},{"id":2,"key":"_restock_refunded_items","value":"2"}],"sku":"MUG-1","price":9},
           {"id":902,"name":"Shirt - L","product_id":22,"variation_id":733,"quantity":1,"tax_class":"","subtotal":"8.33","subtotal_tax":"1.67","total":"8.33","total_tax":"1.67",
            "taxes":[{"id":75,"total":"1.67","subtotal":"1.67"}],"meta_data":[],"sku":"SHIRT-L","price":8.33}],
         "tax_lines":[{"id":960,"rate_code":"GB-VAT-1","rate_id":75,"label":"VAT","compound":false,"tax_total":"7.07","shipping_tax_total":"1.00","rate_percent":20,"meta_data":[]}],
         "shipping_lines":[{"id":903,"method_title":"Flat rate","method_id":"flat_rate","total":"5.00","total_tax":"1.00","taxes":[{"id":75,"total":"1","subtotal":""}],"meta_data":[]}],
         "fee_lines":[],"coupon_lines":[{"id":904,"code":"spring","discount":"3.00","discount_tax":"0.60","meta_data":[]}],
         "refunds":[{"id":951,"reason":"damaged","total":"-27.60"},{"id":950,"reason":"","total":"-10.80"}]}
        """;

    // Listed newest first, as WooCommerce lists them; lines and shipping negative, each naming the order line it refunds.
    private const string NewerRefund = """
        {"id":951,"date_created_gmt":"2026-12-06T08:00:00","amount":"27.60","reason":"damaged","refunded_payment":false,
         "line_items":[{"id":970,"name":"Mug","product_id":93,"variation_id":0,"quantity":-2,"subtotal":"-18.00","subtotal_tax":"-3.60","total":"-18.00","total_tax":"-3.60",
           "taxes":[{"id":75,"total":"-3.6","subtotal":"-3.6"}],"meta_data":[{"id":5,"key":"_refunded_item_id","value":"901"}],"sku":"MUG-1","price":-9}],
         "shipping_lines":[{"id":971,"method_title":"Flat rate","method_id":"flat_rate","total":"-5.00","total_tax":"-1.00","taxes":[{"id":75,"total":"-1","subtotal":""}],
           "meta_data":[{"id":6,"key":"_refunded_item_id","value":"903"}]}]}
        """;

    private const string OlderRefund = """
        {"id":950,"date_created_gmt":"2026-12-06T07:00:00","amount":"10.80","reason":"","refunded_payment":false,
         "line_items":[{"id":980,"name":"Mug","product_id":93,"variation_id":0,"quantity":-1,"subtotal":"-9.00","subtotal_tax":"-1.80","total":"-9.00","total_tax":"-1.80",
           "taxes":[{"id":75,"total":"-1.8","subtotal":"-1.8"}],"meta_data":[{"id":7,"key":"_refunded_item_id","value":"901"}],"sku":"MUG-1","price":-9}],
         "shipping_lines":[]}
        """;

    private static IResponseBuilder Page(params string[] items) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
            .WithHeader("X-WP-Total", items.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithHeader("X-WP-TotalPages", "1")
            .WithBody("[" + string.Join(',', items) + "]");

    private static IResponseBuilder Json(string body) => Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body);
}
