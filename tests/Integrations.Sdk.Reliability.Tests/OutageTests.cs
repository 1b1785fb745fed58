using System.Diagnostics;
using FailedPaymentFollowUp;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.Reliability.Tests.Support;
using Integrations.Sdk.State;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Transport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using ShopifyToQuickBooks;
using Xunit.Abstractions;

namespace Integrations.Sdk.Reliability.Tests;

/// <summary>
/// A platform goes down for two minutes at 2 AM and nobody is awake: the outage is waited out. Records that meet it
/// are deferred (not dead-lettered), the run pauses and says why, the health checks show it, and the next scheduled
/// runs (no replay, no person) finish every record exactly once; webhook events wait in the inbox and are processed
/// once the platform is back. Time runs on an accelerated clock (the host's and the simulators'), so the two minutes
/// take about a second of wall time.
/// </summary>
public sealed class OutageTests(ITestOutputHelper output) : IDisposable
{
    private const double Speed = 100;
    private static readonly TimeSpan OutageLength = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan ScheduleInterval = TimeSpan.FromSeconds(30);
    private static readonly string[] QuickBooksApi = ["query", "customer.create", "invoice.create"];
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "integrations-reliability", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>
    /// The outage's 503s answer at once, so no attempt needs long; a roomy attempt timeout (2 s of wall time) keeps a
    /// busy machine's slow answers from turning into timeouts the test did not inject.
    /// </summary>
    private static void Roomy(IServiceCollection services, AcceleratedClock clock, params string[] connectors)
    {
        foreach (var connector in connectors)
        {
            services.PostConfigure<ConnectorHttpOptions>(connector, o => o.AttemptTimeout = clock.FromWall(TimeSpan.FromSeconds(2)));
        }
    }

    private static async Task<string> DeadLettersAsync(IDeadLetterStore store, string sync) =>
        string.Join("; ", (await store.ListAsync(sync, limit: 20)).Select(d => $"{d.RecordKey} at {d.Step}: {d.Reason}"));

    private static void BreakAfterTenFailures(ConnectorHttpOptions o)
    {
        // The SDK's defaults: open on half of at least 10 requests failing within 30 s, for 30 s.
        o.CircuitMinimumThroughput = 10;
        o.CircuitSamplingDuration = TimeSpan.FromSeconds(30);
        o.CircuitBreakDuration = TimeSpan.FromSeconds(30);
    }

