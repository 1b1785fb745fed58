using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Integrations.Sdk.QuickBooks.Models;
using Integrations.Sdk.QuickBooks.Tests.Support;
using Integrations.Sdk.State;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integrations.Sdk.QuickBooks.Tests.Transport;

/// <summary>The exact requests the connector sends, and how it reads QuickBooks' answers, against WireMock.</summary>
public sealed class QuickBooksRequestTests : IAsyncLifetime
{
    private const string Api = "/v3/company/" + QboHost.Realm;
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

    [Fact]
    public async Task QueryAsync_TwoPages_AsksForStartPositionAndMaxResultsOnTheRealmWithMinorVersion()
    {
        _server.Given(Request.Create().WithPath(Api + "/query").UsingGet()).InScenario("paging").WillSetStateTo("second")
            .RespondWith(Json(200, QueryAnswer("Customer", 1, 1000)));
        _server.Given(Request.Create().WithPath(Api + "/query").UsingGet()).InScenario("paging").WhenStateIs("second")
            .RespondWith(Json(200, QueryAnswer("Customer", 1001, 2)));

        var customers = new List<QboCustomer>();
        await foreach (var customer in Connector.QueryAsync<QboCustomer>("Customer"))
        {
            customers.Add(customer);
        }

        customers.Should().HaveCount(1002);
        customers.Select(c => c.Id).Should().OnlyHaveUniqueItems();
        customers[1001].DisplayName.Should().Be("Customer 1002");
        customers[1001].PrimaryEmailAddr!.Address.Should().Be("c1002@example.com");
        var requests = Requests();
        requests.Should().HaveCount(2);
        requests.Select(r => r.Path).Should().AllBe(Api + "/query");
        requests.Select(r => Query(r, "query")).Should().Equal(
            "SELECT * FROM Customer STARTPOSITION 1 MAXRESULTS 1000",
            "SELECT * FROM Customer STARTPOSITION 1001 MAXRESULTS 1000");
        requests.Select(r => Query(r, "minorversion")).Should().AllBe("75");
        requests.Select(r => Header(r, "Authorization")).Should().AllBe("Bearer access-1");
        requests.Select(r => Header(r, "Accept")).Should().AllSatisfy(a => a.Should().Contain("application/json"));
    }

    [Fact]
    public async Task QueryAsync_EmptyAnswer_YieldsNothingAfterOneRequest()
    {
        _server.Given(Request.Create().WithPath(Api + "/query").UsingGet())
            .RespondWith(Json(200, """{"QueryResponse":{},"time":"2026-11-27T18:00:00.000-08:00"}"""));

        var count = 0;
        await foreach (var unused in Connector.QueryAsync<QboInvoice>("Invoice", QuickBooksQuery.Equal("DocNumber", "1001")))
        {
            count++;
        }

        count.Should().Be(0);
        Query(Requests().Single(), "query").Should().Be("SELECT * FROM Invoice WHERE DocNumber = '1001' STARTPOSITION 1 MAXRESULTS 1000");
    }

