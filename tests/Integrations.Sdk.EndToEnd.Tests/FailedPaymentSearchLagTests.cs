using FailedPaymentFollowUp;
using Integrations.Sdk.HubSpot;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Integrations.Sdk.Stripe.Models;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.HubSpot;
using Integrations.Sdk.Testing.MailchimpTransactional;
using Integrations.Sdk.Testing.Stripe;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.EndToEnd.Tests;

/// <summary>
/// The failed-payment sync (the sample's, unchanged) against a HubSpot simulator whose search index lags creations,
/// as HubSpot's does, on a fake clock the test moves on: a task created by an attempt whose answer was lost (or that
/// timed out) is found by the retry's lookup only because the step waits the connector's
/// <see cref="HubSpotOptions.SearchIndexLag"/> first, in the same process and after a restart on the same SQLite state.
/// </summary>
public sealed class FailedPaymentSearchLagTests : IAsyncLifetime
{
    private const int Payments = 6;
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "integrations-e2e", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(Start);
    private readonly StripeSimulator _stripe;
    private readonly HubSpotSimulator _hubSpot;
    private readonly MailchimpTransactionalSimulator _mailchimp;

    public FailedPaymentSearchLagTests()
    {
        _stripe = new StripeSimulator(timeProvider: _time, seed: 3);
        _hubSpot = new HubSpotSimulator(_time, seed: 3) { RequestsPerWindow = 0 };
        _mailchimp = new MailchimpTransactionalSimulator(_time, seed: 3);
        _hubSpot.Faults.Hang = TimeSpan.FromMinutes(1);   // a held request ends when the client gives up (its attempt timeout, on the fake clock)
    }

