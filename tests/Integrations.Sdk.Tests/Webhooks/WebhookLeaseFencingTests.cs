using System.Collections.Concurrent;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.State;
using Integrations.Sdk.State.InMemory;
using Integrations.Sdk.Telemetry;
using Integrations.Sdk.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.Tests.Webhooks;

/// <summary>
/// Two webhook processors (two host instances) share one inbox and one step memo. Processor A's attempt outlives its
/// lease; processor B claims the message and completes it; then A finishes. Whatever A's attempt ends in, the inbox
/// keeps B's outcome: A's change is refused (its claim has passed on), logged as event 3005 and counted.
/// </summary>
public sealed class WebhookLeaseFencingTests
{
    private const string Source = "acme";
    private const string EventId = "evt_1";
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private readonly FakeTimeProvider _time = new(T0);
    private readonly InMemoryWebhookInbox _inbox = new();
    private readonly InMemoryStepMemoStore _memo = new();
    private readonly ConcurrentQueue<string> _effects = new();
    private readonly string _id = InboxMessage.CreateId(Source, EventId);

    public enum LateOutcome
    {
        Success,
        FailureToRetry,
        FailureToDeadLetter,
    }

    [Theory]
    [InlineData(LateOutcome.Success, "complete")]
    [InlineData(LateOutcome.FailureToRetry, "retry")]
    [InlineData(LateOutcome.FailureToDeadLetter, "dead-letter")]
    public async Task LateProcessor_WhoseClaimWasTakenOver_FlipsNothing(LateOutcome outcome, string refusedChange)
    {
        await _inbox.TryAddAsync(Pending());
        var gate = new MemoGate(_memo);

        // A claims the message and stalls in its state store; with one slot, its loop claims nothing else meanwhile.
        var inboxOfA = new SettlementSpy(_inbox);
        await using var a = await StartAsync(gate, maxAttempts: outcome == LateOutcome.FailureToDeadLetter ? 1 : 3, concurrency: 1, inboxOfA);
        await gate.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        var claimA = (await _inbox.GetAsync(_id))!;
        claimA.ClaimToken.Should().NotBeNull();

        // The lease runs out; B claims the message again and completes it.
        _time.Advance(Lease + TimeSpan.FromMinutes(1));
        await using var b = await StartAsync(_memo, maxAttempts: 3, concurrency: 1);
        await UntilAsync(async () => await StateAsync() == InboxState.Completed, "B completed the message");
        var afterB = (await _inbox.GetAsync(_id))!;
        afterB.Attempts.Should().Be(2);
        afterB.ClaimToken.Should().NotBe(claimA.ClaimToken);
        _effects.Should().Equal("evt_1");

        // A finishes late: it succeeds (the memo now says the step is done), or fails and would retry or dead-letter.
        gate.Release(fail: outcome != LateOutcome.Success);
        var (change, applied) = await inboxOfA.Settled.WaitAsync(TimeSpan.FromSeconds(10));

        (await _inbox.GetAsync(_id)).Should().Be(afterB, "A's late change was refused: the message stays as B left it");
        change.Should().Be(refusedChange);
        applied.Should().BeFalse("A's claim has passed on to B");
        await UntilAsync(() => Task.FromResult(a.Logs.GetSnapshot().Any(r => r.Id.Id == 3005)), "A's refused change is logged");
        _effects.Should().Equal(["evt_1"], "the effect happened once, by B; A found the step memoized");
        var refused = a.Logs.GetSnapshot().Single(r => r.Id.Id == 3005);
        refused.Level.Should().Be(LogLevel.Warning);
        refused.StructuredState!.Should().Contain(new KeyValuePair<string, string?>("Change", refusedChange))
            .And.Contain(new KeyValuePair<string, string?>("Id", _id))
            .And.Contain(new KeyValuePair<string, string?>("Attempt", "1"));
        a.Logs.GetSnapshot().Should().NotContain(r => r.Id.Id == 3003 || r.Id.Id == 3004, "a retry or dead letter that was not applied is not reported as one");
        a.ClaimsLost.GetMeasurementSnapshot().Should().ContainSingle()
            .Which.Tags.Should().Contain(new KeyValuePair<string, object?>("integrations.webhook.source", Source));
        b.ClaimsLost.GetMeasurementSnapshot().Should().BeEmpty();
    }

