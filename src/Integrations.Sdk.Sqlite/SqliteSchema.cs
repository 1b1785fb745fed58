namespace Integrations.Sdk.Sqlite;

/// <summary>
/// The schema of the state database as an ordered list of migrations. Migration <c>n</c> (1-based) brings the
/// database from version <c>n - 1</c> to <c>n</c>; the applied versions are recorded in <c>schema_version</c>.
/// Append new migrations; never edit one that has shipped.
/// </summary>
/// <remarks>
/// Timestamps are stored as ISO-8601 round-trip text (<c>"O"</c>), which keeps ticks and offset exactly.
/// Where rows are ordered by a timestamp, a <c>*_ticks</c> column holds its UTC ticks, since text with
/// differing offsets does not sort chronologically.
/// </remarks>
internal static class SqliteSchema
{
    /// <summary>Creates the version table; run inside every migration transaction before the version is read.</summary>
    internal const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version    INTEGER NOT NULL PRIMARY KEY,
            applied_at TEXT    NOT NULL
        );
        """;

    /// <summary>The migration scripts, in order.</summary>
    internal static IReadOnlyList<string> Migrations { get; } =
    [
        """
        CREATE TABLE step_memo (
            sync        TEXT    NOT NULL,
            record_key  TEXT    NOT NULL,
            step        TEXT    NOT NULL,
            state       INTEGER NOT NULL,
            result_json TEXT    NULL,
            generation  INTEGER NOT NULL,
            attempts    INTEGER NOT NULL,
            updated_at  TEXT    NOT NULL,
            PRIMARY KEY (sync, record_key, step)
        );

        CREATE TABLE checkpoints (
            sync       TEXT NOT NULL PRIMARY KEY,
            checkpoint TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE dead_letters (
            id               TEXT    NOT NULL PRIMARY KEY,
            sync             TEXT    NOT NULL,
            record_key       TEXT    NOT NULL,
            payload          TEXT    NOT NULL,
            reason           TEXT    NOT NULL,
            step             TEXT    NULL,
            error_type       TEXT    NULL,
            attempts         INTEGER NOT NULL,
            kind             INTEGER NOT NULL,
            created_at       TEXT    NOT NULL,
            created_at_ticks INTEGER NOT NULL,
            updated_at       TEXT    NOT NULL
        );
        CREATE INDEX ix_dead_letters_sync_created_at ON dead_letters (sync, created_at_ticks, id);
        CREATE INDEX ix_dead_letters_created_at ON dead_letters (created_at_ticks, id);

        CREATE TABLE tokens (
            connector     TEXT NOT NULL,
            account       TEXT NOT NULL,
            access_token  TEXT NOT NULL,
            refresh_token TEXT NULL,
            expires_at    TEXT NOT NULL,
            updated_at    TEXT NOT NULL,
            PRIMARY KEY (connector, account)
        );

        CREATE TABLE run_history (
            run_id            TEXT    NOT NULL PRIMARY KEY,
            sync              TEXT    NOT NULL,
            status            INTEGER NOT NULL,
            dry_run           INTEGER NOT NULL,
            started_at        TEXT    NOT NULL,
            started_at_ticks  INTEGER NOT NULL,
            finished_at       TEXT    NOT NULL,
            read              INTEGER NOT NULL,
            completed         INTEGER NOT NULL,
            skipped           INTEGER NOT NULL,
            filtered          INTEGER NOT NULL,
            dead_lettered     INTEGER NOT NULL,
            ambiguous         INTEGER NOT NULL,
            checkpoint_before TEXT    NULL,
            checkpoint_after  TEXT    NULL,
            error             TEXT    NULL
        );
        CREATE INDEX ix_run_history_sync_started_at ON run_history (sync, started_at_ticks, run_id);
        """,
        """
        CREATE TABLE inbox (
            id                TEXT    NOT NULL PRIMARY KEY,
            source            TEXT    NOT NULL,
            event_id          TEXT    NOT NULL,
            event_type        TEXT    NOT NULL,
            payload           TEXT    NOT NULL,
            occurred_at       TEXT    NULL,
            received_at       TEXT    NOT NULL,
            received_at_ticks INTEGER NOT NULL,
            state             INTEGER NOT NULL,
            attempts          INTEGER NOT NULL,
            due_at            TEXT    NOT NULL,
            due_at_ticks      INTEGER NOT NULL,
            error             TEXT    NULL
        );
        CREATE INDEX ix_inbox_state_due ON inbox (state, due_at_ticks, received_at_ticks, id);
        """,
        """
        -- The token of each message's latest claim: a change after a claim applies only under it (fencing).
        ALTER TABLE inbox ADD COLUMN claim_token TEXT NULL;
        """,
        """
        -- Records a paused run left for the next run (RunSummary.Deferred); runs saved before count none.
        ALTER TABLE run_history ADD COLUMN deferred INTEGER NOT NULL DEFAULT 0;
        """,
    ];

    /// <summary>The version a database has once every migration is applied.</summary>
    internal static int CurrentVersion => Migrations.Count;
}
