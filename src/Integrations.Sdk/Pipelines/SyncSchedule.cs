using Cronos;
using Integrations.Sdk.Pipelines.Internal;

namespace Integrations.Sdk.Pipelines;

/// <summary>
/// When the hosted scheduler runs a sync: at a fixed rate (<see cref="Every(TimeSpan)"/>), on a cron expression
/// (<see cref="Cron(string, TimeZoneInfo?)"/>) or every day at a time of day (<see cref="DailyAt(TimeOnly, TimeZoneInfo?)"/>),
/// in a time zone. Immutable; give it to <see cref="SyncBuilder{TSource}.OnSchedule(SyncSchedule)"/>.
/// </summary>
/// <remarks>
/// <para>
/// Runs of one sync never overlap. A run that lasts past one or more occurrences is followed by exactly one run,
/// right after it; the occurrences it overran are not made up one by one.
/// </para>
/// <para>
/// Missed runs after downtime: when the host starts, a schedule that does not run at start-up
/// (<see cref="RunsAtStartup"/> is <see langword="false"/>) looks at the sync's run history. If an occurrence fell due
/// after the newest recorded run started (runs ended by a shutdown do not count) and before the host started, the
/// sync runs once at start, however many occurrences were missed. With no recorded run it waits for the next
/// occurrence.
/// </para>
/// <para>
/// Daylight saving time (cron and daily schedules in a zone that has it), as the Cronos library computes it: an
/// occurrence in the hour skipped when clocks go forward runs at the moment they jump (02:30 becomes 03:00, once); an
/// occurrence in the hour repeated when clocks go back runs once, in the first pass, unless the expression repeats
/// within the hour (a step such as <c>*/30</c> in the minutes, or <c>*</c> in the hours), which runs in both passes.
/// </para>
/// </remarks>
public sealed class SyncSchedule
{
    private readonly CronExpression? _cron;
    private readonly string _description;

    private SyncSchedule(TimeSpan? interval, CronExpression? cron, TimeZoneInfo zone, string description, bool runsAtStartup)
    {
        Interval = interval;
        _cron = cron;
        TimeZone = zone;
        _description = description;
        RunsAtStartup = runsAtStartup;
    }

    /// <summary>
    /// Whether the sync also runs once when the host starts, before the first occurrence.
    /// <value>Default: <see langword="true"/> for <see cref="Every(TimeSpan)"/>, <see langword="false"/> for cron and daily schedules.</value>
    /// </summary>
    public bool RunsAtStartup { get; }

    /// <summary>The interval of a fixed-rate schedule; <see langword="null"/> for cron and daily schedules.</summary>
    internal TimeSpan? Interval { get; }

    /// <summary>The zone a cron or daily schedule is read in (UTC for fixed-rate schedules).</summary>
    internal TimeZoneInfo TimeZone { get; }

    /// <summary>
    /// A fixed rate: the scheduler runs the sync when the host starts, then every <paramref name="interval"/> counted
    /// from the start (a run longer than the interval is followed by one run right after it).
    /// </summary>
    /// <param name="interval">The interval between the starts of two runs: positive, at most 49 days.</param>
    /// <returns>The schedule, with <see cref="RunsAtStartup"/> set.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is out of range.</exception>
    public static SyncSchedule Every(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(interval, SyncLimits.MaxSchedule);
        return new SyncSchedule(interval, null, TimeZoneInfo.Utc, $"every {interval.ToString("c", CultureInfo.InvariantCulture)}", runsAtStartup: true);
    }

