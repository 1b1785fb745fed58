namespace Integrations.Sdk.Pipelines.Internal;

/// <summary>How a batch step writes: up to <see cref="MaxSize"/> records' inputs in one platform call.</summary>
internal sealed record BatchSpec(int MaxSize, Func<IReadOnlyList<(object? Input, WriteContext Write)>, IServiceProvider, CancellationToken, Task<IReadOnlyList<object?>>> Execute);

/// <summary>
/// Gathers the inputs of a batch step from the records running concurrently and sends them together: when a batch
/// is full, or when every record in flight is waiting in some batch and no other record can join (every worker is
/// busy, or none is queued). No timer is needed, and a run never stalls on a half-full batch.
/// </summary>
/// <param name="concurrency">The number of workers.</param>
/// <param name="queued">How many records are read and waiting for a worker.</param>
/// <param name="services">The host's services, for the batch calls.</param>
/// <param name="cancellationToken">The run's token, for the batch calls.</param>
internal sealed class BatchCoordinator(int concurrency, Func<int> queued, IServiceProvider services, CancellationToken cancellationToken)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<Pending>> _batches = new(StringComparer.Ordinal);
    private int _inFlight;
    private int _waiting;

    public void Enter()
    {
        lock (_gate)
        {
            _inFlight++;
        }
    }

    public void Exit()
    {
        List<(BatchSpec, List<Pending>)>? ready;
        lock (_gate)
        {
            _inFlight--;
            ready = TakeAllIfEveryoneWaits();
        }

        Send(ready);
    }

    /// <summary>Re-evaluates the flush condition after a worker took a record or finished one.</summary>
    public void Poke()
    {
        List<(BatchSpec, List<Pending>)>? ready;
        lock (_gate)
        {
            ready = TakeAllIfEveryoneWaits();
        }

        Send(ready);
    }

    public Task<object?> EnqueueAsync(string step, BatchSpec spec, object? input, WriteContext write)
    {
        var pending = new Pending(spec, input, write, new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously));
        List<(BatchSpec, List<Pending>)>? ready;
        lock (_gate)
        {
            if (!_batches.TryGetValue(step, out var batch))
            {
                batch = [];
                _batches[step] = batch;
            }

            batch.Add(pending);
            _waiting++;
            ready = batch.Count >= spec.MaxSize ? [(spec, Take(step))] : TakeAllIfEveryoneWaits();
        }

        Send(ready);
        return pending.Completion.Task;
    }

    private List<(BatchSpec, List<Pending>)>? TakeAllIfEveryoneWaits()
    {
        if (_waiting == 0 || _waiting < _inFlight || (_inFlight < concurrency && queued() > 0))
        {
            return null;
        }

        var ready = new List<(BatchSpec, List<Pending>)>();
        foreach (var step in _batches.Where(b => b.Value.Count > 0).Select(b => b.Key).ToList())
        {
            var items = Take(step);
            ready.Add((items[0].Spec, items));
        }

        return ready;
    }

    private List<Pending> Take(string step)
    {
        var items = _batches[step];
        _batches[step] = [];
        _waiting -= items.Count;
        return items;
    }

    private void Send(List<(BatchSpec Spec, List<Pending> Items)>? ready)
    {
        foreach (var (spec, items) in ready ?? [])
        {
            _ = SendAsync(spec, items);
        }
    }

    private async Task SendAsync(BatchSpec spec, List<Pending> items)
    {
        try
        {
            var results = await spec.Execute([.. items.Select(i => (i.Input, i.Write))], services, cancellationToken).ConfigureAwait(false);
            if (results.Count != items.Count)
            {
                throw new InvalidOperationException($"The batch step returned {results.Count} results for {items.Count} inputs; it must return one result per input, in order.");
            }

            for (var i = 0; i < items.Count; i++)
            {
                items[i].Completion.TrySetResult(results[i]);
            }
        }
        catch (Exception ex)
        {
            foreach (var item in items)
            {
                item.Completion.TrySetException(ex);
            }
        }
    }

    private sealed record Pending(BatchSpec Spec, object? Input, WriteContext Write, TaskCompletionSource<object?> Completion);
}
