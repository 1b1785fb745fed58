using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Integrations.Sdk.State;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Transport;
using Integrations.Sdk.Xero.Models;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics.Metrics;
using Integrations.Sdk.Telemetry;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integrations.Sdk.Xero.Tests;

/// <summary>The exact requests the connector sends, and how it reads Xero's answers, against WireMock.</summary>
public sealed class XeroRequestTests : IAsyncLifetime
{
    private const string Api = "/api.xro/2.0";
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly FakeTimeProvider _time = XeroHost.Clock();
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _services = XeroHost.Build(_server.Url!, _time);
        await _services.GetRequiredService<ITokenStore>().SaveAsync("xero", XeroHost.Tenant, new OAuthToken("access-1", "refresh-1", _time.GetUtcNow().AddMinutes(30)));
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        _server.Stop();
    }

    private XeroConnector Connector => _services.GetRequiredService<XeroConnector>();

    [Fact]
    public async Task CreateInvoice_PutsAccrecWithTenantBearerAndIdempotencyKey()
    {
        _server.Given(Request.Create().WithPath(Api + "/Invoices").UsingPut()).RespondWith(Json(200, InvoiceAnswer));
        var write = XeroHost.Write();

        var invoice = await Connector.CreateInvoice.ExecuteAsync(Draft(), write);

        var request = Requests().Single();
        request.Method.Should().Be("PUT");
        Header(request, "xero-tenant-id").Should().Be(XeroHost.Tenant);
        Header(request, "Authorization").Should().Be("Bearer access-1");
        Header(request, "Idempotency-Key").Should().Be(write.IdempotencyKey);
        JsonNode.Parse(request.Body!)!.ToJsonString().Should().Be(
            """{"Invoices":[{"Type":"ACCREC","Contact":{"ContactID":"c-1"},"LineItems":[{"Description":"Blue mug","Quantity":2,"UnitAmount":10.00,"ItemCode":"MUG-1","AccountCode":"200"},{"Description":"Shipping","Quantity":1,"UnitAmount":5.99}],"Date":"2026-11-30","Reference":"Order #1001","CurrencyCode":"NZD","LineAmountTypes":"Exclusive","Status":"AUTHORISED"}]}""");
        invoice.InvoiceID.Should().Be("inv-1");
        invoice.InvoiceNumber.Should().Be("INV-0001");
        invoice.Total.Should().Be(25.99m);
        invoice.Contact!.ContactID.Should().Be("c-1");
        invoice.Extra.Should().ContainKey("BrandingThemeID");
    }

    [Fact]
    public async Task CreditNotePaymentAndAllocation_SendXeroBodiesWithTheKey()
    {
        _server.Given(Request.Create().WithPath(Api + "/CreditNotes").UsingPut())
            .RespondWith(Json(200, """{"CreditNotes":[{"CreditNoteID":"cn-1","Type":"ACCRECCREDIT","Status":"AUTHORISED","Total":5.00,"RemainingCredit":5.00}]}"""));
        _server.Given(Request.Create().WithPath(Api + "/Payments").UsingPut())
            .RespondWith(Json(200, """{"Payments":[{"PaymentID":"p-1","Amount":20.99,"Invoice":{"InvoiceID":"inv-1"},"Status":"AUTHORISED"}]}"""));
        _server.Given(Request.Create().WithPath(Api + "/CreditNotes/cn-1/Allocations").UsingPut())
            .RespondWith(Json(200, """{"Allocations":[{"Amount":5.00,"Invoice":{"InvoiceID":"inv-1"},"Date":"/Date(1764547200000+0000)/"}]}"""));

        var note = await Connector.CreateCreditNote.ExecuteAsync(
            new XeroCreditNoteDraft("c-1", [new XeroLineDraft("Refund: blue mug", 1, 5m, AccountCode: "200")], new DateOnly(2026, 12, 1), Status: "AUTHORISED"),
            XeroHost.Write(step: "refund"));
        var payment = await Connector.CreatePayment.ExecuteAsync(new XeroPaymentDraft("inv-1", "090", 20.99m, new DateOnly(2026, 12, 1), "ch_1"), XeroHost.Write(step: "payment"));
        var allocation = await Connector.AllocateCreditNote.ExecuteAsync(new XeroAllocationDraft("cn-1", "inv-1", 5m), XeroHost.Write(step: "allocate"));

        var requests = Requests();
        requests.Select(r => r.Body).Should().Equal(
            """{"CreditNotes":[{"Type":"ACCRECCREDIT","Contact":{"ContactID":"c-1"},"LineItems":[{"Description":"Refund: blue mug","Quantity":1,"UnitAmount":5,"AccountCode":"200"}],"Date":"2026-12-01","Status":"AUTHORISED"}]}""",
            """{"Payments":[{"Invoice":{"InvoiceID":"inv-1"},"Account":{"Code":"090"},"Amount":20.99,"Date":"2026-12-01","Reference":"ch_1"}]}""",
            """{"Allocations":[{"Invoice":{"InvoiceID":"inv-1"},"Amount":5,"Date":"2026-12-01"}]}""");
        requests.Select(r => Header(r, "Idempotency-Key")).Should().OnlyHaveUniqueItems().And.AllSatisfy(k => k.Should().NotBeEmpty());
        requests.Select(r => Header(r, "xero-tenant-id")).Should().AllBe(XeroHost.Tenant);
        note.RemainingCredit.Should().Be(5m);
        payment.PaymentID.Should().Be("p-1");
        allocation.Amount.Should().Be(5m);
    }

    [Fact]
    public async Task FindOrCreateContact_LooksUpByEmailThenNameThenCreates()
    {
        _server.Given(Request.Create().WithPath(Api + "/Contacts").UsingGet()).RespondWith(Json(200, """{"Contacts":[]}"""));
        _server.Given(Request.Create().WithPath(Api + "/Contacts").UsingPut())
            .RespondWith(Json(200, """{"Contacts":[{"ContactID":"c-9","Name":"Pat O'Brien","EmailAddress":"pat@example.com"}]}"""));

        var contact = await Connector.FindOrCreateContact.ExecuteAsync(new XeroContactDraft("Pat O'Brien", "pat@example.com"), XeroHost.Write(step: "contact"));

        var requests = Requests();
        requests.Select(r => r.Method).Should().Equal("GET", "GET", "PUT");
        requests[0].Query!["where"].Single().Should().Be("EmailAddress==\"pat@example.com\"");
        requests[1].Query!["where"].Single().Should().Be("Name==\"Pat O'Brien\"");
        requests[2].Body.Should().Be("""{"Contacts":[{"Name":"Pat O\u0027Brien","EmailAddress":"pat@example.com"}]}""");
        contact.ContactID.Should().Be("c-9");
    }

    [Fact]
    public async Task FindItemByCode_QueriesWhereCodeEquals()
    {
        _server.Given(Request.Create().WithPath(Api + "/Items").UsingGet())
            .RespondWith(Json(200, """{"Items":[{"ItemID":"i-1","Code":"MUG-1","Name":"Blue mug","IsTrackedAsInventory":true,"QuantityOnHand":7}]}"""));

        var item = await Connector.FindItemByCodeAsync("MUG-1");

        Requests().Single().Query!["where"].Single().Should().Be("Code==\"MUG-1\"");
        item!.QuantityOnHand.Should().Be(7m);
    }

    [Fact]
    public async Task ValidationError_IsReadIntoTheReasonsOfEachElement()
    {
        _server.Given(Request.Create().WithPath(Api + "/Invoices").UsingPut()).RespondWith(Json(400, """
            {"ErrorNumber":10,"Type":"ValidationException","Message":"A validation exception occurred",
             "Elements":[{"Type":"ACCREC","ValidationErrors":[{"Message":"Invoice not of valid status for creation"}],
               "LineItems":[{"ItemCode":"NOPE","ValidationErrors":[{"Message":"Item code 'NOPE' is not valid"}]}]}]}
            """));

        var act = () => Connector.CreateInvoice.ExecuteAsync(Draft(), XeroHost.Write());

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        error.ErrorCode.Should().Be("ValidationException");
        error.IsRetryable.Should().BeFalse();
        error.PlatformMessage.Should().Contain("Elements[0]: Invoice not of valid status for creation; LineItems[0]: Item code 'NOPE' is not valid");
        Requests().Should().ContainSingle("a refusal is not retried");
    }

    [Fact]
    public async Task BudgetHeaders_LowerTheTenantsBudget()
    {
        _server.Given(Request.Create().WithPath(Api + "/Items").UsingGet()).RespondWith(Json(200, """{"Items":[]}""")
            .WithHeader("X-MinLimit-Remaining", "0").WithHeader("X-DayLimit-Remaining", "4000"));

        using var waits = new MetricCollector<long>(_services.GetRequiredService<IMeterFactory>(), IntegrationsTelemetry.Name, "integrations.ratelimit.waits");
        await Connector.FindItemByCodeAsync("MUG-1");
        var next = Connector.FindItemByCodeAsync("MUG-2");
        await IntegrationsTestHost.UntilAsync(() => waits.GetMeasurementSnapshot().Count > 0, "the second lookup to wait for the budget");

        next.IsCompleted.Should().BeFalse("no request is left in Xero's minute");
        Requests().Should().ContainSingle();
        _time.Advance(TimeSpan.FromMinutes(1));
        await next;
        Requests().Should().HaveCount(2);
    }

    [Fact]
    public async Task DailyLimit429_FailsAtOnceAsRetryableLaterWithTheWait()
    {
        _server.Given(Request.Create().WithPath(Api + "/Items").UsingGet()).RespondWith(Response.Create().WithStatusCode(429)
            .WithHeader("Retry-After", "43200").WithHeader("X-Rate-Limit-Problem", "Daily").WithHeader("X-DayLimit-Remaining", "0"));

        var act = () => Connector.FindItemByCodeAsync("MUG-1");

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        error.ErrorCode.Should().Be("rate_limit_daily");
        error.IsRetryable.Should().BeTrue();
        error.RetryAfter.Should().Be(TimeSpan.FromHours(12));
        Requests().Should().ContainSingle("a spent day is not retried every minute");
        Connector.DailyLimitSpentUntil.Should().Be(_time.GetUtcNow().AddHours(12));

        _time.Advance(TimeSpan.FromHours(1));
        var next = (await ((Func<Task>)(() => Connector.FindItemByCodeAsync("MUG-2"))).Should().ThrowAsync<PlatformException>()).Which;
        next.ErrorCode.Should().Be("rate_limit_daily");
        next.RetryAfter.Should().Be(TimeSpan.FromHours(11));
        Requests().Should().ContainSingle("the calls after it fail at once, sending nothing");
    }

    [Fact]
    public async Task MinuteLimit429_IsRetriedAfterRetryAfter()
    {
        _server.Given(Request.Create().WithPath(Api + "/Items").UsingGet()).InScenario("minute").WillSetStateTo("open")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "2").WithHeader("X-Rate-Limit-Problem", "Minute"));
        _server.Given(Request.Create().WithPath(Api + "/Items").UsingGet()).InScenario("minute").WhenStateIs("open")
            .RespondWith(Json(200, """{"Items":[{"ItemID":"i-1","Code":"MUG-1"}]}"""));

        var logs = _services.GetFakeLogCollector();

        var call = Connector.FindItemByCodeAsync("MUG-1");
        await IntegrationsTestHost.UntilAsync(() => logs.GetSnapshot().Any(r => r.Id.Id == 1001), "the retry is scheduled");
        _time.Advance(TimeSpan.FromSeconds(2));

        (await call)!.ItemID.Should().Be("i-1");
        Requests().Should().HaveCount(2);
    }

    [Fact]
    public async Task NoStoredToken_RefreshesAndSavesEachRotatedRefreshToken()
    {
        await using var services = XeroHost.Build(_server.Url!, _time, o => o.InitialRefreshToken = "refresh-0");
        _server.Given(Request.Create().WithPath("/connect/token").UsingPost()).InScenario("rotate").WillSetStateTo("rotated")
            .RespondWith(Json(200, """{"access_token":"access-A","expires_in":1800,"token_type":"Bearer","refresh_token":"refresh-A"}"""));
        _server.Given(Request.Create().WithPath("/connect/token").UsingPost()).InScenario("rotate").WhenStateIs("rotated")
            .RespondWith(Json(200, """{"access_token":"access-B","expires_in":1800,"token_type":"Bearer","refresh_token":"refresh-B"}"""));
        _server.Given(Request.Create().WithPath(Api + "/Items").UsingGet()).RespondWith(Json(200, """{"Items":[]}"""));
        var connector = services.GetRequiredService<XeroConnector>();
        var store = services.GetRequiredService<ITokenStore>();

        await connector.FindItemByCodeAsync("A");
        var first = await store.GetAsync("xero", XeroHost.Tenant);
        _time.Advance(TimeSpan.FromMinutes(45));
        await connector.FindItemByCodeAsync("A");
        var second = await store.GetAsync("xero", XeroHost.Tenant);

        var requests = Requests();
        requests.Select(r => r.Path).Should().Equal("/connect/token", Api + "/Items", "/connect/token", Api + "/Items");
        Header(requests[0], "Authorization").Should().Be("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("client-id:client-secret-value")));
        requests[0].Body.Should().Contain("grant_type=refresh_token").And.Contain("refresh_token=refresh-0");
        requests[2].Body.Should().Contain("refresh_token=refresh-A", "the rotated refresh token is the one used next");
        Header(requests[3], "Authorization").Should().Be("Bearer access-B");
        first!.RefreshToken.Should().Be("refresh-A");
        second!.RefreshToken.Should().Be("refresh-B");
    }

    [Fact]
    public async Task CreateInvoice_WithoutContact_FailsBeforeSendingNamingTheField()
    {
        var act = () => Connector.CreateInvoice.ExecuteAsync(Draft() with { ContactId = " " }, XeroHost.Write());

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("ContactId");
        Requests().Should().BeEmpty();
    }

    private const string InvoiceAnswer = """
        {"Id":"x","Status":"OK","Invoices":[{"InvoiceID":"inv-1","InvoiceNumber":"INV-0001","Type":"ACCREC","Status":"AUTHORISED",
          "Contact":{"ContactID":"c-1","Name":"Pat"},"Date":"/Date(1764460800000+0000)/","Total":25.99,"AmountDue":25.99,
          "LineItems":[{"Description":"Blue mug","Quantity":2,"UnitAmount":10,"LineAmount":20}],"BrandingThemeID":"b-1"}]}
        """;

    private static XeroInvoiceDraft Draft() => new(
        "c-1",
        [new XeroLineDraft("Blue mug", 2, 10.00m, "MUG-1", "200"), new XeroLineDraft("Shipping", 1, 5.99m)],
        new DateOnly(2026, 11, 30), Reference: "Order #1001", CurrencyCode: "NZD", LineAmountTypes: XeroLineAmountTypes.Exclusive, Status: "AUTHORISED");

    private static IResponseBuilder Json(int status, string body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);

    private List<IRequestMessage> Requests() => [.. _server.LogEntries.Select(e => e.RequestMessage!)];

    private static string Header(IRequestMessage request, string name) =>
        request.Headers!.TryGetValue(name, out var values) ? string.Join(", ", values) : string.Empty;
}
