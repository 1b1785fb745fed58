using Integrations.Sdk.State;

namespace Integrations.Sdk.Tests.State;

/// <summary>The behaviour every <see cref="IDeadLetterStore"/> must have.</summary>
public abstract class DeadLetterStoreContractTests
{
    /// <summary>Creates an empty store for one test.</summary>
    protected abstract IDeadLetterStore CreateStore();

    private static DeadLetter Entry(string sync, string recordKey, DateTimeOffset createdAt) => new()
    {
        Id = DeadLetter.CreateId(sync, recordKey),
        Sync = sync,
        RecordKey = recordKey,
        Payload = $$"""{"key":"{{recordKey}}"}""",
        Reason = "step 'push' failed: customer.email is invalid",
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
    };

    private static void ShouldMatchExactly(DeadLetter? actual, DeadLetter expected)
    {
        actual.Should().Be(expected);
        actual!.CreatedAt.Should().BeExactly(expected.CreatedAt);
        actual.UpdatedAt.Should().BeExactly(expected.UpdatedAt);
    }

    [SkippableFact]
    public async Task GetAsync_of_an_unknown_id_is_null()
    {
        var store = CreateStore();

        (await store.GetAsync("missing")).Should().BeNull();
    }

    [SkippableFact]
    public async Task AddAsync_round_trips_every_field()
    {
        var store = CreateStore();
        var entry = new DeadLetter
        {
            Id = DeadLetter.CreateId("orders", "shopify:order:1"),
            Sync = "orders",
            RecordKey = "shopify:order:1",
            Payload = """{"id":1,"note":"Zoë 日本","lines":[{"sku":"A","qty":2}]}""",
            Reason = "step 'create-invoice' timed out after sending; it may have been applied",
            Step = "create-invoice",
            ErrorType = "TimeoutRejectedException",
            Attempts = 4,
            Kind = DeadLetterKind.Ambiguous,
            CreatedAt = StateTestData.Origin,
            UpdatedAt = StateTestData.Origin.AddTicks(1).ToOffset(TimeSpan.FromHours(-7)),
        };

        await store.AddAsync(entry);

        ShouldMatchExactly(await store.GetAsync(entry.Id), entry);
    }

    [SkippableFact]
    public async Task AddAsync_round_trips_null_fields()
    {
        var store = CreateStore();
        var entry = Entry("orders", "k1", StateTestData.Origin) with { Step = null, ErrorType = null, Attempts = 0, Kind = DeadLetterKind.Failed };

        await store.AddAsync(entry);

        var stored = await store.GetAsync(entry.Id);
        ShouldMatchExactly(stored, entry);
        stored!.Step.Should().BeNull();
        stored.ErrorType.Should().BeNull();
    }

    [SkippableFact]
    public async Task AddAsync_of_an_existing_id_replaces_the_entry_but_keeps_its_creation_time()
    {
        var store = CreateStore();
        var first = Entry("orders", "k1", StateTestData.Origin) with { Step = "push", ErrorType = "PlatformException", Attempts = 1 };
        await store.AddAsync(first);
        var second = first with
        {
            Payload = """{"key":"k1","edited":true}""",
            Reason = "retries exhausted",
            Step = null,
            ErrorType = "HttpRequestException",
            Attempts = 5,
            Kind = DeadLetterKind.Ambiguous,
            CreatedAt = StateTestData.Origin.AddHours(1),
            UpdatedAt = StateTestData.Origin.AddHours(1),
        };

        await store.AddAsync(second);

        ShouldMatchExactly(await store.GetAsync(first.Id), second with { CreatedAt = first.CreatedAt });
        (await store.ListAsync()).Should().ContainSingle();
    }

    [SkippableFact]
    public async Task ListAsync_returns_oldest_first_by_instant_then_id()
    {
        var store = CreateStore();
        var utc = new DateTimeOffset(2025, 1, 1, 6, 0, 0, TimeSpan.Zero);

        // 10:00+05:00 is 05:00Z, before 06:00Z although its text sorts after; 01:00-05:00 is 06:00Z, a tie.
        var latest = Entry("s", "latest", utc.AddTicks(1));
        var tieA = Entry("s", "tie-a", utc) with { Id = "a" };
        var tieB = Entry("s", "tie-b", utc.ToOffset(TimeSpan.FromHours(-5))) with { Id = "b" };
        var earliest = Entry("s", "earliest", new DateTimeOffset(2025, 1, 1, 10, 0, 0, TimeSpan.FromHours(5)));
        foreach (var entry in new[] { latest, tieB, earliest, tieA })
        {
            await store.AddAsync(entry);
        }

        var listed = await store.ListAsync();

        listed.Select(d => d.RecordKey).Should().Equal("earliest", "tie-a", "tie-b", "latest");
    }

    [SkippableFact]
    public async Task ListAsync_keeps_a_replaced_entry_at_its_original_position()
    {
        var store = CreateStore();
        await store.AddAsync(Entry("s", "first", StateTestData.Origin));
        await store.AddAsync(Entry("s", "second", StateTestData.Origin.AddMinutes(1)));

        await store.AddAsync(Entry("s", "first", StateTestData.Origin.AddMinutes(2)));

        (await store.ListAsync()).Select(d => d.RecordKey).Should().Equal("first", "second");
    }

