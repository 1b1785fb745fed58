using System.Security.Cryptography;
using System.Text;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Testing.QuickBooks;
using Microsoft.Extensions.Options;

namespace Integrations.Sdk.QuickBooks.Tests.Webhooks;

public sealed class QuickBooksWebhookSourceTests
{
    private const string Token = "verifier-token-123";

    private const string Legacy = """
        {"eventNotifications":[
          {"realmId":"1185883450","dataChangeEvent":{"entities":[
            {"name":"Customer","id":"1","operation":"Create","lastUpdated":"2015-10-05T14:42:19-0700"},
            {"name":"Invoice","id":"130","operation":"Update","lastUpdated":"2015-10-05T14:42:20.000Z"}]}},
          {"realmId":"9341453050298760","dataChangeEvent":{"entities":[
            {"name":"Customer","id":"7","operation":"Merge","lastUpdated":"2015-10-05T14:42:21.000Z","deletedId":"8"}]}}]}
        """;

    private const string CloudEvents = """
        [{"specversion":"1.0","id":"88cd52d5-2b2a-4b0a-8c34-Invoice-130","source":"intuit.dsnBgbseACLLRZNxo2dfc4evmEJdxde58xeeYcZliOU=",
          "type":"qbo.invoice.created.v1","datacontenttype":"application/json","time":"2025-12-04T15:25:05Z",
          "intuitentityid":"130","intuitaccountid":"9341453050298760","data":{}},
         {"specversion":"1.0","id":"3b1f1c8e-Customer-123","source":"intuit.x","type":"qbo.customer.merged.v1","time":"2025-12-04T15:26:00Z",
          "intuitentityid":"123","intuitaccountid":"9341453050298760","data":{"deletedid":"27"}}]
        """;

    private readonly QuickBooksWebhookSource _source = new(Options.Create(new QuickBooksOptions { WebhookVerifierToken = Token }));

    [Fact]
    public void Verify_SignatureOfTheRawBodyWithTheVerifierToken_IsValid()
    {
        _source.Verify(Signed(Legacy, Token)).IsValid.Should().BeTrue();
        _source.Name.Should().Be("quickbooks");
    }

    [Fact]
    public void Verify_WrongToken_IsInvalidNamingTheHeader()
    {
        var verdict = _source.Verify(Signed(Legacy, "another-token"));

        verdict.IsValid.Should().BeFalse();
        verdict.Failure.Should().Contain("intuit-signature").And.NotContain(Token);
    }

