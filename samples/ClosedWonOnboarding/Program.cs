// A deal marked closed-won in the CRM → its contacts into Mailchimp's onboarding journey, exactly once per contact, ever.
//
//   dotnet run --project samples/ClosedWonOnboarding [-- --crm hubspot|salesforce --state closed-won-onboarding.db
//       --faults 0.3 --deals 40 --seed 42 --leave-ambiguous]
//
// Offline: the chosen CRM's simulator (HubSpot or Salesforce) and the Mailchimp Marketing simulator run on 127.0.0.1;
// the sample seeds the CRM with deals, moves them over several days (won, lost, reopened and won again...), runs the
// sync after each day, and prints what Mailchimp holds. The state (step memo, checkpoint, dead letters) is SQLite.
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Microsoft.Extensions.Hosting;

namespace ClosedWonOnboarding;

/// <summary>The sample's entry point.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        SampleOptions options;
        try
        {
            options = SampleOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 2;
        }

        var scenario = OnboardingScenario.Generate(options.Deals, options.Seed);
        await using var platforms = await OfflinePlatforms.StartAsync(options.Crm, options.Seed, options.FaultRate).ConfigureAwait(false);
        using var host = OnboardingHost.CreateBuilder(options.StatePath, platforms).Build();
        await host.StartAsync().ConfigureAwait(false);

        Console.WriteLine($"Offline: {options.Crm} → mailchimp-marketing simulators on 127.0.0.1, state in {options.StatePath}, faults {options.FaultRate:P0}.");
        Console.WriteLine($"CRM: {scenario.Deals.Count} deals, {scenario.Deals.Count(d => d.WonAtSomePoint)} won at some point ({scenario.ReopenedAndWonAgain} reopened and won again), "
            + $"{scenario.Deals.Count(d => d.Deal.Pipeline == 1)} in the second pipeline (won stage \"Signed\"), {scenario.Deals.Sum(d => d.Deal.Contacts.Count)} contacts "
            + $"({scenario.ContactsWithoutEmailOnWonDeals} without email on won deals, {scenario.ContactsOnSeveralWonDeals} on two won deals).");

        if (await platforms.TryLoadAsync(options.StatePath).ConfigureAwait(false))
        {
            // A later run: the CRM and Mailchimp of the earlier run, and a sync that goes on from its checkpoint.
            Console.WriteLine($"Simulators loaded from the earlier run next to {options.StatePath}: the sync goes on from its checkpoint.");
            var reports = await OnboardingRun.RunUntilDoneAsync(host.Services, Onboarding.SyncName(options.Crm)).ConfigureAwait(false);
            foreach (var report in reports)
            {
                Console.WriteLine($"  today: {report}");
            }

            await host.StopAsync().ConfigureAwait(false);
            await platforms.SaveAsync(options.StatePath).ConfigureAwait(false);
            Console.WriteLine($"expected={scenario.ExpectedJourneys}");
            Console.WriteLine(new Totals(
                reports.Sum(r => r.Summary.Read), reports.Sum(r => r.Summary.Completed), reports.Sum(r => r.Summary.Skipped),
                reports.Sum(r => r.Summary.Filtered), reports.Sum(r => r.Summary.DeadLettered), reports.Sum(r => r.Summary.Ambiguous)));
            Console.WriteLine(platforms.ReadMailchimp());
            return reports[^1].Summary.Status == RunStatus.Succeeded ? 0 : 1;
        }

        var result = await OnboardingRun.PlayAsync(host.Services, platforms, scenario, resolveAmbiguous: !options.LeaveAmbiguous, progress: run =>
        {
            var day = run.Round == 0 ? "day 0, seeded" : $"day {run.Round}, {run.Moves}";
            var failed = run.Report.Summary.Status == RunStatus.Succeeded ? "" : $" ({run.Report.Summary.Status}: {run.Report.Summary.Error}; run again)";
            Console.WriteLine($"  {day}: {run.Report}{failed}");
        }).ConfigureAwait(false);

        foreach (var entry in result.DeadLetters.Where(e => e.Kind == DeadLetterKind.Failed).Take(10))
        {
            Console.WriteLine($"dead letter {entry.RecordKey} at {entry.Step}: {entry.Reason}");
        }

        foreach (var trigger in result.Ambiguous)
        {
            var resolution = trigger.Outcome is null
                ? "left for a person (replay it with AmbiguousResolution.AlreadyApplied or SendAgain)"
                : trigger.InJourney ? $"marked applied ({trigger.Outcome})" : $"sent again ({trigger.Outcome})";
            Console.WriteLine($"ambiguous journey trigger: {trigger.Email} (deal {trigger.DealId}): {(trigger.InJourney ? "in the journey" : "not in the journey")}, {resolution}");
        }

        await host.StopAsync().ConfigureAwait(false);
        await platforms.SaveAsync(options.StatePath).ConfigureAwait(false);
        Console.WriteLine($"expected={scenario.ExpectedJourneys}");
        Console.WriteLine(result.Total);
        Console.WriteLine(platforms.ReadMailchimp());
        return result.Runs[^1].Report.Summary.Status == RunStatus.Succeeded ? 0 : 1;
    }
}
