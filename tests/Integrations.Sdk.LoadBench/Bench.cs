using System.Diagnostics;
using System.Globalization;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.LoadBench;

/// <summary>Runs the scenarios, prints a table and the final <c>bench:</c> line.</summary>
public static class Bench
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await output.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 2;
        }

        var rows = new List<(string Scenario, string Records, string Seconds, string Rate, string Note)>();
        var work = Path.Combine(Path.GetTempPath(), "integrations-loadbench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"load bench{(options.Smoke ? " (smoke)" : "")}: {Environment.ProcessorCount} cores, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}, concurrency {options.Concurrency}")).ConfigureAwait(false);
        try
        {
            await using var sink = await Sink.StartAsync().ConfigureAwait(false);

            // c. The backfill runs first, so the process's peak working set is the backfill's (plus the sink's).
            var backfill = options.Runs("backfill") ? await BackfillAsync(sink, options, work, output).ConfigureAwait(false) : new Backfill(0, 0, 0, "skipped");
            rows.Add(("backfill, SDK, SQLite state", N(backfill.Completed), S(backfill.Seconds), N(backfill.Rps), $"peak {backfill.PeakMb} MB; working set {backfill.Samples}"));

            // Warm up both paths (JIT, connection pools) before anything is timed.
            sink.Reset();
            await SdkRunAsync(sink, options.Warmup, options.Concurrency, null, options).ConfigureAwait(false);
            await HandwrittenRunAsync(sink, options.Warmup, options.Concurrency, options).ConfigureAwait(false);

            // a. SDK vs hand-written, same sink, same concurrency, alternated.
            var sdk = new List<Result>();
            var hand = new List<Result>();
            for (var round = 1; options.Runs("compare") && round <= options.Rounds; round++)
            {
                sink.Reset();
                var h = await HandwrittenRunAsync(sink, options.Orders, options.Concurrency, options).ConfigureAwait(false);
                hand.Add(h);
                rows.Add(($"hand-written HttpClient+Polly, round {round}", N(h.Completed), S(h.Seconds), N(h.Rps), $"{Check(sink, h.Completed)}; {h.Note}"));
                sink.Reset();
                var s = await SdkRunAsync(sink, options.Orders, options.Concurrency, null, options).ConfigureAwait(false);
                sdk.Add(s);
                rows.Add(($"SDK, in-memory state, round {round}", N(s.Completed), S(s.Seconds), N(s.Rps), $"{Check(sink, s.Completed)}; {s.Note}"));
            }

            var sdkRps = Median(sdk);
            var handRps = Median(hand);
            var ratio = handRps > 0 ? sdkRps / handRps : 0;

            // a'. SDK with SQLite state.
            sink.Reset();
            var sqlite = options.Runs("sqlite")
                ? await SdkRunAsync(sink, options.SqliteOrders, options.Concurrency, Path.Combine(work, "sync.db"), options).ConfigureAwait(false)
                : new Result(0, 0, "skipped");
            rows.Add(("SDK, SQLite state", N(sqlite.Completed), S(sqlite.Seconds), N(sqlite.Rps), Check(sink, sqlite.Completed)));

            // b. Webhooks: accepted into the SQLite inbox, then end to end through the processor to the sink.
            var ingest = options.Runs("webhooks") ? await WebhookIngestAsync(options, work).ConfigureAwait(false) : new Result(0, 0, "skipped");
            rows.Add(("webhooks accepted into SQLite inbox", N(ingest.Completed), S(ingest.Seconds), N(ingest.Rps), $"{options.Senders} senders; inbox holds {ingest.Note}"));
            sink.Reset();
            var e2e = options.Runs("webhooks-e2e") ? await WebhookEndToEndAsync(sink, options, work).ConfigureAwait(false) : new Result(0, 0, "skipped");
            rows.Add(("webhooks end to end (inbox → sync → sink)", N(e2e.Completed), S(e2e.Seconds), N(e2e.Rps), $"{e2e.Note}; {Check(sink, e2e.Completed)}"));

            await PrintTableAsync(output, rows).ConfigureAwait(false);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"bench: sdk_rps={sdkRps:0} handwritten_rps={handRps:0} ratio={ratio:0.00} sqlite_rps={sqlite.Rps:0} webhook_rps={ingest.Rps:0} backfill_peak_mb={backfill.PeakMb}")).ConfigureAwait(false);
            return 0;
        }
        finally
        {
            TryDelete(work);
        }
    }

    private static async Task<Result> SdkRunAsync(Sink sink, int orders, int concurrency, string? sqlitePath, BenchOptions options, bool incremental = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        var integrations = builder.Services.AddIntegrations();
        if (sqlitePath is not null)
        {
            integrations.UseSqliteState(sqlitePath);
        }

        var source = new OrderGenerator(orders);
        integrations.AddBooks(sink.BaseAddress).AddSync<BenchOrder>("orders-to-invoices", s => OrderSync.Steps(
            incremental ? s.FromIncremental(_ => source) : s.FromFull(_ => source), concurrency));
        using var host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        using var limit = new CancellationTokenSource(options.MaxScenarioTime);
        var runner = host.Services.GetRequiredService<ISyncRunner>();
        var cost = CostMeter.Start();
        var clock = Stopwatch.StartNew();
        var report = await runner.RunAsync("orders-to-invoices", cancellationToken: limit.Token).ConfigureAwait(false);
        clock.Stop();
        var summary = report.Summary;
        var per = cost.PerRecord(summary.Completed);
        await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        var note = summary.Status == RunStatus.Succeeded ? "" : $" ({summary.Status}: {summary.Error})";
        return new Result(summary.Completed, clock.Elapsed.TotalSeconds, $"{per}; dead-lettered={summary.DeadLettered} ambiguous={summary.Ambiguous}{note}");
    }

    private static async Task<Result> HandwrittenRunAsync(Sink sink, int orders, int concurrency, BenchOptions options)
    {
        using var hand = new Handwritten(sink.BaseAddress);
        using var limit = new CancellationTokenSource(options.MaxScenarioTime);
        var cost = CostMeter.Start();
        var clock = Stopwatch.StartNew();
        try
        {
            await hand.RunAsync(new OrderGenerator(orders).StreamAsync(limit.Token), concurrency, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            // Bounded in time: report what was done.
        }

        clock.Stop();
        return new Result(hand.Completed, clock.Elapsed.TotalSeconds, $"{cost.PerRecord(hand.Completed)}; failed={hand.Failed}");
    }

    private static async Task<Backfill> BackfillAsync(Sink sink, BenchOptions options, string work, TextWriter output)
    {
        using var process = Process.GetCurrentProcess();
        var samples = new List<long>();
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
                {
                    process.Refresh();
                    lock (samples)
                    {
                        samples.Add(process.WorkingSet64);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"backfill: {options.Backfill:N0} orders, SQLite state, streamed...")).ConfigureAwait(false);
        sink.Reset();
        var result = await SdkRunAsync(sink, options.Backfill, options.Concurrency, Path.Combine(work, "backfill.db"), options, incremental: true).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);
        process.Refresh();
        var peak = process.PeakWorkingSet64;
        string curve;
        lock (samples)
        {
            curve = samples.Count == 0
                ? "-"
                : string.Join(" → ", new[] { 0.1, 0.5, 1.0 }.Select(f => samples[Math.Min(samples.Count - 1, (int)(samples.Count * f))] / (1024 * 1024)).Select(mb => $"{mb} MB")) + " at 10%/50%/end";
        }

        if (sink.Invoices != result.Completed || sink.Duplicates != 0)
        {
            curve += $"; sink: invoices={sink.Invoices} duplicates={sink.Duplicates}";
        }

        return new Backfill(result.Completed, result.Seconds, (long)Math.Ceiling(peak / (1024.0 * 1024.0)), curve);
    }

    private static async Task<Result> WebhookIngestAsync(BenchOptions options, string work)
    {
        var deliveries = new Deliveries(options.Webhooks, 1001);
        await using var host = await WebhookHost.StartAsync(Path.Combine(work, "inbox.db"), sink: null, processors: 1).ConfigureAwait(false);
        using var senders = Senders();
        var factory = senders.GetRequiredService<IHttpClientFactory>();
        await new Deliveries(Math.Min(200, options.Webhooks), 9_000_001).SendAsync(factory, host.Endpoint, options.Senders, CancellationToken.None).ConfigureAwait(false); // warm-up
        using var limit = new CancellationTokenSource(options.MaxScenarioTime);
        var clock = Stopwatch.StartNew();
        var ok = 0;
        try
        {
            ok = await deliveries.SendAsync(factory, host.Endpoint, options.Senders, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
        }

        clock.Stop();
        var counts = await host.Inbox.CountAsync(CancellationToken.None).ConfigureAwait(false);
        var accepted = counts.Pending - Math.Min(200, options.Webhooks);
        return new Result(Math.Min(ok, accepted), clock.Elapsed.TotalSeconds, $"{accepted} new pending (answered 200: {ok})");
    }

    private static async Task<Result> WebhookEndToEndAsync(Sink sink, BenchOptions options, string work)
    {
        var deliveries = new Deliveries(options.WebhookEndToEnd, 1001);
        await using var host = await WebhookHost.StartAsync(Path.Combine(work, "e2e.db"), sink, processors: options.Concurrency).ConfigureAwait(false);
        using var senders = Senders();
        var factory = senders.GetRequiredService<IHttpClientFactory>();
        using var limit = new CancellationTokenSource(options.MaxScenarioTime);
        var clock = Stopwatch.StartNew();
        var ok = 0;
        InboxCounts counts = new(0, 0, 0, 0);
        try
        {
            ok = await deliveries.SendAsync(factory, host.Endpoint, options.Senders, limit.Token).ConfigureAwait(false);
            while (true)
            {
                counts = await host.Inbox.CountAsync(limit.Token).ConfigureAwait(false);
                if (counts.Completed + counts.DeadLettered >= ok)
                {
                    break;
                }

                await Task.Delay(20, limit.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
        }

        clock.Stop();
        return new Result(counts.Completed, clock.Elapsed.TotalSeconds, $"{options.Concurrency} processors, inbox completed={counts.Completed} dead-lettered={counts.DeadLettered}");
    }

    private static ServiceProvider Senders()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("senders", c => c.Timeout = TimeSpan.FromSeconds(30)).RemoveAllLoggers();
        return services.BuildServiceProvider();
    }

    private static string Check(Sink sink, long completed) =>
        (sink.Invoices == completed && sink.Duplicates == 0 ? "sink: invoices match, 0 duplicates" : $"sink: invoices={sink.Invoices} duplicates={sink.Duplicates}")
        + string.Create(CultureInfo.InvariantCulture, $", {sink.Requests / (double)Math.Max(1, completed):0.00} requests/record");

    private static double Median(List<Result> results)
    {
        var sorted = results.Select(r => r.Rps).Order().ToList();
        return sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static async Task PrintTableAsync(TextWriter output, List<(string Scenario, string Records, string Seconds, string Rate, string Note)> rows)
    {
        var w0 = Math.Max(8, rows.Max(r => r.Scenario.Length));
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync($"{"scenario".PadRight(w0)} | {"records",9} | {"seconds",8} | {"per s",8} | note").ConfigureAwait(false);
        await output.WriteLineAsync($"{new string('-', w0)}-|-{new string('-', 9)}-|-{new string('-', 8)}-|-{new string('-', 8)}-|------").ConfigureAwait(false);
        foreach (var r in rows)
        {
            await output.WriteLineAsync($"{r.Scenario.PadRight(w0)} | {r.Records,9} | {r.Seconds,8} | {r.Rate,8} | {r.Note}").ConfigureAwait(false);
        }

        await output.WriteLineAsync().ConfigureAwait(false);
    }

    private static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string S(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static void TryDelete(string directory)
    {
        try
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed record Result(long Completed, double Seconds, string Note)
    {
        public double Rps => Seconds > 0 ? Completed / Seconds : 0;
    }

    private sealed record Backfill(long Completed, double Seconds, long PeakMb, string Samples)
    {
        public double Rps => Seconds > 0 ? Completed / Seconds : 0;
    }
}

/// <summary>The bench's options; <c>--smoke</c> makes every count tiny.</summary>
internal sealed record BenchOptions(
    bool Smoke, string? Only, int Orders, int SqliteOrders, int Rounds, int Concurrency, int Webhooks, int WebhookEndToEnd, int Senders, int Backfill, int Warmup, TimeSpan MaxScenarioTime)
{
    /// <summary>Whether a scenario runs (all do, unless <c>--only NAME</c> picks one, for profiling).</summary>
    public bool Runs(string scenario) => Only is null || Only == scenario;

    public static BenchOptions Parse(string[] args)
    {
        var smoke = args.Contains("--smoke");
        var o = smoke
            ? new BenchOptions(true, null, 400, 300, 1, 64, 300, 100, 16, 1_000, 200, TimeSpan.FromSeconds(60))
            : new BenchOptions(false, null, 100_000, 100_000, 3, 64, 50_000, 10_000, 64, 1_000_000, 5_000, TimeSpan.FromMinutes(10));
        for (var i = 0; i < args.Length; i++)
        {
            int Next() => i + 1 < args.Length && int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
                ? v
                : throw new ArgumentException($"{args[i]} needs a positive whole number");
            o = args[i] switch
            {
                "--smoke" => o,
                "--only" => o with { Only = i + 1 < args.Length ? args[++i] : throw new ArgumentException("--only needs a scenario: backfill, compare, sqlite, webhooks or webhooks-e2e") },
                "--orders" => o with { Orders = Next() },
                "--sqlite-orders" => o with { SqliteOrders = Next() },
                "--rounds" => o with { Rounds = Next() },
                "--concurrency" => o with { Concurrency = Next() },
                "--webhooks" => o with { Webhooks = Next() },
                "--webhooks-e2e" => o with { WebhookEndToEnd = Next() },
                "--senders" => o with { Senders = Next() },
                "--backfill" => o with { Backfill = Next() },
                "--max-seconds" => o with { MaxScenarioTime = TimeSpan.FromSeconds(Next()) },
                _ => throw new ArgumentException(
                    $"unknown option {args[i]}; use --smoke --only SCENARIO --orders N --sqlite-orders N --rounds N --concurrency N --webhooks N --webhooks-e2e N --senders N --backfill N --max-seconds N"),
            };
        }

        return o;
    }
}

/// <summary>
/// The process's CPU time and thread-pool work items over a timed section, per record: the sink's share is the same
/// for both sides, so differences between them are the client side's.
/// </summary>
internal readonly record struct CostMeter(TimeSpan Cpu, long WorkItems, long Allocated, TimeSpan GcPause, int Gen0, int Gen2)
{
    public static CostMeter Start()
    {
        using var process = Process.GetCurrentProcess();
        return new CostMeter(process.TotalProcessorTime, ThreadPool.CompletedWorkItemCount, GC.GetTotalAllocatedBytes(), GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(2));
    }

    public string PerRecord(long records)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = (process.TotalProcessorTime - Cpu).TotalMicroseconds;
        var items = ThreadPool.CompletedWorkItemCount - WorkItems;
        var n = Math.Max(1, records);
        var allocated = (GC.GetTotalAllocatedBytes() - Allocated) / (double)n;
        var pause = (GC.GetTotalPauseDuration() - GcPause).TotalMicroseconds / n;
        return string.Create(CultureInfo.InvariantCulture,
            $"cpu {cpu / n:0} µs/record, {(double)items / n:0.0} thread-pool items/record, {allocated / 1024:0.0} KB/record, GC pause {pause:0.0} µs/record ({GC.CollectionCount(0) - Gen0} gen0, {GC.CollectionCount(2) - Gen2} gen2)");
    }
}
