using BenchmarkDotNet.Attributes;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.Benchmarks;

/// <summary>
/// Per-record overhead of the pipeline (key, filter, map, per-key lock, step memo in memory, idempotency keys,
/// step retries, results as JSON, outcome counting) around two steps that do nothing, against the same two
/// no-op steps in a hand-written Parallel.ForEachAsync. Reported per record (1,000 records per operation).
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private const int Records = 1000;
    private const int Concurrency = 8;
    private static readonly Task<Customer> Found = Task.FromResult(new Customer { Id = "1", Email = "c@example.com" });
    private readonly Order[] _orders = [.. Enumerable.Range(0, Records).Select(i => Orders.Create(1001 + i))];
    private IHost _host = null!;
    private ISyncRunner _runner = null!;
    private int _run;

    [GlobalSetup]
    public async Task Setup()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddIntegrations().AddSync<Order>("noop", s => s
            .FromEvents()
            .Key(o => $"order:{_run}:{o.Id}") // a new key each operation, so no record is skipped as done
            .Where(o => o.FinancialStatus == "paid")
            .WithConcurrency(Concurrency)
            .WithJson(BenchJsonContext.Default.Options)
            .Map(Orders.Header)
            .Step("customer", WriteSafety.NaturalUpsert, (_, _, _) => Found)
            .Step("invoice", WriteSafety.IdempotencyKey, (_, step, _) => Task.FromResult(step.ResultOf<Customer>("customer").Id + step.IdempotencyKey.Length)));
        _host = builder.Build();
        await _host.StartAsync();
        _runner = _host.Services.GetRequiredService<ISyncRunner>();
    }

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public async Task<int> HandWritten()
    {
        var done = 0;
        await Parallel.ForEachAsync(_orders, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (order, ct) =>
        {
            if (order.FinancialStatus != "paid")
            {
                return;
            }

            var header = Orders.Header.Map(order);
            var customer = await Found;
            _ = customer.Id + header.DocNumber;
            Interlocked.Increment(ref done);
        });
        return done;
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public async Task<int> Sdk_InMemoryState()
    {
        Interlocked.Increment(ref _run);
        var report = await _runner.ProcessAsync("noop", _orders);
        return report.Summary.Completed;
    }
}
