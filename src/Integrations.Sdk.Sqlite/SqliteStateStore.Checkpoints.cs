namespace Integrations.Sdk.Sqlite;

public sealed partial class SqliteStateStore
{
    private const string SelectCheckpointSql = "SELECT checkpoint FROM checkpoints WHERE sync = $sync;";

    private const string UpsertCheckpointSql = """
        INSERT INTO checkpoints (sync, checkpoint, updated_at)
        VALUES ($sync, $checkpoint, $updated_at)
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
            static (parameters, sync) => parameters.AddWithValue("$sync", sync),
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
            (sync, checkpoint, now: Now()),
            static (parameters, value) =>
            {
                parameters.AddWithValue("$sync", value.sync);
                parameters.AddWithValue("$checkpoint", value.checkpoint);
                parameters.AddWithValue("$updated_at", value.now);
            },
            cancellationToken).ConfigureAwait(false);
    }
}
