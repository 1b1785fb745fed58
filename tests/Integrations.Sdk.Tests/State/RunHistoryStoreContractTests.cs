using Integrations.Sdk.State;

namespace Integrations.Sdk.Tests.State;

/// <summary>The behaviour every <see cref="IRunHistoryStore"/> must have.</summary>
public abstract class RunHistoryStoreContractTests
{
    /// <summary>Creates an empty store for one test.</summary>
    protected abstract IRunHistoryStore CreateStore();

    private static RunSummary Run(string sync, string runId, DateTimeOffset startedAt) => new()
    {
        RunId = runId,
        Sync = sync,
        StartedAt = startedAt,
        FinishedAt = startedAt.AddSeconds(30),
        Read = 10,
        Completed = 10,
    };

    private static void ShouldMatchExactly(RunSummary actual, RunSummary expected)
    {
        actual.Should().Be(expected);
        actual.StartedAt.Should().BeExactly(expected.StartedAt);
        actual.FinishedAt.Should().BeExactly(expected.FinishedAt);
    }

    [SkippableFact]
    public async Task ListAsync_of_a_sync_without_runs_is_empty()
    {
        var store = CreateStore();

        (await store.ListAsync("orders")).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task SaveAsync_round_trips_every_field()
    {
        var store = CreateStore();
        var run = new RunSummary
        {
            RunId = "run-0001",
            Sync = "orders",
            Status = RunStatus.Failed,
            DryRun = true,
            StartedAt = StateTestData.Origin,
            FinishedAt = StateTestData.Origin.AddTicks(12_345_678).ToOffset(TimeSpan.FromHours(-3)),
            Read = 1,
            Completed = 2,
            Skipped = 3,
            Filtered = 4,
            DeadLettered = 5,
            Ambiguous = 6,
            CheckpointBefore = "cursor-a",
            CheckpointAfter = "cursor-b",
            Error = "source unavailable: 503 from https://example.test/orders",
        };

        await store.SaveAsync(run);

        ShouldMatchExactly((await store.ListAsync("orders")).Should().ContainSingle().Subject, run);
    }

    [SkippableFact]
    public async Task SaveAsync_round_trips_a_paused_run_with_its_deferred_records_and_reason()
    {
        var store = CreateStore();
        var run = Run("orders", "run-0001", StateTestData.Origin) with
        {
            Status = RunStatus.Paused,
            Read = 12,
            Completed = 5,
            Deferred = 7,
            Error = "quickbooks is unavailable (its circuit is open after repeated failures) until about 2026-01-01 00:00:30Z",
        };

        await store.SaveAsync(run);

        ShouldMatchExactly((await store.ListAsync("orders")).Should().ContainSingle().Subject, run);
    }

    [SkippableFact]
    public async Task SaveAsync_round_trips_null_and_default_fields()
    {
        var store = CreateStore();
        var run = new RunSummary { RunId = "run-0001", Sync = "orders", Status = RunStatus.Cancelled };

        await store.SaveAsync(run);

        var stored = (await store.ListAsync("orders")).Should().ContainSingle().Subject;
        ShouldMatchExactly(stored, run);
        stored.CheckpointBefore.Should().BeNull();
        stored.CheckpointAfter.Should().BeNull();
        stored.Error.Should().BeNull();
    }

    [SkippableFact]
    public async Task SaveAsync_of_an_existing_run_id_replaces_the_summary()
    {
        var store = CreateStore();
        await store.SaveAsync(Run("orders", "run-1", StateTestData.Origin) with { Status = RunStatus.Failed, Error = "boom" });
        var replacement = Run("orders", "run-1", StateTestData.Origin.AddMinutes(1)) with { Read = 99, CheckpointAfter = "c" };

        await store.SaveAsync(replacement);

        ShouldMatchExactly((await store.ListAsync("orders")).Should().ContainSingle().Subject, replacement);
    }

    [SkippableFact]
    public async Task ListAsync_returns_the_newest_runs_first_up_to_the_limit()
    {
        var store = CreateStore();
        for (var i = 0; i < 5; i++)
        {
            await store.SaveAsync(Run("orders", $"run-{i}", StateTestData.Origin.AddMinutes(i)));
        }

        (await store.ListAsync("orders", limit: 3)).Select(r => r.RunId).Should().Equal("run-4", "run-3", "run-2");
        (await store.ListAsync("orders")).Select(r => r.RunId).Should().Equal("run-4", "run-3", "run-2", "run-1", "run-0");
        (await store.ListAsync("orders", limit: 0)).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task ListAsync_defaults_to_at_most_20_runs()
    {
        var store = CreateStore();
        for (var i = 0; i < 21; i++)
        {
            await store.SaveAsync(Run("orders", $"run-{i:D2}", StateTestData.Origin.AddMinutes(i)));
        }

        var listed = await store.ListAsync("orders");

        listed.Should().HaveCount(20);
        listed[0].RunId.Should().Be("run-20");
        listed[^1].RunId.Should().Be("run-01");
    }

    [SkippableFact]
    public async Task ListAsync_orders_by_instant_then_run_id()
    {
        var store = CreateStore();
        var utc = new DateTimeOffset(2025, 1, 1, 6, 0, 0, TimeSpan.Zero);

        // 10:00+05:00 is 05:00Z, the oldest although its text sorts last; 01:00-05:00 ties with 06:00Z.
        await store.SaveAsync(Run("s", "oldest", new DateTimeOffset(2025, 1, 1, 10, 0, 0, TimeSpan.FromHours(5))));
        await store.SaveAsync(Run("s", "tie-a", utc));
        await store.SaveAsync(Run("s", "tie-b", utc.ToOffset(TimeSpan.FromHours(-5))));
        await store.SaveAsync(Run("s", "newest", utc.AddTicks(1)));

        (await store.ListAsync("s")).Select(r => r.RunId).Should().Equal("newest", "tie-b", "tie-a", "oldest");
    }

    [SkippableFact]
    public async Task ListAsync_returns_only_runs_of_the_sync()
    {
        var store = CreateStore();
        await store.SaveAsync(Run("orders", "o-1", StateTestData.Origin));
        await store.SaveAsync(Run("customers", "c-1", StateTestData.Origin.AddMinutes(1)));
        await store.SaveAsync(Run("orders", "o-2", StateTestData.Origin.AddMinutes(2)));
        await store.SaveAsync(Run("Orders", "O-3", StateTestData.Origin.AddMinutes(3)));

        (await store.ListAsync("orders")).Select(r => r.RunId).Should().Equal("o-2", "o-1");
        (await store.ListAsync("customers")).Select(r => r.RunId).Should().Equal("c-1");
    }

    [SkippableFact]
    public async Task Concurrent_saves_are_all_kept()
    {
        var store = CreateStore();

        await StateTestData.RunConcurrently(
            StateTestData.ConcurrentCalls,
            i => store.SaveAsync(Run("orders", $"run-{i:D3}", StateTestData.Origin.AddSeconds(i)) with { Read = i }));

        var listed = await store.ListAsync("orders", limit: StateTestData.ConcurrentCalls * 2);
        listed.Select(r => r.RunId).Should().Equal(
            Enumerable.Range(0, StateTestData.ConcurrentCalls).Reverse().Select(i => $"run-{i:D3}"));
        listed.Select(r => r.Read).Should().Equal(Enumerable.Range(0, StateTestData.ConcurrentCalls).Reverse());
    }

    [SkippableFact]
    public async Task A_cancelled_save_throws_and_stores_nothing()
    {
        var store = CreateStore();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var act = async () => await store.SaveAsync(Run("orders", "run-1", StateTestData.Origin), cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await store.ListAsync("orders")).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task Invalid_arguments_are_rejected()
    {
        var store = CreateStore();

        await FluentActions.Awaiting(async () => await store.SaveAsync(null!))
            .Should().ThrowAsync<ArgumentNullException>().WithParameterName("summary");
        await FluentActions.Awaiting(async () => await store.ListAsync(null!))
            .Should().ThrowAsync<ArgumentNullException>().WithParameterName("sync");
        await FluentActions.Awaiting(async () => await store.ListAsync("orders", limit: -1))
            .Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("limit");
    }
}
