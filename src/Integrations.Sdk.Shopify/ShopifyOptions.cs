using System.Text.RegularExpressions;

namespace Integrations.Sdk.Shopify;

/// <summary>
/// How the Shopify connector reaches one shop: its domain, the custom app's access token, the pinned API version,
/// the webhook secret and how orders are paged. Validated when the host starts; a missing setting fails by name.
/// </summary>
public sealed partial class ShopifyOptions
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

    /// <summary>
    /// The requested cost of one orders page with the current page sizes, by Shopify's rule (objects 1, connections 2
    /// plus their items): an order is 8 points (itself, customer, email, totalPriceSet, shopMoney, lineItems 2,
    /// pageInfo), a line item 5 (itself, originalUnitPriceSet, shopMoney, variant, inventoryItem), the page 3.
    /// </summary>
    public int OrdersQueryCost => 3 + (OrdersPageSize * (8 + (5 * OrderLineItemsPageSize)));

    /// <inheritdoc />
    public override string ToString() =>
        $"ShopifyOptions(ShopDomain: {ShopDomain}, ApiVersion: {ApiVersion}, AccessToken: ***, WebhookSecret: {(string.IsNullOrEmpty(WebhookSecret) ? "(none)" : "***")})";

    /// <summary>The problems of these options, each naming the setting at fault.</summary>
    internal IEnumerable<string> Validate() => new (bool Fails, string Message)[]
    {
        (string.IsNullOrWhiteSpace(ShopDomain), $"{nameof(ShopDomain)} is required (the shop's myshopify.com domain, for example acme.myshopify.com)."),
        (!string.IsNullOrWhiteSpace(ShopDomain) && (ShopDomain.Contains('/', StringComparison.Ordinal) || Uri.CheckHostName(ShopDomain) == UriHostNameType.Unknown),
            $"{nameof(ShopDomain)} '{ShopDomain}' must be a bare host name such as acme.myshopify.com (no scheme, no path)."),
        (string.IsNullOrWhiteSpace(AccessToken), $"{nameof(AccessToken)} is required (the custom app's Admin API access token, sent as X-Shopify-Access-Token)."),
        (ApiVersion is null || !ApiVersionPattern().IsMatch(ApiVersion),
            $"{nameof(ApiVersion)} '{ApiVersion}' must be a quarterly version such as 2026-10 (YYYY-01, -04, -07 or -10) or 'unstable'."),
        (BaseAddress is { IsAbsoluteUri: false }, $"{nameof(BaseAddress)} must be an absolute URI."),
        (OrdersPageSize is < 1 or > MaxPageSize, $"{nameof(OrdersPageSize)} must be between 1 and {MaxPageSize}."),
        (OrderLineItemsPageSize is < 1 or > MaxPageSize, $"{nameof(OrderLineItemsPageSize)} must be between 1 and {MaxPageSize}."),
        (OrdersPageSize is >= 1 and <= MaxPageSize && OrderLineItemsPageSize is >= 1 and <= MaxPageSize && OrdersQueryCost > MaxQueryCost,
            $"{nameof(OrdersPageSize)} {OrdersPageSize} with {nameof(OrderLineItemsPageSize)} {OrderLineItemsPageSize} makes an orders query cost "
            + $"{OrdersQueryCost} points; Shopify refuses queries above {MaxQueryCost}. Lower one of them."),
        (UpdatedAtOverlap < TimeSpan.Zero, $"{nameof(UpdatedAtOverlap)} must not be negative."),
    }.Where(c => c.Fails).Select(c => "Shopify: " + c.Message);

    [GeneratedRegex(@"^(\d{4}-(01|04|07|10)|unstable)$", RegexOptions.CultureInvariant)]
    private static partial Regex ApiVersionPattern();
}
