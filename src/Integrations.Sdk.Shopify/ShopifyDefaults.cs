namespace Integrations.Sdk.Shopify;

/// <summary>Names and defaults of the Shopify connector.</summary>
public static class ShopifyDefaults
{
    /// <summary>The connector's name: it names its HTTP options, budgets, telemetry and webhook source.</summary>
    public const string ConnectorName = "shopify";

    /// <summary>The header that carries the Admin API access token.</summary>
    public const string AccessTokenHeader = "X-Shopify-Access-Token";

    /// <summary>Requests per second of the default budget; Shopify's cost signals slow it further when needed.</summary>
    public const int RequestsPerSecond = 2;

    /// <summary>Requests in flight at once per shop.</summary>
    public const int MaxConcurrency = 4;
}
