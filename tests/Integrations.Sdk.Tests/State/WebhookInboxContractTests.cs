using Integrations.Sdk.State;

namespace Integrations.Sdk.Tests.State;

/// <summary>The behaviour every <see cref="IWebhookInbox"/> must have.</summary>
public abstract class WebhookInboxContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);

    /// <summary>Creates an empty inbox for one test.</summary>
    protected abstract IWebhookInbox CreateInbox();

    private static InboxMessage Message(string eventId, DateTimeOffset? receivedAt = null, string source = "stripe") => new()
    {
        Id = InboxMessage.CreateId(source, eventId),
        Source = source,
        EventId = eventId,
        EventType = "invoice.payment_failed",
        Payload = $"{{\"id\":\"{eventId}\"}}",
        OccurredAt = T0.AddMinutes(-1),
        ReceivedAt = receivedAt ?? T0,
        State = InboxState.Pending,
        DueAt = receivedAt ?? T0,
    };

    [SkippableFact]
    public async Task TryAdd_SameEventTwice_KeepsOneMessage()
    {
        var inbox = CreateInbox();

        (await inbox.TryAddAsync(Message("evt_1"))).Should().BeTrue();
        (await inbox.TryAddAsync(Message("evt_1") with { Payload = "{\"other\":true}" })).Should().BeFalse();

        (await inbox.CountAsync()).Should().Be(new InboxCounts(1, 0, 0, 0));
        (await inbox.GetAsync(InboxMessage.CreateId("stripe", "evt_1")))!.Payload.Should().Be("{\"id\":\"evt_1\"}");
    }

    [SkippableFact]
    public async Task TryAdd_SameEventIdFromAnotherSource_IsAnotherMessage()
    {
        var inbox = CreateInbox();

        await inbox.TryAddAsync(Message("1", source: "stripe"));
        (await inbox.TryAddAsync(Message("1", source: "hubspot"))).Should().BeTrue();
    }

    [SkippableFact]
    public async Task Get_RoundTripsEveryField()
    {
        var inbox = CreateInbox();
        var message = Message("evt_rt") with { OccurredAt = null, Error = "earlier failure", Attempts = 2, ClaimToken = "token-of-an-earlier-claim" };

        await inbox.TryAddAsync(message);

        (await inbox.GetAsync(message.Id)).Should().Be(message);
    }

    [SkippableFact]
    public async Task Claim_TakesDueMessagesOldestFirst_WithALease_AndNotTwice()
    {
        var inbox = CreateInbox();
        await inbox.TryAddAsync(Message("late", T0.AddSeconds(2)));
        await inbox.TryAddAsync(Message("early", T0));
        await inbox.TryAddAsync(Message("future", T0.AddHours(1)));

        var first = await inbox.ClaimAsync(T0.AddSeconds(5), T0.AddMinutes(1), max: 10);
        var again = await inbox.ClaimAsync(T0.AddSeconds(6), T0.AddMinutes(1), max: 10);

        first.Select(m => m.EventId).Should().Equal("early", "late");
        first.Should().OnlyContain(m => m.State == InboxState.Processing && m.Attempts == 1 && m.DueAt == T0.AddMinutes(1) && !string.IsNullOrEmpty(m.ClaimToken));
        first.Select(m => m.ClaimToken).Should().OnlyHaveUniqueItems("every claimed message gets its own token");
        (await inbox.GetAsync(first[0].Id)).Should().Be(first[0], "the store keeps what the claim returned, token included");
        again.Should().BeEmpty("claimed messages belong to their processor until the lease ends");
    }

    [SkippableFact]
    public async Task Claim_RespectsMax()
    {
        var inbox = CreateInbox();
        for (var i = 0; i < 5; i++)
        {
            await inbox.TryAddAsync(Message($"evt_{i}", T0.AddSeconds(i)));
        }

        (await inbox.ClaimAsync(T0.AddMinutes(1), T0.AddMinutes(2), max: 3)).Should().HaveCount(3);
        (await inbox.ClaimAsync(T0.AddMinutes(1), T0.AddMinutes(2), max: 3)).Should().HaveCount(2);
    }

    [SkippableFact]
    public async Task Claim_AfterTheLeaseExpired_TakesTheMessageAgain()
    {
        var inbox = CreateInbox();
        await inbox.TryAddAsync(Message("evt_crash"));
        await inbox.ClaimAsync(T0, T0.AddMinutes(1), max: 1); // the processor dies holding it

        var reclaimed = await inbox.ClaimAsync(T0.AddMinutes(2), T0.AddMinutes(3), max: 1);

        reclaimed.Should().ContainSingle().Which.Attempts.Should().Be(2);
    }

    [SkippableFact]
    public async Task Complete_Retry_DeadLetter_MoveTheMessage()
    {
        var inbox = CreateInbox();
        foreach (var id in new[] { "a", "b", "c" })
        {
            await inbox.TryAddAsync(Message(id));
        }

        var claimed = (await inbox.ClaimAsync(T0, T0.AddMinutes(1), max: 3)).ToDictionary(m => m.EventId);
        (await inbox.CompleteAsync(claimed["a"])).Should().BeTrue();
        (await inbox.RetryAsync(claimed["b"], T0.AddMinutes(5), "503 from hubspot")).Should().BeTrue();
        (await inbox.DeadLetterAsync(claimed["c"], "payload is not an invoice")).Should().BeTrue();

        (await inbox.CountAsync()).Should().Be(new InboxCounts(1, 0, 1, 1));
        (await inbox.GetAsync(InboxMessage.CreateId("stripe", "b")))!.Error.Should().Be("503 from hubspot");
        (await inbox.ClaimAsync(T0.AddMinutes(4), T0.AddMinutes(9), max: 5)).Should().BeEmpty("the retry is not due yet");
        (await inbox.ClaimAsync(T0.AddMinutes(5), T0.AddMinutes(9), max: 5)).Single().EventId.Should().Be("b");
        (await inbox.ClaimAsync(T0.AddDays(1), T0.AddDays(2), max: 5)).Should().ContainSingle("only b, whose lease ran out; completed and dead-lettered messages are never claimed");
    }

    [SkippableFact]
    public async Task Settling_UnderALeaseThatWasTakenOver_ChangesNothing_UnderTheNewClaimWorks()
    {
        var inbox = CreateInbox();
        foreach (var id in new[] { "done", "again", "aside" })
        {
            await inbox.TryAddAsync(Message(id));
        }

        // Processor A claims; its lease runs out mid-processing and processor B claims the messages again.
        var a = (await inbox.ClaimAsync(T0, T0.AddMinutes(1), max: 3)).ToDictionary(m => m.EventId);
        var b = (await inbox.ClaimAsync(T0.AddMinutes(2), T0.AddMinutes(3), max: 3)).ToDictionary(m => m.EventId);
        b.Should().HaveCount(3);
        b.Values.Should().OnlyContain(m => m.ClaimToken != a[m.EventId].ClaimToken, "each claim gets a fresh token");

        // A finishes late: each of its changes is refused and changes nothing.
        (await inbox.CompleteAsync(a["done"])).Should().BeFalse();
        (await inbox.RetryAsync(a["again"], T0.AddMinutes(2), "A: timeout")).Should().BeFalse();
        (await inbox.DeadLetterAsync(a["aside"], "A: gave up")).Should().BeFalse();
        foreach (var claimedByB in b.Values)
        {
            (await inbox.GetAsync(claimedByB.Id)).Should().Be(claimedByB, "A's late changes leave B's claim untouched");
        }

        // B's changes, made under the claim that holds, work.
        (await inbox.CompleteAsync(b["done"])).Should().BeTrue();
        (await inbox.RetryAsync(b["again"], T0.AddMinutes(10), "B: 503")).Should().BeTrue();
        (await inbox.DeadLetterAsync(b["aside"], "B: not an invoice")).Should().BeTrue();

        // Once B has settled them, A still changes nothing: completed, pending and dead-lettered stay so.
        (await inbox.DeadLetterAsync(a["done"], "A: gave up")).Should().BeFalse();
        (await inbox.CompleteAsync(a["again"])).Should().BeFalse();
        (await inbox.RetryAsync(a["aside"], T0.AddMinutes(2), "A: timeout")).Should().BeFalse();
        (await inbox.GetAsync(b["done"].Id))!.State.Should().Be(InboxState.Completed);
        (await inbox.GetAsync(b["again"].Id)).Should().Match<InboxMessage>(m => m.State == InboxState.Pending && m.DueAt == T0.AddMinutes(10) && m.Error == "B: 503");
        (await inbox.GetAsync(b["aside"].Id)).Should().Match<InboxMessage>(m => m.State == InboxState.DeadLettered && m.Error == "B: not an invoice");
        (await inbox.CountAsync()).Should().Be(new InboxCounts(1, 0, 1, 1));
    }

    [SkippableFact]
    public async Task Settling_TwiceUnderTheSameClaim_AppliesOnce()
    {
        var inbox = CreateInbox();
        await inbox.TryAddAsync(Message("evt_twice"));
        var claimed = (await inbox.ClaimAsync(T0, T0.AddMinutes(1), max: 1)).Single();

        (await inbox.RetryAsync(claimed, T0.AddMinutes(5), "503")).Should().BeTrue();

        (await inbox.DeadLetterAsync(claimed, "late")).Should().BeFalse("the claim ended when the message went back to pending");
        (await inbox.CompleteAsync(claimed)).Should().BeFalse();
        (await inbox.GetAsync(claimed.Id)).Should().Match<InboxMessage>(m => m.State == InboxState.Pending && m.Error == "503");
    }

    [SkippableFact]
    public async Task Settling_AfterTheLeaseEnded_ButBeforeAnyoneReclaimed_IsApplied()
    {
        var inbox = CreateInbox();
        await inbox.TryAddAsync(Message("evt_slow"));
        var claimed = (await inbox.ClaimAsync(T0, T0.AddMinutes(1), max: 1)).Single();

        // The lease ended at T0+1min, but nobody claimed the message since: fencing is by token, not by clock.
        (await inbox.CompleteAsync(claimed)).Should().BeTrue();

        (await inbox.GetAsync(claimed.Id))!.State.Should().Be(InboxState.Completed);
        (await inbox.ClaimAsync(T0.AddHours(1), T0.AddHours(2), max: 1)).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task Settling_AMessageThatWasNotClaimed_IsRefused()
    {
        var inbox = CreateInbox();
        var message = Message("evt_unclaimed");
        await inbox.TryAddAsync(message);

        await FluentActions.Awaiting(() => inbox.CompleteAsync(message).AsTask())
            .Should().ThrowAsync<ArgumentException>().WithParameterName("claimed").WithMessage("*ClaimToken*");
        (await inbox.CompleteAsync(message with { ClaimToken = "guessed" })).Should().BeFalse();
        (await inbox.CompleteAsync(Message("evt_unknown") with { ClaimToken = "guessed" })).Should().BeFalse("no such message");
        (await inbox.GetAsync(message.Id))!.State.Should().Be(InboxState.Pending);
    }

    [SkippableFact]
    public async Task ConcurrentClaimers_NeverShareAMessage()
    {
        var inbox = CreateInbox();
        for (var i = 0; i < 100; i++)
        {
            await inbox.TryAddAsync(Message($"evt_{i:000}", T0.AddMilliseconds(i)));
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var mine = new List<string>();
            while (true)
            {
                var batch = await inbox.ClaimAsync(T0.AddMinutes(1), T0.AddMinutes(10), max: 7);
                if (batch.Count == 0)
                {
                    return mine;
                }

                mine.AddRange(batch.Select(m => m.EventId));
            }
        })));

        claims.SelectMany(c => c).Should().HaveCount(100).And.OnlyHaveUniqueItems();
    }
}
