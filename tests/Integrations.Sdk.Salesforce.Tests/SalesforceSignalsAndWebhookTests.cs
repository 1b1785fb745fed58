using System.Net;
using System.Text;
using System.Xml.Linq;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Crm;
using Integrations.Sdk.Salesforce.Webhooks;
using Integrations.Sdk.State;
using Integrations.Sdk.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.Salesforce.Tests;

/// <summary><c>Sforce-Limit-Info</c> into the budget, and outbound messages through the core webhook endpoint and inbox.</summary>
public sealed class SalesforceSignalsAndWebhookTests
{
    private const string Org18 = "00D5g000004B98dEAC";

    [Fact]
    public async Task LimitInfo_LowersTheBudgetToWhatTheOrgHasLeft_AndASpentAllocationHoldsRequests()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero));
        var reader = new SalesforceSignalReader(TimeSpan.FromHours(1));
        using var budget = new RateLimitBudget("salesforce", "default", new RateLimitOptions { PermitsPerWindow = 100_000, Window = TimeSpan.FromDays(1) }, time);
        using var some = Answer(HttpStatusCode.OK, "api-usage=99990/100000; api-bursts=1/750");
        using var none = Answer(HttpStatusCode.Forbidden, "api-usage=100000/100000");

        reader.ObserveBudget(some, budget);
        budget.Available.Should().BeApproximately(10, 0.01);
        reader.ObserveBudget(none, budget);
        var next = budget.AcquireAsync().AsTask();
        time.Advance(TimeSpan.FromMinutes(59));
        var heldForAnHour = next.IsCompleted;
        time.Advance(TimeSpan.FromMinutes(2));
        using var lease = await next.WaitAsync(TimeSpan.FromSeconds(5));

        heldForAnHour.Should().BeFalse("requests are held while the org's allocation is spent");
        reader.ReadRetryAfter(none, time.GetUtcNow()).Should().Be(TimeSpan.FromHours(1));
        SalesforceSignalReader.TryReadApiUsage(some, out var used, out var limit).Should().BeTrue();
        (used, limit).Should().Be((99990, 100000));
    }

    [Fact]
    public void OrganizationIds_15And18Characters_NameTheSameOrg()
    {
        // The worked example of the 18-character suffix: 0019000000B98de is 0019000000B98deAAB.
        SalesforceOutboundMessageSource.Suffix("0019000000B98de").Should().Be("AAB");
        SalesforceOutboundMessageSource.SameId("0019000000B98de", "0019000000B98deAAB").Should().BeTrue();
        SalesforceOutboundMessageSource.SameId("0019000000B98DE", "0019000000B98deAAB").Should().BeFalse("a 15-character id is case-sensitive");
        SalesforceOutboundMessageSource.SameId("0019000000b98deaab", "0019000000B98deAAB").Should().BeTrue("18-character ids are case-safe");
    }

    [Fact]
    public async Task OutboundMessage_IsStoredPerNotification_AckedWithTheSoapAnswer_ResendsDeduped_OtherOrgsRefused()
    {
        await using var app = await StartAsync(Org18[..15]);
        var client = app.GetTestClient();
        var inbox = app.Services.GetRequiredService<IWebhookInbox>();
        var body = Envelope(Org18, ("04l000000000001AAA", "006000000000001AAA", "Closed Won"), ("04l000000000002AAA", "006000000000002AAA", "Prospecting"));

        using var first = await PostAsync(client, body);
        using var resend = await PostAsync(client, body);
        using var forged = await PostAsync(client, Envelope("00D000000000999AAA", ("04l000000000003AAA", "006000000000003AAA", "Closed Won")));

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        first.Content.Headers.ContentType!.MediaType.Should().Be("text/xml");
        var ack = XDocument.Parse(await first.Content.ReadAsStringAsync());
        XNamespace soap = "http://schemas.xmlsoap.org/soap/envelope/";
        XNamespace outbound = "http://soap.sforce.com/2005/09/outbound";
        ack.Root!.Name.Should().Be(soap + "Envelope");
        ack.Root.Element(soap + "Body")!.Element(outbound + "notificationsResponse")!.Element(outbound + "Ack")!.Value.Should().Be("true");
        resend.StatusCode.Should().Be(HttpStatusCode.OK, "a resend is acknowledged again, so Salesforce stops sending it");
        forged.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await forged.Content.ReadAsStringAsync()).Should().Contain("OrganizationId");
        (await inbox.CountAsync()).Pending.Should().Be(2, "one event per notification, the resend's dropped by notification id");
    }

    [Fact]
    public void OutboundMessage_Events_CarryTheSObjectFields_AndNameTheOpportunityForTheCrmModel()
    {
        var source = new SalesforceOutboundMessageSource(Options.Create(new SalesforceOptions { OrganizationId = Org18 }));
        var request = Request(Envelope(Org18, ("04l000000000001AAA", "006000000000001AAA", "Closed Won")));

        source.Verify(request).IsValid.Should().BeTrue();
        var e = source.Parse(request).Should().ContainSingle().Subject;

        (e.EventId, e.EventType).Should().Be(("04l000000000001AAA", "Opportunity"));
        System.Text.Json.Nodes.JsonNode.Parse(e.Payload)!.ToJsonString().Should().Be(
            """{"Id":"006000000000001AAA","StageName":"Closed Won","Amount":null,"SystemModstamp":"2026-12-05T10:00:00.000Z"}""");
        e.OccurredAt.Should().Be(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero));
        using var host = new SalesforceHost();
        ((ICrmConnector)host.Connector).TryGetDealId(e, out var dealId).Should().BeTrue();
        dealId.Should().Be("006000000000001AAA");
        ((ICrmConnector)host.Connector).TryGetDealId(e with { EventType = "Contact" }, out _).Should().BeFalse();
    }

    [Fact]
    public void OutboundMessage_WithoutNotificationId_IsAFormatErrorNamingTheElement()
    {
        var source = new SalesforceOutboundMessageSource(Options.Create(new SalesforceOptions { OrganizationId = Org18 }));
        var body = Envelope(Org18, ("04l000000000001AAA", "006000000000001AAA", "Closed Won")).Replace("<Id>04l000000000001AAA</Id>", string.Empty, StringComparison.Ordinal);

        var parse = () => source.Parse(Request(body));

        parse.Should().Throw<FormatException>().WithMessage("*Notification[0]*Id*");
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, string limitInfo)
    {
        var response = new HttpResponseMessage(status);
        response.Headers.TryAddWithoutValidation("Sforce-Limit-Info", limitInfo);
        return response;
    }

    private static WebhookRequest Request(string body) =>
        new("POST", new Uri("https://hooks.example.test/webhooks/salesforce"), [new("Content-Type", "text/xml")], Encoding.UTF8.GetBytes(body));

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string body) =>
        client.PostAsync(new Uri("/webhooks/salesforce", UriKind.Relative), new StringContent(body, Encoding.UTF8, "text/xml"));

    private static string Envelope(string org, params (string NotificationId, string OpportunityId, string Stage)[] notifications)
    {
        var items = string.Concat(notifications.Select(n => $"""
            <Notification>
              <Id>{n.NotificationId}</Id>
              <sObject xsi:type="sf:Opportunity" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
                <sf:Id>{n.OpportunityId}</sf:Id>
                <sf:StageName>{n.Stage}</sf:StageName>
                <sf:Amount xsi:nil="true"/>
                <sf:SystemModstamp>2026-12-05T10:00:00.000Z</sf:SystemModstamp>
              </sObject>
            </Notification>
            """));
        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
             <soapenv:Body>
              <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
               <OrganizationId>{org}</OrganizationId>
               <ActionId>04k000000000001AAA</ActionId>
               <SessionId xsi:nil="true"/>
               <EnterpriseUrl>https://acme.my.salesforce.com/services/Soap/c/67.0/00D</EnterpriseUrl>
               <PartnerUrl>https://acme.my.salesforce.com/services/Soap/u/67.0/00D</PartnerUrl>
               {items}
              </notifications>
             </soapenv:Body>
            </soapenv:Envelope>
            """;
    }

    private static async Task<WebApplication> StartAsync(string organizationId)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddIntegrations().AddSalesforce(o =>
        {
            o.Flow = SalesforceAuthFlow.ClientCredentials;
            o.LoginUrl = new Uri("https://acme.my.salesforce.com/");
            o.ClientId = "3MVG9-test";
            o.ClientSecret = "secret";
            o.OrganizationId = organizationId;
        });
        var app = builder.Build();
        app.MapIntegrationWebhooks();
        await app.StartAsync();
        return app;
    }
}
