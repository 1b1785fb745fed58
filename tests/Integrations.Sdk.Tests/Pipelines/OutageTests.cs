using System.Net;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Integrations.Sdk.Tests.Support;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integrations.Sdk.Tests.Pipelines;

/// <summary>
/// A platform that is down is waited out: records that meet its open circuit are deferred (not dead-lettered), the run
/// pauses with a reason, the checkpoint stays before them, and the next run finishes each exactly once.
/// </summary>
public sealed class OutageTests
{
    private static Exception CircuitOpen() =>
        new PlatformException("ledger", null, "circuit_open", "the circuit is open after repeated failures; requests are paused",
            isRetryable: true, retryAfter: TimeSpan.FromSeconds(30));

    private static Exception Refused() =>
        new PlatformException("ledger", null, "transport_connectionerror", "Connection refused (127.0.0.1:1)", isRetryable: true);

    [Fact]
    public async Task OpenCircuit_PausesTheRun_DefersRecordsWithoutDeadLetters_AndTheNextRunFinishesEachOnce()
    {
        await using var f = new SyncFixture(SyncFixture.Orders(600));
        f.Ledger.Fail("invoice", CircuitOpen, times: 1);

        var paused = await f.Runner.RunAsync(SyncFixture.Sync);

        var s = paused.Summary;
        s.Status.Should().Be(RunStatus.Paused);
        s.Deferred.Should().BeGreaterThan(0);
        s.DeadLettered.Should().Be(0, "an outage is not the record's fault");
        (s.Completed + s.Skipped + s.Filtered + s.DeadLettered + s.Ambiguous + s.Deferred).Should().Be(s.Read);
        s.Read.Should().BeLessThan(600, "a paused run stops reading the source (600 orders: more than the read-ahead and the records in flight when the pause is seen)");
        s.Error.Should().Contain("ledger").And.Contain("circuit is open").And.Contain("2026-11-28 02:00:30Z");
        paused.ResumeAfter.Should().Be(TestHost.Start + TimeSpan.FromSeconds(30));
        paused.ToString().Should().EndWith($" deferred={s.Deferred}");
        paused.Records.Where(r => r.Outcome == RecordOutcome.Deferred).Should().HaveCount(s.Deferred)
            .And.OnlyContain(r => r.Reason!.Contains("ledger", StringComparison.Ordinal));
        (await f.Get<IDeadLetterStore>().ListAsync(SyncFixture.Sync, 100)).Should().BeEmpty();

        var firstDeferred = paused.Records.Where(r => r.Outcome == RecordOutcome.Deferred).Min(r => int.Parse(r.RecordKey["shop:order:".Length..], System.Globalization.CultureInfo.InvariantCulture));
        var checkpoint = await f.Get<ICheckpointStore>().GetAsync(SyncFixture.Sync);
        (checkpoint is null ? 0 : int.Parse(checkpoint, System.Globalization.CultureInfo.InvariantCulture)).Should().BeLessThan(firstDeferred, "the checkpoint stays before every deferred record");
        (await f.Get<IRunHistoryStore>().ListAsync(SyncFixture.Sync, 1)).Single().Should().BeEquivalentTo(s, "the run history keeps the deferred count and the reason");

        var resumed = await f.Runner.RunAsync(SyncFixture.Sync);

        resumed.Summary.Status.Should().Be(RunStatus.Succeeded);
        resumed.Summary.DeadLettered.Should().Be(0);
        (s.Completed + resumed.Summary.Completed).Should().Be(600, "every order is invoiced once: deferred ones now, finished ones skipped");
        f.Ledger.Invoices.Should().Be(600);
        f.Ledger.InvoiceKeysSeen.Distinct().Should().HaveCount(600, "the deferred invoice is resent with the same idempotency key");
    }

    [Fact]
    public async Task UnreachablePlatform_AfterTheStepRetries_DefersToo()
    {
        await using var f = new SyncFixture(SyncFixture.Orders(1));
        f.Ledger.Fail("invoice", Refused, times: 3); // every one of the step's 3 attempts

        var report = await f.Runner.RunAsync(SyncFixture.Sync);

        report.Summary.Status.Should().Be(RunStatus.Paused);
        report.Summary.DeadLettered.Should().Be(0);
        report.Summary.Error.Should().Contain("ledger could not be reached");
        var again = await f.Runner.RunAsync(SyncFixture.Sync);
        again.Summary.Status.Should().Be(RunStatus.Succeeded);
        f.Ledger.Invoices.Should().Be(1);
    }

