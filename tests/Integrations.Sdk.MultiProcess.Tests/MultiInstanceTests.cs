using System.Collections.Concurrent;
using Integrations.Sdk.PostgreSql;
using Integrations.Sdk.State;
using Npgsql;
using Xunit.Abstractions;

namespace Integrations.Sdk.MultiProcess.Tests;

/// <summary>
/// Three host instances (processes) on one PostgreSQL state drain a shared inbox of 5,000 events and run the same
/// scheduled incremental sync; one instance is killed with SIGKILL midway.
/// </summary>
public sealed class MultiInstanceTests(ITestOutputHelper output)
{
    private const int Events = 5_000;
    private const int Orders = 3_000;

    [SkippableFact]
    public async Task ThreeInstances_OneKilledMidway_ProcessEveryEventOnceAndTheCheckpointNeverGoesBack()
    {
        var connectionString = Postgres.RequireConnectionString();
        var schema = "mi_" + Guid.NewGuid().ToString("N");
        await using var sink = await Sink.StartAsync();
        await using var store = new PostgreSqlStateStore(new PostgreSqlStateOptions { ConnectionString = connectionString, Schema = schema });
        IWebhookInbox inbox = store;
        ICheckpointStore checkpoints = store;

        // The shared inbox, filled as the webhook endpoint would; every 10th event is delivered twice.
        var received = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(Enumerable.Range(1, Events), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            for (var copy = 0; copy < (i % 10 == 0 ? 2 : 1); copy++)
            {
                var eventId = $"evt_{i:D5}";
                await inbox.TryAddAsync(new InboxMessage
                {
                    Id = InboxMessage.CreateId("acme", eventId),
                    Source = "acme",
                    EventId = eventId,
                    EventType = "thing.happened",
                    Payload = $$"""{"eventId":"{{eventId}}"}""",
                    ReceivedAt = received,
                    DueAt = received,
                }, ct);
            }
        });
        (await inbox.CountAsync()).Pending.Should().Be(Events, "duplicate deliveries are stored once");

        var instances = new Dictionary<string, ChildProcess>(StringComparer.Ordinal);
        try
        {
            foreach (var name in new[] { "a", "b", "c" })
            {
                instances[name] = ChildProcess.Start("instance", connectionString, schema, sink.Address.ToString(), name);
            }

            foreach (var (name, child) in instances)
            {
                await Eventually.Until(() => child.Lines.Contains("ready") || child.HasExited, TimeSpan.FromSeconds(60), () => $"instance {name} started:\n{child.Output}");
                child.HasExited.Should().BeFalse(child.Output);
            }

            // Watch the checkpoint of the scheduled sync while everything runs: it must never go back.
            var observed = new ConcurrentQueue<string>();
            using var stopWatching = new CancellationTokenSource();
            var watcher = Task.Run(async () =>
            {
                while (!stopWatching.IsCancellationRequested)
                {
                    if (await checkpoints.GetAsync("ledger") is { } checkpoint)
                    {
                        observed.Enqueue(checkpoint);
                    }

                    await Task.Delay(10);
                }
            });

            // Orders appear as the events are worked off, so the scheduled sync has work all along.
            string killed = "";
            long sequenceAtKill = 0;
            await Eventually.Until(
                () =>
                {
                    sink.VisibleOrders = Math.Min(Orders, sink.EffectsByEvent.Count * Orders / Events + 1);
                    return sink.EffectsByEvent.Count >= Events * 2 / 5 && sink.LastLedgerWriter.Instance.Length > 0;
                },
                TimeSpan.FromMinutes(3),
                () => $"40% of the events were applied (now {sink.EffectsByEvent.Count})");

            // Kill the instance that is running the scheduled sync right now, mid-write.
            (killed, sequenceAtKill) = sink.LastLedgerWriter;
            instances[killed].KillHard();
            var effectsAtKill = sink.EffectsByEvent.Count;
            output.WriteLine($"killed instance {killed} after {effectsAtKill} effects and {sink.LedgerByOrder.Count} ledger entries");

            await Eventually.Until(
                () =>
                {
                    sink.VisibleOrders = Math.Min(Orders, sink.EffectsByEvent.Count * Orders / Events + 1);
                    return sink.EffectsByEvent.Count == Events && sink.LedgerByOrder.Count == Orders;
                },
                TimeSpan.FromMinutes(4),
                () => $"every event and order was applied (events {sink.EffectsByEvent.Count}/{Events}, orders {sink.LedgerByOrder.Count}/{Orders})");
            await Eventually.Until(async () => (await inbox.CountAsync()).Completed == Events, TimeSpan.FromSeconds(60), () => "the inbox recorded every event as completed");
            await Eventually.Until(async () => await checkpoints.GetAsync("ledger") == Checkpoint(Orders), TimeSpan.FromSeconds(60), () => "the checkpoint reached the last order");
            await stopWatching.CancelAsync();
            await watcher;

            output.WriteLine($"writes by instance: {string.Join(", ", sink.WritesByInstance.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"))}; replays absorbed by idempotency keys: {sink.Replays}; checkpoints observed: {observed.Count}");

            // Exactly once in effect: every event and order applied once, none twice, none lost.
            sink.EffectsByEvent.Should().HaveCount(Events).And.OnlyContain(p => p.Value == 1);
            sink.LedgerByOrder.Should().HaveCount(Orders).And.OnlyContain(p => p.Value == 1);
            var counts = await inbox.CountAsync();
            counts.Should().Be(new InboxCounts(0, 0, Events, 0));

            // The work was shared, and the scheduled sync moved on to a survivor after the kill.
            sink.WritesByInstance.Keys.Should().BeEquivalentTo(["a", "b", "c"]);
            sink.LastLedgerWriter.Sequence.Should().BeGreaterThan(sequenceAtKill);
            sink.LastLedgerWriter.Instance.Should().NotBe(killed, "the sync's lock was released with the killed instance's connection");

            // Re-sent requests are only those the killed instance had in flight (its claimed events and its run's records).
            sink.Replays.Should().BeLessThan(64);

            // The checkpoint never went back.
            observed.Should().BeInAscendingOrder(StringComparer.Ordinal);
        }
        finally
        {
            foreach (var child in instances.Values)
            {
                child.Dispose();
            }

            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static string Checkpoint(long id) => id.ToString("D12", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The PostgreSQL server named by INTEGRATIONS_SDK_POSTGRES: skipped without one, except under .ci/run.</summary>
internal static class Postgres
{
    public static string RequireConnectionString()
    {
        var connectionString = Environment.GetEnvironmentVariable("INTEGRATIONS_SDK_POSTGRES");
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return connectionString;
        }

        if (Environment.GetEnvironmentVariable("INTEGRATIONS_SDK_CI") == "1")
        {
            throw new InvalidOperationException("INTEGRATIONS_SDK_POSTGRES is not set; .ci/run should have started PostgreSQL.");
        }

        Skip.If(true, "The multi-instance test needs PostgreSQL: set INTEGRATIONS_SDK_POSTGRES (bash .ci/run starts one).");
        throw new InvalidOperationException("unreachable");
    }
}
