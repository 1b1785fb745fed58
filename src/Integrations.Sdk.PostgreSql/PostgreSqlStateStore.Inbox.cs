namespace Integrations.Sdk.PostgreSql;

public sealed partial class PostgreSqlStateStore
{
    private const string InboxColumns = """
        id, source, event_id, event_type, payload,
        occurred_at, occurred_at_100ns, occurred_at_offset, received_at, received_at_100ns, received_at_offset,
        state, attempts, due_at, due_at_100ns, due_at_offset, error, claim_token
        """;

    private const string InsertInboxSql = $$"""
        INSERT INTO {schema}.inbox ({{InboxColumns}})
        VALUES (@id, @source, @event_id, @event_type, @payload,
                @occurred_at, @occurred_at_100ns, @occurred_at_offset, @received_at, @received_at_100ns, @received_at_offset,
                @state, @attempts, @due_at, @due_at_100ns, @due_at_offset, @error, @claim_token)
        ON CONFLICT (id) DO NOTHING;
        """;

    // One statement. The inner SELECT locks the rows it picks and skips rows another transaction has locked, so
    // concurrent claimers (in any process) each get different messages and never wait for one another; a row that
    // another claimer changed meanwhile is re-checked against the WHERE clause before it is locked.
    // gen_random_uuid() is evaluated for each row, so every claimed message gets its own token.
    private const string ClaimInboxSql = $$"""
        UPDATE {schema}.inbox
        SET state = 1, attempts = attempts + 1, due_at = @lease, due_at_100ns = @lease_100ns, due_at_offset = @lease_offset,
            claim_token = replace(gen_random_uuid()::text, '-', '')
        WHERE id IN (
            SELECT id FROM {schema}.inbox
            WHERE state IN (0, 1) AND (due_at, due_at_100ns) <= (@now, @now_100ns)
            ORDER BY due_at, due_at_100ns, received_at, received_at_100ns, id
            LIMIT @max
            FOR UPDATE SKIP LOCKED)
        RETURNING {{InboxColumns}};
        """;

    private const string SelectInboxSql = $"SELECT {InboxColumns} FROM {{schema}}.inbox WHERE id = @id;";

    private const string CountInboxSql = "SELECT state, COUNT(*) FROM {schema}.inbox GROUP BY state;";

    // A change after a claim applies only while the message is processing under that claim's token.
    private const string ClaimHolds = "WHERE id = @id AND state = 1 AND claim_token = @claim_token";

    private const string CompleteInboxSql = $"UPDATE {{schema}}.inbox SET state = 2, error = NULL {ClaimHolds};";

    private const string RetryInboxSql = $$"""
        UPDATE {schema}.inbox
        SET state = 0, due_at = @due_at, due_at_100ns = @due_at_100ns, due_at_offset = @due_at_offset, error = @error
        {{ClaimHolds}};
        """;

    private const string DeadLetterInboxSql = $"UPDATE {{schema}}.inbox SET state = 3, error = @error {ClaimHolds};";

    /// <inheritdoc />
    async ValueTask<bool> IWebhookInbox.TryAddAsync(InboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var added = await WriteAsync(
            InsertInboxSql,
            message,
            static (parameters, m) =>
            {
                AddText(parameters, "id", m.Id);
                AddText(parameters, "source", m.Source);
                AddText(parameters, "event_id", m.EventId);
                AddText(parameters, "event_type", m.EventType);
                AddText(parameters, "payload", m.Payload);
                PostgreSqlTimestamps.AddNullable(parameters, "occurred_at", m.OccurredAt);
                PostgreSqlTimestamps.Add(parameters, "received_at", m.ReceivedAt);
                AddSmallInt(parameters, "state", (int)m.State);
                AddInt(parameters, "attempts", m.Attempts);
                PostgreSqlTimestamps.Add(parameters, "due_at", m.DueAt);
                AddText(parameters, "error", m.Error);
                AddText(parameters, "claim_token", m.ClaimToken);
            },
            cancellationToken).ConfigureAwait(false);
        return added == 1;
    }

    /// <inheritdoc />
    async ValueTask<IReadOnlyList<InboxMessage>> IWebhookInbox.ClaimAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var claimed = await ReadAsync(
            ClaimInboxSql,
            (now, leaseUntil, max),
            static (parameters, claim) =>
            {
                PostgreSqlTimestamps.Add(parameters, "now", claim.now);
                PostgreSqlTimestamps.Add(parameters, "lease", claim.leaseUntil);
                AddInt(parameters, "max", claim.max);
            },
            Rows.InboxMessage,
            cancellationToken).ConfigureAwait(false);

        // RETURNING gives no order; hand the batch out oldest first, as the other inboxes do.
        return StateRows.OldestFirst(claimed);
    }

    /// <inheritdoc />
    ValueTask<bool> IWebhookInbox.CompleteAsync(InboxMessage claimed, CancellationToken cancellationToken) =>
        UpdateInboxAsync(claimed, CompleteInboxSql, null, null, cancellationToken);

    /// <inheritdoc />
    ValueTask<bool> IWebhookInbox.RetryAsync(InboxMessage claimed, DateTimeOffset dueAt, string error, CancellationToken cancellationToken) =>
        UpdateInboxAsync(claimed, RetryInboxSql, dueAt, error ?? string.Empty, cancellationToken);

    /// <inheritdoc />
    ValueTask<bool> IWebhookInbox.DeadLetterAsync(InboxMessage claimed, string reason, CancellationToken cancellationToken) =>
        UpdateInboxAsync(claimed, DeadLetterInboxSql, null, reason ?? string.Empty, cancellationToken);

    /// <inheritdoc />
    async ValueTask<InboxMessage?> IWebhookInbox.GetAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var rows = await ReadAsync(SelectInboxSql, id, static (p, id) => AddText(p, "id", id), Rows.InboxMessage, cancellationToken).ConfigureAwait(false);
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
                AddText(parameters, "id", value.Id);
                AddText(parameters, "claim_token", value.token);
                if (value.dueAt is { } due)
                {
                    PostgreSqlTimestamps.Add(parameters, "due_at", due);
                }

                if (value.error is not null)
                {
                    AddText(parameters, "error", value.error);
                }
            },
            cancellationToken).ConfigureAwait(false);
        return changed == 1;
    }
}
