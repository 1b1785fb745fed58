using Integrations.Sdk.Shopify.Tests.Support;
using Integrations.Sdk.Stores;
using Integrations.Sdk.Testing.Commerce;
using Integrations.Sdk.Testing.Shopify;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.Shopify.Tests;

/// <summary>
/// Shopify through the store category model (<see cref="IStoreConnector"/>), read from the simulator over loopback:
/// sales with taxes, shipping, discounts and a foreign currency, tax-inclusive prices, partial and full refunds with
/// and without restock, and the stock they move.
/// </summary>
public sealed class ShopifyStoreModelTests : IAsyncLifetime
{
    private static readonly DateTimeOffset SoldAt = ShopifyTestHost.Start.AddDays(-2);

    private readonly FakeTimeProvider _shopClock = new(ShopifyTestHost.Start);
    private readonly ShopifySimulator _shop;

    public ShopifyStoreModelTests()
    {
        _shop = new ShopifySimulator(new ShopifySimulatorOptions { MaximumAvailable = 1_000_000, CurrencyCode = "USD" }, _shopClock);
        _shop.AddProduct("TEE-1", "Tee", 20m, available: 50, productType: "Apparel");
        _shop.AddProduct("MUG-1", "Mug", 12m, available: 30, productType: "Homeware");
    }

    public Task InitializeAsync() => _shop.StartAsync();

    public async Task DisposeAsync() => await _shop.DisposeAsync();

    private ServiceProvider Connect() => ShopifyTestHost.Build(_shop.BaseAddress, TimeProvider.System, http: ShopifyTestHost.FastTransport, token: _shop.Options.AccessToken);

    /// <summary>EUR at 1.1 USD, taxes on top: 2 tees with a 10 % code, a mug, taxed shipping.</summary>
    private static SimulatedSale EuroSale => new()
    {
        Email = "ana@example.com",
        FirstName = "Ana",
        LastName = "Lima",
        Lines =
        [
            new SimulatedSaleLine("TEE-1", 2, 18.00m, Discount: 3.60m, Tax: 3.24m, TaxRate: 0.1m, TaxTitle: "VAT"),
            new SimulatedSaleLine("MUG-1", 1, 11.00m, Tax: 1.10m, TaxRate: 0.1m, TaxTitle: "VAT"),
        ],
        Shipping = 5.00m,
        ShippingTax = 0.50m,
        Currency = "EUR",
        ExchangeRate = 1.1m,
        DiscountCode = "TENOFF",
        Tags = ["vip", "eu"],
        Channel = "web",
        CreatedAt = SoldAt,
    };

    /// <summary>GBP at 1.25 USD, 20 % VAT included in the prices, sold in the shop (pos).</summary>
    private static SimulatedSale PoundSale => new()
    {
        Email = "bea@example.com",
        Lines = [new SimulatedSaleLine("TEE-1", 3, 24.00m, Tax: 12.00m, TaxRate: 0.2m, TaxTitle: "VAT")],
        Shipping = 6.00m,
        ShippingTax = 1.00m,
        PricesIncludeTax = true,
        Currency = "GBP",
        ExchangeRate = 1.25m,
        Channel = "pos",
        CreatedAt = SoldAt.AddMinutes(10),
    };

