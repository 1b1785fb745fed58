using System.Net;
using System.Text.Json.Nodes;
using Integrations.Sdk.HubSpot.Models;
using Integrations.Sdk.HubSpot.Tests.Support;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integrations.Sdk.HubSpot.Tests.Transport;

/// <summary>The exact requests the connector sends, and how it reads HubSpot's answers, against WireMock.</summary>
public sealed class HubSpotRequestTests : IAsyncLifetime
{
    private const string Contacts = "/crm/v3/objects/contacts";
    private const string Tasks = "/crm/v3/objects/tasks";
    private const string Deals = "/crm/v3/objects/deals";
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly FakeTimeProvider _time = HubSpotHost.Clock();
    private ServiceProvider _services = null!;

    public Task InitializeAsync()
    {
        _services = HubSpotHost.Build(_server.Url!, _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        _server.Stop();
    }

    private HubSpotConnector Connector => _services.GetRequiredService<HubSpotConnector>();

    [Fact]
    public async Task FindContactByEmail_PostsASearchWithOneEqFilterOnEmail_WithTheBearerToken()
    {
        _server.Given(Request.Create().WithPath(Contacts + "/search").UsingPost())
            .RespondWith(Json(200, """{"total":1,"results":[{"id":"501","properties":{"email":"pat@example.com","firstname":"Pat","lastname":"O'Brien"},"createdAt":"2026-11-01T10:00:00.000Z","updatedAt":"2026-11-02T10:00:00.000Z","archived":false}]}"""));

        var contact = await Connector.FindContactByEmailAsync(" pat@example.com ");

        var request = Requests().Single();
        request.Path.Should().Be(Contacts + "/search");
        request.Method.Should().Be("POST");
        Header(request, "Authorization").Should().Be("Bearer " + HubSpotHost.Token);
        Header(request, "Accept").Should().Contain("application/json");
        Body(request).ToJsonString().Should().Be(
            """{"filterGroups":[{"filters":[{"propertyName":"email","operator":"EQ","value":"pat@example.com"}]}],"properties":["email","firstname","lastname","phone","company","lifecyclestage","hs_lastmodifieddate"],"limit":1,"after":"0","sorts":[]}""");
        contact!.Id.Should().Be("501");
        contact.Email.Should().Be("pat@example.com");
        contact.LastName.Should().Be("O'Brien");
        contact.UpdatedAt.Should().Be(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task FindContactByEmail_NoResult_ReturnsNull()
    {
        _server.Given(Request.Create().WithPath(Contacts + "/search").UsingPost()).RespondWith(Json(200, """{"total":0,"results":[]}"""));

        (await Connector.FindContactByEmailAsync("nobody@example.com")).Should().BeNull();
    }

    [Fact]
    public async Task UpsertContact_PostsBatchUpsertWithIdPropertyEmail_AndIsANaturalUpsert()
    {
        _server.Given(Request.Create().WithPath(Contacts + "/batch/upsert").UsingPost())
            .RespondWith(Json(200, """{"status":"COMPLETE","results":[{"id":"501","properties":{"email":"pat@example.com","firstname":"Pat"},"createdAt":"2026-11-01T10:00:00Z","updatedAt":"2026-11-01T10:00:00Z","archived":false,"new":true}],"startedAt":"2026-11-01T10:00:00Z","completedAt":"2026-11-01T10:00:00Z"}"""));

        var contact = await Connector.UpsertContact.ExecuteAsync(
            new ContactUpsert("pat@example.com", new Dictionary<string, string?> { ["firstname"] = "Pat" }), HubSpotHost.Write());

        Connector.UpsertContact.Safety.Should().Be(Connectors.WriteSafety.NaturalUpsert);
        var request = Requests().Single();
        request.Path.Should().Be(Contacts + "/batch/upsert");
        Body(request).ToJsonString().Should().Be(
            """{"inputs":[{"idProperty":"email","id":"pat@example.com","properties":{"firstname":"Pat","email":"pat@example.com"}}]}""");
        contact.Id.Should().Be("501");
        contact.New.Should().BeTrue();
    }

    [Fact]
    public async Task UpdateContactProperties_PatchesTheContact()
    {
        _server.Given(Request.Create().WithPath(Contacts + "/501").UsingPatch())
            .RespondWith(Json(200, """{"id":"501","properties":{"email":"pat@example.com","lifecyclestage":"customer"},"archived":false}"""));

        var contact = await Connector.UpdateContactProperties.ExecuteAsync(
            new ContactPropertiesUpdate("501", new Dictionary<string, string?> { ["lifecyclestage"] = "customer" }), HubSpotHost.Write());

        var request = Requests().Single();
        request.Method.Should().Be("PATCH");
        Body(request).ToJsonString().Should().Be("""{"properties":{"lifecyclestage":"customer"}}""");
        contact.Property("lifecyclestage").Should().Be("customer");
        Connector.UpdateContactProperties.Safety.Should().Be(Connectors.WriteSafety.NaturalUpsert);
    }

    [Fact]
    public async Task UpdateContactProperties_ANullValue_IsSentAsTheEmptyStringThatClearsIt()
    {
        _server.Given(Request.Create().WithPath(Contacts + "/501").UsingPatch())
            .RespondWith(Json(200, """{"id":"501","properties":{"phone":""},"archived":false}"""));

        await Connector.UpdateContactProperties.ExecuteAsync(
            new ContactPropertiesUpdate("501", new Dictionary<string, string?> { ["phone"] = null }), HubSpotHost.Write());

        // HubSpot's spec declares property values strings (not nullable); the empty string is how HubSpot clears one.
        Body(Requests().Single()).ToJsonString().Should().Be("""{"properties":{"phone":""}}""");
    }

    [Fact]
    public async Task CreateTaskForContact_LooksForTheMarkedTask_ThenPostsTheTaskWithItsContactAssociation()
    {
        _server.Given(Request.Create().WithPath(Tasks + "/search").UsingPost()).RespondWith(Json(200, """{"total":0,"results":[]}"""));
        _server.Given(Request.Create().WithPath(Tasks).UsingPost())
            .RespondWith(Json(201, """{"id":"9001","properties":{"hs_task_subject":"Call about order 1001","hs_task_body":"Ask about delivery\n\n[integrations-ref:order-1001]","hs_timestamp":"2026-11-30T09:00:00.000Z"},"archived":false}"""));
        var draft = new TaskDraft("501", "Call about order 1001", new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero), "Ask about delivery", ExternalId: "order-1001", Priority: "HIGH");

        var task = await Connector.CreateTaskForContact.ExecuteAsync(draft, HubSpotHost.Write());

        var requests = Requests();
        requests.Select(r => r.Path).Should().Equal(Tasks + "/search", Tasks);
        Body(requests[0]).ToJsonString().Should().Be(
            """{"filterGroups":[{"filters":[{"propertyName":"associations.contact","operator":"EQ","value":"501"},{"propertyName":"hs_task_subject","operator":"EQ","value":"Call about order 1001"}]}],"properties":["hs_task_subject","hs_task_body","hs_task_status","hs_task_priority","hs_timestamp","hubspot_owner_id"],"limit":100,"after":"0","sorts":[]}""");
        Body(requests[1]).ToJsonString().Should().Be(
            """{"properties":{"hs_task_subject":"Call about order 1001","hs_task_body":"Ask about delivery\n\n[integrations-ref:order-1001]","hs_timestamp":"2026-11-30T09:00:00.000Z","hs_task_status":"NOT_STARTED","hs_task_priority":"HIGH"},"associations":[{"to":{"id":"501"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":204}]}]}""");
        task.Id.Should().Be("9001");
        task.DueAt.Should().Be(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        Connector.CreateTaskForContact.Safety.Should().Be(Connectors.WriteSafety.LookupThenCreate);
    }

    [Fact]
    public async Task CreateTaskForContact_MarkedTaskExists_ReturnsItWithoutPosting()
    {
        var write = HubSpotHost.Write();
        _server.Given(Request.Create().WithPath(Tasks + "/search").UsingPost()).RespondWith(Json(200,
            $$$"""{"total":2,"results":[{"id":"8000","properties":{"hs_task_subject":"Call","hs_task_body":"[integrations-ref:other]"}},{"id":"9001","properties":{"hs_task_subject":"Call","hs_task_body":"[integrations-ref:{{{write.IdempotencyKey}}}]"}}]}"""));
        var draft = new TaskDraft("501", "Call", HubSpotHost.Start);

        var task = await Connector.CreateTaskForContact.ExecuteAsync(draft, write);
        var looked = await Connector.CreateTaskForContact.LookupAsync(draft, write);

        task.Id.Should().Be("9001", "the marker is the idempotency key when the draft has no external id");
        looked!.Id.Should().Be("9001");
        Requests().Select(r => r.Path).Should().AllBe(Tasks + "/search");
    }

    [Fact]
    public async Task ListDeals_FollowsAfterUntilThereIsNoNextPage()
    {
        _server.Given(Request.Create().WithPath(Deals).UsingGet()).InScenario("paging").WillSetStateTo("second")
            .RespondWith(Json(200, """{"results":[{"id":"1","properties":{"dealname":"A","dealstage":"closedwon","amount":"10.50"}}],"paging":{"next":{"after":"NTI1Cg","link":"?after=NTI1Cg"}}}"""));
        _server.Given(Request.Create().WithPath(Deals).UsingGet()).InScenario("paging").WhenStateIs("second")
            .RespondWith(Json(200, """{"results":[{"id":"2","properties":{"dealname":"B","dealstage":"appointmentscheduled"}}]}"""));

        var deals = new List<HubSpotDeal>();
        await foreach (var deal in Connector.ListDealsAsync())
        {
            deals.Add(deal);
        }

        deals.Select(d => d.Id).Should().Equal("1", "2");
        deals[0].Amount.Should().Be(10.50m);
        var requests = Requests();
        requests.Select(r => Query(r, "limit")).Should().AllBe("100");
        requests[0].Query!.Should().NotContainKey("after");
        Query(requests[1], "after").Should().Be("NTI1Cg");
        Query(requests[0], "properties").Should().Be("dealname,dealstage,pipeline,amount,closedate,hs_lastmodifieddate,hubspot_owner_id");
    }

    [Fact]
    public async Task DealsInStage_FromACheckpoint_SearchesModifiedAfterItInOrder_AndPagesWithAfterInTheBody()
    {
        _server.Given(Request.Create().WithPath(Deals + "/search").UsingPost()).InScenario("paging").WillSetStateTo("second")
            .RespondWith(Json(200, """{"total":2,"results":[{"id":"1","properties":{"dealstage":"closedwon","hs_lastmodifieddate":"2026-11-27T10:00:00.000Z"}}],"paging":{"next":{"after":"1"}}}"""));
        _server.Given(Request.Create().WithPath(Deals + "/search").UsingPost()).InScenario("paging").WhenStateIs("second")
            .RespondWith(Json(200, """{"total":2,"results":[{"id":"2","properties":{"dealstage":"closedwon","hs_lastmodifieddate":"2026-11-27T11:00:00.000Z"}}]}"""));

        var records = new List<Connectors.SourceRecord<HubSpotDeal>>();
        await foreach (var record in Connector.DealsInStage("closedwon").ReadAsync("2026-11-27T09:00:00.000Z"))
        {
            records.Add(record);
        }

        records.Select(r => r.Checkpoint).Should().Equal("2026-11-27T10:00:00.000Z", "2026-11-27T11:00:00.000Z");
        var requests = Requests();
        Body(requests[0]).ToJsonString().Should().Be(
            """{"filterGroups":[{"filters":[{"propertyName":"dealstage","operator":"EQ","value":"closedwon"},{"propertyName":"hs_lastmodifieddate","operator":"GT","value":"1795770000000"}]}],"properties":["dealname","dealstage","pipeline","amount","closedate","hs_lastmodifieddate","hubspot_owner_id"],"limit":100,"after":"0","sorts":[{"propertyName":"hs_lastmodifieddate","direction":"ASCENDING"}]}""");
        Body(requests[1])["after"]!.GetValue<string>().Should().Be("1");
    }

    [Fact]
    public async Task Deals_WithoutCheckpoint_SendsNoFilterGroup()
    {
        _server.Given(Request.Create().WithPath(Deals + "/search").UsingPost()).RespondWith(Json(200, """{"total":0,"results":[]}"""));

        await foreach (var unused in Connector.Deals.ReadAsync(null))
        {
        }

        Body(Requests().Single())["filterGroups"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task GetDeal_NotFound_ReturnsNull()
    {
        _server.Given(Request.Create().WithPath(Deals + "/77").UsingGet())
            .RespondWith(Json(404, """{"status":"error","message":"Object not found.","correlationId":"aeb5f871-7f07-4993-9211-075dc63e7cbf","category":"OBJECT_NOT_FOUND"}"""));

        (await Connector.GetDealAsync("77")).Should().BeNull();
    }

    [Fact]
    public async Task ErrorBody_IsMappedToCategoryMessageAndCorrelationIdAsRequestId()
    {
        _server.Given(Request.Create().WithPath(Contacts + "/batch/upsert").UsingPost()).RespondWith(Json(400,
            """{"status":"error","message":"Property values were not valid","correlationId":"aeb5f871-7f07-4993-9211-075dc63e7cbf","category":"VALIDATION_ERROR","subCategory":"PROPERTY_VALIDATION","errors":[{"message":"Property \"lifecyclestage\" does not exist","code":"PROPERTY_DOESNT_EXIST"}]}"""));

        var act = () => Connector.UpsertContact.ExecuteAsync(new ContactUpsert("pat@example.com"), HubSpotHost.Write());

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        error.ErrorCode.Should().Be("VALIDATION_ERROR");
        error.RequestId.Should().Be("aeb5f871-7f07-4993-9211-075dc63e7cbf");
        error.Message.Should().Contain("Property values were not valid").And.Contain("PROPERTY_DOESNT_EXIST").And.Contain("PROPERTY_VALIDATION");
        error.IsRetryable.Should().BeFalse();
        error.Message.Should().NotContain(HubSpotHost.Token);
    }

    [Fact]
    public async Task CorrelationIdHeader_IsTheRequestIdWhenPresent()
    {
        _server.Given(Request.Create().WithPath(Contacts + "/501").UsingPatch()).RespondWith(Response.Create().WithStatusCode(409)
            .WithHeader("Content-Type", "application/json").WithHeader("X-HubSpot-Correlation-Id", "from-header")
            .WithBody("""{"status":"error","message":"Contact already exists. Existing ID: 502","correlationId":"from-body","category":"CONFLICT"}"""));

        var act = () => Connector.UpdateContactProperties.ExecuteAsync(
            new ContactPropertiesUpdate("501", new Dictionary<string, string?> { ["email"] = "taken@example.com" }), HubSpotHost.Write());

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.ErrorCode.Should().Be("CONFLICT");
        error.RequestId.Should().Be("from-header");
    }

    [Fact]
    public async Task Throttled429WithRetryAfter_WaitsWhatTheHeaderSaysThenRetries()
    {
        _server.Given(Request.Create().WithPath(Contacts + "/search").UsingPost()).InScenario("throttle").WillSetStateTo("open")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "3").WithHeader("Content-Type", "application/json")
                .WithBody("""{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","correlationId":"c-1","policyName":"TEN_SECONDLY_ROLLING","category":"RATE_LIMITS"}"""));
        _server.Given(Request.Create().WithPath(Contacts + "/search").UsingPost()).InScenario("throttle").WhenStateIs("open")
            .RespondWith(Json(200, """{"total":1,"results":[{"id":"501","properties":{"email":"pat@example.com"}}]}"""));
        var logs = _services.GetFakeLogCollector();

        var call = Connector.FindContactByEmailAsync("pat@example.com");
        await HubSpotHost.Until(() => logs.GetSnapshot().Any(r => r.Id.Id == 1001), "the retry is scheduled");

        logs.GetSnapshot().Single(r => r.Id.Id == 1001).Message.Should().Contain("00:00:03").And.Contain("429");
        Requests().Should().HaveCount(1);
        _time.Advance(TimeSpan.FromSeconds(3));
        (await call)!.Id.Should().Be("501");
        Requests().Should().HaveCount(2, "the search only reads, so it is retried");
    }

    [Fact]
    public async Task TaskCreate_ServerError_IsNotReplayedByTheTransport()
    {
        _server.Given(Request.Create().WithPath(Tasks + "/search").UsingPost()).RespondWith(Json(200, """{"total":0,"results":[]}"""));
        _server.Given(Request.Create().WithPath(Tasks).UsingPost()).RespondWith(Json(502, "bad gateway"));

        var act = () => Connector.CreateTaskForContact.ExecuteAsync(new TaskDraft("501", "Call", HubSpotHost.Start), HubSpotHost.Write());

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.MayHaveBeenApplied.Should().BeTrue();
        Requests().Count(r => r.Path == Tasks).Should().Be(1, "a create has no idempotency key: the runner's lookup decides, not a blind replay");
    }

    private static IResponseBuilder Json(int status, string body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);

    private List<IRequestMessage> Requests() => [.. _server.LogEntries.Select(e => e.RequestMessage!)];

    private static JsonNode Body(IRequestMessage request) => JsonNode.Parse(request.Body!)!;

    private static string Query(IRequestMessage request, string name) => request.Query![name].Single();

    private static string Header(IRequestMessage request, string name) => string.Join(", ", request.Headers![name]);
}
