using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Stripe.Models;
using Integrations.Sdk.Stripe.Tests.Support;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.Stripe.Tests.Webhooks;

/// <summary>Stripe-Signature verification, checked against Stripe's documented scheme computed here independently.</summary>
public sealed class StripeWebhookSourceTests
{
    private const string Body = """{"id":"evt_1QxYz","object":"event","api_version":"2026-07-29.dahlia","created":1795831200,"data":{"object":{"id":"in_1Abc","object":"invoice","customer":"cus_9s6XKzkNRiz8i3","customer_email":"pat@example.com","amount_due":2000,"currency":"usd","attempt_count":2,"attempted":true,"next_payment_attempt":1796090400,"hosted_invoice_url":"https://invoice.stripe.com/i/acct_1/test_abc","parent":{"type":"subscription_details","subscription_details":{"subscription":"sub_1Def"}},"status":"open"}},"livemode":false,"pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"invoice.payment_failed"}""";

    private readonly FakeTimeProvider _time = StripeHost.Clock();
    private readonly StripeWebhookSource _source;

    public StripeWebhookSourceTests() =>
        _source = new StripeWebhookSource(Options.Create(new StripeOptions { ApiKey = StripeHost.ApiKey, WebhookSecret = StripeHost.WebhookSecret }), _time);

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    [Fact]
    public void Verify_ASignatureMadeAsStripeDocuments_IsValid()
    {
        var result = _source.Verify(Request($"t={Now},v1={Sign(Now, Body, StripeHost.WebhookSecret)}"));

        result.Should().Be(WebhookVerification.Valid);
        _source.Name.Should().Be("stripe");
    }

    [Fact]
    public void Verify_WrongSecret_IsInvalid()
    {
        var result = _source.Verify(Request($"t={Now},v1={Sign(Now, Body, "whsec_someone_else")}"));

        result.IsValid.Should().BeFalse();
        result.Failure.Should().Contain("no v1 signature").And.Contain("Stripe-Signature").And.NotContain(StripeHost.WebhookSecret);
    }

    [Fact]
    public void Verify_AlteredBody_IsInvalid()
    {
        var header = $"t={Now},v1={Sign(Now, Body, StripeHost.WebhookSecret)}";

        _source.Verify(Request(header, Body.Replace("2000", "20", StringComparison.Ordinal))).IsValid.Should().BeFalse();
    }

    [Fact]
    public void Verify_SignatureOfAnotherTimestamp_IsInvalid()
    {
        var header = $"t={Now - 1},v1={Sign(Now, Body, StripeHost.WebhookSecret)}";

        _source.Verify(Request(header)).IsValid.Should().BeFalse("the timestamp is part of the signed bytes");
    }

    [Fact]
    public void Verify_StaleTimestamp_IsInvalidEvenWhenSigned()
    {
        var t = Now - 301;

        var result = _source.Verify(Request($"t={t},v1={Sign(t, Body, StripeHost.WebhookSecret)}"));

        result.IsValid.Should().BeFalse();
        result.Failure.Should().Contain("301 s old").And.Contain("300 s tolerance");
    }

