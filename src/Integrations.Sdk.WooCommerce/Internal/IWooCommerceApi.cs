using Integrations.Sdk.WooCommerce.Models;
using Refit;

namespace Integrations.Sdk.WooCommerce.Internal;

/// <summary>
/// The WooCommerce REST API v3 endpoints the connector uses (<c>/wp-json/wc/v3/...</c>). Credentials are added by the
/// transport. List answers carry <c>X-WP-Total</c> and <c>X-WP-TotalPages</c>, hence <see cref="IApiResponse{T}"/>.
/// </summary>
[Headers("Accept: application/json")]
internal interface IWooCommerceApi
{
    [Get("/wp-json/wc/v3/orders")]
    Task<IApiResponse<List<WooOrder?>>> ListOrdersAsync(
        [AliasAs("modified_after")] string? modifiedAfter,
        [AliasAs("dates_are_gmt")] string datesAreGmt,
        [AliasAs("orderby")] string orderBy,
        [AliasAs("order")] string order,
        [AliasAs("page")] int page,
        [AliasAs("per_page")] int perPage,
        CancellationToken cancellationToken = default);

    [Get("/wp-json/wc/v3/orders/{id}")]
    Task<WooOrder> GetOrderAsync(long id, CancellationToken cancellationToken = default);

    [Get("/wp-json/wc/v3/orders/{orderId}/refunds")]
    Task<IApiResponse<List<WooRefund?>>> ListRefundsAsync(long orderId, [AliasAs("page")] int page, [AliasAs("per_page")] int perPage, CancellationToken cancellationToken = default);

    [Get("/wp-json/wc/v3/products")]
    Task<IApiResponse<List<WooProduct?>>> ListProductsAsync(
        [AliasAs("sku")] string? sku, [AliasAs("type")] string? type, [AliasAs("page")] int page, [AliasAs("per_page")] int perPage, CancellationToken cancellationToken = default);

    [Put("/wp-json/wc/v3/products/{id}")]
    Task<WooProduct> UpdateProductStockAsync(long id, [Body] WooStockBody body, CancellationToken cancellationToken = default);

    [Put("/wp-json/wc/v3/products/{productId}/variations/{id}")]
    Task<WooProductVariation> UpdateVariationStockAsync(long productId, long id, [Body] WooStockBody body, CancellationToken cancellationToken = default);

    [Get("/wp-json/wc/v3/products/{id}")]
    Task<WooProduct> GetProductAsync(long id, CancellationToken cancellationToken = default);

    [Get("/wp-json/wc/v3/products/{productId}/variations")]
    Task<IApiResponse<List<WooProductVariation?>>> ListVariationsAsync(
        long productId, [AliasAs("sku")] string? sku, [AliasAs("page")] int page, [AliasAs("per_page")] int perPage, CancellationToken cancellationToken = default);

    [Get("/wp-json/wc/v3/customers")]
    Task<IApiResponse<List<WooCustomer?>>> ListCustomersAsync(
        [AliasAs("email")] string? email, [AliasAs("role")] string role, [AliasAs("page")] int page, [AliasAs("per_page")] int perPage, CancellationToken cancellationToken = default);
}

/// <summary>The body of a stock write: stock counted, and the quantity to set.</summary>
internal sealed class WooStockBody
{
    [JsonPropertyName("manage_stock")]
    public bool ManageStock { get; init; } = true;

    [JsonPropertyName("stock_quantity")]
    public int StockQuantity { get; init; }
}
