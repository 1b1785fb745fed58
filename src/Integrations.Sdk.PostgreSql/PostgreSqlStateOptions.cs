using System.Text.RegularExpressions;
using Npgsql;

namespace Integrations.Sdk.PostgreSql;

/// <summary>Configures a <see cref="PostgreSqlStateStore"/> and a <see cref="PostgreSqlLock"/>.</summary>
public sealed partial class PostgreSqlStateOptions
{
    /// <summary>The default for <see cref="Schema"/>: <c>integrations</c>.</summary>
    public const string DefaultSchema = "integrations";

    /// <summary>The default for <see cref="LockCheckInterval"/>: five seconds.</summary>
    public static readonly TimeSpan DefaultLockCheckInterval = TimeSpan.FromSeconds(5);

    /// <summary>The shortest <see cref="LockCheckInterval"/> accepted: 50 milliseconds.</summary>
    public static readonly TimeSpan MinLockCheckInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest <see cref="LockCheckInterval"/> accepted: ten minutes.</summary>
    public static readonly TimeSpan MaxLockCheckInterval = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The Npgsql connection string, for example <c>Host=db;Username=app;Password=...;Database=app</c>. Required.
    /// The stores use it as given (with its pool settings); the lock opens one unpooled connection from it.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The schema that holds the state tables; created on first use when missing. Letters, digits and underscores,
    /// not starting with a digit or <c>pg_</c>, at most 63 characters; case is kept.
    /// <value>Default: <see cref="DefaultSchema"/>.</value>
    /// </summary>
    public string Schema { get; set; } = DefaultSchema;

    /// <summary>
    /// How often a <see cref="PostgreSqlLock"/> checks its connection (<c>SELECT 1</c>) while it holds any lock. When
    /// the check fails, every held lock's <see cref="Integrations.Sdk.State.ILockHandle.Lost"/> is cancelled. Also
    /// used as the connection's keepalive period. Between <see cref="MinLockCheckInterval"/> and
    /// <see cref="MaxLockCheckInterval"/>.
    /// <value>Default: <see cref="DefaultLockCheckInterval"/>.</value>
    /// </summary>
    public TimeSpan LockCheckInterval { get; set; } = DefaultLockCheckInterval;

    /// <summary>
    /// The clock for the <c>updated_at</c> bookkeeping columns, the lock's connection checks and its retry delays.
    /// <value>Default: the system clock; <c>UsePostgreSqlState</c> passes the host's <see cref="System.TimeProvider"/> unless another clock is set here.</value>
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Validates the options and turns them into the settings the store and the lock use.</summary>
    /// <exception cref="ArgumentException">An option is missing or invalid; the message names it.</exception>
    internal PostgreSqlStateSettings Resolve()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException(
                $"Set {nameof(PostgreSqlStateOptions)}.{nameof(ConnectionString)}, for example \"Host=localhost;Username=app;Password=...;Database=app\".",
                "options");
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new ArgumentException(
                $"{nameof(PostgreSqlStateOptions)}.{nameof(ConnectionString)} is not a valid Npgsql connection string: {ex.Message}",
                "options",
                ex);
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new ArgumentException(
                $"{nameof(PostgreSqlStateOptions)}.{nameof(ConnectionString)} names no server: add Host=... .",
                "options");
        }

        if (Schema is null || !SchemaPattern().IsMatch(Schema) || Schema.StartsWith("pg_", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"{nameof(PostgreSqlStateOptions)}.{nameof(Schema)} \"{Schema}\" is not a usable schema name: use 1 to 63 letters, digits " +
                "and underscores, not starting with a digit or \"pg_\".",
                "options");
        }

        if (LockCheckInterval < MinLockCheckInterval || LockCheckInterval > MaxLockCheckInterval)
        {
            throw new ArgumentException(
                $"{nameof(PostgreSqlStateOptions)}.{nameof(LockCheckInterval)} must be between {MinLockCheckInterval} and {MaxLockCheckInterval}; it is {LockCheckInterval}.",
                "options");
        }

        if (TimeProvider is null)
        {
            throw new ArgumentException($"{nameof(PostgreSqlStateOptions)}.{nameof(TimeProvider)} must not be null.", "options");
        }

        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "Integrations.Sdk";
        }

        var storeConnectionString = builder.ConnectionString;

        // The lock's own connection: never pooled (its session owns the advisory locks, and closing it must end
        // the session), never multiplexed, and kept alive so that a vanished peer is noticed on both sides.
        var lockBuilder = new NpgsqlConnectionStringBuilder(storeConnectionString)
        {
            Pooling = false,
            Multiplexing = false,
        };
        if (lockBuilder.ApplicationName == "Integrations.Sdk")
        {
            lockBuilder.ApplicationName = "Integrations.Sdk lock";
        }

        if (lockBuilder.KeepAlive == 0)
        {
            lockBuilder.KeepAlive = (int)Math.Max(1, Math.Ceiling(LockCheckInterval.TotalSeconds));
        }

        if (lockBuilder.TcpKeepAliveTime == 0)
        {
            lockBuilder.TcpKeepAlive = true;
        }

        return new PostgreSqlStateSettings(storeConnectionString, lockBuilder.ConnectionString, Schema, $"\"{Schema}\"", LockCheckInterval);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaPattern();
}

/// <summary>Validated settings of a <see cref="PostgreSqlStateStore"/> and a <see cref="PostgreSqlLock"/>.</summary>
/// <param name="ConnectionString">The connection string of the stores' data source.</param>
/// <param name="LockConnectionString">The connection string of the lock's single connection (unpooled, kept alive).</param>
/// <param name="Schema">The schema's name.</param>
/// <param name="QuotedSchema">The schema's name as a quoted SQL identifier.</param>
/// <param name="LockCheckInterval">How often the lock checks its connection while it holds locks.</param>
internal sealed record PostgreSqlStateSettings(
    string ConnectionString,
    string LockConnectionString,
    string Schema,
    string QuotedSchema,
    TimeSpan LockCheckInterval);
