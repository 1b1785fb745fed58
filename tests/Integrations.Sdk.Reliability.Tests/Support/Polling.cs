namespace Integrations.Sdk.Reliability.Tests.Support;

/// <summary>Bounded polling for work done on other threads: never a fixed sleep, always a deadline.</summary>
public static class Polling
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null)
    {
        var deadline = Environment.TickCount64 + (long)(limit ?? TimeSpan.FromSeconds(60)).TotalMilliseconds;
        while (!await condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"timed out waiting until {what}");
            }

            // Yield to the workers; a short real pause keeps a polling loop from starving two cores.
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }
}
