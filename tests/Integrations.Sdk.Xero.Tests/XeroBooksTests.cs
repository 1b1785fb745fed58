using System.Net;
using Integrations.Sdk.Books;
using Integrations.Sdk.Testing.Xero;
using Integrations.Sdk.Transport;
using Integrations.Sdk.Xero.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.Xero.Tests;

/// <summary>Xero as the books category model (<see cref="IBooksConnector"/>) against the Xero simulator's bookkeeping rules.</summary>
public sealed class XeroBooksTests : IAsyncLifetime
{
    private static readonly DateOnly Day = new(2026, 11, 30);
    private readonly FakeTimeProvider _time = XeroHost.Clock();
    private XeroSimulator _simulator = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _simulator = new XeroSimulator(_time) { HomeCurrency = "USD" };
        _simulator.AddTaxCode("TAX20", "Sales tax 20%", 20m);
        _simulator.AddAccount("Shipping income", "REVENUE", "260");
        _simulator.AddAccount("Discounts given", "REVENUE", "270");
        _simulator.AddTrackingOption("Channel", "Online");
        _simulator.AddTrackingOption("Channel", "Retail");
        _simulator.AddItem("MUG-1", "Blue mug", quantityOnHand: 10, salesAccountCode: "200");
        await _simulator.StartAsync();
        _services = XeroHost.Build(_simulator, _time, configure: o => o.TrackingCategoryName = "Channel");
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    private IBooksConnector Books => _services.GetRequiredKeyedService<IBooksConnector>(XeroConnector.ConnectorName);

    [Fact]
    public async Task InvoicePayCredit_BooksTaxAsChargedRevenueInHomeCurrencyAndStockMoves()
    {
        var company = await Books.GetCompanyAsync();
        var customer = await Books.FindOrCreateCustomer.ExecuteAsync(new BooksCustomerDraft { Name = "Pat Doe", Email = "pat@example.com" }, XeroHost.Write(step: "customer"));
        var item = await Books.FindItemBySkuAsync("MUG-1");

        var invoice = await Books.CreateInvoice.ExecuteAsync(Invoice(customer.Id), XeroHost.Write());
        var payment = await Books.RecordPayment.ExecuteAsync(
            new BooksPaymentDraft { InvoiceId = invoice.Id, Amount = 26.99m, Date = Day, Currency = "EUR", ExchangeRate = 1.25m, AccountId = "090" },
            XeroHost.Write(step: "payment"));
        var note = await Books.CreateCreditNote.ExecuteAsync(
            new BooksCreditNoteDraft
            {
                CustomerId = customer.Id, Number = "1001-R1", OriginalInvoiceNumber = "1001", Date = Day, Currency = "EUR", ExchangeRate = 1.25m,
                Lines = [new BooksLine { ItemId = "MUG-1", Quantity = 1, UnitPrice = 10m, Amount = 10m, TaxAmount = 2m, TaxCodeId = "TAX20" }],
            },
            XeroHost.Write(recordKey: "shop:order:1001:refund:1", step: "credit-note"));
        var paid = await Books.FindInvoiceByNumberAsync("1001");

        company.Should().Be(new BooksCompany { Name = "Simulated Organisation", HomeCurrency = "USD", MultiCurrency = true });
        item.Should().BeEquivalentTo(new BooksItem { Id = "MUG-1", Sku = "MUG-1", Name = "Blue mug", TracksQuantity = true, QuantityOnHand = 10, IncomeAccountId = "200" });
        invoice.Should().BeEquivalentTo(new { Number = "1001", Currency = "EUR", Subtotal = 22m, TotalTax = 4.99m, Total = 26.99m, Balance = 26.99m },
            "net 20 + 5 shipping - 3 discount, and the tax as the store charged it (3.99, not Xero's 4.00)");
        payment.Amount.Should().Be(26.99m);
        paid!.Balance.Should().Be(0m);
        note.Should().BeEquivalentTo(new { Number = "1001-R1", Subtotal = 10m, TotalTax = 2m, Total = 12m, Balance = 12m }, "not allocated: the invoice is paid");
        _simulator.Records("CreditNotes").Single()["Reference"]!.GetValue<string>().Should().Be("1001");
        _simulator.RevenueInHomeCurrency().Should().Be(15.00m, "22 × 1.25 − 10 × 1.25, through Xero's CurrencyRate 0.8 (EUR per USD)");
        _simulator.QuantityOnHand("MUG-1").Should().Be(9m, "2 sold, 1 restocked");
        (_simulator.InvoiceCount, _simulator.CreditNoteCount, _simulator.PaymentCount, _simulator.DuplicateDocuments).Should().Be((1, 1, 1, 0));
        var lines = _simulator.Records("Invoices").Single()["LineItems"]!.AsArray();
        lines[0]!["Tracking"]![0]!["Option"]!.GetValue<string>().Should().Be("Online");
        lines[2]!["LineAmount"]!.GetValue<decimal>().Should().Be(-3m, "a discount is a negative line on its account");
    }

