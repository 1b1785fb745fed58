namespace Integrations.Sdk.Testing.Shopify;

/// <summary>A customer of the simulated shop.</summary>
/// <param name="Id">The global id, for example <c>gid://shopify/Customer/7001</c>.</param>
/// <param name="Email">The default email address.</param>
/// <param name="FirstName">The first name.</param>
/// <param name="LastName">The last name.</param>
public sealed record SimulatedCustomer(string Id, string Email, string? FirstName, string? LastName);

/// <summary>A product variant of the simulated shop, with its inventory item.</summary>
/// <param name="Id">The variant's global id, for example <c>gid://shopify/ProductVariant/4001</c>.</param>
/// <param name="ProductId">The product's global id.</param>
/// <param name="Sku">The SKU.</param>
/// <param name="ProductTitle">The product's title (line items show it).</param>
/// <param name="Title">The variant's title.</param>
/// <param name="Price">The price.</param>
/// <param name="InventoryItemId">The inventory item's global id.</param>
public sealed record SimulatedVariant(string Id, string ProductId, string Sku, string ProductTitle, string Title, decimal Price, string InventoryItemId)
{
    /// <summary>The product's type (<c>Product.productType</c>); <see langword="null"/> shows as an empty string, as Shopify does.</summary>
    public string? ProductType { get; init; }
}

/// <summary>A line to put in a seeded order.</summary>
/// <param name="Sku">The SKU; a known variant's SKU links the line to it.</param>
/// <param name="Quantity">The quantity.</param>
/// <param name="UnitPrice">The unit price; defaults to the variant's price.</param>
public sealed record SimulatedOrderLine(string Sku, int Quantity, decimal? UnitPrice = null);

/// <summary>A line item of a simulated order.</summary>
/// <param name="Id">The line item's global id.</param>
/// <param name="Sku">The SKU.</param>
/// <param name="Title">The title.</param>
/// <param name="Quantity">The quantity.</param>
/// <param name="UnitPrice">The unit price.</param>
/// <param name="VariantId">The variant's global id, if the SKU is known.</param>
/// <param name="InventoryItemId">The variant's inventory item, if the SKU is known.</param>
public sealed record SimulatedLineItem(string Id, string? Sku, string Title, int Quantity, decimal UnitPrice, string? VariantId, string? InventoryItemId)
{
    /// <summary>The discount allocated to the whole line, in the order's presentment currency (on the price basis of <see cref="UnitPrice"/>).</summary>
    public decimal Discount { get; init; }

    /// <summary>The taxes charged on the line, in the presentment currency.</summary>
    public IReadOnlyList<SimulatedTaxLine> TaxLines { get; init; } = [];
}

/// <summary>A tax charged on a line item or a shipping line.</summary>
/// <param name="Title">The tax's name.</param>
/// <param name="Rate">The rate as a fraction.</param>
/// <param name="Amount">The tax, in the order's presentment currency.</param>
public sealed record SimulatedTaxLine(string Title, decimal Rate, decimal Amount);

/// <summary>A shipping line of a simulated order, amounts in the presentment currency.</summary>
/// <param name="Title">The shipping method's title.</param>
/// <param name="Price">The price before discounts (with tax when the order's taxes are included).</param>
/// <param name="Discount">The discount allocated to the shipping.</param>
/// <param name="TaxLines">The taxes charged on the shipping.</param>
public sealed record SimulatedShippingLine(string Title, decimal Price, decimal Discount, IReadOnlyList<SimulatedTaxLine> TaxLines);

/// <summary>A refund of a simulated order, amounts in the presentment currency, as Shopify states them.</summary>
/// <param name="Id">The refund's global id.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="Note">The note, if any.</param>
/// <param name="LineItems">The refunded line items.</param>
/// <param name="Shipping">The shipping refunded (<c>subtotalAmountSet</c>: with tax when the order's taxes are included).</param>
/// <param name="ShippingTax">The tax refunded on the shipping.</param>
/// <param name="TotalRefunded">The money returned in all.</param>
public sealed record SimulatedRefund(string Id, DateTimeOffset CreatedAt, string? Note, IReadOnlyList<SimulatedRefundLineItem> LineItems, decimal Shipping, decimal ShippingTax, decimal TotalRefunded);

