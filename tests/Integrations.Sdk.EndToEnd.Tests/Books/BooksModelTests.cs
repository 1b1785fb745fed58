using Integrations.Sdk.Books;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.QuickBooks;
using Integrations.Sdk.Testing.Xero;
using Integrations.Sdk.Xero;
using Microsoft.Extensions.DependencyInjection;
using ShopifyToQuickBooks;

namespace Integrations.Sdk.EndToEnd.Tests.Books;

/// <summary>
/// The books category model, the same for every books platform: the same drafts written through
/// <see cref="IBooksConnector"/> (resolved by the connector's name), into books set up alike (<see cref="SampleBooks"/>),
/// give the same revenue in home currency, the same balances and the same quantities on hand, as each platform's
/// simulator computes them from its own documents. Each platform runs every test through its subclass.
/// </summary>
public abstract class BooksModelTests : IAsyncLifetime
{
    private ServiceProvider? _provider;

    /// <summary>What the books were set up with (tax codes, accounts, classes).</summary>
    protected BooksSetup Setup { get; private set; } = null!;

    /// <summary>The connector name, and the key <see cref="IBooksConnector"/> is registered under.</summary>
    protected abstract string Platform { get; }

    /// <summary>The simulated books.</summary>
    protected abstract SimulatorHost Simulator { get; }

    private IBooksConnector Books => _provider!.GetRequiredKeyedService<IBooksConnector>(Platform);