    [Fact]
    public void Verify_TimestampAtTheToleranceEdge_IsValid()
    {
        var t = Now - 300;

        _source.Verify(Request($"t={t},v1={Sign(t, Body, StripeHost.WebhookSecret)}")).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Verify_FutureTimestampBeyondTolerance_IsInvalid()
    {
        var t = Now + 301;

        var result = _source.Verify(Request($"t={t},v1={Sign(t, Body, StripeHost.WebhookSecret)}"));

        result.IsValid.Should().BeFalse();
        result.Failure.Should().Contain("in the future");
    }

    [Fact]
    public void Verify_UsesTheInjectedClock()
    {
        var t = Now;
        var header = $"t={t},v1={Sign(t, Body, StripeHost.WebhookSecret)}";
        _time.Advance(TimeSpan.FromMinutes(6));

        _source.Verify(Request(header)).IsValid.Should().BeFalse();
    }

    [Fact]
    public void Verify_MissingHeader_IsInvalidNamingIt()
    {
        var result = _source.Verify(new WebhookRequest("POST", new Uri("https://example.com/webhooks/stripe"), [], Encoding.UTF8.GetBytes(Body)));

        result.IsValid.Should().BeFalse();
        result.Failure.Should().Be("the Stripe-Signature header is missing");
    }

    [Fact]
    public void Verify_SeveralV1Values_AcceptsWhenAnyMatches()
    {
        var header = $"t={Now},v1={Sign(Now, Body, "whsec_old_secret")},v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39,v1={Sign(Now, Body, StripeHost.WebhookSecret)}";

        _source.Verify(Request(header)).IsValid.Should().BeTrue();
    }

    [Theory]
    [InlineData("garbage", "not a key=value pair")]
    [InlineData("v1=abcdef", "no timestamp")]
    [InlineData("t=yesterday,v1=abcdef", "not Unix seconds")]
    [InlineData("t=1795831200", "no v1 signature")]
    [InlineData("t=1795831200,v0=abcdef", "no v1 signature")]
    public void Verify_MalformedHeader_IsInvalidNamingTheProblem(string header, string expected)
    {
        var result = _source.Verify(Request(header));

        result.IsValid.Should().BeFalse();
        result.Failure.Should().Contain(expected);
    }

    [Fact]
    public void Verify_NonHexSignature_IsInvalid()
    {
        _source.Verify(Request($"t={Now},v1=zz{new string('0', 62)}")).IsValid.Should().BeFalse();
    }

    [Fact]
    public void Verify_WithoutASecret_ThrowsNamingTheSetting()
    {
        var source = new StripeWebhookSource(Options.Create(new StripeOptions { ApiKey = StripeHost.ApiKey }), _time);

        var verify = () => source.Verify(Request($"t={Now},v1=00"));

        verify.Should().Throw<InvalidOperationException>().WithMessage("*WebhookSecret*");
    }

    [Fact]
    public void Parse_YieldsOneEventKeyedByItsId()
    {
        var events = _source.Parse(Request("t=1,v1=00"));

        var single = events.Should().ContainSingle().Subject;
        single.EventId.Should().Be("evt_1QxYz");
        single.EventType.Should().Be("invoice.payment_failed");
        single.OccurredAt.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1795831200));
        single.Payload.Should().Be(Body);
    }

    [Fact]
    public void ReadInvoicePaymentFailed_ReadsTheTypedFields()
    {
        var failed = StripeWebhookSource.ReadInvoicePaymentFailed(_source.Parse(Request("t=1,v1=00")).Single());

        failed.Should().Be(new StripeInvoicePaymentFailed(
            "evt_1QxYz",
            "in_1Abc",
            "cus_9s6XKzkNRiz8i3",
            "pat@example.com",
            2000,
            "usd",
            2,
            DateTimeOffset.FromUnixTimeSeconds(1796090400),
            "sub_1Def",
            "https://invoice.stripe.com/i/acct_1/test_abc",
            DateTimeOffset.FromUnixTimeSeconds(1795831200)));
    }

    [Fact]
    public void ReadInvoicePaymentFailed_ReadsTheSubscriptionOfOlderApiVersionsAndAFinalAttempt()
    {
        var legacy = Body
            .Replace("""
                "parent":{"type":"subscription_details","subscription_details":{"subscription":"sub_1Def"}}
                """, "\"subscription\":\"sub_Old\"", StringComparison.Ordinal)
            .Replace("1796090400", "null", StringComparison.Ordinal);

        var failed = StripeWebhookSource.ReadInvoicePaymentFailed(_source.Parse(Request("t=1,v1=00", legacy)).Single());

        failed.SubscriptionId.Should().Be("sub_Old");
        failed.NextPaymentAttempt.Should().BeNull();
    }

    [Fact]
    public void ReadInvoicePaymentFailed_OfAnotherType_Throws()
    {
        var other = Body.Replace("invoice.payment_failed", "invoice.paid", StringComparison.Ordinal);

        var read = () => StripeWebhookSource.ReadInvoicePaymentFailed(_source.Parse(Request("t=1,v1=00", other)).Single());

        read.Should().Throw<ArgumentException>().WithMessage("*invoice.paid*");
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("[]", "not a JSON object")]
    [InlineData("""{"type":"x","created":1,"data":{"object":{}}}""", "id is missing")]
    [InlineData("""{"id":"evt_1","created":1,"data":{"object":{}}}""", "type is missing")]
    [InlineData("""{"id":"evt_1","type":"x","created":"yesterday","data":{"object":{}}}""", "created is missing or not Unix seconds")]
    [InlineData("""{"id":"evt_1","type":"x","created":1,"data":{}}""", "data.object is missing")]
    [InlineData("""{"id":"evt_1","type":"x","created":1,"livemode":"no","data":{"object":{}}}""", "livemode")]
    public void Parse_MalformedBody_ThrowsFormatExceptionNamingTheField(string body, string expected)
    {
        var parse = () => _source.Parse(Request("t=1,v1=00", body));

        parse.Should().Throw<FormatException>().Which.Message.Should().Contain(expected);
    }

    /// <summary>Stripe's scheme: HMAC-SHA256 of "{t}.{body}" with the endpoint secret, lower-case hex.</summary>
    private static string Sign(long t, string body, string secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t.ToString(CultureInfo.InvariantCulture) + "." + body)));

    private static WebhookRequest Request(string signature, string body = Body) =>
        new("POST", new Uri("https://example.com/webhooks/stripe"), [new("Stripe-Signature", signature), new("Content-Type", "application/json")], Encoding.UTF8.GetBytes(body));
}
