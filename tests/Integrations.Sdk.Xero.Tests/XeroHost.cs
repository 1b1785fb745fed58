using Integrations.Sdk.Connectors;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.Xero;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.Xero.Tests;

/// <summary>Builds a service provider with the SDK and the Xero connector on a given clock.</summary>
public static class XeroHost
{
    public const string Tenant = "fe79f7dd-b6d4-4a92-ba7b-538af6289c58";

    public static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Start);

    public static ServiceProvider Build(string baseUrl, TimeProvider time, Action<XeroOptions>? configure = null, Action<ConnectorHttpOptions>? tune = null) =>
        Build(time, o =>
        {
            o.TenantId = Tenant;
            o.ClientId = "client-id";
            o.ClientSecret = "client-secret-value";
            o.BaseAddress = new Uri(baseUrl);
            o.TokenEndpoint = new Uri(baseUrl.TrimEnd('/') + "/connect/token");
            configure?.Invoke(o);
        }, tune);

    public static ServiceProvider Build(XeroSimulator simulator, TimeProvider time, Action<ConnectorHttpOptions>? tune = null, Action<XeroOptions>? configure = null) =>
        Build(time, o =>
        {
            o.TenantId = simulator.TenantId;
            o.ClientId = simulator.ClientId;
            o.ClientSecret = simulator.ClientSecret;
            o.BaseAddress = simulator.BaseAddress;
            o.TokenEndpoint = simulator.TokenEndpoint;
            o.WebhookKey = simulator.WebhookKey;
            o.InitialRefreshToken = simulator.IssueRefreshToken();
            configure?.Invoke(o);
        }, tune);

    public static ServiceProvider Build(TimeProvider time, Action<XeroOptions> configure, Action<ConnectorHttpOptions>? tune = null) =>
        IntegrationsTestHost.Build(time, i => i.AddXero(configure), services => services
            .AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = false)
            .RetryWithoutDelay(XeroConnector.ConnectorName, tune));

    public static WriteContext Write(string recordKey = "shop:order:1001", string step = "invoice", int attempt = 1) =>
        IntegrationsTestHost.Write("orders-to-xero", recordKey, step, attempt);
}
