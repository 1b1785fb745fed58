using ClosedWonOnboarding;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Integrations.Sdk.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace Integrations.Sdk.EndToEnd.Tests.Crm;

/// <summary>
/// The ClosedWonOnboarding sample end to end for each CRM, on the simulators over loopback HTTP and SQLite state, with
/// 30 % faults on both simulators and the journey trigger's answer lost twice after it entered the contact: every
/// contact with an email of a deal won at some point enters the journey exactly once (a deal reopened and won again
/// adds nothing), contacts without an email are dead-lettered naming the field, ambiguous triggers are listed and
/// never sent again, and a second run (also as the command line makes it: new simulators, same state) adds nothing.
/// </summary>
public sealed class ClosedWonOnboardingSampleTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>
    /// The Mailchimp Marketing simulator's fault-endpoint name of the journey trigger
    /// (<c>POST /customer-journeys/journeys/{id}/steps/{id}/actions/trigger</c>). If the simulator names it otherwise,
    /// the scripted commit-then-drop never fires and the ambiguity assertions below fail, saying so.
    /// </summary>
    private const string TriggerEndpoint = "journeys.trigger";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "integrations-e2e", Guid.NewGuid().ToString("N"));

    private string State => Path.Combine(_directory, "state.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("hubspot")]
    [InlineData("salesforce")]
    public async Task ThirtyPercentFaults_AndLostTriggerAnswers_EveryContactOfAWonDealEntersTheJourneyOnce_ASecondRunAddsNothing(string crm)
    {
        Directory.CreateDirectory(_directory);
        var scenario = OnboardingScenario.Generate(deals: 40, seed: 42);
        var sync = Onboarding.SyncName(crm);
        MailchimpFigures first;
        await using (var platforms = await OfflinePlatforms.StartAsync(crm, seed: 7, faultRate: 0.3))
        {
            platforms.Mailchimp.Faults.Add(TriggerEndpoint, FaultKind.CommitThenDrop, 2);
            using var host = OnboardingHost.CreateBuilder(State, platforms).Build();
            await host.StartAsync();

            var result = await OnboardingRun.PlayAsync(host.Services, platforms, scenario, progress: run => output.WriteLine($"day {run.Round}: {run.Report}"));
            first = platforms.ReadMailchimp();
            output.WriteLine($"{result.Total} | {first} | expected={scenario.ExpectedJourneys}");

            result.Runs[^1].Report.Summary.Status.Should().Be(RunStatus.Succeeded, result.Runs[^1].Report.Summary.Error);
            platforms.CrmSimulator.Faults.InjectedTotal.Should().BeGreaterThan(0);
            platforms.Mailchimp.Faults.Injected.GetValueOrDefault(FaultKind.CommitThenDrop).Should().BeGreaterThanOrEqualTo(2);
            result.Total.Ambiguous.Should().BeGreaterThanOrEqualTo(2, $"the trigger's answer was lost twice (fault endpoint '{TriggerEndpoint}')");
            result.Ambiguous.Count(a => a.InJourney).Should().BeGreaterThanOrEqualTo(2, "a lost answer after the contact entered: the journey shows it");
            result.Ambiguous.GroupBy(a => a.Email).Should().OnlyContain(g => g.Last().Outcome == RecordOutcome.Completed, "a resend that ends ambiguous again is looked at again, until it is settled");
            first.Journeys.Should().Be(scenario.ExpectedJourneys, "every contact with an email of a deal won at some point, once");
            first.Duplicates.Should().Be(0);
            first.Members.Should().Be(scenario.ExpectedJourneys);
            first.Tagged.Should().Be(scenario.ExpectedJourneys);
            platforms.Mailchimp.JourneyContacts(OfflinePlatforms.Settings.JourneyId, OfflinePlatforms.Settings.StepId)
                .Should().BeEquivalentTo(scenario.EmailsOfWonDeals());
            var failed = result.DeadLetters.Where(e => e.Kind == DeadLetterKind.Failed).ToList();
            failed.Should().HaveCount(scenario.ContactsWithoutEmailOnWonDeals, string.Join("; ", failed.Select(f => $"{f.RecordKey}: {f.Reason}")));
            failed.Should().OnlyContain(e => e.Step == "$map" && e.Reason.Contains("contact.email", StringComparison.Ordinal));
            result.DeadLetters.Should().NotContain(e => e.Kind == DeadLetterKind.Ambiguous, "each was resolved after a look at the journey");

            // Reopened and won again: in the run after the second win, the contacts of those deals were all done before.
            var wonAgain = scenario.Deals.Where(d => d.Story == "won, reopened, won again")
                .SelectMany(d => d.Deal.Contacts).Where(c => c.Email is not null)
                .Select(c => $"journey:{OfflinePlatforms.Settings.JourneyId}:{Onboarding.NormalizeEmail(c.Email!)}").ToHashSet();
            var round3 = result.Runs.Where(r => r.Round == 3).SelectMany(r => r.Report.Records).Where(r => wonAgain.Contains(r.RecordKey)).ToList();
            round3.Should().NotBeEmpty();
            round3.Should().OnlyContain(r => r.Outcome == RecordOutcome.Skipped || r.Outcome == RecordOutcome.Ambiguous);

            // A second run, nothing changed: nothing new.
            var again = await OnboardingRun.RunUntilDoneAsync(host.Services, sync, fullRefresh: true);
            again.Sum(r => r.Summary.Completed).Should().Be(0);
            again.Sum(r => r.Summary.Ambiguous).Should().Be(0);
            platforms.ReadMailchimp().Should().Be(first);
            await host.StopAsync();
        }

        // The second run of the command line: new simulators, the same state, the same scenario. Nothing is sent.
        await using (var platforms = await OfflinePlatforms.StartAsync(crm, seed: 7, faultRate: 0))
        {
            using var host = OnboardingHost.CreateBuilder(State, platforms).Build();
            await host.StartAsync();

            var result = await OnboardingRun.PlayAsync(host.Services, platforms, scenario);

            output.WriteLine($"second: {result.Total} | {platforms.ReadMailchimp()}");
            result.Total.Completed.Should().Be(0);
            result.Total.Skipped.Should().BeGreaterThanOrEqualTo(scenario.ExpectedJourneys);
            result.Total.Ambiguous.Should().Be(0);
            platforms.ReadMailchimp().Should().Be(new MailchimpFigures(0, 0, 0, 0));
            await host.StopAsync();
        }
    }
}