    [Fact]
    public async Task AttemptThatOutlivesItsLease_OnTheSameProcessor_SettlesUnderItsNewerClaim()
    {
        await _inbox.TryAddAsync(Pending());
        var gate = new MemoGate(_memo);

        // With a free slot, the processor's own loop claims the message again once the lease has run out.
        await using var a = await StartAsync(gate, maxAttempts: 3, concurrency: 2);
        await gate.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        _time.Advance(Lease + TimeSpan.FromMinutes(1));
        // The loop may set its poll timer just after the clock moved: nudge the clock until it has claimed again.
        await UntilAsync(async () => (await _inbox.GetAsync(_id))!.Attempts == 2, "the processor claimed the message again", () => _time.Advance(TimeSpan.FromSeconds(1)));

        // The attempt in progress took the newer claim: it completes the message, once, and starts no second attempt.
        gate.Release(fail: false);
        await UntilAsync(async () => await StateAsync() == InboxState.Completed, "the message is completed");

        _effects.Should().Equal("evt_1");
        a.Logs.GetSnapshot().Should().NotContain(r => r.Id.Id == 3005);
        a.ClaimsLost.GetMeasurementSnapshot().Should().BeEmpty();
        gate.Calls.Should().Be(1, "no second attempt read the memo");
    }

    [Fact]
    public async Task MessageDueAgainBeforeItsAttemptIsOver_IsProcessedAgain_NotLeftClaimed()
    {
        await _inbox.TryAddAsync(Pending());

        // The first attempt fails (the state store is unavailable) and puts the message back, due after a short
        // backoff. The backoff passes before the attempt is over (a busy machine, or a clock 200 times faster than the
        // wall), so the processor's loop claims the message again while the attempt still holds it.
        var gate = new MemoGate(_memo);
        gate.Release(fail: true);
        var inbox = new DueAgainAtOnce(_inbox, _time);
        await using var a = await StartAsync(gate, maxAttempts: 3, concurrency: 2, inbox);

        // The clock stays well within the lease: the message must not need its lease to run out to be processed.
        await UntilAsync(async () => await StateAsync() == InboxState.Completed, "the message claimed again is processed");
        inbox.ClaimedAgainBeforeTheRetryReturned.Should().BeTrue("the case under test: the newer claim reached the attempt still in progress");
        (await _inbox.GetAsync(_id))!.Attempts.Should().Be(2);
        _effects.Should().Equal("evt_1");
        a.Logs.GetSnapshot().Should().NotContain(r => r.Id.Id == 3005);
    }

    private static InboxMessage Pending() => new()
    {
        Id = InboxMessage.CreateId(Source, EventId),
        Source = Source,
        EventId = EventId,
        EventType = "customer.flagged",
        Payload = $"{{\"id\":\"{EventId}\"}}",
        ReceivedAt = T0,
        DueAt = T0,
        State = InboxState.Pending,
    };

    private async Task<InboxState> StateAsync() => (await _inbox.GetAsync(_id))!.State;

    /// <summary>Waits (bounded) for a condition driven by the processors' threads.</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition, string what, Action? pump = null)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (!await condition())
        {
            pump?.Invoke();
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }

