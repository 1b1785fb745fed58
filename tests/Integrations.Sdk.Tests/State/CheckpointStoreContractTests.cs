using Integrations.Sdk.State;

namespace Integrations.Sdk.Tests.State;

/// <summary>The behaviour every <see cref="ICheckpointStore"/> must have.</summary>
public abstract class CheckpointStoreContractTests
{
    /// <summary>Creates an empty store for one test.</summary>
    protected abstract ICheckpointStore CreateStore();

    [SkippableFact]
    public async Task GetAsync_of_a_sync_that_never_advanced_is_null()
    {
        var store = CreateStore();

        (await store.GetAsync("orders")).Should().BeNull();
    }

    [SkippableTheory]
    [InlineData("2025-03-14T15:09:26.5358979+05:30")]
    [InlineData("")]
    [InlineData("{\"cursor\":\"eyJwYWdlIjoyfQ==\",\"name\":\"Zoë 日本\"}")]
    public async Task SetAsync_round_trips_the_checkpoint(string checkpoint)
    {
        var store = CreateStore();

        await store.SetAsync("orders", checkpoint);

        (await store.GetAsync("orders")).Should().Be(checkpoint);
    }

    [SkippableFact]
    public async Task SetAsync_overwrites_the_previous_checkpoint()
    {
        var store = CreateStore();
        await store.SetAsync("orders", "page-1");

        await store.SetAsync("orders", "page-2");

        (await store.GetAsync("orders")).Should().Be("page-2");
    }

    [SkippableFact]
    public async Task Checkpoints_of_different_syncs_are_independent()
    {
        var store = CreateStore();

        await store.SetAsync("orders", "o-1");
        await store.SetAsync("customers", "c-1");
        await store.SetAsync("Orders", "O-1");

        (await store.GetAsync("orders")).Should().Be("o-1");
        (await store.GetAsync("customers")).Should().Be("c-1");
        (await store.GetAsync("Orders")).Should().Be("O-1");
        (await store.GetAsync("invoices")).Should().BeNull();
    }

    [SkippableFact]
    public async Task Concurrent_sets_are_all_kept()
    {
        var store = CreateStore();

        await StateTestData.RunConcurrently(StateTestData.ConcurrentCalls, i => store.SetAsync($"sync-{i}", $"cursor-{i}"));

        for (var i = 0; i < StateTestData.ConcurrentCalls; i++)
        {
            (await store.GetAsync($"sync-{i}")).Should().Be($"cursor-{i}");
        }
    }

    [SkippableFact]
    public async Task A_cancelled_set_throws_and_stores_nothing()
    {
        var store = CreateStore();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var act = async () => await store.SetAsync("orders", "page-1", cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await store.GetAsync("orders")).Should().BeNull();
    }

    [SkippableFact]
    public async Task Null_arguments_are_rejected()
    {
        var store = CreateStore();

        await FluentActions.Awaiting(async () => await store.GetAsync(null!))
            .Should().ThrowAsync<ArgumentNullException>().WithParameterName("sync");
        await FluentActions.Awaiting(async () => await store.SetAsync(null!, "c"))
            .Should().ThrowAsync<ArgumentNullException>().WithParameterName("sync");
        await FluentActions.Awaiting(async () => await store.SetAsync("orders", null!))
            .Should().ThrowAsync<ArgumentNullException>().WithParameterName("checkpoint");
    }
}
