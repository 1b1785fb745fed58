using Integrations.Sdk.Testing.Conformance;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Integrations.Sdk.HubSpot.Models;
using Integrations.Sdk.HubSpot.Tests.Support;
using Integrations.Sdk.Testing.HubSpot;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.HubSpot.Tests.Simulator;

/// <summary>
/// The simulator's answers on the wire, as HubSpot's published v3 object spec declares them: the
/// <c>SimplePublicObject</c> fields, the <c>properties</c> a read asks for, the error body, 207 for a partial batch.
/// </summary>
public sealed class HubSpotSimulatorWireTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = HubSpotHost.Clock();
    private readonly HubSpotSimulator _simulator;
    private HttpClient _http = null!;

    public HubSpotSimulatorWireTests() => _simulator = new HubSpotSimulator(_time) { SearchIndexLag = TimeSpan.Zero };

    public async Task InitializeAsync()
    {
        await _simulator.StartAsync();
        _http = new HttpClient { BaseAddress = _simulator.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task Get_WithProperties_AnswersOnlyTheAskedOnesThatExist_PlusIdAndDates()
    {
        var contact = _simulator.AddContact("pat@example.com", new Dictionary<string, string?> { ["firstname"] = "Pat", ["phone"] = "+1 555 0100" });

        var (status, body, _) = await SendAsync(HttpMethod.Get, $"crm/v3/objects/contacts/{contact.Id}?properties=phone,lifecyclestage&properties=no_such_property");

        status.Should().Be(HttpStatusCode.OK);
        body!["id"]!.GetValue<string>().Should().Be(contact.Id);
        body["archived"]!.GetValue<bool>().Should().BeFalse();
        body["createdAt"]!.GetValue<string>().Should().Be("2026-11-28T02:00:00.000Z");
        body["updatedAt"]!.GetValue<string>().Should().Be("2026-11-28T02:00:00.000Z");
        body.AsObject().ContainsKey("archivedAt").Should().BeFalse();
        var properties = body["properties"]!.AsObject();
        properties.Select(p => p.Key).Should().BeEquivalentTo(["createdate", "hs_object_id", "lastmodifieddate", "lifecyclestage", "phone"]);
        properties["phone"]!.GetValue<string>().Should().Be("+1 555 0100");
        properties["lifecyclestage"].Should().BeNull("an asked property without a value is answered null");
        properties["hs_object_id"]!.GetValue<string>().Should().Be(contact.Id);
    }

    [Fact]
    public async Task Get_WithoutProperties_AnswersTheTypesDefaults()
    {
        var contact = _simulator.AddContact("pat@example.com", new Dictionary<string, string?> { ["firstname"] = "Pat", ["phone"] = "+1 555 0100" });
        var deal = _simulator.AddDeal("Renewal", "closedwon", 1200m);

        var (_, contactBody, _) = await SendAsync(HttpMethod.Get, $"crm/v3/objects/contacts/{contact.Id}");
        var (_, dealBody, _) = await SendAsync(HttpMethod.Get, $"crm/v3/objects/deals/{deal.Id}");

        contactBody!["properties"]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo(["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"]);
        dealBody!["properties"]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo(
            ["amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id", "pipeline"]);
        dealBody["properties"]!["amount"]!.GetValue<string>().Should().Be("1200");
    }

    [Fact]
    public async Task Search_HonoursItsPropertiesList_AndAnswersTotalResultsAndPaging()
    {
        foreach (var name in new[] { "A", "B", "C" })
        {
            _simulator.AddDeal(name, "closedwon");
        }

        var (status, body, _) = await SendAsync(HttpMethod.Post, "crm/v3/objects/deals/search",
            """{"filterGroups":[{"filters":[{"propertyName":"dealstage","operator":"EQ","value":"closedwon"}]}],"properties":["dealname"],"limit":2,"after":"0","sorts":[{"propertyName":"dealname","direction":"DESCENDING"}]}""");

        status.Should().Be(HttpStatusCode.OK);
        body!["total"]!.GetValue<int>().Should().Be(3);
        var results = body["results"]!.AsArray();
        results.Select(r => r!["properties"]!["dealname"]!.GetValue<string>()).Should().Equal("C", "B");
        results[0]!["properties"]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo(["createdate", "dealname", "hs_lastmodifieddate", "hs_object_id"]);
        body["paging"]!["next"]!["after"]!.GetValue<string>().Should().Be("2");
    }

    [Fact]
    public async Task Search_WithTheOperatorsTheSpecDeclares_FiltersAsHubSpotDoes()
    {
        _simulator.AddDeal("Small", "closedwon", 10m);
        _simulator.AddDeal("Medium renewal", "closedwon", 50m);
        _simulator.AddDeal("Large", "closedlost", 90m);

        async Task<string[]> NamesAsync(string filter)
        {
            var (status, body, _) = await SendAsync(HttpMethod.Post, "crm/v3/objects/deals/search",
                $$"""{"filterGroups":[{"filters":[{{filter}}]}],"properties":["dealname"],"limit":10,"after":"0","sorts":[]}""");
            status.Should().Be(HttpStatusCode.OK);
            return [.. body!["results"]!.AsArray().Select(r => r!["properties"]!["dealname"]!.GetValue<string>()).Order()];
        }

        (await NamesAsync("""{"propertyName":"amount","operator":"BETWEEN","value":"20","highValue":"90"}""")).Should().Equal("Large", "Medium renewal");
        (await NamesAsync("""{"propertyName":"dealstage","operator":"NOT_IN","values":["closedlost"]}""")).Should().Equal("Medium renewal", "Small");
        (await NamesAsync("""{"propertyName":"dealname","operator":"CONTAINS_TOKEN","value":"RENEW*"}""")).Should().Equal("Medium renewal");
    }

    [Theory]
    [InlineData("""{"propertyName":"dealstage","operator":"LIKE","value":"x"}""", "filterGroups.filters.operator", "LIKE")]
    [InlineData("""{"propertyName":"no_such_property","operator":"EQ","value":"x"}""", "filterGroups.filters.propertyName", "no_such_property")]
    [InlineData("""{"propertyName":"dealstage","operator":"IN"}""", "filterGroups.filters.values", "IN")]
    public async Task Search_WithAnInvalidFilter_Is400ValidationErrorNamingTheField(string filter, string field, string named)
    {
        _simulator.Conformance = ConformanceMode.Record; // an operator the spec does not have, on purpose

        var (status, body, response) = await SendAsync(HttpMethod.Post, "crm/v3/objects/deals/search", $$"""{"filterGroups":[{"filters":[{{filter}}]}]}""");

        status.Should().Be(HttpStatusCode.BadRequest);
        body!["status"]!.GetValue<string>().Should().Be("error");
        body["category"]!.GetValue<string>().Should().Be("VALIDATION_ERROR");
        body["correlationId"]!.GetValue<string>().Should().Be(response.Headers.GetValues("X-HubSpot-Correlation-Id").Single());
        body["message"]!.GetValue<string>().Should().Contain(named);
        body["errors"]![0]!["in"]!.GetValue<string>().Should().Be(field);
    }

    [Fact]
    public async Task WriteOfAPropertyThatDoesNotExist_Is400PropertyDoesntExist_UntilThePortalHasIt()
    {
        var contact = _simulator.AddContact("pat@example.com");
        const string Patch = """{"properties":{"favourite_colour":"blue"}}""";

        var (status, body, _) = await SendAsync(HttpMethod.Patch, $"crm/v3/objects/contacts/{contact.Id}", Patch);

        status.Should().Be(HttpStatusCode.BadRequest);
        body!["category"]!.GetValue<string>().Should().Be("VALIDATION_ERROR");
        body["message"]!.GetValue<string>().Should().StartWith("Property values were not valid: ").And.Contain("favourite_colour");
        var detail = body["errors"]!.AsArray().Should().ContainSingle().Which!;
        detail["code"]!.GetValue<string>().Should().Be("PROPERTY_DOESNT_EXIST");
        detail["context"]!["propertyName"]![0]!.GetValue<string>().Should().Be("favourite_colour");
        _simulator.Contacts.Single()["favourite_colour"].Should().BeNull("nothing was written");

        _simulator.AddProperty("contacts", "favourite_colour");
        var (again, written, _) = await SendAsync(HttpMethod.Patch, $"crm/v3/objects/contacts/{contact.Id}", Patch);

        again.Should().Be(HttpStatusCode.OK);
        written!["properties"]!["favourite_colour"]!.GetValue<string>().Should().Be("blue");
    }

    [Fact]
    public async Task Connector_UpsertOfAPropertyThatDoesNotExist_FailsWithHubSpotsReason()
    {
        await using var services = HubSpotHost.Build(_simulator, _time);
        var connector = services.GetRequiredService<HubSpotConnector>();

        var act = () => connector.UpsertContact.ExecuteAsync(
            new ContactUpsert("pat@example.com", new Dictionary<string, string?> { ["payment_status"] = "failed" }), HubSpotHost.Write());

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        error.ErrorCode.Should().Be("VALIDATION_ERROR");
        error.Message.Should().Contain("PROPERTY_DOESNT_EXIST");
        _simulator.Contacts.Should().BeEmpty();
    }

    [Fact]
    public async Task UnknownObjectType_UnknownId_AndUnknownRoute_AreAnsweredWithHubSpotsErrorBody()
    {
        _simulator.Conformance = ConformanceMode.Record; // routes the spec does not have, on purpose

        var (typeStatus, typeBody, _) = await SendAsync(HttpMethod.Get, "crm/v3/objects/widgets?limit=10");
        var (idStatus, idBody, _) = await SendAsync(HttpMethod.Get, "crm/v3/objects/contacts/424242");
        var (routeStatus, routeBody, routeResponse) = await SendAsync(HttpMethod.Get, "crm/v3/nothing/here");

        typeStatus.Should().Be(HttpStatusCode.BadRequest);
        typeBody!["message"]!.GetValue<string>().Should().Be("Unable to infer object type from: widgets");
        typeBody["category"]!.GetValue<string>().Should().Be("VALIDATION_ERROR");
        idStatus.Should().Be(HttpStatusCode.NotFound);
        idBody!["category"]!.GetValue<string>().Should().Be("OBJECT_NOT_FOUND");
        routeStatus.Should().Be(HttpStatusCode.NotFound);
        routeResponse.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        routeBody!["status"]!.GetValue<string>().Should().Be("error");
        routeBody["category"]!.GetValue<string>().Should().Be("OBJECT_NOT_FOUND");
        routeBody["correlationId"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        foreach (var body in new[] { typeBody, idBody, routeBody })
        {
            body.AsObject().Select(p => p.Key).Should().Contain(["status", "message", "correlationId", "category"]);
        }
    }

    [Fact]
    public async Task Archive_HidesTheObject_ButArchivedTrueAnswersItWithArchivedAt()
    {
        var contact = _simulator.AddContact("pat@example.com");
        _time.Advance(TimeSpan.FromMinutes(1));

        var (deleted, _, _) = await SendAsync(HttpMethod.Delete, $"crm/v3/objects/contacts/{contact.Id}");
        var (live, _, _) = await SendAsync(HttpMethod.Get, $"crm/v3/objects/contacts/{contact.Id}");
        var (_, archived, _) = await SendAsync(HttpMethod.Get, $"crm/v3/objects/contacts/{contact.Id}?archived=true");
        var (_, list, _) = await SendAsync(HttpMethod.Get, "crm/v3/objects/contacts?archived=true");

        deleted.Should().Be(HttpStatusCode.NoContent);
        live.Should().Be(HttpStatusCode.NotFound);
        archived!["archived"]!.GetValue<bool>().Should().BeTrue();
        archived["archivedAt"]!.GetValue<string>().Should().Be("2026-11-28T02:01:00.000Z");
        list!["results"]!.AsArray().Should().ContainSingle();
        _simulator.Contacts.Single().ArchivedAt.Should().Be(HubSpotHost.Start.AddMinutes(1));
    }

    [Fact]
    public async Task BatchUpsert_WithAnInputThatCannotBeApplied_Is207WithItsErrorAndTheOthersResults()
    {
        var (status, body, _) = await SendAsync(HttpMethod.Post, "crm/v3/objects/contacts/batch/upsert",
            """{"inputs":[{"idProperty":"email","id":"pat@example.com","properties":{"firstname":"Pat"}},{"idProperty":"email","id":"ann@example.com","properties":{"email":"bob@example.com"}}]}""");

        status.Should().Be((HttpStatusCode)207);
        body!["status"]!.GetValue<string>().Should().Be("COMPLETE");
        body["numErrors"]!.GetValue<int>().Should().Be(1);
        var result = body["results"]!.AsArray().Should().ContainSingle().Which!;
        result["new"]!.GetValue<bool>().Should().BeTrue();
        result["properties"]!["email"]!.GetValue<string>().Should().Be("pat@example.com");
        var error = body["errors"]!.AsArray().Should().ContainSingle().Which!;
        error.AsObject().Select(p => p.Key).Should().Contain(["status", "category", "message", "context", "errors", "links"]);
        error["context"]!["id"]![0]!.GetValue<string>().Should().Be("ann@example.com");
        _simulator.Contacts.Select(c => c["email"]).Should().Equal("pat@example.com");
    }

    [Fact]
    public async Task Tasks_CarryHsCreatedate_AndAContactIsFoundByEmailAsIdProperty()
    {
        var contact = _simulator.AddContact("pat@example.com");

        var (created, task, _) = await SendAsync(HttpMethod.Post, "crm/v3/objects/tasks",
            $$"""{"properties":{"hs_task_subject":"Call","hs_timestamp":"2026-11-29T09:00:00.000Z"},"associations":[{"to":{"id":"{{contact.Id}}"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":204}]}]}""");
        var (found, byEmail, _) = await SendAsync(HttpMethod.Get, "crm/v3/objects/contacts/PAT@example.com?idProperty=email&properties=email");

        created.Should().Be(HttpStatusCode.Created);
        task!["properties"]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo(["hs_createdate", "hs_lastmodifieddate", "hs_object_id", "hs_task_subject", "hs_timestamp"]);
        found.Should().Be(HttpStatusCode.OK);
        byEmail!["id"]!.GetValue<string>().Should().Be(contact.Id);
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _simulator.AccessToken);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }
}
