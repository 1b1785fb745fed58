using Integrations.Sdk.Connectors;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Sdk.Tests.Pipelines;

/// <summary>Settings given to the fluent sync builder are checked when they are given, naming the argument.</summary>
public sealed class SyncBuilderArgumentTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1025)]
    public void WithConcurrency_OutOfRange_ThrowsNamingTheParameter(int concurrency)
    {
        var act = () => Declare(s => s.WithConcurrency(concurrency));

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("maxConcurrency");
    }

    [Theory]
    [InlineData(0, 0, "maxAttempts")]
    [InlineData(101, 0, "maxAttempts")]
    [InlineData(3, -1, "baseDelay")]
    [InlineData(3, 2 * 24 * 3600, "baseDelay")]
    public void WithStepRetries_OutOfRange_ThrowsNamingTheParameter(int attempts, int delaySeconds, string parameter)
    {
        var act = () => Declare(s => s.WithStepRetries(attempts, TimeSpan.FromSeconds(delaySeconds)));

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(parameter);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    [InlineData(50 * 24 * 3600)]
    public void Every_OutOfRange_ThrowsNamingTheParameter(int seconds)
    {
        var act = () => Declare(s => s.Every(TimeSpan.FromSeconds(seconds)));

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("interval");
    }

    [Fact]
    public void BatchStep_WithBatchSizeZero_ThrowsNamingTheParameter()
    {
        var act = () => new ServiceCollection().AddIntegrations(i => i.AddSync<Order>("s", s => s.FromEvents().Key(o => "k").Map(o => o)
            .BatchStep<int, int>("b", WriteSafety.IdempotencyKey, 0, (o, _) => o.Id, (items, _, _) => Task.FromResult<IReadOnlyList<int>>([.. items.Select(i => i.Input)]))));

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("maxBatchSize");
    }

    [Fact]
    public void Settings_AtTheirBounds_AreAccepted()
    {
        var act = () => Declare(s => s.WithConcurrency(1024).WithStepRetries(100, TimeSpan.FromDays(1)).Every(TimeSpan.FromDays(49)));

        act.Should().NotThrow();
    }

    private static void Declare(Action<SyncBuilder<Order>> configure) =>
        new ServiceCollection().AddIntegrations(i => i.AddSync<Order>("s", s =>
        {
            configure(s.FromFull(_ => throw new InvalidOperationException("not read")).Key(o => "k"));
            s.Step("x", WriteSafety.ReadOnly, (_, _, _) => Task.FromResult(1));
        }));
}
