using System.Security.Cryptography;

namespace Integrations.Sdk.State;

/// <summary>Where a webhook event stands in the inbox.</summary>
public enum InboxState
{
    /// <summary>Received and waiting to be processed (or to be retried).</summary>
    Pending = 0,

    /// <summary>Claimed by a processor until its lease ends.</summary>
    Processing = 1,

    /// <summary>Processed through its syncs.</summary>
    Completed = 2,

    /// <summary>Set aside: it could not be processed (reason kept); nothing retries it.</summary>
    DeadLettered = 3,
}

/// <summary>A webhook event as kept in the inbox: stored before the platform gets its 2xx, processed afterwards.</summary>
public sealed record InboxMessage
{
    /// <summary>The message's id, derived from the source and the event id (see <see cref="CreateId"/>).</summary>
    public required string Id { get; init; }

    /// <summary>The webhook source's name, for example <c>stripe</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The platform's event id: the dedupe key.</summary>
    public required string EventId { get; init; }

    /// <summary>The event type, for example <c>invoice.payment_failed</c>.</summary>
    public required string EventType { get; init; }

    /// <summary>The event's payload (JSON as received).</summary>
    public required string Payload { get; init; }

    /// <summary>When the platform says the event happened, if it says.</summary>
    public DateTimeOffset? OccurredAt { get; init; }

    /// <summary>When it was received.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Where it stands.</summary>
    public InboxState State { get; init; }

    /// <summary>Processing attempts so far.</summary>
    public int Attempts { get; init; }

    /// <summary>When it may be claimed next (pending), or when its lease ends (processing).</summary>
    public DateTimeOffset DueAt { get; init; }

    /// <summary>The last error, or the reason it was dead-lettered. Never contains secrets.</summary>
    public string? Error { get; init; }

    /// <summary>
    /// The token of the message's latest claim, fresh on every <see cref="IWebhookInbox.ClaimAsync"/>; <see langword="null"/>
    /// if it was never claimed. A change after a claim (<see cref="IWebhookInbox.CompleteAsync"/>,
    /// <see cref="IWebhookInbox.RetryAsync"/>, <see cref="IWebhookInbox.DeadLetterAsync"/>) is applied only while the
    /// message is still <see cref="InboxState.Processing"/> under this token, so a processor whose claim was taken over
    /// changes nothing.
    /// </summary>
    public string? ClaimToken { get; init; }

    /// <summary>Returns the inbox id of an event: stable, so a redelivery maps to the same message.</summary>
    /// <param name="source">The webhook source's name.</param>
    /// <param name="eventId">The platform's event id.</param>
    public static string CreateId(string source, string eventId)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(eventId);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source + "\n" + eventId)).AsSpan(0, 16));
    }
}

/// <summary>How many inbox messages are in each state.</summary>
/// <param name="Pending">Waiting (or waiting to be retried).</param>
/// <param name="Processing">Claimed.</param>
/// <param name="Completed">Done.</param>
/// <param name="DeadLettered">Set aside.</param>
public readonly record struct InboxCounts(int Pending, int Processing, int Completed, int DeadLettered);
