using System.Net;
using System.Text.Json.Nodes;
using Integrations.Sdk.MailchimpTransactional.Models;
using Integrations.Sdk.MailchimpTransactional.Tests.Support;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integrations.Sdk.MailchimpTransactional.Tests.Transport;

/// <summary>The exact request the connector sends, and how it reads Mandrill's answers, against WireMock.</summary>
public sealed class SendTemplateRequestTests : IAsyncLifetime
{
    private const string Path = "/api/1.0/messages/send-template";
    private readonly WireMockServer _server = WireMockServer.Start();
    private ServiceProvider _services = null!;

    public Task InitializeAsync()
    {
        _services = MandrillHost.Build(_server.Url!, MandrillHost.Clock());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        _server.Stop();
    }

    private MailchimpTransactionalConnector Connector => _services.GetRequiredService<MailchimpTransactionalConnector>();

    [Fact]
    public async Task SendTemplate_PostsTheKeyTemplateMergeVarsAndIntegrationsKeyInTheBody()
    {
        _server.Given(Request.Create().WithPath(Path).UsingPost())
            .RespondWith(Json(200, """[{"email":"ada@example.com","status":"sent","reject_reason":null,"_id":"abc123"}]"""));
        var write = MandrillHost.Write();

        var result = await Connector.SendTemplate.ExecuteAsync(MandrillHost.Email() with { Subject = "Your order 1001" }, write);

        result.IntegrationsKey.Should().Be(write.IdempotencyKey);
        result.Recipients.Should().ContainSingle().Which.Should().Be(new EmailRecipientResult("ada@example.com", "sent", "abc123", null));
        var request = Requests().Single();
        request.Path.Should().Be(Path);
        request.Method.Should().Be("POST");
        request.Headers!.Keys.Should().NotContain(h => h.Equals("Authorization", StringComparison.OrdinalIgnoreCase), "Mandrill takes the key in the body");
        JsonNode.Parse(request.Body!)!.ToJsonString().Should().Be(
            "{\"key\":\"" + MandrillHost.ApiKey + "\",\"template_name\":\"order-confirmation\",\"template_content\":[]," +
            "\"message\":{\"to\":[{\"email\":\"ada@example.com\",\"name\":\"Ada Lovelace\",\"type\":\"to\"}]," +
            "\"global_merge_vars\":[{\"name\":\"ORDER\",\"content\":\"1001\"},{\"name\":\"TOTAL\",\"content\":\"42.00\"}]," +
            "\"merge_language\":\"mailchimp\",\"tags\":[\"order-confirmation\"]," +
            "\"metadata\":{\"order\":\"1001\",\"integrations_key\":\"" + write.IdempotencyKey + "\"}," +
            "\"subject\":\"Your order 1001\",\"from_email\":\"shop@example.com\",\"from_name\":\"The Shop\"}}");
    }

    [Fact]
    public async Task SendTemplate_AMergeVarWithoutValue_IsSentAsTheEmptyString_AsTheSpecDeclaresContentAString()
    {
        _server.Given(Request.Create().WithPath(Path).UsingPost())
            .RespondWith(Json(200, """[{"email":"ada@example.com","status":"sent","_id":"abc123"}]"""));

        await Connector.SendTemplate.ExecuteAsync(
            MandrillHost.Email() with { MergeVars = new Dictionary<string, string?> { ["COUPON"] = null } },
            MandrillHost.Write());

        var body = JsonNode.Parse(Requests().Single().Body!)!;
        body["message"]!["global_merge_vars"]!.ToJsonString().Should().Be("""[{"name":"COUPON","content":""}]""");
    }

    [Fact]
    public async Task SendTemplate_ApiKey_NeverAppearsInLogs()
    {
        _server.Given(Request.Create().WithPath(Path).UsingPost())
            .RespondWith(Json(200, """[{"email":"ada@example.com","status":"queued","_id":"abc123"}]"""));

        await Connector.SendTemplate.ExecuteAsync(MandrillHost.Email(), MandrillHost.Write());

        var logs = _services.GetFakeLogCollector().GetSnapshot();
        logs.Should().NotBeEmpty();
        logs.Should().AllSatisfy(r => r.Message.Should().NotContain(MandrillHost.ApiKey));
    }

    [Theory]
    [InlineData(500, "Invalid_Key", -1, "Invalid API key")]
    [InlineData(401, "Invalid_Key", -1, "Invalid API key")]
    [InlineData(500, "Unknown_Template", 5, "No such template \\\"order-confirmation\\\"")]
    [InlineData(400, "ValidationError", -2, "Validation error: template_name is blank")]
    public async Task SendTemplate_MandrillRefusal_IsNotRetryableNotAppliedAndNamesTheError(int status, string name, int code, string message)
    {
        // The error echoes the key, as a careless proxy might: it must still not leak.
        _server.Given(Request.Create().WithPath(Path).UsingPost())
            .RespondWith(Json(status, $$"""{"status":"error","code":{{code}},"name":"{{name}}","message":"{{message}} (key {{MandrillHost.ApiKey}})"}"""));

        var send = () => Connector.SendTemplate.ExecuteAsync(MandrillHost.Email(), MandrillHost.Write());

        var error = (await send.Should().ThrowAsync<PlatformException>()).Which;
        error.Platform.Should().Be("mailchimp-transactional");
        error.StatusCode.Should().Be((HttpStatusCode)status);
        error.ErrorCode.Should().Be(name);
        error.IsRetryable.Should().BeFalse();
        error.MayHaveBeenApplied.Should().BeFalse();
        error.Message.Should().Contain(name).And.NotContain(MandrillHost.ApiKey);
        error.ToString().Should().NotContain(MandrillHost.ApiKey);
        Requests().Should().HaveCount(1);
        _services.GetFakeLogCollector().GetSnapshot().Should().AllSatisfy(r => r.Message.Should().NotContain(MandrillHost.ApiKey));
    }