    [Fact]
    public async Task RetriedWrites_WithTheSameIdempotencyKey_CreateNothingNew()
    {
        var customer = await Books.FindOrCreateCustomer.ExecuteAsync(new BooksCustomerDraft { Name = "Sam" }, XeroHost.Write(step: "customer"));
        var again = await Books.FindOrCreateCustomer.ExecuteAsync(new BooksCustomerDraft { Name = "Sam" }, XeroHost.Write(step: "customer", attempt: 2));

        var first = await Books.CreateInvoice.ExecuteAsync(Invoice(customer.Id), XeroHost.Write());
        var retried = await Books.CreateInvoice.ExecuteAsync(Invoice(customer.Id), XeroHost.Write(attempt: 2));
        var pay = new BooksPaymentDraft { InvoiceId = first.Id, Amount = 26.99m, Date = Day, Currency = "EUR", AccountId = "090" };
        await Books.RecordPayment.ExecuteAsync(pay, XeroHost.Write(step: "payment"));
        await Books.RecordPayment.ExecuteAsync(pay, XeroHost.Write(step: "payment", attempt: 2));

        again.Id.Should().Be(customer.Id);
        retried.Id.Should().Be(first.Id);
        (_simulator.InvoiceCount, _simulator.PaymentCount, _simulator.DuplicateDocuments).Should().Be((1, 1, 0));
        _simulator.QuantityOnHand("MUG-1").Should().Be(8m, "the replay moved no stock");
        _simulator.Records("Contacts").Should().ContainSingle();
    }

    [Fact]
    public async Task ReadsOfTheSettings_MapToTheModel()
    {
        var taxCodes = await Books.GetTaxCodesAsync();
        var accounts = await Books.GetAccountsAsync();
        var classes = await Books.GetClassesAsync();

        taxCodes.Should().ContainEquivalentOf(new BooksTaxCode("TAX20", "Sales tax 20%", 0.2m));
        accounts.Should().ContainEquivalentOf(new BooksAccount("260", "Shipping income", "REVENUE")).And.ContainEquivalentOf(new BooksAccount("090", "Business Bank Account", "BANK"));
        classes.Should().Equal(new BooksClass("Online", "Online"), new BooksClass("Retail", "Retail"));
        (await Books.FindItemBySkuAsync("NOPE")).Should().BeNull();
        (await Books.FindInvoiceByNumberAsync("NOPE")).Should().BeNull();
    }

