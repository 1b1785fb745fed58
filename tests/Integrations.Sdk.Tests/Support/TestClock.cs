using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.Tests.Support;

/// <summary>
/// A fake clock that also tells when code starts waiting on it, so a test advances time only once the wait exists
/// (advancing earlier would move the wait's start, not its end).
/// </summary>
public sealed class TestClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly ConcurrentQueue<(TimeSpan DueTime, TaskCompletionSource Signal)> _watchers = new();
    private readonly ConcurrentBag<TimeSpan> _created = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _created.Add(dueTime);
        foreach (var (due, signal) in _watchers)
        {
            if (due == dueTime)
            {
                signal.TrySetResult();
            }
        }

        return timer;
    }

    /// <summary>Completes once a wait of exactly <paramref name="dueTime"/> has been started on this clock.</summary>
    public Task WaitForTimerAsync(TimeSpan dueTime)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _watchers.Enqueue((dueTime, signal));
        if (_created.Contains(dueTime))
        {
            signal.TrySetResult();
        }

        return signal.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