            await Task.Yield();
        }
    }

    /// <summary>Starts one host instance's webhook processor on the shared inbox and clock.</summary>
    private async Task<Instance> StartAsync(IStepMemoStore memo, int maxAttempts, int concurrency, IWebhookInbox? inbox = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug));
        services.AddFakeLogging();
        services.AddMetrics();
        services.AddIntegrations()
            .ConfigureWebhooks(o =>
            {
                o.Lease = Lease;
                o.Concurrency = concurrency;
                o.MaxAttempts = maxAttempts;
                o.RetryBaseDelay = TimeSpan.FromSeconds(10);
            })
            .AddSync<Flagged>("flags", s => s.FromEvents().Key(e => $"acme:event:{e.Id}").WithStepRetries(1, TimeSpan.Zero)
                .Step("record", WriteSafety.Unsafe, (e, _, _) =>
                {
                    _effects.Enqueue(e.Id);
                    return Task.FromResult(e.Id);
                }))
            .AddWebhookRoute<Flagged>(Source, "flags");
        services.AddSingleton(inbox ?? _inbox);
        services.AddSingleton(memo);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var claimsLost = new MetricCollector<long>(provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), IntegrationsTelemetry.Name, "integrations.webhooks.claims_lost");
        var processor = provider.GetServices<IHostedService>().Single(s => s.GetType().Name == "WebhookProcessor");
        await processor.StartAsync(CancellationToken.None);
        return new Instance(provider, processor, provider.GetFakeLogCollector(), claimsLost);
    }

    public sealed record Flagged(string Id);

    private sealed record Instance(ServiceProvider Provider, IHostedService Processor, FakeLogCollector Logs, MetricCollector<long> ClaimsLost) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Processor.StopAsync(CancellationToken.None);
            ClaimsLost.Dispose();
            await Provider.DisposeAsync();
        }
    }

    /// <summary>The shared inbox as one instance sees it: reports the first change it makes after a claim, and whether it was applied.</summary>
    private sealed class SettlementSpy(IWebhookInbox inner) : IWebhookInbox
    {
        private readonly TaskCompletionSource<(string Change, bool Applied)> _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<(string Change, bool Applied)> Settled => _settled.Task;

        public ValueTask<bool> TryAddAsync(InboxMessage message, CancellationToken cancellationToken = default) => inner.TryAddAsync(message, cancellationToken);

        public ValueTask<IReadOnlyList<InboxMessage>> ClaimAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken = default) =>
            inner.ClaimAsync(now, leaseUntil, max, cancellationToken);

        public async ValueTask<bool> CompleteAsync(InboxMessage claimed, CancellationToken cancellationToken = default) =>
            Report("complete", await inner.CompleteAsync(claimed, cancellationToken));

        public async ValueTask<bool> RetryAsync(InboxMessage claimed, DateTimeOffset dueAt, string error, CancellationToken cancellationToken = default) =>
            Report("retry", await inner.RetryAsync(claimed, dueAt, error, cancellationToken));

        public async ValueTask<bool> DeadLetterAsync(InboxMessage claimed, string reason, CancellationToken cancellationToken = default) =>
            Report("dead-letter", await inner.DeadLetterAsync(claimed, reason, cancellationToken));

        public ValueTask<InboxMessage?> GetAsync(string id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

        public ValueTask<InboxCounts> CountAsync(CancellationToken cancellationToken = default) => inner.CountAsync(cancellationToken);

        private bool Report(string change, bool applied)
        {
            _settled.TrySetResult((change, applied));
            return applied;
        }
    }

    /// <summary>
    /// An inbox whose first applied retry returns to its caller only after the message, due again (the clock is moved
    /// past the backoff), has been claimed again: as when the thread that settled the message is not scheduled for a
    /// while.
    /// </summary>
    private sealed class DueAgainAtOnce(IWebhookInbox inner, FakeTimeProvider time) : IWebhookInbox
    {
        private readonly TaskCompletionSource _claimedAgain = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _retries;

        public bool ClaimedAgainBeforeTheRetryReturned { get; private set; }

        public ValueTask<bool> TryAddAsync(InboxMessage message, CancellationToken cancellationToken = default) => inner.TryAddAsync(message, cancellationToken);

        public async ValueTask<IReadOnlyList<InboxMessage>> ClaimAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken = default)
        {
            var claimed = await inner.ClaimAsync(now, leaseUntil, max, cancellationToken);
            if (claimed.Any(m => m.Attempts > 1))
            {
                _claimedAgain.TrySetResult();
            }

            return claimed;
        }

        public ValueTask<bool> CompleteAsync(InboxMessage claimed, CancellationToken cancellationToken = default) => inner.CompleteAsync(claimed, cancellationToken);

        public async ValueTask<bool> RetryAsync(InboxMessage claimed, DateTimeOffset dueAt, string error, CancellationToken cancellationToken = default)
        {
            var applied = await inner.RetryAsync(claimed, dueAt, error, cancellationToken);
            if (applied && Interlocked.Increment(ref _retries) == 1)
            {
                // The backoff passes and the loop's poll timer fires; at most 8 steps of 5 s, so the clock stays inside
                // the 1-minute lease however slow the machine, each step waiting (bounded) for the claim's signal.
                for (var step = 0; step < 8 && !_claimedAgain.Task.IsCompleted; step++)
                {
                    time.Advance(TimeSpan.FromSeconds(5));
                    await Task.WhenAny(_claimedAgain.Task, Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None));
                }

                ClaimedAgainBeforeTheRetryReturned = _claimedAgain.Task.IsCompleted;
            }

            return applied;
        }

        public ValueTask<bool> DeadLetterAsync(InboxMessage claimed, string reason, CancellationToken cancellationToken = default) => inner.DeadLetterAsync(claimed, reason, cancellationToken);

        public ValueTask<InboxMessage?> GetAsync(string id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

        public ValueTask<InboxCounts> CountAsync(CancellationToken cancellationToken = default) => inner.CountAsync(cancellationToken);
    }

    /// <summary>
    /// The shared step memo as one instance sees it: its first read waits until released, then fails (the state store
    /// is unavailable: the whole run fails) or goes through.
    /// </summary>
    private sealed class MemoGate(IStepMemoStore inner) : IStepMemoStore
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<bool> _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public Task Entered => _entered.Task;

        public int Calls => Volatile.Read(ref _calls);

        public void Release(bool fail) => _released.SetResult(fail);

        public async ValueTask<IReadOnlyList<StepMemo>> GetRecordAsync(string sync, string recordKey, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                _entered.SetResult();
                if (await _released.Task.WaitAsync(cancellationToken))
                {
                    throw new IOException("the state store is unavailable");
                }
            }

            return await inner.GetRecordAsync(sync, recordKey, cancellationToken);
        }

        public ValueTask SaveAsync(StepMemo memo, CancellationToken cancellationToken = default) => inner.SaveAsync(memo, cancellationToken);
    }
}
