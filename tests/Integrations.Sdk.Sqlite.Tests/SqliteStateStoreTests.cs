using Integrations.Sdk.State;
using Integrations.Sdk.Tests.State;
using Microsoft.Data.Sqlite;

namespace Integrations.Sdk.Sqlite.Tests;

public sealed class SqliteStateStoreTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Every_kind_of_state_survives_reopening_the_file()
    {
        var memo = new StepMemo("orders", "k1", "push", StepState.Completed, "{\"id\":7}", 1, 2, StateTestData.Origin);
        var deadLetter = new DeadLetter
        {
            Id = DeadLetter.CreateId("orders", "k2"),
            Sync = "orders",
            RecordKey = "k2",
            Payload = "{}",
            Reason = "bad email",
            Step = "push",
            Kind = DeadLetterKind.Failed,
            CreatedAt = StateTestData.Origin,
            UpdatedAt = StateTestData.Origin,
        };
        var token = new OAuthToken("access", "refresh", StateTestData.Origin);
        var run = new RunSummary { RunId = "run-1", Sync = "orders", StartedAt = StateTestData.Origin, Read = 3, CheckpointAfter = "c-9" };

        await using (var store = _database.Open())
        {
            await ((IStepMemoStore)store).SaveAsync(memo);
            await ((ICheckpointStore)store).SetAsync("orders", "c-9");
            await ((IDeadLetterStore)store).AddAsync(deadLetter);
            await ((ITokenStore)store).SaveAsync("quickbooks", "realm-1", token);
            await ((IRunHistoryStore)store).SaveAsync(run);
        }

        await using var reopened = _database.Open();
        (await ((IStepMemoStore)reopened).GetRecordAsync("orders", "k1")).Should().Equal(memo);
        (await ((ICheckpointStore)reopened).GetAsync("orders")).Should().Be("c-9");
        (await ((IDeadLetterStore)reopened).GetAsync(deadLetter.Id)).Should().Be(deadLetter);
        TokenStoreContractTests.ShouldMatchExactly(await ((ITokenStore)reopened).GetAsync("quickbooks", "realm-1"), token);
        (await ((IRunHistoryStore)reopened).ListAsync("orders")).Should().Equal(run);
    }

    [Fact]
    public async Task A_rotated_refresh_token_is_what_a_new_instance_reads()
    {
        var tokenA = new OAuthToken("access-a", "refresh-a", StateTestData.Origin);
        var tokenB = new OAuthToken("access-b", "refresh-b", StateTestData.Origin.AddHours(1));
        await using (var store = _database.Open())
        {
            await ((ITokenStore)store).SaveAsync("xero", "tenant-1", tokenA);
            await ((ITokenStore)store).SaveAsync("xero", "tenant-1", tokenB);
        }

        await using var reopened = _database.Open();

        TokenStoreContractTests.ShouldMatchExactly(await ((ITokenStore)reopened).GetAsync("xero", "tenant-1"), tokenB);
    }

    [Fact]
    public async Task Instances_opening_a_new_file_at_once_migrate_it_once_and_all_work()
    {
        // Several rounds on fresh files, each instance on its own thread released by a barrier, so that the
        // first calls (which migrate) overlap as much as possible.
        for (var round = 0; round < 5; round++)
        {
            using var database = new SqliteTestDatabase();
            var stores = Enumerable.Range(0, 8).Select(_ => (ICheckpointStore)database.Open()).ToArray();
            using var start = new Barrier(stores.Length);

            await Task.WhenAll(stores.Select((store, i) => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait();
                    return store.SetAsync($"sync-{i}", $"c-{i}").AsTask();
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).Unwrap()));

            foreach (var store in stores)
            {
                for (var i = 0; i < stores.Length; i++)
                {
                    (await store.GetAsync($"sync-{i}")).Should().Be($"c-{i}");
                }
            }

            ReadSchemaVersions(database).Should().Equal(Enumerable.Range(1, SqliteSchema.CurrentVersion));
        }
    }

    [Fact]
    public async Task Concurrent_writes_committed_together_are_each_durable_and_each_get_their_own_answer()
    {
        const int Writers = 200;
        await using (var store = _database.Open())
        {
            IStepMemoStore memos = store;
            IWebhookInbox inbox = store;
            var adds = new Task<bool>[Writers];
            await StateTestData.RunConcurrently(Writers, async i =>
            {
                await memos.SaveAsync(new StepMemo("orders", $"k{i:D3}", "invoice", StepState.Completed, "{}", 0, 1, StateTestData.Origin));

                // Every writer adds the same two events: exactly one add of each is new, however the writes are grouped.
                adds[i] = inbox.TryAddAsync(Message(i % 2 == 0 ? "evt-a" : "evt-b")).AsTask();
                await adds[i];
            });

            adds.Count(a => a.Result).Should().Be(2);
        }

        await using var reopened = _database.Open();
        for (var i = 0; i < Writers; i++)
        {
            (await ((IStepMemoStore)reopened).GetRecordAsync("orders", $"k{i:D3}")).Should().ContainSingle(m => m.State == StepState.Completed);
        }

        static InboxMessage Message(string eventId) => new()
        {
            Id = InboxMessage.CreateId("shopify", eventId),
            Source = "shopify",
            EventId = eventId,
            EventType = "orders/create",
            Payload = "{}",
            ReceivedAt = StateTestData.Origin,
            DueAt = StateTestData.Origin,
            State = InboxState.Pending,
        };
    }

    [Fact]
    public async Task Inbox_changes_under_a_lost_claim_among_concurrent_writes_are_refused_alone()
    {
        await using var store = _database.Open();
        IWebhookInbox inbox = store;
        IStepMemoStore memos = store;
        const int Messages = 10;
        for (var i = 0; i < Messages; i++)
        {
            await inbox.TryAddAsync(new InboxMessage
            {
                Id = InboxMessage.CreateId("shopify", $"evt-{i}"),
                Source = "shopify",
                EventId = $"evt-{i}",
                EventType = "orders/create",
                Payload = "{}",
                ReceivedAt = StateTestData.Origin.AddTicks(i),
                DueAt = StateTestData.Origin,
                State = InboxState.Pending,
            });
        }

        var claimed = await inbox.ClaimAsync(StateTestData.Origin, StateTestData.Origin.AddMinutes(1), Messages);
        var outcomes = new Task<bool>[50];
        await StateTestData.RunConcurrently(outcomes.Length, async i =>
        {
            // Every fifth call completes a claimed message, half of them under a token that is not its claim's: the
            // group commit must give each statement its own answer. The memo writes around them all succeed.
            outcomes[i] = i % 5 == 0
                ? inbox.CompleteAsync(i % 10 == 0 ? claimed[i / 5] with { ClaimToken = "lost" } : claimed[i / 5]).AsTask()
                : SaveAsync(i);
            await outcomes[i];
        });

        outcomes.Select(t => t.Result).Should().Equal(Enumerable.Range(0, outcomes.Length).Select(i => i % 10 != 0));
        (await inbox.CountAsync()).Should().Be(new InboxCounts(0, Messages / 2, Messages / 2, 0));

        async Task<bool> SaveAsync(int i)
        {
            await memos.SaveAsync(new StepMemo("orders", $"k{i}", "s", StepState.Completed, null, 0, 1, StateTestData.Origin));
            return true;
        }
    }

    [Fact]
    public async Task Two_instances_writing_the_same_file_at_once_lose_nothing()
    {
        IStepMemoStore first = _database.Open();
        IStepMemoStore second = _database.Open();

        await StateTestData.RunConcurrently(
            StateTestData.ConcurrentCalls,
            i => (i % 2 == 0 ? first : second).SaveAsync(
                new StepMemo("orders", "k", $"step-{i:D3}", StepState.Completed, null, 0, i, StateTestData.Origin)));

        foreach (var store in new[] { first, second })
        {
            var memos = await store.GetRecordAsync("orders", "k");
            memos.Select(m => m.Attempts).Should().BeEquivalentTo(Enumerable.Range(0, StateTestData.ConcurrentCalls));
        }
    }

    [Fact]
    public async Task The_file_is_created_in_its_directory_and_in_WAL_mode()
    {
        File.Exists(_database.Path).Should().BeFalse();
        await using var store = _database.Open();

        await ((ICheckpointStore)store).SetAsync("orders", "c");

        File.Exists(_database.Path).Should().BeTrue();
        using var connection = _database.OpenRawConnection();
        Scalar(connection, "PRAGMA journal_mode;").Should().Be("wal");
    }

    [Fact]
    public async Task The_schema_version_is_recorded_and_every_table_exists()
    {
        await using var store = _database.Open();

        (await ((ICheckpointStore)store).GetAsync("orders")).Should().BeNull();

        SqliteSchema.CurrentVersion.Should().Be(4);
        ReadSchemaVersions().Should().Equal(1, 2, 3, 4);
        using var connection = _database.OpenRawConnection();
        ReadStrings(connection, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name;")
            .Should().Equal("checkpoints", "dead_letters", "inbox", "run_history", "schema_version", "step_memo", "tokens");
    }

    [Fact]
    public async Task A_database_of_the_first_version_is_migrated_and_keeps_its_data()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_database.Path)!);
        using (var connection = _database.OpenRawConnection())
        {
            using var command = connection.CreateCommand();
            command.CommandText = SqliteSchema.CreateVersionTable + SqliteSchema.Migrations[0]
                + "INSERT INTO schema_version (version, applied_at) VALUES (1, '2026-01-01T00:00:00.0000000+00:00');"
                + "INSERT INTO checkpoints (sync, checkpoint, updated_at) VALUES ('orders', '2026-01-01', '2026-01-01T00:00:00.0000000+00:00');";
            command.ExecuteNonQuery();
        }

        await using var store = _database.Open();

        (await ((ICheckpointStore)store).GetAsync("orders")).Should().Be("2026-01-01");
        (await ((IWebhookInbox)store).CountAsync()).Should().Be(new InboxCounts(0, 0, 0, 0));
        ReadSchemaVersions().Should().Equal(1, 2, 3, 4);
    }

    [Fact]
    public async Task An_inbox_of_the_second_version_gets_claim_tokens_and_keeps_its_messages()
    {
        // A version 2 file, written as that version did: no claim_token column. One message pending, one claimed by
        // a processor of that version (its lease ends at 02:01), one completed.
        Directory.CreateDirectory(Path.GetDirectoryName(_database.Path)!);
        using (var connection = _database.OpenRawConnection())
        {
            Execute(connection, SqliteSchema.CreateVersionTable + SqliteSchema.Migrations[0] + SqliteSchema.Migrations[1]
                + "INSERT INTO schema_version (version, applied_at) VALUES (1, '2026-01-01T00:00:00.0000000+00:00'), (2, '2026-01-01T00:00:00.0000000+00:00');");
            var received = new DateTimeOffset(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);
            var leaseEnd = received.AddMinutes(1);
            Execute(connection, $$"""
                INSERT INTO inbox (id, source, event_id, event_type, payload, occurred_at, received_at, received_at_ticks, state, attempts, due_at, due_at_ticks, error)
                VALUES ('m-pending', 'stripe', 'evt_1', 'invoice.paid', '{"id":"evt_1"}', NULL, '{{received:O}}', {{received.UtcTicks}}, 0, 0, '{{received:O}}', {{received.UtcTicks}}, NULL),
                       ('m-claimed', 'stripe', 'evt_2', 'invoice.paid', '{"id":"evt_2"}', '{{received.AddMinutes(-1):O}}', '{{received:O}}', {{received.UtcTicks + 1}}, 1, 1, '{{leaseEnd:O}}', {{leaseEnd.UtcTicks}}, NULL),
                       ('m-done', 'stripe', 'evt_3', 'invoice.paid', '{"id":"evt_3"}', NULL, '{{received:O}}', {{received.UtcTicks + 2}}, 2, 1, '{{received:O}}', {{received.UtcTicks}}, NULL);
                """);
        }

        await using var store = _database.Open();
        IWebhookInbox inbox = store;

        (await inbox.CountAsync()).Should().Be(new InboxCounts(1, 1, 1, 0));
        ReadSchemaVersions().Should().Equal(1, 2, 3, 4);
        var claimedBefore = (await inbox.GetAsync("m-claimed"))!;
        claimedBefore.Should().Match<InboxMessage>(m => m.EventId == "evt_2" && m.Payload == "{\"id\":\"evt_2\"}" && m.Attempts == 1
            && m.OccurredAt == new DateTimeOffset(2026, 11, 28, 1, 59, 0, TimeSpan.Zero) && m.ClaimToken == null);

        // The claim made before the upgrade has no token, so nothing settles under it; once its lease ends the message
        // is claimed again, with a token, and settles under that.
        var now = new DateTimeOffset(2026, 11, 28, 2, 2, 0, TimeSpan.Zero);
        var claimed = await inbox.ClaimAsync(now, now.AddMinutes(1), max: 10);
        claimed.Select(m => m.Id).Should().BeEquivalentTo(["m-pending", "m-claimed"]);
        claimed.Should().OnlyContain(m => m.ClaimToken != null);
        foreach (var message in claimed)
        {
            (await inbox.CompleteAsync(message)).Should().BeTrue();
        }

        (await inbox.CountAsync()).Should().Be(new InboxCounts(0, 0, 3, 0));
    }

    [Fact]
    public async Task A_database_of_the_second_version_gains_the_deferred_column_and_keeps_its_runs()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_database.Path)!);
        using (var connection = _database.OpenRawConnection())
        {
            using var command = connection.CreateCommand();
            command.CommandText = SqliteSchema.CreateVersionTable + SqliteSchema.Migrations[0] + SqliteSchema.Migrations[1]
                + "INSERT INTO schema_version (version, applied_at) VALUES (1, '2026-01-01T00:00:00.0000000+00:00'), (2, '2026-01-01T00:00:00.0000000+00:00');"
                + "INSERT INTO run_history (run_id, sync, status, dry_run, started_at, started_at_ticks, finished_at, read, completed, skipped, filtered, dead_lettered, ambiguous)"
                + " VALUES ('run-old', 'orders', 0, 0, '2026-01-01T00:00:00.0000000+00:00', 0, '2026-01-01T00:00:30.0000000+00:00', 4, 3, 0, 1, 0, 0);";
            command.ExecuteNonQuery();
        }

        await using var store = _database.Open();

        var old = (await ((IRunHistoryStore)store).ListAsync("orders")).Should().ContainSingle().Subject;
        old.RunId.Should().Be("run-old");
        old.Completed.Should().Be(3);
        old.Deferred.Should().Be(0, "runs saved before the column existed deferred nothing");
        await ((IRunHistoryStore)store).SaveAsync(new RunSummary { RunId = "run-new", Sync = "orders", Status = RunStatus.Paused, StartedAt = StateTestData.Origin.AddDays(400), Deferred = 9 });
        (await ((IRunHistoryStore)store).ListAsync("orders", 1)).Single().Deferred.Should().Be(9);
        ReadSchemaVersions().Should().Equal(1, 2, 3, 4);
    }

    [Fact]
    public async Task Reopening_does_not_apply_migrations_again()
    {
        await using (var store = _database.Open())
        {
            await ((ICheckpointStore)store).SetAsync("orders", "c");
        }

        await using var reopened = _database.Open();
        (await ((ICheckpointStore)reopened).GetAsync("orders")).Should().Be("c");

        ReadSchemaVersions().Should().Equal(Enumerable.Range(1, SqliteSchema.CurrentVersion));
    }

    [Fact]
    public async Task A_file_with_a_newer_schema_is_refused_and_left_unchanged()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(_database.Path)!);
        using (var connection = _database.OpenRawConnection())
        {
            Execute(connection, "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL);");
            Execute(connection, $"INSERT INTO schema_version VALUES ({SqliteSchema.CurrentVersion + 1}, 'later');");
        }

        await using var store = _database.Open();

        var act = async () => await ((ICheckpointStore)store).GetAsync("orders");

        (await act.Should().ThrowAsync<InvalidOperationException>()).WithMessage($"*schema version {SqliteSchema.CurrentVersion + 1}*");
        using var check = _database.OpenRawConnection();
        ReadStrings(check, "SELECT name FROM sqlite_master WHERE type = 'table';").Should().Equal("schema_version");
    }

    [Fact]
    public async Task Disposing_releases_the_file_and_later_calls_throw()
    {
        var store = _database.Open();
        await ((ICheckpointStore)store).SetAsync("orders", "c");
        File.Exists(_database.Path + "-wal").Should().BeTrue();

        await store.DisposeAsync();
        store.Dispose();

        // SQLite deletes the WAL file when the last connection to the database closes.
        File.Exists(_database.Path + "-wal").Should().BeFalse();
        await FluentActions.Awaiting(async () => await ((ICheckpointStore)store).GetAsync("orders"))
            .Should().ThrowAsync<ObjectDisposedException>();
        await FluentActions.Awaiting(async () => await ((ICheckpointStore)store).SetAsync("orders", "d"))
            .Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task A_connection_string_can_be_given_instead_of_a_path()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(_database.Path)!);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = _database.Path, Pooling = true }.ToString();
        await using (var store = new SqliteStateStore(new SqliteStateOptions { ConnectionString = connectionString }))
        {
            await ((ICheckpointStore)store).SetAsync("orders", "c");
        }

        await using var reopened = _database.Open();
        (await ((ICheckpointStore)reopened).GetAsync("orders")).Should().Be("c");
    }

    private List<int> ReadSchemaVersions() => ReadSchemaVersions(_database);

    private static List<int> ReadSchemaVersions(SqliteTestDatabase database)
    {
        using var connection = database.OpenRawConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_version ORDER BY version;";
        using var reader = command.ExecuteReader();
        var versions = new List<int>();
        while (reader.Read())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private static List<string> ReadStrings(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
