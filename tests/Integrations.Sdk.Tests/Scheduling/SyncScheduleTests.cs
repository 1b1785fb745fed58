using Integrations.Sdk.Connectors;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Sdk.Tests.Scheduling;

public sealed class SyncScheduleTests
{
    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [SkippableTheory]
    [InlineData("system")]
    [InlineData("custom")]
    public void Cron_InBerlin_FallsDueAtTwoOClockLocalTime_AndOnceAtTheJump_WhenSummerTimeSkipsTwoOClock(string zone)
    {
        var schedule = SyncSchedule.Cron("0 2 * * *", Zones.ByName(zone));

        // 29 March 2026: clocks go from 02:00 CET to 03:00 CEST, so 02:00 does not exist; Cronos runs it at the jump.
        Occurrences(schedule, Utc(3, 27, 12), 3).Should().Equal(Utc(3, 28, 1), Utc(3, 29, 1), Utc(3, 30, 0));
    }

    [SkippableTheory]
    [InlineData("system")]
    [InlineData("custom")]
    public void Cron_InBerlin_FallsDueOnce_WhenWinterTimeRepeatsTwoOClock(string zone)
    {
        var schedule = SyncSchedule.Cron("0 2 * * *", Zones.ByName(zone));

        // 25 October 2026: clocks go from 03:00 CEST back to 02:00 CET, so 02:00 comes twice; it runs in the first pass only.
        Occurrences(schedule, Utc(10, 24, 12), 2).Should().Equal(Utc(10, 25, 0), Utc(10, 26, 1));
    }

    [Fact]
    public void Cron_RepeatingWithinTheHour_RunsInBothPassesOfTheRepeatedHour()
    {
        var schedule = SyncSchedule.Cron("*/30 * * * *", Zones.Berlin);

        Occurrences(schedule, new DateTimeOffset(2026, 10, 24, 23, 15, 0, TimeSpan.Zero), 4)
            .Should().Equal(Utc(10, 24, 23, 30), Utc(10, 25, 0), Utc(10, 25, 0, 30), Utc(10, 25, 1));
    }

    [Fact]
    public void Cron_WithSixFields_ReadsSecondsFirst_AndDefaultsToUtc()
    {
        var schedule = SyncSchedule.Cron("30 0 2 * * *");

        schedule.NextOccurrence(Utc(3, 1, 12)).Should().Be(new DateTimeOffset(2026, 3, 2, 2, 0, 30, TimeSpan.Zero));
        schedule.ToString().Should().Be("cron '30 0 2 * * *' (UTC)");
    }

    [Fact]
    public void DailyAt_FallsDueAtThatLocalTime_InWinterAndSummer()
    {
        var schedule = SyncSchedule.DailyAt(new TimeOnly(7, 30), Zones.Berlin);

        schedule.NextOccurrence(Utc(1, 10, 12)).Should().Be(Utc(1, 11, 6, 30));
        schedule.NextOccurrence(Utc(7, 10, 12)).Should().Be(Utc(7, 11, 5, 30));
        schedule.NextOccurrence(Utc(7, 11, 5, 30)).Should().Be(Utc(7, 12, 5, 30), "the next occurrence is strictly after the instant given");
        schedule.ToString().Should().Be("daily at 07:30 (Europe/Berlin)");
    }

    [Fact]
    public void DailyAt_WithAFractionOfASecond_IsRefused()
    {
        var act = () => SyncSchedule.DailyAt(new TimeOnly(2, 0, 0, 500));

        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("time");
    }

    [Fact]
    public void Every_RunsAtStartup_AndFallsDueOneIntervalLater()
    {
        var schedule = SyncSchedule.Every(TimeSpan.FromMinutes(15));

        schedule.RunsAtStartup.Should().BeTrue();
        schedule.NextOccurrence(Utc(3, 1, 12)).Should().Be(Utc(3, 1, 12, 15));
        schedule.ToString().Should().Be("every 00:15:00");
    }

    [Fact]
    public void WithStartupRun_IsACopy_DescribedInToString()
    {
        var every = SyncSchedule.Every(TimeSpan.FromHours(1));
        var cron = SyncSchedule.Cron("0 2 * * *", Zones.Berlin);

        every.WithStartupRun(false).RunsAtStartup.Should().BeFalse();
        every.RunsAtStartup.Should().BeTrue();
        cron.RunsAtStartup.Should().BeFalse();
        cron.WithStartupRun().RunsAtStartup.Should().BeTrue();
        every.WithStartupRun(false).ToString().Should().Be("every 01:00:00, not at start-up");
        cron.WithStartupRun().ToString().Should().Be("cron '0 2 * * *' (Europe/Berlin), and at start-up");
        cron.WithStartupRun().NextOccurrence(Utc(3, 1, 12)).Should().Be(cron.NextOccurrence(Utc(3, 1, 12)));
    }

    [Theory]
    [InlineData("61 * * * *", "Minutes: Value must be a number between 0 and 59")]
    [InlineData("0 25 * * *", "Hours: Value must be a number between 0 and 23")]
    [InlineData("0 2 * * MON-FOO", "Days of week")]
    [InlineData("0 2 * *", "has 4 field(s); expected 5 (minute hour day-of-month month day-of-week) or 6 (second first)")]
    [InlineData("0 0 2 * * * *", "has 7 field(s)")]
    [InlineData("", "has 0 field(s)")]
    [InlineData("0 0 30 2 *", "it never falls due")]
    [InlineData("H 2 * * *", "'H'")]
    public void Cron_BadExpression_ThrowsNamingTheExpressionAndTheProblem(string expression, string problem)
    {
        var act = () => SyncSchedule.Cron(expression);

        var thrown = act.Should().Throw<ArgumentException>().Which;
        thrown.ParamName.Should().Be("expression");
        thrown.Message.Should().Contain($"Cron expression '{expression}'").And.Contain(problem);
    }

    [Fact]
    public void SyncBuilder_Cron_WithABadExpression_FailsWhenTheSyncIsDeclared()
    {
        var act = () => new ServiceCollection().AddIntegrations(i => i.AddSync<Order>("nightly", s => s
            .FromFull(_ => throw new InvalidOperationException("not read")).Key(o => "k")
            .Cron("0 26 * * *")
            .Step("x", WriteSafety.ReadOnly, (_, _, _) => Task.FromResult(1))));

        act.Should().Throw<ArgumentException>().WithMessage("Cron expression '0 26 * * *' is not valid: Hours: *");
    }

    [Fact]
    public void SyncBuilder_OnSchedule_Null_ThrowsNamingTheParameter()
    {
        var act = () => new ServiceCollection().AddIntegrations(i => i.AddSync<Order>("nightly", s => s.OnSchedule(null!)));

        act.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("schedule");
    }

    private static List<DateTimeOffset> Occurrences(SyncSchedule schedule, DateTimeOffset after, int count)
    {
        var found = new List<DateTimeOffset>();
        for (var i = 0; i < count; i++)
        {
            after = schedule.NextOccurrence(after) ?? throw new InvalidOperationException("no further occurrence");
            after.Offset.Should().Be(TimeSpan.Zero, "occurrences are given in UTC");
            found.Add(after);
        }

        return found;
    }
}
