using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integrations.Sdk.State;

/// <summary>
/// Registers a durable state provider (<c>UseSqliteState</c>, <c>UsePostgreSqlState</c>): one store instance behind
/// every store interface and, where the provider has one, one lock behind <see cref="IDistributedLock"/>.
/// </summary>
internal static class StateStoreRegistration
{
    /// <summary>
    /// Registers one <typeparamref name="TStore"/> singleton, created by <paramref name="create"/> with the clock that
    /// <see cref="ChooseClock"/> picks, and makes <see cref="IStepMemoStore"/>, <see cref="ICheckpointStore"/>,
    /// <see cref="IDeadLetterStore"/>, <see cref="ITokenStore"/>, <see cref="IRunHistoryStore"/> and
    /// <see cref="IWebhookInbox"/> resolve to it, replacing any earlier registrations of them (the in-memory defaults,
    /// an earlier call).
    /// </summary>
    /// <typeparam name="TStore">The provider's store.</typeparam>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configuredTime">The clock set in the provider's options.</param>
    /// <param name="create">Creates the store with the chosen clock; called once, on first resolve.</param>
    /// <returns>The builder, for chaining.</returns>
    internal static IIntegrationsBuilder AddStateStore<TStore>(
        this IIntegrationsBuilder builder,
        TimeProvider? configuredTime,
        Func<TimeProvider, TStore> create)
        where TStore : class, IStepMemoStore, ICheckpointStore, IDeadLetterStore, ITokenStore, IRunHistoryStore, IWebhookInbox
    {
        var services = builder.Services;
        AddSingletonWithClock(services, configuredTime, create);
        Replace<IStepMemoStore, TStore>(services);
        Replace<ICheckpointStore, TStore>(services);
        Replace<IDeadLetterStore, TStore>(services);
        Replace<ITokenStore, TStore>(services);
        Replace<IRunHistoryStore, TStore>(services);
        Replace<IWebhookInbox, TStore>(services);
        return builder;
    }

    /// <summary>
    /// Registers one <typeparamref name="TLock"/> singleton, created like the store of
    /// <see cref="AddStateStore{TStore}"/>, as the <see cref="IDistributedLock"/>, replacing any earlier registration.
    /// </summary>
    /// <typeparam name="TLock">The provider's lock.</typeparam>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configuredTime">The clock set in the provider's options.</param>
    /// <param name="create">Creates the lock with the chosen clock; called once, on first resolve.</param>
    /// <returns>The builder, for chaining.</returns>
    internal static IIntegrationsBuilder AddStateLock<TLock>(
        this IIntegrationsBuilder builder,
        TimeProvider? configuredTime,
        Func<TimeProvider, TLock> create)
        where TLock : class, IDistributedLock
    {
        AddSingletonWithClock(builder.Services, configuredTime, create);
        Replace<IDistributedLock, TLock>(builder.Services);
        return builder;
    }

    /// <summary>
    /// The clock a provider uses: the one set in its options, unless that is the system clock (the options' default),
    /// then the host's <see cref="TimeProvider"/>, or the system clock when the host registers none.
    /// </summary>
    /// <param name="configuredTime">The clock set in the provider's options.</param>
    /// <param name="provider">The host's services.</param>
    internal static TimeProvider ChooseClock(TimeProvider? configuredTime, IServiceProvider provider) =>
        configuredTime is not null && !ReferenceEquals(configuredTime, TimeProvider.System)
            ? configuredTime
            : provider.GetService<TimeProvider>() ?? TimeProvider.System;

    private static void AddSingletonWithClock<T>(IServiceCollection services, TimeProvider? configuredTime, Func<TimeProvider, T> create)
        where T : class
    {
        services.RemoveAll<T>();
        services.AddSingleton(provider => create(ChooseClock(configuredTime, provider)));
    }

    private static void Replace<TService, TImplementation>(IServiceCollection services)
        where TService : class
        where TImplementation : class, TService
    {
        services.RemoveAll<TService>();
        services.AddSingleton<TService>(static provider => provider.GetRequiredService<TImplementation>());
    }
}
