using System.Diagnostics.Metrics;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Integrations.Sdk.Telemetry;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ShopifyToQuickBooks;

namespace Integrations.Sdk.EndToEnd.Tests;

/// <summary>
/// The first scenario end to end, on the simulators over loopback HTTP and SQLite state: paid Shopify orders become
/// QuickBooks invoices exactly once, under faults, across reruns and after an interrupted run.
/// </summary>
public sealed class ShopifyToQuickBooksTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "integrations-e2e", Guid.NewGuid().ToString("N"));

    public ShopifyToQuickBooksTests() => Directory.CreateDirectory(_directory);

    private string State => Path.Combine(_directory, "state.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Run_ThenRerun_CreatesEachPaidOrderOnce_AndDeadLettersUnknownSkus()
    {
        await using var platforms = await OfflinePlatforms.OpenAsync(State, orders: 60, seed: 7, faultRate: 0);

        var first = await RunAsync(platforms);
        var second = await RunAsync(platforms, new RunOptions { FullRefresh = true });

        platforms.PaidOrdersWithKnownSkus.Should().BeGreaterThan(20);
        first.Summary.Completed.Should().Be(platforms.PaidOrdersWithKnownSkus);
        first.Summary.DeadLettered.Should().Be(platforms.PaidOrdersWithUnknownSkus);
        first.Records.Should().OnlyContain(r => r.Reason!.Contains("SKU-NEW-", StringComparison.Ordinal));
        platforms.QuickBooks.Invoices.Should().HaveCount(platforms.PaidOrdersWithKnownSkus);
        platforms.QuickBooks.DuplicateInvoices.Should().BeEmpty();
        platforms.QuickBooks.DuplicateCustomers.Should().BeEmpty();

        second.Summary.Completed.Should().Be(0);
        second.Summary.Skipped.Should().Be(platforms.PaidOrdersWithKnownSkus);
        platforms.QuickBooks.Invoices.Should().HaveCount(platforms.PaidOrdersWithKnownSkus, "a rerun creates nothing new");
    }

    [Fact]
    public async Task ThirtyPercentFaults_EveryPaidOrderEndsAsExactlyOneInvoice()
    {
        await using var platforms = await OfflinePlatforms.OpenAsync(State, orders: 60, seed: 11, faultRate: 0.3);

        var report = await RunAsync(platforms);

        platforms.QuickBooks.Faults.InjectedTotal.Should().BeGreaterThan(10);
        report.Summary.Completed.Should().Be(platforms.PaidOrdersWithKnownSkus);
        report.Summary.Ambiguous.Should().Be(0);
        platforms.QuickBooks.Invoices.Should().HaveCount(platforms.PaidOrdersWithKnownSkus);
        platforms.QuickBooks.DuplicateInvoices.Should().BeEmpty();
        platforms.QuickBooks.DuplicateCustomers.Should().BeEmpty();
    }

    [Fact]
    public async Task DeadLetteredOrders_CompleteOnReplay_AfterTheSkuIsAdded()
    {
        await using var platforms = await OfflinePlatforms.OpenAsync(State, orders: 60, seed: 7, faultRate: 0);
        await RunAsync(platforms);
        var unknown = platforms.PaidOrdersWithUnknownSkus;
        var expected = platforms.PaidOrdersWithKnownSkus + unknown;

        platforms.AddMissingItems();
        using var host = SampleHost.CreateBuilder(State, platforms).Build();
        var deadLetters = await host.Services.GetRequiredService<IDeadLetterStore>().ListAsync(OrdersToInvoices.SyncName);
        foreach (var entry in deadLetters)
        {
            (await host.Services.GetRequiredService<ISyncRunner>().ReplayAsync(entry.Id)).Summary.Completed.Should().Be(1);
        }

        unknown.Should().BeGreaterThan(0);
        deadLetters.Should().HaveCount(unknown);
        (await host.Services.GetRequiredService<IDeadLetterStore>().ListAsync(OrdersToInvoices.SyncName)).Should().BeEmpty();
        platforms.QuickBooks.Invoices.Should().HaveCount(expected);
        platforms.QuickBooks.DuplicateInvoices.Should().BeEmpty();
    }

    [Fact]
    public async Task RunInterruptedBetweenSteps_ResumesWithoutRepeatingACompletedStep()
    {
        await using var platforms = await OfflinePlatforms.OpenAsync(State, orders: 60, seed: 3, faultRate: 0);
        using (var stop = new CancellationTokenSource())
        using (var listener = StopAfterInvoices(stop, 5))
        {
            // The "kill": the run is stopped mid-flight, between and during steps, and its host thrown away.
            using var host = SampleHost.CreateBuilder(State, platforms, concurrency: 2).Build();
            var run = await host.Services.GetRequiredService<ISyncRunner>().RunAsync(OrdersToInvoices.SyncName, cancellationToken: stop.Token);
            run.Summary.Status.Should().Be(RunStatus.Cancelled);
        }

        var memos = await CompletedStepsAsync(platforms);
        memos.Should().NotBeEmpty();

        var resumed = await RunAsync(platforms);

        resumed.Summary.Status.Should().Be(RunStatus.Succeeded);
        platforms.QuickBooks.Invoices.Should().HaveCount(platforms.PaidOrdersWithKnownSkus);
        platforms.QuickBooks.DuplicateInvoices.Should().BeEmpty();
        platforms.QuickBooks.DuplicateCustomers.Should().BeEmpty();
        var after = await CompletedStepsAsync(platforms);
        foreach (var memo in memos)
        {
            after.Should().ContainEquivalentOf(memo, "a step completed before the interruption is not run again");
        }
    }

    private async Task<RunReport> RunAsync(OfflinePlatforms platforms, RunOptions? options = null)
    {
        using var host = SampleHost.CreateBuilder(State, platforms).Build();
        await host.StartAsync();
        var report = await host.Services.GetRequiredService<ISyncRunner>().RunAsync(OrdersToInvoices.SyncName, options);
        await host.StopAsync();
        return report;
    }

    private async Task<List<StepMemo>> CompletedStepsAsync(OfflinePlatforms platforms)
    {
        using var host = SampleHost.CreateBuilder(State, platforms).Build();
        var store = host.Services.GetRequiredService<IStepMemoStore>();
        var memos = new List<StepMemo>();
        foreach (var order in platforms.Shopify.Orders)
        {
            var steps = await store.GetRecordAsync(OrdersToInvoices.SyncName, $"shopify:order:{order.LegacyId}");
            memos.AddRange(steps.Where(m => m.State == StepState.Completed && m.Step != StepMemo.RecordStep));
        }

        return memos;
    }

    /// <summary>Cancels the run once <paramref name="count"/> invoice steps have finished, from the SDK's own metrics.</summary>
    private static MeterListener StopAfterInvoices(CancellationTokenSource stop, int count)
    {
        var seen = 0;
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == IntegrationsTelemetry.Name && instrument.Name == "integrations.step.duration")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "integrations.step" && (string?)tag.Value == "invoice" && Interlocked.Increment(ref seen) == count)
                {
                    stop.Cancel();
                }
            }
        });
        listener.Start();
        return listener;
    }
}
