using System.Diagnostics;
using System.Diagnostics.Metrics;
using Integrations.Sdk.Tests.Support;
using Integrations.Sdk.Telemetry;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Integrations.Sdk.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public async Task Run_EmitsRecordCountersByOutcome_StepDurations_AndSpans()
    {
        var spans = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == IntegrationsTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a => { lock (spans) { spans.Add(a.OperationName); } },
        };
        ActivitySource.AddActivityListener(listener);
        await using var f = new SyncFixture(SyncFixture.Orders(3, i => new Order(i, i == 3 ? null : $"b{i}@example.com", 5, i != 2, i)));
        var factory = f.Get<IMeterFactory>();
        using var records = new MetricCollector<long>(factory, IntegrationsTelemetry.Name, "integrations.records");
        using var durations = new MetricCollector<double>(factory, IntegrationsTelemetry.Name, "integrations.step.duration");

        await f.Runner.RunAsync(SyncFixture.Sync);

        records.GetMeasurementSnapshot().Select(m => (string)m.Tags["integrations.outcome"]!)
            .Should().BeEquivalentTo(["completed", "filtered", "dead_lettered"]);
        durations.GetMeasurementSnapshot().Select(m => (string)m.Tags["integrations.step"]!).Should().BeEquivalentTo(["customer", "invoice"]);
        lock (spans)
        {
            spans.Should().Contain(["integrations.run", "integrations.record", "integrations.step"]);
        }
    }
}
