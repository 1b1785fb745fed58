namespace Integrations.Sdk.Sqlite;

public sealed partial class SqliteStateStore
{
    private const string DeadLetterColumns =
        "id, sync, record_key, payload, reason, step, error_type, attempts, kind, created_at, updated_at";

    private const string SelectDeadLetterSql = $"SELECT {DeadLetterColumns} FROM dead_letters WHERE id = $id;";

    private const string ListDeadLettersSql =
        $"SELECT {DeadLetterColumns} FROM dead_letters ORDER BY created_at_ticks, id LIMIT $limit;";

    private const string ListDeadLettersOfSyncSql =
        $"SELECT {DeadLetterColumns} FROM dead_letters WHERE sync = $sync ORDER BY created_at_ticks, id LIMIT $limit;";

    private const string DeleteDeadLetterSql = "DELETE FROM dead_letters WHERE id = $id;";

    // created_at and created_at_ticks are left out of the update: a replaced entry keeps its first creation time.
    private const string UpsertDeadLetterSql = """
        INSERT INTO dead_letters
            (id, sync, record_key, payload, reason, step, error_type, attempts, kind, created_at, created_at_ticks, updated_at)
        VALUES
            ($id, $sync, $record_key, $payload, $reason, $step, $error_type, $attempts, $kind, $created_at, $created_at_ticks, $updated_at)
        ON CONFLICT (id) DO UPDATE SET
            sync = excluded.sync,
            record_key = excluded.record_key,
            payload = excluded.payload,
            reason = excluded.reason,
            step = excluded.step,
            error_type = excluded.error_type,
            attempts = excluded.attempts,
            kind = excluded.kind,
            updated_at = excluded.updated_at;
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
                parameters.AddWithValue("$id", entry.Id);
                parameters.AddWithValue("$sync", entry.Sync);
                parameters.AddWithValue("$record_key", entry.RecordKey);
                parameters.AddWithValue("$payload", entry.Payload);
                parameters.AddWithValue("$reason", entry.Reason);
                parameters.AddWithValue("$step", DbValue(entry.Step));
                parameters.AddWithValue("$error_type", DbValue(entry.ErrorType));
                parameters.AddWithValue("$attempts", entry.Attempts);
                parameters.AddWithValue("$kind", (int)entry.Kind);
                parameters.AddWithValue("$created_at", FormatTimestamp(entry.CreatedAt));
                parameters.AddWithValue("$created_at_ticks", entry.CreatedAt.UtcTicks);
                parameters.AddWithValue("$updated_at", FormatTimestamp(entry.UpdatedAt));
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
            static (parameters, id) => parameters.AddWithValue("$id", id),
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
                    parameters.AddWithValue("$sync", query.sync);
                }

                parameters.AddWithValue("$limit", query.limit);
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
            static (parameters, id) => parameters.AddWithValue("$id", id),
            cancellationToken).ConfigureAwait(false);
        return removed > 0;
    }
}
