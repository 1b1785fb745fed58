namespace Integrations.Sdk.State;

/// <summary>
/// The durable inbox of webhook events: an event is added before the platform gets its 2xx, so nothing is lost if
/// the process dies afterwards; processors claim messages with a lease, so a crashed processor's messages are
/// claimed again once the lease ends.
/// </summary>
/// <remarks>Times are passed in (from the caller's <see cref="TimeProvider"/>), so stores keep no clock of their own.</remarks>
public interface IWebhookInbox
{
    /// <summary>Adds a message unless one with the same id exists (a redelivered event). Returns whether it was added.</summary>
    /// <param name="message">The message, usually <see cref="InboxState.Pending"/> and due now.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask<bool> TryAddAsync(InboxMessage message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims up to <paramref name="max"/> messages that are pending and due, or processing with an expired lease,
    /// oldest first: they become <see cref="InboxState.Processing"/> until <paramref name="leaseUntil"/>, attempts + 1.
    /// </summary>
    /// <param name="now">The current time.</param>
    /// <param name="leaseUntil">When the claim lapses if the message is not completed.</param>
    /// <param name="max">The most messages to claim.</param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    ValueTask<IReadOnlyList<InboxMessage>> ClaimAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken = default);

    /// <summary>Marks a message processed.</summary>
    /// <param name="id">The message's id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask CompleteAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Returns a message to pending, due at <paramref name="dueAt"/>, with the error of the failed attempt.</summary>
    /// <param name="id">The message's id.</param>
    /// <param name="dueAt">When to try again.</param>
    /// <param name="error">What went wrong.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask RetryAsync(string id, DateTimeOffset dueAt, string error, CancellationToken cancellationToken = default);

    /// <summary>Sets a message aside with its reason.</summary>
    /// <param name="id">The message's id.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask DeadLetterAsync(string id, string reason, CancellationToken cancellationToken = default);

    /// <summary>Returns a message, or <see langword="null"/>.</summary>
    /// <param name="id">The message's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<InboxMessage?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Counts the messages in each state.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<InboxCounts> CountAsync(CancellationToken cancellationToken = default);
}
