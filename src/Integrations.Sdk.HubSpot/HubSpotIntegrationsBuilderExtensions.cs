using Integrations.Sdk.Crm;
using Integrations.Sdk.HubSpot;
using Integrations.Sdk.HubSpot.Internal;
using Integrations.Sdk.Transport.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the HubSpot CRM connector: <c>services.AddIntegrations().AddHubSpot(o =&gt; ...)</c>.</summary>
public static class HubSpotIntegrationsBuilderExtensions
{
    /// <summary>Registers the HubSpot connector for one portal, with options filled in code.</summary>
    public static IIntegrationsBuilder AddHubSpot(this IIntegrationsBuilder builder, Action<HubSpotOptions> configure) =>
        Declare(builder.AddConnector(HubSpotConnector.ConnectorName, "HubSpot", configure));

    /// <summary>Registers the HubSpot connector for one portal, with options bound from configuration.</summary>
    public static IIntegrationsBuilder AddHubSpot(this IIntegrationsBuilder builder, IConfiguration section) =>
        Declare(builder.AddConnector<HubSpotOptions>(HubSpotConnector.ConnectorName, "HubSpot", section));

    private static IIntegrationsBuilder Declare(ConnectorDefinition<HubSpotOptions> connector) => connector
        .Validate(o => o.Validate())
        .Secrets(o => [o.AccessToken, o.ClientSecret])
        .Client<IHubSpotApi>(
            (o, http) =>
            {
                http.BaseAddress = o.ResolveBaseAddress();
                http.Auth = new ApiKeyAuth("Authorization", o.AccessToken, "Bearer ");
                http.RateLimit = new RateLimitOptions { PermitsPerWindow = HubSpotConnector.RequestsPerWindow, Window = HubSpotConnector.BudgetWindow };
                http.Signals = new HubSpotSignalReader();
            },
            PlatformJson.CamelCase)
        .Connector(c => new HubSpotConnector(c.Api<IHubSpotApi>(), c.Options.SearchIndexLag, c.Options.ExtraDealProperties, c.Time, c.Options.PrimaryContactLabel))
        .Webhooks(c => new HubSpotWebhookSource(c.OptionsAccessor, c.Time))
        .Builder
        .AlsoAsCrm();

    /// <summary>The connector is also the portal's <see cref="ICrmConnector"/>, keyed by its name.</summary>
    private static IIntegrationsBuilder AlsoAsCrm(this IIntegrationsBuilder builder)
    {
        builder.Services.TryAddKeyedSingleton<ICrmConnector>(HubSpotConnector.ConnectorName, (sp, _) => sp.GetRequiredService<HubSpotConnector>());
        return builder;
    }
}
