using Microsoft.Data.Sqlite;

namespace Integrations.Sdk.Sqlite;

public sealed partial class SqliteStateStore
{
    /// <summary>At most this many queued writes are committed in one transaction.</summary>
    private const int MaxWritesPerCommit = 256;

    /// <summary>
    /// Holds the write lock: writes queued statements until the queue is empty, then releases the lock. A write
    /// queued while the lock was held is never left behind: after releasing, the queue is checked again, and
    /// whoever queues a write tries the lock after queuing it.
    /// </summary>
    private async ValueTask WriteQueuedAndReleaseAsync()
    {
        try
        {
            await DrainWritesAsync().ConfigureAwait(false);
        }
        finally
        {
            await ReleaseWriteLockAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Releases the write lock, then writes whatever was queued meanwhile if the lock is free again.</summary>
    private async ValueTask ReleaseWriteLockAsync()
    {
        _writeLock.Release();
        while (!_pendingWrites.IsEmpty && _writeLock.Wait(0, CancellationToken.None))
        {
            try
            {
                await DrainWritesAsync().ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
        }
    }

    /// <summary>
    /// With the write lock held, commits the queued writes in batches: one <c>BEGIN IMMEDIATE</c> transaction per
    /// batch, each statement prepared once per batch. A write's caller is released only after the commit. If any
    /// statement or the commit fails, the batch is rolled back and each write is retried alone, so each caller gets
    /// its own statement's outcome, as if it had been written by itself.
    /// </summary>
    private async ValueTask DrainWritesAsync()
    {
        var batch = new List<PendingWrite>();
        while (true)
        {
            batch.Clear();
            while (batch.Count < MaxWritesPerCommit && _pendingWrites.TryDequeue(out var next))
            {
                if (next.TryTake())
                {
                    batch.Add(next);
                }
            }

            if (batch.Count == 0)
            {
                return;
            }

            SqliteConnection connection;
            try
            {
                connection = await OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                batch.ForEach(w => w.Fail(ex));
                continue;
            }

            using (connection)
            {
                if (batch.Count == 1 || !await TryWriteTogetherAsync(connection, batch).ConfigureAwait(false))
                {
                    foreach (var write in batch)
                    {
                        await WriteAloneAsync(connection, write).ConfigureAwait(false);
                    }
                }
            }
        }
    }

    private static async ValueTask<bool> TryWriteTogetherAsync(SqliteConnection connection, List<PendingWrite> batch)
    {
        var rows = new int[batch.Count];
        var commands = new Dictionary<string, SqliteCommand>(StringComparer.Ordinal);
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            for (var i = 0; i < batch.Count; i++)
            {
                var write = batch[i];
                if (!commands.TryGetValue(write.Sql, out var command))
                {
                    command = connection.CreateCommand();
                    command.CommandText = write.Sql;
                    commands[write.Sql] = command;
                }

                command.Transaction = transaction;
                command.Parameters.Clear();
                write.Bind(command.Parameters);
                rows[i] = await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }

            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Rolled back (disposing an uncommitted transaction rolls it back); each write is retried alone and
            // learns its own outcome there.
            return false;
        }
        finally
        {
            foreach (var command in commands.Values)
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Succeed(rows[i]);
        }

        return true;
    }

    private static async ValueTask WriteAloneAsync(SqliteConnection connection, PendingWrite write)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = write.Sql;
            write.Bind(command.Parameters);
            write.Succeed(await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            write.Fail(ex);
        }
    }

    /// <summary>One queued write statement and its caller's wait.</summary>
    private abstract class PendingWrite(string sql)
    {
        private const int Queued = 0;
        private const int Taken = 1;
        private const int Cancelled = 2;
        private readonly TaskCompletionSource<int> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _state;

        public string Sql { get; } = sql;

        public Task<int> Completion => _completion.Task;

        public abstract void Bind(SqliteParameterCollection parameters);

        /// <summary>Claims the write for writing; false when its caller gave up first.</summary>
        public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

        /// <summary>Withdraws the write; false when it is already being written.</summary>
        public bool TryCancel() => Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued;

        public void Succeed(int rows) => _completion.TrySetResult(rows);

        public void Fail(Exception exception) => _completion.TrySetException(exception);
    }

    private sealed class PendingWrite<TState>(string sql, TState state, Action<SqliteParameterCollection, TState> bind) : PendingWrite(sql)
    {
        public override void Bind(SqliteParameterCollection parameters) => bind(parameters, state);
    }
}
