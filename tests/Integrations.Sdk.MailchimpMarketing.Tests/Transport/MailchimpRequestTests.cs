using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.MailchimpMarketing.Models;
using Integrations.Sdk.MailchimpMarketing.Tests.Support;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integrations.Sdk.MailchimpMarketing.Tests.Transport;

/// <summary>The exact requests the connector sends, and how it reads Mailchimp's answers, against WireMock.</summary>
public sealed class MailchimpRequestTests : IAsyncLifetime
{
    private const string ListId = "a1b2c3d4e5";
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly FakeTimeProvider _time = MailchimpHost.Clock();
    private ServiceProvider _services = null!;

    public Task InitializeAsync()
    {
        _services = MailchimpHost.Build(_server.Url!, _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        _server.Stop();
    }

    private MailchimpMarketingConnector Connector => _services.GetRequiredService<MailchimpMarketingConnector>();

    /// <summary>The subscriber hash computed here, independently of the connector.</summary>
    private static string Md5Hex(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    private static string MemberPath(string email) => $"/3.0/lists/{ListId}/members/{Md5Hex(email)}";

    [Fact]
    public void SubscriberHash_IsLowerCaseMd5HexOfTheTrimmedLowerCasedAddress()
    {
        MailchimpMarketingConnector.SubscriberHash(" Pat.OBrien@Example.COM ").Should().Be(Md5Hex("pat.obrien@example.com"));
        MailchimpMarketingConnector.SubscriberHash("pat.obrien@example.com").Should().MatchRegex("^[0-9a-f]{32}$");
    }

    [Fact]
    public async Task UpsertMember_PutsBySubscriberHash_WithEmailStatusIfNewAndMergeFields_UnderBasicAuth()
    {
        _server.Given(Request.Create().WithPath(MemberPath("pat@example.com")).UsingPut())
            .RespondWith(Json(200, $$"""{"id":"{{Md5Hex("pat@example.com")}}","email_address":"pat@example.com","status":"subscribed","list_id":"{{ListId}}","merge_fields":{"FNAME":"Pat","AMOUNT":1200.5},"tags_count":0}"""));

        var member = await Connector.UpsertMember.ExecuteAsync(
            new MemberUpsert(ListId, " Pat@Example.com ", new Dictionary<string, object?> { ["FNAME"] = "Pat", ["AMOUNT"] = 1200.5m }),
            MailchimpHost.Write());

        Connector.UpsertMember.Safety.Should().Be(WriteSafety.NaturalUpsert);
        var request = Requests().Single();
        request.Method.Should().Be("PUT");
        request.Path.Should().Be(MemberPath("pat@example.com"));
        Header(request, "Authorization").Should().Be("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("anystring:" + MailchimpHost.ApiKey)));
        Body(request).ToJsonString().Should().Be("""{"email_address":"Pat@Example.com","status_if_new":"subscribed","merge_fields":{"FNAME":"Pat","AMOUNT":1200.5}}""");
        member.Status.Should().Be("subscribed");
        member.MergeFields["FNAME"].GetString().Should().Be("Pat");
        member.Extra.Should().ContainKey("tags_count");
    }

    [Fact]
    public async Task UpsertMember_ValidationErrorBody_IsTypedWithTitleDetailFieldsAndInstance()
    {
        _server.Given(Request.Create().WithPath(MemberPath("pat@example.com")).UsingPut())
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/problem+json; charset=utf-8").WithHeader("X-Request-Id", "req-header")
                .WithBody("""{"type":"https://mailchimp.com/developer/marketing/docs/errors/","title":"Invalid Resource","status":400,"detail":"Your merge fields were invalid.","instance":"8cf2c011-a212-9b3a-6c51-a4d631a124b4","errors":[{"field":"COMPANY","message":"Please enter a value"}]}"""));

        var act = () => Connector.UpsertMember.ExecuteAsync(new MemberUpsert(ListId, "pat@example.com"), MailchimpHost.Write());

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        error.ErrorCode.Should().Be("Invalid Resource");
        error.PlatformMessage.Should().Be("Your merge fields were invalid.; COMPANY: Please enter a value");
        error.RequestId.Should().Be("8cf2c011-a212-9b3a-6c51-a4d631a124b4");
        error.IsRetryable.Should().BeFalse();
        error.MayHaveBeenApplied.Should().BeFalse();
    }

    [Fact]
    public async Task UpsertMember_BadInput_IsRefusedBeforeAnythingIsSent_NamingTheField()
    {
        var noEmail = () => Connector.UpsertMember.ExecuteAsync(new MemberUpsert(ListId, " "), MailchimpHost.Write());
        var badStatus = () => Connector.UpsertMember.ExecuteAsync(new MemberUpsert(ListId, "pat@example.com", StatusIfNew: "active"), MailchimpHost.Write());
        var notAnEmail = () => Connector.UpsertMember.ExecuteAsync(new MemberUpsert(ListId, "pat.example.com"), MailchimpHost.Write());

        (await noEmail.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("field Email");
        (await badStatus.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("field StatusIfNew");
        (await notAnEmail.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("field Email");
        Requests().Should().BeEmpty();
    }

    [Fact]
    public async Task UpdateTags_PostsActiveAndInactiveTags_204_AndIsANaturalUpsert()
    {
        _server.Given(Request.Create().WithPath(MemberPath("pat@example.com") + "/tags").UsingPost()).RespondWith(Response.Create().WithStatusCode(204));

        var update = new MemberTagsUpdate(ListId, "pat@example.com", ["onboarding"], ["lead"]);
        var result = await Connector.UpdateTags.ExecuteAsync(update, MailchimpHost.Write());

        Connector.UpdateTags.Safety.Should().Be(WriteSafety.NaturalUpsert);
        result.Should().Be(update);
        Body(Requests().Single()).ToJsonString().Should().Be("""{"tags":[{"name":"onboarding","status":"active"},{"name":"lead","status":"inactive"}]}""");
    }

    [Fact]
    public async Task UpdateTags_ServerError_IsReplayedByTheTransport_BecauseSettingTagsIsIdempotent()
    {
        _server.Given(Request.Create().WithPath(MemberPath("pat@example.com") + "/tags").UsingPost()).InScenario("tags").WillSetStateTo("second")
            .RespondWith(Json(503, """{"title":"Service Unavailable","status":503,"detail":"try again"}"""));
        _server.Given(Request.Create().WithPath(MemberPath("pat@example.com") + "/tags").UsingPost()).InScenario("tags").WhenStateIs("second")
            .RespondWith(Response.Create().WithStatusCode(204));

        await Connector.UpdateTags.ExecuteAsync(new MemberTagsUpdate(ListId, "pat@example.com", ["onboarding"]), MailchimpHost.Write());

        Requests().Should().HaveCount(2);
    }

    [Fact]
    public async Task TriggerJourney_PostsTheEmailToTheStepsTriggerAction_204_IsUnsafe()
    {
        _server.Given(Request.Create().WithPath("/3.0/customer-journeys/journeys/4021/steps/17/actions/trigger").UsingPost()).RespondWith(Response.Create().WithStatusCode(204));

        var result = await Connector.TriggerJourney.ExecuteAsync(new JourneyTrigger("4021", "17", " pat@example.com "), MailchimpHost.Write());

        Connector.TriggerJourney.Safety.Should().Be(WriteSafety.Unsafe);
        result.Should().Be(new JourneyTriggerResult("pat@example.com", AlreadyInJourney: false));
        Body(Requests().Single()).ToJsonString().Should().Be("""{"email_address":"pat@example.com"}""");
    }

    [Fact]
    public async Task TriggerJourney_AlreadyInTheJourney_CountsAsApplied()
    {
        _server.Given(Request.Create().WithPath("/3.0/customer-journeys/journeys/4021/steps/17/actions/trigger").UsingPost())
            .RespondWith(Json(400, """{"type":"https://mailchimp.com/developer/marketing/docs/errors/","title":"Bad Request","status":400,"detail":"The contact pat@example.com is already in this journey.","instance":"i-1"}"""));

        var result = await Connector.TriggerJourney.ExecuteAsync(new JourneyTrigger("4021", "17", "pat@example.com"), MailchimpHost.Write());

        result.AlreadyInJourney.Should().BeTrue();
        Requests().Should().HaveCount(1);
    }

    [Fact]
    public async Task TriggerJourney_ContactNotSubscribed_IsAPermanentFailureNamingTheEmail()
    {
        _server.Given(Request.Create().WithPath("/3.0/customer-journeys/journeys/4021/steps/17/actions/trigger").UsingPost())
            .RespondWith(Json(400, """{"title":"Bad Request","status":400,"detail":"The contact is not subscribed to the audience.","instance":"i-2"}"""));

        var act = () => Connector.TriggerJourney.ExecuteAsync(new JourneyTrigger("4021", "17", "pat@example.com"), MailchimpHost.Write());

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.IsRetryable.Should().BeFalse();
        error.MayHaveBeenApplied.Should().BeFalse();
        error.PlatformMessage.Should().Contain("not subscribed").And.Contain("(field Email)").And.Contain("pat@example.com");
        error.RequestId.Should().Be("i-2");
    }

    [Fact]
    public async Task TriggerJourney_UnknownJourneyOrStep_NamesJourneyIdAndStepId()
    {
        _server.Given(Request.Create().WithPath("/3.0/customer-journeys/journeys/4021/steps/99/actions/trigger").UsingPost())
            .RespondWith(Json(404, """{"title":"Resource Not Found","status":404,"detail":"The requested resource could not be found.","instance":"i-3"}"""));

        var act = () => Connector.TriggerJourney.ExecuteAsync(new JourneyTrigger("4021", "99", "pat@example.com"), MailchimpHost.Write());

        (await act.Should().ThrowAsync<PlatformException>()).Which.PlatformMessage.Should().Contain("(field JourneyId, StepId)").And.Contain("journey 4021 has no step 99");
    }

    [Fact]
    public async Task TriggerJourney_ServerError_IsNotReplayed_AndMayHaveBeenApplied()
    {
        _server.Given(Request.Create().WithPath("/3.0/customer-journeys/journeys/4021/steps/17/actions/trigger").UsingPost()).RespondWith(Json(502, "bad gateway"));

        var act = () => Connector.TriggerJourney.ExecuteAsync(new JourneyTrigger("4021", "17", "pat@example.com"), MailchimpHost.Write());

        (await act.Should().ThrowAsync<PlatformException>()).Which.MayHaveBeenApplied.Should().BeTrue();
        Requests().Should().HaveCount(1, "a trigger has no idempotency key: the runner sets it aside as ambiguous instead of a blind replay");
    }

    [Theory]
    [InlineData(400, "Bad Request", "The contact is already in this journey.", true)]
    [InlineData(400, "Bad Request", "pat@example.com has already been triggered for this step", true)]
    [InlineData(422, "Unprocessable", "Contact already entered the workflow", true)]
    [InlineData(409, "Conflict", "The contact is already in this workflow", true)]
    [InlineData(409, "Conflict", "duplicate", false)]
    [InlineData(400, "Bad Request", "This journey has already ended.", false)]
    [InlineData(400, "Bad Request", "The step was already deleted.", false)]
    [InlineData(400, "Member Exists", "pat@example.com is already a list member.", false)]
    [InlineData(400, "Bad Request", "The journey is not active.", false)]
    [InlineData(500, "Internal Server Error", "already in this journey", false)]
    public void IsAlreadyInJourney_RecognisesTheAnswerByItsWords(int status, string title, string detail, bool expected) =>
        MailchimpMarketingConnector.IsAlreadyInJourney(new PlatformException(MailchimpMarketingConnector.ConnectorName, (HttpStatusCode)status, title, detail))
            .Should().Be(expected);

    [Fact]
    public async Task GetMember_ReadsBySubscriberHash_AndAMissingMemberIsNull()
    {
        _server.Given(Request.Create().WithPath(MemberPath("pat@example.com")).UsingGet())
            .RespondWith(Json(200, $$$"""{"id":"{{{Md5Hex("pat@example.com")}}}","email_address":"pat@example.com","status":"pending","list_id":"{{{ListId}}}","merge_fields":{}}"""));
        _server.Given(Request.Create().WithPath(MemberPath("nobody@example.com")).UsingGet())
            .RespondWith(Json(404, """{"title":"Resource Not Found","status":404,"detail":"The requested resource could not be found.","instance":"i-4"}"""));

        (await Connector.GetMemberAsync(ListId, "PAT@example.com"))!.Status.Should().Be("pending");
        (await Connector.GetMemberAsync(ListId, "nobody@example.com")).Should().BeNull();
    }

    [Fact]
    public async Task Throttled429_IsWaitedOutAndRetried_WithoutRetryAfter()
    {
        _server.Given(Request.Create().WithPath(MemberPath("pat@example.com")).UsingGet()).InScenario("throttle").WillSetStateTo("free")
            .RespondWith(Json(429, """{"title":"Too Many Requests","status":429,"detail":"You have exceeded the limit of 10 simultaneous connections.","instance":"i-5"}"""));
        _server.Given(Request.Create().WithPath(MemberPath("pat@example.com")).UsingGet()).InScenario("throttle").WhenStateIs("free")
            .RespondWith(Json(200, """{"id":"x","email_address":"pat@example.com","status":"subscribed","list_id":"a1b2c3d4e5","merge_fields":{}}"""));

        var read = Connector.GetMemberAsync(ListId, "pat@example.com");
        await Support.Until.DoneAsync(read, _time, TimeSpan.FromSeconds(1));

        (await read)!.Status.Should().Be("subscribed");
        Requests().Should().HaveCount(2);
    }

    [Fact]
    public void SignalReader_A403WithoutJsonBody_IsAThrottle_AndA403WithProblemDetailsARefusal()
    {
        var reader = new MailchimpMarketingSignalReader();
        using var bare = new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StringContent("<html>blocked</html>", Encoding.UTF8, "text/html") };
        using var problem = new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StringContent("{}", Encoding.UTF8, "application/problem+json") };

        var throttle = reader.ReadError(bare, "<html>blocked</html>");
        var refusal = reader.ReadError(problem, """{"title":"Forbidden","status":403,"detail":"You don't have permission to access this resource","instance":"i-6"}""");

        throttle.Should().Be(new PlatformError(MailchimpMarketingSignalReader.ThrottledCode, throttle.Message, IsRetryable: true, MayHaveBeenApplied: false));
        reader.ReadRetryAfter(bare, MailchimpHost.Start).Should().Be(TimeSpan.FromSeconds(2));
        refusal.Code.Should().Be("Forbidden");
        refusal.IsRetryable.Should().BeNull();
        reader.ReadRetryAfter(problem, MailchimpHost.Start).Should().BeNull();
    }

    [Fact]
    public async Task OAuth_AccessToken_IsSentAsBearer()
    {
        await using var services = MailchimpHost.Build(_server.Url!, _time, o =>
        {
            o.ApiKey = null;
            o.AccessToken = "oauth-token-123";
            o.DataCenter = "us19";
        });
        _server.Given(Request.Create().WithPath(MemberPath("pat@example.com")).UsingGet()).RespondWith(Json(404, """{"title":"Resource Not Found","status":404}"""));

        await services.GetRequiredService<MailchimpMarketingConnector>().GetMemberAsync(ListId, "pat@example.com");

        Header(Requests().Single(), "Authorization").Should().Be("Bearer oauth-token-123");
    }

    private static IResponseBuilder Json(int status, string body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json; charset=utf-8").WithBody(body);

    private List<IRequestMessage> Requests() => [.. _server.LogEntries.Select(e => e.RequestMessage!)];

    private static JsonNode Body(IRequestMessage request) => JsonNode.Parse(request.Body!)!;

    private static string Header(IRequestMessage request, string name) => string.Join(", ", request.Headers![name]);
}
