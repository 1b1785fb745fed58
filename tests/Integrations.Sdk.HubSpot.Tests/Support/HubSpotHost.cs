using Integrations.Sdk.Connectors;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.HubSpot;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.HubSpot.Tests.Support;

/// <summary>Builds a service provider with the SDK and the HubSpot connector, on a given clock, with captured logs.</summary>
public static class HubSpotHost
{
    public const string Token = "pat-na1-11111111-2222-3333-4444-555555555555";

    public static readonly DateTimeOffset Start = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Start);

    /// <summary>A provider whose connector talks to <paramref name="baseUrl"/> (WireMock).</summary>
    public static ServiceProvider Build(string baseUrl, TimeProvider time, Action<HubSpotOptions>? configure = null, Action<ConnectorHttpOptions>? tune = null) =>
        Build(time, o =>
        {
            o.AccessToken = Token;
            o.BaseAddress = new Uri(baseUrl);
            o.ClientSecret = "client-secret-value";
            configure?.Invoke(o);
        }, tune);

    /// <summary>A provider whose connector talks to the simulator.</summary>
    public static ServiceProvider Build(HubSpotSimulator simulator, TimeProvider time, Action<ConnectorHttpOptions>? tune = null) =>
        Build(time, o =>
        {
            o.AccessToken = simulator.AccessToken;
            o.BaseAddress = simulator.BaseAddress;
            o.ClientSecret = simulator.ClientSecret;
        }, tune);

    public static ServiceProvider Build(TimeProvider time, Action<HubSpotOptions> configure, Action<ConnectorHttpOptions>? tune = null) =>
        IntegrationsTestHost.Build(time, i => i.AddHubSpot(configure), services => services
            .AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = false)
            .RetryWithoutDelay(HubSpotConnector.ConnectorName, tune));

    /// <summary>The write context the sync runner would pass: a deterministic 40-hex idempotency key.</summary>
    public static WriteContext Write(string recordKey = "shop:order:1001", string step = "task", int attempt = 1, bool ambiguous = false) =>
        IntegrationsTestHost.Write("orders-to-hubspot", recordKey, step, attempt, ambiguous);

    /// <summary>Waits (bounded) for a condition driven by other threads, without sleeping on a fixed delay.</summary>
    public static Task Until(Func<bool> condition, string what) => IntegrationsTestHost.UntilAsync(condition, what);
}
