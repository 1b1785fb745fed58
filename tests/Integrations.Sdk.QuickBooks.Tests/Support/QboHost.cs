using Integrations.Sdk.Connectors;
using Integrations.Sdk.QuickBooks;
using Integrations.Sdk.QuickBooks.Tests.Conformance;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.QuickBooks;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.QuickBooks.Tests.Support;

/// <summary>Builds a service provider with the SDK and the QuickBooks connector, on a given clock, with captured logs.</summary>
public static class QboHost
{
    public const string Realm = "4620816365178230";

    public static readonly DateTimeOffset Start = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Start);

    /// <summary>A provider whose connector talks to <paramref name="baseUrl"/> (WireMock) as realm <see cref="Realm"/>.</summary>
    public static ServiceProvider Build(
        string baseUrl,
        TimeProvider time,
        Action<QuickBooksOptions>? configure = null,
        Action<ConnectorHttpOptions>? tune = null) =>
        Build(time, o =>
        {
            o.RealmId = Realm;
            o.ClientId = "client-id";
            o.ClientSecret = "client-secret-value";
            o.BaseAddress = new Uri(baseUrl);
            o.TokenEndpoint = new Uri(baseUrl.TrimEnd('/') + "/oauth2/v1/tokens/bearer");
            configure?.Invoke(o);
        }, tune, checkResponses: false);

    /// <summary>A provider whose connector talks to the simulator, starting from a refresh token it issued.</summary>
    public static ServiceProvider Build(
        QuickBooksSimulator simulator,
        TimeProvider time,
        Action<ConnectorHttpOptions>? tune = null,
        bool seedRefreshToken = true,
        Action<IIntegrationsBuilder>? integrations = null) =>
        Build(time, o =>
        {
            o.RealmId = simulator.RealmId;
            o.ClientId = simulator.ClientId;
            o.ClientSecret = simulator.ClientSecret;
            o.BaseAddress = simulator.BaseAddress;
            o.TokenEndpoint = simulator.TokenEndpoint;
            o.WebhookVerifierToken = simulator.WebhookVerifierToken;
            o.InitialRefreshToken = seedRefreshToken ? simulator.IssueRefreshToken() : null;
        }, tune, integrations);

    /// <summary>
    /// A provider with the connector configured by <paramref name="configure"/>. Every request its HTTP clients send (and,
    /// with <paramref name="checkResponses"/>, every answer) is checked against Intuit's XSDs; disposing the provider
    /// fails the test if one broke them (see <see cref="ConformanceGuard"/>).
    /// </summary>
    public static ServiceProvider Build(TimeProvider time, Action<QuickBooksOptions> configure, Action<ConnectorHttpOptions>? tune = null, Action<IIntegrationsBuilder>? integrations = null, bool checkResponses = true) =>
        IntegrationsTestHost.Build(time, i => i.AddQuickBooks(configure), services => services
            .AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = false)
            .RetryWithoutDelay(QuickBooksConnector.ConnectorName, tune), i =>
            {
                integrations?.Invoke(i);
                ConformanceGuard.Add(i.Services, checkResponses);
            });

    /// <summary>The write context the sync runner would pass: a deterministic 40-hex idempotency key.</summary>
    public static WriteContext Write(string recordKey = "shop:order:1001", string step = "invoice", int attempt = 1) =>
        IntegrationsTestHost.Write("orders-to-quickbooks", recordKey, step, attempt);

    /// <summary>Waits (bounded) for a condition driven by other threads, without sleeping on a fixed delay.</summary>
    public static Task Until(Func<bool> condition, string what) => IntegrationsTestHost.UntilAsync(condition, what);
}
