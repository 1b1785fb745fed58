using Integrations.Sdk.Stores;
using Integrations.Sdk.Transport.Auth;
using Integrations.Sdk.WooCommerce;
using Integrations.Sdk.WooCommerce.Internal;
using Integrations.Sdk.WooCommerce.Webhooks;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the WooCommerce connector: <c>services.AddIntegrations().AddWooCommerce(o =&gt; ...)</c>.</summary>
public static class WooCommerceIntegrationsBuilderExtensions
{
    /// <summary>Registers <see cref="WooCommerceOptions"/> (validated at start), the client, <see cref="WooCommerceConnector"/> (also as the keyed <see cref="IStoreConnector"/> <c>woocommerce</c>) and <see cref="WooCommerceWebhookSource"/>.</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Fills the options.</param>
    /// <exception cref="InvalidOperationException">WooCommerce is already registered.</exception>
    public static IIntegrationsBuilder AddWooCommerce(this IIntegrationsBuilder builder, Action<WooCommerceOptions> configure) =>
        Define(builder.AddConnector(WooCommerceConnector.ConnectorName, "WooCommerce", configure));

    /// <summary>Registers the WooCommerce connector with options bound from configuration.</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="section">The configuration section, for example <c>Integrations:WooCommerce</c>.</param>
    /// <exception cref="InvalidOperationException">WooCommerce is already registered.</exception>
    public static IIntegrationsBuilder AddWooCommerce(this IIntegrationsBuilder builder, IConfiguration section) =>
        Define(builder.AddConnector<WooCommerceOptions>(WooCommerceConnector.ConnectorName, "WooCommerce", section));

    private static IIntegrationsBuilder Define(ConnectorDefinition<WooCommerceOptions> woo)
    {
        var builder = Configure(woo);
        builder.Services.AddKeyedSingleton<IStoreConnector>(WooCommerceConnector.ConnectorName, (sp, _) => sp.GetRequiredService<WooCommerceConnector>());
        return builder;
    }

    private static IIntegrationsBuilder Configure(ConnectorDefinition<WooCommerceOptions> woo) => woo
        .Validate(o => o.Validate())
        .Secrets(o => [o.ConsumerSecret, o.WebhookSecret])
        .Client<IWooCommerceApi>((o, http) =>
        {
            http.BaseAddress = o.StoreUrl!;
            http.Auth = o.CredentialsInQueryString
                ? new QueryParameterAuth(("consumer_key", o.ConsumerKey), ("consumer_secret", o.ConsumerSecret))
                : new BasicAuth(o.ConsumerKey, o.ConsumerSecret);
        })
        .Connector(c => new WooCommerceConnector(c.Api<IWooCommerceApi>(), c.Options))
        .Webhooks(c => new WooCommerceWebhookSource(c.OptionsAccessor))
        .Builder;
}
