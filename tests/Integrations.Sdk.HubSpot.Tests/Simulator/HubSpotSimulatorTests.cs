using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Integrations.Sdk.HubSpot.Models;
using Integrations.Sdk.HubSpot.Tests.Support;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.HubSpot;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.HubSpot.Tests.Simulator;

/// <summary>The connector against the simulator over loopback: the behaviours that matter end to end.</summary>
public sealed class HubSpotSimulatorTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = HubSpotHost.Clock();
    private readonly HubSpotSimulator _simulator;
    private ServiceProvider _services = null!;

    public HubSpotSimulatorTests() => _simulator = new HubSpotSimulator(_time);

    public async Task InitializeAsync()
    {
        await _simulator.StartAsync();
        _services = HubSpotHost.Build(_simulator, _time);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    private HubSpotConnector Connector => _services.GetRequiredService<HubSpotConnector>();

    [Fact]
    public async Task UpsertContact_Twice_LeavesOneContactWithTheLatestValues()
    {
        var first = await Connector.UpsertContact.ExecuteAsync(
            new ContactUpsert("pat@example.com", new Dictionary<string, string?> { ["firstname"] = "Pat" }), HubSpotHost.Write("c:1", "contact"));
        var second = await Connector.UpsertContact.ExecuteAsync(
            new ContactUpsert("PAT@example.com", new Dictionary<string, string?> { ["firstname"] = "Patricia", ["lastname"] = "O'Brien" }), HubSpotHost.Write("c:1", "contact"));

        first.New.Should().BeTrue();
        second.New.Should().BeFalse();
        second.Id.Should().Be(first.Id);
        var contact = _simulator.Contacts.Should().ContainSingle().Which;
        contact["firstname"].Should().Be("Patricia");
        contact["lastname"].Should().Be("O'Brien");
        _time.Advance(_simulator.SearchIndexLag);   // search finds a new contact only once the index caught up
        (await Connector.FindContactByEmailAsync("pat@example.com"))!.Id.Should().Be(first.Id);
        (await Connector.FindContactByEmailAsync("other@example.com")).Should().BeNull();
    }

    [Fact]
    public async Task UpdateContactProperties_SetsTheValues_AndTwiceIsTheSame()
    {
        var seeded = _simulator.AddContact("pat@example.com");
        var update = new ContactPropertiesUpdate(seeded.Id, new Dictionary<string, string?> { ["lifecyclestage"] = "customer" });

        await Connector.UpdateContactProperties.ExecuteAsync(update, HubSpotHost.Write());
        var again = await Connector.UpdateContactProperties.ExecuteAsync(update, HubSpotHost.Write());

        again.Property("lifecyclestage").Should().Be("customer");
        _simulator.Contacts.Single()["lifecyclestage"].Should().Be("customer");
        _simulator.FlaggedPropertyValues.Should().BeEmpty();
    }

    [Fact]
    public async Task UpdateContactProperties_UnknownContact_Is404ObjectNotFound()
    {
        var act = () => Connector.UpdateContactProperties.ExecuteAsync(
            new ContactPropertiesUpdate("999", new Dictionary<string, string?> { ["firstname"] = "X" }), HubSpotHost.Write());

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.StatusCode.Should().Be(HttpStatusCode.NotFound);
        error.ErrorCode.Should().Be("OBJECT_NOT_FOUND");
        error.RequestId.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task CreateTask_CommitThenDropOnCreate_ThenRetry_LeavesExactlyOneTask()
    {
        var contact = _simulator.AddContact("pat@example.com");
        var draft = new TaskDraft(contact.Id, "Call about order 1001", HubSpotHost.Start.AddDays(2), "Ask about delivery");
        var write = HubSpotHost.Write("shop:order:1001");
        _simulator.Faults.Add("tasks.create", FaultKind.CommitThenDrop);

        var first = () => Connector.CreateTaskForContact.ExecuteAsync(draft, write);
        var dropped = (await first.Should().ThrowAsync<PlatformException>()).Which;
        dropped.MayHaveBeenApplied.Should().BeTrue();
        _simulator.Tasks.Should().ContainSingle("the create was applied before the connection dropped");

        // As the runner does: wait the time HubSpot's search takes to find a new task, then look.
        _time.Advance(Connector.CreateTaskForContact.FindableAfter);
        var retry = write with { Attempt = 2, PreviousAttemptAmbiguous = true };
        var found = await Connector.CreateTaskForContact.LookupAsync(draft, retry);
        var task = await Connector.CreateTaskForContact.ExecuteAsync(draft, retry);

        found!.Id.Should().Be(_simulator.Tasks.Single().Id);
        task.Id.Should().Be(found.Id);
        _simulator.Tasks.Should().ContainSingle().Which.ContactIds.Should().Equal(contact.Id);
        _simulator.DuplicateTasks.Should().BeEmpty();
        task.Body.Should().EndWith(HubSpotConnector.MarkerLine(write.IdempotencyKey));
    }

    [Fact]
    public async Task CreatedTask_IsFoundBySearchOnlyAfterTheIndexLag_ButByIdAtOnce()
    {
        var contact = _simulator.AddContact("pat@example.com");
        var draft = new TaskDraft(contact.Id, "Call", HubSpotHost.Start);
        var write = HubSpotHost.Write("shop:order:7");
        var created = await Connector.CreateTaskForContact.ExecuteAsync(draft, write);
        using var http = new HttpClient { BaseAddress = _simulator.BaseAddress };
        using var get = new HttpRequestMessage(HttpMethod.Get, $"crm/v3/objects/tasks/{created.Id}");
        get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _simulator.AccessToken);

        (await http.SendAsync(get)).StatusCode.Should().Be(HttpStatusCode.OK, "a GET by id sees the task at once");
        (await Connector.CreateTaskForContact.LookupAsync(draft, write)).Should().BeNull("search has not indexed it yet");
        _time.Advance(_simulator.SearchIndexLag - TimeSpan.FromMilliseconds(1));
        (await Connector.CreateTaskForContact.LookupAsync(draft, write)).Should().BeNull();
        _time.Advance(TimeSpan.FromMilliseconds(1));
        (await Connector.CreateTaskForContact.LookupAsync(draft, write))!.Id.Should().Be(created.Id);
        _simulator.SearchIndexLag.Should().Be(TimeSpan.FromSeconds(5));
        Connector.CreateTaskForContact.FindableAfter.Should().Be(TimeSpan.FromSeconds(10), "the connector waits longer than the simulator lags");
    }

    [Fact]
    public async Task CreateTask_ForAnotherOrderWithTheSameSubject_CreatesASecondTask()
    {
        var contact = _simulator.AddContact("pat@example.com");

        await Connector.CreateTaskForContact.ExecuteAsync(new TaskDraft(contact.Id, "Follow up", HubSpotHost.Start, ExternalId: "order-1"), HubSpotHost.Write("o:1"));
        await Connector.CreateTaskForContact.ExecuteAsync(new TaskDraft(contact.Id, "Follow up", HubSpotHost.Start, ExternalId: "order-2"), HubSpotHost.Write("o:2"));
        _time.Advance(_simulator.SearchIndexLag);
        await Connector.CreateTaskForContact.ExecuteAsync(new TaskDraft(contact.Id, "Follow up", HubSpotHost.Start, ExternalId: "order-2"), HubSpotHost.Write("o:2b"));

        _simulator.Tasks.Should().HaveCount(2, "the marker is the external id: order-2 already has its task");
        _simulator.DuplicateTasks.Should().BeEmpty();
    }

    [Fact]
    public async Task CreateTask_UnknownContact_IsRefused()
    {
        var act = () => Connector.CreateTaskForContact.ExecuteAsync(new TaskDraft("424242", "Call", HubSpotHost.Start), HubSpotHost.Write());

        (await act.Should().ThrowAsync<PlatformException>()).Which.ErrorCode.Should().Be("VALIDATION_ERROR");
        _simulator.Tasks.Should().BeEmpty();
    }

    [Fact]
    public async Task Deals_ArePagedWithAfter_InListsAndSearches()
    {
        for (var i = 0; i < 250; i++)
        {
            _simulator.AddDeal($"Deal {i}", i % 2 == 0 ? "closedwon" : "appointmentscheduled", 100 + i);
        }

        var all = new List<HubSpotDeal>();
        await foreach (var deal in Connector.ListDealsAsync())
        {
            all.Add(deal);
        }

        var won = new List<HubSpotDeal>();
        await foreach (var deal in Connector.SearchDealsByStageAsync("closedwon"))
        {
            won.Add(deal);
        }

        all.Should().HaveCount(250);
        all.Select(d => d.Id).Should().OnlyHaveUniqueItems();
        won.Should().HaveCount(125).And.OnlyContain(d => d.Stage == "closedwon");
        (await Connector.GetDealAsync(won[0].Id))!.Name.Should().Be("Deal 0");
        (await Connector.GetDealAsync("1")).Should().BeNull();
    }

    [Fact]
    public async Task ClosedWonSource_ResumesAfterItsCheckpoint()
    {
        var a = _simulator.AddDeal("A", "closedwon", 10);
        _time.Advance(TimeSpan.FromMinutes(1));
        _simulator.AddDeal("B", "appointmentscheduled", 20);
        _time.Advance(TimeSpan.FromMinutes(1));
        _simulator.AddDeal("C", "closedwon", 30);

        var firstRun = await ReadAsync(Connector.DealsInStage("closedwon"), null);
        firstRun.Select(r => r.Value.Name).Should().Equal("A", "C");

        _time.Advance(TimeSpan.FromMinutes(1));
        _simulator.UpdateDeal(a.Id, new Dictionary<string, string?> { ["amount"] = "11" });
        _time.Advance(_simulator.SearchIndexLag); // a deal change reaches search within the index lag
        var secondRun = await ReadAsync(Connector.DealsInStage("closedwon"), firstRun[^1].Checkpoint);

        secondRun.Should().ContainSingle().Which.Value.Amount.Should().Be(11m);
        secondRun[0].Checkpoint.Should().Be("2026-11-28T02:03:00.000Z");
        (await ReadAsync(Connector.DealsInStage("closedwon"), secondRun[0].Checkpoint)).Should().BeEmpty();
        (await ReadAsync(Connector.Deals, null)).Should().HaveCount(3);
    }

    [Fact]
    public async Task Burst_BeyondTheLimit_IsAnswered429WithRetryAfter_AndAbsorbed()
    {
        // On the system clock with a one-second window, so the transport's Retry-After wait is real but short.
        await using var simulator = new HubSpotSimulator { RequestsPerWindow = 5, Window = TimeSpan.FromSeconds(1) };
        await simulator.StartAsync();
        simulator.AddContact("pat@example.com");
        await using var services = HubSpotHost.Build(simulator, TimeProvider.System, o => o.MaxRetryAttempts = 10);
        var connector = services.GetRequiredService<HubSpotConnector>();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => connector.FindContactByEmailAsync("pat@example.com"))));

        results.Should().HaveCount(8).And.OnlyContain(c => c != null && c.Email == "pat@example.com");
        simulator.ThrottledCount.Should().BePositive();
        simulator.RequestCount.Should().Be(8 + simulator.ThrottledCount);
    }

    [Fact]
    public async Task Throttle_Answers429WithHubSpotsBodyAndHeaders_OnTheSimulatorsClock()
    {
        _simulator.RequestsPerWindow = 2;
        using var http = new HttpClient { BaseAddress = _simulator.BaseAddress };

        async Task<HttpResponseMessage> SearchAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "crm/v3/objects/contacts/search") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _simulator.AccessToken);
            return await http.SendAsync(request);
        }

        (await SearchAsync()).Headers.GetValues("X-HubSpot-RateLimit-Remaining").Single().Should().Be("1");
        (await SearchAsync()).StatusCode.Should().Be(HttpStatusCode.OK);
        using var throttled = await SearchAsync();
        throttled.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        throttled.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(5));
        (await throttled.Content.ReadAsStringAsync()).Should().Contain("\"category\":\"RATE_LIMITS\"").And.Contain("correlationId");
        _time.Advance(TimeSpan.FromSeconds(5));
        (await SearchAsync()).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task WrongToken_Is401InvalidAuthentication_AndNotRetried()
    {
        await using var services = HubSpotHost.Build(_time, o =>
        {
            o.AccessToken = "pat-wrong-token";
            o.BaseAddress = _simulator.BaseAddress;
        });

        var act = () => services.GetRequiredService<HubSpotConnector>().FindContactByEmailAsync("pat@example.com");

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        error.ErrorCode.Should().Be("INVALID_AUTHENTICATION");
        error.Message.Should().NotContain("pat-wrong-token");
        _simulator.RequestCount.Should().Be(1);
    }

    [Fact]
    public async Task InjectedServerErrorOnASearch_IsRetriedByTheTransport()
    {
        _simulator.AddContact("pat@example.com");
        _simulator.Faults.Add("contacts.search", FaultKind.ServerError);

        (await Connector.FindContactByEmailAsync("pat@example.com")).Should().NotBeNull();
        _simulator.RequestCount.Should().Be(2);
    }

    [Fact]
    public async Task FlaggedPropertyValues_ShowValuesNoOneMeantToWrite()
    {
        await Connector.UpsertContact.ExecuteAsync(new ContactUpsert("pat@example.com", new Dictionary<string, string?>
        {
            ["firstname"] = "null",
            ["lastname"] = " O'Brien",
            ["company"] = "System.Object",
            ["phone"] = "+1 555 0100",
        }), HubSpotHost.Write());

        _simulator.FlaggedPropertyValues.Select(f => f.Property).Should().BeEquivalentTo(["firstname", "lastname", "company"]);
    }

    [Fact]
    public async Task SaveAndLoad_ASecondSimulatorFindsTheData()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hubspot-simulator-{Guid.NewGuid():N}.json");
        try
        {
            var contact = _simulator.AddContact("pat@example.com", new Dictionary<string, string?> { ["firstname"] = "Pat" });
            await Connector.CreateTaskForContact.ExecuteAsync(new TaskDraft(contact.Id, "Call", HubSpotHost.Start), HubSpotHost.Write());
            _simulator.AddDeal("A", "closedwon", 10);
            await _simulator.SaveAsync(path);

            await using var second = new HubSpotSimulator(_time);
            await second.LoadAsync(path);

            second.Contacts.Should().BeEquivalentTo(_simulator.Contacts);
            second.Tasks.Single().ContactIds.Should().Equal(contact.Id);
            second.Deals.Single()["dealname"].Should().Be("A");
            second.AddContact("new@example.com").Id.Should().NotBe(contact.Id, "the id counter is restored");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<List<Connectors.SourceRecord<HubSpotDeal>>> ReadAsync(Connectors.IRecordSource<HubSpotDeal> source, string? checkpoint)
    {
        var records = new List<Connectors.SourceRecord<HubSpotDeal>>();
        await foreach (var record in source.ReadAsync(checkpoint))
        {
            records.Add(record);
        }

        return records;
    }
}
