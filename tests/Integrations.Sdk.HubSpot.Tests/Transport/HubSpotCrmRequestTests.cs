using System.Text.Json.Nodes;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Crm;
using Integrations.Sdk.HubSpot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integrations.Sdk.HubSpot.Tests.Transport;

/// <summary>The exact requests of the connector as an <see cref="ICrmConnector"/>, and how it reads HubSpot's answers, against WireMock.</summary>
public sealed class HubSpotCrmRequestTests : IAsyncLifetime
{
    private const string Pipelines = """{"results":[{"id":"default","label":"Sales Pipeline","displayOrder":0,"archived":false,"stages":[{"id":"appointmentscheduled","label":"Appointment Scheduled","displayOrder":0,"metadata":{"isClosed":"false","probability":"0.2"},"archived":false},{"id":"closedlost","label":"Closed Lost","displayOrder":6,"metadata":{"isClosed":"true","probability":"0.0"},"archived":false}]},{"id":"31337001","label":"Renewals","displayOrder":1,"archived":false,"stages":[{"id":"81234567","label":"Signed","displayOrder":2,"metadata":{"isClosed":"true","probability":"1.0"},"archived":false}]}]}""";

    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly FakeTimeProvider _time = HubSpotHost.Clock();
    private ServiceProvider _services = null!;

    public Task InitializeAsync()
    {
        _services = HubSpotHost.Build(_server.Url!, _time, o => o.SearchIndexLag = TimeSpan.FromSeconds(10));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        _server.Stop();
    }

    private ICrmConnector Crm => _services.GetRequiredKeyedService<ICrmConnector>(HubSpotConnector.ConnectorName);

    [Fact]
    public async Task Deals_FromACheckpoint_SearchesFromTheStampLessTheOverlap_AndDropsTheIdsGivenAtTheStamp()
    {
        _server.Given(Request.Create().WithPath("/crm/v3/pipelines/deals").UsingGet()).RespondWith(Json(Pipelines));
        _server.Given(Request.Create().WithPath("/crm/v3/objects/deals/search").UsingPost()).RespondWith(Json(
            """{"total":3,"results":[{"id":"7","properties":{"dealname":"Old","dealstage":"closedlost","hs_lastmodifieddate":"2026-11-27T09:59:55.000Z"}},{"id":"8","properties":{"dealname":"Given","dealstage":"81234567","hs_lastmodifieddate":"2026-11-27T10:00:00.000Z"}},{"id":"9","properties":{"dealname":"New","dealstage":"81234567","pipeline":"31337001","amount":"10.5","hs_lastmodifieddate":"2026-11-27T10:00:00.000Z"}}]}"""));

        var records = new List<SourceRecord<CrmDeal>>();
        await foreach (var record in Crm.Deals.ReadAsync("1795773600000:8"))
        {
            records.Add(record);
        }

        var search = _server.LogEntries.Select(e => e.RequestMessage!).Single(r => r.Path.EndsWith("/search", StringComparison.Ordinal));
        JsonNode.Parse(search.Body!)!.ToJsonString().Should().Be(
            """{"filterGroups":[{"filters":[{"propertyName":"hs_lastmodifieddate","operator":"GTE","value":"1795773590000"}]}],"properties":["dealname","dealstage","pipeline","amount","closedate","hs_lastmodifieddate","hubspot_owner_id"],"limit":100,"after":"0","sorts":[{"propertyName":"hs_lastmodifieddate","direction":"ASCENDING"}]}""");
        records.Select(r => (r.Value.Id, r.Value.Outcome, r.Checkpoint)).Should().Equal(
            ("7", CrmDealOutcome.Lost, "1795773600000:8"),
            ("9", CrmDealOutcome.Won, "1795773600000:8,9"));
        records[1].Value.StageLabel.Should().Be("Signed");
        records[1].Value.Amount.Should().Be(10.5m);
    }

