using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Integrations.Sdk.QuickBooks.Tests.Support;
using Integrations.Sdk.Testing.Conformance;
using Integrations.Sdk.Testing.QuickBooks;

namespace Integrations.Sdk.QuickBooks.Tests.Conformance;

/// <summary>The simulator's answers, successes and Faults alike, are what Intuit's schema describes, with the fields QuickBooks sends.</summary>
public sealed class SimulatorConformanceTests : IAsyncLifetime
{
    private const string Api = "v3/company/" + QboHost.Realm;
    private readonly QuickBooksSimulator _simulator = new(realmId: QboHost.Realm);
    private readonly RecordingHandler _recorder = new(new SocketsHttpHandler());
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        await _simulator.StartAsync();
        _simulator.RequestsPerSecond = 0;
        _simulator.MaxConcurrentRequests = 0;
        _http = new HttpClient(_recorder) { BaseAddress = _simulator.BaseAddress };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _simulator.IssueToken().AccessToken);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task Answers_CarryTheFieldsQuickBooksSends_AndConformToTheXsd()
    {
        var mug = _simulator.AddItem("MUG", "Mug", 10, 12.5m);
        var customer = await SendAsync(HttpMethod.Post, $"{Api}/customer?minorversion=75", """{"DisplayName":"Pat O'Brien","PrimaryEmailAddr":{"Address":"pat@example.com"}}""");
        var customerId = customer.Body["Customer"]!["Id"]!.GetValue<string>();
        var invoice = await SendAsync(HttpMethod.Post, $"{Api}/invoice?minorversion=75&requestid=i1", $$$"""
            {"CustomerRef":{"value":"{{{customerId}}}"},"DocNumber":"1001","TxnDate":"2026-11-27",
             "Line":[{"Amount":25.00,"DetailType":"SalesItemLineDetail","SalesItemLineDetail":{"ItemRef":{"value":"{{{mug.Id}}}"},"Qty":2,"UnitPrice":12.50}}]}
            """);
        var receipt = await SendAsync(HttpMethod.Post, $"{Api}/salesreceipt?minorversion=75", $$$"""
            {"Line":[{"Amount":12.50,"DetailType":"SalesItemLineDetail","SalesItemLineDetail":{"ItemRef":{"value":"{{{mug.Id}}}"},"Qty":1}}]}
            """);
        var read = await SendAsync(HttpMethod.Get, $"{Api}/invoice/{invoice.Body["Invoice"]!["Id"]}?minorversion=75");
        var item = await SendAsync(HttpMethod.Get, $"{Api}/item/{mug.Id}");
        var query = await SendAsync(HttpMethod.Post, $"{Api}/query?minorversion=75", "SELECT * FROM Customer", "application/text");
        var none = await SendAsync(HttpMethod.Get, $"{Api}/query?query={Uri.EscapeDataString("SELECT * FROM Invoice WHERE DocNumber = 'nope'")}&minorversion=75");

        new[] { customer, invoice, receipt, read, item, query, none }.Select(a => a.Status).Should().AllBeEquivalentTo(HttpStatusCode.OK);
        var written = invoice.Body["Invoice"]!.AsObject();
        written.Select(p => p.Key).Should().Contain(["Id", "SyncToken", "MetaData", "domain", "sparse", "TxnDate", "DocNumber", "DueDate", "Line", "TotalAmt",
            "Balance", "CustomerRef", "CurrencyRef", "TxnTaxDetail", "LinkedTxn", "PrintStatus", "EmailStatus", "BillEmail", "ApplyTaxAfterDiscount", "Deposit"]);
        written["MetaData"]!.AsObject().Select(p => p.Key).Should().Equal("CreateTime", "LastUpdatedTime");
        written["CustomerRef"]!["value"]!.GetValue<string>().Should().Be(customerId);
        written["CustomerRef"]!["name"]!.GetValue<string>().Should().Be("Pat O'Brien");
        written["Line"]![0]!.AsObject().Select(p => p.Key).Should().Equal("Id", "LineNum", "Amount", "DetailType", "SalesItemLineDetail");
        written["Line"]![0]!["SalesItemLineDetail"]!["ItemAccountRef"]!.ToJsonString().Should().Be("""{"value":"79","name":"Sales of Product Income"}""");
        written["Line"]![1]!["DetailType"]!.GetValue<string>().Should().Be("SubTotalLineDetail");
        read.Body["Invoice"]!.ToJsonString().Should().Be(written.ToJsonString());
        item.Body["Item"]!.AsObject().Select(p => p.Key).Should().Contain(["Type", "IncomeAccountRef", "AssetAccountRef", "ExpenseAccountRef", "InvStartDate", "QtyOnHand"]);
        query.Body["QueryResponse"]!["Customer"]!.AsArray().Should().ContainSingle();
        none.Body["QueryResponse"]!.AsObject().Should().BeEmpty("QuickBooks answers an empty QueryResponse when nothing matches");
        Exchanges.Check(QuickBooksXsdSpec.Default, _recorder.Exchanges).Should().BeEmpty();
    }

    [Fact]
    public async Task BooksAnswers_CreditMemosPaymentsAndSettings_ConformToTheXsd()
    {
        var mug = _simulator.AddItem("MUG", "Mug", 10, 12.5m);
        var customer = await SendAsync(HttpMethod.Post, $"{Api}/customer?minorversion=75", """{"DisplayName":"Pat EUR","CurrencyRef":{"value":"EUR"}}""");
        var pat = new { Id = customer.Body["Customer"]!["Id"]!.GetValue<string>() };
        _simulator.AddTaxCode("7", "VAT 20%", 20m);
        var classId = _simulator.AddClass("Retail");
        var bank = _simulator.AddAccount("Business Checking", "Bank", "1010");
        var invoice = await SendAsync(HttpMethod.Post, $"{Api}/invoice?minorversion=75&requestid=b1", $$$$"""
            {"CustomerRef":{"value":"{{{{pat.Id}}}}"},"DocNumber":"2001","CurrencyRef":{"value":"EUR"},"ExchangeRate":1.1,"GlobalTaxCalculation":"TaxExcluded",
             "TxnTaxDetail":{"TotalTax":5.40},
             "Line":[{"Amount":25.00,"DetailType":"SalesItemLineDetail","SalesItemLineDetail":{"ItemRef":{"value":"{{{{mug.Id}}}}"},"Qty":2,"UnitPrice":12.50,"TaxCodeRef":{"value":"7"},"ClassRef":{"value":"{{{{classId}}}}"}}},
                     {"Amount":5.00,"DetailType":"SalesItemLineDetail","SalesItemLineDetail":{"ItemRef":{"value":"SHIPPING_ITEM_ID"},"TaxCodeRef":{"value":"7"}}},
                     {"Amount":3.00,"DetailType":"DiscountLineDetail","DiscountLineDetail":{"PercentBased":false,"DiscountAccountRef":{"value":"86"}}}]}
            """);
        var invoiceId = invoice.Body["Invoice"]!["Id"]!.GetValue<string>();
        var payment = await SendAsync(HttpMethod.Post, $"{Api}/payment?minorversion=75&requestid=b2", $$$$"""
            {"CustomerRef":{"value":"{{{{pat.Id}}}}"},"TotalAmt":32.40,"CurrencyRef":{"value":"EUR"},"ExchangeRate":1.1,"DepositToAccountRef":{"value":"{{{{bank}}}}"},
             "Line":[{"Amount":32.40,"LinkedTxn":[{"TxnId":"{{{{invoiceId}}}}","TxnType":"Invoice"}]}]}
            """);
        var memo = await SendAsync(HttpMethod.Post, $"{Api}/creditmemo?minorversion=75&requestid=b3", $$$$"""
            {"CustomerRef":{"value":"{{{{pat.Id}}}}"},"DocNumber":"2001-R1","CurrencyRef":{"value":"EUR"},"ExchangeRate":1.1,"CustomerMemo":{"value":"Credit for invoice 2001"},
             "Line":[{"Amount":12.50,"DetailType":"SalesItemLineDetail","SalesItemLineDetail":{"ItemRef":{"value":"{{{{mug.Id}}}}"},"Qty":1,"UnitPrice":12.50,"TaxCodeRef":{"value":"7"}}}]}
            """);
        var reads = new List<(HttpStatusCode Status, JsonNode Body)>
        {
            await SendAsync(HttpMethod.Get, $"{Api}/companyinfo/{QboHost.Realm}?minorversion=75"),
            await SendAsync(HttpMethod.Get, $"{Api}/preferences/1?minorversion=75"),
            await SendAsync(HttpMethod.Get, $"{Api}/payment/{payment.Body["Payment"]!["Id"]}?minorversion=75"),
            await SendAsync(HttpMethod.Get, $"{Api}/taxcode/7?minorversion=75"),
        };
        foreach (var entity in new[] { "CompanyInfo", "Preferences", "TaxCode", "TaxRate", "Account", "Class", "CreditMemo", "Payment", "Invoice" })
        {
            reads.Add(await SendAsync(HttpMethod.Get, $"{Api}/query?query={Uri.EscapeDataString("SELECT * FROM " + entity)}&minorversion=75"));
        }

        new[] { invoice, payment, memo }.Concat(reads).Select(a => a.Status).Should().AllBeEquivalentTo(HttpStatusCode.OK);
        var written = invoice.Body["Invoice"]!;
        written["TotalAmt"]!.GetValue<decimal>().Should().Be(32.40m, "25 + 5 shipping − 3 discount + 5.40 tax as sent");
        written["HomeTotalAmt"]!.GetValue<decimal>().Should().Be(35.64m);
        written["Line"]!.AsArray().Select(l => l!["DetailType"]!.GetValue<string>()).Should().Equal(
            "SalesItemLineDetail", "SalesItemLineDetail", "SubTotalLineDetail", "DiscountLineDetail");
        payment.Body["Payment"]!["UnappliedAmt"]!.GetValue<decimal>().Should().Be(0m);
        memo.Body["CreditMemo"]!["RemainingCredit"]!.GetValue<decimal>().Should().Be(15.00m, "12.50 and the 20 % computed from the tax code, none being sent");
        reads[1].Body["Preferences"]!["CurrencyPrefs"]!["HomeCurrency"]!["value"]!.GetValue<string>().Should().Be("USD");
        reads[3].Body["TaxCode"]!["SalesTaxRateList"]!["TaxRateDetail"]![0]!["TaxRateRef"]!["value"].Should().NotBeNull();
        _simulator.Invoices.Single().Balance.Should().Be(0m);
        Exchanges.Check(QuickBooksXsdSpec.Default, _recorder.Exchanges).Should().BeEmpty();
    }

    [Fact]
    public async Task ALineWithoutAnItem_IsDocumentation_ItsAmountNotPosted_AsTheXsdSays()
    {
        var mug = _simulator.AddItem("MUG", "Mug", 10, 12.5m);
        var pat = _simulator.AddCustomer("Pat");

        var (status, body) = await SendAsync(HttpMethod.Post, $"{Api}/invoice?minorversion=75&requestid=d1", $$$$"""
            {"CustomerRef":{"value":"{{{{pat.Id}}}}"},"DocNumber":"3001",
             "Line":[{"Amount":25.00,"DetailType":"SalesItemLineDetail","SalesItemLineDetail":{"ItemRef":{"value":"{{{{mug.Id}}}}"},"Qty":2,"UnitPrice":12.50}},
                     {"Amount":9.00,"DetailType":"SalesItemLineDetail","Description":"Gift card","SalesItemLineDetail":{"Qty":1,"UnitPrice":9.00,"ItemAccountRef":{"value":"79"}}}]}
            """);

        status.Should().Be(HttpStatusCode.OK, body.ToJsonString());
        var invoice = body["Invoice"]!;
        invoice["TotalAmt"]!.GetValue<decimal>().Should().Be(25.00m, "the line without an ItemRef is documentation: its 9.00 is not posted");
        invoice["Line"]!.AsArray().Where(l => l!["DetailType"]!.GetValue<string>() == "SalesItemLineDetail").Should().ContainSingle();
        _simulator.RevenueInHomeCurrency().Should().Be(25.00m);
        Exchanges.Check(QuickBooksXsdSpec.Default, _recorder.Exchanges).Should().BeEmpty();
    }

    [Fact]
    public async Task ASecondDiscountLine_AndATransactionInAnotherCurrencyThanItsCustomers_AreRefused()
    {
        var mug = _simulator.AddItem("MUG", "Mug", 10, 12.5m);
        var pat = _simulator.AddCustomer("Pat"); // in the home currency, USD
        var line = $$$"""{"Amount":25.00,"DetailType":"SalesItemLineDetail","SalesItemLineDetail":{"ItemRef":{"value":"{{{mug.Id}}}"},"Qty":2,"UnitPrice":12.50}}""";
        const string Discount = """{"Amount":1.00,"DetailType":"DiscountLineDetail","DiscountLineDetail":{"PercentBased":false}}""";

        var twoDiscounts = await SendAsync(HttpMethod.Post, $"{Api}/invoice?minorversion=75&requestid=e1",
            $$"""{"CustomerRef":{"value":"{{pat.Id}}"},"Line":[{{line}},{{Discount}},{{Discount}}]}""");
        var oneDiscount = await SendAsync(HttpMethod.Post, $"{Api}/invoice?minorversion=75&requestid=e2",
            $$"""{"CustomerRef":{"value":"{{pat.Id}}"},"Line":[{{line}},{{Discount}}]}""");
        var inEuros = await SendAsync(HttpMethod.Post, $"{Api}/invoice?minorversion=75&requestid=e3",
            $$"""{"CustomerRef":{"value":"{{pat.Id}}"},"CurrencyRef":{"value":"EUR"},"ExchangeRate":1.1,"Line":[{{line}}]}""");
        var paidInEuros = await SendAsync(HttpMethod.Post, $"{Api}/payment?minorversion=75&requestid=e4",
            $$"""{"CustomerRef":{"value":"{{pat.Id}}"},"TotalAmt":5,"CurrencyRef":{"value":"EUR"},"ExchangeRate":1.1}""");
        var euroCustomer = await SendAsync(HttpMethod.Post, $"{Api}/customer?minorversion=75", """{"DisplayName":"Pat EUR","CurrencyRef":{"value":"EUR"}}""");
        var euroId = euroCustomer.Body["Customer"]!["Id"]!.GetValue<string>();
        var euroInvoice = await SendAsync(HttpMethod.Post, $"{Api}/invoice?minorversion=75&requestid=e5",
            $$"""{"CustomerRef":{"value":"{{euroId}}"},"CurrencyRef":{"value":"EUR"},"ExchangeRate":1.1,"Line":[{{line}}]}""");

        foreach (var (status, body) in new[] { twoDiscounts, inEuros, paidInEuros })
        {
            status.Should().Be(HttpStatusCode.BadRequest, body.ToJsonString());
            body["Fault"]!["type"]!.GetValue<string>().Should().Be("ValidationFault");
            body["Fault"]!["Error"]![0]!["code"]!.GetValue<string>().Should().Be("6000");
        }

        twoDiscounts.Body["Fault"]!["Error"]![0]!["element"]!.GetValue<string>().Should().Be("Line.DiscountLineDetail");
        inEuros.Body["Fault"]!["Error"]![0]!["Detail"]!.GetValue<string>().Should().Contain("same currency").And.Contain("USD").And.Contain("EUR");
        oneDiscount.Status.Should().Be(HttpStatusCode.OK);
        oneDiscount.Body["Invoice"]!["TotalAmt"]!.GetValue<decimal>().Should().Be(24.00m);
        euroCustomer.Body["Customer"]!["CurrencyRef"]!["value"]!.GetValue<string>().Should().Be("EUR");
        euroInvoice.Status.Should().Be(HttpStatusCode.OK, "the customer is in EUR");
        _simulator.Invoices.Should().HaveCount(2);
    }

    [Fact]
    public async Task Faults_AreQuickBooksFaultEnvelopes_WithTheDocumentedCodes()
    {
        _simulator.Conformance = ConformanceMode.Record; // several of these requests break the schema on purpose, to meet each fault

        var mug = _simulator.AddItem("MUG", "Mug", 10, 12.5m);
        var pat = _simulator.AddCustomer("Pat");
        var cases = new (string Code, HttpStatusCode Status, Task<(HttpStatusCode Status, JsonNode Body)> Answer)[]
        {
            ("2020", HttpStatusCode.BadRequest, SendAsync(HttpMethod.Post, $"{Api}/invoice?minorversion=75", $$$"""{"CustomerRef":{"value":"{{{pat.Id}}}"}}""")),
            ("6000", HttpStatusCode.BadRequest, SendAsync(HttpMethod.Post, $"{Api}/customer?minorversion=75", """{"Notes":"no name"}""")),
            ("610", HttpStatusCode.BadRequest, SendAsync(HttpMethod.Get, $"{Api}/customer/999?minorversion=75")),
            ("610", HttpStatusCode.BadRequest, SendAsync(HttpMethod.Post, $"{Api}/item?minorversion=75", """{"Id":"999","SyncToken":"0","sparse":true,"QtyOnHand":1}""")),
            ("5010", HttpStatusCode.BadRequest, SendAsync(HttpMethod.Post, $"{Api}/item?minorversion=75", $$"""{"Id":"{{mug.Id}}","SyncToken":"9","sparse":true,"QtyOnHand":1}""")),
            ("4000", HttpStatusCode.BadRequest, SendAsync(HttpMethod.Get, $"{Api}/query?query=DELETE%20FROM%20Item&minorversion=75")),
            ("2020", HttpStatusCode.BadRequest, SendAsync(HttpMethod.Get, $"{Api}/query?minorversion=75")),
            ("2010", HttpStatusCode.BadRequest, SendAsync(HttpMethod.Get, $"{Api}/query?query=SELECT%20*%20FROM%20Item&minorversion=latest")),
            ("500", HttpStatusCode.BadRequest, SendAsync(HttpMethod.Post, $"{Api}/widget?minorversion=75", "{}")),
            ("500", HttpStatusCode.BadRequest, SendAsync(HttpMethod.Get, $"{Api}/estimate/1?minorversion=75")),
            ("500", HttpStatusCode.NotFound, SendAsync(HttpMethod.Get, "v2/company/1/invoices")),
        };

        foreach (var (code, status, answer) in cases)
        {
            var (actual, body) = await answer;
            actual.Should().Be(status, body.ToJsonString());
            body["Fault"]!["type"]!.GetValue<string>().Should().Be("ValidationFault");
            body["Fault"]!["Error"]![0]!["code"]!.GetValue<string>().Should().Be(code, body.ToJsonString());
            body["time"].Should().NotBeNull();
        }

        // The answers conform; of the requests, only the ones made wrong on purpose are flagged, in the schema's words.
        _recorder.Exchanges.SelectMany(QuickBooksXsdSpec.Default.CheckResponse).Should().BeEmpty();
        _recorder.Exchanges.SelectMany(QuickBooksXsdSpec.Default.CheckRequest).Select(v => $"{v.Operation} {v.Where} [{v.Keyword}]").Should().BeEquivalentTo(
            "GET /v3/company/{realmId}/query query:query [format]",
            "GET /v3/company/{realmId}/query query:query [required]",
            "GET /v3/company/{realmId}/query query:minorversion [type]",
            "POST /v3/company/{realmId}/widget path [operation]",
            "GET /v2/company/1/invoices path [operation]");
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }

        using var response = await _http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
