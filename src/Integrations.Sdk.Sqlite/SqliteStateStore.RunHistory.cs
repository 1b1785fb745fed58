namespace Integrations.Sdk.Sqlite;

public sealed partial class SqliteStateStore
{
    private const string ListRunsSql = """
        SELECT run_id, sync, status, dry_run, started_at, finished_at, read, completed, skipped, filtered,
               dead_lettered, ambiguous, checkpoint_before, checkpoint_after, error, deferred
        FROM run_history
        WHERE sync = $sync
        ORDER BY started_at_ticks DESC, run_id DESC
        LIMIT $limit;
        """;

    private const string UpsertRunSql = """
        INSERT INTO run_history
            (run_id, sync, status, dry_run, started_at, started_at_ticks, finished_at, read, completed, skipped,
             filtered, dead_lettered, ambiguous, checkpoint_before, checkpoint_after, error, deferred)
        VALUES
            ($run_id, $sync, $status, $dry_run, $started_at, $started_at_ticks, $finished_at, $read, $completed, $skipped,
             $filtered, $dead_lettered, $ambiguous, $checkpoint_before, $checkpoint_after, $error, $deferred)
        ON CONFLICT (run_id) DO UPDATE SET
            sync = excluded.sync,
            status = excluded.status,
            dry_run = excluded.dry_run,
            started_at = excluded.started_at,
            started_at_ticks = excluded.started_at_ticks,
            finished_at = excluded.finished_at,
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
                parameters.AddWithValue("$run_id", run.RunId);
                parameters.AddWithValue("$sync", run.Sync);
                parameters.AddWithValue("$status", (int)run.Status);
                parameters.AddWithValue("$dry_run", run.DryRun);
                parameters.AddWithValue("$started_at", FormatTimestamp(run.StartedAt));
                parameters.AddWithValue("$started_at_ticks", run.StartedAt.UtcTicks);
                parameters.AddWithValue("$finished_at", FormatTimestamp(run.FinishedAt));
                parameters.AddWithValue("$read", run.Read);
                parameters.AddWithValue("$completed", run.Completed);
                parameters.AddWithValue("$skipped", run.Skipped);
                parameters.AddWithValue("$filtered", run.Filtered);
                parameters.AddWithValue("$dead_lettered", run.DeadLettered);
                parameters.AddWithValue("$ambiguous", run.Ambiguous);
                parameters.AddWithValue("$checkpoint_before", DbValue(run.CheckpointBefore));
                parameters.AddWithValue("$checkpoint_after", DbValue(run.CheckpointAfter));
                parameters.AddWithValue("$error", DbValue(run.Error));
                parameters.AddWithValue("$deferred", run.Deferred);
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
                parameters.AddWithValue("$sync", query.sync);
                parameters.AddWithValue("$limit", query.limit);
            },
            Rows.RunSummary,
            cancellationToken).ConfigureAwait(false);
    }
}
