using System.Collections.Concurrent;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.Pipelines.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.DependencyInjection;

/// <summary>
/// The hosted service that runs each sync declared with a schedule (<c>.Every</c>, <c>.Cron</c>, <c>.DailyAt</c>,
/// <c>.OnSchedule</c>), one run at a time per sync, on the injected <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// The rules (documented on <see cref="SyncSchedule"/> and in docs/operations.md): at start, a run if the schedule runs
/// at start-up, or if an occurrence fell due after the newest recorded run (not cancelled) started and before the
/// host started: once, however many were missed. Then a run at each occurrence. A run that lasts past one or more
/// occurrences is followed by one run right after it. A fixed-rate schedule counts its intervals from the host's start.
/// </remarks>
internal sealed class SyncScheduler(SyncRunner runner, IRunHistoryStore history, TimeProvider timeProvider, SecretRedactor redactor, ILogger<SyncScheduler> logger) : BackgroundService
{
    /// <summary>The longest single timer (<see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/> takes up to about 49.7 days); longer waits go in steps.</summary>
    private static readonly TimeSpan MaxTimer = TimeSpan.FromDays(30);

    /// <summary>How many of the newest runs are searched for the last one that counts (not cancelled, started before the host).</summary>
    private const int HistoryLookBack = 50;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _nextRun = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SyncSchedule> _schedules = new(StringComparer.Ordinal);

    /// <summary>
    /// When the scheduler runs <paramref name="sync"/> next: set once its timer for that time is armed, removed while a
    /// run is due or running. For health data, and for tests that move a fake clock only once the timer waits.
    /// </summary>
    /// <param name="sync">The sync's name.</param>
    internal DateTimeOffset? NextRun(string sync) => _nextRun.TryGetValue(sync, out var next) ? next : null;

    /// <summary>
    /// The sync's schedule and next run while the scheduler runs it, for health data, for example
    /// <c>scheduled cron '0 2 * * *' (Europe/Berlin), next run at 2026-03-29T01:00:00.0000000+00:00</c>; otherwise <see langword="null"/>.
    /// </summary>
    /// <param name="sync">The sync's name.</param>
    internal string? Describe(string sync) => _schedules.TryGetValue(sync, out var schedule)
        ? $"scheduled {schedule}" + (NextRun(sync) is { } next ? $", next run at {next:O}" : ", running or due now")
        : null;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var hostStart = timeProvider.GetUtcNow();
        var scheduled = runner.Syncs
            .Select(runner.Pipeline)
            .Where(p => p.Schedule is not null && p.HasSource)
            .Select(p => RunScheduleAsync(p, p.Schedule!, hostStart, stoppingToken));
        return Task.WhenAll(scheduled);
    }

    private async Task RunScheduleAsync(ISyncPipeline pipeline, SyncSchedule schedule, DateTimeOffset hostStart, CancellationToken stoppingToken)
    {
        var description = schedule.ToString();
        _schedules[pipeline.Name] = schedule;
        Func<DateTimeOffset, DateTimeOffset?> next = schedule.Interval is { } interval
            ? after => OnFixedRate(hostStart, interval, after)
            : schedule.NextOccurrence;
        try
        {
            if (schedule.RunsAtStartup || await MissedWhileDownAsync(pipeline, schedule, description, hostStart, stoppingToken).ConfigureAwait(false))
            {
                await RunOnceAsync(pipeline, stoppingToken).ConfigureAwait(false);
            }

            // The occurrence last served: the next one is the first strictly after it, or after the start of the run
            // that served it when that run began late (after an overrun), so overrun occurrences collapse into one run.
            var cursor = hostStart;
            while (!stoppingToken.IsCancellationRequested)
            {
                if (next(cursor) is not { } due)
                {
                    Log.ScheduleEnded(logger, pipeline.Name, description);
                    return;
                }

                if (due > timeProvider.GetUtcNow())
                {
                    Log.NextScheduledRun(logger, pipeline.Name, description, due);
                    await WaitUntilAsync(pipeline.Name, due, stoppingToken).ConfigureAwait(false);
                }
                else
                {
                    Log.ScheduledRunOverran(logger, pipeline.Name, description, due);
                }

                var started = timeProvider.GetUtcNow();
                await RunOnceAsync(pipeline, stoppingToken).ConfigureAwait(false);
                cursor = started > due ? started : due;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
        finally
        {
            _nextRun.TryRemove(pipeline.Name, out _);
            _schedules.TryRemove(pipeline.Name, out _);
        }
    }

    /// <summary>Whether an occurrence fell due between the start of the newest run that counts and the host's start.</summary>
    private async Task<bool> MissedWhileDownAsync(ISyncPipeline pipeline, SyncSchedule schedule, string description, DateTimeOffset hostStart, CancellationToken stoppingToken)
    {
        IReadOnlyList<RunSummary> runs;
        try
        {
            runs = await history.ListAsync(pipeline.Name, HistoryLookBack, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // A run too many is harmless (finished records are skipped by the step memo); a missed one may wait a day.
            Log.MissedRunUnknown(logger, pipeline.Name, description, redactor.Redact(ex.Message));
            return true;
        }

        // A run cut short by a shutdown did not serve its occurrence; runs recorded after the start (webhook events
        // processed meanwhile) say nothing about the downtime.
        var last = runs.FirstOrDefault(r => r.StartedAt < hostStart && r.Status != RunStatus.Cancelled);
        if (last is null && runs.Count >= HistoryLookBack)
        {
            // The newest runs all came after the start (a backlog of webhook events) or were cut short: what came before
            // is out of sight, and a run too many is harmless.
            Log.MissedRunUnknown(logger, pipeline.Name, description, $"the {HistoryLookBack} newest runs hide the last one before the start");
            return true;
        }

        if (last is null || schedule.NextOccurrence(last.StartedAt) is not { } due || due > hostStart)
        {
            return false;
        }

        Log.MissedScheduledRun(logger, pipeline.Name, description, due, last.StartedAt);
        return true;
    }

    private async Task WaitUntilAsync(string sync, DateTimeOffset due, CancellationToken stoppingToken)
    {
        try
        {
            while (due - timeProvider.GetUtcNow() is var left && left > TimeSpan.Zero)
            {
                using var armed = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var timer = Task.Delay(left < MaxTimer ? left : MaxTimer, timeProvider, armed.Token);
                if (timeProvider.GetUtcNow() >= due)
                {
                    // The clock passed the due time while the timer was being armed (a test's fake clock can jump).
                    await armed.CancelAsync().ConfigureAwait(false);
                    return;
                }

                _nextRun[sync] = due;
                await timer.ConfigureAwait(false);
            }
        }
        finally
        {
            _nextRun.TryRemove(sync, out _);
        }
    }

    private async Task RunOnceAsync(ISyncPipeline pipeline, CancellationToken stoppingToken)
    {
        try
        {
            await pipeline.RunAsync(new RunOptions(), stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // A failed run is reported in the run history and the health check; the schedule goes on.
            Log.ScheduledRunFailed(logger, pipeline.Name, redactor.Redact(ex.Message));
        }
    }

    /// <summary>The first start of a fixed-rate schedule strictly after <paramref name="after"/>: host start + k × interval.</summary>
    private static DateTimeOffset OnFixedRate(DateTimeOffset hostStart, TimeSpan interval, DateTimeOffset after)
    {
        if (after < hostStart)
        {
            return hostStart;
        }

        var intervals = ((after - hostStart).Ticks / interval.Ticks) + 1;
        return hostStart + TimeSpan.FromTicks(intervals * interval.Ticks);
    }
}
