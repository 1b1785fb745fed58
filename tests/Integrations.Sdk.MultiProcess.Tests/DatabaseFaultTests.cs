using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;
using Polly.Retry;
using Xunit.Abstractions;

namespace Integrations.Sdk.MultiProcess.Tests;

/// <summary>
/// PostgreSQL fails under a running host: the server is restarted and every connection of the database is terminated,
/// several times, while a scheduled-style incremental sync runs again and again and the inbox processor drains events
/// that keep arriving. The server is the test's own (see <see cref="PrivatePostgres"/>), so no other test is disturbed.
/// </summary>
public sealed class DatabaseFaultTests(ITestOutputHelper output)
{
    private const int Orders = 600;
    private const int Events = 600;

    [Fact]
    public async Task PostgreSqlRestartedAndConnectionsTerminated_RunsAndInboxRecover_EveryRecordAppliedExactlyOnce()
    {
        var clock = Stopwatch.StartNew();
        await using var server = await PrivatePostgres.StartAsync();
        var platform = new Platform();
        long visible = 0;

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders();
        var integrations = builder.Services.AddIntegrations().UsePostgreSqlState(o =>
        {
            o.ConnectionString = server.ConnectionString;
            o.Schema = "faults";
            o.LockCheckInterval = TimeSpan.FromMilliseconds(500);
        });
        integrations.ConfigureWebhooks(o =>
        {
            o.Lease = TimeSpan.FromSeconds(3);
            o.PollInterval = TimeSpan.FromMilliseconds(50);
            o.Concurrency = 4;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(200);
            o.RetryMaxDelay = TimeSpan.FromSeconds(1);
        });
        integrations.AddSync<FaultOrder>("ledger", sync => sync
            .FromIncremental(_ => new GrowingSource(() => Interlocked.Read(ref visible)))
            .Key(o => "order:" + o.Id)
            .WithConcurrency(4)
            .Step("post", WriteSafety.IdempotencyKey, async (o, step, ct) =>
            {
                await Task.Delay(3, ct);
                return platform.Apply(step.IdempotencyKey, "order:" + o.Id);
            }));
        integrations.AddSync<FaultEvent>("effects", sync => sync
            .FromEvents()
            .Key(e => "event:" + e.EventId)
            .WithConcurrency(4)
            .Step("apply", WriteSafety.IdempotencyKey, async (e, step, ct) =>
            {
                await Task.Delay(3, ct);
                return platform.Apply(step.IdempotencyKey, "event:" + e.EventId);
            }));
        // The events are put in the inbox by the test, not received over HTTP; the route still needs its source.
        builder.Services.AddSingleton<IWebhookSource, AcmeInboxSource>();
        integrations.AddWebhookRoute<FaultEvent>("acme", "effects", e => new FaultEvent(e.EventId));

        using var host = builder.Build();
        await host.StartAsync();
        var runner = host.Services.GetRequiredService<ISyncRunner>();
        var inbox = host.Services.GetRequiredService<IWebhookInbox>();

        // The sync runs back to back, as a schedule would run it; a run that throws is logged and the next one starts.
        using var stop = new CancellationTokenSource();
        var runs = new ConcurrentQueue<string>();
        var runLoop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var report = await runner.RunAsync("ledger", cancellationToken: stop.Token);
                    runs.Enqueue(report.Summary.Status.ToString());
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    runs.Enqueue("threw " + ex.GetType().Name);
                    await Task.Delay(50);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });

        // New orders and events keep arriving; an event the inbox did not take is delivered again, as a platform would.
        var redelivered = 0;
        var redeliver = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>().Handle<TimeoutException>().Handle<InvalidOperationException>(),
                MaxRetryAttempts = 600,
                Delay = TimeSpan.FromMilliseconds(100),
                BackoffType = DelayBackoffType.Constant,
                OnRetry = _ =>
                {
                    Interlocked.Increment(ref redelivered);
                    return default;
                },
            })
            .Build();
        var feeder = Task.Run(async () =>
        {
            for (var batch = 0; batch < 40; batch++)
            {
                Interlocked.Add(ref visible, Orders / 40);
                for (var i = batch * (Events / 40); i < (batch + 1) * (Events / 40); i++)
                {
                    var eventId = $"evt_{i:D4}";
                    await redeliver.ExecuteAsync(async token =>
                    {
                        var now = TimeProvider.System.GetUtcNow();
                        await inbox.TryAddAsync(
                            new InboxMessage
                            {
                                Id = InboxMessage.CreateId("acme", eventId),
                                Source = "acme",
                                EventId = eventId,
                                EventType = "thing.happened",
                                Payload = $$"""{"eventId":"{{eventId}}"}""",
                                ReceivedAt = now,
                                DueAt = now,
                            },
                            token);
                    });
                }

                await Task.Delay(60);
            }
        });

        // The faults, each once the work has moved on since the previous one.
        var faults = new List<string>();
        for (var round = 0; round < 5; round++)
        {
            var progress = platform.Applied.Count + 60;
            await Eventually.Until(() => platform.Applied.Count >= progress || feeder.IsCompleted, TimeSpan.FromMinutes(1), () => $"work went on after the fault (applied {platform.Applied.Count})");
            if (round % 2 == 0)
            {
                var ended = await TerminateConnectionsAsync(server.ConnectionString);
                faults.Add($"terminated {ended} connections at {platform.Applied.Count} effects");
            }
            else
            {
                await server.RestartAsync();
                faults.Add($"restarted the server at {platform.Applied.Count} effects");
            }
        }

        await feeder.WaitAsync(TimeSpan.FromMinutes(2));

        // Recovery: runs go on until every order is applied; the inbox processor drains every event.
        await Eventually.Until(
            () => Enumerable.Range(1, Orders).All(i => platform.Applied.ContainsKey("order:" + i)),
            TimeSpan.FromMinutes(2),
            () => $"every order was applied (now {platform.Applied.Keys.Count(k => k.StartsWith("order:", StringComparison.Ordinal))}; runs {string.Join(", ", runs.TakeLast(5))})");
        await Eventually.Until(
            async () => Enumerable.Range(0, Events).All(i => platform.Applied.ContainsKey($"event:evt_{i:D4}"))
                && await inbox.CountAsync() is { Pending: 0, Processing: 0 },
            TimeSpan.FromMinutes(2),
            () => $"every event was applied and the inbox drained (applied {platform.Applied.Keys.Count(k => k.StartsWith("event:", StringComparison.Ordinal))})");
        await stop.CancelAsync();
        await runLoop;

        // One more run after the faults: it finds everything done.
        var followUp = await runner.RunAsync("ledger");
        var counts = await inbox.CountAsync();
        var deadLetters = host.Services.GetRequiredService<IDeadLetterStore>();
        var setAside = (await deadLetters.ListAsync("ledger", limit: 100)).Count + (await deadLetters.ListAsync("effects", limit: 100)).Count;
        await host.StopAsync();

        var statuses = runs.GroupBy(s => s).Select(g => $"{g.Key}={g.Count()}");
        var duplicates = platform.Applied.Values.Sum(n => n - 1);
        var lost = Orders + Events - platform.Applied.Count;
        output.WriteLine(string.Join("; ", faults));
        output.WriteLine($"db-faults: runs {string.Join(" ", statuses)}; events re-delivered {redelivered}; replays answered by idempotency key {platform.Replays}; " +
            $"duplicates={duplicates} lost={lost} dead-lettered={setAside} inbox completed={counts.Completed} dead={counts.DeadLettered}; {clock.Elapsed.TotalSeconds:F0} s");

        faults.Should().HaveCount(5);
        followUp.Summary.Status.Should().Be(RunStatus.Succeeded, "the sync works again after the faults");
        duplicates.Should().Be(0, "no order or event is applied twice");
        lost.Should().Be(0);
        platform.Applied.Should().HaveCount(Orders + Events);
        setAside.Should().Be(0, "a database outage sets no record aside");
        counts.DeadLettered.Should().Be(0, "a database outage dead-letters no event");
        counts.Completed.Should().Be(Events);
    }

    private static async Task<int> TerminateConnectionsAsync(string connectionString)
    {
        // Every other connection to this test's own database ends (57P01), as after a failover or an administrator's purge.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public sealed record FaultOrder(long Id);

    public sealed record FaultEvent(string EventId);

    /// <summary>The webhook source of the events the test puts in the inbox itself; it receives no request.</summary>
    private sealed class AcmeInboxSource : IWebhookSource
    {
        public string Name => "acme";

        public WebhookVerification Verify(WebhookRequest request) => WebhookVerification.Invalid("acme events are put in the inbox directly");

        public IReadOnlyList<WebhookEvent> Parse(WebhookRequest request) => [];
    }

    /// <summary>Orders 1..visible, read after the checkpoint (the last id, zero-padded so it sorts).</summary>
    private sealed class GrowingSource(Func<long> visible) : IRecordSource<FaultOrder>
    {
        public async IAsyncEnumerable<SourceRecord<FaultOrder>> ReadAsync(string? checkpoint, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var after = checkpoint is null ? 0 : long.Parse(checkpoint, CultureInfo.InvariantCulture);
            for (var id = after + 1; id <= visible(); id++)
            {
                await Task.Yield();
                yield return new SourceRecord<FaultOrder>(new FaultOrder(id), id.ToString("D12", CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>The platform: writes deduplicated by idempotency key (a repeat gets the first answer); counts effects per record.</summary>
    private sealed class Platform
    {
        private readonly ConcurrentDictionary<string, string> _answers = new(StringComparer.Ordinal);
        private int _replays;

        public ConcurrentDictionary<string, int> Applied { get; } = new(StringComparer.Ordinal);

        public int Replays => Volatile.Read(ref _replays);

        public string Apply(string idempotencyKey, string record)
        {
            var fresh = false;
            var answer = _answers.GetOrAdd(idempotencyKey, _ =>
            {
                fresh = true;
                return record;
            });
            if (fresh)
            {
                Applied.AddOrUpdate(record, 1, (_, n) => n + 1);
            }
            else
            {
                Interlocked.Increment(ref _replays);
            }

            return answer;
        }
    }
}
