namespace Integrations.Sdk.Tests.Scheduling;

/// <summary>Europe/Berlin from the machine's time-zone data, and the same rules built by hand for machines without it.</summary>
internal static class Zones
{
    public static TimeZoneInfo? SystemBerlin()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    /// <summary>Central European Time as the EU has it since 1996: UTC+1, summer time (UTC+2) from the last Sunday of March at 02:00 to the last Sunday of October at 03:00.</summary>
    public static TimeZoneInfo CustomBerlin()
    {
        var summerStarts = TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 3, 5, DayOfWeek.Sunday);
        var summerEnds = TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 3, 0, 0), 10, 5, DayOfWeek.Sunday);
        var rule = TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(new DateTime(1996, 1, 1), DateTime.MaxValue.Date, TimeSpan.FromHours(1), summerStarts, summerEnds);
        return TimeZoneInfo.CreateCustomTimeZone("Europe/Berlin", TimeSpan.FromHours(1), "Central European Time (test rules)", "CET", "CEST", [rule]);
    }

    /// <summary>The machine's zone when it has one, else the hand-built one.</summary>
    public static TimeZoneInfo Berlin { get; } = SystemBerlin() ?? CustomBerlin();

    public static TimeZoneInfo ByName(string which) => which == "system"
        ? SystemBerlin() ?? throw new Xunit.SkipException("this machine has no time-zone data for Europe/Berlin")
        : CustomBerlin();
}
