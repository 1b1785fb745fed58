using Integrations.Sdk.Books;
using Integrations.Sdk.Xero;
using Integrations.Sdk.Xero.Internal;
using Integrations.Sdk.Xero.Webhooks;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Xero connector: <c>services.AddIntegrations().AddXero(o =&gt; ...)</c>.</summary>
public static class XeroIntegrationsBuilderExtensions
{
    /// <summary>
    /// Registers the Xero connector for one organisation: OAuth 2.0 with rotating refresh tokens, <c>xero-tenant-id</c>,
    /// Xero's per-tenant budgets (5 in flight, 60/min, 5,000/day), the <see cref="XeroConnector"/> (also as the keyed
    /// <see cref="IBooksConnector"/> <c>"xero"</c>) and the <see cref="XeroWebhookSource"/>.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Fills the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">Xero is already registered.</exception>
    public static IIntegrationsBuilder AddXero(this IIntegrationsBuilder builder, Action<XeroOptions> configure) =>
        Declare(builder.AddConnector<XeroOptions>(XeroConnector.ConnectorName, XeroConnector.DisplayName, configure));

    /// <summary>Registers the Xero connector with options bound from configuration (for example <c>Integrations:Xero</c>).</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">Xero is already registered.</exception>
    public static IIntegrationsBuilder AddXero(this IIntegrationsBuilder builder, IConfiguration section) =>
        Declare(builder.AddConnector<XeroOptions>(XeroConnector.ConnectorName, XeroConnector.DisplayName, section));

    private static IIntegrationsBuilder Declare(ConnectorDefinition<XeroOptions> connector)
    {
        var builder = connector
            .Validate(o => o.Validate())
            .Secrets(o => [o.ClientSecret, o.InitialRefreshToken, o.WebhookKey])
            .Client<IXeroApi>((o, http) => o.Configure(http), XeroJson.Options)
            .Connector(c => new XeroConnector(c.Api<IXeroApi>(), c.Options, c.Time))
            .Webhooks(c => new XeroWebhookSource(c.OptionsAccessor))
            .Builder;

        // The books category model, keyed by the connector's name: GetRequiredKeyedService<IBooksConnector>("xero").
        builder.Services.AddKeyedSingleton<IBooksConnector>(XeroConnector.ConnectorName, (sp, _) => sp.GetRequiredService<XeroConnector>());
        return builder;
    }
}
