using Integrations.Sdk.Connectors;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Integrations.Sdk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Integrations.Sdk.Tests;

public sealed class DependencyInjectionTests
{
    [Fact]
    public async Task HostStart_WithInvalidConnectorOptions_FailsNamingTheSetting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddIntegrations(i => i.AddConnectorClient<IFakeApi>("fake", (_, o) => o.BaseAddress = null));
        using var host = builder.Build();

        var act = () => host.StartAsync();

        (await act.Should().ThrowAsync<OptionsValidationException>()).WithMessage("*fake*BaseAddress*");
    }

    [Fact]
    public void AddSync_Twice_WithTheSameName_Throws()
    {
        var services = new ServiceCollection();
        var integrations = services.AddIntegrations();
        integrations.AddSync<Order>("s", s => SyncFixture.DefaultSteps(s.FromEvents().Key(o => o.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))));

        var act = () => integrations.AddSync<Order>("s", s => SyncFixture.DefaultSteps(s.FromEvents().Key(o => "x")));

        act.Should().Throw<InvalidOperationException>().WithMessage("*'s'*already*");
    }

    [Theory]
    [InlineData("key", "*.Key(...)*")]
    [InlineData("source", "*FromIncremental*")]
    [InlineData("steps", "*at least one step*")]
    public void AddSync_Incomplete_ThrowsSayingWhatIsMissing(string missing, string message)
    {
        var services = new ServiceCollection();

        var act = () => services.AddIntegrations(i => i.AddSync<Order>("s", s =>
        {
            if (missing != "source")
            {
                s.FromEvents();
            }

            if (missing != "key")
            {
                s.Key(o => "k");
            }

            if (missing != "steps")
            {
                s.Step("x", WriteSafety.ReadOnly, (_, _, _) => Task.FromResult(1));
            }
        }));

        act.Should().Throw<InvalidOperationException>().WithMessage(message);
    }

    [Fact]
    public void Step_NameUsedTwice_Throws()
    {
        var services = new ServiceCollection();

        var act = () => services.AddIntegrations(i => i.AddSync<Order>("s", s => s.FromEvents().Key(o => "k")
            .Step("x", WriteSafety.ReadOnly, (_, _, _) => Task.FromResult(1))
            .Step("x", WriteSafety.ReadOnly, (_, _, _) => Task.FromResult(2))));

        act.Should().Throw<ArgumentException>().WithMessage("*'x'*twice*");
    }

    [Fact]
    public void AddConnectorClient_Twice_Throws()
    {
        var integrations = new ServiceCollection().AddIntegrations();
        integrations.AddConnectorClient<IFakeApi>("fake", (_, o) => o.BaseAddress = new Uri("http://127.0.0.1:1"));

        var act = () => integrations.AddConnectorClient<IFakeApi>("fake", (_, o) => o.BaseAddress = new Uri("http://127.0.0.1:1"));

        act.Should().Throw<InvalidOperationException>().WithMessage("*IFakeApi*fake*twice*");
    }

    [Fact]
    public void AddIntegrations_CalledTwice_ReturnsTheSameBuilder()
    {
        var services = new ServiceCollection();

        var first = services.AddIntegrations();
        var second = services.AddIntegrations();

        second.Should().BeSameAs(first);
        services.Count(d => d.ServiceType == typeof(ISyncRunner)).Should().Be(1);
    }

    [Fact]
    public async Task HealthCheck_ReportsFailedAndDegradedSyncs()
    {
        await using var f = new SyncFixture([new Order(1, null, 5, true, 1)]);
        var health = f.Get<HealthCheckService>();

        var before = await health.CheckHealthAsync();
        await f.Runner.RunAsync(SyncFixture.Sync);
        var after = await health.CheckHealthAsync();

        before.Entries["integrations-syncs"].Status.Should().Be(HealthStatus.Healthy);
        after.Entries["integrations-syncs"].Status.Should().Be(HealthStatus.Degraded);
        after.Entries["integrations-syncs"].Description.Should().Contain(SyncFixture.Sync);
        after.Entries["integrations-connectors"].Status.Should().Be(HealthStatus.Healthy);
    }

    [Fact]
    public async Task Scheduler_RunsAScheduledSyncOnEveryTick_OnTheInjectedClock()
    {
        var ledger = new FakeLedger();
        var source = new OrderSource(SyncFixture.Orders(2));
        var time = TestHost.Clock();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton(ledger);
        builder.Services.AddIntegrations(i => i.AddSync<Order>("scheduled", s => SyncFixture.DefaultSteps(
            s.FromIncremental(_ => source).Key(o => $"o:{o.Id}").Every(TimeSpan.FromMinutes(5)))));
        using var host = builder.Build();
        var history = host.Services.GetRequiredService<IRunHistoryStore>();

        await host.StartAsync();
        await TestHost.Until(() => history.ListAsync("scheduled").AsTask().Result.Count == 1, "the first run");
        source.Orders.Add(new Order(3, "c@example.com", 3, true, 3));
        time.Advance(TimeSpan.FromMinutes(5));
        await TestHost.Until(() => history.ListAsync("scheduled").AsTask().Result.Count == 2, "the second run");
        await host.StopAsync();

        ledger.Invoices.Should().Be(3);
        source.CheckpointsAsked.Should().Equal(null, "2");
    }
}
