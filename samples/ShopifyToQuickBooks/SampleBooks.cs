using Integrations.Sdk.Books;
using Integrations.Sdk.Testing.QuickBooks;
using Integrations.Sdk.Testing.Xero;

namespace ShopifyToQuickBooks;

/// <summary>
/// What the sample set up in the simulated books, by the ids the books gave (QuickBooks ids; Xero account codes, tax
/// types and tracking option names): kept in the seed file, so a later run builds the same posting rules.
/// </summary>
public sealed record BooksSetup
{
    /// <summary>The books platform: <c>quickbooks</c> or <c>xero</c>.</summary>
    public required string Platform { get; init; }

    /// <summary>The tax code of the US sales tax.</summary>
    public required string SalesTaxCodeId { get; init; }

    /// <summary>The tax code of the EU VAT.</summary>
    public required string VatCodeId { get; init; }

    /// <summary>The tax code of tax-free lines.</summary>
    public required string NoTaxCodeId { get; init; }

    /// <summary>The sales income account of each product type.</summary>
    public required IReadOnlyDictionary<string, string> IncomeAccountIds { get; init; }

    /// <summary>The class (QuickBooks) or tracking option (Xero) of each product type.</summary>
    public required IReadOnlyDictionary<string, string> ClassIds { get; init; }

    /// <summary>The shipping income account.</summary>
    public required string ShippingAccountId { get; init; }

    /// <summary>The discounts account.</summary>
    public required string DiscountAccountId { get; init; }

    /// <summary>The refunds account (goods refunded but not returned).</summary>
    public required string RefundAccountId { get; init; }

    /// <summary>Where payments go: QuickBooks Undeposited Funds, the Xero bank account.</summary>
    public required string PaymentAccountId { get; init; }

    /// <summary>
    /// The posting rules of the sync, from these ids: tax codes by the store's tax title (and any zero-rate tax to the
    /// tax-free code), one category rule per product type (income account and class), the shipping, discount, refund
    /// and payment accounts, and the EUR rate for stores that do not state one (WooCommerce); a store that states its
    /// rate (Shopify) is booked at its own, the same figure here.
    /// </summary>
    public BooksPostingRules ToRules()
    {
        var rules = new BooksPostingRules
        {
            HomeCurrency = SampleShop.HomeCurrency,
            NoTaxCodeId = NoTaxCodeId,
            ShippingAccountId = ShippingAccountId,
            DiscountAccountId = DiscountAccountId,
            RefundAccountId = RefundAccountId,
            PaymentAccountId = PaymentAccountId,
            NonStockItemSku = SampleBooks.NonStockItemSku,
        };
        rules.TaxCodes.Add(new TaxCodeRule(SalesTaxCodeId) { Title = SampleShop.SalesTaxTitle });
        rules.TaxCodes.Add(new TaxCodeRule(VatCodeId) { Title = SampleShop.VatTitle });
        rules.TaxCodes.Add(new TaxCodeRule(NoTaxCodeId) { Title = SampleShop.TaxFreeTitle });
        rules.TaxCodes.Add(new TaxCodeRule(NoTaxCodeId) { Rate = 0m });
        foreach (var type in SampleShop.ProductTypes)
        {
            rules.Categories.Add(new CategoryRule { ProductType = type, IncomeAccountId = IncomeAccountIds[type], ClassId = ClassIds[type] });
        }

        rules.ExchangeRates[SampleShop.ForeignCurrency] = SampleShop.EurRate;
        return rules;
    }
}

/// <summary>Sets up the simulated books: tax codes, accounts, classes or tracking options, and the shop's items.</summary>
public static class SampleBooks
{
    /// <summary>The Xero tracking category whose options categorise lines (QuickBooks uses classes).</summary>
    public const string TrackingCategory = "Product line";

    /// <summary>
    /// The SKU of the untracked service item lines that move no stock are booked with (refunds not restocked, refund
    /// remainders): QuickBooks ignores the amount of a line without an item.
    /// </summary>
    public const string NonStockItemSku = "NON-STOCK";

