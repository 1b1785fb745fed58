using Microsoft.Data.Sqlite;

namespace Integrations.Sdk.Sqlite;

/// <summary>Configures a <see cref="SqliteStateStore"/>. Set exactly one of <see cref="Path"/> and <see cref="ConnectionString"/>.</summary>
public sealed class SqliteStateOptions
{
    /// <summary>The default for <see cref="BusyTimeout"/>: five seconds.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The path of the database file, for example <c>integrations.db</c>. A relative path is resolved against the
    /// current directory when the options are read; the file and its directory are created on first use.
    /// </summary>
    public string? Path { get; set; }

    /// <summary>
    /// A full Microsoft.Data.Sqlite connection string, used as given, for settings that <see cref="Path"/> does not
    /// cover (such as a password with SQLCipher). It must name a file opened for writing.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// How long a statement waits for another connection's lock (SQLite's <c>busy_timeout</c>) before it fails.
    /// Matters when several processes or store instances share the file. Defaults to <see cref="DefaultBusyTimeout"/>.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = DefaultBusyTimeout;

    /// <summary>The clock for the <c>updated_at</c> bookkeeping columns. <value>Default: the system clock; <c>UseSqliteState</c> passes the host's <see cref="System.TimeProvider"/> unless another clock is set here.</value></summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Validates the options and turns them into the settings the store uses.</summary>
    /// <exception cref="ArgumentException">The options are incomplete, contradictory or name no writable file.</exception>
    internal SqliteStateSettings Resolve()
    {
        if (BusyTimeout <= TimeSpan.Zero || BusyTimeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentException(
                $"{nameof(SqliteStateOptions)}.{nameof(BusyTimeout)} must be positive and at most {int.MaxValue} ms; it is {BusyTimeout}.",
                "options");
        }

        var busyTimeoutMs = (int)Math.Ceiling(BusyTimeout.TotalMilliseconds);
        return (Path, ConnectionString) switch
        {
            (null, null) => throw new ArgumentException(
                $"Set {nameof(SqliteStateOptions)}.{nameof(Path)} (for example \"integrations.db\") or {nameof(SqliteStateOptions)}.{nameof(ConnectionString)}.",
                "options"),
            (not null, not null) => throw new ArgumentException(
                $"Set only one of {nameof(SqliteStateOptions)}.{nameof(Path)} and {nameof(SqliteStateOptions)}.{nameof(ConnectionString)}.",
                "options"),
            (not null, null) => FromPath(Path, busyTimeoutMs),
            (null, not null) => FromConnectionString(ConnectionString, busyTimeoutMs),
        };
    }

    private static SqliteStateSettings FromPath(string path, int busyTimeoutMs)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException($"{nameof(SqliteStateOptions)}.{nameof(Path)} must not be empty or whitespace.", "options");
        }

        if (path.Trim() == ":memory:")
        {
            throw new ArgumentException(
                $"{nameof(SqliteStateOptions)}.{nameof(Path)} must name a file, not \":memory:\"; use the in-memory stores for state that need not survive the process.",
                "options");
        }

        string fullPath;
        try
        {
            fullPath = System.IO.Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ArgumentException($"{nameof(SqliteStateOptions)}.{nameof(Path)} \"{path}\" is not a valid file path: {ex.Message}", "options", ex);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Default,
            Pooling = true,
        };
        return new SqliteStateSettings(builder.ToString(), busyTimeoutMs, System.IO.Path.GetDirectoryName(fullPath));
    }

    private static SqliteStateSettings FromConnectionString(string connectionString, int busyTimeoutMs)
    {
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            throw new ArgumentException($"{nameof(SqliteStateOptions)}.{nameof(ConnectionString)} is not a valid SQLite connection string: {ex.Message}", "options", ex);
        }

        if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource.Trim() == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            throw new ArgumentException(
                $"{nameof(SqliteStateOptions)}.{nameof(ConnectionString)} must name a database file (Data Source=...), not an in-memory database; use the in-memory stores for state that need not survive the process.",
                "options");
        }

        if (builder.Mode == SqliteOpenMode.ReadOnly)
        {
            throw new ArgumentException(
                $"{nameof(SqliteStateOptions)}.{nameof(ConnectionString)} opens the database read-only (Mode=ReadOnly); the state store writes to it.",
                "options");
        }

        return new SqliteStateSettings(connectionString, busyTimeoutMs, Directory: null);
    }
}

/// <summary>Validated settings of a <see cref="SqliteStateStore"/>.</summary>
/// <param name="ConnectionString">The connection string every connection is opened with.</param>
/// <param name="BusyTimeoutMs">SQLite's <c>busy_timeout</c> in milliseconds.</param>
/// <param name="Directory">The directory to create before the file is first opened, when the store was given a path.</param>
internal sealed record SqliteStateSettings(string ConnectionString, int BusyTimeoutMs, string? Directory);
