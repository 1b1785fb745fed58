// A failed Stripe payment → the customer flagged in HubSpot, a follow-up task for support, and an email — each once.
//
//   dotnet run --project samples/FailedPaymentFollowUp [-- --events 50 --duplicates 3 --forged 5 --lost-tasks 3 --state PATH --seed 7]
//   (without --state the SQLite state is a temporary file, removed at the end: the simulators start empty each run)
//
// Offline: the Stripe, HubSpot and Mailchimp Transactional simulators run on 127.0.0.1; this ASP.NET Core host maps
// the webhook endpoint on 127.0.0.1 too; the simulated Stripe delivers every invoice.payment_failed event several
// times, shuffled, plus forged ones; the host verifies, dedupes, stores and processes them.
// Like HubSpot's, the simulated HubSpot's search finds a new task only 5 s after its creation. The simulated HubSpot
// also loses its answer to the first few task creations (--lost-tasks; the task is made, the response is dropped):
// the task step then waits HubSpot's lag (HubSpotOptions.SearchIndexLag, 10 s) before it looks for the task, finds it
// and does not create it again. That wait is why this run takes about 10 s longer than one without lost answers.
using System.Globalization;
using FailedPaymentFollowUp;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.HubSpot;
using Integrations.Sdk.Testing.MailchimpTransactional;
using Integrations.Sdk.Testing.Stripe;

int events = 50, duplicates = 3, forged = 5, lostTasks = 3, seed = 7;
// The simulators start empty each run, so by default the state is a fresh file too (kept only with --state).
string? state = null;
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--events": events = int.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--duplicates": duplicates = int.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--forged": forged = int.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--lost-tasks": lostTasks = int.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--state": state = Value(); break;
        case "--seed": seed = int.Parse(Value(), CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}; use --events N --duplicates K --forged F --lost-tasks L --state PATH --seed N");
            return 2;
    }
}

await using var stripe = new StripeSimulator(seed: seed);
await using var hubSpot = new HubSpotSimulator(seed: seed);
await using var mailchimp = new MailchimpTransactionalSimulator(seed: seed);
foreach (var simulator in new SimulatorHost[] { stripe, hubSpot, mailchimp })
{
    await simulator.StartAsync();
}

if (lostTasks > 0)
{
    hubSpot.Faults.Add("tasks.create", FaultKind.CommitThenDrop, lostTasks);
}

var temporary = state is null;
state ??= Path.Combine(Path.GetTempPath(), $"failed-payments-{Guid.NewGuid():N}.db");
await using var app = FollowUpHost.Build(state, stripe, hubSpot, mailchimp);
await app.StartAsync();

var result = await FollowUpHost.DeliverAsync(app, stripe, hubSpot, mailchimp, events, duplicates, forged, seed);

Console.WriteLine($"Delivered {result.Received} webhook requests for {events} failed payments ({duplicates}x each, shuffled) and {forged} forged ones.");
if (lostTasks > 0)
{
    Console.WriteLine($"HubSpot lost its answer to {hubSpot.Faults.InjectedTotal} task creation(s) after making the task; each was looked up once HubSpot's search could find it, not created again.");
}

Console.WriteLine($"summary: received={result.Received} accepted={result.Accepted} rejected={result.Rejected} duplicates={result.Duplicates} completed={result.Completed} dead-lettered={result.DeadLettered} ambiguous={result.Ambiguous}");
Console.WriteLine($"simulator: flagged={result.Flagged} tasks={result.Tasks} emails={result.Emails} duplicates={result.SideEffectDuplicates}");
await app.StopAsync();
if (temporary)
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    foreach (var file in Directory.GetFiles(Path.GetDirectoryName(state)!, Path.GetFileName(state) + "*"))
    {
        File.Delete(file);
    }
}

return 0;