    [SkippableFact]
    public async Task ListAsync_honours_the_limit()
    {
        var store = CreateStore();
        for (var i = 0; i < 5; i++)
        {
            await store.AddAsync(Entry("s", $"k{i}", StateTestData.Origin.AddSeconds(i)));
        }

        (await store.ListAsync(limit: 3)).Select(d => d.RecordKey).Should().Equal("k0", "k1", "k2");
        (await store.ListAsync(limit: 0)).Should().BeEmpty();
        (await store.ListAsync(limit: 10)).Should().HaveCount(5);
    }

    [SkippableFact]
    public async Task ListAsync_defaults_to_at_most_100_entries()
    {
        var store = CreateStore();
        for (var i = 0; i < 101; i++)
        {
            await store.AddAsync(Entry("s", $"k{i:D3}", StateTestData.Origin.AddSeconds(i)));
        }

        var listed = await store.ListAsync();

        listed.Should().HaveCount(100);
        listed[^1].RecordKey.Should().Be("k099");
    }

    [SkippableFact]
    public async Task ListAsync_filters_by_sync()
    {
        var store = CreateStore();
        await store.AddAsync(Entry("orders", "o1", StateTestData.Origin));
        await store.AddAsync(Entry("customers", "c1", StateTestData.Origin.AddSeconds(1)));
        await store.AddAsync(Entry("orders", "o2", StateTestData.Origin.AddSeconds(2)));
        await store.AddAsync(Entry("Orders", "O3", StateTestData.Origin.AddSeconds(3)));

        (await store.ListAsync("orders")).Select(d => d.RecordKey).Should().Equal("o1", "o2");
        (await store.ListAsync("orders", limit: 1)).Select(d => d.RecordKey).Should().Equal("o1");
        (await store.ListAsync("customers")).Select(d => d.RecordKey).Should().Equal("c1");
        (await store.ListAsync("invoices")).Should().BeEmpty();
        (await store.ListAsync(null)).Select(d => d.RecordKey).Should().Equal("o1", "c1", "o2", "O3");
    }

    [SkippableFact]
    public async Task RemoveAsync_reports_whether_the_entry_existed()
    {
        var store = CreateStore();
        var kept = Entry("orders", "kept", StateTestData.Origin);
        var removed = Entry("orders", "removed", StateTestData.Origin);
        await store.AddAsync(kept);
        await store.AddAsync(removed);

        (await store.RemoveAsync(removed.Id)).Should().BeTrue();
        (await store.RemoveAsync(removed.Id)).Should().BeFalse();
        (await store.RemoveAsync("never-added")).Should().BeFalse();

        (await store.GetAsync(removed.Id)).Should().BeNull();
        (await store.GetAsync(kept.Id)).Should().Be(kept);
        (await store.ListAsync()).Should().ContainSingle().Which.Id.Should().Be(kept.Id);
    }

    [SkippableFact]
    public async Task Concurrent_adds_are_all_kept()
    {
        var store = CreateStore();

        await StateTestData.RunConcurrently(
            StateTestData.ConcurrentCalls,
            i => store.AddAsync(Entry("orders", $"k{i}", StateTestData.Origin.AddSeconds(i))));

        var listed = await store.ListAsync(limit: StateTestData.ConcurrentCalls * 2);
        listed.Select(d => d.RecordKey).Should().Equal(Enumerable.Range(0, StateTestData.ConcurrentCalls).Select(i => $"k{i}"));
    }

    [SkippableFact]
    public async Task Concurrent_adds_of_one_id_keep_one_entry()
    {
        var store = CreateStore();

        await StateTestData.RunConcurrently(
            StateTestData.ConcurrentCalls,
            i => store.AddAsync(Entry("orders", "k", StateTestData.Origin) with { Attempts = i }));

        var listed = await store.ListAsync();
        listed.Should().ContainSingle().Which.Attempts.Should().BeInRange(0, StateTestData.ConcurrentCalls - 1);
    }

    [SkippableFact]
    public async Task A_cancelled_add_throws_and_stores_nothing()
    {
        var store = CreateStore();
        var entry = Entry("orders", "k", StateTestData.Origin);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var act = async () => await store.AddAsync(entry, cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await store.GetAsync(entry.Id)).Should().BeNull();
    }

    [SkippableFact]
    public async Task Invalid_arguments_are_rejected()
    {
        var store = CreateStore();

        await FluentActions.Awaiting(async () => await store.AddAsync(null!))
            .Should().ThrowAsync<ArgumentNullException>().WithParameterName("deadLetter");
        await FluentActions.Awaiting(async () => await store.GetAsync(null!))
            .Should().ThrowAsync<ArgumentNullException>().WithParameterName("id");
        await FluentActions.Awaiting(async () => await store.RemoveAsync(null!))
            .Should().ThrowAsync<ArgumentNullException>().WithParameterName("id");
        await FluentActions.Awaiting(async () => await store.ListAsync(limit: -1))
            .Should().ThrowAsync<ArgumentOutOfRangeException>().WithParameterName("limit");
    }
}
