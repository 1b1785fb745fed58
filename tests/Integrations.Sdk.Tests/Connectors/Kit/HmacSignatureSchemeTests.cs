using System.Security.Cryptography;
using System.Text;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Connectors.Kit;

namespace Integrations.Sdk.Tests.Connectors.Kit;

public sealed class HmacSignatureSchemeTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_795_831_200);

    // Slack's scheme, checked against the worked example in Slack's "Verifying requests from Slack" guide.
    private static readonly HmacSignatureScheme Slack = new()
    {
        SignatureHeader = "X-Slack-Signature",
        SignaturePrefix = "v0=",
        TimestampHeader = "X-Slack-Request-Timestamp",
        Tolerance = TimeSpan.FromMinutes(5),
        SignedContent = [SignedPart.Text("v0:"), SignedPart.Timestamp, SignedPart.Text(":"), SignedPart.Body],
    };

    private static readonly HmacSignatureScheme Stripe = new()
    {
        SignatureHeader = "Stripe-Signature",
        SignatureKey = "v1",
        TimestampKey = "t",
        Tolerance = TimeSpan.FromMinutes(5),
        SignedContent = [SignedPart.Timestamp, SignedPart.Text("."), SignedPart.Body],
    };

    [Fact]
    public void Verify_SlacksPublishedExample_IsValid()
    {
        const string body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        var request = Request(body, ("X-Slack-Request-Timestamp", "1531420618"), ("X-Slack-Signature", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"));

        Slack.Verify(request, "8f742231b10e8888abcd99yyyzzz85a5", DateTimeOffset.FromUnixTimeSeconds(1531420618 + 10)).IsValid.Should().BeTrue();
        Slack.Verify(request, "another-secret-altogether", DateTimeOffset.FromUnixTimeSeconds(1531420618)).IsValid.Should().BeFalse();
    }

    [Fact]
    public void Verify_StripeHeaderWithSeveralSignatures_AcceptsAnyMatchingOne()
    {
        const string body = """{"id":"evt_1"}""";
        var good = Hex(HMACSHA256.HashData("whsec_x"u8, Encoding.UTF8.GetBytes($"{Now.ToUnixTimeSeconds()}.{body}")));
        var header = $"t={Now.ToUnixTimeSeconds()},v1={new string('0', 64)},v0=ignored,v1={good}";

        Stripe.Verify(Request(body, ("Stripe-Signature", header)), "whsec_x", Now).IsValid.Should().BeTrue();
    }

    [Theory]
    [InlineData(301, "301 s old")]
    [InlineData(-301, "in the future")]
    public void Verify_TimestampBeyondTolerance_IsInvalidSayingHowFar(int ageSeconds, string expected)
    {
        const string body = "{}";
        var t = Now.AddSeconds(-ageSeconds).ToUnixTimeSeconds();
        var sig = Hex(HMACSHA256.HashData("whsec_x"u8, Encoding.UTF8.GetBytes($"{t}.{body}")));

        var verdict = Stripe.Verify(Request(body, ("Stripe-Signature", $"t={t},v1={sig}")), "whsec_x", Now);

        verdict.IsValid.Should().BeFalse();
        verdict.Failure.Should().Contain(expected).And.Contain("Stripe-Signature").And.NotContain(sig);
    }

    [Fact]
    public void Verify_ToleranceOverride_WinsOverTheSchemes()
    {
        const string body = "{}";
        var t = Now.AddSeconds(-400).ToUnixTimeSeconds();
        var sig = Hex(HMACSHA256.HashData("whsec_x"u8, Encoding.UTF8.GetBytes($"{t}.{body}")));
        var request = Request(body, ("Stripe-Signature", $"t={t},v1={sig}"));

        Stripe.Verify(request, "whsec_x", Now).IsValid.Should().BeFalse();
        Stripe.Verify(request, "whsec_x", Now, TimeSpan.FromMinutes(10)).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_HubSpotV3_SignsMethodUrlBodyAndMillisecondTimestamp()
    {
        var scheme = new HmacSignatureScheme
        {
            SignatureHeader = "X-HubSpot-Signature-v3",
            Encoding = SignatureEncoding.Base64,
            TimestampHeader = "X-HubSpot-Request-Timestamp",
            TimestampUnit = TimestampUnit.UnixMilliseconds,
            Tolerance = TimeSpan.FromMinutes(5),
            SignedContent = [SignedPart.Method, SignedPart.Url, SignedPart.Body, SignedPart.Timestamp],
        };
        const string body = """[{"eventId":1}]""";
        var ms = Now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sig = Convert.ToBase64String(HMACSHA256.HashData("client-secret"u8, Encoding.UTF8.GetBytes($"POSThttps://example.test/hooks/trello{body}{ms}")));

        scheme.Verify(Request(body, ("X-HubSpot-Signature-v3", sig), ("X-HubSpot-Request-Timestamp", ms)), "client-secret", Now).IsValid.Should().BeTrue();
        var moved = new WebhookRequest("POST", new Uri("https://example.test/hooks/other"), [new("X-HubSpot-Signature-v3", sig), new("X-HubSpot-Request-Timestamp", ms)], Encoding.UTF8.GetBytes(body));
        scheme.Verify(moved, "client-secret", Now).Failure.Should().Contain("does not match");
    }

    [Fact]
    public void Verify_TrelloSha1OverBodyAndCallbackUrl_IsValid()
    {
        var scheme = new HmacSignatureScheme
        {
            SignatureHeader = "X-Trello-Webhook",
            Hash = HmacHash.Sha1,
            Encoding = SignatureEncoding.Base64,
            SignedContent = [SignedPart.Body, SignedPart.Url],
        };
        const string body = """{"action":{}}""";
        var sig = Convert.ToBase64String(HMACSHA1.HashData("app-secret"u8, Encoding.UTF8.GetBytes(body + "https://example.test/hooks/trello")));

        scheme.Verify(Request(body, ("X-Trello-Webhook", sig)), "app-secret", Now).IsValid.Should().BeTrue();
        scheme.Sign("app-secret", Request(body)).Should().Be(sig);
    }

    [Theory]
    [InlineData(null, "header is missing")]
    [InlineData("garbage", "not a key=value pair")]
    [InlineData("v1=abcdef", "no timestamp (t=)")]
    [InlineData("t=yesterday,v1=abcdef", "not Unix seconds")]
    [InlineData("t=1795831200,v0=abcdef", "no v1 signature")]
    public void Verify_MalformedHeader_NamesTheProblemAndTheHeader(string? header, string expected)
    {
        var request = header is null ? Request("{}") : Request("{}", ("Stripe-Signature", header));

        var verdict = Stripe.Verify(request, "whsec_x", Now);

        verdict.IsValid.Should().BeFalse();
        verdict.Failure.Should().Contain(expected).And.Contain("Stripe-Signature");
    }

    [Fact]
    public void Verify_MissingTimestampHeader_NamesIt()
    {
        Slack.Verify(Request("x", ("X-Slack-Signature", "v0=00")), "secret", Now).Failure.Should().Be("the X-Slack-Request-Timestamp header is missing");
    }

    [Fact]
    public void Sign_ThenVerify_RoundTrips()
    {
        var t = Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var request = Request("hello", ("X-Slack-Request-Timestamp", t));
        var signed = Request("hello", ("X-Slack-Request-Timestamp", t), ("X-Slack-Signature", Slack.Sign("s3cret", request, t)));

        Slack.Verify(signed, "s3cret", Now).IsValid.Should().BeTrue();
    }

    private static WebhookRequest Request(string body, params (string Name, string Value)[] headers) =>
        new("POST", new Uri("https://example.test/hooks/trello"), headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)), Encoding.UTF8.GetBytes(body));

    private static string Hex(byte[] mac) => Convert.ToHexStringLower(mac);
}
