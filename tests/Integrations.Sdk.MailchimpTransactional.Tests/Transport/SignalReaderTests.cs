using System.Net;
using Integrations.Sdk.Transport;

namespace Integrations.Sdk.MailchimpTransactional.Tests.Transport;

public sealed class SignalReaderTests
{
    private readonly MailchimpTransactionalSignalReader _reader = new();

    [Fact]
    public void ReadError_MandrillBody_UsesNameAsCodeAndMessage()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.InternalServerError);

        _reader.ReadError(response, """{"status":"error","code":-1,"name":"Invalid_Key","message":"Invalid API key"}""")
            .Should().Be(new PlatformError("Invalid_Key", "Invalid API key", IsRetryable: false, MayHaveBeenApplied: false),
                "Mandrill's refusals prove nothing was sent, whatever status they come with");
    }

    [Fact]
    public void ReadError_NotMandrillShaped_FallsBackToTheDefaultReader()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadGateway) { ReasonPhrase = "Bad Gateway" };

        _reader.ReadError(response, "<html>bad gateway</html>").Message.Should().Contain("bad gateway");
    }

    [Theory]
    [InlineData("ValidationError", true)]
    [InlineData("Invalid_Key", true)]
    [InlineData("Unknown_Template", true)]
    [InlineData("GeneralError", false)]
    [InlineData("ServiceUnavailable", false)]
    [InlineData(null, false)]
    public void IsRefusal_KnowsMandrillsRefusals(string? name, bool refusal) =>
        MailchimpTransactionalSignalReader.IsRefusal(name).Should().Be(refusal);

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    public void IsRetryable_ThrottlesAndServerErrors(HttpStatusCode status, bool retryable) =>
        _reader.IsRetryable(status).Should().Be(retryable);
}
