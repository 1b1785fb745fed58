using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Refit;

namespace Integrations.Sdk.Connectors.Kit;

/// <summary>
/// Registers one connector, for connector authors: started by
/// <see cref="ConnectorRegistrationExtensions.AddConnector{TOptions}(IIntegrationsBuilder, string, string, Action{TOptions})"/>,
/// which has already registered the options (validated on start) and guarded against a second registration. Each call
/// declares one fact of the platform; the connector's <c>Add&lt;Platform&gt;</c> method is then a list of them.
/// </summary>
/// <typeparam name="TOptions">The connector's options.</typeparam>
public sealed class ConnectorDefinition<TOptions>
    where TOptions : class
{
    internal ConnectorDefinition(IIntegrationsBuilder builder, string name, string displayName)
    {
        Builder = builder;
        Name = name;
        DisplayName = displayName;
    }

    /// <summary>The integrations builder, returned to the application at the end of the declaration.</summary>
    public IIntegrationsBuilder Builder { get; }

    /// <summary>The connector's name (<c>stripe</c>): it names its HTTP options, budgets, telemetry and webhook route.</summary>
    public string Name { get; }

    /// <summary>The platform's display name (<c>Stripe</c>), used in messages.</summary>
    public string DisplayName { get; }

    /// <summary>
    /// Declares the checks of the options, run when the host starts; each message names the setting at fault, and all
    /// of them are reported together.
    /// </summary>
    /// <param name="validate">Returns one message per problem; none when the options are valid.</param>
    /// <returns>This definition.</returns>
    public ConnectorDefinition<TOptions> Validate(Func<TOptions, IEnumerable<string>> validate)
    {
        ArgumentNullException.ThrowIfNull(validate);
        Builder.Services.AddSingleton<IValidateOptions<TOptions>>(new DelegateValidator(validate));
        return this;
    }

    /// <summary>
    /// Declares the secrets among the options (webhook signing secrets, keys the transport does not already know), so
    /// that they are redacted from logs, exceptions, reports and dead letters as soon as the options are built.
    /// </summary>
    /// <param name="secrets">The secret values; <see langword="null"/> and empty ones are skipped.</param>
    /// <returns>This definition.</returns>
    public ConnectorDefinition<TOptions> Secrets(Func<TOptions, IEnumerable<string?>> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        Builder.Services.AddOptions<TOptions>().PostConfigure<SecretRedactor>((options, redactor) =>
        {
            foreach (var secret in secrets(options))
            {
                redactor.Register(secret);
            }
        });
        return this;
    }

    /// <summary>
    /// Declares the platform's typed Refit client behind the SDK's transport (retry, circuit breaker, budgets, auth,
    /// signal reader): <paramref name="configure"/> fills the connector's <see cref="ConnectorHttpOptions"/> from its
    /// options (base address, auth, budget, idempotency header, <see cref="ConnectorHttpOptions.Signals"/>).
    /// </summary>
    /// <typeparam name="TApi">The Refit interface.</typeparam>
    /// <param name="configure">Fills the HTTP options from the connector's options.</param>
    /// <param name="refitSettings">Creates the Refit settings (the serializer); a new instance each call.</param>
    /// <returns>This definition.</returns>
    public ConnectorDefinition<TOptions> Client<TApi>(Action<TOptions, ConnectorHttpOptions> configure, Func<RefitSettings>? refitSettings = null)
        where TApi : class
    {
        ArgumentNullException.ThrowIfNull(configure);
        Builder.AddConnectorClient<TApi>(
            Name,
            (sp, http) => configure(sp.GetRequiredService<IOptions<TOptions>>().Value, http),
            refitSettings is null ? null : _ => refitSettings());
        return this;
    }

    /// <summary>Declares the platform's typed Refit client, as the other overload, reading and writing JSON with <paramref name="json"/>.</summary>
    /// <typeparam name="TApi">The Refit interface.</typeparam>
    /// <param name="configure">Fills the HTTP options from the connector's options.</param>
    /// <param name="json">The platform's JSON conventions (naming policy, source-generated metadata); shared, never changed after.</param>
    /// <returns>This definition.</returns>
    public ConnectorDefinition<TOptions> Client<TApi>(Action<TOptions, ConnectorHttpOptions> configure, JsonSerializerOptions json)
        where TApi : class
    {
        ArgumentNullException.ThrowIfNull(json);
        var serializer = new SystemTextJsonContentSerializer(json);
        return Client<TApi>(configure, () => new RefitSettings(serializer)); // a new RefitSettings each time: the transport sets its exception factories on it
    }

    /// <summary>Declares the connector object the application resolves (a singleton).</summary>
    /// <typeparam name="TConnector">The connector's type.</typeparam>
    /// <param name="create">Creates it; <see cref="ConnectorContext{TOptions}.Api{TApi}"/> gives it its client.</param>
    /// <returns>This definition.</returns>
    public ConnectorDefinition<TOptions> Connector<TConnector>(Func<ConnectorContext<TOptions>, TConnector> create)
        where TConnector : class
    {
        ArgumentNullException.ThrowIfNull(create);
        Builder.Services.TryAddSingleton(sp => create(new ConnectorContext<TOptions>(sp)));
        return this;
    }

    /// <summary>Declares the connector's webhook source, resolvable as itself and as one of the <see cref="IWebhookSource"/>s.</summary>
    /// <typeparam name="TSource">The webhook source's type.</typeparam>
    /// <param name="create">Creates it.</param>
    /// <returns>This definition.</returns>
    public ConnectorDefinition<TOptions> Webhooks<TSource>(Func<ConnectorContext<TOptions>, TSource> create)
        where TSource : class, IWebhookSource
    {
        ArgumentNullException.ThrowIfNull(create);
        Builder.Services.TryAddSingleton(sp => create(new ConnectorContext<TOptions>(sp)));
        Builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookSource, TSource>(sp => sp.GetRequiredService<TSource>()));
        return this;
    }

    private sealed class DelegateValidator(Func<TOptions, IEnumerable<string>> validate) : IValidateOptions<TOptions>
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            var errors = validate(options).ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}

/// <summary>What a connector's factories are given: the services, the options and the connector's typed client.</summary>
/// <typeparam name="TOptions">The connector's options.</typeparam>
public sealed class ConnectorContext<TOptions>
    where TOptions : class
{
    internal ConnectorContext(IServiceProvider services) => Services = services;

    /// <summary>The application's services.</summary>
    public IServiceProvider Services { get; }

    /// <summary>The options accessor, for parts that read the options on each use.</summary>
    public IOptions<TOptions> OptionsAccessor => Services.GetRequiredService<IOptions<TOptions>>();

    /// <summary>The options, validated.</summary>
    public TOptions Options => OptionsAccessor.Value;

    /// <summary>The clock (the application's <see cref="TimeProvider"/>, else the system clock).</summary>
    public TimeProvider Time => Services.GetService<TimeProvider>() ?? TimeProvider.System;

    /// <summary>
    /// Returns a function that resolves the typed client on each call: typed clients are short-lived, so that the
    /// factory can rotate their handlers; a singleton connector must not hold one.
    /// </summary>
    /// <typeparam name="TApi">The Refit interface registered with <c>Client&lt;TApi&gt;</c>.</typeparam>
    public Func<TApi> Api<TApi>()
        where TApi : class
    {
        var services = Services;
        return services.GetRequiredService<TApi>;
    }
}
