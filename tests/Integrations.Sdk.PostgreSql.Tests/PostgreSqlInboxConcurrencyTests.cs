using Integrations.Sdk.State;

namespace Integrations.Sdk.PostgreSql.Tests;

/// <summary>Several host instances (stores with their own data sources) sharing one inbox.</summary>
public sealed class PostgreSqlInboxConcurrencyTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);
    private readonly PostgreSqlTestSchema _schema = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _schema.DisposeAsync().AsTask();

    private static InboxMessage Message(int i) => new()
    {
        Id = InboxMessage.CreateId("stripe", $"evt_{i:0000}"),
        Source = "stripe",
        EventId = $"evt_{i:0000}",
        EventType = "invoice.payment_failed",
        Payload = $"{{\"n\":{i}}}",
        ReceivedAt = T0.AddMilliseconds(i),
        DueAt = T0.AddMilliseconds(i),
    };

    [SkippableFact]
    public async Task Claim_TwoInstancesClaimingConcurrently_NeverClaimAMessageTwice_AndTogetherClaimAll()
    {
        const int messages = 2_000;
        IWebhookInbox first = _schema.Open();
        IWebhookInbox second = _schema.Open();
        await Parallel.ForAsync(0, messages, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            (await first.TryAddAsync(Message(i), ct)).Should().BeTrue());

        // Both instances are connected and migrated before the race, so neither starts late.
        (await second.CountAsync()).Pending.Should().Be(messages);
        using var start = new ManualResetEventSlim();
        async Task<List<string>> Claimer(IWebhookInbox inbox)
        {
            await Task.Yield();
            start.Wait(TimeSpan.FromSeconds(10));
            var mine = new List<string>();
            while (true)
            {
                // Small batches: many rounds, so both instances' claimers overlap even on a busy machine.
                var batch = await inbox.ClaimAsync(T0.AddMinutes(1), T0.AddMinutes(10), max: 5);
                if (batch.Count == 0)
                {
                    return mine;
                }

                mine.AddRange(batch.Select(m => m.EventId));
            }
        }

        var claimers = Enumerable.Range(0, 8).Select(i => Task.Run(() => Claimer(i % 2 == 0 ? first : second))).ToList();
        start.Set();
        var claims = await Task.WhenAll(claimers);

        var all = claims.SelectMany(c => c).ToList();
        all.Should().HaveCount(messages).And.OnlyHaveUniqueItems();
        claims.Where((_, i) => i % 2 == 0).Sum(c => c.Count).Should().BePositive("the first instance took part");
        claims.Where((_, i) => i % 2 == 1).Sum(c => c.Count).Should().BePositive("the second instance took part");
        (await second.CountAsync()).Should().Be(new InboxCounts(0, messages, 0, 0));
    }

    [SkippableFact]
    public async Task Claim_SkipsARowAnotherTransactionHasLocked_WithoutWaiting()
    {
        IWebhookInbox inbox = _schema.Open();
        for (var i = 0; i < 3; i++)
        {
            await inbox.TryAddAsync(Message(i));
        }

        await using var other = await PostgreSqlTestServer.OpenAdminConnectionAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var command = new Npgsql.NpgsqlCommand($"SELECT id FROM \"{_schema.Name}\".inbox WHERE event_id = 'evt_0000' FOR UPDATE;", other, transaction))
        {
            await command.ExecuteScalarAsync();
        }

        var claimed = await inbox.ClaimAsync(T0.AddMinutes(1), T0.AddMinutes(10), max: 10).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        claimed.Select(m => m.EventId).Should().Equal("evt_0001", "evt_0002");
        await transaction.RollbackAsync();
        (await inbox.ClaimAsync(T0.AddMinutes(1), T0.AddMinutes(10), max: 10)).Select(m => m.EventId).Should().Equal("evt_0000");
    }

    [SkippableFact]
    public async Task Claim_ComparesDueTimesExactly_BelowPostgreSqlsMicrosecond()
    {
        IWebhookInbox inbox = _schema.Open();
        var due = T0.AddTicks(5);
        await inbox.TryAddAsync(Message(1) with { DueAt = due });

        (await inbox.ClaimAsync(due.AddTicks(-1), T0.AddMinutes(1), max: 1)).Should().BeEmpty();
        (await inbox.ClaimAsync(due, T0.AddMinutes(1), max: 1)).Should().ContainSingle();
    }
}
