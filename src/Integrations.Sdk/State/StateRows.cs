using System.Data.Common;

namespace Integrations.Sdk.State;

/// <summary>
/// Reads the rows of a SQL state store into the state records, the same way for every provider. A query selects a
/// record's columns in the order of the record's properties; a timestamp takes <see cref="TimestampColumns"/>
/// columns, read by the provider's own reader. Enum columns are small integers, counts may be 64-bit.
/// </summary>
/// <param name="timestampColumns">How many columns one timestamp takes (at least 1).</param>
/// <param name="readTimestamp">Reads a timestamp from the columns starting at the ordinal.</param>
internal sealed class StateRows(int timestampColumns, Func<DbDataReader, int, DateTimeOffset> readTimestamp)
{
    private readonly Func<DbDataReader, int, DateTimeOffset> _readTimestamp = readTimestamp;

    /// <summary>How many columns one timestamp takes.</summary>
    public int TimestampColumns { get; } = timestampColumns >= 1
        ? timestampColumns
        : throw new ArgumentOutOfRangeException(nameof(timestampColumns), timestampColumns, "A timestamp takes at least one column.");

    /// <summary>Reads a <see cref="DeadLetter"/>: id, sync, record_key, payload, reason, step, error_type, attempts, kind, created_at, updated_at.</summary>
    public DeadLetter DeadLetter(DbDataReader reader)
    {
        var row = new Row(reader, this);
        return new()
        {
            Id = row.Text(),
            Sync = row.Text(),
            RecordKey = row.Text(),
            Payload = row.Text(),
            Reason = row.Text(),
            Step = row.NullableText(),
            ErrorType = row.NullableText(),
            Attempts = row.Int32(),
            Kind = (DeadLetterKind)row.SmallInt(),
            CreatedAt = row.Timestamp(),
            UpdatedAt = row.Timestamp(),
        };
    }

    /// <summary>
    /// Reads a <see cref="RunSummary"/>: run_id, sync, status, dry_run, started_at, finished_at, read, completed, skipped,
    /// filtered, dead_lettered, ambiguous, checkpoint_before, checkpoint_after, error, deferred.
    /// </summary>
    public RunSummary RunSummary(DbDataReader reader)
    {
        var row = new Row(reader, this);
        return new()
        {
            RunId = row.Text(),
            Sync = row.Text(),
            Status = (RunStatus)row.SmallInt(),
            DryRun = row.Boolean(),
            StartedAt = row.Timestamp(),
            FinishedAt = row.Timestamp(),
            Read = row.Int32(),
            Completed = row.Int32(),
            Skipped = row.Int32(),
            Filtered = row.Int32(),
            DeadLettered = row.Int32(),
            Ambiguous = row.Int32(),
            CheckpointBefore = row.NullableText(),
            CheckpointAfter = row.NullableText(),
            Error = row.NullableText(),
            Deferred = row.Int32(),
        };
    }

    /// <summary>
    /// Reads an <see cref="InboxMessage"/>: id, source, event_id, event_type, payload, occurred_at (nullable),
    /// received_at, state, attempts, due_at, error, claim_token (nullable).
    /// </summary>
    public InboxMessage InboxMessage(DbDataReader reader)
    {
        var row = new Row(reader, this);
        return new()
        {
            Id = row.Text(),
            Source = row.Text(),
            EventId = row.Text(),
            EventType = row.Text(),
            Payload = row.Text(),
            OccurredAt = row.NullableTimestamp(),
            ReceivedAt = row.Timestamp(),
            State = (InboxState)row.SmallInt(),
            Attempts = row.Int32(),
            DueAt = row.Timestamp(),
            Error = row.NullableText(),
            ClaimToken = row.NullableText(),
        };
    }

    /// <summary>Reads a <see cref="StepMemo"/>: sync, record_key, step, state, result_json, generation, attempts, updated_at.</summary>
    public StepMemo StepMemo(DbDataReader reader)
    {
        var row = new Row(reader, this);
        return new(
            Sync: row.Text(),
            RecordKey: row.Text(),
            Step: row.Text(),
            State: (StepState)row.SmallInt(),
            ResultJson: row.NullableText(),
            Generation: row.Int32(),
            Attempts: row.Int32(),
            UpdatedAt: row.Timestamp());
    }

    /// <summary>Reads an <see cref="OAuthToken"/>: access_token, refresh_token, expires_at.</summary>
    public OAuthToken Token(DbDataReader reader)
    {
        var row = new Row(reader, this);
        return new(row.Text(), row.NullableText(), row.Timestamp());
    }

    /// <summary>Reads one line of an inbox count: state, count.</summary>
    public static (InboxState State, int Count) InboxCount(DbDataReader reader) =>
        ((InboxState)reader.GetInt16(0), checked((int)reader.GetInt64(1)));

    /// <summary>Adds up the lines read by <see cref="InboxCount"/>.</summary>
    public static InboxCounts InboxCounts(IReadOnlyCollection<(InboxState State, int Count)> lines)
    {
        int Count(InboxState state) => lines.Where(l => l.State == state).Sum(l => l.Count);
        return new(Count(InboxState.Pending), Count(InboxState.Processing), Count(InboxState.Completed), Count(InboxState.DeadLettered));
    }

    /// <summary>Orders a claimed batch oldest first (received, then id), as every inbox hands it out.</summary>
    public static IReadOnlyList<InboxMessage> OldestFirst(IEnumerable<InboxMessage> claimed) =>
        [.. claimed.OrderBy(m => m.ReceivedAt).ThenBy(m => m.Id, StringComparer.Ordinal)];

    /// <summary>Reads the columns of one row in order.</summary>
    private ref struct Row(DbDataReader reader, StateRows rows)
    {
        private int _ordinal;

        public string Text() => reader.GetString(_ordinal++);

        public string? NullableText()
        {
            var ordinal = _ordinal++;
            return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
        }

        public int Int32() => reader.GetInt32(_ordinal++);

        public short SmallInt() => reader.GetInt16(_ordinal++);

        public bool Boolean() => reader.GetBoolean(_ordinal++);

        public DateTimeOffset Timestamp()
        {
            var value = rows._readTimestamp(reader, _ordinal);
            _ordinal += rows.TimestampColumns;
            return value;
        }

        public DateTimeOffset? NullableTimestamp()
        {
            if (!reader.IsDBNull(_ordinal))
            {
                return Timestamp();
            }

            _ordinal += rows.TimestampColumns;
            return null;
        }
    }
}
