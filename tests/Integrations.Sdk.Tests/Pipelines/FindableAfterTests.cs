using Integrations.Sdk.Connectors;
using Integrations.Sdk.Connectors.Kit;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Integrations.Sdk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.Tests.Pipelines;

/// <summary>
/// A lookup-then-create step whose platform finds a write only some time after it (a search index that lags): after
/// an ambiguous attempt the runner waits <see cref="ILookupThenCreateOperation{TInput, TResult}.FindableAfter"/>,
/// counted from that attempt's time in the step memo, before it looks. On the fake clock.
/// </summary>
public sealed class FindableAfterTests
{
    private static readonly TimeSpan Lag = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan Declared = TimeSpan.FromSeconds(10);
    private const string Key = "shop:order:1";

    private static SyncFixture Fixture(LaggingPlatform platform, TimeSpan findableAfter) => new(
        SyncFixture.Orders(1),
        (s, _) => s.Map(SyncFixture.OrderToInvoice).Step(
            "customer",
            _ => SinkOperation.LookupThenCreate<InvoiceDraft, string>(
                    (d, _, _) => Task.FromResult(platform.Find(d.Email)),
                    (d, _, _) => Task.FromResult(platform.Create(d.Email)))
                .WithFindableAfter(findableAfter),
            (d, _) => d));

    /// <summary>Runs the sync while the fake clock moves on in steps of a second, until the run ends.</summary>
    private static async Task<RunReport> RunWhileTimePassesAsync(SyncFixture f)
    {
        var run = f.Runner.RunAsync(SyncFixture.Sync);
        for (var i = 0; i < 200 && !run.IsCompleted; i++)
        {
            await Task.Delay(10);
            f.Time.Advance(TimeSpan.FromSeconds(1));
        }

        run.IsCompleted.Should().BeTrue("the run ends once the wait is over");
        return await run;
    }

    [Fact]
    public async Task ResponseLost_TheInRunRetryWaitsUntilTheWriteIsFindable_AndCreatesNothingMore()
    {
        var platform = new LaggingPlatform(Lag) { DropFirstCreate = true };
        await using var f = Fixture(platform, Declared);
        platform.Time = f.Time;

        var report = await RunWhileTimePassesAsync(f);

        report.Summary.Completed.Should().Be(1);
        platform.Created.Should().ContainSingle("the retry found the first attempt's customer");
        var dropped = platform.Created[0].At;
        platform.Lookups.Skip(1).Should().NotBeEmpty().And.OnlyContain(at => at >= dropped + Declared,
            "no lookup after the lost response comes before the declared delay has passed");
    }

    [Fact]
    public async Task WithoutTheDelay_TheLaggingLookupMissesTheWrite_AndCreatesADuplicate()
    {
        var platform = new LaggingPlatform(Lag) { DropFirstCreate = true };
        await using var f = Fixture(platform, TimeSpan.Zero);
        platform.Time = f.Time;

        var report = await RunWhileTimePassesAsync(f);

        report.Summary.Completed.Should().Be(1);
        platform.Created.Should().HaveCount(2, "this is the duplicate the delay prevents");
    }

    [Fact]
    public async Task AfterARestart_AStartedMemoOneSecondOld_WaitsOnlyTheRest()
    {
        var platform = new LaggingPlatform(Lag);
        await using var f = Fixture(platform, Declared);
        platform.Time = f.Time;
        // A previous process sent the create a second ago and stopped before the answer: the memo says Started.
        var restarted = f.Time.GetUtcNow();
        var sent = restarted - TimeSpan.FromSeconds(1);
        platform.Created.Add(("buyer1@example.com", sent));
        await f.Get<IStepMemoStore>().SaveAsync(new StepMemo(SyncFixture.Sync, Key, "customer", StepState.Started, null, 0, 1, sent));

        var report = await RunWhileTimePassesAsync(f);

        report.Summary.Completed.Should().Be(1);
        platform.Created.Should().ContainSingle();
        platform.Lookups.Should().NotBeEmpty();
        platform.Lookups[0].Should().BeOnOrAfter(restarted + Declared - TimeSpan.FromSeconds(1), "the wait counts from the memo's time")
            .And.BeBefore(restarted + Declared, "the second already passed is not waited again");
    }

    [Fact]
    public void FindableAfter_OutOfRange_IsRefused_AndTheDefaultIsZero()
    {
        var operation = SinkOperation.LookupThenCreate<string, string>((_, _, _) => Task.FromResult<string?>(null), (i, _, _) => Task.FromResult(i));

        operation.FindableAfter.Should().Be(TimeSpan.Zero);
        operation.WithFindableAfter(Declared).FindableAfter.Should().Be(Declared);
        operation.WithFindableAfter(Declared).WithFindableAfter(TimeSpan.FromSeconds(3)).FindableAfter.Should().Be(TimeSpan.FromSeconds(3));
        ((Action)(() => operation.WithFindableAfter(TimeSpan.FromSeconds(-1)))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("findableAfter");
        ((Action)(() => operation.WithFindableAfter(TimeSpan.FromDays(2)))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("findableAfter");
    }

    /// <summary>A platform whose lookup finds a created customer only <c>lag</c> after its creation.</summary>
    private sealed class LaggingPlatform(TimeSpan lag)
    {
        private readonly Lock _gate = new();

        public FakeTimeProvider Time { get; set; } = null!;

        public bool DropFirstCreate { get; set; }

        public List<(string Email, DateTimeOffset At)> Created { get; } = [];

        public List<DateTimeOffset> Lookups { get; } = [];

        public string? Find(string email)
        {
            lock (_gate)
            {
                var now = Time.GetUtcNow();
                Lookups.Add(now);
                return Created.Any(c => c.Email == email && c.At + lag <= now) ? "cus_" + email : null;
            }
        }

        public string Create(string email)
        {
            lock (_gate)
            {
                Created.Add((email, Time.GetUtcNow()));
                if (DropFirstCreate && Created.Count == 1)
                {
                    throw FakeLedger.ResponseLost();
                }

                return "cus_" + email;
            }
        }
    }
}