    [Fact]
    public async Task CreateInvoice_SendsQuickBooksBodyWithRequestIdEqualToTheIdempotencyKey()
    {
        _server.Given(Request.Create().WithPath(Api + "/invoice").UsingPost()).RespondWith(Json(200, InvoiceAnswer));
        var write = QboHost.Write();

        var invoice = await Connector.CreateInvoice.ExecuteAsync(Draft(), write);

        var request = Requests().Single();
        request.Path.Should().Be(Api + "/invoice");
        Query(request, "requestid").Should().Be(write.IdempotencyKey).And.MatchRegex("^[0-9a-f]{40}$");
        Query(request, "minorversion").Should().Be("75");
        Header(request, "Authorization").Should().Be("Bearer access-1");
        var body = JsonNode.Parse(request.Body!)!.AsObject();
        body.Select(p => p.Key).Should().BeEquivalentTo(["CustomerRef", "Line", "DocNumber", "TxnDate", "PrivateNote"], "nothing unset is sent");
        body["CustomerRef"]!.ToJsonString().Should().Be("""{"value":"58"}""");
        body["DocNumber"]!.GetValue<string>().Should().Be("1001");
        body["TxnDate"]!.GetValue<string>().Should().Be("2026-11-27");
        body["PrivateNote"]!.GetValue<string>().Should().Be("Shop order #1001");
        var lines = body["Line"]!.AsArray();
        lines.Should().HaveCount(2);
        lines[0]!.ToJsonString().Should().Be(
            """{"DetailType":"SalesItemLineDetail","Amount":20.00,"Description":"Blue mug","SalesItemLineDetail":{"ItemRef":{"value":"11"},"Qty":2,"UnitPrice":10.00,"ItemAccountRef":{"value":"79"}}}""");
        lines[1]!["Amount"]!.GetValue<decimal>().Should().Be(5.99m);
        lines[1]!["SalesItemLineDetail"]!["TaxCodeRef"]!["value"]!.GetValue<string>().Should().Be("TAX");

        invoice.Id.Should().Be("130");
        invoice.DocNumber.Should().Be("1001");
        invoice.TotalAmt.Should().Be(25.99m);
        invoice.Balance.Should().Be(25.99m);
        invoice.CustomerRef!.Name.Should().Be("Pat O'Brien");
        invoice.TxnDate.Should().Be(new DateOnly(2026, 11, 27));
        invoice.MetaData!.CreateTime.Should().Be(new DateTimeOffset(2026, 11, 27, 18, 0, 0, TimeSpan.FromHours(-8)));
        invoice.Line!.Should().HaveCount(3);
        invoice.Line![2].DetailType.Should().Be(QboLineDetailTypes.SubTotalLine);
        invoice.Line![0].SalesItemLineDetail!.ItemRef!.Name.Should().Be("Blue mug");
    }

    [Fact]
    public async Task CreateInvoice_500ThenOk_IsRetriedByTheTransportWithTheSameRequestId()
    {
        _server.Given(Request.Create().WithPath(Api + "/invoice").UsingPost()).InScenario("flaky").WillSetStateTo("up")
            .RespondWith(Json(500, """{"Fault":{"Error":[{"Message":"An application error has occurred","Detail":"System Failure Error","code":"10000"}],"type":"SystemFault"},"time":"2026-11-27T18:00:00.000-08:00"}"""));
        _server.Given(Request.Create().WithPath(Api + "/invoice").UsingPost()).InScenario("flaky").WhenStateIs("up")
            .RespondWith(Json(200, InvoiceAnswer));
        var write = QboHost.Write();

        var invoice = await Connector.CreateInvoice.ExecuteAsync(Draft(), write);

        invoice.Id.Should().Be("130");
        var requests = Requests();
        requests.Should().HaveCount(2, "a POST carrying requestid is safe to resend after a 500");
        requests.Select(r => Query(r, "requestid")).Should().AllBe(write.IdempotencyKey);
        requests[1].Body.Should().Be(requests[0].Body);
    }

    [Fact]
    public async Task CreateSalesReceipt_SendsItsBodyAndReadsTheAnswer()
    {
        _server.Given(Request.Create().WithPath(Api + "/salesreceipt").UsingPost()).RespondWith(Json(200, """
            {"SalesReceipt":{"Id":"77","SyncToken":"0","DocNumber":"POS-9","TxnDate":"2026-11-27","TotalAmt":12.50,"Balance":0,
             "DepositToAccountRef":{"value":"4","name":"Undeposited Funds"},
             "Line":[{"Id":"1","LineNum":1,"Amount":12.50,"DetailType":"SalesItemLineDetail","SalesItemLineDetail":{"ItemRef":{"value":"11","name":"Blue mug"},"Qty":1,"UnitPrice":12.50}},
                     {"Amount":12.50,"DetailType":"SubTotalLineDetail","SubTotalLineDetail":{}}]},
             "time":"2026-11-27T18:00:00.000-08:00"}
            """));
        var write = QboHost.Write(step: "receipt");

        var receipt = await Connector.CreateSalesReceipt.ExecuteAsync(
            new QboSalesReceiptDraft { DocNumber = "POS-9", Lines = [new QboLineDraft { ItemId = "11", UnitPrice = 12.50m }], PaymentMethodId = "2" },
            write);

        var request = Requests().Single();
        request.Path.Should().Be(Api + "/salesreceipt");
        Query(request, "requestid").Should().Be(write.IdempotencyKey);
        JsonNode.Parse(request.Body!)!.ToJsonString().Should().Be(
            """{"DocNumber":"POS-9","Line":[{"DetailType":"SalesItemLineDetail","Amount":12.50,"SalesItemLineDetail":{"ItemRef":{"value":"11"},"Qty":1,"UnitPrice":12.50}}],"PaymentMethodRef":{"value":"2"}}""");
        receipt.Id.Should().Be("77");
        receipt.TotalAmt.Should().Be(12.50m);
        receipt.DepositToAccountRef!.Name.Should().Be("Undeposited Funds");
        receipt.CustomerRef.Should().BeNull();
    }

