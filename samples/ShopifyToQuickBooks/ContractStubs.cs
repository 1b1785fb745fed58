// TEMPORARY stand-ins for what other lanes of issue 14 build, with the contract's exact signatures
// (/work/wt/ISSUE14-CONTRACT.md). They let the sample compile before the merge; none of them works at run time.
// DELETE THIS WHOLE FILE AT MERGE. Each stub is marked with its lane.
#pragma warning disable CA1822, IDE0060, CS1591, CA1034, CA1724, CA2227, CA1056, CA1002, MA0048, MA0016, MA0025, RCS1163, S1144

using Integrations.Sdk;
using Integrations.Sdk.Testing.Commerce;
using Integrations.Sdk.Testing.QuickBooks;
using Integrations.Sdk.Testing.Shopify;
using Integrations.Sdk.Testing.WooCommerce;
using Integrations.Sdk.Testing.Xero;
using Integrations.Sdk.Xero;

namespace Integrations.Sdk.Books
{
    // STUB (lane 5a): core src/Integrations.Sdk/Categories/.
    public sealed class BooksPostingRules
    {
        public string HomeCurrency { get; set; } = "USD";

        public IList<TaxCodeRule> TaxCodes { get; } = [];

        public string? NoTaxCodeId { get; set; }

        public IList<CategoryRule> Categories { get; } = [];

        public string? ShippingAccountId { get; set; }

        public string? DiscountAccountId { get; set; }

        public string? RefundAccountId { get; set; }

        public string? PaymentAccountId { get; set; }

        public IDictionary<string, decimal> ExchangeRates { get; } = new Dictionary<string, decimal>(StringComparer.Ordinal);

        public string? DocumentNumberPrefix { get; set; }
    }

    // STUB (lane 5a)
    public sealed record TaxCodeRule(string TaxCodeId)
    {
        public string? Title { get; init; }

        public decimal? Rate { get; init; }
    }

    // STUB (lane 5a)
    public sealed record CategoryRule
    {
        public string? ProductType { get; init; }

        public string? Channel { get; init; }

        public string? Tag { get; init; }

        public string? SkuPrefix { get; init; }

        public string? IncomeAccountId { get; init; }

        public string? ClassId { get; init; }
    }
}

namespace ShopifyToQuickBooks
{
    using Integrations.Sdk.Books;

    // STUB (lane 5a): samples/ShopifyToQuickBooks/OrdersToBooks.cs.
    public static class OrdersToBooks
    {
        public const string SyncName = "store-orders-to-books";

        public static IIntegrationsBuilder AddOrdersToBooks(this IIntegrationsBuilder integrations, string store, string books, BooksPostingRules rules, int concurrency = 8) =>
            throw new NotImplementedException("STUB (lane 5a)");
    }
}

namespace Integrations.Sdk.Testing.Shopify
{
    // STUB (lane 3): ShopifySimulator.AddSale/AddRefund/StockOf, AddProduct(..., productType).
    public static class ShopifySimulatorContractStubs
    {
        extension(ShopifySimulator s)
        {
            public string AddSale(SimulatedSale sale) => throw new NotImplementedException("STUB (lane 3)");

            public string AddRefund(string orderId, SimulatedSaleRefund refund) => throw new NotImplementedException("STUB (lane 3)");

            public int? StockOf(string sku) => throw new NotImplementedException("STUB (lane 3)");

            public SimulatedVariant AddProduct(string sku, string title, decimal price, int available, string? productType) => throw new NotImplementedException("STUB (lane 3)");
        }
    }
}

namespace Integrations.Sdk.Testing.WooCommerce
{
    // STUB (lane 4): WooCommerceSimulator.AddSale/AddRefund/StockOf, AddProduct(..., productType), SaveAsync, static LoadAsync.
    public static class WooCommerceSimulatorContractStubs
    {
        extension(WooCommerceSimulator s)
        {
            public string AddSale(SimulatedSale sale) => throw new NotImplementedException("STUB (lane 4)");

            public string AddRefund(string orderId, SimulatedSaleRefund refund) => throw new NotImplementedException("STUB (lane 4)");

            public int? StockOf(string sku) => throw new NotImplementedException("STUB (lane 4)");

