using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.MailchimpMarketing.Tests.Support;

/// <summary>Drives a fake clock until a task that waits on it is done (bounded by 10 s of real time).</summary>
public static class Until
{
    public static async Task DoneAsync(Task task, FakeTimeProvider time, TimeSpan step)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (!task.IsCompleted)
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException("the task did not finish while the fake clock advanced");
            }

            time.Advance(step);
            await Task.Delay(5);
        }
    }
}
