using Integrations.Sdk.Pipelines;
using Integrations.Sdk.Reliability.Tests.Support;
using Integrations.Sdk.State;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.Shopify;
using Integrations.Sdk.Transport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using ShopifyToQuickBooks;
using Xunit.Abstractions;

namespace Integrations.Sdk.Reliability.Tests;

/// <summary>
/// QuickBooks goes down (every API call answers 503) while the sample's sync runs: with the circuit breaker the
/// simulator receives a bounded handful of requests instead of every retry of every record, the run pauses and the
/// orders it met wait for the next run; once QuickBooks is back the sync recovers: new and waiting orders complete,
/// each invoiced once. Without the breaker the run also pauses (QuickBooks answers nobody), but only after every
/// record in flight has spent all its retries on the platform. The break duration runs on the host's clock (an accelerated one here), so no test waits 30 s.
/// </summary>
public sealed class CircuitBreakerTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] ApiEndpoints = ["query", "customer.create", "invoice.create"];
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "integrations-reliability", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task PlatformDown_IsNotHammered_AndTheSyncRecoversWhenItIsBack()
    {
        var withBreaker = await RunOutageAsync(breaker: true);
        var withoutBreaker = await RunOutageAsync(breaker: false);
        output.WriteLine($"requests QuickBooks received while down: with the breaker {withBreaker}, without {withoutBreaker}");

        withoutBreaker.Should().BeGreaterThan(100, "without a breaker every retry of every record in flight reaches the platform");
        withBreaker.Should().BeLessThan(withoutBreaker / 5, "an open circuit stops the hammering");
    }

    /// <summary>Runs the outage and the recovery; returns how many requests QuickBooks received while it was down.</summary>
    private async Task<int> RunOutageAsync(bool breaker)
    {
        var directory = Path.Combine(_directory, breaker ? "breaker" : "no-breaker");
        Directory.CreateDirectory(directory);
        var state = Path.Combine(directory, "state.db");
        var clock = new AcceleratedClock(20);   // the 30 s break lasts 1.5 s of wall time
        await using var platforms = await OfflinePlatforms.OpenAsync(state, orders: 100, seed: 9, faultRate: 0);
        platforms.QuickBooks.RequestsPerSecond = 0;
        platforms.QuickBooks.RequestsPerMinute = 0;
        platforms.QuickBooks.MaxConcurrentRequests = 0;

        var builder = SampleHost.CreateBuilder(state, platforms, concurrency: 8);
        FastTransport.Configure(builder.Services, clock, "shopify", "quickbooks");
        builder.Services.PostConfigure<ConnectorHttpOptions>("quickbooks", o =>
        {
            o.CircuitBreakDuration = TimeSpan.FromSeconds(30);
            o.CircuitSamplingDuration = TimeSpan.FromSeconds(30);
            o.CircuitMinimumThroughput = breaker ? 10 : int.MaxValue;
        });

        using var host = builder.Build();
        await host.StartAsync();
        var runner = host.Services.GetRequiredService<ISyncRunner>();

        // QuickBooks is down: every API call answers 503 (its token endpoint still works).
        foreach (var endpoint in ApiEndpoints)
        {
            platforms.QuickBooks.Faults.Add(endpoint, FaultKind.ServerError, count: 1_000_000);
        }

        var before = platforms.QuickBooks.RequestCount;
        var outage = await runner.RunAsync(OrdersToInvoices.SyncName);
        var whileDown = platforms.QuickBooks.RequestCount - before;
        var paid = platforms.Shopify.Orders.Count(o => o.FinancialStatus == "PAID");
        output.WriteLine($"breaker={breaker}: outage run {outage}; QuickBooks received {whileDown} requests");

        outage.Summary.Completed.Should().Be(0);
        // Either way the outage is recognised: the run pauses, nothing is dead-lettered, and the records met are left
        // for the next run (see OutageTests).
        outage.Summary.Status.Should().Be(RunStatus.Paused);
        outage.Summary.DeadLettered.Should().Be(0);
        outage.Summary.Deferred.Should().BeGreaterThan(0);
        if (breaker)
        {
            outage.Records.Should().Contain(r => r.Reason!.Contains("circuit", StringComparison.OrdinalIgnoreCase), "the reason says the circuit is open");
            var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
            health.Entries["integrations-connectors"].Status.Should().Be(HealthStatus.Unhealthy, "an open circuit is visible to monitoring");
        }

        // QuickBooks is back. After the break (on the host's clock) the circuit lets a probe through and closes.
        platforms.QuickBooks.Faults.Clear();
        platforms.AddMissingItems();
        var fresh = Enumerable.Range(0, 5).Select(i => platforms.Shopify.AddOrder($"after{i}@example.com", [new SimulatedOrderLine("SKU-MUG", 1)])).ToList();
        RunReport recovered = null!;
        await Polling.UntilAsync(async () =>
        {
            recovered = await runner.RunAsync(OrdersToInvoices.SyncName);
            return recovered.Summary.Status == RunStatus.Succeeded && recovered.Summary.Completed + recovered.Summary.Skipped >= fresh.Count;
        }, "the sync completes new orders after QuickBooks is back", TimeSpan.FromMinutes(2)); // a hang guard, not a speed limit: a loaded machine needs more than 30 s

        foreach (var entry in await host.Services.GetRequiredService<IDeadLetterStore>().ListAsync(OrdersToInvoices.SyncName, limit: 10_000))
        {
            (await runner.ReplayAsync(entry.Id)).Summary.Completed.Should().Be(1, $"{entry.RecordKey} replays once QuickBooks is back");
        }

        await host.StopAsync();
        platforms.QuickBooks.Invoices.Should().HaveCount(paid + fresh.Count, "every paid order, old and new, ends as one invoice");
        platforms.QuickBooks.DuplicateInvoices.Should().BeEmpty();
        platforms.QuickBooks.DuplicateCustomers.Should().BeEmpty();
        return whileDown;
    }
}
