using System.Diagnostics;

namespace Integrations.Sdk.Reliability.Tests.Support;

/// <summary>
/// A clock on which time passes <see cref="Factor"/> times faster than on the wall: a 1 s <c>Retry-After</c>, a
/// 30 s circuit break or a 200 ms step backoff take 1/<see cref="Factor"/> of that. Everything the SDK times
/// (Polly's retries, timeouts and circuit breaker, the rate-limit budgets and their pauses, token expiry, webhook
/// tolerances) is driven by the host's <see cref="TimeProvider"/>, so the whole host runs consistently fast; no
/// test sleeps on it. Durations given to the SDK are in this clock's seconds.
/// </summary>
public sealed class AcceleratedClock : TimeProvider
{
    private readonly DateTimeOffset _origin;
    private readonly long _start;

    public AcceleratedClock(double factor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        Factor = factor;
        _origin = System.GetUtcNow();
        _start = Stopwatch.GetTimestamp();
    }

    public double Factor { get; }

    /// <summary>Converts a duration on this clock to wall-clock time.</summary>
    public TimeSpan ToWall(TimeSpan span) => span == Timeout.InfiniteTimeSpan ? span : TimeSpan.FromTicks((long)(span.Ticks / Factor));

    /// <summary>Converts a wall-clock duration to a duration on this clock.</summary>
    public TimeSpan FromWall(TimeSpan span) => TimeSpan.FromTicks((long)(span.Ticks * Factor));

    public override DateTimeOffset GetUtcNow() => _origin + FromWall(Stopwatch.GetElapsedTime(_start));

    public override long GetTimestamp() => _start + (long)((Stopwatch.GetTimestamp() - _start) * Factor);

    public override long TimestampFrequency => Stopwatch.Frequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(this, System.CreateTimer(callback, state, ToWall(dueTime), ToWall(period)));

    private sealed class ScaledTimer(AcceleratedClock clock, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(clock.ToWall(dueTime), clock.ToWall(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
