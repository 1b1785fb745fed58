using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The one registration entry point of connector packages: <c>AddStripe</c>, <c>AddHubSpot</c> and the others start
/// with <see cref="AddConnector{TOptions}(Integrations.Sdk.IIntegrationsBuilder, string, string, Action{TOptions})"/> and
/// declare the rest on the returned <see cref="ConnectorDefinition{TOptions}"/>.
/// </summary>
public static class ConnectorRegistrationExtensions
{
    /// <summary>Starts a connector's registration with options filled in code.</summary>
    /// <typeparam name="TOptions">The connector's options.</typeparam>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="name">The connector's name, for example <c>stripe</c>.</param>
    /// <param name="displayName">The platform's name for messages, for example <c>Stripe</c>.</param>
    /// <param name="configure">Fills the options.</param>
    /// <returns>The definition, to declare the connector's client, connector object and webhook source on.</returns>
    /// <exception cref="InvalidOperationException">The connector is already registered.</exception>
    public static ConnectorDefinition<TOptions> AddConnector<TOptions>(
        this Integrations.Sdk.IIntegrationsBuilder builder, string name, string displayName, Action<TOptions> configure)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(configure);
        var definition = Start<TOptions>(builder, name, displayName);
        builder.Services.AddOptions<TOptions>().Configure(configure);
        return definition;
    }

    /// <summary>Starts a connector's registration with options bound from configuration (for example <c>Integrations:Stripe</c>).</summary>
    /// <typeparam name="TOptions">The connector's options.</typeparam>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="name">The connector's name, for example <c>stripe</c>.</param>
    /// <param name="displayName">The platform's name for messages, for example <c>Stripe</c>.</param>
    /// <param name="section">The configuration section the options are bound from (and re-bound when it changes).</param>
    /// <returns>The definition, to declare the connector's client, connector object and webhook source on.</returns>
    /// <exception cref="InvalidOperationException">The connector is already registered.</exception>
    public static ConnectorDefinition<TOptions> AddConnector<TOptions>(
        this Integrations.Sdk.IIntegrationsBuilder builder, string name, string displayName, IConfiguration section)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(section);
        var definition = Start<TOptions>(builder, name, displayName);
        builder.Services.AddOptions<TOptions>().Bind(section);
        return definition;
    }

    private static ConnectorDefinition<TOptions> Start<TOptions>(Integrations.Sdk.IIntegrationsBuilder builder, string name, string displayName)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(Registered<TOptions>)))
        {
            throw new InvalidOperationException($"{displayName} is already registered: call Add{displayName.Replace(" ", string.Empty, StringComparison.Ordinal)} once.");
        }

        services.AddSingleton<Registered<TOptions>>();
        services.AddOptions<TOptions>().ValidateOnStart();
        return new ConnectorDefinition<TOptions>(builder, name, displayName);
    }

    /// <summary>Marks a connector as registered, against a second registration.</summary>
    private sealed class Registered<TOptions>;
}
