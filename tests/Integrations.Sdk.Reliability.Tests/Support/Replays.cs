using Integrations.Sdk.Pipelines;

namespace Integrations.Sdk.Reliability.Tests.Support;

/// <summary>Replays a dead letter the way operations.md tells a person to: once the connector's circuit lets requests through.</summary>
public static class Replays
{
    /// <summary>
    /// Replays <paramref name="deadLetterId"/>. Right after the faults stop, a connector's circuit may still be open
    /// for the rest of its break; a replay refused with <c>circuit_open</c> was not sent, so it is tried again
    /// shortly, up to a bound. Any other outcome is returned as is.
    /// </summary>
    public static async Task<RunReport> WhenAvailableAsync(ISyncRunner runner, string deadLetterId, AmbiguousResolution resolution = AmbiguousResolution.None)
    {
        var deadline = Environment.TickCount64 + 30_000;
        while (true)
        {
            var report = await runner.ReplayAsync(deadLetterId, resolution: resolution);
            var reason = report.Records.FirstOrDefault()?.Reason;
            if (report.Summary.Completed == 1 || reason?.Contains("circuit_open", StringComparison.Ordinal) != true || Environment.TickCount64 > deadline)
            {
                return report;
            }

            // Bounded polling, as in Polling.UntilAsync: the break ends on the host's (accelerated) clock.
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }
}
