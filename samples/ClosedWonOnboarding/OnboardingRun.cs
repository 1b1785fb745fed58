using System.Text.Json;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Microsoft.Extensions.DependencyInjection;

namespace ClosedWonOnboarding;

/// <summary>One run of the sync in the scenario.</summary>
/// <param name="Round">The round it followed (0: the seeding).</param>
/// <param name="Moves">The round's moves (<see langword="null"/> for the seeding and for a run with no moves).</param>
/// <param name="Report">The run's report.</param>
public sealed record ScenarioRun(int Round, RoundMoves? Moves, RunReport Report);

/// <summary>An ambiguous journey trigger, and what the check of the journey found.</summary>
/// <param name="Email">The contact.</param>
/// <param name="DealId">The won deal that brought it.</param>
/// <param name="InJourney">Whether the journey showed the contact (then marked applied; else sent again).</param>
/// <param name="Outcome">The replay's outcome.</param>
public sealed record AmbiguousTrigger(string Email, string DealId, bool InJourney, RecordOutcome? Outcome);

/// <summary>What the scenario did.</summary>
/// <param name="Runs">Every run of the sync, in order.</param>
/// <param name="Ambiguous">The ambiguous journey triggers met, with their resolution.</param>
/// <param name="DeadLetters">What waits in the dead-letter store at the end.</param>
public sealed record ScenarioResult(IReadOnlyList<ScenarioRun> Runs, IReadOnlyList<AmbiguousTrigger> Ambiguous, IReadOnlyList<DeadLetter> DeadLetters)
{
    /// <summary>The runs' counts added up.</summary>
    public Totals Total => new(
        Runs.Sum(r => r.Report.Summary.Read),
        Runs.Sum(r => r.Report.Summary.Completed),
        Runs.Sum(r => r.Report.Summary.Skipped),
        Runs.Sum(r => r.Report.Summary.Filtered),
        Runs.Sum(r => r.Report.Summary.DeadLettered),
        Runs.Sum(r => r.Report.Summary.Ambiguous));
}

/// <summary>Counts added up over runs.</summary>
/// <param name="Read">Records read.</param>
/// <param name="Completed">Completed.</param>
/// <param name="Skipped">Skipped (done before).</param>
/// <param name="Filtered">Filtered (deals not won).</param>
/// <param name="DeadLettered">Dead-lettered.</param>
/// <param name="Ambiguous">Ambiguous.</param>
public sealed record Totals(int Read, int Completed, int Skipped, int Filtered, int DeadLettered, int Ambiguous)
{
    /// <summary>The output line: <c>summary: read=N completed=N skipped=N filtered=N dead-lettered=N ambiguous=N</c>.</summary>
    public override string ToString() => $"summary: read={Read} completed={Completed} skipped={Skipped} filtered={Filtered} dead-lettered={DeadLettered} ambiguous={Ambiguous}";
}

/// <summary>Plays the scenario: seeds the CRM, moves deals round by round, runs the sync after each round.</summary>
public static class OnboardingRun
{
    /// <summary>How often a run that failed (a read that still failed after the connector's retries) is run again.</summary>
    public const int RunAttempts = 5;

    /// <summary>The longest the sample waits for a platform's circuit to let requests through again before it runs again.</summary>
    public static readonly TimeSpan MaxPauseWait = TimeSpan.FromMinutes(1);

    /// <summary>How long after a round's changes the sync runs: time for the CRM's search index to show them.</summary>
    public static readonly TimeSpan TimeBeforeRun = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Seeds the CRM, runs the sync, then for each round makes the round's moves (one shared timestamp) and runs the
    /// sync again; with <paramref name="resolveAmbiguous"/>, resolves each ambiguous journey trigger the way a person
    /// does: looks at the journey, then replays it as already applied (the contact is there) or to send again (it is not).
    /// </summary>
    /// <param name="services">The started host's services.</param>
    /// <param name="platforms">The simulators.</param>
    /// <param name="scenario">The scenario.</param>
    /// <param name="resolveAmbiguous">Whether to resolve ambiguous triggers after the rounds.</param>
    /// <param name="progress">Told about each run; optional.</param>
    /// <param name="cancellationToken">Cancels the scenario.</param>
    public static async Task<ScenarioResult> PlayAsync(
        IServiceProvider services, OfflinePlatforms platforms, OnboardingScenario scenario, bool resolveAmbiguous = true,
        Action<ScenarioRun>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(platforms);
        ArgumentNullException.ThrowIfNull(scenario);
        var sync = Onboarding.SyncName(platforms.Crm);
        var runs = new List<ScenarioRun>();
        async Task RunAsync(int round, RoundMoves? moves)
        {
            // The simulated CRM is new on every run of the sample, its changes stamped days before an earlier run's
            // checkpoint: the first read after seeding is a full one (finished records end Skipped), and the checkpoint
            // follows the new CRM from there.
            foreach (var report in await RunUntilDoneAsync(services, sync, fullRefresh: round == 0, cancellationToken).ConfigureAwait(false))
            {
                var run = new ScenarioRun(round, moves, report);
                runs.Add(run);
                progress?.Invoke(run);
            }
        }

        platforms.Clock.NextDayFrozen();
        var ids = scenario.Seed(platforms);
        platforms.Clock.Release(TimeBeforeRun);
        await RunAsync(0, null).ConfigureAwait(false);
        for (var round = 1; round <= OnboardingScenario.Rounds; round++)
        {
            platforms.Clock.NextDayFrozen();
            var moves = scenario.Move(platforms, ids, round);
            platforms.Clock.Release(TimeBeforeRun);
            await RunAsync(round, moves).ConfigureAwait(false);
        }

        var ambiguous = resolveAmbiguous
            ? await ResolveAmbiguousAsync(services, sync, platforms.IsInJourney, cancellationToken).ConfigureAwait(false)
            : await ListAmbiguousAsync(services, sync, platforms.IsInJourney, cancellationToken).ConfigureAwait(false);
        var deadLetters = await services.GetRequiredService<IDeadLetterStore>().ListAsync(sync, limit: 1000, cancellationToken).ConfigureAwait(false);
        return new ScenarioResult(runs, ambiguous, deadLetters);
    }

