namespace Integrations.Sdk.PostgreSql;

/// <summary>
/// The schema of the state tables as an ordered list of migrations. Migration <c>n</c> (1-based) brings the schema
/// from version <c>n - 1</c> to <c>n</c>; the applied versions are recorded in <c>schema_version</c>. Append new
/// migrations; never edit one that has shipped. <c>{schema}</c> stands for the quoted schema name.
/// </summary>
/// <remarks>
/// Every timestamp the SDK hands in is kept exactly in three columns (see <see cref="PostgreSqlTimestamps"/>):
/// <c>x timestamptz</c>, <c>x_100ns</c> and <c>x_offset</c>. Ids that rows are ordered by use <c>COLLATE "C"</c>,
/// so ties break ordinally, as in the other stores.
/// </remarks>
internal static class PostgreSqlSchema
{
    /// <summary>Creates the version table; run inside the migration transaction before the version is read.</summary>
    internal const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS {schema}.schema_version (
            version    integer     NOT NULL PRIMARY KEY,
            applied_at timestamptz NOT NULL
        );
        """;

    /// <summary>The migration scripts, in order.</summary>
    internal static IReadOnlyList<string> Migrations { get; } =
    [
        """
        CREATE TABLE {schema}.step_memo (
            sync              text        NOT NULL,
            record_key        text        NOT NULL,
            step              text        NOT NULL,
            state             smallint    NOT NULL,
            result_json       text        NULL,
            generation        integer     NOT NULL,
            attempts          integer     NOT NULL,
            updated_at        timestamptz NOT NULL,
            updated_at_100ns  smallint    NOT NULL,
            updated_at_offset smallint    NOT NULL,
            PRIMARY KEY (sync, record_key, step)
        );

        CREATE TABLE {schema}.checkpoints (
            sync       text        NOT NULL PRIMARY KEY,
            checkpoint text        NOT NULL,
            updated_at timestamptz NOT NULL
        );

        CREATE TABLE {schema}.dead_letters (
            id                text COLLATE "C" NOT NULL PRIMARY KEY,
            sync              text        NOT NULL,
            record_key        text        NOT NULL,
            payload           text        NOT NULL,
            reason            text        NOT NULL,
            step              text        NULL,
            error_type        text        NULL,
            attempts          integer     NOT NULL,
            kind              smallint    NOT NULL,
            created_at        timestamptz NOT NULL,
            created_at_100ns  smallint    NOT NULL,
            created_at_offset smallint    NOT NULL,
            updated_at        timestamptz NOT NULL,
            updated_at_100ns  smallint    NOT NULL,
            updated_at_offset smallint    NOT NULL
        );
        CREATE INDEX ix_dead_letters_sync_created_at ON {schema}.dead_letters (sync, created_at, created_at_100ns, id);
        CREATE INDEX ix_dead_letters_created_at ON {schema}.dead_letters (created_at, created_at_100ns, id);

        CREATE TABLE {schema}.tokens (
            connector         text        NOT NULL,
            account           text        NOT NULL,
            access_token      text        NOT NULL,
            refresh_token     text        NULL,
            expires_at        timestamptz NOT NULL,
            expires_at_100ns  smallint    NOT NULL,
            expires_at_offset smallint    NOT NULL,
            updated_at        timestamptz NOT NULL,
            PRIMARY KEY (connector, account)
        );

        CREATE TABLE {schema}.run_history (
            run_id             text COLLATE "C" NOT NULL PRIMARY KEY,
            sync               text        NOT NULL,
            status             smallint    NOT NULL,
            dry_run            boolean     NOT NULL,
            started_at         timestamptz NOT NULL,
            started_at_100ns   smallint    NOT NULL,
            started_at_offset  smallint    NOT NULL,
            finished_at        timestamptz NOT NULL,
            finished_at_100ns  smallint    NOT NULL,
            finished_at_offset smallint    NOT NULL,
            read               integer     NOT NULL,
            completed          integer     NOT NULL,
            skipped            integer     NOT NULL,
            filtered           integer     NOT NULL,
            dead_lettered      integer     NOT NULL,
            ambiguous          integer     NOT NULL,
            checkpoint_before  text        NULL,
            checkpoint_after   text        NULL,
            error              text        NULL
        );
        CREATE INDEX ix_run_history_sync_started_at ON {schema}.run_history (sync, started_at, started_at_100ns, run_id);

        CREATE TABLE {schema}.inbox (
            id                 text COLLATE "C" NOT NULL PRIMARY KEY,
            source             text        NOT NULL,
            event_id           text        NOT NULL,
            event_type         text        NOT NULL,
            payload            text        NOT NULL,
            occurred_at        timestamptz NULL,
            occurred_at_100ns  smallint    NULL,
            occurred_at_offset smallint    NULL,
            received_at        timestamptz NOT NULL,
            received_at_100ns  smallint    NOT NULL,
            received_at_offset smallint    NOT NULL,
            state              smallint    NOT NULL,
            attempts           integer     NOT NULL,
            due_at             timestamptz NOT NULL,
            due_at_100ns       smallint    NOT NULL,
            due_at_offset      smallint    NOT NULL,
            error              text        NULL
        );
        -- Only pending (0) and processing (1) messages can be claimed; the index leaves finished ones out.
        CREATE INDEX ix_inbox_claimable ON {schema}.inbox (due_at, due_at_100ns, received_at, received_at_100ns, id)
            WHERE state IN (0, 1);
        """,
        """
        -- The token of each message's latest claim: a change after a claim applies only under it (fencing).
        -- A nullable column without a default: adding it rewrites nothing.
        ALTER TABLE {schema}.inbox ADD COLUMN claim_token text NULL;
        """,
        """
        -- Records a paused run left for the next run (RunSummary.Deferred); runs saved before count none.
        ALTER TABLE {schema}.run_history ADD COLUMN deferred integer NOT NULL DEFAULT 0;
        """,
    ];

    /// <summary>The version a schema has once every migration is applied.</summary>
    internal static int CurrentVersion => Migrations.Count;
}
