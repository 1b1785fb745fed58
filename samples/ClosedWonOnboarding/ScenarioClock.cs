namespace ClosedWonOnboarding;

/// <summary>
/// The simulated CRM's clock: the system clock moved back by a number of days that the scenario shortens round by
/// round (each round is a day later; the last one is yesterday, so no change is ever stamped in the future and each run can come a while after its round), and frozen
/// while a round's moves are made, so they all share one timestamp. Timers are the system's: fault latencies and hangs
/// stay real.
/// </summary>
public sealed class ScenarioClock : TimeProvider
{
    private readonly Lock _gate = new();
    private TimeSpan _offset;
    private DateTimeOffset? _frozen;

    /// <summary>Creates the clock, <paramref name="daysBack"/> days in the past.</summary>
    /// <param name="daysBack">How many days back it starts.</param>
    public ScenarioClock(int daysBack) => _offset = TimeSpan.FromDays(-daysBack);

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _frozen ?? System.GetUtcNow() + _offset;
        }
    }

    /// <summary>Moves one day on (never past the system clock) and freezes there until <see cref="Release"/>.</summary>
    public void NextDayFrozen()
    {
        lock (_gate)
        {
            _offset = TimeSpan.FromTicks(Math.Min(0, (_offset + TimeSpan.FromDays(1)).Ticks));
            _frozen = System.GetUtcNow() + _offset;
        }
    }

    /// <summary>
    /// Lets the clock run again, <paramref name="later"/> after where it was frozen (never past the system clock): the
    /// time between a round's changes and the sync's run, in which the CRM's search index catches up (HubSpot's search
    /// shows a change a few seconds after it is made).
    /// </summary>
    /// <param name="later">How long after the frozen instant the clock runs on. <value>Default: zero.</value></param>
    public void Release(TimeSpan later = default)
    {
        lock (_gate)
        {
            if (_frozen is { } frozen)
            {
                // Running on from the frozen instant (plus the given pause), not jumping ahead by the time spent frozen.
                _offset = TimeSpan.FromTicks(Math.Min(0, (frozen + later - System.GetUtcNow()).Ticks));
                _frozen = null;
            }
        }
    }

    /// <summary>Runs on at the system clock's time (a later run of the sample, after the scenario's days).</summary>
    public void ToPresent()
    {
        lock (_gate)
        {
            _offset = TimeSpan.Zero;
            _frozen = null;
        }
    }
}
