using Integrations.Sdk.Pipelines;
using Integrations.Sdk.Testing.Conformance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.Testing;

/// <summary>
/// Builds the service provider of a test: the SDK with its connectors, typically pointed at simulators, on the
/// test's clock, with logging down to Trace. Each connector package's tests keep a thin builder on top that fills
/// the connector's options from its simulator. Every request a connector sends is checked against its platform's
/// published spec (<see cref="ConformanceRecording.AddConformanceRecording"/>, in <see cref="ConformanceMode.Enforce"/>):
/// disposing the provider fails the test when one broke it.
/// </summary>
/// <example>
/// <code>
/// await using var stripe = new StripeSimulator();
/// await stripe.StartAsync();
/// await using var provider = IntegrationsTestHost.Build(TimeProvider.System, integrations => integrations.AddStripe(o =>
/// {
///     o.ApiKey = stripe.ApiKey;
///     o.BaseAddress = stripe.BaseAddress;
/// }));
/// </code>
/// </example>
public static class IntegrationsTestHost
{
    /// <summary>
    /// Builds a provider with the SDK, the connectors <paramref name="connectors"/> adds, and <paramref name="time"/> as
    /// the clock, checking the connectors' requests against the platforms' specs in <see cref="ConformanceMode.Enforce"/>:
    /// disposing the provider throws a <see cref="ConformanceException"/> when a request broke one. A test that sends a
    /// bad request on purpose calls <c>services.AddConformanceRecording(o =&gt; o.Mode = ConformanceMode.Record)</c> in
    /// <paramref name="services"/> and asserts on the provider's <see cref="ConformanceRecorder"/>.
    /// </summary>
    /// <param name="time">The clock every component reads (a <c>FakeTimeProvider</c> in most tests).</param>
    /// <param name="connectors">Adds the connectors and syncs to the SDK's builder.</param>
    /// <param name="services">Adds or replaces services before the SDK is added (fake logging, stores, conformance settings).</param>
    /// <param name="integrations">Adds more to the SDK's builder after the connectors (a test's syncs, stores); optional.</param>
    /// <returns>The provider, validated on build (scopes included).</returns>
    public static ServiceProvider Build(TimeProvider time, Action<IIntegrationsBuilder> connectors, Action<IServiceCollection>? services = null, Action<IIntegrationsBuilder>? integrations = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(connectors);
        var collection = new ServiceCollection();
        collection.AddSingleton(time);
        collection.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace));
        collection.AddConformanceRecording();
        services?.Invoke(collection);
        var builder = collection.AddIntegrations();
        connectors(builder);
        integrations?.Invoke(builder);
        var provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        // Made first, the recorder is disposed last: its failure does not keep the other services from being disposed.
        provider.GetRequiredService<ConformanceRecorder>();
        return provider;
    }

    /// <summary>
    /// Makes a connector's transport retry without waiting (<see cref="ConnectorHttpOptions.RetryBaseDelay"/> zero),
    /// then applies <paramref name="tune"/>: tests on a fake clock would otherwise wait for time that never passes.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="connectorName">The connector's name (its HTTP client's name).</param>
    /// <param name="tune">Further transport settings; optional.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection RetryWithoutDelay(this IServiceCollection services, string connectorName, Action<ConnectorHttpOptions>? tune = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectorName);
        return services.PostConfigure<ConnectorHttpOptions>(connectorName, o =>
        {
            o.RetryBaseDelay = TimeSpan.Zero;
            tune?.Invoke(o);
        });
    }

    /// <summary>The write context the sync runner would pass for a first attempt's write: a deterministic idempotency key.</summary>
    /// <param name="sync">The sync's name.</param>
    /// <param name="recordKey">The record's key.</param>
    /// <param name="step">The step's name.</param>
    /// <param name="attempt">The attempt, from 1.</param>
    /// <param name="previousAttemptAmbiguous">Whether the previous attempt ended without knowing if it applied.</param>
    /// <returns>The write context.</returns>
    public static WriteContext Write(string sync, string recordKey, string step, int attempt = 1, bool previousAttemptAmbiguous = false) =>
        new(sync, recordKey, step, IdempotencyKeys.Derive(sync, recordKey, step, 0), attempt, previousAttemptAmbiguous);

    /// <summary>Waits, bounded, for a condition that other threads make true (a webhook processed, a request in flight), without sleeping on a fixed delay.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="what">What is awaited, for the timeout's message.</param>
    /// <param name="timeout">How long at most. <value>Default: 10 seconds.</value></param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="TimeoutException">The condition did not become true in time.</exception>
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = Environment.TickCount64 + (long)(timeout ?? TimeSpan.FromSeconds(10)).TotalMilliseconds;
        while (!condition())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }

            await Task.Yield();
        }
    }

    /// <summary>
    /// Waits until the webhook inbox holds nothing pending or in processing: every event the endpoint accepted so far
    /// has been processed (completed, or set aside as an inbox dead letter). Call it after delivering webhooks, before
    /// asserting on what their processing did.
    /// </summary>
    /// <param name="inbox">The application's inbox (<c>services.GetRequiredService&lt;IWebhookInbox&gt;()</c>).</param>
    /// <param name="timeout">How long at most, in real time. <value>Default: 30 seconds.</value></param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="TimeoutException">Events were still pending or in processing when the time was up.</exception>
    public static async Task UntilInboxDrainedAsync(IWebhookInbox inbox, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(limit);
        InboxCounts counts = default;
        try
        {
            while ((counts = await inbox.CountAsync(bounded.Token).ConfigureAwait(false)) is { Pending: > 0 } or { Processing: > 0 })
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), bounded.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The webhook inbox was not drained within {limit}: {counts.Pending} pending, {counts.Processing} in processing.");
        }
    }
}
