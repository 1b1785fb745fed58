using System.Text.Json.Nodes;
using Integrations.Sdk.Books;
using Integrations.Sdk.QuickBooks.Models;
using Integrations.Sdk.QuickBooks.Tests.Support;
using Integrations.Sdk.State;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integrations.Sdk.QuickBooks.Tests.Transport;

/// <summary>
/// The exact requests of the books writes (credit memos, payments, invoices with shipping, discounts, tax, currency and
/// classes) and of the books category model, against WireMock; every request is also checked against Intuit's XSD.
/// </summary>
public sealed class QuickBooksBooksRequestTests : IAsyncLifetime
{
    private const string Api = "/v3/company/" + QboHost.Realm;
    private const string Time = "\"time\":\"2026-11-27T18:00:00.000-08:00\"";
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly FakeTimeProvider _time = QboHost.Clock();
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _services = QboHost.Build(_server.Url!, _time);
        await _services.GetRequiredService<ITokenStore>().SaveAsync("quickbooks", QboHost.Realm, new OAuthToken("access-1", "refresh-1", _time.GetUtcNow().AddHours(1)));
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        _server.Stop();
    }

    private QuickBooksConnector Connector => _services.GetRequiredService<QuickBooksConnector>();

    private IBooksConnector Books => _services.GetRequiredKeyedService<IBooksConnector>("quickbooks");

    [Fact]
    public async Task CreateInvoice_WithShippingDiscountTaxCurrencyAndClass_SendsExactlyTheseFields()
    {
        _server.Given(Request.Create().WithPath(Api + "/invoice").UsingPost()).RespondWith(Json(200, "{\"Invoice\":{\"Id\":\"130\",\"DocNumber\":\"1001\"}," + Time + "}"));

        await Connector.CreateInvoice.ExecuteAsync(new QboInvoiceDraft
        {
            CustomerId = "58",
            DocNumber = "1001",
            CurrencyCode = "EUR",
            ExchangeRate = 1.1m,
            TotalTax = 6.00m,
            GlobalTaxCalculation = QboGlobalTaxCalculation.TaxExcluded,
            Lines =
            [
                new QboLineDraft { ItemId = "11", Qty = 2, UnitPrice = 12.50m, TaxCodeId = "5", ClassId = "3" },
                QboLineDraft.Shipping(5.00m, "5"),
            ],
            Discounts = [new QboDiscountDraft { Amount = 3.00m, DiscountAccountId = "86", ClassId = "3" }],
        }, QboHost.Write());

        Body(Requests().Single()).Should().Be(
            """
            {"DocNumber":"1001","CustomerRef":{"value":"58"},"Line":[
            {"DetailType":"SalesItemLineDetail","Amount":25.00,"SalesItemLineDetail":{"ItemRef":{"value":"11"},"Qty":2,"UnitPrice":12.50,"TaxCodeRef":{"value":"5"},"ClassRef":{"value":"3"}}},
            {"DetailType":"SalesItemLineDetail","Amount":5.00,"SalesItemLineDetail":{"ItemRef":{"value":"SHIPPING_ITEM_ID"},"TaxCodeRef":{"value":"5"}}},
            {"DetailType":"DiscountLineDetail","Amount":3.00,"DiscountLineDetail":{"PercentBased":false,"DiscountAccountRef":{"value":"86"},"ClassRef":{"value":"3"}}}],
            "CurrencyRef":{"value":"EUR"},"ExchangeRate":1.1,"TxnTaxDetail":{"TotalTax":6.00},"GlobalTaxCalculation":"TaxExcluded"}
            """.ReplaceLineEndings(string.Empty));
    }

    [Fact]
    public async Task CreateCreditMemo_PostsToCreditMemoWithTheRequestId_AndReadsTheCreditLeft()
    {
        _server.Given(Request.Create().WithPath(Api + "/creditmemo").UsingPost()).RespondWith(Json(200, """
            {"CreditMemo":{"Id":"140","SyncToken":"0","DocNumber":"1001-R1","TotalAmt":15.00,"Balance":15.00,"RemainingCredit":15.00,
             "CurrencyRef":{"value":"USD","name":"United States Dollar"},"TxnTaxDetail":{"TotalTax":2.50},"CustomerMemo":{"value":"Credit for invoice 1001"},
             "Line":[{"Id":"1","LineNum":1,"Amount":12.50,"DetailType":"SalesItemLineDetail","SalesItemLineDetail":{"ItemRef":{"value":"11","name":"Mug"},"Qty":1,"UnitPrice":12.50}}]},
             "time":"2026-11-27T18:00:00.000-08:00"}
            """));
        var write = QboHost.Write(step: "credit");

        var memo = await Connector.CreateCreditMemo.ExecuteAsync(new QboCreditMemoDraft
        {
            CustomerId = "58",
            DocNumber = "1001-R1",
            CustomerMemo = "Credit for invoice 1001",
            TotalTax = 2.50m,
            Lines = [new QboLineDraft { ItemId = "11", UnitPrice = 12.50m }],
        }, write);

        var request = Requests().Single();
        request.Path.Should().Be(Api + "/creditmemo");
        Query(request, "requestid").Should().Be(write.IdempotencyKey);
        Body(request).Should().Be(
            """
            {"DocNumber":"1001-R1","CustomerRef":{"value":"58"},"Line":[{"DetailType":"SalesItemLineDetail","Amount":12.50,"SalesItemLineDetail":{"ItemRef":{"value":"11"},"Qty":1,"UnitPrice":12.50}}],
            "TxnTaxDetail":{"TotalTax":2.50},"CustomerMemo":{"value":"Credit for invoice 1001"}}
            """.ReplaceLineEndings(string.Empty));
        memo.Id.Should().Be("140");
        memo.RemainingCredit.Should().Be(15.00m);
        memo.TxnTaxDetail!.TotalTax.Should().Be(2.50m);
    }

    [Fact]
    public async Task CreatePayment_LinksEachLineToItsInvoice_WithTotalCurrencyRateAndDepositAccount()
    {
        _server.Given(Request.Create().WithPath(Api + "/payment").UsingPost()).RespondWith(Json(200, """
            {"Payment":{"Id":"150","SyncToken":"0","TotalAmt":33.00,"UnappliedAmt":0,"CustomerRef":{"value":"58","name":"Pat"},
             "Line":[{"Amount":33.00,"LinkedTxn":[{"TxnId":"130","TxnType":"Invoice"}]}]},"time":"2026-11-27T18:00:00.000-08:00"}
            """));
        var write = QboHost.Write(step: "payment");

        var payment = await Connector.CreatePayment.ExecuteAsync(new QboPaymentDraft
        {
            CustomerId = "58",
            Lines = [new QboPaymentLineDraft("130", 33.00m)],
            TxnDate = new DateOnly(2026, 11, 27),
            CurrencyCode = "EUR",
            ExchangeRate = 1.1m,
            DepositToAccountId = "35",
            PaymentRefNum = "gw-77",
        }, write);

        var request = Requests().Single();
        request.Path.Should().Be(Api + "/payment");
        Query(request, "requestid").Should().Be(write.IdempotencyKey);
        Body(request).Should().Be(
            """
            {"TxnDate":"2026-11-27","CustomerRef":{"value":"58"},"CurrencyRef":{"value":"EUR"},"ExchangeRate":1.1,"TotalAmt":33.00,
            "DepositToAccountRef":{"value":"35"},"PaymentRefNum":"gw-77","Line":[{"Amount":33.00,"LinkedTxn":[{"TxnId":"130","TxnType":"Invoice"}]}]}
            """.ReplaceLineEndings(string.Empty));
        payment.Id.Should().Be("150");
        payment.Line![0].LinkedTxn![0].TxnId.Should().Be("130");
    }

    [Fact]
    public async Task BooksCreateInvoice_MapsEachLineKind_AndRecordsTheTaxAsChargedTaxExclusive()
    {
        _server.Given(Request.Create().WithPath(Api + "/invoice").UsingPost()).RespondWith(Json(200, """
            {"Invoice":{"Id":"130","DocNumber":"1001","CurrencyRef":{"value":"EUR"},"TotalAmt":42.00,"Balance":42.00,"TxnTaxDetail":{"TotalTax":6.00},
             "Line":[{"Amount":25.00,"DetailType":"SalesItemLineDetail","SalesItemLineDetail":{"ItemRef":{"value":"11"},"Qty":2,"UnitPrice":12.50}},
                     {"Amount":5.00,"DetailType":"SalesItemLineDetail","SalesItemLineDetail":{"ItemRef":{"value":"SHIPPING_ITEM_ID"}}},
                     {"Amount":9.00,"DetailType":"SalesItemLineDetail","SalesItemLineDetail":{"Qty":1,"UnitPrice":9.00,"ItemAccountRef":{"value":"90"}}},
                     {"Amount":39.00,"DetailType":"SubTotalLineDetail","SubTotalLineDetail":{}},
                     {"Amount":3.00,"DetailType":"DiscountLineDetail","DiscountLineDetail":{"PercentBased":false}}]},
             "time":"2026-11-27T18:00:00.000-08:00"}
            """));

        var document = await Books.CreateInvoice.ExecuteAsync(new BooksInvoiceDraft
        {
            CustomerId = "58",
            Number = "1001",
            Date = new DateOnly(2026, 11, 27),
            Currency = "EUR",
            ExchangeRate = 1.1m,
            Reference = "#1001",
            Lines =
            [
                new BooksLine { ItemId = "11", Quantity = 2, UnitPrice = 12.50m, Amount = 25.00m, TaxAmount = 5.00m, TaxCodeId = "5", ClassId = "3" },
                new BooksLine { Kind = BooksLineKind.Shipping, Amount = 5.00m, TaxAmount = 1.00m, TaxCodeId = "5" },
                new BooksLine { Kind = BooksLineKind.Discount, Description = "Mug promo", Amount = 1.00m, AccountId = "86", TaxCodeId = "5" },
                new BooksLine { Kind = BooksLineKind.Other, ItemId = "20", Description = "Gift card", UnitPrice = 9.00m, Amount = 9.00m, AccountId = "90" },
                new BooksLine { Kind = BooksLineKind.Discount, Description = "Card promo", Amount = 2.00m, AccountId = "86", TaxCodeId = "NON" },
            ],
        }, QboHost.Write());

        Body(Requests().Single()).Should().Be(
            """
            {"DocNumber":"1001","TxnDate":"2026-11-27","CustomerRef":{"value":"58"},"Line":[
            {"DetailType":"SalesItemLineDetail","Amount":25.00,"SalesItemLineDetail":{"ItemRef":{"value":"11"},"Qty":2,"UnitPrice":12.50,"TaxCodeRef":{"value":"5"},"ClassRef":{"value":"3"}}},
            {"DetailType":"SalesItemLineDetail","Amount":5.00,"SalesItemLineDetail":{"ItemRef":{"value":"SHIPPING_ITEM_ID"},"TaxCodeRef":{"value":"5"}}},
            {"DetailType":"SalesItemLineDetail","Amount":9.00,"Description":"Gift card","SalesItemLineDetail":{"ItemRef":{"value":"20"},"Qty":1,"UnitPrice":9.00,"ItemAccountRef":{"value":"90"}}},
            {"DetailType":"DiscountLineDetail","Amount":3.00,"Description":"Mug promo; Card promo","DiscountLineDetail":{"PercentBased":false,"DiscountAccountRef":{"value":"86"}}}],
            "CurrencyRef":{"value":"EUR"},"PrivateNote":"(ref #1001)","ExchangeRate":1.1,
            "TxnTaxDetail":{"TotalTax":6.00},"GlobalTaxCalculation":"TaxExcluded"}
            """.ReplaceLineEndings(string.Empty));
        document.Should().BeEquivalentTo(new BooksDocument { Id = "130", Number = "1001", Currency = "EUR", Subtotal = 36.00m, TotalTax = 6.00m, Total = 42.00m, Balance = 42.00m });
    }

    [Fact]
    public async Task BooksCreateCreditNote_NamesTheOriginalInvoice_InTheCustomerMemoAndPrivateNote()
    {
        _server.Given(Request.Create().WithPath(Api + "/creditmemo").UsingPost()).RespondWith(Json(200, "{\"CreditMemo\":{\"Id\":\"140\",\"DocNumber\":\"1001-R1\",\"TotalAmt\":12.50,\"Balance\":12.50}," + Time + "}"));

        var note = await Books.CreateCreditNote.ExecuteAsync(new BooksCreditNoteDraft
        {
            CustomerId = "58",
            Number = "1001-R1",
            OriginalInvoiceNumber = "1001",
            Date = new DateOnly(2026, 11, 28),
            Currency = "USD",
            Lines = [new BooksLine { ItemId = "11", UnitPrice = 12.50m, Amount = 12.50m }],
        }, QboHost.Write(step: "credit"));

        var body = JsonNode.Parse(Requests().Single().Body!)!;
        body["CustomerMemo"]!.ToJsonString().Should().Be("""{"value":"Credit for invoice 1001"}""");
        body["PrivateNote"]!.GetValue<string>().Should().Be("Credit for invoice 1001");
        body["DocNumber"]!.GetValue<string>().Should().Be("1001-R1");
        body["TxnTaxDetail"]!.ToJsonString().Should().Be("""{"TotalTax":0}""", "no tax charged is recorded as no tax, not left to QuickBooks to compute");
        note.Should().BeEquivalentTo(new BooksDocument { Id = "140", Number = "1001-R1", Currency = "USD", Total = 12.50m, Balance = 12.50m });
    }

    [Fact]
    public async Task BooksRecordPayment_ReadsTheInvoiceForItsCustomer_ThenPaysIt()
    {
        _server.Given(Request.Create().WithPath(Api + "/query").UsingGet()).RespondWith(Json(200, """
            {"QueryResponse":{"Invoice":[{"Id":"130","DocNumber":"1001","CustomerRef":{"value":"58"},"CurrencyRef":{"value":"EUR"},"TotalAmt":42.00,"Balance":42.00}],"startPosition":1,"maxResults":1},
             "time":"2026-11-27T18:00:00.000-08:00"}
            """));
        _server.Given(Request.Create().WithPath(Api + "/payment").UsingPost()).RespondWith(Json(200, "{\"Payment\":{\"Id\":\"150\",\"TotalAmt\":42.00}," + Time + "}"));
        var write = QboHost.Write(step: "payment");

        var payment = await Books.RecordPayment.ExecuteAsync(
            new BooksPaymentDraft { InvoiceId = "130", Amount = 42.00m, Date = new DateOnly(2026, 11, 27), Currency = "EUR", ExchangeRate = 1.1m, AccountId = "35" }, write);

        var requests = Requests();
        requests.Should().HaveCount(2);
        Query(requests[0], "query").Should().Be("SELECT * FROM Invoice WHERE Id = '130' STARTPOSITION 1 MAXRESULTS 1000");
        Query(requests[1], "requestid").Should().Be(write.IdempotencyKey);
        Body(requests[1]).Should().Be(
            """
            {"TxnDate":"2026-11-27","CustomerRef":{"value":"58"},"CurrencyRef":{"value":"EUR"},"ExchangeRate":1.1,"TotalAmt":42.00,
            "DepositToAccountRef":{"value":"35"},"Line":[{"Amount":42.00,"LinkedTxn":[{"TxnId":"130","TxnType":"Invoice"}]}]}
            """.ReplaceLineEndings(string.Empty));
        payment.Should().BeEquivalentTo(new BooksPayment { Id = "150", InvoiceId = "130", Amount = 42.00m });
    }

    [Fact]
    public async Task BooksGetCompany_ReadsCompanyInfoAndPreferences()
    {
        _server.Given(Request.Create().WithPath(Api + "/query").WithParam("query", "SELECT * FROM CompanyInfo STARTPOSITION 1 MAXRESULTS 1000").UsingGet())
            .RespondWith(Json(200, "{\"QueryResponse\":{\"CompanyInfo\":[{\"Id\":\"1\",\"CompanyName\":\"Craft Mugs Ltd\"}],\"startPosition\":1,\"maxResults\":1}," + Time + "}"));
        _server.Given(Request.Create().WithPath(Api + "/query").WithParam("query", "SELECT * FROM Preferences STARTPOSITION 1 MAXRESULTS 1000").UsingGet())
            .RespondWith(Json(200, "{\"QueryResponse\":{\"Preferences\":[{\"Id\":\"1\",\"CurrencyPrefs\":{\"MultiCurrencyEnabled\":true,\"HomeCurrency\":{\"value\":\"GBP\"}}}],\"startPosition\":1,\"maxResults\":1}," + Time + "}"));

        var company = await Books.GetCompanyAsync();

        company.Should().BeEquivalentTo(new BooksCompany { Name = "Craft Mugs Ltd", HomeCurrency = "GBP", MultiCurrency = true });
        Books.Platform.Should().Be("quickbooks");
    }

    public static TheoryData<string, BooksInvoiceDraft> BadInvoices() => new()
    {
        { "Lines[0].ItemId", Invoice(new BooksLine { Amount = 10m }) },
        { "Lines[1].ItemId", Invoice(new BooksLine { ItemId = "11", Amount = 10m }, new BooksLine { Kind = BooksLineKind.Other, Amount = 2m, AccountId = "90" }) },
        { "Lines[1].AccountId", Invoice(new BooksLine { ItemId = "11", Amount = 10m }, new BooksLine { Kind = BooksLineKind.Other, ItemId = "20", Amount = 2m }) },
        {
            "Lines[1].AccountId",
            Invoice(new BooksLine { ItemId = "11", Amount = 10m }, new BooksLine { Kind = BooksLineKind.Discount, Amount = 1m, AccountId = "86" },
                new BooksLine { ItemId = "12", Amount = 10m }, new BooksLine { Kind = BooksLineKind.Discount, Amount = 2m, AccountId = "87" })
        },
        { "Lines[0].Amount", Invoice(new BooksLine { Kind = BooksLineKind.Discount, Amount = -2m, AccountId = "86" }) },
        { "Number", Invoice(new BooksLine { ItemId = "11", Amount = 10m }) with { Number = "STORE-2026-000000000001" } },
        { "ExchangeRate", Invoice(new BooksLine { ItemId = "11", Amount = 10m }) with { ExchangeRate = 0m } },
        { "Lines", Invoice() },
    };

    [Theory]
    [MemberData(nameof(BadInvoices))]
    public async Task BooksCreateInvoice_BadInput_FailsBeforeSending_NamingTheField(string field, BooksInvoiceDraft draft)
    {
        var act = () => Books.CreateInvoice.ExecuteAsync(draft, QboHost.Write());

        var error = (await act.Should().ThrowAsync<ArgumentException>()).Which;
        error.ParamName.Should().Be(field);
        error.Message.Should().Contain($"field {field}");
        Requests().Should().BeEmpty();
    }

    [Fact]
    public async Task BooksBadCreditNoteAndPayment_FailBeforeSending_NamingTheField()
    {
        var note = () => Books.CreateCreditNote.ExecuteAsync(new BooksCreditNoteDraft
        {
            CustomerId = "58", Number = "1001-R1", OriginalInvoiceNumber = " ", Date = new DateOnly(2026, 11, 28), Currency = "USD",
            Lines = [new BooksLine { ItemId = "11", Amount = 1m }],
        }, QboHost.Write());
        var payment = () => Books.RecordPayment.ExecuteAsync(
            new BooksPaymentDraft { InvoiceId = "130", Amount = 0m, Date = new DateOnly(2026, 11, 28), Currency = "USD" }, QboHost.Write());
        var typedPayment = () => Connector.CreatePayment.ExecuteAsync(new QboPaymentDraft { CustomerId = "58", Lines = [new QboPaymentLineDraft("", 5m)] }, QboHost.Write());

        (await note.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("OriginalInvoiceNumber");
        (await payment.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("Amount");
        (await typedPayment.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("Lines[0].InvoiceId");
        Requests().Should().BeEmpty();
    }

    private static BooksInvoiceDraft Invoice(params BooksLine[] lines) =>
        new() { CustomerId = "58", Number = "1001", Date = new DateOnly(2026, 11, 27), Currency = "USD", Lines = lines };

    private static IResponseBuilder Json(int status, string body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);

    private List<IRequestMessage> Requests() => [.. _server.LogEntries.Select(e => e.RequestMessage!)];

    private static string Body(IRequestMessage request) => JsonNode.Parse(request.Body!)!.ToJsonString();

    private static string Query(IRequestMessage request, string name) => request.Query![name].Single();
}
