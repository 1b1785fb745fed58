using System.Globalization;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Stores;
using Integrations.Sdk.Testing.Commerce;
using Integrations.Sdk.Testing.WooCommerce;
using Integrations.Sdk.Transport;
using Integrations.Sdk.WooCommerce.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.WooCommerce.Tests;

/// <summary>
/// The store category model read from <see cref="WooCommerceSimulator"/>: sales with tax, shipping, coupons, foreign
/// currency, prices with tax, partial and full refunds with and without restock, and stock.
/// </summary>
public sealed class WooCommerceStoreModelTests : IAsyncLifetime
{
    private static readonly DateTimeOffset SoldAt = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 9, 30, 0, TimeSpan.Zero));
    private readonly WooCommerceSimulator _store;
    private ServiceProvider? _services;

    public WooCommerceStoreModelTests() => _store = new WooCommerceSimulator(_time);

    public async Task InitializeAsync()
    {
        await _store.StartAsync();
        _services = Build(_store);
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await _store.DisposeAsync();
    }

    private IStoreConnector Store => _services!.GetRequiredKeyedService<IStoreConnector>(WooCommerceConnector.ConnectorName);

    private WooCommerceConnector Connector => _services!.GetRequiredService<WooCommerceConnector>();

    [Fact]
    public async Task Sale_WithTaxShippingCouponInEuros_IsReadWithEveryFieldOnTheListedPriceBasis()
    {
        SeedMugAndTee();
        var id = _store.AddSale(EuroSale());

        var order = (await Store.GetOrderAsync(id))!;

        var customer = (await Store.FindCustomerByEmailAsync("ANA@example.com"))!;
        customer.Should().BeEquivalentTo(new StoreCustomer { Id = customer.Id, Email = "ana@example.com", FirstName = "Ana", LastName = "Lopez" });
        order.Should().BeEquivalentTo(
            new StoreOrder
            {
                Platform = "woocommerce",
                Id = id,
                Number = id,
                CreatedAt = SoldAt,
                UpdatedAt = _time.GetUtcNow(),
                Currency = "EUR",
                ExchangeRate = null,
                PaymentStatus = StorePaymentStatus.Paid,
                PricesIncludeTax = false,
                Email = "ana@example.com",
                Customer = customer,
                Lines =
                [
                    new StoreOrderLine
                    {
                        Id = order.Lines[0].Id, Sku = "MUG-1", Title = "Mug", ProductType = "Kitchen", Quantity = 2, UnitPrice = 12.00m, Discount = 2.40m,
                        Taxes = [new StoreTaxLine("VAT", 0.2m, 4.32m)],
                    },
                    new StoreOrderLine
                    {
                        Id = order.Lines[1].Id, Sku = "TEE-1", Title = "Tee", ProductType = "Apparel", Quantity = 1, UnitPrice = 20.00m, Discount = 2.00m,
                        Taxes = [new StoreTaxLine("VAT", 0.2m, 3.60m)],
                    },
                ],
                ShippingLines = [new StoreShippingLine { Title = "Courier", Amount = 5.00m, Discount = 0m, Taxes = [new StoreTaxLine("VAT", 0.2m, 1.00m)] }],
                Discounts = [new StoreDiscount("save10", 4.40m)],
                Refunds = [],
                TotalTax = 8.92m,
                Total = 53.52m,
                Channel = "checkout",
                Tags = [],
            },
            o => o.Excluding(x => x.Native).WithStrictOrdering());
        order.Lines.Select(l => l.Id).Should().OnlyHaveUniqueItems().And.AllSatisfy(l => long.Parse(l, CultureInfo.InvariantCulture).Should().BePositive());
        order.Native.Should().BeOfType<WooOrder>().Which.Id.ToString(CultureInfo.InvariantCulture).Should().Be(id);
        (await Store.GetStockAsync("MUG-1")).Should().Be(8);
        (await Store.GetStockAsync("TEE-1")).Should().Be(4);
    }

    [Fact]
    public async Task Sale_WithPricesIncludingTax_GivesPricesDiscountsAndShippingWithTax_FromWooCommercesPricesWithout()
    {
        _store.AddProduct("CAP-1", "Cap", 24.00m, stockQuantity: 3, productType: "Apparel");
        var id = _store.AddSale(new SimulatedSale
        {
            Email = "bo@example.com",
            Lines = [new SimulatedSaleLine("CAP-1", 1, 24.00m, Discount: 2.40m, Tax: 3.60m, TaxRate: 0.2m, TaxTitle: "VAT")],
            Shipping = 6.00m,
            ShippingTax = 1.00m,
            PricesIncludeTax = true,
            DiscountCode = "WELCOME",
            CreatedAt = SoldAt,
        });

        var native = (await Connector.GetOrderAsync(long.Parse(id, CultureInfo.InvariantCulture)))!;
        var order = (await Store.GetOrderAsync(id))!;

        var wooLine = native.LineItems.Single();
        (wooLine.Subtotal, wooLine.SubtotalTax, wooLine.Total, wooLine.TotalTax).Should().Be((20.00m, 4.00m, 18.00m, 3.60m), "WooCommerce's line amounts exclude tax");
        (native.ShippingLines.Single().Total, native.CouponLines.Single().Discount, native.CouponLines.Single().DiscountTax).Should().Be((5.00m, 2.00m, 0.40m));
        order.PricesIncludeTax.Should().BeTrue();
        var line = order.Lines.Single();
        (line.UnitPrice, line.Discount, line.Quantity, line.ProductType).Should().Be((24.00m, 2.40m, 1m, "Apparel"));
        line.Taxes.Should().Equal(new StoreTaxLine("VAT", 0.2m, 3.60m));
        order.ShippingLines.Single().Should().BeEquivalentTo(new StoreShippingLine { Title = "Standard shipping", Amount = 6.00m, Taxes = [new StoreTaxLine("VAT", 0.2m, 1.00m)] });
        order.Discounts.Should().Equal(new StoreDiscount("welcome", 2.40m));
        (order.TotalTax, order.Total, order.Currency, order.PaymentStatus).Should().Be((4.60m, 27.60m, "USD", StorePaymentStatus.Paid));
        order.Customer!.FirstName.Should().BeNull();
    }

    [Fact]
    public async Task PartialRefundWithRestock_ThenTheRestWithoutRestock_AreReadAgainIncrementally_WithLinesShippingAndStock()
    {
        var (mug, tee) = SeedMugAndTee();
        var id = _store.AddSale(EuroSale());
        var first = await Store.Orders.ReadAsync(null).ToListAsync();
        first.Single().Value.PaymentStatus.Should().Be(StorePaymentStatus.Paid);

        _time.SetUtcNow(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero));
        var r1 = _store.AddRefund(id, new SimulatedSaleRefund
        {
            Lines = [new SimulatedSaleRefundLine("MUG-1", 1, 10.80m, 2.16m, Restock: true)],
            Reason = "broken",
            CreatedAt = _time.GetUtcNow(),
        });
        var second = await Store.Orders.ReadAsync(first[^1].Checkpoint).ToListAsync();

        var partly = second.Should().ContainSingle().Subject.Value;
        partly.PaymentStatus.Should().Be(StorePaymentStatus.PartiallyRefunded);
        partly.UpdatedAt.Should().Be(_time.GetUtcNow());
        partly.Refunds.Should().BeEquivalentTo(
        [
            new StoreRefund
            {
                Id = r1, CreatedAt = _time.GetUtcNow(), Amount = 12.96m, Reason = "broken", Shipping = 0m, ShippingTax = 0m,
                Lines = [new StoreRefundLine { LineId = partly.Lines[0].Id, Sku = "MUG-1", Quantity = 1, Subtotal = 10.80m, Tax = 2.16m, Restock = true }],
            },
        ]);
        (await Store.GetStockAsync("MUG-1")).Should().Be(9, "2 sold, 1 restocked");
        _store.StockOf("MUG-1").Should().Be(9);

        _time.SetUtcNow(new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero));
        var r2 = _store.AddRefund(id, new SimulatedSaleRefund
        {
            Lines = [new SimulatedSaleRefundLine("MUG-1", 1, 10.80m, 2.16m, Restock: false), new SimulatedSaleRefundLine("TEE-1", 1, 18.00m, 3.60m, Restock: true)],
            Shipping = 5.00m,
            ShippingTax = 1.00m,
            CreatedAt = _time.GetUtcNow(),
        });
        var third = await Store.Orders.ReadAsync(second[^1].Checkpoint).ToListAsync();

        var refunded = third.Should().ContainSingle().Subject.Value;
        refunded.PaymentStatus.Should().Be(StorePaymentStatus.Refunded);
        refunded.Refunds.Select(r => r.Id).Should().Equal([r1, r2], "oldest first");
        refunded.Refunds[0].Lines.Single().Restock.Should().BeTrue();
        refunded.Refunds[1].Should().BeEquivalentTo(new StoreRefund
        {
            Id = r2, CreatedAt = _time.GetUtcNow(), Amount = 40.56m, Reason = null, Shipping = 5.00m, ShippingTax = 1.00m,
            Lines =
            [
                new StoreRefundLine { LineId = refunded.Lines[0].Id, Sku = "MUG-1", Quantity = 1, Subtotal = 10.80m, Tax = 2.16m, Restock = false },
                new StoreRefundLine { LineId = refunded.Lines[1].Id, Sku = "TEE-1", Quantity = 1, Subtotal = 18.00m, Tax = 3.60m, Restock = true },
            ],
        });
        refunded.Refunds.Sum(r => r.Amount).Should().Be(refunded.Total);
        (await Store.GetStockAsync("MUG-1")).Should().Be(9, "the second mug was not restocked");
        (await Store.GetStockAsync("TEE-1")).Should().Be(5);
        ((await Connector.GetProductAsync(mug))!.StockQuantity, (await Connector.GetProductAsync(tee))!.StockQuantity).Should().Be(((int?)9, (int?)5));
    }

    [Fact]
    public async Task RefundWithoutRestock_ThenRestockedRefundOfAnotherQuantity_EachKeepsItsRestock()
    {
        _store.AddProduct("PEN-1", "Pen", 2.00m, stockQuantity: 20);
        var id = _store.AddSale(new SimulatedSale { Email = "cy@example.com", Lines = [new SimulatedSaleLine("PEN-1", 5, 2.00m)], CreatedAt = SoldAt });
        _store.AddRefund(id, new SimulatedSaleRefund { Lines = [new SimulatedSaleRefundLine("PEN-1", 1, 2.00m, 0m, Restock: false)], CreatedAt = SoldAt.AddHours(1) });
        _store.AddRefund(id, new SimulatedSaleRefund { Lines = [new SimulatedSaleRefundLine("PEN-1", 3, 6.00m, 0m, Restock: true)], CreatedAt = SoldAt.AddHours(2) });

        var order = (await Store.GetOrderAsync(id))!;

        order.Refunds.Select(r => (r.Lines.Single().Quantity, r.Lines.Single().Restock)).Should().Equal((1m, false), (3m, true));
        order.PaymentStatus.Should().Be(StorePaymentStatus.PartiallyRefunded);
        (await Store.GetStockAsync("PEN-1")).Should().Be(18);
    }

    [Fact]
    public async Task PendingAndCancelledSales_MapToPendingAndVoided_AndACancelledSaleLeavesStock()
    {
        _store.AddProduct("INK-1", "Ink", 9.00m, stockQuantity: 10);
        var pending = _store.AddSale(new SimulatedSale { Email = "di@example.com", Lines = [new SimulatedSaleLine("INK-1", 2, 9.00m)], Status = "pending", CreatedAt = SoldAt });
        var cancelled = _store.AddSale(new SimulatedSale { Email = "di@example.com", Lines = [new SimulatedSaleLine("INK-1", 3, 9.00m)], Status = "cancelled", CreatedAt = SoldAt, Channel = "pos" });

        var p = (await Store.GetOrderAsync(pending))!;
        var c = (await Store.GetOrderAsync(cancelled))!;

        (p.PaymentStatus, c.PaymentStatus).Should().Be((StorePaymentStatus.Pending, StorePaymentStatus.Voided));
        (p.Customer!.Id, c.Channel, p.Channel).Should().Be((c.Customer!.Id, "pos", "checkout"));
        (p.Total, p.TotalTax, p.Lines.Single().Taxes.Count, p.Discounts.Count, p.ShippingLines.Count).Should().Be((18.00m, 0m, 0, 0, 0));
        (await Store.GetStockAsync("INK-1")).Should().Be(8, "a pending sale holds its stock; a cancelled one does not");
        (await Store.GetOrderAsync("999999")).Should().BeNull();
        var bad = () => Store.GetOrderAsync("#1001");
        (await bad.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("orderId");
    }

    [Fact]
    public async Task Orders_UnderServerFaults_AreReadWholeWithTheirRefunds_AsWithoutFaults()
    {
        SeedMugAndTee();
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(_store.AddSale(EuroSale() with { Email = $"buyer{i % 3}@example.com", CreatedAt = SoldAt.AddMinutes(i) }));
        }

        _store.AddRefund(ids[1], new SimulatedSaleRefund { Lines = [new SimulatedSaleRefundLine("MUG-1", 1, 10.80m, 2.16m, Restock: true)], CreatedAt = SoldAt.AddHours(1) });
        _store.AddRefund(ids[4], new SimulatedSaleRefund { Lines = [new SimulatedSaleRefundLine("TEE-1", 1, 18.00m, 3.60m, Restock: false)], Shipping = 5.00m, ShippingTax = 1.00m, CreatedAt = SoldAt.AddHours(2) });
        var calm = await Store.Orders.ReadAsync(null).ToListAsync();
        await using var faulty = Integrations.Sdk.Testing.IntegrationsTestHost.Build(
            TimeProvider.System,
            i => i.AddWooCommerce(o =>
            {
                o.StoreUrl = _store.BaseAddress;
                o.ConsumerKey = _store.ConsumerKey;
                o.ConsumerSecret = _store.ConsumerSecret;
                o.PageSize = 2;
            }),
            s => Integrations.Sdk.Testing.IntegrationsTestHost.RetryWithoutDelay(s, WooCommerceConnector.ConnectorName, o => o.MaxRetryAttempts = 10));
        _store.Faults.SetRandom(0.3, seed: 14, Integrations.Sdk.Testing.FaultKind.ServerError);

        var stormy = await faulty.GetRequiredKeyedService<IStoreConnector>(WooCommerceConnector.ConnectorName).Orders.ReadAsync(null).ToListAsync();

        _store.Faults.InjectedTotal.Should().BeGreaterThan(0);
        stormy.Select(r => r.Value.Id).Should().Equal(ids);
        stormy.Should().BeEquivalentTo(calm, o => o.Excluding(r => r.Value.Native).WithStrictOrdering());
        stormy.Select(r => r.Value.Refunds.Count).Should().Equal(0, 1, 0, 0, 1, 0);
    }

    [Fact]
    public async Task SetStock_OnAProductAndAVariation_IsWhatTheStoreThenCounts_AndRepeatingItChangesNothing()
    {
        var mug = _store.AddProduct("MUG-1", "Mug", 12.00m, stockQuantity: 10);
        var shirt = _store.AddProduct("SHIRT", "Shirt", 20.00m);
        var large = _store.AddVariation(shirt, "SHIRT-L", 20.00m, stockQuantity: 4);
        var unmanaged = _store.AddProduct("GIFT", "Gift card", 10.00m);
        var context = new WriteContext("stock", "MUG-1", "set", "k1", 1, false);

        Connector.SetStock.Safety.Should().Be(WriteSafety.NaturalUpsert);
        var set = await Connector.SetStock.ExecuteAsync(new WooStockUpdate(mug, 42), context);
        var again = await Connector.SetStock.ExecuteAsync(new WooStockUpdate(mug, 42), context);
        var variation = await Connector.SetStock.ExecuteAsync(new WooStockUpdate(shirt, 7) { VariationId = large }, context);

        set.Should().Be(new WooStockLevel(mug, null, "MUG-1", true, 42));
        again.Should().Be(set);
        variation.Should().Be(new WooStockLevel(shirt, large, "SHIRT-L", true, 7));
        (_store.StockOf("MUG-1"), _store.StockOf("SHIRT-L")).Should().Be(((int?)42, (int?)7));
        (await Store.GetStockAsync("MUG-1")).Should().Be(42);
        (await Store.GetStockAsync("SHIRT-L")).Should().Be(7, "a variation's SKU is found through the variable products");
        (await Store.GetStockAsync("GIFT")).Should().BeNull("the store does not count a gift card's stock");
        (await Store.GetStockAsync("NOPE")).Should().BeNull();
        _store.StockOf("NOPE").Should().BeNull();
        unmanaged.Should().BePositive();
    }

    [Fact]
    public async Task SetStock_WithoutProduct_IsRefusedNamingTheField_AndAnUnknownProductIsTheStoresError()
    {
        var context = new WriteContext("stock", "x", "set", "k1", 1, false);
        var before = _store.RequestCount;

        var noProduct = () => Connector.SetStock.ExecuteAsync(new WooStockUpdate(0, 5), context);
        var unknown = () => Connector.SetStock.ExecuteAsync(new WooStockUpdate(987654, 5), context);

        (await noProduct.Should().ThrowAsync<ArgumentException>()).WithMessage("*ProductId*");
        _store.RequestCount.Should().Be(before);
        (await unknown.Should().ThrowAsync<PlatformException>()).Which.ErrorCode.Should().Be("woocommerce_rest_product_invalid_id");
    }

    [Fact]
    public async Task SavedStore_IsLoadedWithItsOrdersRefundsStockAndCustomers()
    {
        SeedMugAndTee();
        var id = _store.AddSale(EuroSale());
        _store.AddRefund(id, new SimulatedSaleRefund { Lines = [new SimulatedSaleRefundLine("MUG-1", 1, 10.80m, 2.16m, Restock: true)], CreatedAt = SoldAt.AddHours(1) });
        var before = (await Store.GetOrderAsync(id))!;
        var path = Path.Combine(Path.GetTempPath(), $"woo-sim-{Guid.NewGuid():N}.json");
        try
        {
            await _store.SaveAsync(path);
            await using var loaded = await WooCommerceSimulator.LoadAsync(path, _time);
            await loaded.StartAsync();
            await using var services = Build(loaded);
            var store = services.GetRequiredKeyedService<IStoreConnector>(WooCommerceConnector.ConnectorName);

            var after = (await store.GetOrderAsync(id))!;

            after.Should().BeEquivalentTo(before, o => o.Excluding(x => x.Native));
            (loaded.StockOf("MUG-1"), loaded.StockOf("TEE-1")).Should().Be(((int?)9, (int?)4));
            var next = loaded.AddSale(EuroSale() with { Email = "new@example.com" });
            long.Parse(next, CultureInfo.InvariantCulture).Should().BeGreaterThan(long.Parse(id, CultureInfo.InvariantCulture), "ids go on from the saved counter");
            (await store.FindCustomerByEmailAsync("ana@example.com"))!.Id.Should().Be(before.Customer!.Id);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Load_AFileThatIsNotASavedStore_IsAFormatError()
    {
        var path = Path.Combine(Path.GetTempPath(), $"woo-sim-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """{"format":"something else"}""");
        try
        {
            var load = () => WooCommerceSimulator.LoadAsync(path);

            (await load.Should().ThrowAsync<FormatException>()).WithMessage("*WooCommerce simulator*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AddSaleAndRefund_RefuseUnknownSkusAndRefundsBeyondTheSale()
    {
        _store.AddProduct("PEN-1", "Pen", 2.00m, stockQuantity: 5);
        var id = _store.AddSale(new SimulatedSale { Email = "e@example.com", Lines = [new SimulatedSaleLine("PEN-1", 1, 2.00m)], CreatedAt = SoldAt });

        var unknownSku = () => _store.AddSale(new SimulatedSale { Email = "e@example.com", Lines = [new SimulatedSaleLine("NOPE", 1, 2.00m)], CreatedAt = SoldAt });
        var tooMany = () => _store.AddRefund(id, new SimulatedSaleRefund { Lines = [new SimulatedSaleRefundLine("PEN-1", 2, 4.00m, 0m, false)], CreatedAt = SoldAt });

        unknownSku.Should().Throw<ArgumentException>().WithMessage("*NOPE*Sku*");
        tooMany.Should().Throw<ArgumentException>().WithMessage("*1 sold*Quantity*");
        _store.StockOf("PEN-1").Should().Be(4);
    }

    private (long Mug, long Tee) SeedMugAndTee() =>
        (_store.AddProduct("MUG-1", "Mug", 12.00m, stockQuantity: 10, productType: "Kitchen"),
         _store.AddProduct("TEE-1", "Tee", 20.00m, stockQuantity: 5, productType: "Apparel"));

    private static SimulatedSale EuroSale() => new()
    {
        Email = "ana@example.com",
        FirstName = "Ana",
        LastName = "Lopez",
        Lines =
        [
            new SimulatedSaleLine("MUG-1", 2, 12.00m, Discount: 2.40m, Tax: 4.32m, TaxRate: 0.2m, TaxTitle: "VAT"),
            new SimulatedSaleLine("TEE-1", 1, 20.00m, Discount: 2.00m, Tax: 3.60m, TaxRate: 0.2m, TaxTitle: "VAT"),
        ],
        ShippingTitle = "Courier",
        Shipping = 5.00m,
        ShippingTax = 1.00m,
        Currency = "EUR",
        ExchangeRate = 1.08m,
        DiscountCode = "SAVE10",
        CreatedAt = SoldAt,
    };

    private static ServiceProvider Build(WooCommerceSimulator store)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddIntegrations().AddWooCommerce(o =>
        {
            o.StoreUrl = store.BaseAddress;
            o.ConsumerKey = store.ConsumerKey;
            o.ConsumerSecret = store.ConsumerSecret;
            o.PageSize = 2;
            o.ModifiedOverlap = TimeSpan.FromSeconds(1);
        });
        services.PostConfigure<ConnectorHttpOptions>(WooCommerceConnector.ConnectorName, o => o.MaxRetryAttempts = 0);
        return services.BuildServiceProvider();
    }
}
