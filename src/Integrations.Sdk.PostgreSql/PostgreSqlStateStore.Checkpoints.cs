namespace Integrations.Sdk.PostgreSql;

public sealed partial class PostgreSqlStateStore
{
    private const string SelectCheckpointSql = "SELECT checkpoint FROM {schema}.checkpoints WHERE sync = @sync;";

    private const string UpsertCheckpointSql = """
        INSERT INTO {schema}.checkpoints (sync, checkpoint, updated_at)
        VALUES (@sync, @checkpoint, @updated_at)
        ON CONFLICT (sync) DO UPDATE SET
            checkpoint = excluded.checkpoint,
            updated_at = excluded.updated_at;
        """;

    /// <inheritdoc />
    async ValueTask<string?> ICheckpointStore.GetAsync(string sync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sync);
        var rows = await ReadAsync(
            SelectCheckpointSql,
            sync,
            static (parameters, sync) => AddText(parameters, "sync", sync),
            static reader => reader.GetString(0),
            cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    async ValueTask ICheckpointStore.SetAsync(string sync, string checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(checkpoint);
        await WriteAsync(
            UpsertCheckpointSql,
            (sync, checkpoint, now: _time.GetUtcNow()),
            static (parameters, value) =>
            {
                AddText(parameters, "sync", value.sync);
                AddText(parameters, "checkpoint", value.checkpoint);
                PostgreSqlTimestamps.AddInstant(parameters, "updated_at", value.now);
            },
            cancellationToken).ConfigureAwait(false);
    }
}