    [Fact]
    public async Task QuickBooksDownTwoMinutes_MidRun_ScheduledRunsInvoiceEveryPaidOrderOnce_NoDeadLetters()
    {
        Directory.CreateDirectory(_directory);
        var state = Path.Combine(_directory, "state.db");
        var clock = new AcceleratedClock(Speed);
        await using var platforms = await OfflinePlatforms.OpenAsync(state, orders: 2_000, seed: 42, faultRate: 0);
        platforms.QuickBooks.RequestsPerSecond = 0;
        platforms.QuickBooks.RequestsPerMinute = 0;
        platforms.QuickBooks.MaxConcurrentRequests = 0;
        platforms.Shopify.Options.MaximumAvailable = 1_000_000;
        platforms.Shopify.Options.RestoreRate = 1_000_000;
        platforms.Shopify.SetAvailablePoints(1_000_000);
        platforms.AddMissingItems(); // every paid order can be invoiced: any dead letter would be the outage's
        var paidOrders = platforms.Shopify.Orders.Where(o => o.FinancialStatus == "PAID").Select(o => o.Name.TrimStart('#')).ToHashSet(StringComparer.Ordinal);

        var builder = SampleHost.CreateBuilder(state, platforms, concurrency: 8);
        FastTransport.Configure(builder.Services, clock, "shopify", "quickbooks");
        builder.Services.PostConfigure<ConnectorHttpOptions>("quickbooks", BreakAfterTenFailures);
        Roomy(builder.Services, clock, "shopify", "quickbooks");
        using var host = builder.Build();
        await host.StartAsync();
        var runner = host.Services.GetRequiredService<ISyncRunner>();
        var health = host.Services.GetRequiredService<HealthCheckService>();
        var deadLetters = host.Services.GetRequiredService<IDeadLetterStore>();
        var watch = Stopwatch.StartNew();

        // The run is under way when QuickBooks starts answering 503 to every API call (its token endpoint still works).
        var running = runner.RunAsync(OrdersToInvoices.SyncName);
        await Polling.UntilAsync(() => Task.FromResult(platforms.QuickBooks.Invoices.Count >= 500 || running.IsCompleted), "500 orders are invoiced");
        running.IsCompleted.Should().BeFalse("the outage must start in the middle of the run");
        foreach (var endpoint in QuickBooksApi)
        {
            platforms.QuickBooks.Faults.Add(endpoint, FaultKind.ServerError, count: 1_000_000);
        }

        var outageStarted = clock.GetUtcNow();
        var invoicedBefore = platforms.QuickBooks.Invoices.Count;
        var first = await running;
        var s = first.Summary;
        output.WriteLine($"run during the outage: {s.Status} {first} after {invoicedBefore} invoices; {s.Error}");

        s.Status.Should().Be(RunStatus.Paused);
        s.Deferred.Should().BeGreaterThan(0);
        s.DeadLettered.Should().Be(0, $"an outage dead-letters nothing ({await DeadLettersAsync(deadLetters, OrdersToInvoices.SyncName)})");
        s.Ambiguous.Should().Be(0);
        s.Read.Should().BeLessThan(2_000, "a paused run stops reading");
        (s.Completed + s.Skipped + s.Filtered + s.Deferred).Should().Be(s.Read);
        s.Error.Should().Contain("quickbooks").And.Match(e => e.Contains("circuit is open", StringComparison.Ordinal) || e.Contains("answered no request", StringComparison.Ordinal),
            "the first records into the outage may meet it before the breaker trips");
        first.Records.Where(r => r.Outcome == RecordOutcome.Deferred).Should().HaveCount(s.Deferred)
            .And.OnlyContain(r => r.Reason!.Contains("quickbooks", StringComparison.Ordinal));
        var connectors = (await health.CheckHealthAsync()).Entries["integrations-connectors"];
        var syncs = (await health.CheckHealthAsync()).Entries["integrations-syncs"];
        output.WriteLine($"health during the outage: connectors {connectors.Status}: {connectors.Description}; syncs {syncs.Status}: {syncs.Description}");
        connectors.Status.Should().NotBe(HealthStatus.Healthy);
        connectors.Description.Should().Contain("quickbooks");
        syncs.Status.Should().Be(HealthStatus.Degraded);
        syncs.Description.Should().Contain("paused").And.Contain("quickbooks");

        // The scheduler runs the sync every 30 s (host clock) while QuickBooks is down: each run pauses at once.
        var runs = new List<RunSummary> { s };
        while (clock.GetUtcNow() < outageStarted + OutageLength)
        {
            await Task.Delay(ScheduleInterval, clock);
            var during = (await runner.RunAsync(OrdersToInvoices.SyncName)).Summary;
            runs.Add(during);
            during.DeadLettered.Should().Be(0);
        }

        // QuickBooks is back; scheduled runs go on, and nobody replays anything.
        platforms.QuickBooks.Faults.Clear();
        var outage = clock.GetUtcNow() - outageStarted;
        RunSummary last;
        var after = 0;
        do
        {
            await Task.Delay(ScheduleInterval, clock);
            last = (await runner.RunAsync(OrdersToInvoices.SyncName)).Summary;
            runs.Add(last);
            after++;
        }
        while ((last.Status != RunStatus.Succeeded || last.Deferred > 0) && after < 10);

        watch.Stop();
        connectors = (await health.CheckHealthAsync()).Entries["integrations-connectors"];
        syncs = (await health.CheckHealthAsync()).Entries["integrations-syncs"];
        await host.StopAsync();
        var invoices = platforms.QuickBooks.Invoices;
        output.WriteLine(
            $"outage {outage.TotalSeconds:0} s (host clock); {runs.Count} runs ({runs.Count(r => r.Status == RunStatus.Paused)} paused, {after} after the outage); " +
            $"deferred {runs.Sum(r => r.Deferred)} (first run {s.Deferred}); dead-lettered {runs.Sum(r => r.DeadLettered)}; " +
            $"paid {paidOrders.Count}, invoices {invoices.Count}, duplicates {platforms.QuickBooks.DuplicateInvoices.Count}; {watch.Elapsed.TotalSeconds:0.0} s wall");

        last.Status.Should().Be(RunStatus.Succeeded);
        last.Deferred.Should().Be(0);
        runs.Sum(r => r.DeadLettered + r.Ambiguous).Should().Be(0);
        (await deadLetters.ListAsync(OrdersToInvoices.SyncName, limit: 10_000)).Should().BeEmpty("nothing waits for a person");
        invoices.Select(i => i.DocNumber).Should().BeEquivalentTo(paidOrders, "every paid order is invoiced exactly once");
        platforms.QuickBooks.DuplicateInvoices.Should().BeEmpty();
        platforms.QuickBooks.DuplicateCustomers.Should().BeEmpty();
        connectors.Status.Should().Be(HealthStatus.Healthy, "the circuit closed after QuickBooks came back");
        syncs.Status.Should().Be(HealthStatus.Healthy);
    }

