namespace Integrations.Sdk.Shopify;

/// <summary>
/// How the Shopify connector reaches one shop: its domain, the custom app's access token, the pinned API version,
/// the webhook secret and how orders are paged. Validated when the host starts; a missing setting fails by name.
/// </summary>
public sealed class ShopifyOptions
{
    /// <summary>The largest page Shopify serves (<c>first</c> on any connection).</summary>
    public const int MaxPageSize = 250;

    /// <summary>The largest requested cost Shopify accepts for one query.</summary>
    public const int MaxQueryCost = 1000;

    /// <summary>The shop's permanent domain, for example <c>acme.myshopify.com</c> (not a custom storefront domain). Required.</summary>
    public string ShopDomain { get; set; } = string.Empty;

    /// <summary>
    /// The Admin API access token of the shop's custom app (<c>shpat_...</c>), sent as <c>X-Shopify-Access-Token</c>.
    /// Required; secret: it is redacted from logs and errors.
    /// </summary>
    public string AccessToken { get; set; } = string.Empty;

    /// <summary>
    /// The GraphQL Admin API version, pinned (Shopify releases one per quarter and supports each for a year).
    /// <value>Default: <c>2026-10</c>.</value>
    /// </summary>
    public string ApiVersion { get; set; } = "2026-10";

    /// <summary>
    /// The app's client secret, which signs webhooks (<c>X-Shopify-Hmac-Sha256</c>). Needed only to receive
    /// webhooks; secret.
    /// </summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Overrides the address requests go to (a simulator, a proxy). <value>Default: <c>https://{ShopDomain}/</c>.</value></summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// Orders per page (<c>first</c>), 1 to 250. Together with <see cref="OrderLineItemsPageSize"/> it sets the
    /// query's requested cost, which Shopify caps at 1,000 points: <c>3 + OrdersPageSize × (8 + 5 × OrderLineItemsPageSize)</c>
    /// must stay within it (checked at start). <value>Default: 25 (with 5 line items: 828 points).</value>
    /// </summary>
    public int OrdersPageSize { get; set; } = 25;

    /// <summary>
    /// Line items fetched with each order in the orders query, 1 to 250. Orders with more lines are completed with
    /// a follow-up query per order, so nothing is cut off. <value>Default: 5.</value>
    /// </summary>
    public int OrderLineItemsPageSize { get; set; } = 5;

    /// <summary>
    /// How far before the stored checkpoint an incremental read starts again, to catch orders whose
    /// <c>updated_at</c> was written late. Re-read orders are skipped by the step memo. <value>Default: 5 minutes.</value>
    /// </summary>
    public TimeSpan UpdatedAtOverlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The requested cost of one orders page with the current page sizes (Shopify's connection rule: 2 + items × item cost).</summary>
    public int OrdersQueryCost => ShopifyQueryCosts.Orders(OrdersPageSize, OrderLineItemsPageSize);

    /// <inheritdoc />
    public override string ToString() =>
        $"ShopifyOptions(ShopDomain: {ShopDomain}, ApiVersion: {ApiVersion}, AccessToken: ***, WebhookSecret: {(string.IsNullOrEmpty(WebhookSecret) ? "(none)" : "***")})";
}

/// <summary>Requested costs of the connector's queries, as Shopify computes them: objects cost 1, connections 2 plus their items.</summary>
internal static class ShopifyQueryCosts
{
    /// <summary>An order node: itself, customer, its email address, totalPriceSet, shopMoney (5), its lineItems connection (2) and pageInfo (1).</summary>
    private const int OrderNode = 8;

    /// <summary>A line item: itself, originalUnitPriceSet, shopMoney, variant and inventoryItem.</summary>
    private const int LineItemNode = 5;

    public static int Orders(int pageSize, int lineItems) => 3 + (pageSize * (OrderNode + (LineItemNode * lineItems)));

    public static int OrderLineItems(int pageSize) => 4 + (pageSize * LineItemNode);
}