    [Fact]
    public async Task Sale_WithTaxShippingDiscountAndForeignCurrency_ReadsAsTheStoreModelShowsIt()
    {
        var id = _shop.AddSale(EuroSale);
        await using var sp = Connect();
        var store = sp.GetRequiredKeyedService<IStoreConnector>(ShopifyConnector.ConnectorName);

        var order = (await ShopifyTestHost.ToListAsync(store.Orders.ReadAsync(null))).Single().Value;

        var simulated = _shop.Orders.Single();
        var customer = _shop.Customers.Single(c => c.Email == "ana@example.com");
        var lines = simulated.LineItems;
        order.Should().BeEquivalentTo(
            new StoreOrder
            {
                Platform = "shopify",
                Id = id,
                Number = "1001",
                CreatedAt = SoldAt,
                UpdatedAt = SoldAt,
                Currency = "EUR",
                ExchangeRate = 1.1m,
                StoreCurrency = "USD",
                PaymentStatus = StorePaymentStatus.Paid,
                PricesIncludeTax = false,
                Email = "ana@example.com",
                Customer = new StoreCustomer { Id = customer.Id[(customer.Id.LastIndexOf('/') + 1)..], Email = "ana@example.com", FirstName = "Ana", LastName = "Lima" },
                Lines =
                [
                    new StoreOrderLine
                    {
                        Id = lines[0].Id[(lines[0].Id.LastIndexOf('/') + 1)..], Sku = "TEE-1", Title = "Tee", ProductType = "Apparel", Quantity = 2, UnitPrice = 18.00m,
                        Discount = 3.60m, Taxes = [new StoreTaxLine("VAT", 0.1m, 3.24m)],
                    },
                    new StoreOrderLine
                    {
                        Id = lines[1].Id[(lines[1].Id.LastIndexOf('/') + 1)..], Sku = "MUG-1", Title = "Mug", ProductType = "Homeware", Quantity = 1, UnitPrice = 11.00m,
                        Discount = 0m, Taxes = [new StoreTaxLine("VAT", 0.1m, 1.10m)],
                    },
                ],
                ShippingLines = [new StoreShippingLine { Title = "Standard shipping", Amount = 5.00m, Discount = 0m, Taxes = [new StoreTaxLine("VAT", 0.1m, 0.50m)] }],
                Discounts = [new StoreDiscount("TENOFF", 3.60m)],
                Refunds = [],
                TotalTax = 4.84m,
                Total = 53.24m, // 36 − 3.60 + 11 + 5 + 4.84
                Channel = "web",
                Tags = ["vip", "eu"],
            },
            o => o.Excluding(x => x.Native).WithStrictOrdering());
        var native = order.Native.Should().BeOfType<ShopifyOrder>().Subject;
        native.Id.Should().Be("gid://shopify/Order/" + id);
        native.CurrencyCode.Should().Be("USD");
        native.TotalPrice.Should().Be(58.56m, "the shop money is the presentment total × 1.1, rounded to the cent");
        native.LineItems[0].UnitPrice.Should().Be(19.80m);
        native.LineItems[0].PresentmentUnitPrice.Should().Be(18.00m);
    }

    [Fact]
    public async Task Sale_TakesStockAndStoreReadsIt_CancelledSaleDoesNot()
    {
        _shop.AddSale(EuroSale);
        _shop.AddSale(EuroSale with { Status = "cancelled", CreatedAt = SoldAt.AddMinutes(1) });
        await using var sp = Connect();
        var store = sp.GetRequiredKeyedService<IStoreConnector>(ShopifyConnector.ConnectorName);

        _shop.StockOf("TEE-1").Should().Be(48);
        (await store.GetStockAsync("TEE-1")).Should().Be(48m);
        (await store.GetStockAsync("MUG-1")).Should().Be(29m);
        (await store.GetStockAsync("NOPE-1")).Should().BeNull();
        _shop.StockOf("NOPE-1").Should().BeNull();
        var orders = await ShopifyTestHost.ToListAsync(store.Orders.ReadAsync(null));
        orders.Select(o => o.Value.PaymentStatus).Should().Equal(StorePaymentStatus.Paid, StorePaymentStatus.Voided);
        orders.Select(o => o.Value.Number).Should().Equal("1001", "1002");
    }

