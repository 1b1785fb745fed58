using Integrations.Sdk.Stores;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.Commerce;
using Integrations.Sdk.Testing.Shopify;
using Integrations.Sdk.Testing.WooCommerce;
using Integrations.Sdk.WooCommerce;
using Microsoft.Extensions.DependencyInjection;
using ShopifyToQuickBooks;

namespace Integrations.Sdk.EndToEnd.Tests.Books;

/// <summary>
/// The store category model, the same for every store: the same <see cref="SimulatedSale"/> seeded into each store's
/// simulator reads back through <see cref="IStoreConnector"/> (resolved by the connector's name) as the same
/// <see cref="StoreOrder"/> figures. Each store runs every test through its subclass.
/// </summary>
public abstract class StoreModelTests : IAsyncLifetime
{
    private ServiceProvider? _provider;

    /// <summary>The connector name, and the key <see cref="IStoreConnector"/> is registered under.</summary>
    protected abstract string Platform { get; }

    /// <summary>Whether the store states the exchange rate of an order in another currency (Shopify does, WooCommerce not).</summary>
    protected abstract bool StatesExchangeRate { get; }

    /// <summary>The simulated store.</summary>
    protected abstract SimulatorHost Simulator { get; }

    private IStoreConnector Store => _provider!.GetRequiredKeyedService<IStoreConnector>(Platform);

    public async Task InitializeAsync()
    {
        await Simulator.StartAsync();
        foreach (var product in SampleShop.Catalog)
        {
            AddProduct(product, SampleShop.StartingStock);
        }

        _provider = IntegrationsTestHost.Build(TimeProvider.System, AddConnector, s => s.RetryWithoutDelay(Platform));
    }

