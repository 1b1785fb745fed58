using Integrations.Sdk.DependencyInjection;
using Integrations.Sdk.DependencyInjection.Internal;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.Pipelines.Internal;
using Integrations.Sdk.State.InMemory;
using Integrations.Sdk.Transport.Auth;
using Integrations.Sdk.Transport.Internal;
using Integrations.Sdk.Webhooks;
using Integrations.Sdk.Webhooks.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The entry point: <c>services.AddIntegrations(i =&gt; i.AddSync(...))</c>.</summary>
public static class IntegrationsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the SDK: the sync runner (<see cref="ISyncRunner"/>), the scheduler for syncs declared with a
    /// schedule (<c>.Every</c>, <c>.Cron</c>, <c>.DailyAt</c>, <c>.OnSchedule</c>), health checks (<c>integrations-connectors</c>, <c>integrations-syncs</c>), telemetry, and
    /// in-memory state unless a durable provider (<c>UseSqliteState</c>) is chosen. Calling it again returns the same
    /// builder.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adds connectors, state and syncs; optional.</param>
    /// <returns>The builder, to add connectors, state and syncs.</returns>
    public static IIntegrationsBuilder AddIntegrations(this IServiceCollection services, Action<IIntegrationsBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.FirstOrDefault(d => d.ServiceType == typeof(IntegrationsBuilder))?.ImplementationInstance as IntegrationsBuilder;
        if (builder is null)
        {
            builder = new IntegrationsBuilder(services);
            services.AddSingleton(builder);
            AddCore(services);
        }

        configure?.Invoke(builder);
        return builder;
    }

    /// <summary>Declares a sync: where records come from, their key, filter, mapping and named steps.</summary>
    /// <typeparam name="TSource">The type of the records read or received.</typeparam>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="name">The sync's unique name; it keys the step memo, checkpoints and dead letters, so keep it stable.</param>
    /// <param name="configure">Declares the sync.</param>
    /// <exception cref="InvalidOperationException">The name is taken, the sync lacks a key, a source or steps, or it has a schedule but no source to read.</exception>
    public static IIntegrationsBuilder AddSync<TSource>(this IIntegrationsBuilder builder, string name, Action<SyncBuilder<TSource>> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        if (builder.Services.Any(d => d.ImplementationInstance is SyncRegistration r && r.Name == name))
        {
            throw new InvalidOperationException($"A sync named '{name}' is already registered.");
        }

        var sync = new SyncBuilder<TSource>(name);
        configure(sync);
        sync.Definition.Validate();
        builder.Services.AddSingleton(new SyncRegistration(name, sync.Definition.PipelineFactory!) { RecordType = typeof(TSource) });
        return builder;
    }

    /// <summary>Uses in-memory state (the default): for tests and short jobs; everything is lost with the process.</summary>
    /// <param name="builder">The integrations builder.</param>
    public static IIntegrationsBuilder UseInMemoryState(this IIntegrationsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IStepMemoStore, InMemoryStepMemoStore>());
        builder.Services.Replace(ServiceDescriptor.Singleton<ICheckpointStore, InMemoryCheckpointStore>());
        builder.Services.Replace(ServiceDescriptor.Singleton<IDeadLetterStore, InMemoryDeadLetterStore>());
        builder.Services.Replace(ServiceDescriptor.Singleton<ITokenStore, InMemoryTokenStore>());
        builder.Services.Replace(ServiceDescriptor.Singleton<IRunHistoryStore, InMemoryRunHistoryStore>());
        builder.Services.Replace(ServiceDescriptor.Singleton<IWebhookInbox, InMemoryWebhookInbox>());
        builder.Services.Replace(ServiceDescriptor.Singleton<IDistributedLock, InProcessLock>());
        return builder;
    }

    private static void AddCore(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddHttpClient(OAuth2TokenManagers.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30))
            .RemoveAllLoggers();
        services.TryAddSingleton<SecretRedactor>();
        services.TryAddSingleton<IntegrationsMetrics>();
        services.TryAddSingleton<RateLimitBudgets>();
        services.TryAddSingleton<ConnectorCircuits>();
        services.TryAddSingleton<OAuth2TokenManagers>();

        services.TryAddSingleton<IStepMemoStore, InMemoryStepMemoStore>();
        services.TryAddSingleton<ICheckpointStore, InMemoryCheckpointStore>();
        services.TryAddSingleton<IDeadLetterStore, InMemoryDeadLetterStore>();
        services.TryAddSingleton<ITokenStore, InMemoryTokenStore>();
        services.TryAddSingleton<IRunHistoryStore, InMemoryRunHistoryStore>();
        services.TryAddSingleton<IWebhookInbox, InMemoryWebhookInbox>();
        services.TryAddSingleton<IDistributedLock, InProcessLock>();

        services.TryAddSingleton(sp => new SyncEngine(
            sp,
            sp.GetRequiredService<IStepMemoStore>(),
            sp.GetRequiredService<ICheckpointStore>(),
            sp.GetRequiredService<IDeadLetterStore>(),
            sp.GetRequiredService<IRunHistoryStore>(),
            sp.GetRequiredService<IDistributedLock>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IntegrationsMetrics>(),
            sp.GetRequiredService<SecretRedactor>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton<WebhookReceiver>();
        services.AddOptions<WebhookOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>());
        IntegrationsStartupValidator.Register(services); // after ValidateOnStart, which registers the validator it wraps

        services.TryAddSingleton<SyncRunner>();
        services.TryAddSingleton<ISyncRunner>(sp => sp.GetRequiredService<SyncRunner>());
        services.TryAddSingleton<SyncScheduler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SyncScheduler>(sp => sp.GetRequiredService<SyncScheduler>()));
        services.AddHealthChecks()
            .AddCheck<ConnectorCircuitsHealthCheck>("integrations-connectors", tags: ["integrations"])
            .AddCheck<SyncRunsHealthCheck>("integrations-syncs", tags: ["integrations"]);
    }

    private sealed class IntegrationsBuilder(IServiceCollection services) : IIntegrationsBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
