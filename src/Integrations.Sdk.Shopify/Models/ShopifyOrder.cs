namespace Integrations.Sdk.Shopify;

/// <summary>An order, as read from the GraphQL Admin API (or from an order webhook, mapped to the same shape).</summary>
public sealed record ShopifyOrder
{
    /// <summary>The order's global id, for example <c>gid://shopify/Order/5601234567890</c>.</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>The order's name as the merchant sees it, for example <c>#1001</c>.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>The email the order was placed with, if any.</summary>
    [JsonPropertyName("email")]
    public string? Email { get; init; }

    /// <summary>When the order was created.</summary>
    [JsonPropertyName("createdAt")]
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the order was last changed: the incremental read's watermark.</summary>
    [JsonPropertyName("updatedAt")]
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>
    /// The financial status as Shopify displays it: <c>PENDING</c>, <c>AUTHORIZED</c>, <c>PARTIALLY_PAID</c>,
    /// <c>PAID</c>, <c>PARTIALLY_REFUNDED</c>, <c>REFUNDED</c>, <c>VOIDED</c>, <c>EXPIRED</c>; <see langword="null"/> when unknown.
    /// </summary>
    [JsonPropertyName("displayFinancialStatus")]
    public string? DisplayFinancialStatus { get; init; }

    /// <summary>The shop currency the amounts are in (ISO 4217, for example <c>USD</c>).</summary>
    [JsonPropertyName("currencyCode")]
    public string? CurrencyCode { get; init; }

    /// <summary>The order's total in the shop currency (<c>totalPriceSet.shopMoney.amount</c>).</summary>
    [JsonPropertyName("totalPrice")]
    public decimal TotalPrice { get; init; }

    /// <summary>The customer, or <see langword="null"/> for a guest order without one.</summary>
    [JsonPropertyName("customer")]
    public ShopifyCustomer? Customer { get; init; }

    /// <summary>Every line item of the order.</summary>
    [JsonPropertyName("lineItems")]
    public IReadOnlyList<ShopifyLineItem> LineItems { get; init; } = [];
}

/// <summary>One line of an order.</summary>
public sealed record ShopifyLineItem
{
    /// <summary>The SKU of the variant sold, if it has one.</summary>
    [JsonPropertyName("sku")]
    public string? Sku { get; init; }

    /// <summary>The product title at the time of the order.</summary>
    [JsonPropertyName("title")]
    public string? Title { get; init; }

    /// <summary>The quantity ordered.</summary>
    [JsonPropertyName("quantity")]
    public int Quantity { get; init; }

    /// <summary>The unit price before discounts, in the shop currency (<c>originalUnitPriceSet.shopMoney.amount</c>).</summary>
    [JsonPropertyName("unitPrice")]
    public decimal UnitPrice { get; init; }

    /// <summary>The variant's global id, or <see langword="null"/> when the variant was deleted or the line is custom.</summary>
    [JsonPropertyName("variantId")]
    public string? VariantId { get; init; }

    /// <summary>The variant's inventory item id (what inventory adjustments take), when known.</summary>
    [JsonPropertyName("inventoryItemId")]
    public string? InventoryItemId { get; init; }
}
