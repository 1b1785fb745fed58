using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.HubSpot.Tests.Support;
using Integrations.Sdk.Testing.HubSpot;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.HubSpot.Tests.Webhooks;

/// <summary>The v3 signature as HubSpot documents it: Base64(HMAC-SHA256(client secret, method + URI + body + timestamp)).</summary>
public sealed class HubSpotWebhookSourceTests
{
    private const string Secret = "client-secret-value";
    private static readonly Uri Target = new("https://hooks.example.com/webhooks/hubspot?portal=62515");

    private const string Body = """
        [{"eventId":1001,"subscriptionId":4200001,"portalId":62515,"appId":1160452,"occurredAt":1764295200000,"subscriptionType":"contact.propertyChange","attemptNumber":0,"objectId":501,"propertyName":"lifecyclestage","propertyValue":"customer","changeSource":"CRM"},
         {"eventId":"1002","subscriptionType":"deal.creation","occurredAt":1764295201000,"objectId":77}]
        """;

    private readonly FakeTimeProvider _time = HubSpotHost.Clock();
    private readonly HubSpotWebhookSource _source;

    public HubSpotWebhookSourceTests() =>
        _source = new HubSpotWebhookSource(Options.Create(new HubSpotOptions { AccessToken = "x", ClientSecret = Secret }), _time);

    private string Now => _time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void Verify_DocumentedV3Signature_IsValid()
    {
        _source.Verify(Signed("POST", Target, Body, Now, Secret)).IsValid.Should().BeTrue();
        _source.Name.Should().Be("hubspot");
    }