    [Fact]
    public async Task AmbiguousWrite_ThenOpenCircuit_StaysStarted_AndIsResentWithTheSameKeyNextRun()
    {
        await using var f = new SyncFixture(SyncFixture.Orders(1));

        // The first attempt's response is lost after the ledger applied it; the retry meets the open circuit.
        f.Ledger.Fail("invoice", FakeLedger.ResponseLost, times: 1, applyFirst: true);
        f.Ledger.Fail("invoice", CircuitOpen, times: 1);

        var paused = await f.Runner.RunAsync(SyncFixture.Sync);

        paused.Summary.Deferred.Should().Be(1);
        var memo = (await f.Get<IStepMemoStore>().GetRecordAsync(SyncFixture.Sync, "shop:order:1")).Single(m => m.Step == "invoice");
        memo.State.Should().Be(StepState.Started, "the write may have happened: a deferral does not forget that");

        var resumed = await f.Runner.RunAsync(SyncFixture.Sync);

        resumed.Summary.Completed.Should().Be(1);
        f.Ledger.Invoices.Should().Be(1);
        f.Ledger.InvoiceKeysSeen.Distinct().Should().ContainSingle("every attempt carries the same idempotency key");
    }

    [Fact]
    public async Task ReplayDuringAnOutage_KeepsTheDeadLetter()
    {
        await using var f = new SyncFixture(SyncFixture.Orders(1));
        f.Ledger.Fail("invoice", () => FakeLedger.Refused(), times: 1);
        (await f.Runner.RunAsync(SyncFixture.Sync)).Summary.DeadLettered.Should().Be(1);
        var entry = (await f.Get<IDeadLetterStore>().ListAsync(SyncFixture.Sync, 10)).Single();

        f.Ledger.Fail("invoice", CircuitOpen, times: 1);
        var replay = await f.Runner.ReplayAsync(entry.Id);

        replay.Summary.Status.Should().Be(RunStatus.Paused);
        replay.Records.Single().Outcome.Should().Be(RecordOutcome.Deferred);
        replay.Summary.Error.Should().Contain("until about 2026-11-28 02:00:30Z (UTC)").And.Contain("a replay that met it keeps its dead letter: replay it again after that time");
        (await f.Get<IDeadLetterStore>().GetAsync(entry.Id)).Should().NotBeNull("a record deferred in a replay stays where it was");
        (await f.Runner.ReplayAsync(entry.Id)).Summary.Completed.Should().Be(1);
        f.Ledger.Invoices.Should().Be(1);
    }