    [Fact]
    public async Task FindOrCreateCustomer_NoMatch_LooksUpByEmailThenByNameWithEscapedLiteralsThenCreates()
    {
        _server.Given(Request.Create().WithPath(Api + "/query").UsingGet())
            .RespondWith(Json(200, """{"QueryResponse":{},"time":"2026-11-27T18:00:00.000-08:00"}"""));
        _server.Given(Request.Create().WithPath(Api + "/customer").UsingPost()).RespondWith(Json(200, """
            {"Customer":{"Id":"58","SyncToken":"0","DisplayName":"Pat O'Brien \\ Sons","PrimaryEmailAddr":{"Address":"pat@obrien.example"},"Active":true,"Balance":0,
             "MetaData":{"CreateTime":"2026-11-27T18:00:00-08:00","LastUpdatedTime":"2026-11-27T18:00:00-08:00"}},"time":"2026-11-27T18:00:00.000-08:00"}
            """));
        var write = QboHost.Write(step: "customer");

        var customer = await Connector.FindOrCreateCustomer.ExecuteAsync(
            new QboCustomerDraft { DisplayName = "Pat O'Brien \\ Sons", Email = "pat@obrien.example", GivenName = "Pat" }, write);

        customer.Id.Should().Be("58");
        var requests = Requests();
        requests.Select(r => r.Method).Should().Equal("GET", "GET", "POST");
        Query(requests[0], "query").Should().Be("SELECT * FROM Customer WHERE PrimaryEmailAddr = 'pat@obrien.example' STARTPOSITION 1 MAXRESULTS 1000");
        Query(requests[1], "query").Should().Be("SELECT * FROM Customer WHERE DisplayName = 'Pat O\\'Brien \\\\ Sons' STARTPOSITION 1 MAXRESULTS 1000");
        requests[2].Path.Should().Be(Api + "/customer");
        Query(requests[2], "requestid").Should().Be(write.IdempotencyKey);
        JsonNode.Parse(requests[2].Body!)!.ToJsonString().Should().Be(
            """{"DisplayName":"Pat O\u0027Brien \\ Sons","GivenName":"Pat","PrimaryEmailAddr":{"Address":"pat@obrien.example"}}""");
        Connector.FindOrCreateCustomer.Safety.Should().Be(Integrations.Sdk.Connectors.WriteSafety.LookupThenCreate);
    }

    [Fact]
    public async Task FindOrCreateCustomer_FoundByEmail_ReturnsItWithoutCreating()
    {
        _server.Given(Request.Create().WithPath(Api + "/query").UsingGet()).RespondWith(Json(200, QueryAnswer("Customer", 58, 1)));

        var customer = await Connector.FindOrCreateCustomer.ExecuteAsync(new QboCustomerDraft { DisplayName = "Customer 58", Email = "c58@example.com" }, QboHost.Write());

        customer.Id.Should().Be("58");
        Requests().Should().ContainSingle().Which.Method.Should().Be("GET");
    }