    [Fact]
    public void Verify_UriWithEncodedCharacters_IsSignedDecodedAsHubSpotDoes()
    {
        var encoded = new Uri("https://hooks.example.com/webhooks/hubspot?next=%2Fdone%3Fa%3A1");
        var timestamp = Now;
        var decoded = "https://hooks.example.com/webhooks/hubspot?next=/done?a:1";
        var signature = Sign(Secret, "POST" + decoded + Body + timestamp);
        var request = Request("POST", encoded, Body, signature, timestamp);

        _source.Verify(request).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_WrongSecret_IsInvalidNamingTheHeaderWithoutTheSecret()
    {
        var verdict = _source.Verify(Signed("POST", Target, Body, Now, "another-secret"));

        verdict.IsValid.Should().BeFalse();
        verdict.Failure.Should().Contain("X-HubSpot-Signature-v3").And.NotContain(Secret);
    }

    [Fact]
    public void Verify_AlteredBody_IsInvalid()
    {
        var signed = Signed("POST", Target, Body, Now, Secret);
        var altered = new WebhookRequest("POST", Target, signed.Headers, Encoding.UTF8.GetBytes(Body.Replace("customer", "lead", StringComparison.Ordinal)));

        _source.Verify(altered).IsValid.Should().BeFalse();
    }

    [Fact]
    public void Verify_AlteredUriOrMethod_IsInvalid()
    {
        var signed = Signed("POST", Target, Body, Now, Secret);

        _source.Verify(new WebhookRequest("POST", new Uri("https://hooks.example.com/webhooks/other?portal=62515"), signed.Headers, signed.Body)).IsValid.Should().BeFalse();
        _source.Verify(new WebhookRequest("PUT", Target, signed.Headers, signed.Body)).IsValid.Should().BeFalse();
    }

    [Fact]
    public void Verify_StaleTimestamp_IsInvalidEvenWhenCorrectlySigned()
    {
        var old = _time.GetUtcNow().AddMinutes(-5).AddMilliseconds(-1).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var edge = _time.GetUtcNow().AddMinutes(-5).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

        var verdict = _source.Verify(Signed("POST", Target, Body, old, Secret));

        verdict.IsValid.Should().BeFalse();
        verdict.Failure.Should().Contain("X-HubSpot-Request-Timestamp");
        _source.Verify(Signed("POST", Target, Body, edge, Secret)).IsValid.Should().BeTrue("exactly the tolerance is still accepted");
    }

    [Fact]
    public void Verify_AlteredTimestamp_IsInvalid()
    {
        var signed = Signed("POST", Target, Body, Now, Secret);
        var later = (_time.GetUtcNow().ToUnixTimeMilliseconds() + 1).ToString(CultureInfo.InvariantCulture);

        _source.Verify(new WebhookRequest("POST", Target, new Dictionary<string, string>(signed.Headers) { ["X-HubSpot-Request-Timestamp"] = later }, signed.Body))
            .IsValid.Should().BeFalse();
    }

    [Theory]
    [InlineData("X-HubSpot-Signature-v3")]
    [InlineData("X-HubSpot-Request-Timestamp")]
    public void Verify_MissingHeader_IsInvalidNamingIt(string header)
    {
        var signed = Signed("POST", Target, Body, Now, Secret);
        var headers = signed.Headers.Where(h => !string.Equals(h.Key, header, StringComparison.OrdinalIgnoreCase));

        var verdict = _source.Verify(new WebhookRequest("POST", Target, headers, signed.Body));

        verdict.IsValid.Should().BeFalse();
        verdict.Failure.Should().Contain(header);
    }

    [Fact]
    public void Verify_WithoutClientSecret_ThrowsNamingTheSetting()
    {
        var source = new HubSpotWebhookSource(Options.Create(new HubSpotOptions { AccessToken = "x" }), _time);

        var act = () => source.Verify(Signed("POST", Target, Body, Now, Secret));

        act.Should().Throw<InvalidOperationException>().WithMessage("*ClientSecret*");
    }

    [Fact]
    public void Parse_ReturnsOneEventPerElement_KeyedByEventId()
    {
        var events = _source.Parse(Signed("POST", Target, Body, Now, Secret));

        events.Should().HaveCount(2);
        events[0].EventId.Should().Be("1001");
        events[0].EventType.Should().Be("contact.propertyChange");
        events[0].OccurredAt.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1764295200000));
        events[0].Payload.Should().Contain("\"propertyValue\":\"customer\"");
        events[1].EventId.Should().Be("1002");
        events[1].EventType.Should().Be("deal.creation");
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("""{"eventId":1}""", "array")]
    [InlineData("""[1]""", "[0] must be an object")]
    [InlineData("""[{"subscriptionType":"contact.creation"}]""", "[0].eventId")]
    [InlineData("""[{"eventId":1,"subscriptionType":"contact.creation"},{"eventId":2}]""", "[1].subscriptionType")]
    [InlineData("""[{"eventId":1,"subscriptionType":"contact.creation","occurredAt":"yesterday"}]""", "[0].occurredAt")]
    public void Parse_MalformedBody_ThrowsFormatExceptionNamingTheProblem(string body, string named)
    {
        var act = () => _source.Parse(new WebhookRequest("POST", Target, [], Encoding.UTF8.GetBytes(body)));

        act.Should().Throw<FormatException>().Which.Message.Should().Contain(named);
    }

    [Fact]
    public async Task SimulatorWebhooks_AreAcceptedWhenGenuine_AndRefusedWhenForgedOrStale()
    {
        await using var simulator = new HubSpotSimulator(_time) { ClientSecret = Secret };
        var genuine = simulator.CreateWebhook(Target, new SimulatedWebhookEvent("contact.creation", 501, EventId: 7));
        var batch = simulator.CreateWebhook(Target, [new SimulatedWebhookEvent("deal.propertyChange", 77, "dealstage", "closedwon"), new SimulatedWebhookEvent("deal.creation", 78)]);
        var forged = simulator.CreateWebhook(Target, new SimulatedWebhookEvent("contact.creation", 501), signWith: "guessed");
        var stale = simulator.CreateWebhook(Target, new SimulatedWebhookEvent("contact.creation", 501), timestamp: _time.GetUtcNow().AddMinutes(-6));

        _source.Verify(AsRequest(genuine)).IsValid.Should().BeTrue();
        _source.Parse(AsRequest(genuine)).Single().Should().Be(new WebhookEvent("7", "contact.creation", Encoding.UTF8.GetString(genuine.Body)[1..^1], _time.GetUtcNow()));
        _source.Verify(AsRequest(batch)).IsValid.Should().BeTrue();
        _source.Parse(AsRequest(batch)).Select(e => e.EventId).Should().OnlyHaveUniqueItems().And.HaveCount(2);
        _source.Verify(AsRequest(forged)).IsValid.Should().BeFalse();
        _source.Verify(AsRequest(stale)).Failure.Should().Contain("X-HubSpot-Request-Timestamp");
    }

    private static WebhookRequest AsRequest(Testing.SignedWebhook webhook) => new("POST", Target, webhook.Headers, webhook.Body);

    private static WebhookRequest Signed(string method, Uri uri, string body, string timestamp, string secret) =>
        Request(method, uri, body, Sign(secret, method + uri.AbsoluteUri + body + timestamp), timestamp);

    private static WebhookRequest Request(string method, Uri uri, string body, string signature, string timestamp) =>
        new(method, uri, new Dictionary<string, string> { ["X-HubSpot-Signature-v3"] = signature, ["X-HubSpot-Request-Timestamp"] = timestamp }, Encoding.UTF8.GetBytes(body));

    private static string Sign(string secret, string source) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(source)));
}
