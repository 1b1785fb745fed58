namespace Integrations.Sdk.Sqlite;

public sealed partial class SqliteStateStore : IWebhookInbox
{
    private const string InboxColumns = "id, source, event_id, event_type, payload, occurred_at, received_at, state, attempts, due_at, error, claim_token";

    private const string InsertInboxSql = """
        INSERT INTO inbox (id, source, event_id, event_type, payload, occurred_at, received_at, received_at_ticks, state, attempts, due_at, due_at_ticks, error, claim_token)
        VALUES ($id, $source, $event_id, $event_type, $payload, $occurred_at, $received_at, $received_at_ticks, $state, $attempts, $due_at, $due_at_ticks, $error, $claim_token)
        ON CONFLICT (id) DO NOTHING;
        """;

    // One statement: the claim is atomic, and concurrent claimers (instances, processes) never share a message.
    // randomblob() is evaluated for each row, so every claimed message gets its own token.
    private const string ClaimInboxSql = $"""
        UPDATE inbox
        SET state = 1, attempts = attempts + 1, due_at = $lease, due_at_ticks = $lease_ticks, claim_token = lower(hex(randomblob(16)))
        WHERE id IN (
            SELECT id FROM inbox
            WHERE state IN (0, 1) AND due_at_ticks <= $now_ticks
            ORDER BY due_at_ticks, received_at_ticks, id
            LIMIT $max)
        RETURNING {InboxColumns};
        """;

    private const string SelectInboxSql = $"SELECT {InboxColumns} FROM inbox WHERE id = $id;";

    private const string CountInboxSql = "SELECT state, COUNT(*) FROM inbox GROUP BY state;";

    // A change after a claim applies only while the message is processing under that claim's token.
    private const string ClaimHolds = "WHERE id = $id AND state = 1 AND claim_token = $claim_token";

    /// <inheritdoc />
    async ValueTask<bool> IWebhookInbox.TryAddAsync(InboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var added = await WriteAsync(
            InsertInboxSql,
            message,
            static (parameters, m) =>
            {
                parameters.AddWithValue("$id", m.Id);
                parameters.AddWithValue("$source", m.Source);
                parameters.AddWithValue("$event_id", m.EventId);
                parameters.AddWithValue("$event_type", m.EventType);
                parameters.AddWithValue("$payload", m.Payload);
                parameters.AddWithValue("$occurred_at", m.OccurredAt is { } occurred ? FormatTimestamp(occurred) : DBNull.Value);
                parameters.AddWithValue("$received_at", FormatTimestamp(m.ReceivedAt));
                parameters.AddWithValue("$received_at_ticks", m.ReceivedAt.UtcTicks);
                parameters.AddWithValue("$state", (int)m.State);
                parameters.AddWithValue("$attempts", m.Attempts);
                parameters.AddWithValue("$due_at", FormatTimestamp(m.DueAt));
                parameters.AddWithValue("$due_at_ticks", m.DueAt.UtcTicks);
                parameters.AddWithValue("$error", DbValue(m.Error));
                parameters.AddWithValue("$claim_token", DbValue(m.ClaimToken));
            },
            cancellationToken).ConfigureAwait(false);
        return added == 1;
    }

    /// <inheritdoc />
    async ValueTask<IReadOnlyList<InboxMessage>> IWebhookInbox.ClaimAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            using var command = connection.CreateCommand();
            command.CommandText = ClaimInboxSql;
            command.Parameters.AddWithValue("$lease", FormatTimestamp(leaseUntil));
            command.Parameters.AddWithValue("$lease_ticks", leaseUntil.UtcTicks);
            command.Parameters.AddWithValue("$now_ticks", now.UtcTicks);
            command.Parameters.AddWithValue("$max", max);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var claimed = new List<InboxMessage>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                claimed.Add(Rows.InboxMessage(reader));
            }

            return StateRows.OldestFirst(claimed);
        }
        finally
        {
            // Writes queued while the claim held the lock are written now.
            await ReleaseWriteLockAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    ValueTask<bool> IWebhookInbox.CompleteAsync(InboxMessage claimed, CancellationToken cancellationToken) =>
        UpdateInboxAsync(claimed, $"UPDATE inbox SET state = 2, error = NULL {ClaimHolds};", null, null, cancellationToken);

    /// <inheritdoc />
    ValueTask<bool> IWebhookInbox.RetryAsync(InboxMessage claimed, DateTimeOffset dueAt, string error, CancellationToken cancellationToken) =>
        UpdateInboxAsync(claimed, $"UPDATE inbox SET state = 0, due_at = $due_at, due_at_ticks = $due_at_ticks, error = $error {ClaimHolds};", dueAt, error ?? string.Empty, cancellationToken);

    /// <inheritdoc />
    ValueTask<bool> IWebhookInbox.DeadLetterAsync(InboxMessage claimed, string reason, CancellationToken cancellationToken) =>
        UpdateInboxAsync(claimed, $"UPDATE inbox SET state = 3, error = $error {ClaimHolds};", null, reason ?? string.Empty, cancellationToken);

    /// <inheritdoc />
    async ValueTask<InboxMessage?> IWebhookInbox.GetAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var rows = await ReadAsync(SelectInboxSql, id, static (p, id) => p.AddWithValue("$id", id), Rows.InboxMessage, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    async ValueTask<InboxCounts> IWebhookInbox.CountAsync(CancellationToken cancellationToken)
    {
        var lines = await ReadAsync(CountInboxSql, 0, static (_, _) => { }, StateRows.InboxCount, cancellationToken).ConfigureAwait(false);
        return StateRows.InboxCounts(lines);
    }

    private async ValueTask<bool> UpdateInboxAsync(InboxMessage claimed, string sql, DateTimeOffset? dueAt, string? error, CancellationToken cancellationToken)
    {
        var token = StateGuard.ClaimTokenOf(claimed);
        var changed = await WriteAsync(
            sql,
            (claimed.Id, token, dueAt, error),
            static (parameters, value) =>
            {
                parameters.AddWithValue("$id", value.Id);
                parameters.AddWithValue("$claim_token", value.token);
                if (value.dueAt is { } due)
                {
                    parameters.AddWithValue("$due_at", FormatTimestamp(due));
                    parameters.AddWithValue("$due_at_ticks", due.UtcTicks);
                }

                if (value.error is not null)
                {
                    parameters.AddWithValue("$error", value.error);
                }
            },
            cancellationToken).ConfigureAwait(false);
        return changed == 1;
    }
}
