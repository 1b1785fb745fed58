using Integrations.Sdk.Books;
using Integrations.Sdk.QuickBooks.Models;
using Integrations.Sdk.QuickBooks.Tests.Support;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.QuickBooks;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Sdk.QuickBooks.Tests.Simulator;

/// <summary>
/// QuickBooks through the books category model (<see cref="IBooksConnector"/>, resolved by its key) against the
/// simulator: invoice, payment and credit memo, with the revenue, balances and quantities on hand they leave behind.
/// Every request and answer is checked against Intuit's XSD.
/// </summary>
public sealed class BooksConnectorTests : IAsyncLifetime
{
    private static readonly DateOnly Day = new(2026, 11, 27);
    private readonly QuickBooksSimulator _simulator = new(realmId: QboHost.Realm);
    private ServiceProvider _services = null!;
    private string _mugId = null!;
    private string _vatId = "7";
    private string _bankId = null!;
    private string _shippingId = null!;
    private string _retailId = null!;

    public async Task InitializeAsync()
    {
        await _simulator.StartAsync();
        _simulator.RequestsPerSecond = 0;
        _simulator.AddTaxCode(_vatId, "VAT 20%", 20m);
        _bankId = _simulator.AddAccount("Business Checking", "Bank", "1010");
        _shippingId = _simulator.AddAccount("Postage Income", "Income", "4020");
        _retailId = _simulator.AddClass("Retail");
        _mugId = _simulator.AddItem("MUG", "Mug", 10, 12.50m).Id;
        _services = QboHost.Build(_simulator, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    private IBooksConnector Books => _services.GetRequiredKeyedService<IBooksConnector>("quickbooks");

    [Fact]
    public async Task InvoicePayCredit_InAForeignCurrency_LeavesTheRevenueBalancesAndStockQuickBooksWould()
    {
        var company = await Books.GetCompanyAsync();
        var customer = await Books.FindOrCreateCustomer.ExecuteAsync(new BooksCustomerDraft { Name = "Pat O'Brien", Email = "pat@example.com", Currency = "EUR" }, QboHost.Write("shop:order:1001", "customer"));
        var mug = await Books.FindItemBySkuAsync("MUG");

        // 2 mugs at 12.50 + 5.00 shipping − 3.00 discount, tax as charged 5.40: total 29.40 EUR at 1.1 USD per EUR.
        var invoice = await Books.CreateInvoice.ExecuteAsync(new BooksInvoiceDraft
        {
            CustomerId = customer.Id,
            Number = "1001",
            Date = Day,
            Currency = "EUR",
            ExchangeRate = 1.1m,
            Lines =
            [
                new BooksLine { ItemId = mug!.Id, Quantity = 2, UnitPrice = 12.50m, Amount = 25.00m, TaxAmount = 4.40m, TaxCodeId = _vatId, ClassId = _retailId },
                new BooksLine { Kind = BooksLineKind.Shipping, Amount = 5.00m, TaxAmount = 1.00m, TaxCodeId = _vatId, AccountId = _shippingId },
                new BooksLine { Kind = BooksLineKind.Discount, Amount = 3.00m, AccountId = "86", ClassId = _retailId },
            ],
        }, QboHost.Write("shop:order:1001", "invoice"));
        var payment = await Books.RecordPayment.ExecuteAsync(
            new BooksPaymentDraft { InvoiceId = invoice.Id, Amount = invoice.Total, Date = Day, Currency = "EUR", ExchangeRate = 1.1m, AccountId = _bankId },
            QboHost.Write("shop:order:1001", "payment"));
        var credit = await Books.CreateCreditNote.ExecuteAsync(new BooksCreditNoteDraft
        {
            CustomerId = customer.Id,
            Number = "1001-R1",
            OriginalInvoiceNumber = "1001",
            Date = Day.AddDays(1),
            Currency = "EUR",
            ExchangeRate = 1.1m,
            Lines = [new BooksLine { ItemId = mug.Id, UnitPrice = 12.50m, Amount = 12.50m, TaxAmount = 2.20m, TaxCodeId = _vatId }],
        }, QboHost.Write("shop:order:1001:refund:1", "credit"));

        company.Should().BeEquivalentTo(new BooksCompany { Name = "Simulated Company", HomeCurrency = "USD", MultiCurrency = true });
        mug.Should().Match<BooksItem>(m => m.TracksQuantity && m.QuantityOnHand == 10 && m.Sku == "MUG" && m.IncomeAccountId == "79");
        invoice.Should().BeEquivalentTo(new BooksDocument { Id = invoice.Id, Number = "1001", Currency = "EUR", Subtotal = 27.00m, TotalTax = 5.40m, Total = 32.40m, Balance = 32.40m });
        payment.Amount.Should().Be(32.40m);
        credit.Should().BeEquivalentTo(new BooksDocument { Id = credit.Id, Number = "1001-R1", Currency = "EUR", Subtotal = 12.50m, TotalTax = 2.20m, Total = 14.70m, Balance = 14.70m });
        (await Books.FindInvoiceByNumberAsync("1001"))!.Balance.Should().Be(0m, "the payment paid the invoice in full");
        (await Books.FindInvoiceByNumberAsync("404")).Should().BeNull();

        _simulator.InvoiceCount.Should().Be(1);
        _simulator.PaymentCount.Should().Be(1);
        _simulator.CreditNoteCount.Should().Be(1);
        _simulator.DuplicateDocuments.Should().Be(0);
        _simulator.RevenueInHomeCurrency().Should().Be(29.70m - 13.75m, "27.00 EUR net invoiced, 12.50 EUR credited, at 1.1");
        _simulator.QuantityOnHand("MUG").Should().Be(9, "2 sold, 1 returned");
        _simulator.QuantityOnHand("NOPE").Should().BeNull();
        _simulator.CreditMemos.Single().Should().Match<SimulatedTransaction>(m => m.Currency == "EUR" && m.ExchangeRate == 1.1m && m.TotalTax == 2.20m);
        _simulator.Customers.Single().Balance.Should().Be(-14.70m, "the credit memo is an open credit of the customer");
    }

    [Fact]
    public async Task Customers_AreOnePerCurrency_NamedWithTheCode_AndFoundAgain()
    {
        var home = await Books.FindOrCreateCustomer.ExecuteAsync(new BooksCustomerDraft { Name = "Ada Lovelace (ada@x.com)", Email = "ada@x.com" }, QboHost.Write("o:1", "customer"));
        var euro = await Books.FindOrCreateCustomer.ExecuteAsync(new BooksCustomerDraft { Name = "Ada Lovelace (ada@x.com)", Email = "ada@x.com", Currency = "eur" }, QboHost.Write("o:2", "customer"));
        var euroAgain = await Books.FindOrCreateCustomer.ExecuteAsync(new BooksCustomerDraft { Name = "Ada Lovelace (ada@x.com)", Email = "ada@x.com", Currency = "EUR" }, QboHost.Write("o:3", "customer"));
        var homeByCode = await Books.FindOrCreateCustomer.ExecuteAsync(new BooksCustomerDraft { Name = "Ada Lovelace (ada@x.com)", Email = "ada@x.com", Currency = "USD" }, QboHost.Write("o:4", "customer"));

        home.Name.Should().Be("Ada Lovelace (ada@x.com)");
        euro.Name.Should().Be("Ada Lovelace (ada@x.com) EUR");
        euro.Id.Should().NotBe(home.Id);
        euroAgain.Id.Should().Be(euro.Id, "the EUR customer is found again by its email and currency");
        homeByCode.Id.Should().Be(home.Id, "the home currency named by its code is the home customer");
        _simulator.Customers.Should().HaveCount(2);
        _simulator.DuplicateCustomers.Should().BeEmpty("one person in two currencies is two QuickBooks customers, not a duplicate");

        // Each takes documents in its own currency only.
        var eurInvoice = () => Books.CreateInvoice.ExecuteAsync(Invoice(euro.Id, "2001", "EUR"), QboHost.Write("o:2", "invoice"));
        var usdInvoiceToEuroCustomer = () => Books.CreateInvoice.ExecuteAsync(Invoice(euro.Id, "2002", "USD"), QboHost.Write("o:5", "invoice"));
        await eurInvoice.Should().NotThrowAsync();
        (await usdInvoiceToEuroCustomer.Should().ThrowAsync<PlatformException>()).Which.ErrorCode.Should().Be("6000");
    }

    [Fact]
    public async Task DiscountLines_AreMergedIntoOneDiscountLine_AndOtherLinesPostOnTheirServiceItem()
    {
        var service = _simulator.AddItem("SVC", "Adjustments", 0, 0, trackQtyOnHand: false);
        var customer = await Books.FindOrCreateCustomer.ExecuteAsync(new BooksCustomerDraft { Name = "Pat", Email = "pat@example.com" }, QboHost.Write("o:1", "customer"));

        // 2 mugs 25.00 − 2.00, 1 mug 12.50 − 1.50, a 4.00 line on the service item: net 38.00.
        var invoice = await Books.CreateInvoice.ExecuteAsync(new BooksInvoiceDraft
        {
            CustomerId = customer.Id, Number = "3001", Date = Day, Currency = "USD",
            Lines =
            [
                new BooksLine { ItemId = _mugId, Quantity = 2, UnitPrice = 12.50m, Amount = 25.00m },
                new BooksLine { Kind = BooksLineKind.Discount, Amount = 2.00m, AccountId = "86" },
                new BooksLine { ItemId = _mugId, Quantity = 1, UnitPrice = 12.50m, Amount = 12.50m },
                new BooksLine { Kind = BooksLineKind.Discount, Amount = 1.50m, AccountId = "86" },
                new BooksLine { Kind = BooksLineKind.Other, ItemId = service.Id, UnitPrice = 4.00m, Amount = 4.00m, AccountId = _shippingId },
            ],
        }, QboHost.Write("o:1", "invoice"));

        invoice.Subtotal.Should().Be(38.00m);
        invoice.Total.Should().Be(38.00m);
        _simulator.RevenueInHomeCurrency().Should().Be(38.00m, "the service item's line is posted, and both discounts");
        _simulator.QuantityOnHand("MUG").Should().Be(7);
        _simulator.QuantityOnHand("SVC").Should().BeNull("an untracked item moves no stock");
    }

    private BooksInvoiceDraft Invoice(string customerId, string number, string currency) => new()
    {
        CustomerId = customerId, Number = number, Date = Day, Currency = currency, ExchangeRate = currency == "USD" ? null : 1.1m,
        Lines = [new BooksLine { ItemId = _mugId, UnitPrice = 12.50m, Amount = 12.50m }],
    };

    [Fact]
    public async Task RetriedWrites_WithTheSameRequestId_CreateEachDocumentOnce()
    {
        var customer = _simulator.AddCustomer("Pat");
        foreach (var endpoint in new[] { "invoice.create", "payment.create", "creditmemo.create" })
        {
            _simulator.Faults.Add(endpoint, FaultKind.CommitThenDrop);
        }

        var draft = new BooksInvoiceDraft
        {
            CustomerId = customer.Id,
            Number = "1002",
            Date = Day,
            Currency = "USD",
            Lines = [new BooksLine { ItemId = _mugId, Quantity = 3, UnitPrice = 12.50m, Amount = 37.50m }],
        };
        var invoice = await Books.CreateInvoice.ExecuteAsync(draft, QboHost.Write("shop:order:1002", "invoice"));
        var again = await Books.CreateInvoice.ExecuteAsync(draft, QboHost.Write("shop:order:1002", "invoice"));
        var pay = new BooksPaymentDraft { InvoiceId = invoice.Id, Amount = 37.50m, Date = Day, Currency = "USD" };
        await Books.RecordPayment.ExecuteAsync(pay, QboHost.Write("shop:order:1002", "payment"));
        await Books.RecordPayment.ExecuteAsync(pay, QboHost.Write("shop:order:1002", "payment"));
        var note = new BooksCreditNoteDraft
        {
            CustomerId = customer.Id, Number = "1002-R1", OriginalInvoiceNumber = "1002", Date = Day, Currency = "USD",
            Lines = [new BooksLine { ItemId = _mugId, UnitPrice = 12.50m, Amount = 12.50m }],
        };
        await Books.CreateCreditNote.ExecuteAsync(note, QboHost.Write("shop:order:1002:refund:1", "credit"));
        await Books.CreateCreditNote.ExecuteAsync(note, QboHost.Write("shop:order:1002:refund:1", "credit"));

        again.Id.Should().Be(invoice.Id);
        (_simulator.InvoiceCount, _simulator.PaymentCount, _simulator.CreditNoteCount).Should().Be((1, 1, 1));
        _simulator.DuplicateDocuments.Should().Be(0);
        _simulator.ReplayedCount.Should().BeGreaterThanOrEqualTo(6, "each write was retried after its dropped answer, then run again");
        _simulator.QuantityOnHand("MUG").Should().Be(8, "3 sold and 1 returned, each once");
        _simulator.RevenueInHomeCurrency().Should().Be(25.00m);
    }

    [Fact]
    public async Task APaymentWithANewRequestId_OverpaysTheInvoice_AndCountsAsADuplicate()
    {
        var customer = _simulator.AddCustomer("Pat");
        var invoice = await Books.CreateInvoice.ExecuteAsync(new BooksInvoiceDraft
        {
            CustomerId = customer.Id, Number = "1003", Date = Day, Currency = "USD",
            Lines = [new BooksLine { ItemId = _mugId, UnitPrice = 12.50m, Amount = 12.50m, TaxAmount = 1.00m }],
        }, QboHost.Write("shop:order:1003", "invoice"));
        var pay = new BooksPaymentDraft { InvoiceId = invoice.Id, Amount = 13.50m, Date = Day, Currency = "USD" };

        await Books.RecordPayment.ExecuteAsync(pay, QboHost.Write("shop:order:1003", "payment", attempt: 1));
        _simulator.DuplicateDocuments.Should().Be(0);
        await Books.RecordPayment.ExecuteAsync(pay, QboHost.Write("shop:order:1003-again", "payment"));

        _simulator.DuplicateDocuments.Should().Be(1);
        _simulator.Invoices.Single().Balance.Should().Be(-13.50m);
    }

    [Fact]
    public async Task ForeignCurrency_WhenMulticurrencyIsOff_IsRefusedNamingCurrencyRef()
    {
        _simulator.MultiCurrencyEnabled = false;
        var customer = _simulator.AddCustomer("Pat");

        var act = () => Books.CreateInvoice.ExecuteAsync(new BooksInvoiceDraft
        {
            CustomerId = customer.Id, Number = "1004", Date = Day, Currency = "EUR", ExchangeRate = 1.1m,
            Lines = [new BooksLine { ItemId = _mugId, UnitPrice = 12.50m, Amount = 12.50m }],
        }, QboHost.Write("shop:order:1004", "invoice"));

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.ErrorCode.Should().Be("6000");
        error.Message.Should().Contain("multicurrency").And.Contain("CurrencyRef");
        error.IsRetryable.Should().BeFalse();
        _simulator.InvoiceCount.Should().Be(0);
        (await Books.GetCompanyAsync()).MultiCurrency.Should().BeFalse();
    }

    [Fact]
    public async Task UnknownReferences_AreRefusedNamingTheElement_AndNothingIsWritten()
    {
        var customer = _simulator.AddCustomer("Pat");
        BooksInvoiceDraft Draft(BooksLine line) => new() { CustomerId = customer.Id, Number = "1005", Date = Day, Currency = "USD", Lines = [line] };

        var badClass = () => Books.CreateInvoice.ExecuteAsync(Draft(new BooksLine { ItemId = _mugId, UnitPrice = 1m, Amount = 1m, ClassId = "999" }), QboHost.Write("a", "invoice"));
        var badTax = () => Books.CreateInvoice.ExecuteAsync(Draft(new BooksLine { ItemId = _mugId, UnitPrice = 1m, Amount = 1m, TaxCodeId = "999" }), QboHost.Write("b", "invoice"));
        var badDiscountAccount = () => Books.CreateInvoice.ExecuteAsync(
            Draft(new BooksLine { Kind = BooksLineKind.Discount, Amount = 1m, AccountId = "999" }) with
            {
                Lines = [new BooksLine { ItemId = _mugId, UnitPrice = 2m, Amount = 2m }, new BooksLine { Kind = BooksLineKind.Discount, Amount = 1m, AccountId = "999" }],
            }, QboHost.Write("c", "invoice"));
        var noInvoice = () => Books.RecordPayment.ExecuteAsync(new BooksPaymentDraft { InvoiceId = "999", Amount = 1m, Date = Day, Currency = "USD" }, QboHost.Write("d", "payment"));

        (await badClass.Should().ThrowAsync<PlatformException>()).Which.Message.Should().Contain("2500").And.Contain("ClassRef");
        (await badTax.Should().ThrowAsync<PlatformException>()).Which.Message.Should().Contain("TaxCodeRef");
        (await badDiscountAccount.Should().ThrowAsync<PlatformException>()).Which.Message.Should().Contain("DiscountAccountRef");
        (await noInvoice.Should().ThrowAsync<PlatformException>()).Which.ErrorCode.Should().Be("invoice_not_found");
        _simulator.InvoiceCount.Should().Be(0);
        _simulator.Items.Single().QtyOnHand.Should().Be(10);
    }

    [Fact]
    public async Task Reads_TaxCodesAccountsAndClasses_AsTheSimulatorWasSeeded()
    {
        var taxCodes = await Books.GetTaxCodesAsync();
        var accounts = await Books.GetAccountsAsync();
        var classes = await Books.GetClassesAsync();

        taxCodes.Should().Contain(new BooksTaxCode(_vatId, "VAT 20%", 0.2m)).And.Contain(new BooksTaxCode("NON", "NON", 0m));
        accounts.Should().Contain(new BooksAccount(_bankId, "Business Checking", "Bank")).And.Contain(a => a.Id == "79" && a.Type == "Income");
        classes.Should().Equal(new BooksClass(_retailId, "Retail"));
        _services.GetRequiredKeyedService<IBooksConnector>("quickbooks").Should().BeSameAs(_services.GetRequiredService<QuickBooksConnector>());
    }

    [Fact]
    public async Task SaveAndLoad_KeepTheBooks()
    {
        var customer = _simulator.AddCustomer("Pat");
        var invoice = await Books.CreateInvoice.ExecuteAsync(new BooksInvoiceDraft
        {
            CustomerId = customer.Id, Number = "1006", Date = Day, Currency = "USD",
            Lines = [new BooksLine { ItemId = _mugId, Quantity = 2, UnitPrice = 12.50m, Amount = 25.00m, ClassId = _retailId }],
        }, QboHost.Write("shop:order:1006", "invoice"));
        await Books.RecordPayment.ExecuteAsync(new BooksPaymentDraft { InvoiceId = invoice.Id, Amount = 25m, Date = Day, Currency = "USD", AccountId = _bankId }, QboHost.Write("shop:order:1006", "payment"));
        var path = Path.Combine(Path.GetTempPath(), $"qbo-books-{Guid.NewGuid():N}.json");
        try
        {
            await _simulator.SaveAsync(path);
            await using var loaded = new QuickBooksSimulator(realmId: QboHost.Realm);
            await loaded.LoadAsync(path);

            (loaded.InvoiceCount, loaded.PaymentCount).Should().Be((1, 1));
            loaded.RevenueInHomeCurrency().Should().Be(25.00m);
            loaded.QuantityOnHand("MUG").Should().Be(8);
            loaded.Invoices.Single().Balance.Should().Be(0m);
            loaded.AddClass("Wholesale").Should().NotBe(_retailId, "the id counter was saved too");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
