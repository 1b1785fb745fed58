using Integrations.Sdk.PostgreSql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL state store and lock on an <see cref="IIntegrationsBuilder"/>.</summary>
public static class PostgreSqlIntegrationsBuilderExtensions
{
    /// <summary>
    /// Keeps all state in PostgreSQL, in the schema <c>integrations</c>, and coordinates host instances through it:
    /// see <see cref="UsePostgreSqlState(IIntegrationsBuilder, Action{PostgreSqlStateOptions})"/>.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="connectionString">An Npgsql connection string, for example <c>Host=db;Username=app;Password=...;Database=app</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="connectionString"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or not a valid connection string.</exception>
    public static IIntegrationsBuilder UsePostgreSqlState(this IIntegrationsBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connectionString);
        return builder.UsePostgreSqlState(options => options.ConnectionString = connectionString);
    }

    /// <summary>
    /// Keeps all state in PostgreSQL and coordinates host instances through it: registers one
    /// <see cref="PostgreSqlStateStore"/> singleton and makes <see cref="IStepMemoStore"/>, <see cref="ICheckpointStore"/>,
    /// <see cref="IDeadLetterStore"/>, <see cref="ITokenStore"/>, <see cref="IRunHistoryStore"/> and <see cref="IWebhookInbox"/>
    /// resolve to it, and one <see cref="PostgreSqlLock"/> singleton as the <see cref="IDistributedLock"/>, replacing any
    /// earlier registrations of them (such as the in-memory defaults).
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Sets the options; called once, here, and the options are validated right away.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is missing or invalid; the message names it.</exception>
    public static IIntegrationsBuilder UsePostgreSqlState(this IIntegrationsBuilder builder, Action<PostgreSqlStateOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);

        var options = new PostgreSqlStateOptions();
        configure(options);

        // Validate now, so a misconfiguration fails at startup rather than on first resolve; the store and the lock
        // are built from these settings, so later changes to the options object have no effect.
        var settings = options.Resolve();
        return builder
            .AddStateStore(options.TimeProvider, time => new PostgreSqlStateStore(settings, time))
            .AddStateLock(options.TimeProvider, time => new PostgreSqlLock(settings, time));
    }
}