    [Fact]
    public async Task SendTemplate_ServerError_IsNotRetried_AndMayHaveBeenApplied()
    {
        _server.Given(Request.Create().WithPath(Path).UsingPost())
            .RespondWith(Json(500, """{"status":"error","code":-1,"name":"GeneralError","message":"An unexpected error occurred"}"""));

        var send = () => Connector.SendTemplate.ExecuteAsync(MandrillHost.Email(), MandrillHost.Write());

        var error = (await send.Should().ThrowAsync<PlatformException>()).Which;
        error.ErrorCode.Should().Be("GeneralError");
        error.MayHaveBeenApplied.Should().BeTrue("a 5xx after the send may have emailed the customer");
        Requests().Should().HaveCount(1, "an unsafe POST without an idempotency key is never resent by the transport");
    }

    [Fact]
    public async Task SendTemplate_Throttled_IsRetriedBecauseNothingWasSent()
    {
        _server.Given(Request.Create().WithPath(Path).UsingPost()).InScenario("throttle").WillSetStateTo("open")
            .RespondWith(Json(429, """{"status":"error","code":-1,"name":"Too_Many_Requests","message":"slow down"}""").WithHeader("Retry-After", "0"));
        _server.Given(Request.Create().WithPath(Path).UsingPost()).InScenario("throttle").WhenStateIs("open")
            .RespondWith(Json(200, """[{"email":"ada@example.com","status":"sent","_id":"abc123"}]"""));

        // On the system clock: the throttle pauses the budget, and a paused budget waits for real time to pass.
        await using var services = MandrillHost.Build(_server.Url!, TimeProvider.System);

        var result = await services.GetRequiredService<MailchimpTransactionalConnector>().SendTemplate.ExecuteAsync(MandrillHost.Email(), MandrillHost.Write());

        result.Recipients.Single().Status.Should().Be("sent");
        Requests().Should().HaveCount(2, "a 429 proves nothing was sent, so the transport may send again");
    }

    [Theory]
    [InlineData("rejected", "hard-bounce")]
    [InlineData("invalid", null)]
    public async Task SendTemplate_EveryRecipientRefused_ThrowsNonRetryableNamingTheReason(string status, string? reason)
    {
        var reasonJson = reason is null ? "null" : $"\"{reason}\"";
        _server.Given(Request.Create().WithPath(Path).UsingPost())
            .RespondWith(Json(200, $$"""[{"email":"ada@example.com","status":"{{status}}","reject_reason":{{reasonJson}},"_id":"abc123"}]"""));

        var send = () => Connector.SendTemplate.ExecuteAsync(MandrillHost.Email(), MandrillHost.Write());

        var error = (await send.Should().ThrowAsync<PlatformException>()).Which;
        error.ErrorCode.Should().Be(reason ?? status);
        error.Message.Should().Contain("ada@example.com").And.Contain(status).And.Contain("not sent");
        error.IsRetryable.Should().BeFalse();
        error.MayHaveBeenApplied.Should().BeFalse();
    }

    [Fact]
    public async Task SendTemplate_SomeRecipientsRefused_SaysItMayHaveBeenApplied()
    {
        _server.Given(Request.Create().WithPath(Path).UsingPost())
            .RespondWith(Json(200, """[{"email":"ada@example.com","status":"sent","_id":"a1"},{"email":"bob@example.com","status":"rejected","reject_reason":"unsub","_id":"b1"}]"""));
        var email = MandrillHost.Email() with { To = [new EmailRecipient { Email = "ada@example.com" }, new EmailRecipient { Email = "bob@example.com" }] };

        var send = () => Connector.SendTemplate.ExecuteAsync(email, MandrillHost.Write());

        var error = (await send.Should().ThrowAsync<PlatformException>()).Which;
        error.ErrorCode.Should().Be("unsub");
        error.IsRetryable.Should().BeFalse();
        error.MayHaveBeenApplied.Should().BeTrue("ada was emailed");
    }

    [Fact]
    public async Task SendTemplate_InvalidInput_FailsBeforeAnyRequest()
    {
        var noRecipient = () => Connector.SendTemplate.ExecuteAsync(MandrillHost.Email() with { To = [] }, MandrillHost.Write());
        var badAddress = () => Connector.SendTemplate.ExecuteAsync(MandrillHost.Email("not an address"), MandrillHost.Write());
        var reservedMetadata = () => Connector.SendTemplate.ExecuteAsync(
            MandrillHost.Email() with { Metadata = new Dictionary<string, string> { ["integrations_key"] = "x" } }, MandrillHost.Write());

        (await noRecipient.Should().ThrowAsync<ArgumentException>()).WithMessage("*To*");
        (await badAddress.Should().ThrowAsync<ArgumentException>()).WithMessage("*To[0].Email*");
        (await reservedMetadata.Should().ThrowAsync<ArgumentException>()).WithMessage("*integrations_key*");
        Requests().Should().BeEmpty();
    }

    private static IResponseBuilder Json(int status, string body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);

    private List<IRequestMessage> Requests() => [.. _server.LogEntries.Select(e => e.RequestMessage!)];
}
