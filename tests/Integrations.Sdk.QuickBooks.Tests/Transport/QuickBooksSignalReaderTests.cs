using System.Net;

namespace Integrations.Sdk.QuickBooks.Tests.Transport;

public sealed class QuickBooksSignalReaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);
    private readonly QuickBooksSignalReader _reader = new();

    [Fact]
    public void ReadError_Fault_JoinsMessageDetailElementAndType()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadRequest);

        var error = _reader.ReadError(response, """
            {"Fault":{"Error":[
              {"Message":"Required param missing, need to supply the required value for the API","Detail":"Required parameter Line is missing in the request","code":"2020","element":"Line"},
              {"Message":"Invalid Reference Id","Detail":"Invalid Reference Id : Customer 9 does not exist","code":"2500","element":"CustomerRef"}],
             "type":"ValidationFault"},"time":"2026-11-27T18:00:00.000-08:00"}
            """);

        error.Code.Should().Be("2020");
        error.Message.Should().Be(
            "Required param missing, need to supply the required value for the API: Required parameter Line is missing in the request (element Line); "
            + "Invalid Reference Id: Invalid Reference Id : Customer 9 does not exist (element CustomerRef) [ValidationFault]");
    }

    [Fact]
    public void ReadError_LowerCaseFault_IsReadToo()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);

        var error = _reader.ReadError(response, """
            {"fault":{"error":[{"message":"message=AuthenticationFailed; errorCode=003200; statusCode=401","detail":"Token expired: eyJlbmMiOiJBMTI4","code":"3200"}],"type":"AUTHENTICATION"},"time":"2026-11-27T18:00:00.000-08:00"}
            """);

        error.Code.Should().Be("3200");
        error.Message.Should().StartWith("message=AuthenticationFailed").And.Contain("Token expired").And.EndWith("[AUTHENTICATION]");
    }

    [Fact]
    public void ReadError_FaultWithoutErrors_UsesTheType()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.InternalServerError);

        var error = _reader.ReadError(response, """{"Fault":{"type":"SystemFault"}}""");

        error.Code.Should().Be("SystemFault");
        error.Message.Should().Contain("without errors");
    }

    [Fact]
    public void ReadError_NotAFault_FallsBackToTheDefaultReader()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadGateway) { ReasonPhrase = "Bad Gateway" };

        _reader.ReadError(response, "<html>502 Bad Gateway</html>").Message.Should().Contain("502 Bad Gateway");
        _reader.ReadError(response, """{"error":"invalid_grant"}""").Code.Should().Be("invalid_grant");
    }

    [Fact]
    public void ReadRequestId_IsTheIntuitTransactionId()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.TryAddWithoutValidation("intuit_tid", "1-6790bc1f-3c0a0e1a");

        _reader.ReadRequestId(response).Should().Be("1-6790bc1f-3c0a0e1a");
    }

    [Fact]
    public void ReadRetryAfter_429WithoutHeader_IsAMinute_WithHeader_IsTheHeader_OtherwiseNone()
    {
        using var bare = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        using var told = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        told.Headers.TryAddWithoutValidation("Retry-After", "7");
        using var refused = new HttpResponseMessage(HttpStatusCode.BadRequest);

        _reader.ReadRetryAfter(bare, Now).Should().Be(TimeSpan.FromSeconds(60));
        _reader.ReadRetryAfter(told, Now).Should().Be(TimeSpan.FromSeconds(7));
        _reader.ReadRetryAfter(refused, Now).Should().BeNull();
        new QuickBooksSignalReader(TimeSpan.FromSeconds(5)).ReadRetryAfter(bare, Now).Should().Be(TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Forbidden, false)]
    public void IsRetryable_ThrottlesAndServerErrors_NotValidationFaults(HttpStatusCode status, bool retryable) =>
        _reader.IsRetryable(status).Should().Be(retryable);
}