    [Fact]
    public async Task FindItemBySku_ReadsTheItem()
    {
        _server.Given(Request.Create().WithPath(Api + "/query").UsingGet()).RespondWith(Json(200, """
            {"QueryResponse":{"Item":[{"Id":"11","SyncToken":"3","Name":"Blue mug","Sku":"MUG-BLUE","Type":"Inventory","UnitPrice":10,"TrackQtyOnHand":true,"QtyOnHand":42,
              "IncomeAccountRef":{"value":"79","name":"Sales of Product Income"},"Active":true,"MetaData":{"CreateTime":"2026-01-02T10:00:00-08:00","LastUpdatedTime":"2026-11-27T09:00:00-08:00"}}],
              "startPosition":1,"maxResults":1},"time":"2026-11-27T18:00:00.000-08:00"}
            """));

        var item = await Connector.FindItemBySkuAsync("MUG-BLUE");

        item.Should().NotBeNull();
        item!.Id.Should().Be("11");
        item.QtyOnHand.Should().Be(42);
        item.TrackQtyOnHand.Should().BeTrue();
        item.IncomeAccountRef!.Value.Should().Be("79");
        item.MetaData!.LastUpdatedTime.Should().Be(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.FromHours(-8)));
        Query(Requests().Single(), "query").Should().Be("SELECT * FROM Item WHERE Sku = 'MUG-BLUE' STARTPOSITION 1 MAXRESULTS 1000");
    }

    [Fact]
    public async Task AdjustQuantityOnHand_ReadsTheItemThenSendsASparseUpdateWithItsSyncToken()
    {
        _server.Given(Request.Create().WithPath(Api + "/query").UsingGet()).RespondWith(Json(200, """
            {"QueryResponse":{"Item":[{"Id":"11","SyncToken":"3","Name":"Blue mug","Sku":"MUG-BLUE","TrackQtyOnHand":true,"QtyOnHand":10}],"startPosition":1,"maxResults":1},"time":"2026-11-27T18:00:00.000-08:00"}
            """));
        _server.Given(Request.Create().WithPath(Api + "/item").UsingPost()).RespondWith(Json(200, """
            {"Item":{"Id":"11","SyncToken":"4","Name":"Blue mug","Sku":"MUG-BLUE","TrackQtyOnHand":true,"QtyOnHand":6},"time":"2026-11-27T18:00:00.000-08:00"}
            """));
        var write = QboHost.Write(step: "stock");

        var item = await Connector.AdjustQuantityOnHand.ExecuteAsync(new QboInventoryAdjustment("11", -4), write);

        item.QtyOnHand.Should().Be(6);
        item.SyncToken.Should().Be("4");
        var requests = Requests();
        Query(requests[0], "query").Should().Be("SELECT * FROM Item WHERE Id = '11' STARTPOSITION 1 MAXRESULTS 1000");
        requests[1].Path.Should().Be(Api + "/item");
        Query(requests[1], "requestid").Should().Be(write.IdempotencyKey);
        Query(requests[1], "minorversion").Should().Be("75");
        JsonNode.Parse(requests[1].Body!)!.ToJsonString().Should().Be("""{"Id":"11","SyncToken":"3","sparse":true,"QtyOnHand":6}""");
    }

    [Fact]
    public async Task ValidationFault_BecomesAPlatformExceptionWithCodeElementAndIntuitTid()
    {
        _server.Given(Request.Create().WithPath(Api + "/invoice").UsingPost()).RespondWith(Response.Create()
            .WithStatusCode(400).WithHeader("Content-Type", "application/json").WithHeader("intuit_tid", "1-6790bc1f-3c0a0e1a")
            .WithBody("""{"Fault":{"Error":[{"Message":"Invalid Reference Id","Detail":"Invalid Reference Id : Customer 999 does not exist","code":"2500","element":"CustomerRef"}],"type":"ValidationFault"},"time":"2026-11-27T18:00:00.000-08:00"}"""));

        var act = () => Connector.CreateInvoice.ExecuteAsync(Draft() with { CustomerId = "999" }, QboHost.Write());

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.Platform.Should().Be("quickbooks");
        error.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        error.ErrorCode.Should().Be("2500");
        error.PlatformMessage.Should().Contain("Invalid Reference Id").And.Contain("Customer 999 does not exist").And.Contain("element CustomerRef").And.Contain("ValidationFault");
        error.RequestId.Should().Be("1-6790bc1f-3c0a0e1a");
        error.IsRetryable.Should().BeFalse();
        error.MayHaveBeenApplied.Should().BeFalse();
        Requests().Should().HaveCount(1, "a validation fault is final");
    }

    [Fact]
    public async Task Throttled429WithoutRetryAfter_WaitsTheMinuteIntuitAdvisesThenRetries()
    {
        _server.Given(Request.Create().WithPath(Api + "/query").UsingGet()).InScenario("throttle").WillSetStateTo("open")
            .RespondWith(Json(429, """{"fault":{"error":[{"message":"message=ThrottleExceeded; errorCode=003001; statusCode=429","detail":"The request limit has been reached","code":"3001"}],"type":"SERVICE"},"time":"2026-11-27T18:00:00.000-08:00"}"""));
        _server.Given(Request.Create().WithPath(Api + "/query").UsingGet()).InScenario("throttle").WhenStateIs("open")
            .RespondWith(Json(200, QueryAnswer("Item", 11, 1)));
        var logs = _services.GetFakeLogCollector();

        var call = Connector.GetItemAsync("11");
        await QboHost.Until(() => logs.GetSnapshot().Any(r => r.Id.Id == 1001), "the retry is scheduled");

        logs.GetSnapshot().Single(r => r.Id.Id == 1001).Message.Should().Contain("00:01:00").And.Contain("429");
        _time.Advance(TimeSpan.FromSeconds(59));
        call.IsCompleted.Should().BeFalse("QuickBooks sent no Retry-After, so the realm waits a minute");
        Requests().Should().HaveCount(1);
        _time.Advance(TimeSpan.FromSeconds(1));
        (await call)!.Id.Should().Be("11");
        Requests().Should().HaveCount(2);
    }

    [Fact]
    public async Task Throttled429WithRetryAfter_WaitsWhatTheHeaderSays()
    {
        _server.Given(Request.Create().WithPath(Api + "/query").UsingGet()).InScenario("throttle").WillSetStateTo("open")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "3").WithBody("{}"));
        _server.Given(Request.Create().WithPath(Api + "/query").UsingGet()).InScenario("throttle").WhenStateIs("open")
            .RespondWith(Json(200, QueryAnswer("Item", 11, 1)));
        var logs = _services.GetFakeLogCollector();

        var call = Connector.GetItemAsync("11");
        await QboHost.Until(() => logs.GetSnapshot().Any(r => r.Id.Id == 1001), "the retry is scheduled");
        _time.Advance(TimeSpan.FromSeconds(3));

        (await call)!.Id.Should().Be("11");
        Requests().Should().HaveCount(2);
    }

    [Fact]
    public async Task NoStoredToken_RefreshesWithBasicClientAuthAndPersistsEachRotatedRefreshToken()
    {
        await using var services = QboHost.Build(_server.Url!, _time, o => o.InitialRefreshToken = "refresh-0");
        _server.Given(Request.Create().WithPath("/oauth2/v1/tokens/bearer").UsingPost()).InScenario("rotate").WillSetStateTo("rotated")
            .RespondWith(Json(200, """{"token_type":"bearer","access_token":"access-A","expires_in":3600,"refresh_token":"refresh-A","x_refresh_token_expires_in":8726400}"""));
        _server.Given(Request.Create().WithPath("/oauth2/v1/tokens/bearer").UsingPost()).InScenario("rotate").WhenStateIs("rotated")
            .RespondWith(Json(200, """{"token_type":"bearer","access_token":"access-B","expires_in":3600,"refresh_token":"refresh-B","x_refresh_token_expires_in":8726400}"""));
        _server.Given(Request.Create().WithPath(Api + "/query").UsingGet()).RespondWith(Json(200, QueryAnswer("Item", 11, 1)));
        var connector = services.GetRequiredService<QuickBooksConnector>();
        var store = services.GetRequiredService<ITokenStore>();

        await connector.GetItemAsync("11");
        var first = await store.GetAsync("quickbooks", QboHost.Realm);
        _time.Advance(TimeSpan.FromHours(2));
        await connector.GetItemAsync("11");
        var second = await store.GetAsync("quickbooks", QboHost.Realm);

        var requests = Requests();
        requests.Select(r => r.Path).Should().Equal("/oauth2/v1/tokens/bearer", Api + "/query", "/oauth2/v1/tokens/bearer", Api + "/query");
        Header(requests[0], "Authorization").Should().Be("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("client-id:client-secret-value")));
        requests[0].Body.Should().Contain("grant_type=refresh_token").And.Contain("refresh_token=refresh-0");
        Header(requests[1], "Authorization").Should().Be("Bearer access-A");
        requests[2].Body.Should().Contain("refresh_token=refresh-A", "the rotated refresh token is the one used next");
        Header(requests[3], "Authorization").Should().Be("Bearer access-B");
        first!.RefreshToken.Should().Be("refresh-A");
        second!.RefreshToken.Should().Be("refresh-B");
        second.AccessToken.Should().Be("access-B");
    }

    [Fact]
    public async Task AdjustQuantityOnHand_ItemNotTracked_FailsWithoutWriting()
    {
        _server.Given(Request.Create().WithPath(Api + "/query").UsingGet()).RespondWith(Json(200, """
            {"QueryResponse":{"Item":[{"Id":"12","SyncToken":"0","Name":"Gift wrap","Type":"Service"}],"startPosition":1,"maxResults":1},"time":"2026-11-27T18:00:00.000-08:00"}
            """));

        var act = () => Connector.AdjustQuantityOnHand.ExecuteAsync(new QboInventoryAdjustment("12", 1), QboHost.Write());

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.ErrorCode.Should().Be("item_not_tracked");
        error.IsRetryable.Should().BeFalse();
        Requests().Should().ContainSingle();
    }

    [Fact]
    public async Task CreateInvoice_WithoutLines_FailsBeforeSending()
    {
        var act = () => Connector.CreateInvoice.ExecuteAsync(Draft() with { Lines = [] }, QboHost.Write());

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("Lines");
        Requests().Should().BeEmpty();
    }

    private static QboInvoiceDraft Draft() => new()
    {
        CustomerId = "58",
        DocNumber = "1001",
        TxnDate = new DateOnly(2026, 11, 27),
        PrivateNote = "Shop order #1001",
        Lines =
        [
            new QboLineDraft { ItemId = "11", Qty = 2, UnitPrice = 10.00m, Description = "Blue mug", IncomeAccountId = "79" },
            new QboLineDraft { ItemId = "12", Qty = 1, UnitPrice = 5.99m, TaxCodeId = "TAX" },
        ],
    };

    private const string InvoiceAnswer = """
        {"Invoice":{"Id":"130","SyncToken":"0","domain":"QBO","sparse":false,"DocNumber":"1001","TxnDate":"2026-11-27","DueDate":"2026-12-27",
          "CurrencyRef":{"value":"USD","name":"United States Dollar"},"PrivateNote":"Shop order #1001",
          "CustomerRef":{"value":"58","name":"Pat O'Brien"},
          "Line":[{"Id":"1","LineNum":1,"Description":"Blue mug","Amount":20.00,"DetailType":"SalesItemLineDetail","SalesItemLineDetail":{"ItemRef":{"value":"11","name":"Blue mug"},"UnitPrice":10,"Qty":2,"ItemAccountRef":{"value":"79","name":"Sales of Product Income"},"TaxCodeRef":{"value":"NON"}}},
                  {"Id":"2","LineNum":2,"Amount":5.99,"DetailType":"SalesItemLineDetail","SalesItemLineDetail":{"ItemRef":{"value":"12","name":"Gift wrap"},"UnitPrice":5.99,"Qty":1,"TaxCodeRef":{"value":"TAX"}}},
                  {"Amount":25.99,"DetailType":"SubTotalLineDetail","SubTotalLineDetail":{}}],
          "TotalAmt":25.99,"Balance":25.99,
          "MetaData":{"CreateTime":"2026-11-27T18:00:00-08:00","LastUpdatedTime":"2026-11-27T18:00:00-08:00"}},
         "time":"2026-11-27T18:00:00.123-08:00"}
        """;

    private static string QueryAnswer(string entity, int firstId, int count)
    {
        var items = string.Join(',', Enumerable.Range(firstId, count).Select(i => entity == "Customer"
            ? string.Create(CultureInfo.InvariantCulture, $$"""{"Id":"{{i}}","SyncToken":"0","DisplayName":"Customer {{i}}","PrimaryEmailAddr":{"Address":"c{{i}}@example.com"},"Active":true}""")
            : string.Create(CultureInfo.InvariantCulture, $$"""{"Id":"{{i}}","SyncToken":"0","Name":"Item {{i}}","Sku":"SKU-{{i}}","TrackQtyOnHand":true,"QtyOnHand":5}""")));
        return string.Create(CultureInfo.InvariantCulture,
            $$"""{"QueryResponse":{"{{entity}}":[{{items}}],"startPosition":{{firstId}},"maxResults":{{count}}},"time":"2026-11-27T18:00:00.000-08:00"}""");
    }

    private static IResponseBuilder Json(int status, string body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);

    private List<IRequestMessage> Requests() => [.. _server.LogEntries.Select(e => e.RequestMessage!)];

    private static string Query(IRequestMessage request, string name) => request.Query![name].Single();

    private static string Header(IRequestMessage request, string name) => string.Join(", ", request.Headers![name]);
}
