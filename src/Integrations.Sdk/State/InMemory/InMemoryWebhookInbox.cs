namespace Integrations.Sdk.State.InMemory;

/// <summary>An <see cref="IWebhookInbox"/> kept in memory: for tests. Events are lost with the process.</summary>
public sealed class InMemoryWebhookInbox : IWebhookInbox
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, InboxMessage> _messages = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<bool> TryAddAsync(InboxMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_messages.TryAdd(message.Id, message));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<InboxMessage>> ClaimAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var claimed = _messages.Values
                .Where(m => m.State is InboxState.Pending or InboxState.Processing && m.DueAt <= now)
                .OrderBy(m => m.DueAt).ThenBy(m => m.ReceivedAt).ThenBy(m => m.Id, StringComparer.Ordinal)
                .Take(max)
                .Select(m => m with { State = InboxState.Processing, DueAt = leaseUntil, Attempts = m.Attempts + 1, ClaimToken = Guid.NewGuid().ToString("N") })
                .ToList();
            foreach (var message in claimed)
            {
                _messages[message.Id] = message;
            }

            return ValueTask.FromResult<IReadOnlyList<InboxMessage>>(claimed);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> CompleteAsync(InboxMessage claimed, CancellationToken cancellationToken = default) =>
        Update(claimed, m => m with { State = InboxState.Completed, Error = null }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> RetryAsync(InboxMessage claimed, DateTimeOffset dueAt, string error, CancellationToken cancellationToken = default) =>
        Update(claimed, m => m with { State = InboxState.Pending, DueAt = dueAt, Error = error }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> DeadLetterAsync(InboxMessage claimed, string reason, CancellationToken cancellationToken = default) =>
        Update(claimed, m => m with { State = InboxState.DeadLettered, Error = reason }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<InboxMessage?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_messages.TryGetValue(id, out var message) ? message : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<InboxCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var states = _messages.Values.Select(m => m.State).ToList();
            return ValueTask.FromResult(new InboxCounts(
                states.Count(s => s == InboxState.Pending),
                states.Count(s => s == InboxState.Processing),
                states.Count(s => s == InboxState.Completed),
                states.Count(s => s == InboxState.DeadLettered)));
        }
    }

    /// <summary>Applies the change if the message is still processing under the claim's token; returns whether it did.</summary>
    private ValueTask<bool> Update(InboxMessage claimed, Func<InboxMessage, InboxMessage> change, CancellationToken cancellationToken)
    {
        var token = StateGuard.ClaimTokenOf(claimed);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_messages.TryGetValue(claimed.Id, out var message)
                || message.State != InboxState.Processing
                || !string.Equals(message.ClaimToken, token, StringComparison.Ordinal))
            {
                return ValueTask.FromResult(false);
            }

            _messages[claimed.Id] = change(message);
            return ValueTask.FromResult(true);
        }
    }
}