    /// <summary>
    /// Sets up a QuickBooks company: tax codes for the sales tax and the VAT (a new company has <c>TAX</c> and <c>NON</c>;
    /// <c>NON</c> serves tax-free lines), income accounts per product type, shipping, discount, refund and payout
    /// clearing accounts (names of their own: a new company already has Shipping Income, Discounts given and
    /// Undeposited Funds), classes per product type, the inventory items and the untracked <see cref="NonStockItemSku"/> service item.
    /// </summary>
    /// <param name="quickBooks">The simulated company, new.</param>
    public static BooksSetup Seed(QuickBooksSimulator quickBooks)
    {
        ArgumentNullException.ThrowIfNull(quickBooks);
        quickBooks.HomeCurrency = SampleShop.HomeCurrency;
        quickBooks.AddTaxCode("5", SampleShop.SalesTaxTitle, SampleShop.SalesTaxRate * 100);
        quickBooks.AddTaxCode("6", "EU VAT 20%", SampleShop.VatRate * 100);
        var income = SampleShop.ProductTypes.ToDictionary(t => t, t => quickBooks.AddAccount($"Sales - {t}", "Income"), StringComparer.Ordinal);
        var classes = SampleShop.ProductTypes.ToDictionary(t => t, quickBooks.AddClass, StringComparer.Ordinal);
        foreach (var product in SampleShop.Catalog)
        {
            quickBooks.AddItem(product.Sku, product.Title, SampleShop.StartingStock, product.Price, income[product.ProductType], trackQtyOnHand: true);
        }

        var refunds = quickBooks.AddAccount("Refunds given", "Income");
        quickBooks.AddItem(NonStockItemSku, "Non-stock adjustments", 0, 0, refunds, trackQtyOnHand: false);

        return new BooksSetup
        {
            Platform = "quickbooks",
            SalesTaxCodeId = "5",
            VatCodeId = "6",
            NoTaxCodeId = "NON",
            IncomeAccountIds = income,
            ClassIds = classes,
            ShippingAccountId = quickBooks.AddAccount("Shipping and delivery income", "Income"),
            DiscountAccountId = quickBooks.AddAccount("Sales discounts", "Income"),
            RefundAccountId = refunds,
            PaymentAccountId = quickBooks.AddAccount("Store payouts clearing", "Other Current Asset"),
        };
    }

    /// <summary>
    /// Sets up a Xero organisation: tax rates for the sales tax and the VAT (a new organisation has <c>NONE</c>, for
    /// tax-free lines, and the bank account <c>090</c>, for payments), revenue accounts by code, the tracking category
    /// <see cref="TrackingCategory"/> with an option per product type, tracked items and the untracked <see cref="NonStockItemSku"/> item.
    /// </summary>
    /// <param name="xero">The simulated organisation, new.</param>
    public static BooksSetup Seed(XeroSimulator xero)
    {
        ArgumentNullException.ThrowIfNull(xero);
        xero.HomeCurrency = SampleShop.HomeCurrency;
        xero.AddTaxCode("TAX001", SampleShop.SalesTaxTitle, SampleShop.SalesTaxRate * 100);
        xero.AddTaxCode("TAX002", "EU VAT 20%", SampleShop.VatRate * 100);
        var code = 4010;
        var income = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var type in SampleShop.ProductTypes)
        {
            income[type] = xero.AddAccount($"Sales - {type}", "REVENUE", (code++).ToString(System.Globalization.CultureInfo.InvariantCulture));
            xero.AddTrackingOption(TrackingCategory, type);
        }

        foreach (var product in SampleShop.Catalog)
        {
            xero.AddItem(product.Sku, product.Title, SampleShop.StartingStock, income[product.ProductType], product.Price);
        }

        var refunds = xero.AddAccount("Refunds Given", "REVENUE", "4300");
        xero.AddItem(NonStockItemSku, "Non-stock adjustments", quantityOnHand: null, salesAccountCode: refunds);

        return new BooksSetup
        {
            Platform = "xero",
            SalesTaxCodeId = "TAX001",
            VatCodeId = "TAX002",
            NoTaxCodeId = "NONE",
            IncomeAccountIds = income,
            ClassIds = SampleShop.ProductTypes.ToDictionary(t => t, t => t, StringComparer.Ordinal),
            ShippingAccountId = xero.AddAccount("Shipping Income", "REVENUE", "4100"),
            DiscountAccountId = xero.AddAccount("Discounts Given", "REVENUE", "4200"),
            RefundAccountId = refunds,
            PaymentAccountId = "090",
        };
    }
}
