using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.State;
using Integrations.Sdk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.Tests.Connectors;

/// <summary>
/// Select, Where and Merge on record sources, read directly and through an incremental sync: records, checkpoints,
/// resuming after a partial read, progress past records left out, cancellation and a checkpoint Merge cannot read.
/// </summary>
public sealed class RecordSourceExtensionsTests
{
    private const string Sync = "items";

    [Fact]
    public async Task Select_MapsEachRecord_AndKeepsItsCheckpoint()
    {
        var source = new ListSource("a", 3);

        var records = await ReadAllAsync(source.Select(i => $"{i.Source}-{i.N * 10}"));

        records.Should().Equal(new SourceRecord<string>("a-10", "a1"), new SourceRecord<string>("a-20", "a2"), new SourceRecord<string>("a-30", "a3"));
    }

    [Fact]
    public async Task Where_KeepsTheMatchingRecords_WithTheirOwnCheckpoints()
    {
        var source = new ListSource("a", 10);

        var records = await ReadAllAsync(source.Where(i => i.N % 3 == 0));

        records.Select(r => r.Checkpoint).Should().Equal("a3", "a6", "a9");
        records.Select(r => r.Value.N).Should().Equal(3, 6, 9);
    }

    [Fact]
    public async Task Where_InASync_StoresACheckpointPastTheRecordsLeftOutAtTheEnd_SoTheNextRunDoesNotReadThemAgain()
    {
        var source = new ListSource("a", 12);
        await using var host = Host(source.Where(i => i.N % 5 == 1), out var effects);

        var first = await host.GetRequiredService<ISyncRunner>().RunAsync(Sync);
        var second = await host.GetRequiredService<ISyncRunner>().RunAsync(Sync);

        first.Summary.Status.Should().Be(RunStatus.Succeeded);
        first.Summary.Read.Should().Be(3, "records left out by the source's Where are not part of the run");
        effects.Should().BeEquivalentTo(["a1", "a6", "a11"]);
        first.Summary.CheckpointAfter.Should().Be("a12", "the records after the last kept one were read and left out: no need to read them again");
        source.CheckpointsAsked.Should().Equal(null, "a12");
        second.Summary.Read.Should().Be(0);
    }

    [Fact]
    public async Task ASelectAfterAWhere_PassesTheProgressPastLeftOutRecordsOnToTheSync()
    {
        var source = new ListSource("a", 5);
        await using var host = Host(source.Where(i => i.N == 1).Select(i => i with { Source = "a" }), out var effects);

        var report = await host.GetRequiredService<ISyncRunner>().RunAsync(Sync);

        effects.Should().BeEquivalentTo(["a1"]);
        report.Summary.CheckpointAfter.Should().Be("a5");
    }

    [Fact]
    public async Task Where_ThatKeepsNothing_StillMovesTheCheckpoint_EvenWhenTheRunStopsHalfWay()
    {
        using var stop = new CancellationTokenSource();
        var source = new ListSource("a", 1000) { OnRead = n => { if (n == 650) stop.Cancel(); } };
        await using var host = Host(source.Where(_ => false), out _);

        var report = await host.GetRequiredService<ISyncRunner>().RunAsync(Sync, cancellationToken: stop.Token);

        report.Summary.Status.Should().Be(RunStatus.Cancelled);
        var stored = await host.GetRequiredService<ICheckpointStore>().GetAsync(Sync);
        stored.Should().NotBeNull("progress past long runs of left-out records is kept before the read ends");
        int.Parse(stored![1..], CultureInfo.InvariantCulture).Should().BeInRange(500, 650);
    }

    [Fact]
    public async Task Where_InASync_NeverMovesTheCheckpointPastAKeptRecordStillInFlight()
    {
        var source = new ListSource("a", 300);
        var held = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();
        var checkpoints = new RecordingCheckpointStore();
        await using var host = Host(source.Where(i => i.N <= 2), out var effects, (item, ct) => item.N == 2 ? held.Task.WaitAsync(ct) : Task.CompletedTask, checkpoints);

        var run = host.GetRequiredService<ISyncRunner>().RunAsync(Sync, cancellationToken: stop.Token);
        await TestHost.Until(() => effects.Contains("a1") && source.Read == 300, "record 1 is done and the whole source is read while record 2 is held");
        await stop.CancelAsync();
        var report = await run;

        report.Summary.Status.Should().Be(RunStatus.Cancelled);
        checkpoints.Stored.Should().OnlyContain(c => c == "a1", "record 2 was in flight all along, so no checkpoint after it may ever be stored");
        (await host.GetRequiredService<ICheckpointStore>().GetAsync(Sync)).Should().Be("a1", "record 2 never finished, so nothing after it counts as done");

        held.SetResult();
        var again = await host.GetRequiredService<ISyncRunner>().RunAsync(Sync);
        source.CheckpointsAsked.Should().Equal(null, "a1");
        again.Summary.Completed.Should().Be(1);
        again.Summary.CheckpointAfter.Should().Be("a300");
    }

