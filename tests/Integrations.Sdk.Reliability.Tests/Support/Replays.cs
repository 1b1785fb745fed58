using Integrations.Sdk.Pipelines;

namespace Integrations.Sdk.Reliability.Tests.Support;

/// <summary>Replays a dead letter the way operations.md tells a person to, once the platform answers again.</summary>
public static class Replays
{
    /// <summary>
    /// Replays <paramref name="deadLetterId"/> until it completes, up to a bound. Right after the faults stop, a
    /// connector's circuit may still be open for the rest of its break, and on a loaded machine a request can still
    /// miss the tests' short attempt timeout; a replay that did not complete is then set aside again (failed, or
    /// ambiguous with a fresh question), so the person looks again (<paramref name="decide"/> is asked each time)
    /// and replays again. Duplicates are still counted by the callers: trying again can never hide one.
    /// </summary>
    public static async Task<RunReport> UntilCompletedAsync(ISyncRunner runner, string deadLetterId, Func<AmbiguousResolution>? decide = null)
    {
        var deadline = Environment.TickCount64 + 30_000;
        while (true)
        {
            var report = await runner.ReplayAsync(deadLetterId, resolution: decide?.Invoke() ?? AmbiguousResolution.None);
            if (report.Summary.Completed == 1 || Environment.TickCount64 > deadline)
            {
                return report;
            }

            // Bounded polling, as in Polling.UntilAsync: the break ends on the host's (accelerated) clock.
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }
}
