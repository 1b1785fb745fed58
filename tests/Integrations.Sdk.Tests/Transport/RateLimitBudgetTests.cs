using Integrations.Sdk.Tests.Support;
using Integrations.Sdk.Transport;

namespace Integrations.Sdk.Tests.Transport;

public sealed class RateLimitBudgetTests
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = TestHost.Clock();

    private RateLimitBudget Budget(int permits = 2, int seconds = 10, int concurrency = 0) =>
        new("fake", "acme", new RateLimitOptions { PermitsPerWindow = permits, Window = TimeSpan.FromSeconds(seconds), MaxConcurrency = concurrency }, _time);

    [Fact]
    public async Task Acquire_BeyondTheBudget_WaitsForTheRefill()
    {
        using var budget = Budget();
        (await budget.AcquireAsync()).Dispose();
        (await budget.AcquireAsync()).Dispose();

        var third = budget.AcquireAsync().AsTask();
        third.IsCompleted.Should().BeFalse();
        _time.Advance(TimeSpan.FromSeconds(4));
        third.IsCompleted.Should().BeFalse("one permit refills every 5 seconds");
        _time.Advance(TimeSpan.FromSeconds(1));

        (await third).IsAcquired.Should().BeTrue();
    }

    [Fact]
    public async Task Observe_NothingRemaining_PausesUntilThePlatformsReset()
    {
        using var budget = Budget(permits: 100, seconds: 1);
        budget.Observe(0, TimeSpan.FromSeconds(30));

        var next = budget.AcquireAsync().AsTask();
        _time.Advance(TimeSpan.FromSeconds(29));
        next.IsCompleted.Should().BeFalse();
        _time.Advance(TimeSpan.FromSeconds(1));

        (await next).IsAcquired.Should().BeTrue();
    }

    [Fact]
    public async Task MaxConcurrency_HoldsTheNextRequestUntilALeaseIsReturned()
    {
        using var budget = Budget(permits: 100, seconds: 1, concurrency: 1);
        var first = await budget.AcquireAsync();

        var second = budget.AcquireAsync().AsTask();
        second.IsCompleted.Should().BeFalse();
        first.Dispose();

        (await second).IsAcquired.Should().BeTrue();
    }

    [Fact]
    public async Task Acquire_Cancelled_ThrowsAndReturnsTheConcurrencySlot()
    {
        using var budget = Budget(permits: 1, seconds: 60, concurrency: 1);
        (await budget.AcquireAsync()).Dispose();
        using var cts = new CancellationTokenSource();

        var waiting = budget.AcquireAsync(cts.Token).AsTask();
        await cts.CancelAsync();

        await FluentActions.Awaiting(() => waiting).Should().ThrowAsync<OperationCanceledException>();
        _time.Advance(TimeSpan.FromSeconds(60));
        (await budget.AcquireAsync()).IsAcquired.Should().BeTrue();
    }
}
