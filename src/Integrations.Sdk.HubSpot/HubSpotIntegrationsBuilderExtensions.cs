using Integrations.Sdk;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.HubSpot;
using Integrations.Sdk.HubSpot.Internal;
using Integrations.Sdk.Telemetry;
using Integrations.Sdk.Transport;
using Integrations.Sdk.Transport.Auth;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the HubSpot CRM connector: <c>services.AddIntegrations().AddHubSpot(o =&gt; ...)</c>.</summary>
public static class HubSpotIntegrationsBuilderExtensions
{
    /// <summary>The requests HubSpot allows a private app per <see cref="BudgetWindow"/> (Professional and Enterprise).</summary>
    public const int RequestsPerWindow = 190;

    /// <summary>HubSpot's burst window.</summary>
    public static readonly TimeSpan BudgetWindow = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Registers the HubSpot connector for one portal: its options (validated at start, naming the setting at fault),
    /// its HTTP client behind the SDK's transport (<c>Authorization: Bearer</c> with the private app's token; a budget
    /// of 190 requests per 10 seconds, corrected by <c>X-HubSpot-RateLimit-*</c>; 429 honours <c>Retry-After</c>;
    /// the <see cref="HubSpotSignalReader"/>), the <see cref="HubSpotConnector"/> and the
    /// <see cref="HubSpotWebhookSource"/> (also as an <see cref="IWebhookSource"/>). Tune the transport with
    /// <c>services.PostConfigure&lt;ConnectorHttpOptions&gt;("hubspot", ...)</c>.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Fills the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">HubSpot is already registered.</exception>
    public static IIntegrationsBuilder AddHubSpot(this IIntegrationsBuilder builder, Action<HubSpotOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(HubSpotConnector)))
        {
            throw new InvalidOperationException("HubSpot is already registered: call AddHubSpot once.");
        }

        services.AddOptions<HubSpotOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HubSpotOptions>, HubSpotOptionsValidator>());

        builder.AddConnectorClient<IHubSpotApi>(
            HubSpotConnector.ConnectorName,
            (sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<HubSpotOptions>>().Value;
                http.BaseAddress = options.ResolveBaseAddress();
                http.Auth = new ApiKeyAuth("Authorization", options.AccessToken, "Bearer ");
                http.RateLimit = new RateLimitOptions { PermitsPerWindow = RequestsPerWindow, Window = BudgetWindow };
                http.Signals = new HubSpotSignalReader();
            },
            _ => HubSpotJson.CreateRefitSettings());

        services.AddSingleton(sp => new HubSpotConnector(() => sp.GetRequiredService<IHubSpotApi>()));
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<HubSpotOptions>>();
            sp.GetRequiredService<SecretRedactor>().Register(options.Value.ClientSecret);
            return new HubSpotWebhookSource(options, sp.GetService<TimeProvider>());
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookSource, HubSpotWebhookSource>(sp => sp.GetRequiredService<HubSpotWebhookSource>()));
        return builder;
    }
}
