namespace Integrations.Sdk.PostgreSql;

public sealed partial class PostgreSqlStateStore
{
    private const string ListRunsSql = """
        SELECT run_id, sync, status, dry_run,
               started_at, started_at_100ns, started_at_offset, finished_at, finished_at_100ns, finished_at_offset,
               read, completed, skipped, filtered, dead_lettered, ambiguous, checkpoint_before, checkpoint_after, error, deferred
        FROM {schema}.run_history
        WHERE sync = @sync
        ORDER BY started_at DESC, started_at_100ns DESC, run_id DESC
        LIMIT @limit;
        """;

    private const string UpsertRunSql = """
        INSERT INTO {schema}.run_history
            (run_id, sync, status, dry_run,
             started_at, started_at_100ns, started_at_offset, finished_at, finished_at_100ns, finished_at_offset,
             read, completed, skipped, filtered, dead_lettered, ambiguous, checkpoint_before, checkpoint_after, error, deferred)
        VALUES
            (@run_id, @sync, @status, @dry_run,
             @started_at, @started_at_100ns, @started_at_offset, @finished_at, @finished_at_100ns, @finished_at_offset,
             @read, @completed, @skipped, @filtered, @dead_lettered, @ambiguous, @checkpoint_before, @checkpoint_after, @error, @deferred)
        ON CONFLICT (run_id) DO UPDATE SET
            sync = excluded.sync,
            status = excluded.status,
            dry_run = excluded.dry_run,
            started_at = excluded.started_at,
            started_at_100ns = excluded.started_at_100ns,
            started_at_offset = excluded.started_at_offset,
            finished_at = excluded.finished_at,
            finished_at_100ns = excluded.finished_at_100ns,
            finished_at_offset = excluded.finished_at_offset,
            read = excluded.read,
            completed = excluded.completed,
            skipped = excluded.skipped,
            filtered = excluded.filtered,
            dead_lettered = excluded.dead_lettered,
            ambiguous = excluded.ambiguous,
            checkpoint_before = excluded.checkpoint_before,
            checkpoint_after = excluded.checkpoint_after,
            error = excluded.error,
            deferred = excluded.deferred;
        """;

    /// <inheritdoc />
    async ValueTask IRunHistoryStore.SaveAsync(RunSummary summary, CancellationToken cancellationToken)
    {
        StateGuard.ThrowIfIncomplete(summary);
        await WriteAsync(
            UpsertRunSql,
            summary,
            static (parameters, run) =>
            {
                AddText(parameters, "run_id", run.RunId);
                AddText(parameters, "sync", run.Sync);
                AddSmallInt(parameters, "status", (int)run.Status);
                parameters.Add(new Npgsql.NpgsqlParameter<bool>("dry_run", NpgsqlTypes.NpgsqlDbType.Boolean) { TypedValue = run.DryRun });
                PostgreSqlTimestamps.Add(parameters, "started_at", run.StartedAt);
                PostgreSqlTimestamps.Add(parameters, "finished_at", run.FinishedAt);
                AddInt(parameters, "read", run.Read);
                AddInt(parameters, "completed", run.Completed);
                AddInt(parameters, "skipped", run.Skipped);
                AddInt(parameters, "filtered", run.Filtered);
                AddInt(parameters, "dead_lettered", run.DeadLettered);
                AddInt(parameters, "ambiguous", run.Ambiguous);
                AddText(parameters, "checkpoint_before", run.CheckpointBefore);
                AddText(parameters, "checkpoint_after", run.CheckpointAfter);
                AddText(parameters, "error", run.Error);
                AddInt(parameters, "deferred", run.Deferred);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    async ValueTask<IReadOnlyList<RunSummary>> IRunHistoryStore.ListAsync(string sync, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return await ReadAsync(
            ListRunsSql,
            (sync, limit),
            static (parameters, query) =>
            {
                AddText(parameters, "sync", query.sync);
                AddInt(parameters, "limit", query.limit);
            },
            Rows.RunSummary,
            cancellationToken).ConfigureAwait(false);
    }
}
