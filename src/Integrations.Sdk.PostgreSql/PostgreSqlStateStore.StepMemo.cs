namespace Integrations.Sdk.PostgreSql;

public sealed partial class PostgreSqlStateStore
{
    private const string SelectStepMemosSql = """
        SELECT sync, record_key, step, state, result_json, generation, attempts, updated_at, updated_at_100ns, updated_at_offset
        FROM {schema}.step_memo
        WHERE sync = @sync AND record_key = @record_key
        ORDER BY step COLLATE "C";
        """;

    private const string UpsertStepMemoSql = """
        INSERT INTO {schema}.step_memo
            (sync, record_key, step, state, result_json, generation, attempts, updated_at, updated_at_100ns, updated_at_offset)
        VALUES
            (@sync, @record_key, @step, @state, @result_json, @generation, @attempts, @updated_at, @updated_at_100ns, @updated_at_offset)
        ON CONFLICT (sync, record_key, step) DO UPDATE SET
            state = excluded.state,
            result_json = excluded.result_json,
            generation = excluded.generation,
            attempts = excluded.attempts,
            updated_at = excluded.updated_at,
            updated_at_100ns = excluded.updated_at_100ns,
            updated_at_offset = excluded.updated_at_offset;
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
                AddText(parameters, "sync", key.sync);
                AddText(parameters, "record_key", key.recordKey);
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
                AddText(parameters, "sync", memo.Sync);
                AddText(parameters, "record_key", memo.RecordKey);
                AddText(parameters, "step", memo.Step);
                AddSmallInt(parameters, "state", (int)memo.State);
                AddText(parameters, "result_json", memo.ResultJson);
                AddInt(parameters, "generation", memo.Generation);
                AddInt(parameters, "attempts", memo.Attempts);
                PostgreSqlTimestamps.Add(parameters, "updated_at", memo.UpdatedAt);
            },
            cancellationToken).ConfigureAwait(false);
    }
}