    public async Task InitializeAsync()
    {
        await Simulator.StartAsync();
        Setup = SeedBooks();
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
    public async Task TheCompanyTaxCodesAccountsAndClasses_AreTheOnesSetUp()
    {
        var company = await Books.GetCompanyAsync();
        var codes = await Books.GetTaxCodesAsync();
        var accounts = await Books.GetAccountsAsync();
        var classes = await Books.GetClassesAsync();

        company.HomeCurrency.Should().Be("USD");
        codes.Should().Contain(c => c.Id == Setup.SalesTaxCodeId && c.Rate == SampleShop.SalesTaxRate);
        codes.Should().Contain(c => c.Id == Setup.VatCodeId && c.Rate == SampleShop.VatRate);
        codes.Should().Contain(c => c.Id == Setup.NoTaxCodeId);
        accounts.Select(a => a.Id).Should().Contain(Setup.IncomeAccountIds.Values)
            .And.Contain([Setup.ShippingAccountId, Setup.DiscountAccountId, Setup.RefundAccountId, Setup.PaymentAccountId]);
        classes.Select(c => c.Id).Should().Contain(Setup.ClassIds.Values);
        var item = await Books.FindItemBySkuAsync("SKU-HOOD-M");
        item!.TracksQuantity.Should().BeTrue();
        item.QuantityOnHand.Should().Be(SampleShop.StartingStock);
        (await Books.FindItemBySkuAsync("SKU-NOPE")).Should().BeNull();
    }

    [Fact]
    public async Task Invoice_Payment_CreditNote_GiveTheSameRevenueBalancesAndQuantities()
    {
        var customer = await CustomerAsync();
        var invoice = await Books.CreateInvoice.ExecuteAsync(await InvoiceDraftAsync(customer, "1001"), Write("1001", "invoice"));

        // 118.00 + 12.00 + 5.99 − 11.80 = 124.19 net; with 7.70 tax, 131.89.
        invoice.Subtotal.Should().Be(124.19m);
        invoice.TotalTax.Should().Be(7.70m);
        invoice.Total.Should().Be(131.89m);
        invoice.Balance.Should().Be(131.89m);
        Figures().Revenue.Should().Be(124.19m);
        OnHand("SKU-HOOD-M").Should().Be(SampleShop.StartingStock - 2);
        OnHand("SKU-TEA").Should().Be(SampleShop.StartingStock - 1);

        var payment = await Books.RecordPayment.ExecuteAsync(
            new BooksPaymentDraft { InvoiceId = invoice.Id, Amount = 131.89m, Date = Today, Currency = "USD", AccountId = Setup.PaymentAccountId },
            Write("1001", "payment"));
        payment.Amount.Should().Be(131.89m);
        (await Books.FindInvoiceByNumberAsync("1001"))!.Balance.Should().Be(0m);

        // One hoodie back to stock (net 53.10 after its share of the discount, tax 3.85), the tea refunded but not returned.
        var credit = await Books.CreateCreditNote.ExecuteAsync(new BooksCreditNoteDraft
        {
            CustomerId = customer,
            Number = "1001-R1",
            OriginalInvoiceNumber = "1001",
            Date = Today,
            Currency = "USD",
            Lines =
            [
                new BooksLine { ItemId = await ItemIdAsync("SKU-HOOD-M"), Quantity = 1, UnitPrice = 53.10m, Amount = 53.10m, TaxAmount = 3.85m, TaxCodeId = Setup.SalesTaxCodeId, AccountId = Setup.IncomeAccountIds["Apparel"], ClassId = Setup.ClassIds["Apparel"] },
                new BooksLine { Kind = BooksLineKind.Other, ItemId = await ItemIdAsync(SampleBooks.NonStockItemSku), Description = "Loose-leaf tea, not returned", UnitPrice = 12m, Amount = 12m, TaxCodeId = Setup.NoTaxCodeId, AccountId = Setup.RefundAccountId },
            ],
        }, Write("1001:refund:1", "credit-note"));

        credit.Total.Should().Be(68.95m);
        var figures = Figures();
        figures.Should().Be(new BooksFigures(Invoices: 1, CreditNotes: 1, Payments: 1, Revenue: 59.09m, Duplicates: 0));
        OnHand("SKU-HOOD-M").Should().Be(SampleShop.StartingStock - 1, "the restocked hoodie is back");
        OnHand("SKU-TEA").Should().Be(SampleShop.StartingStock - 1, "a line without an item moves no stock");
    }

    [Fact]
    public async Task InvoiceInEuros_RevenueAtTheDocumentsRate_RoundedOnce()
    {
        var customer = await CustomerAsync("EUR");

        // 2 × 15.00 + 4.90 shipping = 34.90 EUR net; × 1.25 = 43.625 → 43.63 USD (Xero: 34.90 ÷ 0.8, the same).
        var invoice = await Books.CreateInvoice.ExecuteAsync(new BooksInvoiceDraft
        {
            CustomerId = customer,
            Number = "1002",
            Date = Today,
            Currency = "EUR",
            ExchangeRate = SampleShop.EurRate,
            Lines =
            [
                new BooksLine { ItemId = await ItemIdAsync("SKU-MUG"), Quantity = 2, UnitPrice = 15m, Amount = 30m, TaxAmount = 6m, TaxCodeId = Setup.VatCodeId, AccountId = Setup.IncomeAccountIds["Home"], ClassId = Setup.ClassIds["Home"] },
                new BooksLine { Kind = BooksLineKind.Shipping, Description = "DHL international", UnitPrice = 4.90m, Amount = 4.90m, TaxCodeId = Setup.NoTaxCodeId, AccountId = Setup.ShippingAccountId },
            ],
        }, Write("1002", "invoice"));

        invoice.Currency.Should().Be("EUR");
        invoice.Total.Should().Be(40.90m);
        Figures().Revenue.Should().Be(43.63m);
        OnHand("SKU-MUG").Should().Be(SampleShop.StartingStock - 2);
    }

    [Fact]
    public async Task TheSameWritesRepeatedWithTheirKeys_BookOnce()
    {
        var customer = await CustomerAsync();
        var again = await CustomerAsync();
        var first = await Books.CreateInvoice.ExecuteAsync(await InvoiceDraftAsync(customer, "1003"), Write("1003", "invoice"));
        var second = await Books.CreateInvoice.ExecuteAsync(await InvoiceDraftAsync(customer, "1003"), Write("1003", "invoice", attempt: 2, ambiguous: true));

        again.Should().Be(customer);
        second.Id.Should().Be(first.Id);
        Figures().Should().Be(new BooksFigures(Invoices: 1, CreditNotes: 0, Payments: 0, Revenue: 124.19m, Duplicates: 0));
        OnHand("SKU-HOOD-M").Should().Be(SampleShop.StartingStock - 2);
    }

    protected abstract BooksSetup SeedBooks();

    protected abstract void AddConnector(IIntegrationsBuilder integrations);

    protected abstract BooksFigures Figures();

    protected abstract decimal? OnHand(string sku);

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UnixEpoch.AddDays(20_000));

    private static WriteContext Write(string order, string step, int attempt = 1, bool ambiguous = false) =>
        IntegrationsTestHost.Write("books-model", $"shop:order:{order}", step, attempt, ambiguous);

