using Integrations.Sdk.Connectors;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Integrations.Sdk.Tests.Support;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integrations.Sdk.Tests.Pipelines;

/// <summary>
/// docs/operations.md, "Recovering from an outage: the recipe", followed as written by someone on call, on a fake clock
/// against a platform on loopback (WireMock) that goes down and comes back: the check is Unhealthy with a time while
/// the break runs, Degraded (not Unhealthy) once it is over, the next run probes and completes the deferred records,
/// the check is Healthy, and the dead letter the recipe says to replay is replayed. Nothing waits for Healthy, and no
/// step sleeps: the clock is moved past each break.
/// </summary>
public sealed class OutageRecoveryRecipeTests : IDisposable
{
    private const string Orders = "orders";
    private const string Notes = "notes";
    private static readonly TimeSpan Break = TimeSpan.FromSeconds(30);
    private readonly WireMockServer _platform = WireMockServer.Start();
    private readonly TestClock _time = TestHost.Clock();

    public void Dispose() => _platform.Stop();

    private void PlatformDown()
    {
        _platform.Reset();
        _platform.Given(Request.Create().WithPath("/items").UsingPost()).RespondWith(Response.Create().WithStatusCode(503));
    }

    /// <summary>Also forgets the requests logged so far: from now on <see cref="Sent"/> counts the writes after the outage.</summary>
    private void PlatformBack()
    {
        _platform.Reset();
        _platform.Given(Request.Create().WithPath("/items").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody("{\"id\":\"created\",\"name\":\"created\"}"));
    }

    private int Sent => _platform.LogEntries.Count();

    private static string Utc(DateTimeOffset at) => $"{at:yyyy-MM-dd HH:mm:ss}Z";