    [Fact]
    public async Task Refunds_PartialWithRestockThenFullWithout_ReadAgainWithTheirLinesAndStock()
    {
        var id = _shop.AddSale(PoundSale);
        await using var sp = Connect();
        var store = sp.GetRequiredKeyedService<IStoreConnector>(ShopifyConnector.ConnectorName);
        var sold = (await ShopifyTestHost.ToListAsync(store.Orders.ReadAsync(null))).Single();
        sold.Value.Should().Match<StoreOrder>(o => o.PricesIncludeTax && o.Total == 78.00m && o.TotalTax == 13.00m && o.ExchangeRate == 1.25m && o.Currency == "GBP"
            && o.Channel == "pos" && o.Discounts.Count == 0 && o.Tags.Count == 0 && o.Lines.Single().UnitPrice == 24.00m);
        sold.Value.ShippingLines.Single().Should().BeEquivalentTo(new StoreShippingLine { Title = "Standard shipping", Amount = 6.00m, Taxes = [new StoreTaxLine("VAT", 0.2m, 1.00m)] });
        _shop.StockOf("TEE-1").Should().Be(47);

        _shopClock.SetUtcNow(ShopifyTestHost.Start.AddMinutes(1));
        var partial = _shop.AddRefund(id, new SimulatedSaleRefund
        {
            Lines = [new SimulatedSaleRefundLine("TEE-1", 1, Subtotal: 20.00m, Tax: 4.00m, Restock: true)],
            Reason = "wrong size",
            CreatedAt = ShopifyTestHost.Start.AddMinutes(1),
        });
        var afterPartial = (await ShopifyTestHost.ToListAsync(store.Orders.ReadAsync(sold.Checkpoint))).Single().Value;
        (await store.GetStockAsync("TEE-1")).Should().Be(48m, "the restocked tee is back");

        _shopClock.SetUtcNow(ShopifyTestHost.Start.AddMinutes(2));
        var full = _shop.AddRefund(id, new SimulatedSaleRefund
        {
            Lines = [new SimulatedSaleRefundLine("TEE-1", 2, Subtotal: 40.00m, Tax: 8.00m, Restock: false)],
            Shipping = 5.00m,
            ShippingTax = 1.00m,
            CreatedAt = ShopifyTestHost.Start.AddMinutes(2),
        });
        var afterFull = await store.GetOrderAsync(id);

        var lineId = sold.Value.Lines.Single().Id;
        var first = new StoreRefund
        {
            Id = partial,
            CreatedAt = ShopifyTestHost.Start.AddMinutes(1),
            Lines = [new StoreRefundLine { LineId = lineId, Sku = "TEE-1", Quantity = 1, Subtotal = 20.00m, Tax = 4.00m, Restock = true }],
            Shipping = 0m,
            ShippingTax = 0m,
            Amount = 24.00m,
            Reason = "wrong size",
        };
        afterPartial.PaymentStatus.Should().Be(StorePaymentStatus.PartiallyRefunded);
        afterPartial.UpdatedAt.Should().Be(ShopifyTestHost.Start.AddMinutes(1), "a refund moves updatedAt, so an incremental read sees the order again");
        afterPartial.Refunds.Should().BeEquivalentTo([first], o => o.WithStrictOrdering());

        afterFull!.PaymentStatus.Should().Be(StorePaymentStatus.Refunded, "everything charged (78.00) is refunded");
        afterFull.UpdatedAt.Should().Be(ShopifyTestHost.Start.AddMinutes(2));
        afterFull.Refunds.Should().BeEquivalentTo(
            [
                first,
                new StoreRefund
                {
                    Id = full,
                    CreatedAt = ShopifyTestHost.Start.AddMinutes(2),
                    Lines = [new StoreRefundLine { LineId = lineId, Sku = "TEE-1", Quantity = 2, Subtotal = 40.00m, Tax = 8.00m, Restock = false }],
                    Shipping = 5.00m,
                    ShippingTax = 1.00m,
                    Amount = 54.00m,
                    Reason = null,
                },
            ],
            o => o.WithStrictOrdering());
        afterFull.Should().BeEquivalentTo(sold.Value, o => o.Excluding(x => x.Native).Excluding(x => x.Refunds).Excluding(x => x.UpdatedAt).Excluding(x => x.PaymentStatus));
        (await store.GetStockAsync("TEE-1")).Should().Be(48m, "goods refunded without restock stay out of stock");
        _shop.StockOf("TEE-1").Should().Be(48);
    }

    [Fact]
    public async Task Lookups_ThroughTheStoreModel_FindTheOrderAndTheCustomer_OrNothing()
    {
        var id = _shop.AddSale(EuroSale);
        await using var sp = Connect();
        var store = sp.GetRequiredKeyedService<IStoreConnector>(ShopifyConnector.ConnectorName);

        store.Should().BeSameAs(sp.GetRequiredService<ShopifyConnector>());
        store.Platform.Should().Be("shopify");
        (await store.GetOrderAsync(id)).Should().BeEquivalentTo((await ShopifyTestHost.ToListAsync(store.Orders.ReadAsync(null))).Single().Value, o => o.Excluding(x => x.Native));
        (await store.GetOrderAsync("999999")).Should().BeNull();
        var act = () => store.GetOrderAsync("#1001");
        (await act.Should().ThrowAsync<ArgumentException>()).WithMessage("*'#1001' is not a Shopify order id*");
        (await store.FindCustomerByEmailAsync("ANA@example.com")).Should().BeEquivalentTo(new StoreCustomer
        {
            Id = _shop.Customers.Single().Id.Split('/')[^1], Email = "ana@example.com", FirstName = "Ana", LastName = "Lima",
        });
        (await store.FindCustomerByEmailAsync("nobody@example.com")).Should().BeNull();
    }