/// <summary>A refunded line item.</summary>
/// <param name="Id">The refund line item's global id.</param>
/// <param name="LineItemId">The refunded line item's global id.</param>
/// <param name="Quantity">The quantity refunded.</param>
/// <param name="RestockType">Shopify's restock type: <c>RETURN</c> (back into stock) or <c>NO_RESTOCK</c>.</param>
/// <param name="Subtotal">The amount refunded for the line after its discount (<c>subtotalSet</c>: with tax when the order's taxes are included).</param>
/// <param name="Tax">The tax refunded for the line (<c>totalTaxSet</c>).</param>
public sealed record SimulatedRefundLineItem(string Id, string LineItemId, int Quantity, string RestockType, decimal Subtotal, decimal Tax);

/// <summary>An order of the simulated shop.</summary>
public sealed record SimulatedOrder
{
    /// <summary>The global id, for example <c>gid://shopify/Order/1001</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The numeric id (the REST id, used in webhooks).</summary>
    public required long LegacyId { get; init; }

    /// <summary>The name, for example <c>#1001</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The email, if any.</summary>
    public string? Email { get; init; }

    /// <summary>The customer's global id, if any.</summary>
    public string? CustomerId { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was last updated (second precision, UTC).</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The display financial status, for example <c>PAID</c>.</summary>
    public required string FinancialStatus { get; init; }

    /// <summary>The shop's currency (<c>currencyCode</c>, the <c>shopMoney</c> amounts), for example <c>USD</c>.</summary>
    public required string CurrencyCode { get; init; }

    /// <summary>The line items.</summary>
    public required IReadOnlyList<SimulatedLineItem> LineItems { get; init; }

    /// <summary>The currency the customer paid in (<c>presentmentCurrencyCode</c>), which the amounts here are in; <see langword="null"/>: <see cref="CurrencyCode"/>.</summary>
    public string? PresentmentCurrencyCode { get; init; }

    /// <summary>The shop currency's units per presentment unit: a <c>shopMoney</c> amount is the presentment amount times this, rounded to the cent. <value>Default: 1.</value></summary>
    public decimal ExchangeRate { get; init; } = 1m;

    /// <summary>Whether line and shipping prices include tax (<c>taxesIncluded</c>).</summary>
    public bool TaxesIncluded { get; init; }

    /// <summary>The tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Where it was placed (<c>sourceName</c>), for example <c>web</c> or <c>pos</c>.</summary>
    public string? SourceName { get; init; }

    /// <summary>The discount codes applied.</summary>
    public IReadOnlyList<string> DiscountCodes { get; init; } = [];

    /// <summary>The shipping lines.</summary>
    public IReadOnlyList<SimulatedShippingLine> ShippingLines { get; init; } = [];

    /// <summary>The refunds, oldest first.</summary>
    public IReadOnlyList<SimulatedRefund> Refunds { get; init; } = [];

    /// <summary>The tax charged: every line's and shipping line's tax lines.</summary>
    [JsonIgnore]
    public decimal TotalTax => LineItems.Sum(l => l.TaxLines.Sum(t => t.Amount)) + ShippingLines.Sum(s => s.TaxLines.Sum(t => t.Amount));

    /// <summary>
    /// The total in the presentment currency: lines (quantity × unit price − discount) and shipping (price − discount), plus
    /// <see cref="TotalTax"/> unless the prices include it.
    /// </summary>
    [JsonIgnore]
    public decimal TotalPrice => LineItems.Sum(l => (l.Quantity * l.UnitPrice) - l.Discount) + ShippingLines.Sum(s => s.Price - s.Discount) + (TaxesIncluded ? 0m : TotalTax);

    /// <summary>The money returned so far, in the presentment currency.</summary>
    [JsonIgnore]
    public decimal TotalRefunded => Refunds.Sum(r => r.TotalRefunded);
}

/// <summary>An inventory adjustment the simulated shop applied.</summary>
/// <param name="GroupId">The adjustment group's global id.</param>
/// <param name="IdempotencyKey">The <c>@idempotent</c> key it was applied under.</param>
/// <param name="InventoryItemId">The inventory item.</param>
/// <param name="LocationId">The location.</param>
/// <param name="Delta">The change.</param>
/// <param name="QuantityAfterChange">The available quantity after it.</param>
/// <param name="Reason">The reason code.</param>
/// <param name="AppliedAt">When it was applied (the simulator's clock).</param>
public sealed record SimulatedAdjustment(string GroupId, string IdempotencyKey, string InventoryItemId, string LocationId, int Delta, int QuantityAfterChange, string Reason, DateTimeOffset AppliedAt);