    /// <summary>
    /// A cron expression read in a time zone, parsed by the Cronos library: five fields (minute, hour, day of month,
    /// month, day of week), or six with the seconds first; <c>@daily</c>, <c>@hourly</c> and the like are accepted.
    /// For example <c>"0 2 * * *"</c> is every day at 02:00, <c>"*/15 8-18 * * MON-FRI"</c> every quarter hour in office
    /// hours. When both the day of month and the day of week are given, both must match.
    /// </summary>
    /// <param name="expression">The cron expression.</param>
    /// <param name="timeZone">The zone the expression's times are in. <value>Default: UTC.</value></param>
    /// <returns>The schedule; it does not run at start-up (see <see cref="WithStartupRun(bool)"/>).</returns>
    /// <exception cref="ArgumentException">The expression is empty, has the wrong number of fields, cannot be parsed, or never falls due (for example 30 February); the message names it and says what is wrong.</exception>
    public static SyncSchedule Cron(string expression, TimeZoneInfo? timeZone = null)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var zone = timeZone ?? TimeZoneInfo.Utc;
        var cron = ParseCron(expression);
        return new SyncSchedule(null, cron, zone, $"cron '{expression.Trim()}' ({zone.Id})", runsAtStartup: false);
    }

    /// <summary>Every day at <paramref name="time"/>, local time in <paramref name="timeZone"/>.</summary>
    /// <param name="time">The time of day, in whole seconds.</param>
    /// <param name="timeZone">The zone. <value>Default: UTC.</value></param>
    /// <returns>The schedule; it does not run at start-up (see <see cref="WithStartupRun(bool)"/>).</returns>
    /// <exception cref="ArgumentException"><paramref name="time"/> has a fraction of a second.</exception>
    public static SyncSchedule DailyAt(TimeOnly time, TimeZoneInfo? timeZone = null)
    {
        if (time.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentException($"DailyAt takes a time in whole seconds; {time.ToString("HH:mm:ss.fffffff", CultureInfo.InvariantCulture)} has a fraction of a second.", nameof(time));
        }

        var zone = timeZone ?? TimeZoneInfo.Utc;
        var cron = CronExpression.Parse(
            string.Create(CultureInfo.InvariantCulture, $"{time.Second} {time.Minute} {time.Hour} * * *"),
            CronFormat.IncludeSeconds);
        var at = time.ToString(time.Second == 0 ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture);
        return new SyncSchedule(null, cron, zone, $"daily at {at} ({zone.Id})", runsAtStartup: false);
    }

    /// <summary>A copy of this schedule that runs (or does not run) the sync once when the host starts.</summary>
    /// <param name="run">Whether to run at start-up.</param>
    /// <returns>The copy.</returns>
    public SyncSchedule WithStartupRun(bool run = true) => new(Interval, _cron, TimeZone, _description, run);

    /// <summary>
    /// The first time the schedule falls due strictly after <paramref name="after"/>, in UTC; <see langword="null"/>
    /// when it never falls due again. For <see cref="Every(TimeSpan)"/> it is <paramref name="after"/> plus the
    /// interval (the scheduler counts the intervals from the host's start).
    /// </summary>
    /// <param name="after">The instant after which to look.</param>
    /// <returns>The next due time, or <see langword="null"/>.</returns>
    public DateTimeOffset? NextOccurrence(DateTimeOffset after)
    {
        if (Interval is { } interval)
        {
            return after.UtcDateTime <= DateTime.MaxValue - interval ? after.ToUniversalTime() + interval : null;
        }

        return _cron!.GetNextOccurrence(after, TimeZone, inclusive: false)?.ToUniversalTime();
    }

    /// <summary>
    /// Describes the schedule for logs and health data, for example <c>every 00:15:00</c>,
    /// <c>cron '0 2 * * *' (Europe/Berlin)</c> or <c>daily at 02:00 (UTC), and at start-up</c>.
    /// </summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        var byDefault = Interval is not null;
        return RunsAtStartup == byDefault ? _description
            : RunsAtStartup ? _description + ", and at start-up"
            : _description + ", not at start-up";
    }

    private static CronExpression ParseCron(string expression)
    {
        var fields = expression.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var macro = fields.Length == 1 && fields[0].StartsWith('@');
        if (!macro && fields.Length is not (5 or 6))
        {
            throw new ArgumentException(
                $"Cron expression '{expression}' has {fields.Length} field(s); expected 5 (minute hour day-of-month month day-of-week) or 6 (second first).",
                nameof(expression));
        }

        CronExpression cron;
        try
        {
            cron = CronExpression.Parse(expression.Trim(), fields.Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException ex)
        {
            // Cronos says which field is wrong: "...invalid format. Hours: Value must be a number between 0 and 23".
            const string prefix = "The given cron expression has an invalid format. ";
            var problem = ex.Message.StartsWith(prefix, StringComparison.Ordinal) ? ex.Message[prefix.Length..] : ex.Message;
            throw new ArgumentException($"Cron expression '{expression}' is not valid: {problem}", nameof(expression), ex);
        }
        catch (MissingSeedException ex)
        {
            throw new ArgumentException($"Cron expression '{expression}' is not valid: 'H' (a hashed, jittered value) is not supported; give the value.", nameof(expression), ex);
        }

        // No year field: an expression that falls due once falls due again within 28 years, so one look from a fixed
        // date tells whether it ever does (30 February does not).
        if (cron.GetNextOccurrence(new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc)) is null)
        {
            throw new ArgumentException($"Cron expression '{expression}' is not valid: it never falls due (no date matches all its fields).", nameof(expression));
        }

        return cron;
    }
}