    [Fact]
    public async Task BadInput_IsRefusedBeforeSendingWithTheFieldNamed()
    {
        var customer = await Books.FindOrCreateCustomer.ExecuteAsync(new BooksCustomerDraft { Name = "Lee" }, XeroHost.Write(step: "customer"));
        var writes = _simulator.WriteCount;

        var noAccount = () => Books.RecordPayment.ExecuteAsync(new BooksPaymentDraft { InvoiceId = "i-1", Amount = 1m, Date = Day, Currency = "USD" }, XeroHost.Write(step: "payment"));
        var noItem = () => Books.CreateInvoice.ExecuteAsync(Invoice(customer.Id) with { Lines = [new BooksLine { Amount = 1m }] }, XeroHost.Write());
        var shippingNoAccount = () => Books.CreateInvoice.ExecuteAsync(
            Invoice(customer.Id) with { Lines = [new BooksLine { Kind = BooksLineKind.Shipping, Amount = 5m }] }, XeroHost.Write());
        var badRate = () => Books.CreateInvoice.ExecuteAsync(Invoice(customer.Id) with { ExchangeRate = 0m }, XeroHost.Write());

        (await noAccount.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("AccountId");
        (await noItem.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("Lines[0].ItemId");
        (await shippingNoAccount.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("Lines[0].AccountId");
        (await badRate.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("ExchangeRate");
        _simulator.WriteCount.Should().Be(writes, "nothing was sent");
    }

    [Fact]
    public async Task ClassWithoutTrackingCategoryName_IsRefusedNamingBoth()
    {
        await using var services = XeroHost.Build(_simulator, _time);
        var books = services.GetRequiredKeyedService<IBooksConnector>("xero");

        var act = () => books.CreateInvoice.ExecuteAsync(Invoice("c-1"), XeroHost.Write());

        var message = (await act.Should().ThrowAsync<ArgumentException>()).Which.Message;
        message.Should().Contain("Lines[0].ClassId").And.Contain("TrackingCategoryName");
        (await books.GetClassesAsync()).Should().BeEmpty("no tracking category is chosen");
    }

    [Fact]
    public async Task Simulator_RefusesOverpaymentAnUnaddedCurrencyAndStockBelowZero()
    {
        var customer = await Books.FindOrCreateCustomer.ExecuteAsync(new BooksCustomerDraft { Name = "Kim" }, XeroHost.Write(step: "customer"));
        var invoice = await Books.CreateInvoice.ExecuteAsync(Invoice(customer.Id), XeroHost.Write());

        var overpay = () => Books.RecordPayment.ExecuteAsync(
            new BooksPaymentDraft { InvoiceId = invoice.Id, Amount = 27m, Date = Day, Currency = "EUR", AccountId = "090" }, XeroHost.Write(step: "payment"));
        var yen = () => Books.CreateInvoice.ExecuteAsync(Invoice(customer.Id) with { Number = "1002", Currency = "JPY", ExchangeRate = 0.0067m }, XeroHost.Write(recordKey: "shop:order:1002"));
        var tooMany = () => Books.CreateInvoice.ExecuteAsync(
            Invoice(customer.Id) with { Number = "1003", Lines = [new BooksLine { ItemId = "MUG-1", Quantity = 9, Amount = 90m }] }, XeroHost.Write(recordKey: "shop:order:1003"));

        (await overpay.Should().ThrowAsync<PlatformException>()).Which.PlatformMessage.Should().Contain("exceeds the amount outstanding");
        (await yen.Should().ThrowAsync<PlatformException>()).Which.PlatformMessage.Should().Contain("not subscribed to currency JPY");
        var stock = (await tooMany.Should().ThrowAsync<PlatformException>()).Which;
        stock.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        stock.PlatformMessage.Should().Contain("MUG-1");
        (_simulator.InvoiceCount, _simulator.PaymentCount).Should().Be((1, 0));
        _simulator.QuantityOnHand("MUG-1").Should().Be(8m);
    }

    [Fact]
    public async Task Simulator_CountsARepeatedInvoiceNumberAsADuplicate()
    {
        var customer = await Books.FindOrCreateCustomer.ExecuteAsync(new BooksCustomerDraft { Name = "Dee" }, XeroHost.Write(step: "customer"));

        await Books.CreateInvoice.ExecuteAsync(Invoice(customer.Id), XeroHost.Write());
        await Books.CreateInvoice.ExecuteAsync(Invoice(customer.Id), XeroHost.Write(recordKey: "another:order:1001"));

        (_simulator.InvoiceCount, _simulator.DuplicateDocuments).Should().Be((2, 1), "Xero's API accepts a repeated number; the simulator counts it");
    }

    [Fact]
    public async Task Simulator_WorksOutTaxFromTheRateWhenNoTaxAmountIsGiven()
    {
        var connector = _services.GetRequiredService<XeroConnector>();
        var contact = await connector.FindOrCreateContact.ExecuteAsync(new XeroContactDraft("Ann"), XeroHost.Write(step: "contact"));

        var exclusive = await connector.CreateInvoice.ExecuteAsync(
            new XeroInvoiceDraft(contact.ContactID, [new XeroLineDraft("Mug", 3, 3.33m, AccountCode: "200", TaxType: "TAX20", DiscountRate: 10m)], Status: "AUTHORISED"),
            XeroHost.Write(recordKey: "a"));
        var inclusive = await connector.CreateInvoice.ExecuteAsync(
            new XeroInvoiceDraft(contact.ContactID, [new XeroLineDraft("Mug", 1, 12m, AccountCode: "200", TaxType: "TAX20")], LineAmountTypes: XeroLineAmountTypes.Inclusive),
            XeroHost.Write(recordKey: "b"));

        exclusive.Should().BeEquivalentTo(new { SubTotal = 8.99m, TotalTax = 1.80m, Total = 10.79m, AmountDue = 10.79m }, "9.99 less 10 % is 8.99; 20 % of it is 1.798");
        inclusive.Should().BeEquivalentTo(new { SubTotal = 10m, TotalTax = 2m, Total = 12m, Status = "DRAFT" });
        _simulator.QuantityOnHand("MUG-1").Should().Be(10m, "no tracked item was sold");
    }

    [Fact]
    public async Task SavedSimulator_LoadsWithItsBooksAndItsRefreshTokens()
    {
        var customer = await Books.FindOrCreateCustomer.ExecuteAsync(new BooksCustomerDraft { Name = "Pat" }, XeroHost.Write(step: "customer"));
        await Books.CreateInvoice.ExecuteAsync(Invoice(customer.Id), XeroHost.Write());
        var token = _simulator.IssueRefreshToken();
        var path = Path.Combine(Path.GetTempPath(), $"xero-sim-{Guid.NewGuid():N}.json");
        try
        {
            await _simulator.SaveAsync(path);
            await using var second = new XeroSimulator(_time);
            await second.LoadAsync(path);

            second.TenantId.Should().Be(_simulator.TenantId);
            second.ClientSecret.Should().Be(_simulator.ClientSecret);
            second.IsRefreshTokenValid(token).Should().BeTrue("a second run authenticates with the token the first one kept");
            (second.InvoiceCount, second.RevenueInHomeCurrency(), second.QuantityOnHand("MUG-1")).Should().Be((1, 27.50m, 8m));
            second.HomeCurrency.Should().Be("USD");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Order 1001 in EUR (1.25 USD per EUR): two mugs (tax 3.99 as charged), shipping 5 (tax 1), a 3 discount.</summary>
    private static BooksInvoiceDraft Invoice(string customerId) => new()
    {
        CustomerId = customerId,
        Number = "1001",
        Date = Day,
        Currency = "EUR",
        ExchangeRate = 1.25m,
        Reference = "#1001",
        Lines =
        [
            new BooksLine { ItemId = "MUG-1", Description = "Blue mug", Quantity = 2, UnitPrice = 10m, Amount = 20m, TaxAmount = 3.99m, TaxCodeId = "TAX20", ClassId = "Online" },
            new BooksLine { Kind = BooksLineKind.Shipping, Amount = 5m, TaxAmount = 1m, TaxCodeId = "TAX20", AccountId = "260" },
            new BooksLine { Kind = BooksLineKind.Discount, Amount = 3m, AccountId = "270" },
        ],
    };
}
