using System.Text.Json.Nodes;
using Integrations.Sdk.Books;
using Integrations.Sdk.State;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integrations.Sdk.Xero.Tests;

/// <summary>The exact requests the books model's writes and reads become on Xero, against WireMock.</summary>
public sealed class XeroBooksRequestTests : IAsyncLifetime
{
    private const string Api = "/api.xro/2.0";
    private static readonly DateOnly Day = new(2026, 11, 30);
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly FakeTimeProvider _time = XeroHost.Clock();
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _services = XeroHost.Build(_server.Url!, _time, o => o.TrackingCategoryName = "Channel");
        await _services.GetRequiredService<ITokenStore>().SaveAsync("xero", XeroHost.Tenant, new OAuthToken("access-1", "refresh-1", _time.GetUtcNow().AddMinutes(30)));
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        _server.Stop();
    }

    private IBooksConnector Books => _services.GetRequiredKeyedService<IBooksConnector>("xero");

    [Fact]
    public async Task Invoice_WithTaxShippingDiscountTrackingAndCurrency_IsOneExclusiveAuthorisedInvoice()
    {
        _server.Given(Request.Create().WithPath(Api + "/Invoices").UsingPut()).RespondWith(Json("""
            {"Invoices":[{"InvoiceID":"inv-1","InvoiceNumber":"1001","Type":"ACCREC","Status":"AUTHORISED","CurrencyCode":"EUR","CurrencyRate":0.8,
              "SubTotal":22.00,"TotalTax":4.99,"Total":26.99,"AmountDue":26.99}]}
            """));
        var write = XeroHost.Write();

        var invoice = await Books.CreateInvoice.ExecuteAsync(new BooksInvoiceDraft
        {
            CustomerId = "c-1",
            Number = "1001",
            Date = Day,
            Currency = "eur",
            ExchangeRate = 1.25m,
            Reference = "#1001",
            Memo = "not sent: Xero invoices have no internal note",
            Lines =
            [
                new BooksLine { ItemId = "MUG-1", Description = "Blue mug", Quantity = 2, UnitPrice = 9.995m, Amount = 19.99m, TaxAmount = 3.99m, TaxCodeId = "TAX20", ClassId = "Online" },
                new BooksLine { Kind = BooksLineKind.Shipping, Description = "Standard shipping", Amount = 5m, TaxAmount = 1m, TaxCodeId = "TAX20", AccountId = "260" },
                new BooksLine { Kind = BooksLineKind.Discount, Description = "Coupon SAVE3", Amount = 3m, AccountId = "270" },
                new BooksLine { Kind = BooksLineKind.Other, Description = "Gift wrap", Amount = 0.01m, AccountId = "200", ClassId = "Online" },
            ],
        }, write);

        var request = Requests().Single();
        Header(request, "Idempotency-Key").Should().Be(write.IdempotencyKey);
        Header(request, "xero-tenant-id").Should().Be(XeroHost.Tenant);
        JsonNode.Parse(request.Body!)!.ToJsonString().Should().Be(
            "{\"Invoices\":[{\"Type\":\"ACCREC\",\"Contact\":{\"ContactID\":\"c-1\"},\"LineItems\":["
            + "{\"Description\":\"Blue mug\",\"Quantity\":2,\"ItemCode\":\"MUG-1\",\"TaxType\":\"TAX20\",\"TaxAmount\":3.99,\"LineAmount\":19.99,\"Tracking\":[{\"Name\":\"Channel\",\"Option\":\"Online\"}]},"
            + "{\"Description\":\"Standard shipping\",\"Quantity\":1,\"AccountCode\":\"260\",\"TaxType\":\"TAX20\",\"TaxAmount\":1,\"LineAmount\":5},"
            + "{\"Description\":\"Coupon SAVE3\",\"Quantity\":1,\"AccountCode\":\"270\",\"TaxAmount\":0,\"LineAmount\":-3},"
            + "{\"Description\":\"Gift wrap\",\"Quantity\":1,\"AccountCode\":\"200\",\"TaxAmount\":0,\"LineAmount\":0.01,\"Tracking\":[{\"Name\":\"Channel\",\"Option\":\"Online\"}]}],"
            + "\"Date\":\"2026-11-30\",\"DueDate\":\"2026-11-30\",\"InvoiceNumber\":\"1001\",\"Reference\":\"#1001\",\"CurrencyCode\":\"EUR\",\"CurrencyRate\":0.8,"
            + "\"LineAmountTypes\":\"Exclusive\",\"Status\":\"AUTHORISED\"}]}");
        invoice.Should().BeEquivalentTo(new BooksDocument { Id = "inv-1", Number = "1001", Currency = "EUR", Subtotal = 22m, TotalTax = 4.99m, Total = 26.99m, Balance = 26.99m });
    }

    [Fact]
    public async Task CreditNote_RefersToTheInvoiceByReference_AndPaymentGoesToTheBankAccount()
    {
        _server.Given(Request.Create().WithPath(Api + "/CreditNotes").UsingPut()).RespondWith(Json("""
            {"CreditNotes":[{"CreditNoteID":"cn-1","CreditNoteNumber":"1001-R1","Type":"ACCRECCREDIT","Status":"AUTHORISED","CurrencyCode":"GBP",
              "SubTotal":10.00,"TotalTax":2.00,"Total":12.00,"RemainingCredit":12.00}]}
            """));
        _server.Given(Request.Create().WithPath(Api + "/Payments").UsingPut())
            .RespondWith(Json("""{"Payments":[{"PaymentID":"p-1","Amount":26.99,"Invoice":{"InvoiceID":"inv-1"},"Status":"AUTHORISED"}]}"""));

        var note = await Books.CreateCreditNote.ExecuteAsync(new BooksCreditNoteDraft
        {
            CustomerId = "c-1",
            Number = "1001-R1",
            OriginalInvoiceNumber = "1001",
            Date = Day,
            Currency = "GBP",
            ExchangeRate = 1.27m,
            Reference = "refund 55",
            Lines = [new BooksLine { ItemId = "MUG-1", Amount = 10m, TaxAmount = 2m, TaxCodeId = "TAX20" }],
        }, XeroHost.Write(step: "credit-note"));
        var payment = await Books.RecordPayment.ExecuteAsync(
            new BooksPaymentDraft { InvoiceId = "inv-1", Amount = 26.99m, Date = Day, Currency = "GBP", ExchangeRate = 1.27m, AccountId = "090", Reference = "ch_1" },
            XeroHost.Write(step: "payment"));

        Requests().Select(r => JsonNode.Parse(r.Body!)!.ToJsonString()).Should().Equal(
            "{\"CreditNotes\":[{\"Type\":\"ACCRECCREDIT\",\"Contact\":{\"ContactID\":\"c-1\"},\"LineItems\":["
            + "{\"Description\":\"MUG-1\",\"Quantity\":1,\"ItemCode\":\"MUG-1\",\"TaxType\":\"TAX20\",\"TaxAmount\":2,\"LineAmount\":10}],"
            + "\"Date\":\"2026-11-30\",\"CreditNoteNumber\":\"1001-R1\",\"Reference\":\"1001\",\"CurrencyCode\":\"GBP\",\"CurrencyRate\":0.787402,"
            + "\"LineAmountTypes\":\"Exclusive\",\"Status\":\"AUTHORISED\"}]}",
            "{\"Payments\":[{\"Invoice\":{\"InvoiceID\":\"inv-1\"},\"Account\":{\"Code\":\"090\"},\"Amount\":26.99,\"Date\":\"2026-11-30\",\"Reference\":\"ch_1\",\"CurrencyRate\":0.787402}]}");
        Requests().Select(r => r.Path).Should().NotContain(p => p.Contains("Allocations", StringComparison.Ordinal), "a credit note is not allocated");
        note.Should().BeEquivalentTo(new { Id = "cn-1", Number = "1001-R1", Total = 12m, Balance = 12m });
        payment.Should().Be(new BooksPayment { Id = "p-1", InvoiceId = "inv-1", Amount = 26.99m });
    }

    [Fact]
    public async Task Company_ReadsOrganisationAndCurrencies()
    {
        _server.Given(Request.Create().WithPath(Api + "/Organisation").UsingGet())
            .RespondWith(Json("""{"Organisations":[{"OrganisationID":"o-1","Name":"Acme Ltd","BaseCurrency":"NZD","CountryCode":"NZ"}]}"""));
        _server.Given(Request.Create().WithPath(Api + "/Currencies").UsingGet())
            .RespondWith(Json("""{"Currencies":[{"Code":"NZD","Description":"New Zealand Dollar"}]}"""));

        var company = await Books.GetCompanyAsync();

        company.Should().Be(new BooksCompany { Name = "Acme Ltd", HomeCurrency = "NZD", MultiCurrency = false });
        Requests().Select(r => r.Path).Should().Equal(Api + "/Organisation", Api + "/Currencies");
    }

    [Fact]
    public async Task FindInvoiceByNumber_QueriesWhereInvoiceNumberEquals()
    {
        _server.Given(Request.Create().WithPath(Api + "/Invoices").UsingGet()).RespondWith(Json("""
            {"Invoices":[{"InvoiceID":"inv-7","InvoiceNumber":"W-1001","CurrencyCode":"USD","SubTotal":10,"TotalTax":1,"Total":11,"AmountDue":0}]}
            """));

        var found = await Books.FindInvoiceByNumberAsync("W-1001");

        Requests().Single().Query!["where"].Single().Should().Be("InvoiceNumber==\"W-1001\"");
        found.Should().BeEquivalentTo(new BooksDocument { Id = "inv-7", Number = "W-1001", Currency = "USD", Subtotal = 10m, TotalTax = 1m, Total = 11m, Balance = 0m });
    }

    private static IResponseBuilder Json(string body) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body);

    private List<IRequestMessage> Requests() => [.. _server.LogEntries.Select(e => e.RequestMessage!)];

    private static string Header(IRequestMessage request, string name) =>
        request.Headers!.TryGetValue(name, out var values) ? string.Join(", ", values) : string.Empty;
}
