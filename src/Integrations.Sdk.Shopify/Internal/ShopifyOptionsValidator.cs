using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Integrations.Sdk.Shopify.Internal;

/// <summary>Checks <see cref="ShopifyOptions"/> at start; every message names the setting at fault.</summary>
internal sealed partial class ShopifyOptionsValidator : IValidateOptions<ShopifyOptions>
{
    public ValidateOptionsResult Validate(string? name, ShopifyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ShopDomain))
        {
            errors.Add($"Shopify: {nameof(ShopifyOptions.ShopDomain)} is required (the shop's myshopify.com domain, for example acme.myshopify.com).");
        }
        else if (options.ShopDomain.Contains("://", StringComparison.Ordinal) || options.ShopDomain.Contains('/', StringComparison.Ordinal)
            || Uri.CheckHostName(options.ShopDomain) == UriHostNameType.Unknown)
        {
            errors.Add($"Shopify: {nameof(ShopifyOptions.ShopDomain)} '{options.ShopDomain}' must be a bare host name such as acme.myshopify.com (no scheme, no path).");
        }

        if (string.IsNullOrWhiteSpace(options.AccessToken))
        {
            errors.Add($"Shopify: {nameof(ShopifyOptions.AccessToken)} is required (the custom app's Admin API access token, sent as X-Shopify-Access-Token).");
        }

        if (string.IsNullOrWhiteSpace(options.ApiVersion) || !ApiVersionPattern().IsMatch(options.ApiVersion))
        {
            errors.Add($"Shopify: {nameof(ShopifyOptions.ApiVersion)} '{options.ApiVersion}' must be a quarterly version such as 2026-10 (YYYY-01, -04, -07 or -10) or 'unstable'.");
        }

        if (options.BaseAddress is { IsAbsoluteUri: false })
        {
            errors.Add($"Shopify: {nameof(ShopifyOptions.BaseAddress)} must be an absolute URI.");
        }

        if (options.OrdersPageSize is < 1 or > ShopifyOptions.MaxPageSize)
        {
            errors.Add($"Shopify: {nameof(ShopifyOptions.OrdersPageSize)} must be between 1 and {ShopifyOptions.MaxPageSize}.");
        }

        if (options.OrderLineItemsPageSize is < 1 or > ShopifyOptions.MaxPageSize)
        {
            errors.Add($"Shopify: {nameof(ShopifyOptions.OrderLineItemsPageSize)} must be between 1 and {ShopifyOptions.MaxPageSize}.");
        }
        else if (options.OrdersPageSize is >= 1 and <= ShopifyOptions.MaxPageSize && options.OrdersQueryCost > ShopifyOptions.MaxQueryCost)
        {
            errors.Add($"Shopify: {nameof(ShopifyOptions.OrdersPageSize)} {options.OrdersPageSize} with {nameof(ShopifyOptions.OrderLineItemsPageSize)} "
                + $"{options.OrderLineItemsPageSize} makes an orders query cost {options.OrdersQueryCost} points; Shopify refuses queries above "
                + $"{ShopifyOptions.MaxQueryCost}. Lower one of them.");
        }

        if (options.UpdatedAtOverlap < TimeSpan.Zero)
        {
            errors.Add($"Shopify: {nameof(ShopifyOptions.UpdatedAtOverlap)} must not be negative.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex(@"^(\d{4}-(01|04|07|10)|unstable)$", RegexOptions.CultureInvariant)]
    private static partial Regex ApiVersionPattern();
}
