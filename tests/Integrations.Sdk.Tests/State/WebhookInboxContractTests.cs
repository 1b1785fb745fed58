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
        var message = Message("evt_rt") with { OccurredAt = null, Error = "earlier failure", Attempts = 2 };

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
        first.Should().OnlyContain(m => m.State == InboxState.Processing && m.Attempts == 1 && m.DueAt == T0.AddMinutes(1));
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

        await inbox.ClaimAsync(T0, T0.AddMinutes(1), max: 3);
        await inbox.CompleteAsync(InboxMessage.CreateId("stripe", "a"));
        await inbox.RetryAsync(InboxMessage.CreateId("stripe", "b"), T0.AddMinutes(5), "503 from hubspot");
        await inbox.DeadLetterAsync(InboxMessage.CreateId("stripe", "c"), "payload is not an invoice");

        (await inbox.CountAsync()).Should().Be(new InboxCounts(1, 0, 1, 1));
        (await inbox.GetAsync(InboxMessage.CreateId("stripe", "b")))!.Error.Should().Be("503 from hubspot");
        (await inbox.ClaimAsync(T0.AddMinutes(4), T0.AddMinutes(9), max: 5)).Should().BeEmpty("the retry is not due yet");
        (await inbox.ClaimAsync(T0.AddMinutes(5), T0.AddMinutes(9), max: 5)).Single().EventId.Should().Be("b");
        (await inbox.ClaimAsync(T0.AddDays(1), T0.AddDays(2), max: 5)).Should().ContainSingle("only b, whose lease ran out; completed and dead-lettered messages are never claimed");
    }

    [SkippableFact]
    public async Task Update_UnknownId_Throws()
    {
        var inbox = CreateInbox();

        await FluentActions.Awaiting(() => inbox.CompleteAsync("nope").AsTask()).Should().ThrowAsync<KeyNotFoundException>();
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