    [Fact]
    public async Task DealContacts_PagesTheV4Associations_ThenBatchReadsTheContacts_PrimaryFirst()
    {
        const string Links = "/crm/v4/objects/deals/42/associations/contacts";
        _server.Given(Request.Create().WithPath(Links).WithParam("after", "A1").UsingGet())
            .RespondWith(Json("""{"results":[{"toObjectId":503,"associationTypes":[{"category":"HUBSPOT_DEFINED","typeId":3,"label":null},{"category":"USER_DEFINED","typeId":9,"label":"Primary"}]},{"toObjectId":501,"associationTypes":[{"category":"HUBSPOT_DEFINED","typeId":3,"label":null}]}]}"""));
        _server.Given(Request.Create().WithPath(Links).WithParam("limit", "500").UsingGet()).AtPriority(10)
            .RespondWith(Json("""{"results":[{"toObjectId":"501","associationTypes":[{"category":"HUBSPOT_DEFINED","typeId":3,"label":null}]},{"toObjectId":"502","associationTypes":[{"category":"USER_DEFINED","typeId":12,"label":"Billing contact"}]}],"paging":{"next":{"after":"A1","link":"?after=A1"}}}"""));
        _server.Given(Request.Create().WithPath("/crm/v3/objects/contacts/batch/read").UsingPost())
            .RespondWith(Json("""{"status":"COMPLETE","results":[{"id":"501","properties":{"email":"ann@example.com","firstname":"Ann"}},{"id":"502","properties":{"email":null,"firstname":"Bo"}},{"id":"503","properties":{"email":"cy@example.com","lastname":"Cole"}}],"startedAt":"2026-11-27T10:00:00Z","completedAt":"2026-11-27T10:00:00Z"}"""));

        var contacts = await Crm.GetDealContactsAsync("42");

        contacts.Select(c => (c.Id, c.Email, c.IsPrimary, c.Role)).Should().Equal(
            ("503", "cy@example.com", true, "Primary"), ("501", "ann@example.com", false, null), ("502", null, false, "Billing contact"));
        var requests = _server.LogEntries.Select(e => e.RequestMessage!).ToList();
        requests.Where(r => r.Path == Links).Select(r => r.Url[r.Url.IndexOf('?', StringComparison.Ordinal)..]).Should().Equal("?limit=500", "?limit=500&after=A1");
        JsonNode.Parse(requests.Single(r => r.Path.EndsWith("/batch/read", StringComparison.Ordinal)).Body!)!.ToJsonString().Should().Be(
            """{"inputs":[{"id":"501"},{"id":"502"},{"id":"503"}],"properties":["email","firstname","lastname"],"propertiesWithHistory":[]}""");
    }

    [Fact]
    public async Task AStageNotInThePipelinesRead_MakesThemBeReadAgain_AndOwnersAreReadOnce()
    {
        _server.Given(Request.Create().WithPath("/crm/v3/pipelines/deals").UsingGet()).InScenario("p").WillSetStateTo("new stage")
            .RespondWith(Json("""{"results":[{"id":"default","label":"Sales","displayOrder":0,"archived":false,"stages":[{"id":"closedwon","label":"Closed Won","displayOrder":0,"metadata":{"isClosed":"true","probability":"1.0"},"archived":false}]}]}"""));
        _server.Given(Request.Create().WithPath("/crm/v3/pipelines/deals").UsingGet()).InScenario("p").WhenStateIs("new stage").RespondWith(Json(Pipelines));
        _server.Given(Request.Create().WithPath("/crm/v3/objects/deals/1").UsingGet())
            .RespondWith(Json("""{"id":"1","properties":{"dealname":"A","dealstage":"closedwon","hubspot_owner_id":"77","hs_lastmodifieddate":"2026-11-27T10:00:00.000Z"}}"""));
        _server.Given(Request.Create().WithPath("/crm/v3/objects/deals/2").UsingGet())
            .RespondWith(Json("""{"id":"2","properties":{"dealname":"B","dealstage":"81234567","hubspot_owner_id":"77","hs_lastmodifieddate":"2026-11-27T10:00:00.000Z"}}"""));
        _server.Given(Request.Create().WithPath("/crm/v3/owners/77").UsingGet())
            .RespondWith(Json("""{"id":"77","email":"sam@example.com","firstName":"Sam","lastName":"Seller","archived":false}"""));

        (await Crm.GetDealAsync("1"))!.OwnerName.Should().Be("Sam Seller");
        var second = await Crm.GetDealAsync("2");

        second!.Outcome.Should().Be(CrmDealOutcome.Won);
        second.StageLabel.Should().Be("Signed");
        var paths = _server.LogEntries.Select(e => e.RequestMessage!.Path).ToList();
        paths.Count(p => p == "/crm/v3/pipelines/deals").Should().Be(2);
        paths.Count(p => p == "/crm/v3/owners/77").Should().Be(1);
    }

    private static IResponseBuilder Json(string body) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body);
}
