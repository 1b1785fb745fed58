using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Crm;
using Integrations.Sdk.HubSpot.Tests.Support;
using Integrations.Sdk.Testing.Crm;
using Integrations.Sdk.Testing.HubSpot;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.HubSpot.Tests.Crm;

/// <summary>The connector as an <see cref="ICrmConnector"/> against the simulator: deals, outcomes, contacts, webhooks.</summary>
public sealed class HubSpotCrmTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = HubSpotHost.Clock();
    private readonly HubSpotSimulator _simulator;
    private ServiceProvider _services = null!;

    public HubSpotCrmTests() => _simulator = new HubSpotSimulator(_time) { RequestsPerWindow = 0 };

    public async Task InitializeAsync()
    {
        await _simulator.StartAsync();
        _services = Build(searchIndexLag: null);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    private ICrmConnector Crm => _services.GetRequiredKeyedService<ICrmConnector>(HubSpotConnector.ConnectorName);

    [Fact]
    public void AddHubSpot_RegistersTheConnectorAsTheKeyedCrmConnector()
    {
        Crm.Should().BeSameAs(_services.GetRequiredService<HubSpotConnector>());
        Crm.Platform.Should().Be("hubspot");
    }

    [Fact]
    public async Task WonStageOfTheSecondPipeline_IsFoundByItsMetadata_NotItsId()
    {
        var id = _simulator.AddDeal(Deal("Renewal", pipeline: 1));
        (await Crm.GetDealAsync(id))!.Outcome.Should().Be(CrmDealOutcome.Open);

        _simulator.SetDealOutcome(id, SimulatedDealOutcome.Won);
        var deal = await Crm.GetDealAsync(id);

        deal!.StageId.Should().Be("81234567");
        deal.StageLabel.Should().Be("Signed");
        deal.Outcome.Should().Be(CrmDealOutcome.Won);
        deal.PipelineId.Should().Be("31337001");
        deal.Amount.Should().Be(1200m);
        deal.OwnerName.Should().Be("Sam Seller");
        deal.CloseDate.Should().Be(_time.GetUtcNow());
        var pipelines = await Crm.GetPipelinesAsync();
        pipelines.Select(p => p.Id).Should().Equal("default", "31337001");
        pipelines[0].Stages.Where(s => s.Outcome == CrmDealOutcome.Won).Select(s => s.Id).Should().Equal("closedwon");
        pipelines[1].Stages.Where(s => s.Outcome == CrmDealOutcome.Lost).Select(s => s.Label).Should().Equal("Went elsewhere");
        (await Crm.GetDealAsync("999999")).Should().BeNull();
    }

    [Fact]
    public async Task PipelinesAreReadOnce_AndAgainOnlyWhenStale()
    {
        var a = _simulator.AddDeal(Deal("A"));
        var b = _simulator.AddDeal(Deal("B", pipeline: 1));
        await Crm.GetDealAsync(a);
        var before = _simulator.RequestCount;

        await Crm.GetDealAsync(b);
        await Crm.GetPipelinesAsync();
        _simulator.RequestCount.Should().Be(before + 1, "one deal read; the pipelines come from the cache");

        _time.Advance(HubSpotConnector.PipelinesCacheDuration);
        await Crm.GetPipelinesAsync();
        _simulator.RequestCount.Should().Be(before + 2, "stale pipelines are read again");
    }

    [Fact]
    public async Task DealContacts_PrimaryFirst_EachOnce_ThoseWithoutEmailIncluded_AndAKnownEmailIsTheSameContact()
    {
        var first = _simulator.AddDeal(Deal("First", contacts: [new("Ann", "Archer", "ann@example.com")]));
        var id = _simulator.AddDeal(Deal("Second", contacts:
        [
            new("Bo", "Baker", "bo@example.com"),
            new("Cy", "Cole", null),
            new("Ann", "Archer", "ANN@example.com"),
            new("Bo", "Baker", "bo@example.com"),
        ]));

        var contacts = await Crm.GetDealContactsAsync(id);

        contacts.Select(c => (c.Email, c.IsPrimary, c.Role)).Should().Equal(("bo@example.com", true, "Primary"), (null, false, null), ("ann@example.com", false, null));
        contacts[1].FirstName.Should().Be("Cy");
        contacts.Select(c => c.Id).Should().OnlyHaveUniqueItems();
        contacts[2].Id.Should().Be((await Crm.GetDealContactsAsync(first)).Single().Id, "a contact whose email is in the portal is that contact");
        _simulator.Contacts.Should().HaveCount(3);
        (await Crm.GetDealContactsAsync("999999")).Should().BeEmpty();
    }

    [Fact]
    public async Task ReopenedAndWonAgain_TheDealComesAgainWithEachOutcome()
    {
        var id = _simulator.AddDeal(Deal("Renewal"));
        var (records, checkpoint) = await ReadAsync(null);
        records.Single().Outcome.Should().Be(CrmDealOutcome.Open);

        var outcomes = new List<CrmDealOutcome>();
        foreach (var move in new[] { SimulatedDealOutcome.Won, SimulatedDealOutcome.Open, SimulatedDealOutcome.Won })
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            _simulator.SetDealOutcome(id, move);
            _time.Advance(_simulator.SearchIndexLag);
            (records, checkpoint) = await ReadAsync(checkpoint);
            outcomes.Add(records.Single().Outcome);
        }

        outcomes.Should().Equal(CrmDealOutcome.Won, CrmDealOutcome.Open, CrmDealOutcome.Won);
        (await ReadAsync(checkpoint)).Records.Should().BeEmpty("nothing changed since");
    }

    [Fact]
    public async Task DealsSharingOneStamp_AreNeitherLostNorRepeated_AcrossARunBoundaryOrAPageBoundary()
    {
        for (var i = 0; i < 150; i++)
        {
            _simulator.AddDeal(Deal($"Deal {i:000}", contacts: []));
        }

        // A run that stops after 120 deals (past the first page of 100), all with the same hs_lastmodifieddate.
        var first = new List<SourceRecord<CrmDeal>>();
        await foreach (var record in Crm.Deals.ReadAsync(null))
        {
            first.Add(record);
            if (first.Count == 120)
            {
                break;
            }
        }

        var (rest, _) = await ReadAsync(first[^1].Checkpoint);

        first.Select(r => r.Value.Id).Concat(rest.Select(r => r.Id)).Should().OnlyHaveUniqueItems().And.HaveCount(150);
        first[^1].Checkpoint.Should().StartWith(_time.GetUtcNow().ToUnixTimeMilliseconds() + ":");
    }

    [Fact]
    public async Task ADealThatChangesWhileTheFeedPages_DoesNotMakeTheFeedSkipTheDealAtThePageBoundary()
    {
        var ids = new List<string>();
        for (var i = 0; i < 150; i++)
        {
            ids.Add(_simulator.AddDeal(Deal($"Deal {i:000}", contacts: [])));
            _time.Advance(TimeSpan.FromSeconds(1)); // one stamp each
        }

        _time.Advance(_simulator.SearchIndexLag);
        var read = new List<string>();
        await foreach (var record in Crm.Deals.ReadAsync(null))
        {
            read.Add(record.Value.Id);
            if (read.Count == 100)
            {
                // The first page is read; an early deal changes now, and moves to the end of the search's order.
                _simulator.SetDealOutcome(ids[10], SimulatedDealOutcome.Won);
                _time.Advance(_simulator.SearchIndexLag + TimeSpan.FromSeconds(1));
            }
        }

        read.Should().Contain(ids, "an offset into the changed results would skip the deal at the page boundary (the 101st)");
        read.Should().HaveCount(151, "the changed deal comes again, with its new stage");
    }

    [Fact]
    public async Task AChangeThatReachesSearchLate_IsFoundByTheOverlap_AndMissedWithout()
    {
        var a = _simulator.AddDeal(Deal("A"));
        var b = _simulator.AddDeal(Deal("B"));
        var (_, checkpoint) = await ReadAsync(null);

        _time.Advance(TimeSpan.FromSeconds(1));
        _simulator.SetDealOutcome(a, SimulatedDealOutcome.Won);
        _simulator.HoldSearchIndex(a, TimeSpan.FromSeconds(4)); // A's change is indexed after B's, made later
        _time.Advance(TimeSpan.FromSeconds(1));
        _simulator.SetDealOutcome(b, SimulatedDealOutcome.Won);
        _simulator.HoldSearchIndex(b, TimeSpan.Zero);
        _time.Advance(TimeSpan.FromMilliseconds(500));

        var (early, afterB) = await ReadAsync(checkpoint);
        early.Select(d => d.Name).Should().Equal("B");

        _time.Advance(TimeSpan.FromSeconds(5));
        (await ReadAsync(afterB)).Records.Where(d => d.Outcome == CrmDealOutcome.Won).Select(d => d.Name).Should().Contain("A");

        await using var withoutOverlap = Build(searchIndexLag: TimeSpan.Zero);
        var crm = withoutOverlap.GetRequiredKeyedService<ICrmConnector>(HubSpotConnector.ConnectorName);
        var records = new List<CrmDeal>();
        await foreach (var record in crm.Deals.ReadAsync(afterB))
        {
            records.Add(record.Value);
        }

        records.Should().BeEmpty("with no overlap, A's late change is behind the checkpoint");
    }

    [Fact]
    public async Task StageChangeWebhook_NamesTheDeal_ReplaysKeepTheEventId_AndOtherEventsDoNot()
    {
        var id = _simulator.AddDeal(Deal("Renewal"));
        _simulator.SetDealOutcome(id, SimulatedDealOutcome.Won);
        var events = _simulator.TakeEvents();
        events.Select(e => e.SubscriptionType).Should().Equal("deal.creation", "deal.propertyChange");
        _simulator.TakeEvents().Should().BeEmpty();

        var source = new HubSpotWebhookSource(Options.Create(new HubSpotOptions { ClientSecret = _simulator.ClientSecret }), _time);
        var target = new Uri("https://example.com/webhooks/hubspot");
        var parsed = source.Parse(Request(_simulator.CreateWebhook(target, events), target));
        var replayed = source.Parse(Request(_simulator.CreateWebhook(target, [events[1]]), target));

        replayed.Single().EventId.Should().Be(parsed[1].EventId, "a redelivery carries the same eventId");
        Crm.TryGetDealId(parsed[1], out var dealId).Should().BeTrue();
        dealId.Should().Be(id);
        Crm.TryGetDealId(parsed[0], out var created).Should().BeTrue();
        created.Should().Be(id);
        var other = source.Parse(Request(_simulator.CreateWebhook(target, [new SimulatedWebhookEvent("deal.propertyChange", 5, "amount", "10"), new SimulatedWebhookEvent("contact.creation", 6)]), target));
        other.Select(e => Crm.TryGetDealId(e, out var ignored)).Should().AllBeEquivalentTo(false);
    }

    [Fact]
    public async Task Simulator_AnswersPipelinesWithStringMetadata_AndAssociationsWithTheNullUnlabeledType()
    {
        var id = _simulator.AddDeal(Deal("Renewal", contacts: [new("Bo", "Baker", "bo@example.com"), new("Cy", "Cole", null)]));
        using var http = new HttpClient { BaseAddress = _simulator.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _simulator.AccessToken);

        var pipelines = JsonNode.Parse(await http.GetStringAsync("crm/v3/pipelines/deals"))!;
        var signed = pipelines["results"]![1]!["stages"]!.AsArray().Single(s => s!["label"]!.GetValue<string>() == "Signed")!;
        signed["metadata"]!.ToJsonString().Should().Be("""{"isClosed":"true","probability":"1.0"}""");

        var links = JsonNode.Parse(await http.GetStringAsync($"crm/v4/objects/deals/{id}/associations/contacts?limit=1"))!;
        links["results"]![0]!["associationTypes"]!.ToJsonString().Should().Be(
            """[{"category":"HUBSPOT_DEFINED","typeId":3,"label":null},{"category":"USER_DEFINED","typeId":9,"label":"Primary"}]""");
        links["paging"]!["next"]!["after"]!.GetValue<string>().Should().Be("1");
        _simulator.DealCount.Should().Be(1);

        using var tooFar = await http.PostAsync("crm/v3/objects/deals/search", new StringContent("""{"limit":100,"after":"9950"}""", Encoding.UTF8, "application/json"));
        tooFar.StatusCode.Should().Be(HttpStatusCode.BadRequest, "HubSpot's search pages through at most 10,000 results");
    }

    private static SimulatedDeal Deal(string name, int pipeline = 0, IReadOnlyList<SimulatedDealContact>? contacts = null) => new()
    {
        Name = name,
        Amount = 1200m,
        Owner = "Sam Seller",
        Company = "Acme",
        Pipeline = pipeline,
        Contacts = contacts ?? [new("Pat", "Buyer", $"pat.{name.Replace(' ', '.').ToLowerInvariant()}@example.com")],
    };

    private static WebhookRequest Request(Testing.SignedWebhook webhook, Uri target) =>
        new("POST", target, webhook.Headers, webhook.Body);

    private ServiceProvider Build(TimeSpan? searchIndexLag) => HubSpotHost.Build(_time, o =>
    {
        o.AccessToken = _simulator.AccessToken;
        o.BaseAddress = _simulator.BaseAddress;
        o.SearchIndexLag = searchIndexLag ?? o.SearchIndexLag;
    });

    private async Task<(List<CrmDeal> Records, string? Checkpoint)> ReadAsync(string? checkpoint)
    {
        var records = new List<CrmDeal>();
        await foreach (var record in Crm.Deals.ReadAsync(checkpoint))
        {
            records.Add(record.Value);
            checkpoint = record.Checkpoint;
        }

        return (records, checkpoint);
    }
}
