using Integrations.Sdk.State;

namespace Integrations.Sdk.PostgreSql.Tests;

/// <summary>Creating and migrating the schema, and what survives a restart.</summary>
public sealed class PostgreSqlSchemaTests : IAsyncLifetime
{
    private readonly PostgreSqlTestSchema _schema = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _schema.DisposeAsync().AsTask();

    [SkippableFact]
    public async Task FirstUse_FourInstancesStartingAtOnceOnAnEmptySchema_MigrateExactlyOnce()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => _schema.Open()).ToList();
        using var start = new ManualResetEventSlim();

        var starting = stores.Select(store => Task.Run(async () =>
        {
            start.Wait(TimeSpan.FromSeconds(10));
            return await ((ICheckpointStore)store).GetAsync("orders");
        })).ToList();
        start.Set();
        await Task.WhenAll(starting);

        stores.Sum(s => s.MigrationsApplied).Should().Be(PostgreSqlSchema.CurrentVersion, "each migration is applied by exactly one instance");
        (await PostgreSqlTestServer.ScalarAsync($"SELECT COUNT(*) FROM \"{_schema.Name}\".schema_version;"))
            .Should().Be((long)PostgreSqlSchema.CurrentVersion);
        (await PostgreSqlTestServer.ScalarAsync($"SELECT MAX(version) FROM \"{_schema.Name}\".schema_version;"))
            .Should().Be(PostgreSqlSchema.CurrentVersion);
    }

    [SkippableFact]
    public async Task Restart_ANewStoreOnTheSameSchema_SeesEarlierData_AndMigratesNothing()
    {
        var receivedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(-8)).AddTicks(7);
        var message = new InboxMessage
        {
            Id = InboxMessage.CreateId("stripe", "evt_1"),
            Source = "stripe",
            EventId = "evt_1",
            EventType = "invoice.paid",
            Payload = "{}",
            ReceivedAt = receivedAt,
            DueAt = receivedAt,
        };
        var token = new OAuthToken("access", "refresh", receivedAt.AddHours(1));
        await using (var first = _schema.Open())
        {
            await ((ICheckpointStore)first).SetAsync("orders", "page-7");
            await ((ITokenStore)first).SaveAsync("quickbooks", "realm-1", token);
            await ((IWebhookInbox)first).TryAddAsync(message);
            await ((IStepMemoStore)first).SaveAsync(new StepMemo("orders", "k1", "pay", StepState.Completed, "{}", 0, 1, receivedAt));
            first.MigrationsApplied.Should().Be(PostgreSqlSchema.CurrentVersion);
        }

        var second = _schema.Open();

        (await ((ICheckpointStore)second).GetAsync("orders")).Should().Be("page-7");
        Integrations.Sdk.Tests.State.TokenStoreContractTests.ShouldMatchExactly(await ((ITokenStore)second).GetAsync("quickbooks", "realm-1"), token);
        (await ((IWebhookInbox)second).GetAsync(message.Id)).Should().Be(message);
        (await ((IStepMemoStore)second).GetRecordAsync("orders", "k1")).Should().ContainSingle().Which.State.Should().Be(StepState.Completed);
        second.MigrationsApplied.Should().Be(0);
    }

    [SkippableFact]
    public async Task Upgrade_AnInboxOfTheFirstVersion_GetsClaimTokens_AndKeepsItsMessages()
    {
        // A version 1 schema, written as that version did: no claim_token column. One message pending, one claimed by
        // a processor of that version (its lease ends at 02:01), one completed.
        var quoted = $"\"{_schema.Name}\"";
        await PostgreSqlTestServer.ScalarAsync(
            $"CREATE SCHEMA {quoted};"
            + PostgreSqlSchema.CreateVersionTable.Replace("{schema}", quoted, StringComparison.Ordinal)
            + PostgreSqlSchema.Migrations[0].Replace("{schema}", quoted, StringComparison.Ordinal)
            + $"INSERT INTO {quoted}.schema_version (version, applied_at) VALUES (1, now());"
            + $$"""
                INSERT INTO {{quoted}}.inbox (id, source, event_id, event_type, payload,
                    occurred_at, occurred_at_100ns, occurred_at_offset, received_at, received_at_100ns, received_at_offset,
                    state, attempts, due_at, due_at_100ns, due_at_offset, error)
                VALUES ('m-pending', 'stripe', 'evt_1', 'invoice.paid', '{"id":"evt_1"}', NULL, NULL, NULL, '2026-11-28 02:00:00+00', 0, 0, 0, 0, '2026-11-28 02:00:00+00', 0, 0, NULL),
                       ('m-claimed', 'stripe', 'evt_2', 'invoice.paid', '{"id":"evt_2"}', '2026-11-28 01:59:00+00', 0, 60, '2026-11-28 02:00:00+00', 1, 0, 1, 1, '2026-11-28 02:01:00+00', 0, 0, NULL),
                       ('m-done', 'stripe', 'evt_3', 'invoice.paid', '{"id":"evt_3"}', NULL, NULL, NULL, '2026-11-28 02:00:00+00', 2, 0, 2, 1, '2026-11-28 02:00:00+00', 0, 0, NULL);
                """);

        var store = _schema.Open();
        IWebhookInbox inbox = store;

        (await inbox.CountAsync()).Should().Be(new InboxCounts(1, 1, 1, 0));
        store.MigrationsApplied.Should().Be(PostgreSqlSchema.CurrentVersion - 1);
        (await PostgreSqlTestServer.ScalarAsync($"SELECT MAX(version) FROM {quoted}.schema_version;")).Should().Be(PostgreSqlSchema.CurrentVersion);
        (await inbox.GetAsync("m-claimed")).Should().Be(new InboxMessage
        {
            Id = "m-claimed",
            Source = "stripe",
            EventId = "evt_2",
            EventType = "invoice.paid",
            Payload = "{\"id\":\"evt_2\"}",
            OccurredAt = new DateTimeOffset(2026, 11, 28, 2, 59, 0, TimeSpan.FromHours(1)),
            ReceivedAt = new DateTimeOffset(2026, 11, 28, 2, 0, 0, TimeSpan.Zero).AddTicks(1),
            State = InboxState.Processing,
            Attempts = 1,
            DueAt = new DateTimeOffset(2026, 11, 28, 2, 1, 0, TimeSpan.Zero),
            ClaimToken = null,
        });

        // The claim made before the upgrade has no token, so nothing settles under it; once its lease ends the message
        // is claimed again, with a token, and settles under that.
        var now = new DateTimeOffset(2026, 11, 28, 2, 2, 0, TimeSpan.Zero);
        var claimed = await inbox.ClaimAsync(now, now.AddMinutes(1), max: 10);
        claimed.Select(m => m.Id).Should().Equal("m-pending", "m-claimed");
        claimed.Should().OnlyContain(m => m.ClaimToken != null);
        foreach (var message in claimed)
        {
            (await inbox.CompleteAsync(message)).Should().BeTrue();
        }

        (await inbox.CountAsync()).Should().Be(new InboxCounts(0, 0, 3, 0));
    }

    [SkippableFact]
    public async Task ASchemaOfTheSecondVersion_GainsTheDeferredColumn_AndKeepsItsRuns()
    {
        var quoted = $"\"{_schema.Name}\"";
        var script = $"CREATE SCHEMA IF NOT EXISTS {quoted};"
            + string.Concat(new[] { PostgreSqlSchema.CreateVersionTable, PostgreSqlSchema.Migrations[0], PostgreSqlSchema.Migrations[1] }.Select(m => m.Replace("{schema}", quoted, StringComparison.Ordinal)))
            + $"INSERT INTO {quoted}.schema_version (version, applied_at) VALUES (1, now()), (2, now());"
            + $"INSERT INTO {quoted}.run_history (run_id, sync, status, dry_run, started_at, started_at_100ns, started_at_offset, finished_at, finished_at_100ns, finished_at_offset,"
            + " read, completed, skipped, filtered, dead_lettered, ambiguous)"
            + " VALUES ('run-old', 'orders', 0, false, '2026-01-01T00:00:00Z', 0, 0, '2026-01-01T00:00:30Z', 0, 0, 4, 3, 0, 1, 0, 0);";
        await PostgreSqlTestServer.ScalarAsync(script);

        var store = _schema.Open();

        var old = (await ((IRunHistoryStore)store).ListAsync("orders")).Should().ContainSingle().Subject;
        old.RunId.Should().Be("run-old");
        old.Completed.Should().Be(3);
        old.Deferred.Should().Be(0, "runs saved before the column existed deferred nothing");
        store.MigrationsApplied.Should().Be(PostgreSqlSchema.CurrentVersion - 2);
        await ((IRunHistoryStore)store).SaveAsync(new RunSummary { RunId = "run-new", Sync = "orders", Status = RunStatus.Paused, StartedAt = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), Deferred = 9 });
        (await ((IRunHistoryStore)store).ListAsync("orders", 1)).Single().Deferred.Should().Be(9);
    }

    [SkippableFact]
    public async Task FirstUse_ASchemaOfANewerVersion_FailsNamingTheSchemaOption()
    {
        var store = _schema.Open();
        await ((ICheckpointStore)store).GetAsync("orders");
        await PostgreSqlTestServer.ScalarAsync(
            $"INSERT INTO \"{_schema.Name}\".schema_version (version, applied_at) VALUES ({PostgreSqlSchema.CurrentVersion + 1}, now());");

        var later = _schema.Open();

        await FluentActions.Awaiting(async () => await ((ICheckpointStore)later).GetAsync("orders"))
            .Should().ThrowAsync<InvalidOperationException>().WithMessage($"*{_schema.Name}*version {PostgreSqlSchema.CurrentVersion + 1}*Schema*");
    }

    [SkippableFact]
    public async Task Timestamps_AreStoredAsTimestamptz_WithTheExactRemainderAndOffsetBeside()
    {
        var store = _schema.Open();
        var at = new DateTimeOffset(2025, 3, 14, 15, 9, 26, TimeSpan.FromHours(5.5)).AddTicks(5_358_979);

        await ((IStepMemoStore)store).SaveAsync(new StepMemo("s", "k", "step", StepState.Started, null, 0, 0, at));

        var text = await PostgreSqlTestServer.ScalarAsync(
            $"SELECT (updated_at AT TIME ZONE 'UTC')::text || '|' || updated_at_100ns || '|' || updated_at_offset FROM \"{_schema.Name}\".step_memo;");
        text.Should().Be("2025-03-14 09:39:26.535897|9|330");
    }
}