    [Fact]
    public async Task Select_ThatCannotConvertARecord_DeadLettersItAsRead_AndTheRunGoesOn_ThenAReplayTakesTheCorrectedRecord()
    {
        var source = new ListSource("a", 5);
        await using var host = Host(
            source.Select(i => i.N == 3 ? throw new FormatException("item 3 has no name") : i with { Source = "b" }),
            out var effects);
        var runner = host.GetRequiredService<ISyncRunner>();

        var report = await runner.RunAsync(Sync);

        report.Summary.Status.Should().Be(RunStatus.Succeeded);
        report.Summary.Completed.Should().Be(4);
        report.Summary.DeadLettered.Should().Be(1);
        report.Summary.CheckpointAfter.Should().Be("a5", "the unconverted record is set aside, so it does not hold the source back");
        effects.Should().BeEquivalentTo(["b1", "b2", "b4", "b5"]);
        var letter = (await host.GetRequiredService<IDeadLetterStore>().ListAsync(Sync)).Should().ContainSingle().Subject;
        letter.Step.Should().Be("$select");
        letter.Reason.Should().Contain("could not convert").And.Contain("item 3 has no name");
        letter.Payload.Should().Contain("\"source\":\"a\"").And.Contain("\"n\":3", "the record is kept as the source read it");

        var replayAsRead = () => runner.ReplayAsync(letter.Id);
        (await replayAsRead.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("Replay it with a payload");

        var replay = await runner.ReplayAsync(letter.Id, """{"source":"b","n":3}""");
        replay.Summary.Completed.Should().Be(1);
        effects.Should().Contain("b3");
        (await host.GetRequiredService<IDeadLetterStore>().ListAsync(Sync)).Should().BeEmpty();
    }

    [Fact]
    public async Task Select_ThatThrows_StopsADirectRead_WithItsException()
    {
        var read = () => ReadAllAsync(new ListSource("a", 3).Select<Item, int>(i => i.N == 2 ? throw new FormatException("bad 2") : i.N));

        (await read.Should().ThrowAsync<FormatException>()).Which.Message.Should().Be("bad 2");
    }

    [Fact]
    public async Task SelectMany_GivesOnlyTheLastRecordOfEachTheParentsCheckpoint_AndTheOthersTheCheckpointBeforeIt()
    {
        var source = new ListSource("a", 4);

        var records = await ReadAllAsync(source.SelectMany(i => Children(i, i.N switch { 3 => 0, 4 => 3, _ => i.N })), "a1");

        records.Select(r => $"{r.Value.Source}{r.Value.N}").Should().Equal("a2.1", "a2.2", "a4.1", "a4.2", "a4.3");
        records.Select(r => r.Checkpoint).Should().Equal(
            ["a1", "a2", "a3", "a3", "a4"],
            "a parent is done only when its last child is; a4's earlier children carry a3, past which the parent without children moved it");
        source.CheckpointsAsked.Should().Equal("a1");
    }

    [Fact]
    public async Task SelectMany_InASync_FinishesEveryChild_AndMovesPastAParentWithoutChildren()
    {
        var source = new ListSource("a", 4);
        await using var host = Host(source.SelectMany(i => Children(i, i.N == 4 ? 0 : 2)), out var effects);

        var first = await host.GetRequiredService<ISyncRunner>().RunAsync(Sync);
        var second = await host.GetRequiredService<ISyncRunner>().RunAsync(Sync);

        first.Summary.Completed.Should().Be(6);
        effects.Should().BeEquivalentTo(["a1.1", "a1.2", "a2.1", "a2.2", "a3.1", "a3.2"]);
        first.Summary.CheckpointAfter.Should().Be("a4", "the last parent made no records, and the checkpoint still passed it");
        second.Summary.Read.Should().Be(0);
    }

    [Fact]
    public async Task SelectMany_InASync_NeverStoresAParentsCheckpointWhileOneOfItsChildrenIsUnfinished_AndTheNextRunRedoesOnlyThatChild()
    {
        var source = new ListSource("a", 3);
        var held = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();
        var checkpoints = new RecordingCheckpointStore();
        await using var host = Host(
            source.SelectMany(i => Children(i, i.N == 2 ? 3 : 1)),
            out var effects,
            (item, ct) => item is { Source: "a2.", N: 2 } ? held.Task.WaitAsync(ct) : Task.CompletedTask,
            checkpoints);

        var run = host.GetRequiredService<ISyncRunner>().RunAsync(Sync, cancellationToken: stop.Token);
        await TestHost.Until(() => effects.Contains("a1.1") && effects.Contains("a2.1") && effects.Contains("a2.3") && effects.Contains("a3.1"), "every child but a2.2 is done");
        await stop.CancelAsync();
        var report = await run;

        report.Summary.Status.Should().Be(RunStatus.Cancelled);
        checkpoints.Stored.Should().OnlyContain(c => c == "a1", "a2's second child never finished, so neither a2's checkpoint nor a3's may be stored, though a2's last child is done");
        (await host.GetRequiredService<ICheckpointStore>().GetAsync(Sync)).Should().Be("a1");

        held.SetResult();
        var again = await host.GetRequiredService<ISyncRunner>().RunAsync(Sync);

        source.CheckpointsAsked.Should().Equal(null, "a1");
        again.Summary.Read.Should().Be(4, "a2 is read again with its three children, then a3");
        again.Summary.Completed.Should().Be(1, "only a2.2 was unfinished");
        again.Summary.Skipped.Should().Be(3, "the step memo skips the children finished before the stop");
        effects.Where(e => e.StartsWith("a2.", StringComparison.Ordinal)).Should().BeEquivalentTo(["a2.1", "a2.2", "a2.3"], "no child ran twice");
        again.Summary.CheckpointAfter.Should().Be("a3");
    }

    [Fact]
    public async Task SelectMany_ThatCannotConvertARecord_DeadLettersItAsRead_WithNoneOfItsChildren_AndTheRunGoesOn()
    {
        var source = new ListSource("a", 3);
        await using var host = Host(
            source.SelectMany(i => i.N == 2 ? ChildrenThenThrow(i) : Children(i, 1)),
            out var effects);

        var report = await host.GetRequiredService<ISyncRunner>().RunAsync(Sync);

        report.Summary.Status.Should().Be(RunStatus.Succeeded);
        effects.Should().BeEquivalentTo(["a1.1", "a3.1"], "a2's selector failed half-way: none of its records is handed over");
        report.Summary.DeadLettered.Should().Be(1);
        report.Summary.CheckpointAfter.Should().Be("a3");
        var letter = (await host.GetRequiredService<IDeadLetterStore>().ListAsync(Sync)).Should().ContainSingle().Subject;
        letter.Step.Should().Be("$select");
        letter.Reason.Should().Contain("SelectMany could not convert").And.Contain("a2 has a bad refund");
        letter.Payload.Should().Contain("\"n\":2", "the record is kept as the source read it");

        static IEnumerable<Item> ChildrenThenThrow(Item parent)
        {
            yield return new Item($"{parent.Source}{parent.N}.", 1);
            throw new FormatException("a2 has a bad refund");
        }
    }

    [Fact]
    public async Task SelectMany_ThatThrows_StopsADirectRead_WithItsException()
    {
        var read = () => ReadAllAsync(new ListSource("a", 3).SelectMany<Item, int>(i => i.N == 2 ? throw new FormatException("bad 2") : [i.N]));

        (await read.Should().ThrowAsync<FormatException>()).Which.Message.Should().Be("bad 2");
    }

    [Fact]
    public async Task Merge_ReadsTheSourcesOneAfterAnother_WithACheckpointHoldingEachSourcesCursor()
    {
        var a = new ListSource("a", 2);
        var b = new ListSource("b", 2);

        var records = await ReadAllAsync(a.Merge(b));

        records.Select(r => $"{r.Value.Source}{r.Value.N}").Should().Equal("a1", "a2", "b1", "b2");
        records.Select(r => r.Checkpoint).Should().Equal("[\"a1\",null]", "[\"a2\",null]", "[\"a2\",\"b1\"]", "[\"a2\",\"b2\"]");
    }

    [Fact]
    public async Task Merge_ResumesEachSourceWhereItWas_AfterAPartialRead()
    {
        var a = new ListSource("a", 3);
        var b = new ListSource("b", 3);
        var c = new ListSource("c", 3);
        var merged = a.Merge(b, c);
        string? checkpoint = null;
        await foreach (var record in merged.ReadAsync(null))
        {
            checkpoint = record.Checkpoint;
            if (record.Value is { Source: "b", N: 1 })
            {
                break; // the run stops after the first record of the second source
            }
        }

        a.Add(4);
        var rest = await ReadAllAsync(merged, checkpoint);

        checkpoint.Should().Be("[\"a3\",\"b1\",null]");
        a.CheckpointsAsked.Should().Equal(null, "a3");
        b.CheckpointsAsked.Should().Equal(null, "b1");
        c.CheckpointsAsked.Should().Equal([null], "the third source was not reached by the first read and starts from the beginning");
        rest.Select(r => $"{r.Value.Source}{r.Value.N}").Should().Equal("a4", "b2", "b3", "c1", "c2", "c3");
        rest[^1].Checkpoint.Should().Be("[\"a4\",\"b3\",\"c3\"]");
    }

    [Fact]
    public async Task Merge_InASync_ResumesEverySource_AndPassesRecordsLeftOutByAnInnerWhere()
    {
        var a = new ListSource("a", 3);
        var b = new ListSource("b", 2);
        await using var host = Host(a.Merge(b.Where(i => i.N != 2)), out var effects);
        var runner = host.GetRequiredService<ISyncRunner>();

        var first = await runner.RunAsync(Sync);
        a.Add(4);
        b.Add(3);
        var second = await runner.RunAsync(Sync);

        first.Summary.CheckpointAfter.Should().Be("[\"a3\",\"b2\"]", "b2 was left out by the Where, and the checkpoint still passed it");
        a.CheckpointsAsked.Should().Equal(null, "a3");
        b.CheckpointsAsked.Should().Equal(null, "b2");
        second.Summary.Read.Should().Be(2);
        second.Summary.CheckpointAfter.Should().Be("[\"a4\",\"b3\"]");
        effects.Should().BeEquivalentTo(["a1", "a2", "a3", "b1", "a4", "b3"]);
    }

    [Theory]
    [InlineData("a3", "it is not JSON")]
    [InlineData("{\"a\":1}", "it is a JSON object, not an array")]
    [InlineData("[\"a3\"]", "it holds 1 cursors where this source merges 2 sources")]
    [InlineData("[\"a3\",7]", "the cursor of merged source 2 of 2 is a JSON number, not a string or null")]
    public async Task Merge_RefusesACheckpointItCannotRead_SayingWhatIsWrongAndWhatToDo(string checkpoint, string problem)
    {
        var merged = new ListSource("a", 3).Merge(new ListSource("b", 1));

        var read = () => ReadAllAsync(merged, checkpoint);

        var error = (await read.Should().ThrowAsync<ArgumentException>()).Which;
        error.ParamName.Should().Be("checkpoint");
        error.Message.Should().Contain($"'{checkpoint}'").And.Contain("merged source of Item").And.Contain(problem)
            .And.Contain("a JSON array of 2 cursors").And.Contain("RunOptions.FullRefresh");
    }

    [Fact]
    public async Task Merge_InASync_WithACheckpointStoredBeforeTheMerge_FailsTheRunClearly_AndAFullRefreshRepairsIt()
    {
        var a = new ListSource("a", 2);
        var b = new ListSource("b", 1);
        await using var host = Host(a.Merge(b), out var effects);
        await host.GetRequiredService<ICheckpointStore>().SetAsync(Sync, "a2");
        var runner = host.GetRequiredService<ISyncRunner>();

        var failed = await runner.RunAsync(Sync);
        var repaired = await runner.RunAsync(Sync, new RunOptions { FullRefresh = true });

        failed.Summary.Status.Should().Be(RunStatus.Failed);
        failed.Summary.Error.Should().Contain("'a2' is not one of a merged source").And.Contain("FullRefresh");
        effects.Should().BeEquivalentTo(["a1", "a2", "b1"]);
        repaired.Summary.CheckpointAfter.Should().Be("[\"a2\",\"b1\"]");
    }

    [Fact]
    public async Task Cancellation_FlowsThroughSelectWhereAndMerge_ToTheSourceBeingRead()
    {
        var a = new ListSource("a", 1);
        var b = new ListSource("b", 1) { WaitAfterLast = true };
        var composed = a.Merge(b).Where(i => i.N > 0).Select(i => i.N);
        using var stop = new CancellationTokenSource();
        var seen = new List<int>();

        var read = async () =>
        {
            await foreach (var record in composed.ReadAsync(null, stop.Token))
            {
                seen.Add(record.Value);
                if (seen.Count == 2)
                {
                    await stop.CancelAsync();
                }
            }
        };

        await read.Should().ThrowAsync<OperationCanceledException>();
        seen.Should().Equal(1, 1);
        b.Tokens.Should().ContainSingle().Which.IsCancellationRequested.Should().BeTrue("the token given to the composed read reached the inner source");
    }

    [Fact]
    public async Task ACancelledToken_StopsTheComposedReadBeforeTheFirstRecord()
    {
        var composed = new ListSource("a", 5).Merge(new ListSource("b", 5)).Where(_ => true);

        var read = () => ReadAllAsync(composed, null, new CancellationToken(canceled: true));

        await read.Should().ThrowAsync<OperationCanceledException>();
    }

    private static async Task<List<SourceRecord<T>>> ReadAllAsync<T>(IRecordSource<T> source, string? checkpoint = null, CancellationToken cancellationToken = default)
    {
        var records = new List<SourceRecord<T>>();
        await foreach (var record in source.ReadAsync(checkpoint, cancellationToken))
        {
            records.Add(record);
        }

        return records;
    }

    /// <summary>An incremental sync over <paramref name="source"/> whose only step notes each record it processes.</summary>
    private static ServiceProvider Host(IRecordSource<Item> source, out ConcurrentBag<string> effects, Func<Item, CancellationToken, Task>? before = null, ICheckpointStore? checkpoints = null)
    {
        var seen = effects = [];
        var services = new ServiceCollection();
        if (checkpoints is not null)
        {
            services.AddSingleton(checkpoints);
        }

        services.AddSingleton<TimeProvider>(TestHost.Clock());
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddIntegrations().AddSync<Item>(Sync, s => s
            .FromIncremental(_ => source)
            .Key(i => $"item:{i.Source}{i.N}")
            .WithStepRetries(1, TimeSpan.Zero)
            .Step("effect", WriteSafety.NaturalUpsert, async (i, _, ct) =>
            {
                await (before?.Invoke(i, ct) ?? Task.CompletedTask);
                seen.Add($"{i.Source}{i.N}");
                return i.N;
            }));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    /// <summary>The records a parent makes: <c>{source}{n}.1</c> to <c>{source}{n}.{count}</c>.</summary>
    private static IEnumerable<Item> Children(Item parent, int count) =>
        Enumerable.Range(1, count).Select(k => new Item($"{parent.Source}{parent.N}.", k));

    public sealed record Item(string Source, int N);

    /// <summary>A checkpoint store that keeps every value stored, in order.</summary>
    private sealed class RecordingCheckpointStore : ICheckpointStore
    {
        private readonly ConcurrentDictionary<string, string> _current = new();

        public ConcurrentQueue<string> Stored { get; } = new();

        public ValueTask<string?> GetAsync(string sync, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(_current.TryGetValue(sync, out var checkpoint) ? checkpoint : null);

        public ValueTask SetAsync(string sync, string checkpoint, CancellationToken cancellationToken = default)
        {
            Stored.Enqueue(checkpoint);
            _current[sync] = checkpoint;
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Items 1..n of one source, each with the checkpoint "{source}{n}"; a read resumes after the checkpoint given.</summary>
    private sealed class ListSource(string name, int count) : IRecordSource<Item>
    {
        private readonly List<int> _items = [.. Enumerable.Range(1, count)];
        private int _read;

        public List<string?> CheckpointsAsked { get; } = [];

        public List<CancellationToken> Tokens { get; } = [];

        /// <summary>Called with each item's number as it is read.</summary>
        public Action<int>? OnRead { get; init; }

        /// <summary>After the last item, wait for the token instead of ending.</summary>
        public bool WaitAfterLast { get; init; }

        public int Read => Volatile.Read(ref _read);

        public void Add(int n) => _items.Add(n);

        public async IAsyncEnumerable<SourceRecord<Item>> ReadAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            CheckpointsAsked.Add(checkpoint);
            Tokens.Add(cancellationToken);
            var after = checkpoint is null ? 0 : int.Parse(checkpoint[name.Length..], CultureInfo.InvariantCulture);
            foreach (var n in _items.Where(n => n > after).ToList())
            {
                await Task.Yield();
                Interlocked.Increment(ref _read);
                OnRead?.Invoke(n);
                yield return new SourceRecord<Item>(new Item(name, n), $"{name}{n}");
            }

            if (WaitAfterLast)
            {
                // Bounded, so a token that does not reach the source fails the test instead of hanging it.
                await Task.Delay(Timeout.Infinite, cancellationToken).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            }
        }
    }
}