    [Fact]
    public async Task PlatformFailingEveryone_BeforeItsBreakerTrips_DefersTheRecord_UntilItHasFailedInThreeRuns()
    {
        // The first records into an outage run out of step retries while the breaker is still closed (here it never
        // trips). A platform that answered nobody since the record's first attempt is down: the record waits. A record
        // met that way run after run is dead-lettered at last, so one write the platform always fails cannot hold the
        // sync back for ever.
        var server = WireMockServer.Start();
        try
        {
            var time = TestHost.Clock();
            server.Given(Request.Create().WithPath("/items").UsingPost()).RespondWith(Response.Create().WithStatusCode(503));
            await using var sp = TestHost.Build(server.Url!, time, o =>
            {
                o.MaxRetryAttempts = 0;
                o.CircuitMinimumThroughput = 1_000;
            }, i => i.AddSync<string>("items", s => s.FromEvents().Key(x => x).WithStepRetries(3, TimeSpan.Zero).Map(x => x)
                .Step("create", WriteSafety.IdempotencyKey, (x, c, t) => c.Services.GetRequiredService<IFakeApi>().CreateItemIdempotentAsync(new FakeItem(x, x), c.IdempotencyKey, t))));
            var runner = sp.GetRequiredService<ISyncRunner>();

            for (var run = 1; run <= 2; run++)
            {
                var paused = await runner.ProcessAsync("items", ["a"]);
                paused.Summary.Status.Should().Be(RunStatus.Paused, $"run {run} meets a platform that answers nobody");
                paused.Summary.Deferred.Should().Be(1);
                paused.Summary.Error.Should().Contain("fake has answered no request sent since");
            }

            var given = await runner.ProcessAsync("items", ["a"]);
            given.Summary.DeadLettered.Should().Be(1, "in its third run the record has had three runs' worth of attempts and is set aside like any failure");

            // The breaker never tripped, yet the health check does not call a platform failing everyone healthy.
            var failing = (await sp.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["integrations-connectors"];
            failing.Status.Should().Be(HealthStatus.Degraded);
            failing.Description.Should().Contain("failing every request (circuit still closed): fake (no answer yet)");

            // Once the platform answers anyone, a record it keeps failing is the record's own problem.
            server.Given(Request.Create().WithPath("/items").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{\"items\":[]}"));
            await sp.GetRequiredService<IFakeApi>().ListItemsAsync();
            (await sp.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["integrations-connectors"].Status.Should().Be(HealthStatus.Healthy, "it answered again");
            var other = await runner.ProcessAsync("items", ["b"]);
            other.Summary.Status.Should().Be(RunStatus.Succeeded);
            other.Summary.DeadLettered.Should().Be(1);
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public async Task ConnectorHealth_NamesTheProbeTime_AndIsNotUnhealthyOnceTheBreakIsOver()
    {
        var server = WireMockServer.Start();
        try
        {
            var time = TestHost.Clock();
            server.Given(Request.Create().WithPath("/items").UsingGet()).RespondWith(Response.Create().WithStatusCode(500));
            await using var sp = TestHost.Build(server.Url!, time, o =>
            {
                o.MaxRetryAttempts = 0;
                o.CircuitMinimumThroughput = 4;
                o.CircuitBreakDuration = TimeSpan.FromSeconds(30);
            });
            var api = sp.GetRequiredService<IFakeApi>();
            for (var i = 0; i < 4; i++)
            {
                await FluentActions.Awaiting(() => api.ListItemsAsync()).Should().ThrowAsync<PlatformException>();
            }

            var health = sp.GetRequiredService<HealthCheckService>();
            var open = (await health.CheckHealthAsync()).Entries["integrations-connectors"];
            open.Status.Should().Be(HealthStatus.Unhealthy);
            open.Description.Should().Contain("fake").And.Contain("probed again at 2026-11-28 02:00:30Z");

            // Nothing calls the platform after the break: Polly still says Open, the check must not.
            time.Advance(TimeSpan.FromSeconds(31));
            var over = (await health.CheckHealthAsync()).Entries["integrations-connectors"];
            over.Status.Should().Be(HealthStatus.Degraded);
            over.Description.Should().Contain("the next request probes").And.Contain("fake");

            server.Reset();
            server.Given(Request.Create().WithPath("/items").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{\"items\":[]}"));
            await api.ListItemsAsync();
            (await health.CheckHealthAsync()).Entries["integrations-connectors"].Status.Should().Be(HealthStatus.Healthy);
        }
        finally
        {
            server.Stop();
        }
    }

    [Fact]
    public async Task AnswerToARequestSentBeforeTheRecordFirstFailed_IsNoSignOfLife_TheRecordIsDeferred()
    {
        // A request under way when the outage begins can be answered after the records caught in it have failed.
        // Dated by its answer it passed for a sign of life, and those records were dead-lettered (seven in a CI run);
        // dated by when it was sent, it does not count.
        var server = WireMockServer.Start();
        var gate = new GateHandler();
        try
        {
            var time = TestHost.Clock();
            server.Given(Request.Create().WithPath("/items").UsingPost()).RespondWith(Response.Create().WithStatusCode(503));
            server.Given(Request.Create().WithPath("/items").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{\"items\":[]}"));
            Task? underWay = null;
            var attempts = 0;
            await using var sp = TestHost.Build(server.Url!, time, o =>
            {
                o.MaxRetryAttempts = 0;
                o.CircuitMinimumThroughput = 1_000;
            }, i => i.AddSync<string>("items", s => s.FromEvents().Key(x => x).WithStepRetries(3, TimeSpan.Zero).Map(x => x)
                .Step("create", WriteSafety.IdempotencyKey, async (x, c, t) =>
                {
                    var api = c.Services.GetRequiredService<IFakeApi>();
                    if (++attempts == 1)
                    {
                        // Another record's read leaves before the outage and is held on the wire...
                        underWay = api.ListItemsAsync(cancellationToken: t);
                        await gate.Entered.WaitAsync(TimeSpan.FromSeconds(10), t);
                        time.Advance(TimeSpan.FromSeconds(1));
                    }
                    else if (attempts == 2)
                    {
                        // ...and is answered only after this record's first failure.
                        gate.Release();
                        await underWay!;
                    }

                    return await api.CreateItemIdempotentAsync(new FakeItem(x, x), c.IdempotencyKey, t);
                })), services => services.AddSingleton<IHttpMessageHandlerBuilderFilter>(new GateFilter(gate)));
            var runner = sp.GetRequiredService<ISyncRunner>();

            var run = await runner.ProcessAsync("items", ["a"]);

            attempts.Should().Be(3);
            run.Summary.Status.Should().Be(RunStatus.Paused, "nothing sent since the record first failed was answered");
            run.Summary.Deferred.Should().Be(1);
            run.Summary.DeadLettered.Should().Be(0);
        }
        finally
        {
            gate.Release();
            server.Stop();
        }
    }

    /// <summary>Holds GET requests on the wire (innermost handler, after the SDK's pipeline) until released.</summary>
    private sealed class GateHandler : DelegatingHandler
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public void Release() => _released.TrySetResult();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Get)
            {
                _entered.TrySetResult();
                await _released.Task.WaitAsync(cancellationToken);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class GateFilter(GateHandler gate) : IHttpMessageHandlerBuilderFilter
    {
        public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
        {
            next(builder);
            builder.AdditionalHandlers.Add(gate);
        };
    }
}
