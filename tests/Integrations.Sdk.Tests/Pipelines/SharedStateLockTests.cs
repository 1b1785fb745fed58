using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Integrations.Sdk.State.InMemory;
using Integrations.Sdk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integrations.Sdk.Tests.Pipelines;

/// <summary>How a sync behaves when its state is shared by several instances (an <see cref="IDistributedLock"/> that spans processes).</summary>
public sealed class SharedStateLockTests
{
    [Fact]
    public async Task Run_WhileAnotherInstanceHoldsTheSync_DoesNotStartAndWritesNothing()
    {
        var locks = new SharedLock();
        await using var fixture = new SyncFixture(SyncFixture.Orders(5), integrations: b => b.Services.Replace(ServiceDescriptor.Singleton<IDistributedLock>(locks)));
        await using var otherInstance = await locks.TryAcquireAsync(LockNames.Sync(SyncFixture.Sync));

        var report = await fixture.Runner.RunAsync(SyncFixture.Sync);

        report.Summary.Status.Should().Be(RunStatus.NotStarted);
        report.Summary.Read.Should().Be(0);
        fixture.Ledger.Calls.Should().Be(0);
        (await fixture.Get<IRunHistoryStore>().ListAsync(SyncFixture.Sync, 10)).Should().BeEmpty("a turn left to another instance is not a run");
    }

    [Fact]
    public async Task Run_WithSharedState_HoldsTheSyncLockAndOneLockPerRecordKey()
    {
        var locks = new SharedLock();
        await using var fixture = new SyncFixture(SyncFixture.Orders(5), integrations: b => b.Services.Replace(ServiceDescriptor.Singleton<IDistributedLock>(locks)));

        var report = await fixture.Runner.RunAsync(SyncFixture.Sync);

        report.Summary.Status.Should().Be(RunStatus.Succeeded);
        report.Summary.Completed.Should().Be(5);
        locks.Taken.Should().Contain(LockNames.Sync(SyncFixture.Sync));
        locks.Taken.Where(n => n.StartsWith("record:", StringComparison.Ordinal)).Should()
            .BeEquivalentTo(Enumerable.Range(1, 5).Select(i => LockNames.Record(SyncFixture.Sync, $"shop:order:{i}")));
        (await locks.TryAcquireAsync(LockNames.Sync(SyncFixture.Sync))).Should().NotBeNull("the run released its lock");
    }

    [Fact]
    public async Task Run_WithDefaultInProcessLock_TakesNoDistributedLocks()
    {
        await using var fixture = new SyncFixture(SyncFixture.Orders(3));

        fixture.Get<IDistributedLock>().Should().BeOfType<InProcessLock>();
        var report = await fixture.Runner.RunAsync(SyncFixture.Sync);

        report.Summary.Completed.Should().Be(3);
    }

    [Fact]
    public async Task Run_WhenItsLockIsLost_StopsAsCancelledAndKeepsCompletedWork()
    {
        var locks = new SharedLock();
        var gate = new TaskCompletionSource();
        await using var fixture = new SyncFixture(
            SyncFixture.Orders(20),
            (s, _) => s.Map(SyncFixture.OrderToInvoice)
                .Step("invoice", Integrations.Sdk.Connectors.WriteSafety.IdempotencyKey, async (d, c, ct) =>
                {
                    if (d.Reference == "order-10")
                    {
                        locks.Lose(LockNames.Sync(SyncFixture.Sync));
                        await gate.Task.WaitAsync(ct);
                    }

                    return await c.Get<FakeLedger>().CreateInvoiceAsync(c.IdempotencyKey, "c", d.Total, ct);
                }),
            b => b.Services.Replace(ServiceDescriptor.Singleton<IDistributedLock>(locks)));

        var report = await fixture.Runner.RunAsync(SyncFixture.Sync);

        report.Summary.Status.Should().Be(RunStatus.Cancelled, "another instance may take the sync over once the lock is lost");
        report.Summary.Read.Should().BeLessThan(20);
        fixture.Ledger.Invoices.Should().Be(report.Summary.Completed, "every completed record made exactly one invoice");
    }
}