    private string StatePath => Path.Combine(_directory, "state.db");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _mailchimp.AddTemplate(FollowUp.Template);
        foreach (var property in FollowUp.ContactProperties)
        {
            _hubSpot.AddProperty("contacts", property);
        }
        foreach (var simulator in new SimulatorHost[] { _stripe, _hubSpot, _mailchimp })
        {
            await simulator.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        await _stripe.DisposeAsync();
        await _hubSpot.DisposeAsync();
        await _mailchimp.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task LostAndTimedOutTaskCreations_AgainstTheLaggingSearch_LeaveExactlyOneTaskPerFailedPayment()
    {
        _hubSpot.Faults.Add("tasks.create", FaultKind.CommitThenDrop, 3);
        _hubSpot.Faults.Add("tasks.create", FaultKind.Timeout, 3);
        await using var host = Host();

        var report = await PumpUntilDoneAsync(host.GetRequiredService<ISyncRunner>().ProcessAsync(FollowUp.SyncName, Failures()));

        _hubSpot.Faults.InjectedTotal.Should().Be(6);
        report.Summary.Completed.Should().Be(Payments);
        _hubSpot.Tasks.Should().HaveCount(Payments, "one task per failed payment");
        _hubSpot.DuplicateTasks.Should().BeEmpty();
        _mailchimp.Sent.Should().HaveCount(Payments);
    }

    [Fact]
    public async Task WithoutTheDelay_TheLaggingSearchMissesTheLostTasks_AndTheyAreCreatedTwice()
    {
        _hubSpot.Faults.Add("tasks.create", FaultKind.CommitThenDrop, 3);
        await using var host = Host(searchIndexLag: TimeSpan.Zero);

        var report = await PumpUntilDoneAsync(host.GetRequiredService<ISyncRunner>().ProcessAsync(FollowUp.SyncName, Failures()));

        report.Summary.Completed.Should().Be(Payments);
        _hubSpot.DuplicateTasks.Should().HaveCount(3, "each lost creation is searched for 200 ms later, before the index has it");
    }

    [Fact]
    public async Task AfterARestart_TheNewHostFindsTheStartedMemo_WaitsTheRest_AndCreatesNoSecondTask()
    {
        _hubSpot.Faults.Add("tasks.create", FaultKind.CommitThenDrop, Payments);
        var failures = Failures();

        // The first host sends every task, loses every answer, and stops (the clock stands still: its retries wait).
        await using (var first = Host())
        {
            using var stop = new CancellationTokenSource();
            var run = first.GetRequiredService<ISyncRunner>().ProcessAsync(FollowUp.SyncName, failures, cancellationToken: stop.Token);
            await IntegrationsTestHost.UntilAsync(() => _hubSpot.Tasks.Count == Payments, "every task created, its answer lost");
            var logs = first.GetRequiredService<FakeLogCollector>();
            await IntegrationsTestHost.UntilAsync(() => logs.GetSnapshot().Count(r => r.Id.Id == StepFailed) == Payments,
                "every lost answer seen and noted in the memo");
            await stop.CancelAsync();
            await run.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        SqliteConnection.ClearAllPools();
        _time.Advance(TimeSpan.FromSeconds(1));   // the restart takes a second: within HubSpot's search lag
        await using var second = Host();
        var memos = second.GetRequiredService<IStepMemoStore>();
        foreach (var failure in failures)
        {
            var memo = (await memos.GetRecordAsync(FollowUp.SyncName, Key(failure))).Single(m => m.Step == "follow-up-task");
            memo.State.Should().Be(StepState.Started, "the first host never learnt whether the task was created");
        }

        var report = await PumpUntilDoneAsync(second.GetRequiredService<ISyncRunner>().ProcessAsync(FollowUp.SyncName, failures));

        report.Summary.Completed.Should().Be(Payments);
        _hubSpot.Tasks.Should().HaveCount(Payments, "the second host found each task the first one created");
        _hubSpot.DuplicateTasks.Should().BeEmpty();
    }

    /// <summary>The SDK's event "step attempt failed", logged once the failure is noted in the step memo.</summary>
    private const int StepFailed = 2006;

    private static string Key(StripeInvoicePaymentFailed failure) => $"stripe:invoice:{failure.InvoiceId}:attempt:{failure.AttemptCount}";

    private List<StripeInvoicePaymentFailed> Failures() =>
        [.. Enumerable.Range(1, Payments).Select(i => new StripeInvoicePaymentFailed(
            $"evt_{i}", $"in_{i}", $"cus_{i}", $"customer{i}@example.com", 1900 + i, "usd", 1, null, $"sub_{i}", $"https://invoice.example/{i}", Start))];

    /// <summary>The sample's sync on SQLite state, the three connectors pointed at the simulators, on the fake clock.</summary>
    private ServiceProvider Host(TimeSpan? searchIndexLag = null) => IntegrationsTestHost.Build(_time, i => i
        .UseSqliteState(StatePath)
        .AddStripe(o =>
        {
            o.ApiKey = _stripe.ApiKey;
            o.WebhookSecret = _stripe.WebhookSecret;
            o.BaseAddress = _stripe.BaseAddress;
        })
        .AddHubSpot(o =>
        {
            o.AccessToken = _hubSpot.AccessToken;
            o.BaseAddress = _hubSpot.BaseAddress;
            o.SearchIndexLag = searchIndexLag ?? o.SearchIndexLag;
        })
        .AddMailchimpTransactional(o =>
        {
            o.ApiKey = _mailchimp.ApiKey;
            o.BaseAddress = _mailchimp.ApiBaseAddress;
            o.FromEmail = "billing@example.com";
        })
        .AddFailedPaymentFollowUp(), services => services.AddFakeLogging());

    /// <summary>
    /// Moves the fake clock on, 25 ms every 2 ms or more of wall time, until the run ends (bounded). Not faster: an
    /// answer the loaded machine serves late must not outrun the client's 30 s attempt timeout on the fake clock.
    /// </summary>
    private async Task<RunReport> PumpUntilDoneAsync(Task<RunReport> run)
    {
        for (var i = 0; i < 20_000 && !run.IsCompleted; i++)
        {
            await Task.Delay(2);
            _time.Advance(TimeSpan.FromMilliseconds(25));
        }

        run.IsCompleted.Should().BeTrue("the run ends");
        return await run;
    }
}
