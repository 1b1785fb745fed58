using Integrations.Sdk.Shopify;
using Integrations.Sdk.Shopify.GraphQl;
using Integrations.Sdk.Stores;
using Integrations.Sdk.Transport.Auth;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Shopify connector for one shop: 2 requests per second and 4 in flight, slowed further by the query cost.</summary>
public static class ShopifyIntegrationsBuilderExtensions
{
    /// <summary>Registers the Shopify connector with options set in code.</summary>
    public static IIntegrationsBuilder AddShopify(this IIntegrationsBuilder builder, Action<ShopifyOptions> configure) =>
        Declare(builder.AddConnector(ShopifyConnector.ConnectorName, "Shopify", configure));

    /// <summary>Registers the Shopify connector with options bound from a configuration section.</summary>
    public static IIntegrationsBuilder AddShopify(this IIntegrationsBuilder builder, IConfiguration section) =>
        Declare(builder.AddConnector<ShopifyOptions>(ShopifyConnector.ConnectorName, "Shopify", section));

    private static IIntegrationsBuilder Declare(ConnectorDefinition<ShopifyOptions> shopify)
    {
        var builder = shopify
        .Validate(o => o.Validate())
        .Secrets(o => [o.AccessToken, o.WebhookSecret])
        .Client<IShopifyGraphQl>(
            (o, http) =>
            {
                http.BaseAddress = o.BaseAddress ?? new Uri($"https://{o.ShopDomain.Trim()}/");
                http.Auth = new ApiKeyAuth("X-Shopify-Access-Token", o.AccessToken);
                http.RateLimit = new RateLimitOptions { PermitsPerWindow = 2, Window = TimeSpan.FromSeconds(1), MaxConcurrency = 4 };
                http.Signals = new ShopifySignalReader();
            },
            ShopifyJsonContext.Default.Options)
        .Connector(c => new ShopifyConnector(c.Api<IShopifyGraphQl>(), c.Options))
        .Webhooks(c => new ShopifyWebhookSource(c.OptionsAccessor, c.Time))
        .Builder;

        // The store category model, keyed by the connector's name: the same connector instance.
        builder.Services.AddKeyedSingleton<IStoreConnector>(ShopifyConnector.ConnectorName, (sp, _) => sp.GetRequiredService<ShopifyConnector>());
        return builder;
    }
}