            public long AddProduct(string sku, string name, decimal price, int? stockQuantity, string? productType) => throw new NotImplementedException("STUB (lane 4)");

            public Task SaveAsync(string path, CancellationToken cancellationToken = default) => throw new NotImplementedException("STUB (lane 4)");
        }

        extension(WooCommerceSimulator)
        {
            public static Task<WooCommerceSimulator> LoadAsync(string path, TimeProvider? timeProvider = null, int seed = 0, CancellationToken cancellationToken = default) =>
                throw new NotImplementedException("STUB (lane 4)");
        }
    }
}

namespace Integrations.Sdk.Testing.QuickBooks
{
    // STUB (lane 1): the QuickBooksSimulator books members.
    public static class QuickBooksSimulatorContractStubs
    {
        extension(QuickBooksSimulator s)
        {
            public string HomeCurrency
            {
                get => throw new NotImplementedException("STUB (lane 1)");
                set => throw new NotImplementedException("STUB (lane 1)");
            }

            public int InvoiceCount => throw new NotImplementedException("STUB (lane 1)");

            public int CreditNoteCount => throw new NotImplementedException("STUB (lane 1)");

            public int PaymentCount => throw new NotImplementedException("STUB (lane 1)");

            public int DuplicateDocuments => throw new NotImplementedException("STUB (lane 1)");

            public decimal RevenueInHomeCurrency() => throw new NotImplementedException("STUB (lane 1)");

            public decimal? QuantityOnHand(string sku) => throw new NotImplementedException("STUB (lane 1)");

            public void AddTaxCode(string id, string name, decimal ratePercent) => throw new NotImplementedException("STUB (lane 1)");

            public string AddAccount(string name, string type, string? code = null) => throw new NotImplementedException("STUB (lane 1)");

            public string AddClass(string name) => throw new NotImplementedException("STUB (lane 1)");
        }
    }
}

namespace Integrations.Sdk.Testing.Xero
{
    // STUB (lane 2): the XeroSimulator books members, AddItem(..., salesAccountCode, unitPrice), SaveAsync/LoadAsync.
    public static class XeroSimulatorContractStubs
    {
        extension(XeroSimulator s)
        {
            public string HomeCurrency
            {
                get => throw new NotImplementedException("STUB (lane 2)");
                set => throw new NotImplementedException("STUB (lane 2)");
            }

            public int InvoiceCount => throw new NotImplementedException("STUB (lane 2)");

            public int CreditNoteCount => throw new NotImplementedException("STUB (lane 2)");

            public int PaymentCount => throw new NotImplementedException("STUB (lane 2)");

            public int DuplicateDocuments => throw new NotImplementedException("STUB (lane 2)");

            public decimal RevenueInHomeCurrency() => throw new NotImplementedException("STUB (lane 2)");

            public decimal? QuantityOnHand(string sku) => throw new NotImplementedException("STUB (lane 2)");

            public void AddTaxCode(string id, string name, decimal ratePercent) => throw new NotImplementedException("STUB (lane 2)");

            public string AddAccount(string name, string type, string? code = null) => throw new NotImplementedException("STUB (lane 2)");

            public void AddTrackingOption(string category, string option) => throw new NotImplementedException("STUB (lane 2)");

            public string AddItem(string code, string name, decimal? quantityOnHand, string? salesAccountCode, decimal? unitPrice) => throw new NotImplementedException("STUB (lane 2)");

            public Task SaveAsync(string path, CancellationToken cancellationToken = default) => throw new NotImplementedException("STUB (lane 2)");

            public Task LoadAsync(string path, CancellationToken cancellationToken = default) => throw new NotImplementedException("STUB (lane 2)");
        }
    }
}

namespace Integrations.Sdk.Xero
{
    // STUB (lane 2): the tracking category name in XeroOptions (the name lane 2 gave it in its worktree).
    public static class XeroOptionsContractStubs
    {
        extension(XeroOptions o)
        {
            public string? TrackingCategoryName
            {
                get => throw new NotImplementedException("STUB (lane 2)");
                set => throw new NotImplementedException("STUB (lane 2)");
            }
        }
    }
}
