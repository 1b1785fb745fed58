using System.Net;
using Integrations.Sdk.Transport;

namespace Integrations.Sdk.Stripe.Tests.Transport;

public sealed class StripeSignalReaderTests
{
    private readonly StripeSignalReader _reader = new();

    [Fact]
    public void ReadError_CardError_UsesTheCodeAndShowsParamDeclineCodeAndType()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.PaymentRequired);

        var error = _reader.ReadError(response, """{"error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds","message":"Your card has insufficient funds.","param":"payment_method","doc_url":"https://stripe.com/docs/error-codes/card-declined"}}""");

        error.Should().Be(new PlatformError("card_declined", "Your card has insufficient funds. (param payment_method) (decline_code insufficient_funds) [card_error]"));
    }

    [Fact]
    public void ReadError_WithoutCode_FallsBackToTheType()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);

        var error = _reader.ReadError(response, """{"error":{"type":"invalid_request_error","message":"Invalid API Key provided: sk_test_****0000"}}""");

        error.Code.Should().Be("invalid_request_error");
        error.Message.Should().Be("Invalid API Key provided: sk_test_****0000 [invalid_request_error]");
    }

    [Fact]
    public void ReadError_NotJson_FallsBackToTheDefault()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadGateway);

        _reader.ReadError(response, "<html>bad gateway</html>").Message.Should().Contain("bad gateway");
    }

    [Fact]
    public void ReadRequestId_ReadsStripesHeader()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.Add("Request-Id", "req_abc123");

        _reader.ReadRequestId(response).Should().Be("req_abc123");
    }

    [Fact]
    public void ReadRetryAfter_ThrottleWithoutRetryAfter_WaitsASecond_AndHonoursRetryAfterWhenSent()
    {
        using var bare = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        using var told = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        told.Headers.Add("Retry-After", "7");
        using var other = new HttpResponseMessage(HttpStatusCode.BadRequest);

        _reader.ReadRetryAfter(bare, DateTimeOffset.UnixEpoch).Should().Be(TimeSpan.FromSeconds(1));
        _reader.ReadRetryAfter(told, DateTimeOffset.UnixEpoch).Should().Be(TimeSpan.FromSeconds(7));
        _reader.ReadRetryAfter(other, DateTimeOffset.UnixEpoch).Should().BeNull();
    }

    [Fact]
    public void ShouldRetry_ReadsStripesHeader()
    {
        using var yes = new HttpResponseMessage(HttpStatusCode.Conflict);
        yes.Headers.Add("Stripe-Should-Retry", "true");
        using var no = new HttpResponseMessage(HttpStatusCode.InternalServerError);
        no.Headers.Add("Stripe-Should-Retry", "false");
        using var none = new HttpResponseMessage(HttpStatusCode.InternalServerError);

        StripeSignalReader.ShouldRetry(yes).Should().BeTrue();
        StripeSignalReader.ShouldRetry(no).Should().BeFalse();
        StripeSignalReader.ShouldRetry(none).Should().BeNull();
        _reader.ReadRetryAfter(yes, DateTimeOffset.UnixEpoch).Should().Be(TimeSpan.FromSeconds(1));
    }
}