    /// <summary>
    /// Runs the sync; a run that failed (its checkpoint kept what is safe) is run again, up to <see cref="RunAttempts"/>
    /// times; after a run that paused on an open circuit, once the circuit lets requests through (at most <see cref="MaxPauseWait"/> later).
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="sync">The sync.</param>
    /// <param name="fullRefresh">Whether the first run reads the whole feed (<see cref="RunOptions.FullRefresh"/>); the runs after a failed one go on from its checkpoint.</param>
    /// <param name="cancellationToken">Cancels the runs.</param>
    public static async Task<IReadOnlyList<RunReport>> RunUntilDoneAsync(IServiceProvider services, string sync, bool fullRefresh = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var runner = services.GetRequiredService<ISyncRunner>();
        var reports = new List<RunReport>();
        for (var attempt = 0; attempt < RunAttempts; attempt++)
        {
            var report = await runner.RunAsync(sync, new RunOptions { IncludeAllRecords = true, FullRefresh = fullRefresh && attempt == 0 }, cancellationToken).ConfigureAwait(false);
            reports.Add(report);
            if (report.Summary.Status == RunStatus.Succeeded)
            {
                break;
            }

            // A paused run (a platform's circuit is open after repeated failures) is run again once the circuit lets
            // a request through, not at once: until then every run would pause too.
            if (report.ResumeAfter is { } resumeAfter)
            {
                var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
                var wait = resumeAfter - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait < MaxPauseWait ? wait : MaxPauseWait, time, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return reports;
    }

    /// <summary>The ambiguous journey triggers waiting in the dead-letter store, with what the journey shows.</summary>
    private static async Task<IReadOnlyList<AmbiguousTrigger>> ListAmbiguousAsync(IServiceProvider services, string sync, Func<string, bool> isInJourney, CancellationToken cancellationToken)
    {
        var entries = await services.GetRequiredService<IDeadLetterStore>().ListAsync(sync, limit: 1000, cancellationToken).ConfigureAwait(false);
        return [.. entries.Where(e => e.Kind == DeadLetterKind.Ambiguous).Select(e =>
        {
            var (email, deal) = Read(e);
            return new AmbiguousTrigger(email, deal, isInJourney(email), null);
        })];
    }

    /// <summary>
    /// Resolves each ambiguous trigger as a person would: the journey shows the contact → replayed as already applied
    /// (nothing is sent); it does not → replayed to send again. A resend that ends ambiguous again is looked at again.
    /// </summary>
    private static async Task<IReadOnlyList<AmbiguousTrigger>> ResolveAmbiguousAsync(IServiceProvider services, string sync, Func<string, bool> isInJourney, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<IDeadLetterStore>();
        var runner = services.GetRequiredService<ISyncRunner>();
        var resolved = new List<AmbiguousTrigger>();
        for (var pass = 0; pass < 10; pass++)
        {
            var entries = (await store.ListAsync(sync, limit: 1000, cancellationToken).ConfigureAwait(false)).Where(e => e.Kind == DeadLetterKind.Ambiguous).ToList();
            if (entries.Count == 0)
            {
                break;
            }

            foreach (var entry in entries)
            {
                var (email, deal) = Read(entry);
                var inJourney = isInJourney(email);
                var replay = await runner.ReplayAsync(entry.Id, resolution: inJourney ? AmbiguousResolution.AlreadyApplied : AmbiguousResolution.SendAgain, cancellationToken: cancellationToken).ConfigureAwait(false);
                resolved.Add(new AmbiguousTrigger(email, deal, inJourney, replay.Records.FirstOrDefault()?.Outcome ?? (replay.Summary.Completed > 0 ? RecordOutcome.Completed : null)));
            }
        }

        return resolved;
    }

    private static (string Email, string DealId) Read(DeadLetter entry)
    {
        var record = JsonSerializer.Deserialize<DealContact>(entry.Payload, JsonSerializerOptions.Web);
        return (Onboarding.NormalizeEmail(record?.Contact?.Email ?? entry.RecordKey), record?.Deal.Id ?? "?");
    }
}
