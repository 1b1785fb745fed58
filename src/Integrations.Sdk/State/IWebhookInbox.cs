namespace Integrations.Sdk.State;

/// <summary>
/// The durable inbox of webhook events: an event is added before the platform gets its 2xx, so nothing is lost if
/// the process dies afterwards; processors claim messages with a lease, so a crashed processor's messages are
/// claimed again once the lease ends. Every claim gets its own token, and a change after the claim applies only under
/// the latest claim: a processor that outlived its lease cannot undo the work of the one that took the message over.
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
    /// oldest first: they become <see cref="InboxState.Processing"/> until <paramref name="leaseUntil"/>, attempts + 1,
    /// each with a fresh <see cref="InboxMessage.ClaimToken"/>. Reclaiming a message whose lease ran out supersedes the
    /// earlier claim: changes made with the earlier claim are refused from then on.
    /// </summary>
    /// <param name="now">The current time.</param>
    /// <param name="leaseUntil">When the claim lapses if the message is not completed.</param>
    /// <param name="max">The most messages to claim.</param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    ValueTask<IReadOnlyList<InboxMessage>> ClaimAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks a claimed message processed, if the claim still holds. Returns whether it did: <see langword="false"/>,
    /// changing nothing, when the message is no longer <see cref="InboxState.Processing"/> under
    /// <paramref name="claimed"/>'s <see cref="InboxMessage.ClaimToken"/> (it was claimed again after the lease ran
    /// out, or settled already) or no longer exists.
    /// </summary>
    /// <remarks>
    /// Fencing is by token, not by clock: a claim whose lease has ended but that no one has taken over yet still
    /// settles the message.
    /// </remarks>
    /// <param name="claimed">The message as <see cref="ClaimAsync"/> returned it.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentNullException"><paramref name="claimed"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="claimed"/> has no <see cref="InboxMessage.ClaimToken"/> (it did not come from a claim).</exception>
    ValueTask<bool> CompleteAsync(InboxMessage claimed, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns a claimed message to pending, due at <paramref name="dueAt"/>, with the error of the failed attempt, if
    /// the claim still holds. Returns whether it did (see <see cref="CompleteAsync"/> for when it does not).
    /// </summary>
    /// <param name="claimed">The message as <see cref="ClaimAsync"/> returned it.</param>
    /// <param name="dueAt">When to try again.</param>
    /// <param name="error">What went wrong.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentNullException"><paramref name="claimed"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="claimed"/> has no <see cref="InboxMessage.ClaimToken"/> (it did not come from a claim).</exception>
    ValueTask<bool> RetryAsync(InboxMessage claimed, DateTimeOffset dueAt, string error, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets a claimed message aside with its reason, if the claim still holds. Returns whether it did (see
    /// <see cref="CompleteAsync"/> for when it does not).
    /// </summary>
    /// <param name="claimed">The message as <see cref="ClaimAsync"/> returned it.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentNullException"><paramref name="claimed"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="claimed"/> has no <see cref="InboxMessage.ClaimToken"/> (it did not come from a claim).</exception>
    ValueTask<bool> DeadLetterAsync(InboxMessage claimed, string reason, CancellationToken cancellationToken = default);

    /// <summary>Returns a message, or <see langword="null"/>.</summary>
    /// <param name="id">The message's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<InboxMessage?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Counts the messages in each state.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<InboxCounts> CountAsync(CancellationToken cancellationToken = default);
}
