using System.Diagnostics;
using FailedPaymentFollowUp;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.Reliability.Tests.Support;
using Integrations.Sdk.State;
using Integrations.Sdk.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using ShopifyToQuickBooks;
using Xunit.Abstractions;

namespace Integrations.Sdk.Reliability.Tests;

/// <summary>
/// The fault matrix: both samples' real syncs, against the simulators on 127.0.0.1, with one fault kind at a time
/// and all of them together, on 30 % of every simulator request, for 2,000 records per cell. Each cell asserts zero
/// duplicate side effects (inspected in the simulators), zero records unaccounted for (every record has an outcome
/// and the outcomes add up), and a reason, naming the step, for every record that did not succeed. The figures go to
/// TestResults/fault-matrix.md and to the test output.
/// </summary>
public sealed class FaultMatrixTests(FaultMatrixLog log, ITestOutputHelper output) : IClassFixture<FaultMatrixLog>, IDisposable
{
    public const int Records = 2_000;
    public const double Rate = 0.3;

    /// <summary>Time on the host and simulators passes this much faster than on the wall (Retry-After: 1 is 5 ms).</summary>
    public const double Speed = 200;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "integrations-reliability", Guid.NewGuid().ToString("N"));

    public static TheoryData<string> Faults => ["latency", "5xx", "429 + Retry-After", "timeout", "connection reset", "commit then drop", "all combined"];

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static FaultKind[] Kinds(string fault) => fault switch
    {
        "latency" => [FaultKind.Latency],
        "5xx" => [FaultKind.ServerError],
        "429 + Retry-After" => [FaultKind.TooManyRequests],
        "timeout" => [FaultKind.Timeout],
        "connection reset" => [FaultKind.ConnectionReset],
        "commit then drop" => [FaultKind.CommitThenDrop],
        "all combined" => Enum.GetValues<FaultKind>(),
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, "unknown fault"),
    };

    private static void Inject(SimulatorHost simulator, string fault, int seed)
    {
        // Latency and hangs run on the simulator's clock (the system clock for the Shopify/QuickBooks pair, the
        // accelerated one for HubSpot/Mailchimp): both are given in wall time.
        var wall = (TimeSpan span) => simulator.Time is AcceleratedClock accelerated ? accelerated.FromWall(span) : span;
        simulator.Faults.Latency = wall(TimeSpan.FromMilliseconds(50));
        simulator.Faults.RetryAfter = TimeSpan.FromSeconds(1);   // read on the client's accelerated clock: 5 ms of wall time
        simulator.Faults.Hang = wall(TimeSpan.FromSeconds(2));    // longer than the attempt timeout: the client gives up first
        simulator.Faults.SetRandom(Rate, seed, Kinds(fault));
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task ShopifyToQuickBooks_UnderFault_NoDuplicates_NothingLost_EveryFailureExplained(string fault)
    {
        Directory.CreateDirectory(_directory);
        var state = Path.Combine(_directory, "state.db");
        var clock = new AcceleratedClock(Speed);
        await using var platforms = await OfflinePlatforms.OpenAsync(state, orders: Records, seed: 42, faultRate: 0);
        platforms.QuickBooks.RequestsPerSecond = 0;
        platforms.QuickBooks.RequestsPerMinute = 0;
        platforms.QuickBooks.MaxConcurrentRequests = 0;
        platforms.Shopify.Options.MaximumAvailable = 1_000_000;
        platforms.Shopify.Options.RestoreRate = 1_000_000;
        platforms.Shopify.SetAvailablePoints(1_000_000);
        Inject(platforms.Shopify, fault, seed: 7);
        Inject(platforms.QuickBooks, fault, seed: 8);

        var builder = SampleHost.CreateBuilder(state, platforms, concurrency: 32);
        FastTransport.Configure(builder.Services, clock, "shopify", "quickbooks");
        using var retries = new RetryCounter();
        var watch = Stopwatch.StartNew();
        var outcomes = new Dictionary<string, RecordResult>(StringComparer.Ordinal);
        var injected = 0;
        var replayed = 0;
        CellFigures figures;
        using (var host = builder.Build())
        {
            await host.StartAsync();
            var runner = host.Services.GetRequiredService<ISyncRunner>();
            // A page that still fails after every transport retry fails the run (the checkpoint keeps what is safe);
            // the next run goes on from there, as the scheduler would. Outcomes are merged over the runs.
            for (var run = 0; run < 5; run++)
            {
                var report = await runner.RunAsync(OrdersToInvoices.SyncName, new RunOptions { IncludeAllRecords = true });
                foreach (var record in report.Records)
                {
                    if (record.Outcome != RecordOutcome.Skipped || !outcomes.ContainsKey(record.RecordKey))
                    {
                        outcomes[record.RecordKey] = record;
                    }
                }

                if (report.Summary.Status == RunStatus.Succeeded)
                {
                    break;
                }

                output.WriteLine($"run {run} ended {report.Summary.Status}: {report.Summary.Error}");
            }

            watch.Stop();
            injected = platforms.Shopify.Faults.InjectedTotal + platforms.QuickBooks.Faults.InjectedTotal;
            platforms.Shopify.Faults.Clear();
            platforms.QuickBooks.Faults.Clear();
            figures = Figures(platforms, outcomes, fault, injected, retries.Retries, watch.Elapsed);

            // Nothing set aside is lost: once the platform is healthy and the missing items exist, every dead letter
            // replays to completion, and still nothing is invoiced twice.
            platforms.AddMissingItems();
            foreach (var entry in await host.Services.GetRequiredService<IDeadLetterStore>().ListAsync(OrdersToInvoices.SyncName, limit: 100_000))
            {
                var replay = await Replays.UntilCompletedAsync(runner, entry.Id);
                replay.Summary.Completed.Should().Be(1, $"{entry.RecordKey} ({entry.Reason}) replays to completion");
                replayed++;
            }

            await host.StopAsync();
        }

        var orders = platforms.Shopify.Orders;
        var invoicesByDoc = platforms.QuickBooks.Invoices.GroupBy(i => i.DocNumber ?? "").ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var counts = outcomes.Values.GroupBy(r => r.Outcome).ToDictionary(g => g.Key, g => g.Count());
        var paid = orders.Where(o => o.FinancialStatus == "PAID").ToList();
        var duplicatesAfterReplay = platforms.QuickBooks.DuplicateInvoices.Count + platforms.QuickBooks.DuplicateCustomers.Count;
        figures = figures with { Replayed = replayed, DuplicatesAfterReplay = duplicatesAfterReplay };
        Report(figures);
        foreach (var problem in outcomes.Values.Where(r => r.Outcome is RecordOutcome.DeadLettered or RecordOutcome.Ambiguous).Take(5))
        {
            output.WriteLine($"  {problem.RecordKey} {problem.Outcome} at {problem.Step}: {problem.Reason}");
        }

        orders.Should().HaveCount(Records);
        injected.Should().BeGreaterThan(Records / 10, "the cell must actually inject faults");
        figures.Duplicates.Should().Be(0, "no order may be invoiced twice, and no customer created twice");
        figures.Lost.Should().Be(0, "every order read ends with an outcome, and a completed one has its invoice");
        counts.Values.Sum().Should().Be(Records);
        duplicatesAfterReplay.Should().Be(0);
        paid.Should().OnlyContain(o => invoicesByDoc.GetValueOrDefault(o.Name.TrimStart('#')) == 1, "after the replays every paid order has exactly one invoice");
        invoicesByDoc.Values.Sum().Should().Be(paid.Count, "an unpaid order is filtered, never invoiced");
        counts.GetValueOrDefault(RecordOutcome.Filtered).Should().Be(orders.Count(o => o.FinancialStatus != "PAID"));
        // How many complete in the run itself is a figure, not a guarantee: when the default breaker (10 requests,
        // 50 %) opens on a burst, the records that reach it during the break are set aside, explained and replayable.
        counts.GetValueOrDefault(RecordOutcome.Completed).Should().BeGreaterThan(0);
        AssertExplained(outcomes.Values);
        // The orders with a SKU QuickBooks does not have are never invoiced: they are dead-lettered, naming the SKU
        // (or, when a fault stopped them before the SKU was checked, naming that fault).
        foreach (var order in orders.Where(o => o.FinancialStatus == "PAID" && o.LineItems.Any(l => OfflinePlatforms.NewSkus.Contains(l.Sku!))))
        {
            var result = outcomes[Key(order.LegacyId)];
            result.Outcome.Should().Be(RecordOutcome.DeadLettered);
        }

        outcomes.Values.Count(r => r.Reason?.Contains("SKU-NEW-", StringComparison.Ordinal) == true).Should().BeGreaterThan(0);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task FailedPaymentFollowUp_UnderFault_NoDuplicates_NothingLost_EveryFailureExplained(string fault)
    {
        Directory.CreateDirectory(_directory);
        var clock = new AcceleratedClock(Speed);
        await using var platforms = await FollowUpPlatforms.StartAsync(clock, seed: 11);
        Inject(platforms.HubSpot, fault, seed: 12);
        Inject(platforms.Mailchimp, fault, seed: 13);
        var failures = platforms.FailPayments(Records, withoutEmailEvery: 20);

        using var retries = new RetryCounter();
        var watch = Stopwatch.StartNew();
        await using var app = FollowUpPlatforms.BuildHost(Path.Combine(_directory, "state.db"), platforms, clock, concurrency: 128,
            logging: b => b.AddFakeLogging().SetMinimumLevel(LogLevel.Debug));
        await app.StartAsync();
        var delivered = await platforms.DeliverAsync(app, failures.Select(f => f.EventId));
        var inbox = app.Services.GetRequiredService<IWebhookInbox>();
        var last = default(InboxCounts);
        try
        {
            await Polling.UntilAsync(async () => (last = await inbox.CountAsync()) is { Pending: 0, Processing: 0 }, "the inbox is drained", TimeSpan.FromMinutes(3));
        }
        catch (TimeoutException)
        {
            output.WriteLine($"  inbox after 3 min: {last}; host clock {clock.GetUtcNow():O}; faults injected {platforms.HubSpot.Faults.InjectedTotal + platforms.Mailchimp.Faults.InjectedTotal}");
            var shown = 0;
            foreach (var failure in failures)
            {
                if (await inbox.GetAsync(InboxMessage.CreateId("stripe", failure.EventId)) is { State: InboxState.Pending or InboxState.Processing } waiting && shown++ < 8)
                {
                    output.WriteLine($"  {waiting.State} {waiting.Id} attempts={waiting.Attempts} due={waiting.DueAt:O} error={waiting.Error}");
                    foreach (var line in app.Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Message.Contains(failure.InvoiceId, StringComparison.Ordinal) || r.Message.Contains(failure.EventId, StringComparison.Ordinal)))
                    {
                        output.WriteLine($"    {line.Timestamp:HH:mm:ss.fff} {line.Level} {line.Category}: {line.Message}");
                    }
                }
            }

            throw;
        }

        watch.Stop();
        var injected = platforms.HubSpot.Faults.InjectedTotal + platforms.Mailchimp.Faults.InjectedTotal;
        platforms.HubSpot.Faults.Clear();
        platforms.Mailchimp.Faults.Clear();

        var runs = await app.Services.GetRequiredService<IRunHistoryStore>().ListAsync(FollowUp.SyncName, limit: 100_000);
        var deadLetters = (await app.Services.GetRequiredService<IDeadLetterStore>().ListAsync(FollowUp.SyncName, limit: 100_000))
            .ToDictionary(d => d.RecordKey, StringComparer.Ordinal);
        var inboxDeadLetters = new List<InboxMessage>();
        foreach (var failure in failures)
        {
            var message = await inbox.GetAsync(InboxMessage.CreateId("stripe", failure.EventId));
            if (message?.State == InboxState.DeadLettered)
            {
                inboxDeadLetters.Add(message);
            }
        }

        var tasksByInvoice = platforms.HubSpot.Tasks.GroupBy(t => InvoiceOf(t["hs_task_subject"])).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var emailsByKey = platforms.Mailchimp.Sent.GroupBy(e => e.IntegrationsKey ?? "").ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var flagged = platforms.HubSpot.Contacts.Where(c => c["payment_status"] == "failed").Select(c => c["email"]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var finished = failures.Where(f => f.Email is not null && !deadLetters.ContainsKey(f.Key)).ToList();
        var notFinishedCorrectly = finished.Count(f => !flagged.Contains(f.Email!) || tasksByInvoice.GetValueOrDefault(f.InvoiceId) != 1
            || platforms.Mailchimp.Sent.Count(e => e.To == f.Email) != 1);
        var sum = (Completed: runs.Sum(r => r.Completed), Skipped: runs.Sum(r => r.Skipped), Filtered: runs.Sum(r => r.Filtered),
            DeadLettered: runs.Sum(r => r.DeadLettered), Ambiguous: runs.Sum(r => r.Ambiguous), Read: runs.Sum(r => r.Read - r.Deferred)); // a deferred event is read again
        var accounted = sum.Completed + sum.Skipped + sum.Filtered + sum.DeadLettered + sum.Ambiguous + inboxDeadLetters.Count;
        var duplicates = platforms.HubSpot.DuplicateTasks.Count + platforms.Mailchimp.Duplicates.Count
            + tasksByInvoice.Values.Count(n => n > 1) + emailsByKey.Values.Count(n => n > 1);
        var figures = new CellFigures(
            FollowUp.SyncName, fault, failures.Count, sum.Completed, sum.Filtered, sum.Skipped, sum.DeadLettered + inboxDeadLetters.Count, sum.Ambiguous,
            duplicates, Math.Abs(failures.Count - accounted) + notFinishedCorrectly, injected, retries.Retries, watch.Elapsed);
        foreach (var problem in deadLetters.Values.Take(5))
        {
            output.WriteLine($"  {problem.RecordKey} {problem.Kind} at {problem.Step}: {problem.Reason}");
        }

        // A duplicate is the one thing this cell must never see: name each, with its record's history, for whoever meets one.
        foreach (var task in platforms.HubSpot.DuplicateTasks.Take(5))
        {
            output.WriteLine($"  duplicate task {task["hs_task_subject"]} (contacts {string.Join(",", task.ContactIds)})");
        }

        foreach (var email in platforms.Mailchimp.Duplicates.Take(5))
        {
            output.WriteLine($"  duplicate email to {email.To} key {email.IntegrationsKey}");
        }

        foreach (var (invoice, n) in tasksByInvoice.Where(t => t.Value > 1).Take(5))
        {
            output.WriteLine($"  {n} tasks for invoice {invoice}");
        }

        // Nothing set aside is lost: with the platforms healthy again, a failed record replays as is; an ambiguous
        // one is resolved as a person would, by looking in Mandrill's log for the email, and then replayed.
        var runner = app.Services.GetRequiredService<ISyncRunner>();
        var byKey = failures.ToDictionary(f => f.Key, StringComparer.Ordinal);
        foreach (var entry in deadLetters.Values)
        {
            // Asked before each replay: a replay that was itself interrupted is looked at again.
            var email = byKey[entry.RecordKey].Email;
            var replay = await Replays.UntilCompletedAsync(runner, entry.Id, () =>
                platforms.Mailchimp.Sent.Any(e => e.To == email) ? AmbiguousResolution.AlreadyApplied : AmbiguousResolution.SendAgain);
            replay.Summary.Completed.Should().Be(1, $"{entry.RecordKey} ({entry.Reason}) replays to completion");
        }

        await app.StopAsync();
        var withEmail = failures.Where(f => f.Email is not null).ToList();
        var tasksAfter = platforms.HubSpot.Tasks.GroupBy(t => InvoiceOf(t["hs_task_subject"])).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var duplicatesAfterReplay = platforms.HubSpot.DuplicateTasks.Count + platforms.Mailchimp.Duplicates.Count
            + tasksAfter.Values.Count(n => n > 1) + platforms.Mailchimp.Sent.GroupBy(e => e.To).Count(g => g.Count() > 1);
        figures = figures with { Replayed = deadLetters.Count, DuplicatesAfterReplay = duplicatesAfterReplay };
        Report(figures);

        delivered.Should().Be(Records);
        injected.Should().BeGreaterThan(Records / 10, "the cell must actually inject faults");
        duplicates.Should().Be(0, "one task and at most one email per failed payment");
        accounted.Should().Be(failures.Count, "every delivered event ends with an outcome");
        sum.Read.Should().Be(failures.Count - inboxDeadLetters.Count);
        notFinishedCorrectly.Should().Be(0, "a completed follow-up has its flag, one task and one email");
        sum.Filtered.Should().Be(failures.Count(f => f.Email is null));
        (sum.DeadLettered + sum.Ambiguous).Should().Be(deadLetters.Count, "every record set aside is in the dead-letter store");
        foreach (var entry in deadLetters.Values)
        {
            entry.Step.Should().NotBeNullOrWhiteSpace();
            entry.Reason.Should().NotBeNullOrWhiteSpace().And.Contain(entry.Step!, "the reason names the step");
            // An email that may have gone out is never sent a second time: ambiguous means at most one.
            emailsByKey.GetValueOrDefault(entry.RecordKey).Should().BeLessThanOrEqualTo(1);
        }

        foreach (var message in inboxDeadLetters)
        {
            message.Error.Should().NotBeNullOrWhiteSpace("an event the inbox gave up on says why");
        }

        sum.Completed.Should().BeGreaterThan(0);
        duplicatesAfterReplay.Should().Be(0);
        withEmail.Should().OnlyContain(f => tasksAfter.GetValueOrDefault(f.InvoiceId) == 1 && platforms.Mailchimp.Sent.Count(e => e.To == f.Email) == 1,
            "after the replays every failed payment with an email has exactly one task and one email");
    }

    private static string Key(long legacyId) => $"shopify:order:{legacyId}";

    /// <summary>The cell's figures as the run left them (before any replay).</summary>
    private static CellFigures Figures(OfflinePlatforms platforms, Dictionary<string, RecordResult> outcomes, string fault, int injected, long retries, TimeSpan elapsed)
    {
        var orders = platforms.Shopify.Orders;
        var invoicesByDoc = platforms.QuickBooks.Invoices.GroupBy(i => i.DocNumber ?? "").ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var unaccounted = orders.Count(o => !outcomes.ContainsKey(Key(o.LegacyId)));
        var completedWithoutInvoice = orders.Count(o => outcomes.TryGetValue(Key(o.LegacyId), out var r) && r.Outcome == RecordOutcome.Completed
            && invoicesByDoc.GetValueOrDefault(o.Name.TrimStart('#')) != 1);
        var invoiceForUnpaid = orders.Count(o => o.FinancialStatus != "PAID" && invoicesByDoc.ContainsKey(o.Name.TrimStart('#')));
        var counts = outcomes.Values.GroupBy(r => r.Outcome).ToDictionary(g => g.Key, g => g.Count());
        return new CellFigures(
            "shopify-orders-to-quickbooks-invoices", fault, orders.Count,
            counts.GetValueOrDefault(RecordOutcome.Completed), counts.GetValueOrDefault(RecordOutcome.Filtered), counts.GetValueOrDefault(RecordOutcome.Skipped),
            counts.GetValueOrDefault(RecordOutcome.DeadLettered), counts.GetValueOrDefault(RecordOutcome.Ambiguous),
            platforms.QuickBooks.DuplicateInvoices.Count + platforms.QuickBooks.DuplicateCustomers.Count + invoiceForUnpaid,
            unaccounted + completedWithoutInvoice, injected, retries, elapsed);
    }

    private static string InvoiceOf(string? subject) => subject is null ? "" : subject[(subject.LastIndexOf(' ') + 1)..];

    private static void AssertExplained(IEnumerable<RecordResult> records)
    {
        foreach (var record in records.Where(r => r.Outcome is RecordOutcome.DeadLettered or RecordOutcome.Ambiguous))
        {
            record.Step.Should().NotBeNullOrWhiteSpace($"{record.RecordKey} must name the step it stopped at");
            record.Reason.Should().NotBeNullOrWhiteSpace($"{record.RecordKey} must say why");
            if (!record.Step!.StartsWith('$'))
            {
                record.Reason.Should().Contain($"'{record.Step}'", "the reason names the step");
            }
        }
    }

    private void Report(CellFigures figures)
    {
        log.Add(figures);
        output.WriteLine(FaultMatrixLog.Header);
        output.WriteLine(figures.ToRow());
    }
}
