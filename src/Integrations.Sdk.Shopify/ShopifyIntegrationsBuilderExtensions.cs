using System.Text.Json;
using Integrations.Sdk;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Shopify;
using Integrations.Sdk.Shopify.GraphQl;
using Integrations.Sdk.Shopify.Internal;
using Integrations.Sdk.Transport;
using Integrations.Sdk.Transport.Auth;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Refit;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Shopify connector: <c>services.AddIntegrations().AddShopify(o =&gt; ...)</c>.</summary>
public static class ShopifyIntegrationsBuilderExtensions
{
    /// <summary>System.Text.Json with the connector's source-generated metadata, shared (its metadata cache is per instance).</summary>
    private static readonly SystemTextJsonContentSerializer Serializer =
        new(new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = ShopifyJsonContext.Default });

    /// <summary>
    /// Registers the Shopify connector for one shop: <see cref="ShopifyOptions"/> (validated at start), the GraphQL
    /// client <see cref="IShopifyGraphQl"/> behind the SDK's transport under the connector name <c>shopify</c>
    /// (<c>X-Shopify-Access-Token</c> auth, a budget of 2 requests per second and 4 in flight, slowed further by
    /// Shopify's cost signals), <see cref="ShopifyConnector"/> and <see cref="ShopifyWebhookSource"/> (also as an
    /// <see cref="IWebhookSource"/>). Tune the transport with
    /// <c>services.PostConfigure&lt;ConnectorHttpOptions&gt;("shopify", ...)</c>.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Sets the shop domain, access token and the other options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">The connector is already registered.</exception>
    public static IIntegrationsBuilder AddShopify(this IIntegrationsBuilder builder, Action<ShopifyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(ShopifyRegistration)))
        {
            throw new InvalidOperationException("The Shopify connector is already registered: call AddShopify once.");
        }

        services.AddSingleton<ShopifyRegistration>();
        services.AddOptions<ShopifyOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ShopifyOptions>, ShopifyOptionsValidator>());

        builder.AddConnectorClient<IShopifyGraphQl>(
            ShopifyDefaults.ConnectorName,
            (sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<ShopifyOptions>>().Value;
                http.BaseAddress = options.BaseAddress ?? ShopAddress(options.ShopDomain);
                http.Auth = new ApiKeyAuth(ShopifyDefaults.AccessTokenHeader, options.AccessToken);
                http.RateLimit = new RateLimitOptions
                {
                    PermitsPerWindow = ShopifyDefaults.RequestsPerSecond,
                    Window = TimeSpan.FromSeconds(1),
                    MaxConcurrency = ShopifyDefaults.MaxConcurrency,
                };
                http.Signals = new ShopifySignalReader();
            },
            _ => new RefitSettings(Serializer)); // a new RefitSettings each time: the transport sets its exception factories on it

        services.TryAddSingleton(sp => new ShopifyConnector(sp.GetRequiredService<IShopifyGraphQl>(), sp.GetRequiredService<IOptions<ShopifyOptions>>().Value));
        services.TryAddSingleton(sp => new ShopifyWebhookSource(sp.GetRequiredService<IOptions<ShopifyOptions>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookSource, ShopifyWebhookSource>(sp => sp.GetRequiredService<ShopifyWebhookSource>()));
        return builder;
    }

    /// <summary><c>https://{domain}/</c>, or nothing when the domain is unusable (the options validator names the problem).</summary>
    private static Uri? ShopAddress(string domain) =>
        !string.IsNullOrWhiteSpace(domain) && Uri.TryCreate($"https://{domain.Trim()}/", UriKind.Absolute, out var uri) ? uri : null;

    private sealed class ShopifyRegistration;
}
