namespace Integrations.Sdk.Testing.Shopify;

/// <summary>The simulated shop's settings: credentials, API version and its cost-based rate limit.</summary>
public sealed class ShopifySimulatorOptions
{
    /// <summary>The shop's domain, sent in webhooks as <c>X-Shopify-Shop-Domain</c>. <value>Default: <c>simulated-shop.myshopify.com</c>.</value></summary>
    public string ShopDomain { get; set; } = "simulated-shop.myshopify.com";

    /// <summary>The access token requests must carry in <c>X-Shopify-Access-Token</c>. <value>Default: <c>shpat_simulator</c>.</value></summary>
    public string AccessToken { get; set; } = "shpat_simulator";

    /// <summary>The app's client secret, which signs webhooks. <value>Default: <c>simulator-webhook-secret</c>.</value></summary>
    public string WebhookSecret { get; set; } = "simulator-webhook-secret";

    /// <summary>The one API version served; other versions get 404. <value>Default: <c>2026-10</c>.</value></summary>
    public string ApiVersion { get; set; } = "2026-10";

    /// <summary>The shop's currency (ISO 4217): <c>shopMoney</c> amounts are in it; a sale in another currency is its presentment currency. <value>Default: <c>USD</c>.</value></summary>
    public string CurrencyCode { get; set; } = "USD";

    /// <summary>The size of the app's cost bucket, in points. <value>Default: 1000.</value></summary>
    public double MaximumAvailable { get; set; } = 1000;

    /// <summary>Points restored per second (Shopify's standard plan: 100). <value>Default: 100.</value></summary>
    public double RestoreRate { get; set; } = 100;

    /// <summary>The largest requested cost one query may have; above it the query fails with <c>MAX_COST_EXCEEDED</c>. <value>Default: 1000.</value></summary>
    public int MaxQueryCost { get; set; } = 1000;

    /// <summary>How long an <c>@idempotent</c> key is remembered; after that the same key applies again. <value>Default: 24 hours (unverified for Shopify).</value></summary>
    public TimeSpan IdempotencyKeyRetention { get; set; } = TimeSpan.FromHours(24);

    internal ShopifySimulatorOptions Clone() => (ShopifySimulatorOptions)MemberwiseClone();
}
