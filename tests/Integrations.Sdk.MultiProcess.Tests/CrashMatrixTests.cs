using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Integrations.Sdk.PostgreSql;
using Integrations.Sdk.Sqlite;
using Integrations.Sdk.State;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.Stripe;
using Npgsql;
using ShopifyToQuickBooks;
using Xunit.Abstractions;

namespace Integrations.Sdk.MultiProcess.Tests;

/// <summary>
/// The crash matrix: child processes killed with SIGKILL at random points (reproducible from the logged seed) and
/// restarted on the same state, for the polling sync (the main sample, Shopify → QuickBooks, with kills between a
/// token refresh and its save) and the webhook host (Stripe endpoint → inbox → processor; kills while events are
/// POSTed and while the processor works), on SQLite and on PostgreSQL. The platforms live in this process, so they
/// see every write of every child. Writes one line <c>crash: kills=N duplicates=N lost=N</c> with the totals.
/// </summary>
public sealed class CrashMatrixTests(ITestOutputHelper output) : IDisposable
{
    private const int PollingKills = 26;
    private const int WebhookKills = 24;
    private readonly string _directory = Directory.CreateTempSubdirectory("integrations-crash-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [SkippableFact]
    public async Task CrashMatrix_SigkillAtRandomPoints_NothingDuplicatedNothingLost()
    {
        var connectionString = Postgres.RequireConnectionString();
        var seedText = Environment.GetEnvironmentVariable("INTEGRATIONS_SDK_CRASH_SEED");
        var seed = string.IsNullOrEmpty(seedText) ? Random.Shared.Next(1, 1_000_000) : int.Parse(seedText, CultureInfo.InvariantCulture);
        output.WriteLine($"seed={seed} (rerun the same kill points with INTEGRATIONS_SDK_CRASH_SEED={seed})");

        var total = Stopwatch.StartNew();
        var cells = new List<Cell>();
        var schemas = new List<string>();
        try
        {
            var states = new[]
            {
                CellState.Sqlite(Path.Combine(_directory, "polling.db")),
                CellState.Postgres(connectionString, NewSchema(schemas)),
            };
            foreach (var state in states.Where(s => Selected(s.Kind, "polling")))
            {
                cells.Add(await PollingSyncCellAsync(state, seed + cells.Count));
            }

            var webhookStates = new[]
            {
                CellState.Sqlite(Path.Combine(_directory, "webhooks.db")),
                CellState.Postgres(connectionString, NewSchema(schemas)),
            };
            foreach (var state in webhookStates.Where(s => Selected(s.Kind, "webhook")))
            {
                cells.Add(await WebhookCellAsync(state, seed + cells.Count));
            }
        }
        finally
        {
            await DropSchemasAsync(connectionString, schemas);
        }

        foreach (var cell in cells)
        {
            output.WriteLine(cell.ToString());
            foreach (var problem in cell.Problems)
            {
                output.WriteLine("  problem: " + problem);
            }
        }

        var kills = cells.Sum(c => c.Kills);
        var duplicates = cells.Sum(c => c.Duplicates);
        var lost = cells.Sum(c => c.Lost);
        output.WriteLine($"matrix: {cells.Count} cells in {total.Elapsed.TotalSeconds:F0} s");
        output.WriteLine($"crash: kills={kills} duplicates={duplicates} lost={lost}");

        if (string.IsNullOrEmpty(CellFilter))
        {
            kills.Should().BeGreaterThanOrEqualTo(100, "the matrix kills the children at least 100 times in all");
        }

        cells.Where(c => c.Kind == "polling sync").Should().OnlyContain(c => c.TokenKills > 0, "every polling cell kills a child between a token refresh and its save");
        duplicates.Should().Be(0);
        lost.Should().Be(0);
        cells.SelectMany(c => c.Problems).Should().BeEmpty();
    }

    /// <summary>
    /// The main sample's sync, killed after a random number of QuickBooks requests, or right after QuickBooks issued a
    /// new token pair (before the child could save the rotated refresh token); then one run to the end.
    /// </summary>
    private async Task<Cell> PollingSyncCellAsync(CellState state, int seed)
    {
        var clock = Stopwatch.StartNew();
        var cell = new Cell("polling sync", state.Kind);
        await using var platforms = await OfflinePlatforms.OpenAsync(Path.Combine(_directory, $"platforms-{state.Kind}"), orders: 600, seed: 17, faultRate: 0);
        foreach (var simulator in new SimulatorHost[] { platforms.Shopify, platforms.QuickBooks })
        {
            // A little latency keeps several writes in flight at any moment, so kills land mid-request.
            simulator.Faults.Latency = TimeSpan.FromMilliseconds(5);
        }

        // Access tokens usable for about 2 s (the SDK refreshes 60 s before expiry): almost every child refreshes, and
        // the refresh token rotates each time.
        var quickBooks = platforms.QuickBooks;
        quickBooks.AccessTokenLifetime = TimeSpan.FromSeconds(62);
        var stockBefore = quickBooks.Items.ToDictionary(i => i.Sku!, i => i.QtyOnHand);
        await using (var store = await state.OpenAsync())
        {
            await ((ITokenStore)store).SaveAsync("quickbooks", quickBooks.RealmId, quickBooks.IssueToken());
        }

        var endpointsFile = Path.Combine(_directory, $"endpoints-{state.Kind}.json");
        await File.WriteAllTextAsync(endpointsFile, JsonSerializer.Serialize(platforms.Endpoints with { InitialRefreshToken = null }, JsonSerializerOptions.Web));
        string[] arguments = ["shopify-sync", endpointsFile, .. state.Arguments];

        // Armed for one child at a time: killed inside the token endpoint, after the rotation, before the answer.
        ChildProcess? armed = null;
        var killedAtRefresh = 0;
        quickBooks.RefreshIssued += (_, _) =>
        {
            if (Interlocked.Exchange(ref armed, null) is { } child)
            {
                child.KillNow();
                Interlocked.Increment(ref killedAtRefresh);
            }
        };

        var random = new Random(seed);
        var finishedEarly = false;
        for (var start = 0; cell.Kills < PollingKills && start < PollingKills * 3; start++)
        {
            using var child = ChildProcess.Start(arguments);
            if (random.Next(4) == 0)
            {
                // Between a token refresh and its save: the child refreshes at start (its stored token is stale) or
                // within 2 s, and dies as QuickBooks answers.
                var before = Volatile.Read(ref killedAtRefresh);
                Volatile.Write(ref armed, child);
                await Eventually.Until(() => child.HasExited, TimeSpan.FromSeconds(60), () => $"the child refreshed its token ({cell.Name}, after {cell.Kills} kills):\n{child.Output}");
                Interlocked.Exchange(ref armed, null);
                if (Volatile.Read(ref killedAtRefresh) > before)
                {
                    cell.Kills++;
                    cell.TokenKills++;
                    continue;
                }

                finishedEarly = true;
                break;
            }

            await Eventually.Until(() => child.Lines.Contains("ready") || child.HasExited, TimeSpan.FromSeconds(60), () => "the worker started:\n" + child.Output);

            // A random point: after 5 to 50 more requests reached QuickBooks (reads, customer or invoice writes).
            var target = quickBooks.RequestCount + random.Next(5, 51);
            await Eventually.Until(() => quickBooks.RequestCount >= target || child.HasExited, TimeSpan.FromSeconds(120), () => $"QuickBooks received more requests ({cell.Name}, after {cell.Kills} kills):\n{child.Output}");
            if (child.HasExited)
            {
                finishedEarly = true;
                break;
            }

            child.KillHard();
            cell.Kills++;
        }

        cell.Notes.Add($"invoices under kills {quickBooks.Invoices.Count} of {platforms.PaidOrdersWithKnownSkus}, token refreshes {quickBooks.RefreshCount}{(finishedEarly ? ", a run finished before its kill" : "")}");

        // Restarted without kills until a run finds nothing left to do.
        using (var last = ChildProcess.Start(arguments))
        {
            var exit = await last.WaitForExitAsync(TimeSpan.FromMinutes(3));
            var summary = last.Lines.LastOrDefault(l => l.StartsWith("summary:", StringComparison.Ordinal)) ?? last.Output;
            cell.Notes.Add("final " + summary);
            if (exit != 0)
            {
                cell.Problems.Add($"{cell.Name}: the final run failed (exit {exit}): {last.Output}");
            }
        }

        // Duplicates: an invoice or customer created twice; stock reduced more than once per invoiced line.
        cell.Duplicates += quickBooks.DuplicateInvoices.Count + quickBooks.DuplicateCustomers.Count;
        var expected = platforms.Shopify.Orders
            .Where(o => o.FinancialStatus == "PAID" && o.LineItems.All(l => stockBefore.ContainsKey(l.Sku!)))
            .ToList();
        var invoiced = quickBooks.Invoices.Select(i => i.DocNumber).ToHashSet(StringComparer.Ordinal);
        cell.Duplicates += quickBooks.Invoices.Count(i => !expected.Any(o => o.Name.TrimStart('#') == i.DocNumber));
        var sold = quickBooks.Invoices.SelectMany(i => i.Lines).GroupBy(l => l.ItemId).ToDictionary(g => g.Key, g => g.Sum(l => l.Qty));
        foreach (var item in quickBooks.Items.Where(i => stockBefore.ContainsKey(i.Sku!)))
        {
            var off = stockBefore[item.Sku!] - sold.GetValueOrDefault(item.Id) - item.QtyOnHand;
            if (off != 0)
            {
                cell.Problems.Add($"{cell.Name}: item {item.Sku} stock is off by {off}");
            }
        }

        // Lost: a paid order with known SKUs not invoiced, or whose record is not completed in the step memo.
        await using var check = await state.OpenAsync();
        foreach (var order in expected)
        {
            var memos = await ((IStepMemoStore)check).GetRecordAsync(OrdersToInvoices.SyncName, $"shopify:order:{order.LegacyId}");
            if (!invoiced.Contains(order.Name.TrimStart('#')) || !memos.Any(m => m.Step == StepMemo.RecordStep && m.State == StepState.Completed))
            {
                cell.Lost++;
            }
        }

        // Nothing silently dropped: the only records set aside are the orders with an unknown SKU, each naming it.
        var deadLetters = await ((IDeadLetterStore)check).ListAsync(OrdersToInvoices.SyncName, limit: 1000);
        if (deadLetters.Count != platforms.PaidOrdersWithUnknownSkus
            || deadLetters.Any(d => d.Kind != DeadLetterKind.Failed || !d.Reason.Contains("SKU", StringComparison.Ordinal)))
        {
            cell.Problems.Add($"{cell.Name}: expected {platforms.PaidOrdersWithUnknownSkus} dead letters naming a SKU, found {deadLetters.Count}: "
                + string.Join("; ", deadLetters.Select(d => $"{d.Kind} {d.Reason}").Distinct().Take(5)));
        }

        cell.Seconds = clock.Elapsed.TotalSeconds;
        return cell;
    }

    /// <summary>
    /// The webhook host: Stripe-signed events POSTed by this test (4 at a time, as a platform delivers them); each child
    /// is killed either after a random number of answered POSTs (receiving) or, once its batch is stored, after a
    /// random number of effects (processing). A POST that got no answer is sent again to the next child.
    /// </summary>
    private async Task<Cell> WebhookCellAsync(CellState state, int seed)
    {
        var clock = Stopwatch.StartNew();
        var cell = new Cell("webhook host", state.Kind);
        await using var sink = await Sink.StartAsync();
        const string secret = "whsec_crash_matrix";
        var random = new Random(seed);
        string[] arguments = ["webhook-host", sink.Address.ToString(), secret, .. state.Arguments];

        var released = new ConcurrentQueue<string>();
        var accepted = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var all = new List<string>();
        var resent = 0;
        Uri? target = null;
        using var stop = new CancellationTokenSource();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        async Task SendAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                if (!released.TryDequeue(out var eventId))
                {
                    await Task.Delay(5);
                    continue;
                }

                // Until answered 2xx: a POST the host did not answer (killed, not listening yet) is delivered again.
                while (!stop.IsCancellationRequested)
                {
                    if (Volatile.Read(ref target) is not { } address)
                    {
                        await Task.Delay(5);
                        continue;
                    }

                    try
                    {
                        var webhook = SignedWebhook.Create(StripeEvent(eventId), body => new Dictionary<string, string>
                        {
                            ["Stripe-Signature"] = StripeSimulator.Sign(body, secret, TimeProvider.System.GetUtcNow()),
                        });
                        using var response = await webhook.PostAsync(http, new Uri(address, "/webhooks/stripe"));
                        if (response.IsSuccessStatusCode)
                        {
                            accepted[eventId] = true;
                            break;
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        // No answer: the platform delivers it again later.
                    }

                    Interlocked.Increment(ref resent);
                    await Task.Delay(10);
                }
            }
        }

        var senders = Enumerable.Range(0, 4).Select(_ => Task.Run(SendAsync)).ToList();
        var receivingKills = 0;
        var processingKills = 0;
        try
        {
            while (cell.Kills < WebhookKills)
            {
                using var child = ChildProcess.Start(arguments);
                var address = await ReadyAddressAsync(child);
                Volatile.Write(ref target, address);

                // A new batch of events is due from the platform.
                var batch = random.Next(10, 41);
                for (var i = 0; i < batch; i++)
                {
                    var id = $"evt_{state.Kind}_{all.Count:D5}";
                    all.Add(id);
                    released.Enqueue(id);
                }

                if (random.Next(2) == 0)
                {
                    // Receiving: while POSTs are in flight and being added to the inbox.
                    var answered = accepted.Count + random.Next(1, batch);
                    await Eventually.Until(() => accepted.Count >= answered || child.HasExited, TimeSpan.FromSeconds(60), () => $"the host answered more POSTs:\n{child.Output}");
                    receivingKills++;
                }
                else
                {
                    // Processing: once the batch is stored, while the inbox processor applies it.
                    await Eventually.Until(() => accepted.Count == all.Count || child.HasExited, TimeSpan.FromSeconds(60), () => $"the host stored the batch:\n{child.Output}");
                    var outstanding = all.Count - sink.EffectsByEvent.Count;
                    var effects = sink.EffectsByEvent.Count + random.Next(0, Math.Max(1, outstanding));
                    await Eventually.Until(() => sink.EffectsByEvent.Count >= effects || child.HasExited, TimeSpan.FromSeconds(60), () => $"the host applied more events:\n{child.Output}");
                    processingKills++;
                }

                if (child.HasExited)
                {
                    cell.Problems.Add($"{cell.Name}: a webhook host exited by itself: {child.Output}");
                    break;
                }

                Volatile.Write(ref target, null);
                child.KillHard();
                cell.Kills++;
            }

            // One last host, never killed, until every event was accepted and applied.
            using (var last = ChildProcess.Start(arguments))
            {
                Volatile.Write(ref target, await ReadyAddressAsync(last));
                await Eventually.Until(
                    () => accepted.Count == all.Count && all.All(sink.EffectsByEvent.ContainsKey),
                    TimeSpan.FromMinutes(2),
                    () => $"every event was accepted ({accepted.Count} of {all.Count}) and applied ({sink.EffectsByEvent.Count}):\n{last.Output}");
                Volatile.Write(ref target, null);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(senders);
        }

        cell.Notes.Add($"events {all.Count}, kills receiving {receivingKills} / processing {processingKills}, POSTs re-sent {resent}, sink replays {sink.Replays}");
        cell.Duplicates = sink.EffectsByEvent.Values.Sum(n => n - 1) + sink.EffectsByEvent.Keys.Count(k => !accepted.ContainsKey(k));
        cell.Lost = accepted.Keys.Count(k => !sink.EffectsByEvent.ContainsKey(k));

        // Nothing set aside either: no event of the inbox was dead-lettered.
        await using var check = await state.OpenAsync();
        var inbox = await ((IWebhookInbox)check).CountAsync();
        if (inbox.DeadLettered != 0)
        {
            cell.Problems.Add($"{cell.Name}: {inbox.DeadLettered} inbox messages were dead-lettered");
        }

        cell.Seconds = clock.Elapsed.TotalSeconds;
        return cell;
    }

    /// <summary>Whether to run a cell: all, unless INTEGRATIONS_SDK_CRASH_CELLS names some (e.g. <c>polling-sqlite,webhook-postgresql</c>).</summary>
    private static bool Selected(string state, string kind) =>
        CellFilter is not { Length: > 0 } cells || cells.Split(',').Contains(kind + "-" + state, StringComparer.Ordinal);

    private static string? CellFilter => Environment.GetEnvironmentVariable("INTEGRATIONS_SDK_CRASH_CELLS");

    private static async Task<Uri> ReadyAddressAsync(ChildProcess child)
    {
        string? ready = null;
        await Eventually.Until(
            () => (ready = child.Lines.FirstOrDefault(l => l.StartsWith("ready ", StringComparison.Ordinal))) is not null || child.HasExited,
            TimeSpan.FromSeconds(60),
            () => "the webhook host started:\n" + child.Output);
        return ready is null ? throw new InvalidOperationException("The webhook host exited: " + child.Output) : new Uri(ready["ready ".Length..]);
    }

    private static JsonObject StripeEvent(string eventId) => new()
    {
        ["id"] = eventId,
        ["object"] = "event",
        ["type"] = "invoice.payment_failed",
        ["created"] = 1_764_000_000,
        ["data"] = new JsonObject { ["object"] = new JsonObject { ["id"] = "in_" + eventId, ["object"] = "invoice" } },
    };

    private static string NewSchema(List<string> schemas)
    {
        var schema = "crash_" + Guid.NewGuid().ToString("N");
        schemas.Add(schema);
        return schema;
    }

    private static async Task DropSchemasAsync(string connectionString, List<string> schemas)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var schema in schemas)
        {
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    /// <summary>The state of one cell: the child's arguments, and the same store opened in this process.</summary>
    private sealed record CellState(string Kind, string[] Arguments, Func<IAsyncDisposable> Open)
    {
        public static CellState Sqlite(string path) => new("sqlite", ["sqlite", path], () => new SqliteStateStore(path));

        public static CellState Postgres(string connectionString, string schema) => new(
            "postgresql",
            ["postgres", connectionString, schema],
            () => new PostgreSqlStateStore(new PostgreSqlStateOptions { ConnectionString = connectionString, Schema = schema }));

        public ValueTask<IAsyncDisposable> OpenAsync() => ValueTask.FromResult(Open());
    }

    private sealed class Cell(string kind, string state)
    {
        public string Kind { get; } = kind;

        public string Name => $"{Kind} on {state}";

        public int Kills { get; set; }

        public int TokenKills { get; set; }

        public int Duplicates { get; set; }

        public int Lost { get; set; }

        public double Seconds { get; set; }

        public List<string> Notes { get; } = [];

        public List<string> Problems { get; } = [];

        public override string ToString() =>
            $"cell {Name}: kills={Kills}{(Kind == "polling sync" ? $" (between a token refresh and its save: {TokenKills})" : "")} duplicates={Duplicates} lost={Lost} seconds={Seconds:F1}; {string.Join("; ", Notes)}";
    }
}
