namespace Integrations.Sdk.Sqlite;

public sealed partial class SqliteStateStore
{
    private const string SelectStepMemosSql = """
        SELECT sync, record_key, step, state, result_json, generation, attempts, updated_at
        FROM step_memo
        WHERE sync = $sync AND record_key = $record_key
        ORDER BY step;
        """;

    private const string UpsertStepMemoSql = """
        INSERT INTO step_memo (sync, record_key, step, state, result_json, generation, attempts, updated_at)
        VALUES ($sync, $record_key, $step, $state, $result_json, $generation, $attempts, $updated_at)
        ON CONFLICT (sync, record_key, step) DO UPDATE SET
            state = excluded.state,
            result_json = excluded.result_json,
            generation = excluded.generation,
            attempts = excluded.attempts,
            updated_at = excluded.updated_at;
        """;

    /// <inheritdoc />
    async ValueTask<IReadOnlyList<StepMemo>> IStepMemoStore.GetRecordAsync(string sync, string recordKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(recordKey);
        return await ReadAsync(
            SelectStepMemosSql,
            (sync, recordKey),
            static (parameters, key) =>
            {
                parameters.AddWithValue("$sync", key.sync);
                parameters.AddWithValue("$record_key", key.recordKey);
            },
            Rows.StepMemo,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    async ValueTask IStepMemoStore.SaveAsync(StepMemo memo, CancellationToken cancellationToken)
    {
        StateGuard.ThrowIfIncomplete(memo);
        await WriteAsync(
            UpsertStepMemoSql,
            memo,
            static (parameters, memo) =>
            {
                parameters.AddWithValue("$sync", memo.Sync);
                parameters.AddWithValue("$record_key", memo.RecordKey);
                parameters.AddWithValue("$step", memo.Step);
                parameters.AddWithValue("$state", (int)memo.State);
                parameters.AddWithValue("$result_json", DbValue(memo.ResultJson));
                parameters.AddWithValue("$generation", memo.Generation);
                parameters.AddWithValue("$attempts", memo.Attempts);
                parameters.AddWithValue("$updated_at", FormatTimestamp(memo.UpdatedAt));
            },
            cancellationToken).ConfigureAwait(false);
    }
}
