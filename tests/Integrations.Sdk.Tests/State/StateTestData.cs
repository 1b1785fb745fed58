namespace Integrations.Sdk.Tests.State;

/// <summary>Values shared by the state store contract tests.</summary>
public static class StateTestData
{
    /// <summary>
    /// A timestamp with a non-zero, non-whole-hour offset and sub-millisecond ticks, so a store that drops the
    /// offset or truncates to milliseconds fails the round-trip assertions.
    /// </summary>
    public static readonly DateTimeOffset Origin =
        new DateTimeOffset(2025, 3, 14, 15, 9, 26, TimeSpan.FromHours(5.5)).AddTicks(5_358_979);

    /// <summary>How many concurrent calls the concurrency tests make.</summary>
    public const int ConcurrentCalls = 200;

    /// <summary>Runs <paramref name="call"/> for 0..<paramref name="count"/>-1 on the thread pool, all at once.</summary>
    public static Task RunConcurrently(int count, Func<int, ValueTask> call) =>
        Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(async () => await call(i))));
}
