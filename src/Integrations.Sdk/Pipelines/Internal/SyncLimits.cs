namespace Integrations.Sdk.Pipelines.Internal;

/// <summary>The bounds of the settings a <see cref="SyncBuilder{TSource}"/> accepts.</summary>
internal static class SyncLimits
{
    /// <summary>Records processed at once: one worker each, and twice as many read ahead.</summary>
    public const int MaxConcurrency = 1024;

    /// <summary>Attempts of one step within a run.</summary>
    public const int MaxStepAttempts = 100;

    /// <summary>The first delay between step attempts (Polly's retry delay accepts up to a day).</summary>
    public static readonly TimeSpan MaxStepRetryDelay = TimeSpan.FromDays(1);

    /// <summary>The longest a lookup-then-create step may declare its platform takes before a write is findable.</summary>
    public static readonly TimeSpan MaxFindableAfter = TimeSpan.FromDays(1);

    /// <summary>The longest schedule interval a <see cref="PeriodicTimer"/> accepts (about 49.7 days), rounded down to whole days.</summary>
    public static readonly TimeSpan MaxSchedule = TimeSpan.FromDays(49);
}