    public async Task DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        await Simulator.DisposeAsync();
    }

    [Fact]
    public async Task TaxAddedSale_WithShippingAndADiscountCode_ReadsAsTheCheckoutWorkedItOut()
    {
        var sale = Sale([Line("SKU-HOOD-M", 2, discounted: true), Line("SKU-TEA", 1, discounted: true)], shipping: 5.99m) with { DiscountCode = SampleShop.DiscountCode };
        var id = AddSale(sale);

        var order = await ReadAsync(id);

        order.Platform.Should().Be(Platform);
        order.Number.Should().NotBeNullOrWhiteSpace().And.NotStartWith("#");
        order.Currency.Should().Be("USD");
        order.ExchangeRate.Should().BeNull("the order is in the store's currency");
        order.PaymentStatus.Should().Be(StorePaymentStatus.Paid);
        order.PricesIncludeTax.Should().BeFalse();
        order.Email.Should().Be("ada@example.com");
        order.Customer!.Email.Should().Be("ada@example.com");
        LinesOf(order).Should().Equal(LinesOf(sale));
        order.Lines.Select(l => l.ProductType).Should().Equal("Apparel", "Grocery");
        order.Lines[0].Taxes.Should().ContainSingle().Which.Should().Be(new StoreTaxLine("CA State Tax", 0.0725m, 7.70m));
        order.Lines[1].Taxes.Sum(t => t.Amount).Should().Be(0m, "the tea is tax-free");
        order.ShippingLines.Sum(s => s.Amount - s.Discount).Should().Be(5.99m);
        var discount = order.Discounts.Should().ContainSingle().Which;
        discount.Code.Should().BeEquivalentTo(SampleShop.DiscountCode, "coupon codes are case-insensitive (WooCommerce keeps them in lower case)");
        discount.Amount.Should().Be(sale.Lines.Sum(l => l.Discount));
        order.TotalTax.Should().Be(7.70m);
        order.Total.Should().Be(SampleShop.SaleTotal(sale));
        order.Refunds.Should().BeEmpty();
        (await Store.GetOrderAsync(id))!.Total.Should().Be(order.Total);
        (await Store.GetStockAsync("SKU-HOOD-M")).Should().Be(SampleShop.StartingStock - 2);
    }

    [Fact]
    public async Task TaxIncludedSaleInEuros_KeepsItsCurrencyAndListedPrices_AndTheRateWhereTheStoreStatesIt()
    {
        var sale = Sale([Line("SKU-MUG", 3, euro: true), Line("SKU-TEE-M", 1, euro: true)], shipping: SampleShop.EurShipping, euro: true);
        var id = AddSale(sale);

        var order = await ReadAsync(id);

        order.Currency.Should().Be("EUR");
        order.PricesIncludeTax.Should().BeTrue();
        LinesOf(order).Should().Equal(LinesOf(sale));
        order.Lines[0].Taxes.Should().ContainSingle().Which.Should().Be(new StoreTaxLine("VAT", 0.20m, 7.13m));
        order.TotalTax.Should().Be(sale.Lines.Sum(l => l.Tax));
        order.Total.Should().Be(SampleShop.SaleTotal(sale));
        if (StatesExchangeRate)
        {
            order.ExchangeRate.Should().BeApproximately(SampleShop.EurRate, 0.0001m);
        }
        else
        {
            order.ExchangeRate.Should().BeNull("this store does not state a rate: the posting rules carry it");
        }
    }

    [Fact]
    public async Task Refunds_PartThenTheRest_ReadAsRefundLinesWithRestock_AndThePaymentStatusFollows()
    {
        var sale = Sale([Line("SKU-HOOD-L", 2), Line("SKU-CAP", 1)], shipping: 5.99m);
        var id = AddSale(sale);
        var hoodieTax = sale.Lines[0].Tax; // 118 × 7.25 % = 8.555 → 8.56
        var cap = sale.Lines[1];

        AddRefund(id, Refund(new SimulatedSaleRefundLine("SKU-HOOD-L", 1, 59m, hoodieTax / 2, Restock: true)));
        var partly = await Store.GetOrderAsync(id);
        AddRefund(id, Refund(
            new SimulatedSaleRefundLine("SKU-HOOD-L", 1, 59m, hoodieTax / 2, Restock: false),
            new SimulatedSaleRefundLine("SKU-CAP", 1, 18m, cap.Tax, Restock: true)) with { Shipping = 5.99m });
        var order = await ReadAsync(id);

        partly!.PaymentStatus.Should().Be(StorePaymentStatus.PartiallyRefunded);
        partly.Refunds.Should().ContainSingle();
        order.PaymentStatus.Should().Be(StorePaymentStatus.Refunded);
        order.Refunds.Should().HaveCount(2);
        order.Refunds[0].Lines.Select(l => (l.Sku, l.Quantity, l.Subtotal, l.Tax, l.Restock)).Should().Equal(("SKU-HOOD-L", 1m, 59m, 4.28m, true));
        order.Refunds[1].Lines.Select(l => (l.Sku, l.Quantity, l.Subtotal, l.Tax, l.Restock)).Should().BeEquivalentTo([("SKU-HOOD-L", 1m, 59m, 4.28m, false), ("SKU-CAP", 1m, 18m, cap.Tax, true)]);
        order.Refunds[1].Shipping.Should().Be(5.99m);
        order.Refunds[1].Amount.Should().Be(59m + 4.28m + 18m + cap.Tax + 5.99m);
        order.Refunds.Sum(r => r.Amount).Should().Be(order.Total, "everything paid was given back");
        (await Store.GetStockAsync("SKU-HOOD-L")).Should().Be(SampleShop.StartingStock - 2 + 1, "one hoodie came back to stock");
        (await Store.GetStockAsync("SKU-CAP")).Should().Be(SampleShop.StartingStock);
    }

    [Fact]
    public async Task PendingAndCancelledSales_AreNotPaid_AndOnlyTheCancelledOneLeavesTheStock()
    {
        var pending = AddSale(Sale([Line("SKU-TOTE", 2)]) with { Status = "pending" });
        var cancelled = AddSale(Sale([Line("SKU-TOTE", 1)]) with { Status = "cancelled" });

        (await Store.GetOrderAsync(pending))!.PaymentStatus.Should().Be(StorePaymentStatus.Pending);
        (await Store.GetOrderAsync(cancelled))!.PaymentStatus.Should().Be(StorePaymentStatus.Voided);
        (await Store.GetStockAsync("SKU-TOTE")).Should().Be(SampleShop.StartingStock - 2);
        (await Store.GetStockAsync("SKU-NOPE")).Should().BeNull();
        (await Store.GetOrderAsync("999999")).Should().BeNull();
    }

    [Fact]
    public async Task ARefund_BringsTheOrderBackIntoAnIncrementalRead()
    {
        var id = AddSale(Sale([Line("SKU-SOCK", 3)]));
        var first = await ReadAllAsync(null);
        var checkpoint = first[^1].Checkpoint;

        AddRefund(id, Refund(new SimulatedSaleRefundLine("SKU-SOCK", 1, 9.5m, 0.69m, Restock: true)));
        var next = await ReadAllAsync(checkpoint);

        next.Select(r => r.Value).Should().Contain(o => o.Id == id && o.Refunds.Count == 1);
    }

    protected abstract void AddProduct(ShopProduct product, int stock);

    protected abstract string AddSale(SimulatedSale sale);

    protected abstract string AddRefund(string orderId, SimulatedSaleRefund refund);

    protected abstract void AddConnector(IIntegrationsBuilder integrations);

    private static SimulatedSaleLine Line(string sku, int quantity, bool discounted = false, bool euro = false) =>
        SampleShop.Line(SampleShop.Catalog.Single(p => p.Sku == sku), quantity, discounted, euro);

    private SimulatedSale Sale(IReadOnlyList<SimulatedSaleLine> lines, decimal shipping = 0, bool euro = false) => new()
    {
        Email = "ada@example.com",
        FirstName = "Ada",
        LastName = "Lovelace",
        Lines = lines,
        Shipping = shipping,
        PricesIncludeTax = euro,
        Currency = euro ? "EUR" : "USD",
        ExchangeRate = euro ? SampleShop.EurRate : 1m,
        CreatedAt = Simulator.Time.GetUtcNow() - TimeSpan.FromMinutes(5),
    };

    private SimulatedSaleRefund Refund(params SimulatedSaleRefundLine[] lines) => new() { Lines = lines, CreatedAt = Simulator.Time.GetUtcNow() };

    private static IEnumerable<(string?, decimal, decimal, decimal, decimal)> LinesOf(StoreOrder order) =>
        order.Lines.Select(l => (l.Sku, l.Quantity, l.UnitPrice, l.Discount, l.Taxes.Sum(t => t.Amount)));

    private static IEnumerable<(string?, decimal, decimal, decimal, decimal)> LinesOf(SimulatedSale sale) =>
        sale.Lines.Select(l => ((string?)l.Sku, (decimal)l.Quantity, l.UnitPrice, l.Discount, l.Tax));

    private async Task<StoreOrder> ReadAsync(string id) => (await ReadAllAsync(null)).Select(r => r.Value).Single(o => o.Id == id);

    private async Task<List<Integrations.Sdk.Connectors.SourceRecord<StoreOrder>>> ReadAllAsync(string? checkpoint)
    {
        var records = new List<Integrations.Sdk.Connectors.SourceRecord<StoreOrder>>();
        await foreach (var record in Store.Orders.ReadAsync(checkpoint))
        {
            records.Add(record);
        }

        return records;
    }
}

