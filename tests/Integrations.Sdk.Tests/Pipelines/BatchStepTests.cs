using System.Collections.Concurrent;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.Tests.Support;

namespace Integrations.Sdk.Tests.Pipelines;

public sealed class BatchStepTests
{
    private readonly ConcurrentQueue<int> _batchSizes = new();
    private readonly ConcurrentDictionary<string, string> _written = new();
    private int _failNextBatches;

    private Task<IReadOnlyList<string>> WriteBatch(IReadOnlyList<BatchItem<InvoiceDraft>> items, IServiceProvider services, CancellationToken cancellationToken)
    {
        services.GetService(typeof(FakeLedger)).Should().NotBeNull("the batch call gets the host's services");
        _batchSizes.Enqueue(items.Count);
        if (Interlocked.Decrement(ref _failNextBatches) >= 0)
        {
            throw FakeLedger.Throttled();
        }

        IReadOnlyList<string> ids = [.. items.Select(i => _written.GetOrAdd(i.Write.IdempotencyKey, _ => "inv-" + i.Input.Reference))];
        return Task.FromResult(ids);
    }

    private SyncFixture Fixture(int orders, int concurrency = 4, int batchSize = 3, bool events = false) => new(
        SyncFixture.Orders(orders),
        (s, _) => (events ? s.FromEvents() : s).WithConcurrency(concurrency).Map(SyncFixture.OrderToInvoice)
            .BatchStep<InvoiceDraft, string>("invoices", WriteSafety.IdempotencyKey, batchSize, (d, _) => d, WriteBatch)
            .Step("after", WriteSafety.ReadOnly, (d, c, _) => Task.FromResult(c.ResultOf<string>("invoices") + "!")));

    [Fact]
    public async Task BatchStep_WritesRecordsTogether_NeverAboveTheLimit_AndEachRecordGetsItsResult()
    {
        await using var f = Fixture(10, events: true);

        var report = await f.Runner.ProcessAsync(SyncFixture.Sync, SyncFixture.Orders(10));

        report.Summary.Completed.Should().Be(10);
        _written.Should().HaveCount(10);
        _batchSizes.Sum().Should().Be(10);
        _batchSizes.Should().OnlyContain(n => n >= 1 && n <= 3);
        _batchSizes.Should().Contain(n => n > 1, "records in flight are written together");
    }

    [Fact]
    public async Task BatchStep_WithOneRecordInFlight_DoesNotWaitForAFullBatch()
    {
        await using var f = Fixture(3, concurrency: 1, batchSize: 50);

        var report = await f.Runner.RunAsync(SyncFixture.Sync);

        report.Summary.Completed.Should().Be(3);
        _batchSizes.Should().Equal(1, 1, 1);
    }

    [Fact]
    public async Task BatchStep_FailedBatch_IsRetriedPerRecord_AndRerunWritesNothing()
    {
        await using var f = Fixture(6);
        _failNextBatches = 1;

        var first = await f.Runner.RunAsync(SyncFixture.Sync);
        var calls = _batchSizes.Count;
        var rerun = await f.Runner.RunAsync(SyncFixture.Sync, new RunOptions { FullRefresh = true });

        first.Summary.Completed.Should().Be(6);
        _written.Should().HaveCount(6);
        rerun.Summary.Skipped.Should().Be(6);
        _batchSizes.Should().HaveCount(calls, "the step memo covers batch steps too");
    }
}
