using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.Telemetry;

/// <summary>The hosted scheduler's log messages (event ids 2060 to 2064).</summary>
internal static partial class Log
{
    [LoggerMessage(2060, LogLevel.Information, "Sync {Sync} ({Schedule}): next run at {Next:O}")]
    public static partial void NextScheduledRun(ILogger logger, string sync, string schedule, DateTimeOffset next);

    [LoggerMessage(2061, LogLevel.Warning, "Sync {Sync} ({Schedule}): the run due at {Due:O} was missed while the host was down (the last run started at {LastStarted:O}); running once now")]
    public static partial void MissedScheduledRun(ILogger logger, string sync, string schedule, DateTimeOffset due, DateTimeOffset lastStarted);

    [LoggerMessage(2062, LogLevel.Warning, "Sync {Sync} ({Schedule}): the last run lasted past the run due at {Due:O}; running once now, the overrun occurrences are not made up one by one")]
    public static partial void ScheduledRunOverran(ILogger logger, string sync, string schedule, DateTimeOffset due);

    [LoggerMessage(2063, LogLevel.Warning, "Sync {Sync} ({Schedule}): the schedule never falls due again; the scheduler stops for this sync")]
    public static partial void ScheduleEnded(ILogger logger, string sync, string schedule);

    [LoggerMessage(2064, LogLevel.Warning, "Sync {Sync} ({Schedule}): the run history cannot tell whether a run was missed while the host was down ({Error}); running once now to be safe")]
    public static partial void MissedRunUnknown(ILogger logger, string sync, string schedule, string error);
}
