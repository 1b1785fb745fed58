using System.Security.Cryptography;
using System.Text;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Xero.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Integrations.Sdk.Xero.Tests;

public sealed class XeroWebhookAndOptionsTests : IDisposable
{
    private const string Key = "webhook-key-from-the-developer-portal";
    private static readonly Uri Url = new("https://hooks.example.test/webhooks/xero");
    private readonly ServiceProvider _services = XeroHost.Build(TimeProvider.System, o =>
    {
        o.TenantId = XeroHost.Tenant;
        o.ClientId = "client-id";
        o.ClientSecret = "client-secret-value";
        o.WebhookKey = Key;
    });

    public void Dispose() => _services.Dispose();

    private XeroWebhookSource Source => _services.GetRequiredService<XeroWebhookSource>();

    [Fact]
    public void IntentToReceive_CorrectlySigned_Answers200AndWronglySigned401()
    {
        const string body = """{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"TAHUOLGRVAYPBNJMQLDW"}""";

        var good = Request(body, Sign(body, Key));
        var bad = Request(body, Sign(body, "another-key"));

        Source.Handshake(good, Source.Verify(good))!.StatusCode.Should().Be(200);
        Source.Handshake(good, Source.Verify(good))!.Body.Should().BeNull("Xero expects an empty body");
        Source.Handshake(bad, Source.Verify(bad))!.StatusCode.Should().Be(401);
    }

    [Fact]
    public void Delivery_SignedWithTheKey_IsVerifiedAndReadPerEvent()
    {
        const string body = """
            {"events":[{"resourceUrl":"https://api.xero.com/api.xro/2.0/Invoices/9f1c","resourceId":"9f1c","tenantId":"t-1","tenantType":"ORGANISATION",
                        "eventCategory":"INVOICE","eventType":"UPDATE","eventDateUtc":"2026-12-01T09:15:00.123"},
                       {"resourceUrl":"https://api.xero.com/api.xro/2.0/Contacts/717f","resourceId":"717f","tenantId":"t-1","tenantType":"ORGANISATION",
                        "eventCategory":"CONTACT","eventType":"CREATE","eventDateUtc":"2026-12-01T09:16:00.000"}],
             "firstEventSequence":5,"lastEventSequence":6,"entropy":"S0m3r4Nd0mt3xt"}
            """;
        var request = Request(body, Sign(body, Key));

        Source.Verify(request).IsValid.Should().BeTrue();
        Source.Handshake(request, Source.Verify(request)).Should().BeNull("a delivery with events is not a handshake");
        var events = Source.Parse(request);

        events.Select(e => e.EventId).Should().Equal("t-1:INVOICE:9f1c:UPDATE:2026-12-01T09:15:00.123", "t-1:CONTACT:717f:CREATE:2026-12-01T09:16:00.000");
        events.Select(e => e.EventType).Should().Equal("INVOICE.UPDATE", "CONTACT.CREATE");
        events[0].OccurredAt.Should().Be(new DateTimeOffset(2026, 12, 1, 9, 15, 0, 123, TimeSpan.Zero));
        Source.Verify(Request(body.Replace("UPDATE", "CREATE", StringComparison.Ordinal), Sign(body, Key))).IsValid.Should().BeFalse("the body was altered");
    }

    [Fact]
    public void Event_WithoutResourceId_IsRefusedNamingTheField()
    {
        var act = () => Source.Parse(Request("""{"events":[{"tenantId":"t","eventCategory":"INVOICE","eventType":"CREATE","eventDateUtc":"2026-12-01T00:00:00"}]}""", "x"));

        act.Should().Throw<Exception>().WithMessage("*resourceId*");
    }

    [Theory]
    [InlineData("TenantId")]
    [InlineData("ClientId")]
    [InlineData("ClientSecret")]
    [InlineData("RequestsPerMinute")]
    [InlineData("MaxConcurrentRequests")]
    public void MissingOrWrongSetting_IsNamed(string setting)
    {
        using var services = XeroHost.Build(TimeProvider.System, o =>
        {
            o.TenantId = XeroHost.Tenant;
            o.ClientId = "client-id";
            o.ClientSecret = "client-secret-value";
            switch (setting)
            {
                case "TenantId": o.TenantId = " "; break;
                case "ClientId": o.ClientId = string.Empty; break;
                case "ClientSecret": o.ClientSecret = string.Empty; break;
                case "RequestsPerMinute": o.RequestsPerMinute = 61; break;
                case "MaxConcurrentRequests": o.MaxConcurrentRequests = 0; break;
            }
        });

        var act = () => services.GetRequiredService<XeroConnector>();

        act.Should().Throw<OptionsValidationException>().WithMessage($"*Xero: {setting}*");
    }

    [Fact]
    public void Options_ToString_ShowsNoSecret()
    {
        var options = new XeroOptions { TenantId = "t", ClientId = "c", ClientSecret = "s3cr3t-value", InitialRefreshToken = "rt-value", WebhookKey = "wk-value" };

        options.ToString().Should().NotContain("s3cr3t-value").And.NotContain("rt-value").And.NotContain("wk-value");
    }

    private static WebhookRequest Request(string body, string signature) =>
        new("POST", Url, [new(XeroWebhookSource.SignatureHeader, signature)], Encoding.UTF8.GetBytes(body));

    private static string Sign(string body, string key) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(body)));
}