/// <summary>The store model on Shopify.</summary>
public sealed class ShopifyStoreModelTests : StoreModelTests
{
    private readonly ShopifySimulator _shop = new(new ShopifySimulatorOptions { MaximumAvailable = 20_000, RestoreRate = 1_000 });

    protected override string Platform => "shopify";

    protected override bool StatesExchangeRate => true;

    protected override SimulatorHost Simulator => _shop;

    protected override void AddProduct(ShopProduct product, int stock) => _shop.AddProduct(product.Sku, product.Title, product.Price, stock, productType: product.ProductType);

    protected override string AddSale(SimulatedSale sale) => _shop.AddSale(sale);

    protected override string AddRefund(string orderId, SimulatedSaleRefund refund) => _shop.AddRefund(orderId, refund);

    protected override void AddConnector(IIntegrationsBuilder integrations) => integrations.AddShopify(o =>
    {
        o.ShopDomain = _shop.Options.ShopDomain;
        o.AccessToken = _shop.Options.AccessToken;
        o.BaseAddress = _shop.BaseAddress;
    });
}

/// <summary>The store model on WooCommerce.</summary>
public sealed class WooCommerceStoreModelTests : StoreModelTests
{
    private readonly WooCommerceSimulator _store = new();

    protected override string Platform => WooCommerceConnector.ConnectorName;

    protected override bool StatesExchangeRate => false;

    protected override SimulatorHost Simulator => _store;

    protected override void AddProduct(ShopProduct product, int stock) => _store.AddProduct(product.Sku, product.Title, product.Price, stock, productType: product.ProductType);

    protected override string AddSale(SimulatedSale sale) => _store.AddSale(sale);

    protected override string AddRefund(string orderId, SimulatedSaleRefund refund) => _store.AddRefund(orderId, refund);

    protected override void AddConnector(IIntegrationsBuilder integrations) => integrations.AddWooCommerce(o =>
    {
        o.StoreUrl = _store.BaseAddress;
        o.ConsumerKey = _store.ConsumerKey;
        o.ConsumerSecret = _store.ConsumerSecret;
    });
}