    [Fact]
    public async Task HubSpotDown_WebhookEventsWaitInTheInbox_ThenEachIsProcessedOnce_NoDeadLetters()
    {
        Directory.CreateDirectory(_directory);
        var clock = new AcceleratedClock(Speed);
        await using var platforms = await FollowUpPlatforms.StartAsync(clock, seed: 21);
        var failures = platforms.FailPayments(200);
        var watch = Stopwatch.StartNew();
        await using var app = FollowUpPlatforms.BuildHost(Path.Combine(_directory, "state.db"), platforms, clock, concurrency: 16,
            services: s =>
            {
                s.PostConfigure<ConnectorHttpOptions>("hubspot", BreakAfterTenFailures);
                Roomy(s, clock, "stripe", "hubspot", "mailchimp-transactional");
            });
        await app.StartAsync();
        var inbox = app.Services.GetRequiredService<IWebhookInbox>();
        var health = app.Services.GetRequiredService<HealthCheckService>();

        // HubSpot answers 503 to everything; Stripe delivers its events meanwhile.
        platforms.HubSpot.Faults.SetRandom(1, seed: 1, FaultKind.ServerError);
        var outageStarted = clock.GetUtcNow();
        var delivered = await platforms.DeliverAsync(app, failures.Select(f => f.EventId));
        delivered.Should().Be(failures.Count);
        var ids = failures.Select(f => InboxMessage.CreateId("stripe", f.EventId)).ToList();

        // Every event has been tried and is back in the inbox, waiting for the outage to end (claimed oldest first:
        // once the last one delivered has waited, all have).
        await Polling.UntilAsync(
            async () => (await inbox.GetAsync(ids[^1]))?.Error?.StartsWith("[deferred", StringComparison.Ordinal) == true,
            "every event was tried and waits in the inbox");
        var waiting = await inbox.CountAsync();
        var sample = (await inbox.GetAsync(ids[0]))!;
        var connectors = (await health.CheckHealthAsync()).Entries["integrations-connectors"];
        output.WriteLine($"inbox during the outage: {waiting}; an event's error: {sample.Error}; connectors {connectors.Status}: {connectors.Description}");
        // Claimed again whenever the break ends (to probe), and put back: none is completed or dead-lettered.
        waiting.Should().BeEquivalentTo(new { Completed = 0, DeadLettered = 0 });
        (waiting.Pending + waiting.Processing).Should().Be(failures.Count);
        sample.Error.Should().Contain("hubspot");
        connectors.Status.Should().NotBe(HealthStatus.Healthy);
        connectors.Description.Should().Contain("hubspot");

        // The outage lasts at least two minutes on the host's clock (longer when the checks above took longer); then
        // HubSpot is back.
        var remaining = outageStarted + OutageLength - clock.GetUtcNow();
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining, clock);
        }

        platforms.HubSpot.Faults.Clear();
        var outage = clock.GetUtcNow() - outageStarted;
        await Polling.UntilAsync(async () => (await inbox.CountAsync()) is { Pending: 0, Processing: 0 }, "the inbox is drained after the outage");
        watch.Stop();
        await app.StopAsync();

        var counts = await inbox.CountAsync();
        var deadLetters = await app.Services.GetRequiredService<IDeadLetterStore>().ListAsync(FollowUp.SyncName, limit: 10_000);
        var runs = await app.Services.GetRequiredService<IRunHistoryStore>().ListAsync(FollowUp.SyncName, limit: 100_000);
        var maxAttempts = 0;
        foreach (var id in ids)
        {
            maxAttempts = Math.Max(maxAttempts, (await inbox.GetAsync(id))!.Attempts);
        }

        var tasks = platforms.HubSpot.Tasks.Count;
        output.WriteLine(
            $"outage {outage.TotalSeconds:0} s (host clock); inbox {counts}; most claims of one event {maxAttempts}; " +
            $"paused runs {runs.Count(r => r.Status == RunStatus.Paused)}, deferred {runs.Sum(r => r.Deferred)}; sync dead letters {deadLetters.Count}; " +
            $"tasks {tasks}, emails {platforms.Mailchimp.Sent.Count}; {watch.Elapsed.TotalSeconds:0.0} s wall");

        counts.Should().Be(new InboxCounts(Pending: 0, Processing: 0, Completed: failures.Count, DeadLettered: 0), "no event is dead-lettered by an outage");
        deadLetters.Should().BeEmpty($"nothing is set aside in the sync either ({string.Join("; ", deadLetters.Take(5).Select(d => $"{d.RecordKey} at {d.Step}: {d.Reason}"))})");
        runs.Sum(r => r.Deferred).Should().BeGreaterThan(0, "the events met the outage");
        tasks.Should().Be(failures.Count, "one follow-up task per failed payment");
        platforms.HubSpot.DuplicateTasks.Should().BeEmpty();
        platforms.Mailchimp.Sent.Should().HaveCount(failures.Count, "one email per failed payment");
        platforms.Mailchimp.Duplicates.Should().BeEmpty();
    }
}
