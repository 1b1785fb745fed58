using Integrations.Sdk.Books;
using Integrations.Sdk.Testing.Commerce;
using ShopifyToQuickBooks;

namespace Integrations.Sdk.EndToEnd.Tests.Books;

/// <summary>
/// The books sample's own arithmetic, without any simulator: the command line, the checkout's amounts, the revenue and
/// quantities the books must end with, the posting rules and the output lines.
/// </summary>
public sealed class SampleShopTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static ShopProduct Product(string sku) => SampleShop.Catalog.Single(p => p.Sku == sku);

    [Fact]
    public void Options_DefaultToShopifyIntoQuickBooks_AndTakeEitherStoreAndBooks()
    {
        var defaults = SampleOptions.Parse([]);
        var woo = SampleOptions.Parse(["--store", "WooCommerce", "--books", "xero", "--orders", "40", "--faults", "0.3"]);

        defaults.Store.Should().Be("shopify");
        defaults.Books.Should().Be("quickbooks");
        defaults.StatePath.Should().Be("shopify-to-quickbooks.db");
        woo.Store.Should().Be("woocommerce");
        woo.Books.Should().Be("xero");
        woo.Orders.Should().Be(40);
        woo.FaultRate.Should().Be(0.3);
    }

    [Theory]
    [InlineData(new[] { "--store", "magento" }, "--store must be shopify or woocommerce, not 'magento'")]
    [InlineData(new[] { "--books", "sage" }, "--books must be quickbooks or xero, not 'sage'")]
    [InlineData(new[] { "--books" }, "--books needs a value")]
    [InlineData(new[] { "--faults", "2" }, "--faults must be a number between 0 and 1")]
    [InlineData(new[] { "--orders", "many" }, "--orders must be a whole number")]
    public void Options_RefuseOtherValues_NamingTheOption(string[] args, string message)
    {
        var parse = () => SampleOptions.Parse(args);

        parse.Should().Throw<ArgumentException>().Which.Message.Should().Contain(message);
    }

    [Fact]
    public void Line_TaxAdded_DiscountFirst_ThenTaxOnTheRest_RoundedToCents()
    {
        // 2 × 59.00 = 118.00; 10 % off = 11.80; 7.25 % of 106.20 = 7.6995 → 7.70.
        var line = SampleShop.Line(Product("SKU-HOOD-M"), 2, discounted: true, taxIncluded: false);

        line.Should().Be(new SimulatedSaleLine("SKU-HOOD-M", 2, 59m, 11.80m, 7.70m, 0.0725m, "CA State Tax"));
        SampleShop.LineNet(line, pricesIncludeTax: false).Should().Be(106.20m);
    }

    [Fact]
    public void Line_TaxIncluded_TaxIsTheVatShareOfThePrice()
    {
        // 3 × 14.25 = 42.75 with 20 % VAT in it: 42.75 × 0.2 / 1.2 = 7.125 → 7.13; net 35.62.
        var line = SampleShop.Line(Product("SKU-MUG"), 3, discounted: false, taxIncluded: true);

        line.Should().Be(new SimulatedSaleLine("SKU-MUG", 3, 14.25m, 0m, 7.13m, 0.20m, "VAT"));
        SampleShop.LineNet(line, pricesIncludeTax: true).Should().Be(35.62m);
    }

    [Fact]
    public void Line_TaxFreeProduct_HasNoTax()
    {
        var line = SampleShop.Line(Product("SKU-TEA"), 1, discounted: false, taxIncluded: false);

        line.Tax.Should().Be(0m);
        line.TaxRate.Should().Be(0m);
        line.TaxTitle.Should().Be(SampleShop.TaxFreeTitle);
    }

    [Fact]
    public void ExpectedRevenue_NetOfTaxAndDiscounts_ShippingIn_RefundsOut_ConvertedAndRoundedPerDocument_UnbookedOrdersIgnored()
    {
        var hoodies = SampleShop.Line(Product("SKU-HOOD-M"), 2, discounted: true, taxIncluded: false); // net 106.20
        var mugs = SampleShop.Line(Product("SKU-MUG"), 3, discounted: false, taxIncluded: true); // net 35.62
        SeededOrder[] orders =
        [
            // 106.20 + 5.99 = 112.19, less one hoodie (53.10): 59.09.
            new(Sale([hoodies], shipping: 5.99m), [Refund(new SimulatedSaleRefundLine("SKU-HOOD-M", 1, 53.10m, 3.85m, Restock: true))]),

            // (35.62 + 4.90) × 1.25 = 50.65, less the shipping refunded, 4.90 × 1.25 = 6.125 → 6.13: 44.52 (rounding the
            // difference once would give 35.62 × 1.25 = 44.525 → 44.53).
            new(Sale([mugs], shipping: 4.90m, euro: true), [Refund() with { Shipping = 4.90m }]),
            new(Sale([hoodies], status: "pending"), []),
            new(Sale([mugs], status: "cancelled"), []),
        ];

        SampleShop.ExpectedRevenue(orders).Should().Be(103.61m);
        SampleShop.ExpectedInvoices(orders).Should().Be(2);
        SampleShop.ExpectedCreditNotes(orders).Should().Be(2);
    }

    [Fact]
    public void Stock_TheStoreTakesItAtCheckout_TheBooksWhenBooked_RestocksGoBackToBoth()
    {
        var hoodies = SampleShop.Line(Product("SKU-HOOD-M"), 2, discounted: false, taxIncluded: false);
        SeededOrder[] orders =
        [
            new(Sale([hoodies]), [Refund(new SimulatedSaleRefundLine("SKU-HOOD-M", 1, 59m, 4.28m, Restock: true))]),
            new(Sale([hoodies]), [Refund(new SimulatedSaleRefundLine("SKU-HOOD-M", 2, 118m, 8.56m, Restock: false))]),
            new(Sale([hoodies], status: "pending"), []),
            new(Sale([hoodies], status: "cancelled"), []),
        ];

        SampleShop.ExpectedStoreStock(orders, "SKU-HOOD-M").Should().Be(1000 - 6 + 1);
        SampleShop.ExpectedOnHand(orders, "SKU-HOOD-M").Should().Be(1000 - 4 + 1);
        SampleShop.HeldByPendingOrders(orders, "SKU-HOOD-M").Should().Be(2);
    }

    [Fact]
    public void Generate_IsRepeatable_AndHasEveryCaseTheBooksMustHandle()
    {
        var orders = SampleShop.Generate(200, 42, Now);
        var again = SampleShop.Generate(200, 42, Now);
        var refunds = orders.SelectMany(o => o.Refunds).ToList();

        Seed(again).ToJson().Should().Be(Seed(orders).ToJson(), "the same seed gives the same shop");
        orders.Should().HaveCount(200);
        orders.Should().Contain(o => o.Sale.Currency == "EUR" && o.Sale.PricesIncludeTax && o.Sale.ExchangeRate == SampleShop.EurRate);
        orders.Where(o => o.Sale.Currency == "USD").Should().OnlyContain(o => !o.Sale.PricesIncludeTax && o.Sale.ExchangeRate == 1m);
        orders.Count(o => o.Sale.Shipping > 0).Should().BeGreaterThan(100, "most orders pay shipping");
        orders.Should().Contain(o => o.Sale.Shipping == 0 && o.Sale.Channel == "pos");
        orders.Should().Contain(o => o.Sale.DiscountCode == SampleShop.DiscountCode && o.Sale.Lines.All(l => l.Discount > 0));
        orders.Should().Contain(o => o.Sale.Lines.Any(l => l.Sku == "SKU-TEA"), "a tax-free product is sold");
        orders.Should().Contain(o => o.Sale.Status == "pending").And.Contain(o => o.Sale.Status == "cancelled");
        orders.Where(o => !o.IsBooked).Should().NotContain(o => o.Refunds.Count > 0);
        orders.Should().Contain(o => o.Refunds.Count == 1 && o.Refunds[0].Shipping == o.Sale.Shipping && SampleShop.RefundNet(o.Refunds[0]) == SampleShop.SaleNet(o.Sale), "a full refund");
        orders.Should().Contain(o => o.Refunds.Count == 2, "an order refunded twice");
        refunds.SelectMany(r => r.Lines).Should().Contain(l => l.Restock).And.Contain(l => !l.Restock);
        foreach (var order in orders)
        {
            order.Refunds.Should().NotContain(r => r.CreatedAt < order.Sale.CreatedAt || r.CreatedAt > Now);
            foreach (var line in order.Sale.Lines)
            {
                order.Refunds.SelectMany(r => r.Lines).Where(l => l.Sku == line.Sku).Sum(l => l.Quantity).Should().BeLessThanOrEqualTo(line.Quantity);
            }
        }

        orders.Max(o => o.Sale.CreatedAt).Should().Be(Now);
    }

    [Fact]
    public void Generate_TheEndToEndTestsShop_HasEurOrdersRefundsAndUnbookedOrders()
    {
        var orders = SampleShop.Generate(StoreToBooksSampleTests.Orders, StoreToBooksSampleTests.Seed, Now);

        orders.Should().Contain(o => o.Sale.Currency == "EUR" && o.IsBooked);
        orders.Should().Contain(o => o.Refunds.Count > 0 && o.Sale.Currency == "USD");
        orders.Should().Contain(o => !o.IsBooked);
        orders.Should().Contain(o => o.Sale.DiscountCode != null);
    }

    [Fact]
    public void Generate_BooksOnHandIsStoreStockPlusPendingOrders_ForEverySku()
    {
        var orders = SampleShop.Generate(200, 42, Now);

        foreach (var product in SampleShop.Catalog)
        {
            var store = SampleShop.ExpectedStoreStock(orders, product.Sku);
            store.Should().BePositive();
            SampleShop.ExpectedOnHand(orders, product.Sku).Should().Be(store + SampleShop.HeldByPendingOrders(orders, product.Sku), product.Sku);
        }
    }

    [Fact]
    public void Seed_RoundTripsThroughItsFile()
    {
        var seed = Seed(SampleShop.Generate(40, 7, Now));

        var read = SampleSeed.FromJson(seed.ToJson())!;

        read.ToJson().Should().Be(seed.ToJson());
        SampleShop.ExpectedRevenue(read.Orders).Should().Be(SampleShop.ExpectedRevenue(seed.Orders));
        read.Setup.ToRules().Categories.Should().HaveCount(SampleShop.ProductTypes.Count);
    }

    [Fact]
    public void Rules_MapTaxesByTitle_CategoriesByProductType_AndCarryTheEurRate()
    {
        var rules = Setup().ToRules();

        rules.HomeCurrency.Should().Be("USD");
        rules.TaxCodes.Should().ContainEquivalentOf(new TaxCodeRule("TAX") { Title = "CA State Tax" });
        rules.TaxCodes.Should().ContainEquivalentOf(new TaxCodeRule("VAT20") { Title = "VAT" });
        rules.TaxCodes.Should().ContainEquivalentOf(new TaxCodeRule("NON") { Rate = 0m });
        rules.NoTaxCodeId.Should().Be("NON");
        rules.Categories.Should().ContainEquivalentOf(new CategoryRule { ProductType = "Apparel", IncomeAccountId = "income-Apparel", ClassId = "class-Apparel" });
        rules.Categories.Select(c => c.ProductType).Should().BeEquivalentTo(SampleShop.ProductTypes);
        rules.ExchangeRates.Should().Contain("EUR", 1.25m);
        (rules.ShippingAccountId, rules.DiscountAccountId, rules.RefundAccountId, rules.PaymentAccountId).Should().Be(("ship", "disc", "refund", "pay"));
    }

    [Fact]
    public void OutputLines_AreTheDocumentedOnes()
    {
        var books = new BooksFigures(Invoices: 160, CreditNotes: 31, Payments: 160, Revenue: 12345.6m, Duplicates: 0);
        var inventory = new InventoryCheck([new InventoryRow("A", 990, 3, 993m), new InventoryRow("B", 990, 0, 993m), new InventoryRow("C", null, 0, 1000m)]);

        books.ToLine(12345.6m).Should().Be("books: invoices=160 credit-notes=31 payments=160 revenue=12345.60 expected=12345.60");
        inventory.ToString().Should().Be("inventory: skus=3 matching=1");
    }

    [Fact]
    public async Task OpenAsync_RefusesAnotherPairOnTheSameState_NamingBoth()
    {
        var directory = Path.Combine(Path.GetTempPath(), "integrations-e2e", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var state = Path.Combine(directory, "x.db");
            await File.WriteAllTextAsync(state + ".seed.json", Seed(SampleShop.Generate(3, 1, Now)).ToJson());

            var open = () => OfflinePlatforms.OpenAsync(state, "woocommerce", "xero", 40, 1, 0);
            var unknown = () => OfflinePlatforms.OpenAsync(state, "magento", "xero", 40, 1, 0);

            (await open.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("holds the shopify → quickbooks shop; use another --state for woocommerce → xero");
            (await unknown.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("store must be shopify or woocommerce, not 'magento'");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static SimulatedSale Sale(IReadOnlyList<SimulatedSaleLine> lines, decimal shipping = 0, bool euro = false, string status = "paid") => new()
    {
        Email = "ada@example.com",
        Lines = lines,
        Shipping = shipping,
        PricesIncludeTax = euro,
        Currency = euro ? "EUR" : "USD",
        ExchangeRate = euro ? SampleShop.EurRate : 1m,
        Status = status,
        CreatedAt = Now,
    };

    private static SimulatedSaleRefund Refund(params SimulatedSaleRefundLine[] lines) => new() { Lines = lines, CreatedAt = Now };

    private static BooksSetup Setup() => new()
    {
        Platform = "quickbooks",
        SalesTaxCodeId = "TAX",
        VatCodeId = "VAT20",
        NoTaxCodeId = "NON",
        IncomeAccountIds = SampleShop.ProductTypes.ToDictionary(t => t, t => "income-" + t),
        ClassIds = SampleShop.ProductTypes.ToDictionary(t => t, t => "class-" + t),
        ShippingAccountId = "ship",
        DiscountAccountId = "disc",
        RefundAccountId = "refund",
        PaymentAccountId = "pay",
    };

    private static SampleSeed Seed(IReadOnlyList<SeededOrder> orders) => new() { Store = "shopify", Books = "quickbooks", Orders = orders, Setup = Setup() };
}
