using BenchmarkDotNet.Attributes;
using Integrations.Sdk.Sqlite;
using Integrations.Sdk.State;
using Integrations.Sdk.State.InMemory;

namespace Integrations.Sdk.Benchmarks;

/// <summary>
/// Step-memo lookups and writes. SQLite: one file in WAL mode with synchronous=NORMAL (the store's durability);
/// "x64 concurrent" is 64 writers at once, reported per write, which is where group commit shows.
/// </summary>
[MemoryDiagnoser]
public class StepMemoBenchmarks
{
    private const int Concurrent = 64;
    private readonly InMemoryStepMemoStore _memory = new();
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "integrations-bench-" + Guid.NewGuid().ToString("N")[..8]);
    private SqliteStateStore _sqlite = null!;
    private int _next;

    [GlobalSetup]
    public async Task Setup()
    {
        _sqlite = new SqliteStateStore(Path.Combine(_directory, "memo.db"));
        var now = DateTimeOffset.UtcNow;
        foreach (IStepMemoStore store in new IStepMemoStore[] { _memory, _sqlite })
        {
            for (var i = 0; i < 1000; i++)
            {
                await store.SaveAsync(new StepMemo("sync", $"k{i}", "customer", StepState.Completed, "{\"id\":\"1\"}", 0, 1, now));
                await store.SaveAsync(new StepMemo("sync", $"k{i}", "invoice", StepState.Completed, "{\"id\":\"2\"}", 0, 1, now));
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sqlite.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public ValueTask<IReadOnlyList<StepMemo>> InMemory_GetRecord() => _memory.GetRecordAsync("sync", "k500");

    [Benchmark]
    public ValueTask InMemory_Save() => _memory.SaveAsync(Memo());

    [Benchmark]
    public async Task<IReadOnlyList<StepMemo>> Sqlite_GetRecord() => await ((IStepMemoStore)_sqlite).GetRecordAsync("sync", "k500");

    [Benchmark]
    public async Task Sqlite_Save() => await ((IStepMemoStore)_sqlite).SaveAsync(Memo());

    [Benchmark(OperationsPerInvoke = Concurrent)]
    public Task Sqlite_Save_x64_concurrent() =>
        Task.WhenAll(Enumerable.Range(0, Concurrent).Select(_ => Task.Run(async () => await ((IStepMemoStore)_sqlite).SaveAsync(Memo()))));

    private StepMemo Memo() => new("sync", "w" + Interlocked.Increment(ref _next) % 10_000, "invoice", StepState.Started, null, 0, 1, DateTimeOffset.UtcNow);
}