    private async Task<string> CustomerAsync(string? currency = null) =>
        (await Books.FindOrCreateCustomer.ExecuteAsync(
            new BooksCustomerDraft { Name = "Ada Lovelace (ada@example.com)", Email = "ada@example.com", FirstName = "Ada", LastName = "Lovelace", Currency = currency },
            Write("1001", "customer"))).Id;

    private async Task<string> ItemIdAsync(string sku) => (await Books.FindItemBySkuAsync(sku))!.Id;

    /// <summary>Two hoodies with 10 % off (taken as a discount line), a tax-free tea, shipping: as the sync would post them.</summary>
    private async Task<BooksInvoiceDraft> InvoiceDraftAsync(string customer, string number) => new()
    {
        CustomerId = customer,
        Number = number,
        Date = Today,
        Currency = "USD",
        Lines =
        [
            new BooksLine { ItemId = await ItemIdAsync("SKU-HOOD-M"), Quantity = 2, UnitPrice = 59m, Amount = 118m, TaxAmount = 7.70m, TaxCodeId = Setup.SalesTaxCodeId, AccountId = Setup.IncomeAccountIds["Apparel"], ClassId = Setup.ClassIds["Apparel"] },
            new BooksLine { ItemId = await ItemIdAsync("SKU-TEA"), Quantity = 1, UnitPrice = 12m, Amount = 12m, TaxCodeId = Setup.NoTaxCodeId, AccountId = Setup.IncomeAccountIds["Grocery"], ClassId = Setup.ClassIds["Grocery"] },
            new BooksLine { Kind = BooksLineKind.Shipping, Description = "Standard shipping", UnitPrice = 5.99m, Amount = 5.99m, TaxCodeId = Setup.NoTaxCodeId, AccountId = Setup.ShippingAccountId },
            new BooksLine { Kind = BooksLineKind.Discount, Description = SampleShop.DiscountCode, UnitPrice = 11.80m, Amount = 11.80m, AccountId = Setup.DiscountAccountId },
        ],
        Reference = number,
    };
}

/// <summary>The books model on QuickBooks Online.</summary>
public sealed class QuickBooksBooksModelTests : BooksModelTests
{
    private readonly QuickBooksSimulator _company = new() { RequestsPerSecond = 100, RequestsPerMinute = 6000 };

    protected override string Platform => "quickbooks";

    protected override SimulatorHost Simulator => _company;

    protected override BooksSetup SeedBooks() => SampleBooks.Seed(_company);

    protected override void AddConnector(IIntegrationsBuilder integrations) => integrations.AddQuickBooks(o =>
    {
        o.RealmId = _company.RealmId;
        o.ClientId = _company.ClientId;
        o.ClientSecret = _company.ClientSecret;
        o.InitialRefreshToken = _company.IssueRefreshToken();
        o.BaseAddress = _company.BaseAddress;
        o.TokenEndpoint = _company.TokenEndpoint;
    });

    protected override BooksFigures Figures() =>
        new(_company.InvoiceCount, _company.CreditNoteCount, _company.PaymentCount, _company.RevenueInHomeCurrency(), _company.DuplicateDocuments);

    protected override decimal? OnHand(string sku) => _company.QuantityOnHand(sku);
}

/// <summary>The books model on Xero.</summary>
public sealed class XeroBooksModelTests : BooksModelTests
{
    private readonly XeroSimulator _organisation = new() { MinuteLimit = 6000, DayLimit = 100_000 };

    protected override string Platform => "xero";

    protected override SimulatorHost Simulator => _organisation;

    protected override BooksSetup SeedBooks() => SampleBooks.Seed(_organisation);

    protected override void AddConnector(IIntegrationsBuilder integrations) => integrations.AddXero(o =>
    {
        o.TenantId = _organisation.TenantId;
        o.ClientId = _organisation.ClientId;
        o.ClientSecret = _organisation.ClientSecret;
        o.InitialRefreshToken = _organisation.IssueRefreshToken();
        o.BaseAddress = _organisation.BaseAddress;
        o.TokenEndpoint = _organisation.TokenEndpoint;
        o.TrackingCategoryName = SampleBooks.TrackingCategory;
    });

    protected override BooksFigures Figures() =>
        new(_organisation.InvoiceCount, _organisation.CreditNoteCount, _organisation.PaymentCount, _organisation.RevenueInHomeCurrency(), _organisation.DuplicateDocuments);

    protected override decimal? OnHand(string sku) => _organisation.QuantityOnHand(sku);
}
