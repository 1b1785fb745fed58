using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.DependencyInjection;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.Tests.Scheduling;

/// <summary>
/// The hosted scheduler on a fake clock: the test moves the clock only once the scheduler's timer for the next run is
/// armed (<see cref="SyncScheduler.NextRun(string)"/>), and waits for runs by the source's reads, so nothing sleeps.
/// </summary>
public sealed class SyncSchedulerTests
{
    private const string Sync = "nightly";

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0, int second = 0) => new(2026, month, day, hour, minute, second, TimeSpan.Zero);

    [Fact]
    public async Task Cron_InBerlin_RunsAtTwoOClockLocalTime_AcrossTheSpringChange()
    {
        await using var host = await ScheduledHost.StartAsync(Utc(3, 27, 12), s => s.Cron("0 2 * * *", Zones.Berlin));

        // No run at start (none recorded, none missed); then 02:00 CET, 03:00 CEST (02:00 does not exist), 02:00 CEST.
        await host.AdvanceToNextRunAsync(Utc(3, 28, 1), runsSoFar: 0);
        await host.AdvanceToNextRunAsync(Utc(3, 29, 1), runsSoFar: 1);
        await host.AdvanceToNextRunAsync(Utc(3, 30, 0), runsSoFar: 2);
        await host.UntilNextRunAsync(Utc(3, 31, 0));

        host.Source.Reads.Should().Equal(Utc(3, 28, 1), Utc(3, 29, 1), Utc(3, 30, 0));
    }

    [Fact]
    public async Task DailyAt_RunsEveryDayAtThatLocalTime()
    {
        await using var host = await ScheduledHost.StartAsync(Utc(1, 10, 12), s => s.DailyAt(new TimeOnly(7, 30), Zones.Berlin));

        await host.AdvanceToNextRunAsync(Utc(1, 11, 6, 30), runsSoFar: 0);
        await host.AdvanceToNextRunAsync(Utc(1, 12, 6, 30), runsSoFar: 1);
        await host.UntilNextRunAsync(Utc(1, 13, 6, 30));

        host.Source.Reads.Should().Equal(Utc(1, 11, 6, 30), Utc(1, 12, 6, 30));
    }

    [Fact]
    public async Task Every_RunsAtStart_ThenAtAFixedRateFromTheStart()
    {
        var start = Utc(5, 4, 9, 0, 7);
        await using var host = await ScheduledHost.StartAsync(start, s => s.Every(TimeSpan.FromMinutes(5)));

        await host.UntilNextRunAsync(start.AddMinutes(5));
        host.Source.Reads.Should().Equal(start);
        await host.AdvanceToNextRunAsync(start.AddMinutes(5), runsSoFar: 1);
        await host.AdvanceToNextRunAsync(start.AddMinutes(10), runsSoFar: 2);
        await host.UntilNextRunAsync(start.AddMinutes(15));

        host.Source.Reads.Should().Equal(start, start.AddMinutes(5), start.AddMinutes(10));
    }

    [Fact]
    public async Task Every_WithoutTheStartupRun_FirstRunsOneIntervalAfterTheStart()
    {
        var start = Utc(5, 4, 9);
        await using var host = await ScheduledHost.StartAsync(start, s => s.OnSchedule(SyncSchedule.Every(TimeSpan.FromMinutes(5)).WithStartupRun(false)));

        await host.AdvanceToNextRunAsync(start.AddMinutes(5), runsSoFar: 0);
        await host.UntilNextRunAsync(start.AddMinutes(10));

        host.Source.Reads.Should().Equal(start.AddMinutes(5));
    }

    [Fact]
    public async Task Cron_WithTheStartupRun_RunsAtStartToo()
    {
        var start = Utc(5, 4, 9);
        await using var host = await ScheduledHost.StartAsync(start, s => s.OnSchedule(SyncSchedule.Cron("0 2 * * *").WithStartupRun()));

        await host.UntilNextRunAsync(Utc(5, 5, 2));

        host.Source.Reads.Should().Equal(start);
    }

    [Fact]
    public async Task RunsMissedWhileTheHostWasDown_AreCaughtUpOnce_AtStart()
    {
        // The last run was on the night of 25 March; the host was down for the nights of the 26th, 27th and 28th.
        var start = Utc(3, 28, 9);
        await using var host = await ScheduledHost.StartAsync(
            start, s => s.Cron("0 2 * * *", Zones.Berlin), seed: [Run(Utc(3, 25, 1), RunStatus.Succeeded)]);

        await host.UntilNextRunAsync(Utc(3, 29, 1));

        host.Source.Reads.Should().Equal(start);
        (await host.History()).Select(r => r.StartedAt).Should().Equal(start, Utc(3, 25, 1));
        host.Logs.Should().ContainSingle(r => r.Id.Id == 2061)
            .Which.Message.Should().Contain("the run due at 2026-03-26T01:00:00.0000000+00:00 was missed").And.Contain("running once now");
    }

    [Theory]
    [InlineData(RunStatus.Succeeded, false)]
    [InlineData(RunStatus.Failed, false)]
    [InlineData(RunStatus.Cancelled, true)]
    public async Task AtStart_TheLastOccurrenceServedByARun_IsNotRunAgain_UnlessThatRunWasCutShort(RunStatus lastStatus, bool catchesUp)
    {
        // The run of the night of 28 March started on time; it counts unless a shutdown cancelled it.
        var start = Utc(3, 28, 9);
        await using var host = await ScheduledHost.StartAsync(
            start, s => s.Cron("0 2 * * *", Zones.Berlin), seed: [Run(Utc(3, 27, 1), RunStatus.Succeeded), Run(Utc(3, 28, 1), lastStatus)]);

        await host.UntilNextRunAsync(Utc(3, 29, 1));

        host.Source.Reads.Should().HaveCount(catchesUp ? 1 : 0);
    }

    [Fact]
    public async Task AtStart_WhenTheNewestRunsAllCameAfterTheStart_TheRunsBeforeAreOutOfSight_AndTheSyncRunsOnceToBeSafe()
    {
        // The night of 28 March was served, but 50 runs of pushed records recorded since the start hide that run.
        var start = Utc(3, 28, 9);
        RunSummary[] seed = [Run(Utc(3, 28, 1), RunStatus.Succeeded), .. Enumerable.Range(1, 50).Select(i => Run(start.AddSeconds(i), RunStatus.Succeeded))];
        await using var host = await ScheduledHost.StartAsync(start, s => s.Cron("0 2 * * *", Zones.Berlin), seed: seed);

        await host.UntilNextRunAsync(Utc(3, 29, 1));

        host.Source.Reads.Should().Equal(start);
        host.Logs.Should().ContainSingle(r => r.Id.Id == 2064).Which.Message.Should().Contain("the 50 newest runs hide the last one before the start");
    }

    [Fact]
    public async Task WithNoRecordedRun_ACronScheduleWaitsForItsFirstOccurrence()
    {
        await using var host = await ScheduledHost.StartAsync(Utc(3, 28, 9), s => s.Cron("0 2 * * *", Zones.Berlin));

        await host.UntilNextRunAsync(Utc(3, 29, 1));

        host.Source.Reads.Should().BeEmpty();
    }

    [Fact]
    public async Task ARunThatOverrunsSeveralOccurrences_IsFollowedByExactlyOneRun_NeverOverlapping()
    {
        var start = Utc(6, 1, 10, 0, 30);
        await using var host = await ScheduledHost.StartAsync(start, s => s.Cron("* * * * *"), holdFirstRead: true);

        await host.UntilNextRunAsync(Utc(6, 1, 10, 1));
        host.Clock.SetUtcNow(Utc(6, 1, 10, 1));
        await host.Source.FirstReadEntered.WaitAsync(TimeSpan.FromSeconds(10));

        // The first run lasts until 10:04:30: the runs due at 10:02, 10:03 and 10:04 collapse into one, right after it.
        host.Clock.SetUtcNow(Utc(6, 1, 10, 4, 30));
        host.Source.ReleaseFirstRead();
        await host.UntilNextRunAsync(Utc(6, 1, 10, 5));

        host.Source.Reads.Should().Equal(Utc(6, 1, 10, 1), Utc(6, 1, 10, 4, 30));
        host.Source.MaxConcurrentReads.Should().Be(1);
        (await host.History()).Should().HaveCount(2);
    }

    [Fact]
    public async Task Every_AfterARunThatOverruns_RunsOnceRightAway_ThenKeepsTheRateCountedFromTheStart()
    {
        var start = Utc(6, 1, 10);
        await using var host = await ScheduledHost.StartAsync(start, s => s.Every(TimeSpan.FromMinutes(5)), holdFirstRead: true);
        await host.Source.FirstReadEntered.WaitAsync(TimeSpan.FromSeconds(10));

        // The start-up run lasts 12 minutes: one run right after it (for 10:05 and 10:10), then 10:15, not 10:17.
        host.Clock.SetUtcNow(Utc(6, 1, 10, 12));
        host.Source.ReleaseFirstRead();
        await host.UntilNextRunAsync(Utc(6, 1, 10, 15));

        host.Source.Reads.Should().Equal(start, Utc(6, 1, 10, 12));
    }

    [Fact]
    public async Task TheHealthCheck_ShowsEachSchedule_AndItsNextRun()
    {
        await using var host = await ScheduledHost.StartAsync(Utc(3, 27, 12), s => s.Cron("0 2 * * *", Zones.Berlin));
        await host.UntilNextRunAsync(Utc(3, 28, 1));

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        report.Entries["integrations-syncs"].Data[Sync].Should().Be(
            "never run; scheduled cron '0 2 * * *' (Europe/Berlin), next run at 2026-03-28T01:00:00.0000000+00:00");
    }

    private static RunSummary Run(DateTimeOffset startedAt, RunStatus status) => new()
    {
        RunId = Guid.CreateVersion7(startedAt).ToString("N"),
        Sync = Sync,
        Status = status,
        StartedAt = startedAt,
        FinishedAt = startedAt.AddMinutes(1),
    };

    /// <summary>A host with one scheduled sync on a fake clock, whose source notes the clock's time at each read.</summary>
    private sealed class ScheduledHost : IAsyncDisposable
    {
        private readonly IHost _host;

        private ScheduledHost(IHost host, FakeTimeProvider clock, ClockedSource source)
        {
            _host = host;
            Clock = clock;
            Source = source;
        }

        public FakeTimeProvider Clock { get; }

        public ClockedSource Source { get; }

        public IServiceProvider Services => _host.Services;

        public IReadOnlyList<FakeLogRecord> Logs => _host.Services.GetFakeLogCollector().GetSnapshot();

        private SyncScheduler Scheduler => _host.Services.GetRequiredService<SyncScheduler>();

        public static async Task<ScheduledHost> StartAsync(
            DateTimeOffset start, Action<SyncBuilder<Order>> schedule, IReadOnlyList<RunSummary>? seed = null, bool holdFirstRead = false)
        {
            var clock = new FakeTimeProvider(start);
            var source = new ClockedSource(clock, holdFirstRead);
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Services.AddSingleton<TimeProvider>(clock);
            builder.Services.AddFakeLogging();
            builder.Services.AddIntegrations(i => i.AddSync<Order>(Sync, s =>
            {
                s.FromFull(_ => source).Key(o => $"o:{o.Id}");
                schedule(s);
                s.Step("noop", WriteSafety.ReadOnly, (_, _, _) => Task.FromResult(0));
            }));
            var host = builder.Build();
            foreach (var run in seed ?? [])
            {
                await host.Services.GetRequiredService<IRunHistoryStore>().SaveAsync(run);
            }

            await host.StartAsync();
            return new ScheduledHost(host, clock, source);
        }

        /// <summary>Waits until the scheduler's timer for the run due at <paramref name="due"/> is armed.</summary>
        public Task UntilNextRunAsync(DateTimeOffset due) =>
            IntegrationsTestHost.UntilAsync(() => Scheduler.NextRun(Sync) == due, $"the next run is due at {due:O} (it is {Scheduler.NextRun(Sync):O})");

        /// <summary>Waits for the timer of the run due at <paramref name="due"/>, checks nothing else ran meanwhile, and moves the clock there.</summary>
        public async Task AdvanceToNextRunAsync(DateTimeOffset due, int runsSoFar)
        {
            await UntilNextRunAsync(due);
            Source.Reads.Should().HaveCount(runsSoFar);
            Clock.SetUtcNow(due);
        }

        public async Task<IReadOnlyList<RunSummary>> History() =>
            await _host.Services.GetRequiredService<IRunHistoryStore>().ListAsync(Sync);

        public async ValueTask DisposeAsync()
        {
            Source.ReleaseFirstRead();
            await _host.StopAsync();
            _host.Dispose();
        }
    }

    /// <summary>Yields no records; notes the clock's time at each read and can hold the first read until released.</summary>
    private sealed class ClockedSource(TimeProvider clock, bool holdFirstRead) : IRecordSource<Order>
    {
        private readonly ConcurrentQueue<DateTimeOffset> _reads = new();
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _reading;
        private int _maxReading;

        public IReadOnlyList<DateTimeOffset> Reads => [.. _reads];

        public int MaxConcurrentReads => Volatile.Read(ref _maxReading);

        public Task FirstReadEntered => _entered.Task;

        public void ReleaseFirstRead() => _release.TrySetResult();

        public async IAsyncEnumerable<SourceRecord<Order>> ReadAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var now = Interlocked.Increment(ref _reading);
            InterlockedMax(ref _maxReading, now);
            try
            {
                _reads.Enqueue(clock.GetUtcNow());
                if (holdFirstRead && _entered.TrySetResult())
                {
                    await _release.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _reading);
            }

            yield break;
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }
}
