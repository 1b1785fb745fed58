using Integrations.Sdk.Connectors;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.Shopify.Tests.Support;
using Integrations.Sdk.State;
using Integrations.Sdk.Stores;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static Integrations.Sdk.Shopify.Tests.Support.GraphQlJson;

namespace Integrations.Sdk.Shopify.Tests;

/// <summary>
/// The store fields of the orders query against a fake Shopify (WireMock): what the query selects, the refunds
/// follow-up it sends only for orders with refunds, and how Shopify's answer maps to the store model.
/// </summary>
public sealed class ShopifyStoreQueryTests : IDisposable
{
    private const string OrderId = "gid://shopify/Order/5001";

    private readonly WireMockServer _server = WireMockServer.Start();

    public void Dispose() => _server.Stop();

    private IRequestBuilder GraphQl(string operation) => Request.Create()
        .WithPath(GraphQlPath)
        .UsingPost()
        .WithBody(new WildcardMatcher($"*\"operationName\":\"{operation}\"*"));

    private void Answer(string operation, string body) =>
        _server.Given(GraphQl(operation)).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body));

    private ServiceProvider Build() =>
        ShopifyTestHost.Build(new Uri(_server.Url! + "/"), ShopifyTestHost.Clock(), http: o => o.RateLimit = new RateLimitOptions { PermitsPerWindow = 10_000 });

    /// <summary>An order in CAD (shop: USD), taxes included, with a discounted taxed line, taxed shipping and a refund.</summary>
    private static string StoreOrder(long id, bool refunded) => $$"""
        {
          "id": "gid://shopify/Order/{{id}}", "name": "#1001", "email": "bob@example.com",
          "createdAt": "2026-11-27T09:00:00Z", "updatedAt": "2026-11-27T10:00:00Z",
          "displayFinancialStatus": "{{(refunded ? "PARTIALLY_REFUNDED" : "PAID")}}", "currencyCode": "USD", "presentmentCurrencyCode": "CAD",
          "taxesIncluded": true, "tags": ["wholesale", "b2b"], "sourceName": "pos", "discountCodes": ["WELCOME"],
          "totalPriceSet": { "shopMoney": { "amount": "80.00", "currencyCode": "USD" }, "presentmentMoney": { "amount": "110.00" } },
          "totalTaxSet": { "presentmentMoney": { "amount": "14.35" } },
          "customer": { "id": "gid://shopify/Customer/77", "firstName": "Bob", "lastName": "Stone", "defaultEmailAddress": { "emailAddress": "bob@example.com" } },
          "shippingLines": { "nodes": [ {
            "title": "Express", "originalPriceSet": { "presentmentMoney": { "amount": "15.00" } },
            "discountAllocations": [ { "allocatedAmountSet": { "presentmentMoney": { "amount": "5.00" } } } ],
            "taxLines": [ { "title": "HST", "rate": 0.13, "priceSet": { "presentmentMoney": { "amount": "1.15" } } } ] } ] },
          "refunds": [{{(refunded ? "{ \"id\": \"gid://shopify/Refund/801\" }" : "")}}],
          "lineItems": { "pageInfo": { "hasNextPage": false, "endCursor": "l1" }, "nodes": [ {
            "id": "gid://shopify/LineItem/601", "sku": "JKT-1", "title": "Jacket", "quantity": 2,
            "originalUnitPriceSet": { "shopMoney": { "amount": "36.36", "currencyCode": "USD" }, "presentmentMoney": { "amount": "50.00" } },
            "variant": { "id": "gid://shopify/ProductVariant/4001", "inventoryItem": { "id": "gid://shopify/InventoryItem/9001" } },
            "product": { "productType": "Outerwear" },
            "taxLines": [ { "title": "HST", "rate": 0.13, "priceSet": { "presentmentMoney": { "amount": "13.20" } } } ],
            "discountAllocations": [ { "allocatedAmountSet": { "presentmentMoney": { "amount": "1.00" } } }, { "allocatedAmountSet": { "presentmentMoney": { "amount": "2.00" } } } ] } ] }
        }
        """;

    private static string Refunds(int count) => Data("{\"order\":{\"refunds\":[" + string.Join(',', Enumerable.Range(0, count).Select(i => $$"""
        {
          "id": "gid://shopify/Refund/{{801 + i}}", "createdAt": "2026-11-27T10:00:00Z", "note": "damaged",
          "totalRefundedSet": { "presentmentMoney": { "amount": "62.15" } },
          "refundLineItems": { "pageInfo": { "hasNextPage": false, "endCursor": "r1" }, "nodes": [ {
            "lineItem": { "id": "gid://shopify/LineItem/601", "sku": "JKT-1" }, "quantity": 1, "restockType": "RETURN",
            "subtotalSet": { "presentmentMoney": { "amount": "48.50" } }, "totalTaxSet": { "presentmentMoney": { "amount": "5.58" } } } ] },
          "refundShippingLines": { "nodes": [ { "subtotalAmountSet": { "presentmentMoney": { "amount": "8.05" } }, "taxAmountSet": { "presentmentMoney": { "amount": "0.93" } } } ] }
        }
        """)) + "]}}");

    [Fact]
    public async Task Orders_SelectTheStoreFields_AndReadRefundsOnlyForOrdersThatHaveThem()
    {
        Answer("OrdersUpdatedSince", OrdersPage(false, "c1", StoreOrder(5001, refunded: true), StoreOrder(5002, refunded: false)));
        Answer("OrderRefunds", Refunds(1));
        await using var sp = Build();

        var orders = await ShopifyTestHost.ToListAsync(sp.GetRequiredService<ShopifyConnector>().Orders.ReadAsync(null));

        orders.Should().HaveCount(2);
        _server.LogEntries.Should().HaveCount(2, "one orders page, then the refunds of the one order whose refunds probe is not empty");
        var query = Text(Body(_server.LogEntries[0])["query"]);
        query.Should()
            .Contain("id name email createdAt updatedAt displayFinancialStatus currencyCode presentmentCurrencyCode taxesIncluded tags sourceName discountCodes")
            .And.Contain("totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount } }")
            .And.Contain("totalTaxSet { presentmentMoney { amount } }")
            .And.Contain("shippingLines(first: 2)")
            .And.Contain("title originalPriceSet { presentmentMoney { amount } }")
            .And.Contain("taxLines { title rate priceSet { presentmentMoney { amount } } }")
            .And.Contain("refunds(first: 1) { id }")
            .And.Contain("id sku title quantity")
            .And.Contain("product { productType }")
            .And.Contain("taxLines(first: 4) { title rate priceSet { presentmentMoney { amount } } }")
            .And.Contain("discountAllocations { allocatedAmountSet { presentmentMoney { amount } } }");
        var refunds = Body(_server.LogEntries[1]);
        Text(refunds["operationName"]).Should().Be("OrderRefunds");
        Text(refunds["variables"]!["id"]).Should().Be(OrderId);
        Text(refunds["query"]).Should().Contain("order(id: $id)")
            .And.Contain("refunds(first: 6)")
            .And.Contain("id createdAt note")
            .And.Contain("totalRefundedSet { presentmentMoney { amount } }")
            .And.Contain("refundLineItems(first: 20)")
            .And.Contain("nodes { lineItem { id sku } quantity restockType subtotalSet { presentmentMoney { amount } } totalTaxSet { presentmentMoney { amount } } }")
            .And.Contain("refundShippingLines(first: 2) { nodes { subtotalAmountSet { presentmentMoney { amount } } taxAmountSet { presentmentMoney { amount } } } }");

        var native = orders[0].Value;
        native.Refunds.Should().ContainSingle().Which.Should().BeEquivalentTo(new ShopifyRefund
        {
            Id = "gid://shopify/Refund/801",
            CreatedAt = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero),
            Note = "damaged",
            TotalRefunded = 62.15m,
            RefundLineItems = [new ShopifyRefundLineItem { LineItemId = "gid://shopify/LineItem/601", Sku = "JKT-1", Quantity = 1, RestockType = "RETURN", Subtotal = 48.50m, TotalTax = 5.58m }],
            Shipping = 8.05m,
            ShippingTax = 0.93m,
        });
        orders[1].Value.Refunds.Should().BeEmpty();
    }

    [Fact]
    public async Task StoreModel_MapsShopifysAnswer_PresentmentMoneyRateAndTaxInclusiveRefunds()
    {
        Answer("OrdersUpdatedSince", OrdersPage(false, "c1", StoreOrder(5001, refunded: true)));
        Answer("OrderRefunds", Refunds(1));
        await using var sp = Build();

        var order = (await ShopifyTestHost.ToListAsync(sp.GetRequiredKeyedService<IStoreConnector>("shopify").Orders.ReadAsync(null))).Single().Value;

        order.Should().BeEquivalentTo(
            new StoreOrder
            {
                Platform = "shopify",
                Id = "5001",
                Number = "1001",
                CreatedAt = new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero),
                UpdatedAt = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero),
                Currency = "CAD",
                ExchangeRate = 0.7273m, // 80.00 / 110.00 = 0.7272…, at the fewest decimals that turn 110.00 back into 80.00 (0.73 gives 80.30)
                StoreCurrency = "USD", // the shop's currency, the one the rate is in (not the customer's CAD)
                PaymentStatus = StorePaymentStatus.PartiallyRefunded,
                PricesIncludeTax = true,
                Email = "bob@example.com",
                Customer = new StoreCustomer { Id = "77", Email = "bob@example.com", FirstName = "Bob", LastName = "Stone" },
                Lines = [new StoreOrderLine { Id = "601", Sku = "JKT-1", Title = "Jacket", ProductType = "Outerwear", Quantity = 2, UnitPrice = 50.00m, Discount = 3.00m, Taxes = [new StoreTaxLine("HST", 0.13m, 13.20m)] }],
                ShippingLines = [new StoreShippingLine { Title = "Express", Amount = 15.00m, Discount = 5.00m, Taxes = [new StoreTaxLine("HST", 0.13m, 1.15m)] }],
                Discounts = [new StoreDiscount("WELCOME", 8.00m)],
                Refunds =
                [
                    new StoreRefund
                    {
                        Id = "801",
                        CreatedAt = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero),
                        // Taxes included: Shopify's subtotals carry the tax (48.50 and 8.05); the model's are without it.
                        Lines = [new StoreRefundLine { LineId = "601", Sku = "JKT-1", Quantity = 1, Subtotal = 42.92m, Tax = 5.58m, Restock = true }],
                        Shipping = 7.12m,
                        ShippingTax = 0.93m,
                        Amount = 62.15m,
                        Reason = "damaged",
                    },
                ],
                TotalTax = 14.35m,
                Total = 110.00m,
                Channel = "pos",
                Tags = ["wholesale", "b2b"],
            },
            o => o.Excluding(x => x.Native).WithStrictOrdering());
        order.Native.Should().BeOfType<ShopifyOrder>().Which.Id.Should().Be(OrderId);
    }

    [Fact]
    public async Task StoreOrders_InASync_AnOrderWithMoreRefundsThanOneQueryReads_IsDeadLetteredAlone_AndTheOthersAreBooked()
    {
        Answer("OrdersUpdatedSince", OrdersPage(false, "c1", StoreOrder(5001, refunded: false), StoreOrder(5002, refunded: true), StoreOrder(5003, refunded: false)));
        Answer("OrderRefunds", Refunds(6));
        var booked = new List<string>();
        await using var sp = ShopifyTestHost.Build(new Uri(_server.Url! + "/"), ShopifyTestHost.Clock(),
            http: o => o.RateLimit = new RateLimitOptions { PermitsPerWindow = 10_000 },
            integrations: i => i.AddSync<StoreOrder>("shopify-books", s => s
                .FromIncremental(p => p.GetRequiredKeyedService<IStoreConnector>(ShopifyConnector.ConnectorName).Orders)
                .Key(o => "order:" + o.Id)
                .Step("book", WriteSafety.NaturalUpsert, (o, _, _) =>
                {
                    booked.Add(o.Id);
                    return Task.FromResult(o.Id);
                })));

        var report = await sp.GetRequiredService<ISyncRunner>().RunAsync("shopify-books");

        report.Summary.Status.Should().Be(RunStatus.Succeeded, "one order's refunds must not stall the sync");
        booked.Should().Equal("5001", "5003");
        report.Summary.DeadLettered.Should().Be(1);
        var letter = (await sp.GetRequiredService<IDeadLetterStore>().ListAsync("shopify-books")).Should().ContainSingle().Subject;
        letter.Reason.Should().Contain("too_many_refunds").And.Contain("order gid://shopify/Order/5002 has more than 5 refunds");
        letter.Payload.Should().Contain("gid://shopify/Order/5002", "the order is kept as read");
        report.Summary.CheckpointAfter.Should().Be("2026-11-27T10:00:00.0000000Z", "the read went on past the order set aside");
    }

    [Fact]
    public async Task Orders_WithMoreRefundsThanOneQueryReads_FailSayingSo()
    {
        Answer("OrdersUpdatedSince", OrdersPage(false, "c1", StoreOrder(5001, refunded: true)));
        Answer("OrderRefunds", Refunds(6));
        await using var sp = Build();

        var act = () => ShopifyTestHost.ToListAsync(sp.GetRequiredService<ShopifyConnector>().Orders.ReadAsync(null));

        var thrown = await act.Should().ThrowAsync<PlatformException>();
        thrown.Which.ErrorCode.Should().Be("too_many_refunds");
        thrown.WithMessage("*order gid://shopify/Order/5001 has more than 5 refunds*not read short*");
    }
}
