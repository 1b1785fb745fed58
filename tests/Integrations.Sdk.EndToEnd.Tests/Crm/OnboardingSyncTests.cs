using System.Text.Json;
using ClosedWonOnboarding;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Integrations.Sdk.Testing.Crm;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.EndToEnd.Tests.Crm;

/// <summary>
/// The sample's closed-won onboarding sync on in-memory fakes (a CRM behind <c>ICrmConnector</c>, Mailchimp's three
/// sink operations) and SQLite state: what it writes, and that the journey is triggered once per contact, ever.
/// </summary>
public sealed class OnboardingSyncTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private static readonly OnboardingSettings Settings = new("list1", "journey1", "step1");
    private readonly string _directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "integrations-e2e", Guid.NewGuid().ToString("N"))).FullName;
    private readonly FakeCrm _crm = new();
    private readonly FakeMailchimp _mailchimp = new();

    private static string Sync => Onboarding.SyncName(FakeCrm.Name);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task WonDeal_EachContactWithEmail_IsUpsertedWithMergeFields_Tagged_AndEnteredIntoTheJourney()
    {
        var deal = _crm.AddDeal(Deal("Acme renewal", 12_500m, ("Ada", "Lovelace", "Ada.Lovelace@Acme.example"), ("Alan", "Turing", "alan@acme.example")));
        _crm.SetDealOutcome(deal, SimulatedDealOutcome.Won);

        var report = await RunAsync();

        report.Summary.Completed.Should().Be(2, report.ToString());
        _mailchimp.Members.Keys.Should().BeEquivalentTo("ada.lovelace@acme.example", "alan@acme.example");
        var ada = _mailchimp.Members["ada.lovelace@acme.example"];
        ada.ListId.Should().Be("list1");
        ada.Email.Should().Be("ada.lovelace@acme.example", "Mailchimp identifies members by the lower-cased address");
        ada.MergeFields.Should().BeEquivalentTo(new Dictionary<string, object?>
        {
            ["FNAME"] = "Ada",
            ["LNAME"] = "Lovelace",
            ["COMPANY"] = "Acme Corp",
            ["AMOUNT"] = 12_500m,
            ["OWNER"] = "Sam Seller",
        });
        _mailchimp.Tagged("onboarding").Should().Be(2);
        _mailchimp.JourneyEntries.Should().BeEquivalentTo("ada.lovelace@acme.example", "alan@acme.example");
    }

    [Fact]
    public async Task OpenAndLostDeals_AreFiltered_AndWriteNothing()
    {
        _crm.AddDeal(Deal("Open", 1m, ("Open", "Person", "open@example.com")));
        var lost = _crm.AddDeal(Deal("Lost", 1m, ("Lost", "Person", "lost@example.com")));
        _crm.SetDealOutcome(lost, SimulatedDealOutcome.Lost);

        var report = await RunAsync();

        report.Summary.Filtered.Should().Be(3, "the lost deal was read twice: created open, then lost");
        report.Summary.Completed.Should().Be(0);
        _crm.ContactsReads.Should().Be(0, "only a won deal's contacts are read");
        _mailchimp.Members.Should().BeEmpty();
        _mailchimp.JourneyEntries.Should().BeEmpty();
    }

    [Fact]
    public async Task ContactWithoutEmail_IsDeadLetteredNamingTheField_WithItsPayload_WhileTheOthersGoOn()
    {
        var deal = _crm.AddDeal(Deal("Globex", 5_000m, ("Hank", "Scorpio", "hank@globex.example"), ("Frank", "Grimes", null)));
        _crm.SetDealOutcome(deal, SimulatedDealOutcome.Won);

        var report = await RunAsync();

        report.Summary.Completed.Should().Be(1);
        report.Summary.DeadLettered.Should().Be(1);
        var entry = (await DeadLettersAsync()).Should().ContainSingle().Subject;
        entry.Step.Should().Be("$map");
        entry.Reason.Should().Contain("contact.email").And.Contain("required value is missing").And.Contain($"won deal {deal}");
        var payload = JsonSerializer.Deserialize<DealContact>(entry.Payload, JsonSerializerOptions.Web)!;
        payload.Deal.Id.Should().Be(deal);
        payload.Contact!.FirstName.Should().Be("Frank");
        payload.Contact.Email.Should().BeNull();
        _mailchimp.JourneyEntries.Should().Equal("hank@globex.example");
    }

    [Fact]
    public async Task ReopenedAndWonAgain_AContactOnTwoWonDeals_DuplicateReads_AndASecondRun_AddNothing()
    {
        _crm.Overlap = 3; // every read gives the last three changes again
        var first = _crm.AddDeal(Deal("First", 1_000m, ("Grace", "Hopper", "grace@navy.example"), ("Ken", "Thompson", "ken@bell.example")));
        var second = _crm.AddDeal(Deal("Second", 2_000m, ("Grace", "Hopper", "GRACE@navy.example")));
        _crm.SetDealOutcome(first, SimulatedDealOutcome.Won);
        await RunAsync();
        _mailchimp.JourneyEntries.Should().HaveCount(2);

        _crm.Tick();
        _crm.SetDealOutcome(first, SimulatedDealOutcome.Open);
        _crm.SetDealOutcome(second, SimulatedDealOutcome.Won); // the same contact (another case) on a second won deal
        var reopened = await RunAsync();
        _crm.Tick();
        _crm.SetDealOutcome(first, SimulatedDealOutcome.Won); // won again
        var wonAgain = await RunAsync();
        var rerun = await RunAsync(); // a second run with nothing new: the overlap reads the last changes again

        reopened.Summary.Completed.Should().Be(0, "grace is onboarded already, whatever deal brings her");
        reopened.Summary.Skipped.Should().BeGreaterThanOrEqualTo(1);
        wonAgain.Summary.Completed.Should().Be(0);
        wonAgain.Summary.Skipped.Should().BeGreaterThanOrEqualTo(2, "both contacts of the deal won again were onboarded the first time");
        rerun.Summary.Completed.Should().Be(0);
        rerun.Summary.Read.Should().BeGreaterThan(0, "the overlap gave changes again");
        _mailchimp.JourneyEntries.Should().BeEquivalentTo("grace@navy.example", "ken@bell.example");
        _mailchimp.TriggerCalls.Should().Be(2);
        _mailchimp.Duplicates.Should().Be(0);
    }

    [Fact]
    public async Task ANewContactOnADealWonAgain_IsOnboarded_TheOthersAreNot()
    {
        var deal = _crm.AddDeal(Deal("Initech", 3_000m, ("Peter", "Gibbons", "peter@initech.example")));
        _crm.SetDealOutcome(deal, SimulatedDealOutcome.Won);
        await RunAsync();
        _crm.SetDealOutcome(deal, SimulatedDealOutcome.Open);
        _crm.AddContact(deal, "Joanna", "Smith", "joanna@initech.example");
        _crm.SetDealOutcome(deal, SimulatedDealOutcome.Won);

        var report = await RunAsync();

        report.Summary.Completed.Should().Be(1);
        report.Summary.Skipped.Should().Be(1);
        _mailchimp.JourneyEntries.Should().BeEquivalentTo("peter@initech.example", "joanna@initech.example");
    }

    [Fact]
    public async Task AmbiguousJourneyTrigger_IsListedAndCounted_AndNeverRepeated()
    {
        _mailchimp.CommitThenDropTriggers = 1;
        var deal = _crm.AddDeal(Deal("Hooli", 9_000m, ("Gavin", "Belson", "gavin@hooli.example")));
        _crm.SetDealOutcome(deal, SimulatedDealOutcome.Won);

        var report = await RunAsync();

        report.Summary.Ambiguous.Should().Be(1);
        var entry = (await DeadLettersAsync()).Should().ContainSingle().Subject;
        entry.Kind.Should().Be(DeadLetterKind.Ambiguous);
        entry.Step.Should().Be("journey");
        entry.RecordKey.Should().Be("journey:journey1:gavin@hooli.example");

        // Read again: reopened and won again, the same contact on another won deal, a rerun: never sent again.
        _crm.SetDealOutcome(deal, SimulatedDealOutcome.Open);
        _crm.SetDealOutcome(deal, SimulatedDealOutcome.Won);
        var other = _crm.AddDeal(Deal("Hooli XYZ", 1_000m, ("Gavin", "Belson", "gavin@hooli.example")));
        _crm.SetDealOutcome(other, SimulatedDealOutcome.Won);
        var again = await RunAsync();
        await RunAsync();

        again.Summary.Ambiguous.Should().BeGreaterThan(0, "the record is still waiting for a person");
        _mailchimp.TriggerCalls.Should().Be(1, "an ambiguous trigger is never sent again by the sync");
        _mailchimp.Duplicates.Should().Be(0);
        (await DeadLettersAsync()).Should().ContainSingle().Which.Kind.Should().Be(DeadLetterKind.Ambiguous);

        // A person checks the journey (the contact is in it) and says so: the record completes, nothing is sent.
        using var host = await StartAsync();
        var replay = await host.Services.GetRequiredService<ISyncRunner>().ReplayAsync(entry.Id, resolution: AmbiguousResolution.AlreadyApplied);
        replay.Summary.Completed.Should().Be(1);
        (await RunAsync(FullRefresh: true)).Summary.Completed.Should().Be(0);
        _mailchimp.TriggerCalls.Should().Be(1);
    }

    [Fact]
    public async Task AContactsReadThatFails_FailsTheRun_AndTheNextRunReadsTheDealAgain()
    {
        var deal = _crm.AddDeal(Deal("Umbrella", 4_000m, ("Alice", "Abernathy", "alice@umbrella.example")));
        _crm.SetDealOutcome(deal, SimulatedDealOutcome.Won);
        _crm.FailContactsReads = 1;

        var failed = await RunAsync();
        var next = await RunAsync();

        failed.Summary.Status.Should().Be(RunStatus.Failed);
        next.Summary.Status.Should().Be(RunStatus.Succeeded);
        next.Summary.Completed.Should().Be(1);
        _mailchimp.JourneyEntries.Should().Equal("alice@umbrella.example");
    }

    [Fact]
    public async Task TheSamplesScenario_OnTheFakes_EntersEveryContactOfEveryDealWonAtSomePoint_Once()
    {
        var scenario = OnboardingScenario.Generate(deals: 40, seed: 42);
        _crm.Overlap = 5;
        _mailchimp.CommitThenDropTriggers = 2;
        var ids = scenario.Seed(_crm);
        var runs = new List<RunReport> { await RunAsync() };
        for (var round = 1; round <= OnboardingScenario.Rounds; round++)
        {
            _crm.Tick();
            scenario.Move(_crm, ids, round);
            runs.Add(await RunAsync());
        }

        runs.Add(await RunAsync()); // a second run, nothing new
        output.WriteLine($"expected={scenario.ExpectedJourneys} read={runs.Sum(r => r.Summary.Read)} completed={runs.Sum(r => r.Summary.Completed)} skipped={runs.Sum(r => r.Summary.Skipped)} "
            + $"filtered={runs.Sum(r => r.Summary.Filtered)} dead-lettered={runs.Sum(r => r.Summary.DeadLettered)} ambiguous={runs.Sum(r => r.Summary.Ambiguous)} journeys={_mailchimp.JourneyEntries.Count}");
        var ambiguous = (await DeadLettersAsync()).Where(e => e.Kind == DeadLetterKind.Ambiguous).ToList();

        ambiguous.Should().HaveCount(2);
        runs.Sum(r => r.Summary.Ambiguous).Should().BeGreaterThanOrEqualTo(2);
        _mailchimp.JourneyEntries.Should().BeEquivalentTo(scenario.EmailsOfWonDeals(), "every contact of a deal won at some point, once (ambiguous ones committed)");
        _mailchimp.Duplicates.Should().Be(0);
        _mailchimp.TriggerCalls.Should().Be(scenario.ExpectedJourneys);
        _mailchimp.Members.Should().HaveCount(scenario.ExpectedJourneys);
        runs[^1].Summary.Completed.Should().Be(0);
        (await DeadLettersAsync()).Count(e => e.Kind == DeadLetterKind.Failed).Should().Be(
            scenario.Deals.Where(d => d.WonAtSomePoint).Sum(d => d.Deal.Contacts.Count(c => c.Email is null)),
            "one dead letter per contact without email on a won deal");
    }

    [Fact]
    public void TheSamplesScenario_HasEveryCase_AndIsTheSameForTheSameSeed()
    {
        var scenario = OnboardingScenario.Generate(deals: 40, seed: 42);

        scenario.Deals.Should().HaveCount(40);
        scenario.ReopenedAndWonAgain.Should().BeGreaterThan(0);
        scenario.ContactsOnSeveralWonDeals.Should().BeGreaterThan(0);
        scenario.ContactsWithoutEmailOnWonDeals.Should().BeGreaterThan(0);
        scenario.Deals.Should().Contain(d => d.Deal.Pipeline == 1 && d.WonAtSomePoint);
        scenario.Deals.Should().Contain(d => !d.WonAtSomePoint);
        scenario.Deals.SelectMany(d => d.Deal.Contacts).Should().Contain(c => c.Email != null && c.Email != c.Email.ToLowerInvariant());
        scenario.Deals.Should().OnlyContain(d => d.Deal.Contacts.Count >= 1 && d.Deal.Contacts.Count <= 4);
        OnboardingScenario.Generate(deals: 40, seed: 42).ExpectedJourneys.Should().Be(scenario.ExpectedJourneys);
        OnboardingScenario.Generate(deals: 40, seed: 42).Deals.Select(d => d.Deal.Contacts.Count).Should().Equal(scenario.Deals.Select(d => d.Deal.Contacts.Count));
    }

    private static SimulatedDeal Deal(string name, decimal amount, params (string First, string Last, string? Email)[] contacts) => new()
    {
        Name = name,
        Amount = amount,
        Company = "Acme Corp",
        Owner = "Sam Seller",
        Contacts = [.. contacts.Select(c => new SimulatedDealContact(c.First, c.Last, c.Email))],
    };

    private async Task<IHost> StartAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddKeyedSingleton<Integrations.Sdk.Crm.ICrmConnector>(FakeCrm.Name, _crm);
        builder.Services.AddIntegrations().UseSqliteState(Path.Combine(_directory, "state.db"))
            .AddClosedWonOnboarding(FakeCrm.Name, Settings, _ => _mailchimp.Operations, concurrency: 4);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private async Task<RunReport> RunAsync(bool FullRefresh = false)
    {
        using var host = await StartAsync();
        var report = await host.Services.GetRequiredService<ISyncRunner>().RunAsync(Sync, new RunOptions { FullRefresh = FullRefresh });
        await host.StopAsync();
        return report;
    }

    private async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync()
    {
        using var host = await StartAsync();
        return await host.Services.GetRequiredService<IDeadLetterStore>().ListAsync(Sync, limit: 1000);
    }
}
