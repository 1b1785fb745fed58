using System.Text.RegularExpressions;

namespace Integrations.Sdk.Shopify;

/// <summary>How the Shopify connector reaches one shop and pages its orders; validated when the host starts, each problem named.</summary>
public sealed partial class ShopifyOptions
{
    /// <summary>The largest page Shopify serves (<c>first</c> on any connection).</summary>
    public const int MaxPageSize = 250;

    /// <summary>The largest requested cost Shopify accepts for one query.</summary>
    public const int MaxQueryCost = 1000;

    /// <summary>The shop's permanent domain, for example <c>acme.myshopify.com</c> (not a custom storefront domain). Required.</summary>
    public string ShopDomain { get; set; } = string.Empty;

    /// <summary>The custom app's Admin API access token (<c>shpat_...</c>), sent as <c>X-Shopify-Access-Token</c>. Required; secret (redacted).</summary>
    public string AccessToken { get; set; } = string.Empty;

    /// <summary>The pinned GraphQL Admin API version (one per quarter, each supported a year). <value>Default: <c>2026-10</c>.</value></summary>
    public string ApiVersion { get; set; } = "2026-10";

    /// <summary>The app's client secret, which signs webhooks (<c>X-Shopify-Hmac-Sha256</c>). Needed only to receive webhooks; secret.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Overrides the address requests go to (a simulator, a proxy). <value>Default: <c>https://{ShopDomain}/</c>.</value></summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// Orders per page (<c>first</c>), 1 to 250; with <see cref="OrderLineItemsPageSize"/> it must keep <see cref="OrdersQueryCost"/> within
    /// Shopify's 1,000 points (checked at start). <value>Default: 8 (with 3 line items: 851 points).</value>
    /// </summary>
    public int OrdersPageSize { get; set; } = 8;

    /// <summary>Line items fetched with each order, 1 to 250; an order with more is completed by follow-up queries. <value>Default: 3.</value></summary>
    public int OrderLineItemsPageSize { get; set; } = 3;

    /// <summary>
    /// How far before the checkpoint a resumed read starts, to catch orders whose <c>updated_at</c> was written late; the step memo skips
    /// the orders read again. <value>Default: 5 minutes.</value>
    /// </summary>
    public TimeSpan UpdatedAtOverlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The requested cost of one orders page, <c>3 + OrdersPageSize × (34 + 24 × OrderLineItemsPageSize)</c> by Shopify's rule (objects 1,
    /// connections and lists sized by <c>first</c> 2 plus their items): an order is 34 points without its lines (its money sets, customer,
    /// up to 2 shipping lines with their taxes and discounts, the refunds probe, the line items connection), a line item 24 (its price set,
    /// variant, inventory item, product, up to 4 tax lines, discount allocations).
    /// </summary>
    public int OrdersQueryCost => 3 + (OrdersPageSize * (GraphQl.ShopifyOperations.OrderCostWithoutLines + (GraphQl.ShopifyOperations.LineItemCost * OrderLineItemsPageSize)));

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
