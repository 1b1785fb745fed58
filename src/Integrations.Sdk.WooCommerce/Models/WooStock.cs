namespace Integrations.Sdk.WooCommerce.Models;

/// <summary>
/// Sets the stock of a product or of one of its variations to an absolute quantity (<see cref="WooCommerceConnector.SetStock"/>):
/// <c>PUT /products/{ProductId}</c>, or <c>PUT /products/{ProductId}/variations/{VariationId}</c> when
/// <see cref="VariationId"/> is set, with <c>{"manage_stock": true, "stock_quantity": StockQuantity}</c>.
/// </summary>
/// <param name="ProductId">The product's id (a variation's parent product).</param>
/// <param name="StockQuantity">The quantity in stock after the write (may be negative, as a store with backorders counts it).</param>
public sealed record WooStockUpdate(long ProductId, int StockQuantity)
{
    /// <summary>The variation's id, to set a variation's stock; <see langword="null"/> for the product itself.</summary>
    public long? VariationId { get; init; }
}

/// <summary>The stock of a product or variation as the store keeps it.</summary>
/// <param name="ProductId">The product's id (a variation's parent product).</param>
/// <param name="VariationId">The variation's id; <see langword="null"/> for a product.</param>
/// <param name="Sku">The SKU, if set.</param>
/// <param name="ManagesStock">Whether the store counts its stock (<c>manage_stock</c>; a variation whose parent counts it says so too).</param>
/// <param name="StockQuantity">The quantity in stock; <see langword="null"/> when the store does not count it.</param>
public sealed record WooStockLevel(long ProductId, long? VariationId, string? Sku, bool ManagesStock, int? StockQuantity);