    [Fact]
    public void Verify_AlteredBody_IsInvalid()
    {
        var signed = Signed(Legacy, Token);
        var altered = Encoding.UTF8.GetBytes(Legacy.Replace("\"id\":\"130\"", "\"id\":\"131\"", StringComparison.Ordinal));

        _source.Verify(new WebhookRequest("POST", signed.Url, signed.Headers, altered)).IsValid.Should().BeFalse();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 at all!")]
    public void Verify_MissingOrMalformedHeader_IsInvalid(string? signature)
    {
        var headers = signature is null ? [] : new Dictionary<string, string> { ["intuit-signature"] = signature };
        var request = new WebhookRequest("POST", new Uri("https://app.example/webhooks/quickbooks"), headers, Encoding.UTF8.GetBytes(Legacy));

        var verdict = _source.Verify(request);

        verdict.IsValid.Should().BeFalse();
        verdict.Failure.Should().Contain("intuit-signature");
        if (signature is null)
        {
            verdict.Failure.Should().Contain("missing");
        }
    }

    [Fact]
    public void Verify_WithoutVerifierToken_ThrowsNamingTheSetting()
    {
        var source = new QuickBooksWebhookSource(Options.Create(new QuickBooksOptions()));

        var act = () => source.Verify(Signed(Legacy, Token));

        act.Should().Throw<InvalidOperationException>().WithMessage("*WebhookVerifierToken*");
    }

    [Fact]
    public void Parse_Legacy_OneEventPerEntity_KeyedByRealmEntityIdAndLastUpdated()
    {
        var events = _source.Parse(Signed(Legacy, Token));

        events.Select(e => e.EventId).Should().Equal(
            "1185883450:Customer:1:2015-10-05T14:42:19-0700",
            "1185883450:Invoice:130:2015-10-05T14:42:20.000Z",
            "9341453050298760:Customer:7:2015-10-05T14:42:21.000Z");
        events.Select(e => e.EventType).Should().Equal("qbo.customer.created.v1", "qbo.invoice.updated.v1", "qbo.customer.merged.v1");
        events[0].OccurredAt.Should().Be(new DateTimeOffset(2015, 10, 5, 14, 42, 19, TimeSpan.FromHours(-7)));
        var merge = QuickBooksWebhookSource.ReadChange(events[2]);
        merge.Should().Be(new QuickBooksChange("legacy", "9341453050298760", "customer", "7", "merged", new DateTimeOffset(2015, 10, 5, 14, 42, 21, TimeSpan.Zero), "8"));
    }

    [Fact]
    public void Parse_CloudEventsArray_KeyedByTheEventId()
    {
        var events = _source.Parse(Signed(CloudEvents, Token));

        events.Select(e => e.EventId).Should().Equal("88cd52d5-2b2a-4b0a-8c34-Invoice-130", "3b1f1c8e-Customer-123");
        events.Select(e => e.EventType).Should().Equal("qbo.invoice.created.v1", "qbo.customer.merged.v1");
        events[0].OccurredAt.Should().Be(new DateTimeOffset(2025, 12, 4, 15, 25, 5, TimeSpan.Zero));
        QuickBooksWebhookSource.ReadChange(events[0]).Should().Be(
            new QuickBooksChange("cloudevents", "9341453050298760", "invoice", "130", "created", new DateTimeOffset(2025, 12, 4, 15, 25, 5, TimeSpan.Zero), null));
        QuickBooksWebhookSource.ReadChange(events[1]).DeletedId.Should().Be("27");
    }

    [Fact]
    public void Parse_SingleCloudEventObject_IsOneEvent()
    {
        var single = """{"specversion":"1.0","id":"evt-1","type":"qbo.salesreceipt.created.v1","time":"2025-12-04T15:25:05Z","intuitentityid":"5","intuitaccountid":"42"}""";

        var events = _source.Parse(Signed(single, Token));

        events.Should().ContainSingle().Which.EventId.Should().Be("evt-1");
        QuickBooksWebhookSource.ReadChange(events[0]).Entity.Should().Be("salesreceipt");
    }

    [Theory]
    [InlineData("{\"eventNotifications\":[", "not JSON")]
    [InlineData("{\"hello\":1}", "neither legacy")]
    [InlineData("{\"eventNotifications\":{}}", "must be an array")]
    [InlineData("{\"eventNotifications\":[{\"dataChangeEvent\":{\"entities\":[]}}]}", "eventNotifications[0].realmId")]
    [InlineData("{\"eventNotifications\":[{\"realmId\":\"1\",\"dataChangeEvent\":{\"entities\":[{\"name\":\"Invoice\",\"id\":\"1\",\"operation\":\"Create\"}]}}]}", "entities[0].lastUpdated")]
    [InlineData("{\"eventNotifications\":[{\"realmId\":\"1\",\"dataChangeEvent\":{\"entities\":[{\"name\":\"Invoice\",\"id\":\"1\",\"operation\":\"Create\",\"lastUpdated\":\"yesterday\"}]}}]}", "not a date")]
    [InlineData("[{\"specversion\":\"1.0\",\"type\":\"qbo.invoice.created.v1\"}]", "[0].id")]
    [InlineData("[42]", "must be an object")]
    public void Parse_MalformedBody_ThrowsFormatExceptionNamingTheProblem(string body, string problem)
    {
        var act = () => _source.Parse(Signed(body, Token));

        act.Should().Throw<FormatException>().Which.Message.Should().Contain(problem);
    }

    [Fact]
    public void SimulatorWebhooks_AreVerifiedAndParsed()
    {
        var simulator = new QuickBooksSimulator(realmId: "123");
        var source = new QuickBooksWebhookSource(Options.Create(new QuickBooksOptions { WebhookVerifierToken = simulator.WebhookVerifierToken }));
        var lastUpdated = new DateTimeOffset(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);

        var legacy = Received(simulator.CreateWebhook("Invoice", "130", "Create", lastUpdated));
        var cloud = Received(simulator.CreateCloudEventsWebhook("Invoice", "130", "created", eventId: "evt-9"));

        source.Verify(legacy).IsValid.Should().BeTrue();
        source.Parse(legacy).Single().EventId.Should().Be("123:Invoice:130:2026-11-28T02:00:00.000Z");
        source.Verify(cloud).IsValid.Should().BeTrue();
        source.Parse(cloud).Single().Should().Match<WebhookEvent>(e => e.EventId == "evt-9" && e.EventType == "qbo.invoice.created.v1");
        source.Verify(Received(simulator.CreateWebhook("Invoice", "130").WithHeader("intuit-signature", "AAAA"))).IsValid.Should().BeFalse();
    }

    private static WebhookRequest Signed(string body, string token)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), bytes));
        return new WebhookRequest("POST", new Uri("https://app.example/webhooks/quickbooks"), new Dictionary<string, string> { ["intuit-signature"] = signature }, bytes);
    }

    private static WebhookRequest Received(Integrations.Sdk.Testing.SignedWebhook webhook) =>
        new("POST", new Uri("https://app.example/webhooks/quickbooks"), webhook.Headers, webhook.Body);
}