    [Fact]
    public async Task SaveAndLoad_KeepsSalesRefundsAndStock()
    {
        var id = _shop.AddSale(PoundSale);
        _shop.AddRefund(id, new SimulatedSaleRefund
        {
            Lines = [new SimulatedSaleRefundLine("TEE-1", 1, Subtotal: 20.00m, Tax: 4.00m, Restock: true)],
            CreatedAt = ShopifyTestHost.Start,
        });
        var path = Path.Combine(Path.GetTempPath(), $"shopify-store-{Guid.NewGuid():N}.json");
        try
        {
            await _shop.SaveAsync(path);
            await using var loaded = await ShopifySimulator.LoadAsync(path, _shopClock);
            await loaded.StartAsync();
            await using var before = Connect();
            await using var after = ShopifyTestHost.Build(loaded.BaseAddress, TimeProvider.System, http: ShopifyTestHost.FastTransport, token: loaded.Options.AccessToken);

            var original = await before.GetRequiredKeyedService<IStoreConnector>("shopify").GetOrderAsync(id);
            var reloaded = await after.GetRequiredKeyedService<IStoreConnector>("shopify").GetOrderAsync(id);

            reloaded.Should().BeEquivalentTo(original, o => o.Excluding(x => x!.Native));
            reloaded!.Refunds.Should().ContainSingle();
            loaded.StockOf("TEE-1").Should().Be(_shop.StockOf("TEE-1")).And.Be(48);
            loaded.AddSale(PoundSale with { CreatedAt = SoldAt.AddHours(1) }).Should().NotBe(id);
            loaded.Orders.Select(o => o.Name).Should().Equal("#1002", "#1001"); // by updatedAt: the refund moved #1001 later
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("OrdersUpdatedSince")]
    [InlineData("OrderById")]
    [InlineData("OrderLineItems")]
    [InlineData("OrderRefunds")]
    public async Task ConnectorQueries_AsTheSimulatorCostsThem_StayWithinShopifysLimitAndTheConnectorsEstimate(string operation)
    {
        var id = "gid://shopify/Order/" + _shop.AddSale(EuroSale);
        var options = new ShopifyOptions();
        var (document, variables, estimate) = operation switch
        {
            "OrdersUpdatedSince" => (GraphQl.ShopifyOperations.OrdersDocument,
                new System.Text.Json.Nodes.JsonObject { ["first"] = options.OrdersPageSize, ["lineItemsFirst"] = options.OrderLineItemsPageSize }, options.OrdersQueryCost),
            "OrderById" => (GraphQl.ShopifyOperations.OrderByIdDocument,
                new System.Text.Json.Nodes.JsonObject { ["id"] = id, ["lineItemsFirst"] = options.OrderLineItemsPageSize },
                GraphQl.ShopifyOperations.OrderCostWithoutLines + (GraphQl.ShopifyOperations.LineItemCost * options.OrderLineItemsPageSize)),
            "OrderLineItems" => (GraphQl.ShopifyOperations.OrderLineItemsDocument,
                new System.Text.Json.Nodes.JsonObject { ["id"] = id, ["first"] = GraphQl.ShopifyOperations.LineItemsFollowUpPageSize },
                1 + 3 + (GraphQl.ShopifyOperations.LineItemCost * GraphQl.ShopifyOperations.LineItemsFollowUpPageSize)),
            _ => (GraphQl.ShopifyOperations.OrderRefundsDocument, new System.Text.Json.Nodes.JsonObject { ["id"] = id }, 831),
        };
        using var http = new HttpClient { BaseAddress = _shop.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"admin/api/{_shop.Options.ApiVersion}/graphql.json")
        {
            Content = new StringContent(
                new System.Text.Json.Nodes.JsonObject { ["query"] = document, ["operationName"] = operation, ["variables"] = variables }.ToJsonString(),
                System.Text.Encoding.UTF8,
                "application/json"),
        };
        request.Headers.Add("X-Shopify-Access-Token", _shop.Options.AccessToken);

        using var response = await http.SendAsync(request);

        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        body["errors"].Should().BeNull(body.ToJsonString());
        var requested = body["extensions"]!["cost"]!["requestedQueryCost"]!.GetValue<int>();
        requested.Should().BeLessThanOrEqualTo(estimate, "the connector's estimate counts lists sized by first per item").And.BeLessThanOrEqualTo(1000);
        estimate.Should().BeLessThanOrEqualTo(ShopifyOptions.MaxQueryCost);
    }

    [Fact]
    public void AddSaleAndRefund_BadInput_FailNamingTheField()
    {
        var unknown = () => _shop.AddSale(EuroSale with { Lines = [new SimulatedSaleLine("NOPE-1", 1, 1m)] });
        unknown.Should().Throw<ArgumentException>().WithMessage("*SimulatedSaleLine.Sku 'NOPE-1'*");
        var id = _shop.AddSale(EuroSale);
        var tooMany = () => _shop.AddRefund(id, new SimulatedSaleRefund { Lines = [new SimulatedSaleRefundLine("MUG-1", 2, 22m, 2.2m, false)], CreatedAt = SoldAt });
        tooMany.Should().Throw<ArgumentException>().WithMessage("*SimulatedSaleRefundLine.Quantity 2 of 'MUG-1'*1 left to refund*");
        var missing = () => _shop.AddRefund("424242", new SimulatedSaleRefund { CreatedAt = SoldAt });
        missing.Should().Throw<KeyNotFoundException>();
    }
}
