using Integrations.Sdk.State;

namespace Integrations.Sdk.Tests.State;

/// <summary>The behaviour every <see cref="IStepMemoStore"/> must have.</summary>
public abstract class StepMemoStoreContractTests
{
    /// <summary>Creates an empty store for one test.</summary>
    protected abstract IStepMemoStore CreateStore();

    private static StepMemo Memo(string sync, string key, string step, int attempts = 1) =>
        new(sync, key, step, StepState.Completed, $$"""{"step":"{{step}}"}""", Generation: 0, attempts, StateTestData.Origin);

    [SkippableFact]
    public async Task GetRecordAsync_of_an_unknown_record_is_empty()
    {
        var store = CreateStore();

        var memos = await store.GetRecordAsync("orders", "shopify:order:1");

        memos.Should().BeEmpty();
    }

    [SkippableTheory]
    [InlineData(StepState.Started, null)]
    [InlineData(StepState.Completed, """{"id":"inv_42","total":12.5,"tags":["a","ü"]}""")]
    [InlineData(StepState.Failed, "")]
    public async Task SaveAsync_round_trips_every_field(StepState state, string? resultJson)
    {
        var store = CreateStore();
        var memo = new StepMemo("orders", "shopify:order:1", "create-invoice", state, resultJson, Generation: 3, Attempts: 7, StateTestData.Origin);

        await store.SaveAsync(memo);
        var memos = await store.GetRecordAsync("orders", "shopify:order:1");

        memos.Should().ContainSingle().Which.Should().Be(memo);
        memos[0].UpdatedAt.Should().BeExactly(memo.UpdatedAt);
        memos[0].ResultJson.Should().Be(resultJson);
    }

    [SkippableFact]
    public async Task SaveAsync_of_the_same_step_replaces_the_memo()
    {
        var store = CreateStore();
        await store.SaveAsync(new StepMemo("orders", "k1", "pay", StepState.Started, null, 0, 1, StateTestData.Origin));
        var replacement = new StepMemo("orders", "k1", "pay", StepState.Completed, "{\"ok\":true}", 2, 3, StateTestData.Origin.AddMinutes(5));

        await store.SaveAsync(replacement);
        var memos = await store.GetRecordAsync("orders", "k1");

        memos.Should().ContainSingle().Which.Should().Be(replacement);
        memos[0].UpdatedAt.Should().BeExactly(replacement.UpdatedAt);
    }

    [SkippableFact]
    public async Task GetRecordAsync_returns_every_step_of_the_record_and_nothing_of_other_records()
    {
        var store = CreateStore();
        var wanted = new[]
        {
            Memo("a", "b:c", "fetch"),
            Memo("a", "b:c", "push"),
            Memo("a", "b:c", StepMemo.RecordStep),
        };
        var others = new[]
        {
            Memo("a:b", "c", "fetch"),        // same concatenation, different split
            Memo("a", "b:c2", "fetch"),       // other record of the same sync
            Memo("other", "b:c", "fetch"),    // same record key in another sync
            Memo("a", "B:C", "fetch"),        // keys are case-sensitive
        };
        foreach (var memo in wanted.Concat(others))
        {
            await store.SaveAsync(memo);
        }

        var memos = await store.GetRecordAsync("a", "b:c");

        memos.Should().BeEquivalentTo(wanted);
    }

    [SkippableFact]
    public async Task Concurrent_saves_are_all_kept()
    {
        var store = CreateStore();

        await StateTestData.RunConcurrently(
            StateTestData.ConcurrentCalls,
            i => store.SaveAsync(Memo("orders", $"k{i % 10}", $"step-{i}", attempts: i)));

        for (var record = 0; record < 10; record++)
        {
            var memos = await store.GetRecordAsync("orders", $"k{record}");
            var expected = Enumerable.Range(0, StateTestData.ConcurrentCalls)
                .Where(i => i % 10 == record)
                .Select(i => Memo("orders", $"k{record}", $"step-{i}", attempts: i));
            memos.Should().BeEquivalentTo(expected);
        }
    }

    [SkippableFact]
    public async Task Concurrent_saves_of_one_step_leave_exactly_one_of_them()
    {
        var store = CreateStore();

        await StateTestData.RunConcurrently(
            StateTestData.ConcurrentCalls,
            i => store.SaveAsync(Memo("orders", "k", "pay", attempts: i)));

        var memos = await store.GetRecordAsync("orders", "k");
        memos.Should().ContainSingle().Which.Attempts.Should().BeInRange(0, StateTestData.ConcurrentCalls - 1);
    }

    [SkippableFact]
    public async Task A_cancelled_save_throws_and_stores_nothing()
    {
        var store = CreateStore();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var act = async () => await store.SaveAsync(Memo("orders", "k", "pay"), cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await store.GetRecordAsync("orders", "k")).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task Null_arguments_are_rejected()
    {
        var store = CreateStore();

        await FluentActions.Awaiting(async () => await store.GetRecordAsync(null!, "k"))
            .Should().ThrowAsync<ArgumentNullException>().WithParameterName("sync");
        await FluentActions.Awaiting(async () => await store.GetRecordAsync("orders", null!))
            .Should().ThrowAsync<ArgumentNullException>().WithParameterName("recordKey");
        await FluentActions.Awaiting(async () => await store.SaveAsync(null!))
            .Should().ThrowAsync<ArgumentNullException>().WithParameterName("memo");
    }
}
