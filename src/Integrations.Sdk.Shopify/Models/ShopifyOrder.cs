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

    /// <summary>
    /// The currency the customer paid in (<c>presentmentCurrencyCode</c>); the amounts documented as presentment money are in it. It differs
    /// from <see cref="CurrencyCode"/> when the customer paid in another currency than the shop's.
    /// </summary>
    [JsonPropertyName("presentmentCurrencyCode")]
    public string? PresentmentCurrencyCode { get; init; }

    /// <summary>The order's total in the presentment currency (<c>totalPriceSet.presentmentMoney.amount</c>).</summary>
    [JsonPropertyName("presentmentTotalPrice")]
    public decimal PresentmentTotalPrice { get; init; }

    /// <summary>The tax charged on the order, in the presentment currency (<c>totalTaxSet.presentmentMoney.amount</c>).</summary>
    [JsonPropertyName("totalTax")]
    public decimal TotalTax { get; init; }

    /// <summary>Whether line and shipping prices include tax (<c>taxesIncluded</c>).</summary>
    [JsonPropertyName("taxesIncluded")]
    public bool TaxesIncluded { get; init; }

    /// <summary>The order's tags.</summary>
    [JsonPropertyName("tags")]
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Where the order came from (<c>sourceName</c>), for example <c>web</c>, <c>pos</c> or an app's id; <see langword="null"/> when unknown.</summary>
    [JsonPropertyName("sourceName")]
    public string? SourceName { get; init; }

    /// <summary>The discount codes applied to the order (<c>discountCodes</c>).</summary>
    [JsonPropertyName("discountCodes")]
    public IReadOnlyList<string> DiscountCodes { get; init; } = [];

    /// <summary>The shipping lines, amounts in the presentment currency.</summary>
    [JsonPropertyName("shippingLines")]
    public IReadOnlyList<ShopifyShippingLine> ShippingLines { get; init; } = [];

    /// <summary>The refunds, oldest first, amounts in the presentment currency.</summary>
    [JsonPropertyName("refunds")]
    public IReadOnlyList<ShopifyRefund> Refunds { get; init; } = [];

    /// <summary>
    /// Why the order could not be read whole (its refunds are more than one query reads), or <see langword="null"/>.
    /// The orders source hands such an order over as a failure of its own (dead-lettered, naming the order) and reads on.
    /// </summary>
    [JsonIgnore]
    internal PlatformException? ReadProblem { get; init; }
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

    /// <summary>The line item's global id, for example <c>gid://shopify/LineItem/1001</c> (refund line items point at it).</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>The unit price before discounts in the presentment currency (<c>originalUnitPriceSet.presentmentMoney.amount</c>).</summary>
    [JsonPropertyName("presentmentUnitPrice")]
    public decimal PresentmentUnitPrice { get; init; }

    /// <summary>The product's type (<c>product.productType</c>); <see langword="null"/> when it has none or the product was deleted.</summary>
    [JsonPropertyName("productType")]
    public string? ProductType { get; init; }

    /// <summary>The discounts allocated to the whole line, in the presentment currency (the sum of <c>discountAllocations</c>).</summary>
    [JsonPropertyName("discount")]
    public decimal Discount { get; init; }

    /// <summary>The taxes charged on the line, in the presentment currency.</summary>
    [JsonPropertyName("taxLines")]
    public IReadOnlyList<ShopifyTaxLine> TaxLines { get; init; } = [];
}

/// <summary>A tax charged on a line item or a shipping line.</summary>
public sealed record ShopifyTaxLine
{
    /// <summary>The tax's name, for example <c>CA State Tax</c>.</summary>
    [JsonPropertyName("title")]
    public string? Title { get; init; }

    /// <summary>The rate as a fraction (<c>rate</c>), for example <c>0.0725</c>.</summary>
    [JsonPropertyName("rate")]
    public decimal Rate { get; init; }

    /// <summary>The tax charged, in the presentment currency (<c>priceSet.presentmentMoney.amount</c>).</summary>
    [JsonPropertyName("amount")]
    public decimal Amount { get; init; }
}

/// <summary>A shipping charge of an order, amounts in the presentment currency.</summary>
public sealed record ShopifyShippingLine
{
    /// <summary>The shipping method's title.</summary>
    [JsonPropertyName("title")]
    public string? Title { get; init; }

    /// <summary>The price before discounts (<c>originalPriceSet.presentmentMoney.amount</c>); with tax when the order's taxes are included.</summary>
    [JsonPropertyName("price")]
    public decimal Price { get; init; }

    /// <summary>The discounts allocated to the shipping (the sum of <c>discountAllocations</c>).</summary>
    [JsonPropertyName("discount")]
    public decimal Discount { get; init; }

    /// <summary>The taxes charged on the shipping.</summary>
    [JsonPropertyName("taxLines")]
    public IReadOnlyList<ShopifyTaxLine> TaxLines { get; init; } = [];
}

/// <summary>A refund of an order, amounts in the presentment currency.</summary>
public sealed record ShopifyRefund
{
    /// <summary>The refund's global id, for example <c>gid://shopify/Refund/1001</c>.</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>When the refund was created; <see langword="null"/> when Shopify does not say.</summary>
    [JsonPropertyName("createdAt")]
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The note entered with the refund, if any.</summary>
    [JsonPropertyName("note")]
    public string? Note { get; init; }

    /// <summary>The money returned in all (<c>totalRefundedSet.presentmentMoney.amount</c>).</summary>
    [JsonPropertyName("totalRefunded")]
    public decimal TotalRefunded { get; init; }

    /// <summary>The line items refunded.</summary>
    [JsonPropertyName("refundLineItems")]
    public IReadOnlyList<ShopifyRefundLineItem> RefundLineItems { get; init; } = [];

    /// <summary>The shipping refunded (the sum of <c>refundShippingLines.subtotalAmountSet</c>), on the order's price basis (with tax when taxes are included).</summary>
    [JsonPropertyName("shipping")]
    public decimal Shipping { get; init; }

    /// <summary>The tax refunded on the shipping (the sum of <c>refundShippingLines.taxAmountSet</c>).</summary>
    [JsonPropertyName("shippingTax")]
    public decimal ShippingTax { get; init; }
}

/// <summary>A line item of a refund.</summary>
public sealed record ShopifyRefundLineItem
{
    /// <summary>The refunded line item's global id.</summary>
    [JsonPropertyName("lineItemId")]
    public string? LineItemId { get; init; }

    /// <summary>The refunded line item's SKU.</summary>
    [JsonPropertyName("sku")]
    public string? Sku { get; init; }

    /// <summary>The quantity refunded.</summary>
    [JsonPropertyName("quantity")]
    public int Quantity { get; init; }

    /// <summary>How the goods were restocked (<c>restockType</c>): <c>NO_RESTOCK</c>, <c>CANCEL</c>, <c>RETURN</c> or <c>LEGACY_RESTOCK</c>.</summary>
    [JsonPropertyName("restockType")]
    public string? RestockType { get; init; }

    /// <summary>The amount refunded for the line after its discount (<c>subtotalSet.presentmentMoney.amount</c>), on the order's price basis (with tax when taxes are included).</summary>
    [JsonPropertyName("subtotal")]
    public decimal Subtotal { get; init; }

    /// <summary>The tax refunded for the line (<c>totalTaxSet.presentmentMoney.amount</c>).</summary>
    [JsonPropertyName("totalTax")]
    public decimal TotalTax { get; init; }
}
