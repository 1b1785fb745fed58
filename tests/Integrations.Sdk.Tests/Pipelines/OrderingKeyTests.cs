using System.Collections.Concurrent;
using System.Globalization;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.Tests.Support;

namespace Integrations.Sdk.Tests.Pipelines;

public sealed class OrderingKeyTests
{
    private readonly ConcurrentQueue<string> _log = new();
    private readonly TaskCompletionSource _twoDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _fourDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Fact]
    public async Task RecordsOfOneKey_RunOneAfterAnotherInReadOrder_WhileOtherKeysRunMeanwhile()
    {
        // Odd orders share one key, even orders another. Order 1 finishes only after orders 2 and 4 (the other key) have
        // finished: they ran meanwhile. Unordered, order 3 would start while order 1 waits (four run at once).
        await using var f = new SyncFixture(SyncFixture.Orders(8), (s, _) => s
            .WithConcurrency(4)
            .WithOrderingKey(o => o.Id % 2 == 1 ? "odd" : "even")
            .Map(o => o)
            .Step("work", WriteSafety.ReadOnly, WorkAsync));

        var report = await f.Runner.RunAsync(SyncFixture.Sync);

        report.Summary.Completed.Should().Be(8);
        var log = _log.ToList();
        foreach (var group in new[] { new[] { 1, 3, 5, 7 }, new[] { 2, 4, 6, 8 } })
        {
            var steps = log.Where(e => group.Contains(int.Parse(e[6..], CultureInfo.InvariantCulture))).ToList();
            steps.Should().Equal(group.SelectMany(id => new[] { $"start {id}", $"end   {id}" }), "records of one key never overlap and keep their read order");
        }

        log.IndexOf("end   4").Should().BeLessThan(log.IndexOf("end   1"), "the other key's records ran while order 1 waited");
    }

    [Fact]
    public async Task AnOrderingKeyWithABatchStep_IsRefused()
    {
        var run = async () =>
        {
            await using var f = new SyncFixture(SyncFixture.Orders(1), (s, _) => s
                .WithOrderingKey(o => o.Email!)
                .Map(SyncFixture.OrderToInvoice)
                .BatchStep<InvoiceDraft, string>("invoices", WriteSafety.IdempotencyKey, 10, (d, _) => d, (items, _, _) => Task.FromResult<IReadOnlyList<string>>([.. items.Select(i => i.Input.Reference)])));
            await f.Runner.RunAsync(SyncFixture.Sync);
        };

        await run.Should().ThrowAsync<InvalidOperationException>().WithMessage("*ordering key*batch*");
    }

    private async Task<int> WorkAsync(Order order, StepContext step, CancellationToken cancellationToken)
    {
        _log.Enqueue($"start {order.Id}");
        if (order.Id == 1)
        {
            await Task.WhenAll(_twoDone.Task, _fourDone.Task).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }

        await Task.Yield();
        _log.Enqueue($"end   {order.Id}");
        (order.Id == 2 ? _twoDone : order.Id == 4 ? _fourDone : null)?.TrySetResult();
        return order.Id;
    }
}
