namespace Integrations.Sdk.PostgreSql;

public sealed partial class PostgreSqlStateStore
{
    private const string DeadLetterColumns = """
        id, sync, record_key, payload, reason, step, error_type, attempts, kind,
        created_at, created_at_100ns, created_at_offset, updated_at, updated_at_100ns, updated_at_offset
        """;

    private const string SelectDeadLetterSql = $"SELECT {DeadLetterColumns} FROM {{schema}}.dead_letters WHERE id = @id;";

    private const string ListDeadLettersSql =
        $"SELECT {DeadLetterColumns} FROM {{schema}}.dead_letters ORDER BY created_at, created_at_100ns, id LIMIT @limit;";

    private const string ListDeadLettersOfSyncSql =
        $"SELECT {DeadLetterColumns} FROM {{schema}}.dead_letters WHERE sync = @sync ORDER BY created_at, created_at_100ns, id LIMIT @limit;";

    private const string DeleteDeadLetterSql = "DELETE FROM {schema}.dead_letters WHERE id = @id;";

    // The created_at columns are left out of the update: a replaced entry keeps its first creation time.
    private const string UpsertDeadLetterSql = $$"""
        INSERT INTO {schema}.dead_letters ({{DeadLetterColumns}})
        VALUES
            (@id, @sync, @record_key, @payload, @reason, @step, @error_type, @attempts, @kind,
             @created_at, @created_at_100ns, @created_at_offset, @updated_at, @updated_at_100ns, @updated_at_offset)
        ON CONFLICT (id) DO UPDATE SET
            sync = excluded.sync,
            record_key = excluded.record_key,
            payload = excluded.payload,
            reason = excluded.reason,
            step = excluded.step,
            error_type = excluded.error_type,
            attempts = excluded.attempts,
            kind = excluded.kind,
            updated_at = excluded.updated_at,
            updated_at_100ns = excluded.updated_at_100ns,
            updated_at_offset = excluded.updated_at_offset;
        """;

    /// <inheritdoc />
    async ValueTask IDeadLetterStore.AddAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        StateGuard.ThrowIfIncomplete(deadLetter);
        await WriteAsync(
            UpsertDeadLetterSql,
            deadLetter,
            static (parameters, entry) =>
            {
                AddText(parameters, "id", entry.Id);
                AddText(parameters, "sync", entry.Sync);
                AddText(parameters, "record_key", entry.RecordKey);
                AddText(parameters, "payload", entry.Payload);
                AddText(parameters, "reason", entry.Reason);
                AddText(parameters, "step", entry.Step);
                AddText(parameters, "error_type", entry.ErrorType);
                AddInt(parameters, "attempts", entry.Attempts);
                AddSmallInt(parameters, "kind", (int)entry.Kind);
                PostgreSqlTimestamps.Add(parameters, "created_at", entry.CreatedAt);
                PostgreSqlTimestamps.Add(parameters, "updated_at", entry.UpdatedAt);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    async ValueTask<DeadLetter?> IDeadLetterStore.GetAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var rows = await ReadAsync(
            SelectDeadLetterSql,
            id,
            static (parameters, id) => AddText(parameters, "id", id),
            Rows.DeadLetter,
            cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    async ValueTask<IReadOnlyList<DeadLetter>> IDeadLetterStore.ListAsync(string? sync, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return await ReadAsync(
            sync is null ? ListDeadLettersSql : ListDeadLettersOfSyncSql,
            (sync, limit),
            static (parameters, query) =>
            {
                if (query.sync is not null)
                {
                    AddText(parameters, "sync", query.sync);
                }

                AddInt(parameters, "limit", query.limit);
            },
            Rows.DeadLetter,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    async ValueTask<bool> IDeadLetterStore.RemoveAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var removed = await WriteAsync(
            DeleteDeadLetterSql,
            id,
            static (parameters, id) => AddText(parameters, "id", id),
            cancellationToken).ConfigureAwait(false);
        return removed > 0;
    }
}
