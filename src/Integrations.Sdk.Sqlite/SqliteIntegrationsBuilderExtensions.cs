using Integrations.Sdk.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SQLite state store on an <see cref="IIntegrationsBuilder"/>.</summary>
public static class SqliteIntegrationsBuilderExtensions
{
    /// <summary>
    /// Keeps all state in the SQLite file at <paramref name="path"/>: registers one <see cref="SqliteStateStore"/>
    /// singleton and makes <see cref="IStepMemoStore"/>, <see cref="ICheckpointStore"/>, <see cref="IDeadLetterStore"/>,
    /// <see cref="ITokenStore"/>, <see cref="IRunHistoryStore"/> and <see cref="IWebhookInbox"/> resolve to it, replacing
    /// any earlier registrations of them (such as the in-memory defaults).
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="path">The database file, for example <c>integrations.db</c>; created on first use.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, whitespace or not a valid file path.</exception>
    public static IIntegrationsBuilder UseSqliteState(this IIntegrationsBuilder builder, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(path);
        return builder.UseSqliteState(options => options.Path = path);
    }

    /// <summary>
    /// Keeps all state in a SQLite file configured by <paramref name="configure"/>: registers one
    /// <see cref="SqliteStateStore"/> singleton and makes <see cref="IStepMemoStore"/>, <see cref="ICheckpointStore"/>,
    /// <see cref="IDeadLetterStore"/>, <see cref="ITokenStore"/>, <see cref="IRunHistoryStore"/> and <see cref="IWebhookInbox"/> resolve to it,
    /// replacing any earlier registrations of them (such as the in-memory defaults).
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Sets the options; called once, here, and the options are validated right away.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The configured options are incomplete, contradictory or name no writable file.</exception>
    public static IIntegrationsBuilder UseSqliteState(this IIntegrationsBuilder builder, Action<SqliteStateOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);

        var options = new SqliteStateOptions();
        configure(options);

        // Validate now, so a misconfiguration fails at startup rather than on first resolve; the store is built from
        // these settings, so later changes to the options object have no effect.
        var settings = options.Resolve();
        return builder.AddStateStore(options.TimeProvider, time => new SqliteStateStore(settings, time));
    }
}
