using Integrations.Sdk.Connectors;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.Stripe;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.Stripe.Tests.Support;

/// <summary>Builds a service provider with the SDK and the Stripe connector, on a given clock.</summary>
public static class StripeHost
{
    public const string ApiKey = "sk_test_51TestKeyForWireMock000000000";

    public const string WebhookSecret = "whsec_test_secret_for_unit_tests_0001";

    public static readonly DateTimeOffset Start = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Start);

    /// <summary>A provider whose connector talks to <paramref name="baseUrl"/> (WireMock).</summary>
    public static ServiceProvider Build(string baseUrl, TimeProvider time, Action<StripeOptions>? configure = null, Action<ConnectorHttpOptions>? tune = null) =>
        Build(time, o =>
        {
            o.ApiKey = ApiKey;
            o.WebhookSecret = WebhookSecret;
            o.BaseAddress = new Uri(baseUrl);
            configure?.Invoke(o);
        }, tune);

    /// <summary>A provider whose connector talks to the simulator.</summary>
    public static ServiceProvider Build(StripeSimulator simulator, TimeProvider time, Action<ConnectorHttpOptions>? tune = null, Action<IIntegrationsBuilder>? integrations = null) =>
        Build(time, o =>
        {
            o.ApiKey = simulator.ApiKey;
            o.WebhookSecret = simulator.WebhookSecret;
            o.BaseAddress = simulator.BaseAddress;
        }, tune, integrations);

    public static ServiceProvider Build(TimeProvider time, Action<StripeOptions> configure, Action<ConnectorHttpOptions>? tune = null, Action<IIntegrationsBuilder>? integrations = null) =>
        IntegrationsTestHost.Build(time, i => i.AddStripe(configure), services => services.RetryWithoutDelay(StripeConnector.ConnectorName, tune), integrations);

    /// <summary>The write context the sync runner would pass: a deterministic 40-hex idempotency key.</summary>
    public static WriteContext Write(string recordKey = "crm:account:42", string step = "metadata", int attempt = 1) =>
        IntegrationsTestHost.Write("crm-to-stripe", recordKey, step, attempt);
}
