using Integrations.Sdk;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Stripe;
using Integrations.Sdk.Stripe.Internal;
using Integrations.Sdk.Telemetry;
using Integrations.Sdk.Transport;
using Integrations.Sdk.Transport.Auth;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Stripe connector: <c>services.AddIntegrations().AddStripe(o =&gt; ...)</c>.</summary>
public static class StripeIntegrationsBuilderExtensions
{
    /// <summary>The header pinning the API version.</summary>
    public const string VersionHeader = "Stripe-Version";

    /// <summary>
    /// Registers the Stripe connector for one account: its options (validated at start, naming the setting at fault),
    /// its HTTP client behind the SDK's transport (the secret key as <c>Authorization: Bearer</c>, <c>Stripe-Version</c>
    /// pinned on every request, a budget of <see cref="StripeOptions.RequestsPerSecond"/>, <c>Idempotency-Key</c>
    /// making writes replay-safe, the <see cref="StripeSignalReader"/>), the <see cref="StripeConnector"/> and the
    /// <see cref="StripeWebhookSource"/>. Tune the transport with
    /// <c>services.PostConfigure&lt;ConnectorHttpOptions&gt;("stripe", ...)</c>.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Fills the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">Stripe is already registered.</exception>
    public static IIntegrationsBuilder AddStripe(this IIntegrationsBuilder builder, Action<StripeOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(StripeConnector)))
        {
            throw new InvalidOperationException("Stripe is already registered: call AddStripe once.");
        }

        services.AddOptions<StripeOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StripeOptions>, StripeOptionsValidator>());

        builder.AddConnectorClient<IStripeApi>(
                StripeConnector.ConnectorName,
                (sp, http) => Configure(http, sp.GetRequiredService<IOptions<StripeOptions>>().Value),
                _ => StripeJson.CreateRefitSettings())
            .ConfigureHttpClient((sp, client) =>
            {
                client.DefaultRequestHeaders.Remove(VersionHeader);
                client.DefaultRequestHeaders.Add(VersionHeader, sp.GetRequiredService<IOptions<StripeOptions>>().Value.ApiVersion);
            });

        services.AddSingleton(sp => new StripeConnector(() => sp.GetRequiredService<IStripeApi>()));
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StripeOptions>>();
            sp.GetRequiredService<SecretRedactor>().Register(options.Value.WebhookSecret);
            return new StripeWebhookSource(options, sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookSource, StripeWebhookSource>(sp => sp.GetRequiredService<StripeWebhookSource>()));
        return builder;
    }

    private static void Configure(ConnectorHttpOptions http, StripeOptions options)
    {
        http.BaseAddress = options.BaseAddress;
        http.Auth = new ApiKeyAuth("Authorization", options.ApiKey, "Bearer ");

        // Stripe: 100 requests per second in live mode, 25 in sandboxes, per account.
        http.RateLimit = new RateLimitOptions { PermitsPerWindow = options.RequestsPerSecond, Window = TimeSpan.FromSeconds(1) };
        if (!http.IdempotencyHeaders.Contains("Idempotency-Key"))
        {
            http.IdempotencyHeaders.Add("Idempotency-Key");
        }

        http.Signals = new StripeSignalReader();
    }
}