    [Fact]
    public async Task TheRecipe_AsWritten_EndsHealthy_WithEveryDeferredRecordDone_AndTheOutageDeadLetterReplayed()
    {
        PlatformDown();
        await using var sp = TestHost.Build(_platform.Url!, _time, o =>
        {
            o.MaxRetryAttempts = 0;
            o.CircuitMinimumThroughput = 4;
            o.CircuitBreakDuration = Break;
        }, i =>
        {
            i.AddSync<Order>(Orders, s => s.FromIncremental(_ => new OrderSource(SyncFixture.Orders(5)))
                .Key(o => $"shop:order:{o.Id}")
                .WithConcurrency(1)
                .WithStepRetries(5, TimeSpan.Zero)
                .Map(o => o)
                .Step("create", WriteSafety.IdempotencyKey, (o, c, t) =>
                    c.Services.GetRequiredService<IFakeApi>().CreateItemIdempotentAsync(new FakeItem($"{o.Id}", o.Email!), c.IdempotencyKey, t)));

            // A step of the user's that wraps the connector's exception in its own (and drops its message): the SDK
            // cannot see the outage behind it, so the record is dead-lettered; the recipe's step 4 replays it.
            i.AddSync<string>(Notes, s => s.FromEvents().Key(n => n).WithStepRetries(1, TimeSpan.Zero).Map(n => n)
                .Step("note", WriteSafety.IdempotencyKey, async (n, c, t) =>
                {
                    try
                    {
                        return await c.Services.GetRequiredService<IFakeApi>().CreateItemIdempotentAsync(new FakeItem(n, n), c.IdempotencyKey, t);
                    }
                    catch (PlatformException ex)
                    {
                        throw new InvalidOperationException("could not post the note", ex);
                    }
                }));
        });
        var runner = sp.GetRequiredService<ISyncRunner>();
        var health = sp.GetRequiredService<HealthCheckService>();
        var deadLetters = sp.GetRequiredService<IDeadLetterStore>();
        var api = sp.GetRequiredService<IFakeApi>();
        var outageBegan = _time.GetUtcNow();
        var probedAt = outageBegan + Break;

        // The platform goes down under a run: the first order's attempts trip the breaker, and the run pauses.
        var paused = await runner.RunAsync(Orders);
        paused.Summary.Status.Should().Be(RunStatus.Paused);
        paused.Summary.DeadLettered.Should().Be(0);
        paused.Summary.Deferred.Should().BeGreaterThan(0);
        paused.ResumeAfter.Should().Be(probedAt);
        paused.Summary.Error.Should().Contain($"until about {Utc(probedAt)} (UTC)").And.Contain("nothing to do").And.Contain("reads them again");

        // The circuit_open exception says until when and what to do, in UTC from the injected clock.
        var refused = await FluentActions.Awaiting(() => api.CreateItemIdempotentAsync(new FakeItem("x", "x"), "k")).Should().ThrowAsync<PlatformException>();
        refused.Which.ErrorCode.Should().Be("circuit_open");
        refused.Which.Message.Should().Contain($"refused without being sent until about {Utc(probedAt)} (UTC)")
            .And.Contain("Nothing to do for syncs").And.Contain("deferred and read again by the next run").And.Contain("go back to the inbox");

        // The wrapping step's record is dead-lettered, and its reason still says until when and what to do.
        (await runner.ProcessAsync(Notes, ["note-1"])).Summary.DeadLettered.Should().Be(1);
        var wrapped = (await deadLetters.ListAsync(Notes)).Single();
        wrapped.Reason.Should().Contain("could not post the note").And.Contain("[circuit_open]").And.Contain(Utc(probedAt)).And.Contain("replay it after that time");

        // Recipe step 1: watch integrations-connectors. Unhealthy, with the time it is probed again: nothing to do yet.
        var connectors = (await health.CheckHealthAsync()).Entries["integrations-connectors"];
        connectors.Status.Should().Be(HealthStatus.Unhealthy);
        connectors.Description.Should().Contain($"fake (probed again at {Utc(probedAt)})").And.Contain("nothing to do");
        var syncs = (await health.CheckHealthAsync()).Entries["integrations-syncs"];
        syncs.Status.Should().Be(HealthStatus.Degraded);
        syncs.Description.Should().Contain("paused by an outage").And.Contain(Utc(probedAt));

        // A run that starts now pauses at once, without sending anything (nothing hangs).
        var sent = Sent;
        var meanwhile = await runner.RunAsync(Orders);
        meanwhile.Summary.Status.Should().Be(RunStatus.Paused);
        meanwhile.ResumeAfter.Should().Be(probedAt);
        Sent.Should().Be(sent, "an open circuit sends nothing");

        // Recipe step 2: once that time has passed the check is Degraded, not Unhealthy: the next request probes.
        _time.Advance(Break + TimeSpan.FromSeconds(1));
        connectors = (await health.CheckHealthAsync()).Entries["integrations-connectors"];
        connectors.Status.Should().Be(HealthStatus.Degraded);
        connectors.Description.Should().Contain("circuit break over, the next request probes: fake");

        // Still down: the run now probes, the probe fails, the circuit opens again: back to step 1 with a new time.
        var reprobed = await runner.RunAsync(Orders);
        reprobed.Summary.Status.Should().Be(RunStatus.Paused);
        reprobed.Summary.DeadLettered.Should().Be(0);
        Sent.Should().Be(sent + 1, "one probe, then the circuit refuses again");
        var probedAgainAt = _time.GetUtcNow() + Break;
        reprobed.ResumeAfter.Should().Be(probedAgainAt);
        connectors = (await health.CheckHealthAsync()).Entries["integrations-connectors"];
        connectors.Status.Should().Be(HealthStatus.Unhealthy);
        connectors.Description.Should().Contain($"fake (probed again at {Utc(probedAgainAt)})");

        // The platform comes back during the break; step 2 again once the new time has passed.
        PlatformBack();
        (await health.CheckHealthAsync()).Entries["integrations-connectors"].Status.Should().Be(HealthStatus.Unhealthy, "nobody has asked it yet");
        _time.Advance(Break + TimeSpan.FromSeconds(1));
        (await health.CheckHealthAsync()).Entries["integrations-connectors"].Status.Should().Be(HealthStatus.Degraded);
        var report = await runner.RunAsync(Orders);

        // Recipe step 3: the platform answered; the run completed the deferred records; the connector is Healthy.
        report.Summary.Status.Should().Be(RunStatus.Succeeded);
        report.Summary.Deferred.Should().Be(0);
        report.Summary.DeadLettered.Should().Be(0);
        report.Summary.Completed.Should().Be(5, "every order met the outage, so every one is completed now, once");
        (await health.CheckHealthAsync()).Entries["integrations-connectors"].Status.Should().Be(HealthStatus.Healthy);
        (await health.CheckHealthAsync()).Entries["integrations-syncs"].Status.Should().Be(HealthStatus.Degraded, "the wrapped note still waits in the dead letters");

        // Recipe step 4, as written: replay the Failed dead letters the outage left.
        foreach (var entry in await deadLetters.ListAsync(Notes, cancellationToken: CancellationToken.None))
        {
            if (entry.Kind == DeadLetterKind.Failed && (entry.Reason.Contains("[circuit_open]", StringComparison.Ordinal) || entry.UpdatedAt >= outageBegan))
            {
                var replay = await runner.ReplayAsync(entry.Id, cancellationToken: CancellationToken.None);
                replay.Summary.Status.Should().NotBe(RunStatus.Paused, "the platform is back");
                replay.Summary.Completed.Should().Be(1);
            }
        }

        (await deadLetters.ListAsync()).Should().BeEmpty("a replay that completes removes its dead letter");
        var end = await health.CheckHealthAsync();
        end.Entries["integrations-connectors"].Status.Should().Be(HealthStatus.Healthy);
        end.Entries["integrations-syncs"].Status.Should().Be(HealthStatus.Healthy);
        Sent.Should().Be(6, "since it came back: five orders and one note, each written once");
    }
}
