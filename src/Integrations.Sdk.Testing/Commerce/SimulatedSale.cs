namespace Integrations.Sdk.Testing.Commerce;

/// <summary>
/// A sale to seed into a simulated store (<c>ShopifySimulator.AddSale</c>, <c>WooCommerceSimulator.AddSale</c>), with
/// every amount as the shop's checkout worked it out: each store simulator shows it in its own platform's format. The
/// same sale can so be seeded into either store, for tests and samples that must behave alike on both.
/// </summary>
public sealed record SimulatedSale
{
    /// <summary>The customer's email address.</summary>
    public required string Email { get; init; }

    /// <summary>The customer's first name.</summary>
    public string? FirstName { get; init; }

    /// <summary>The customer's last name.</summary>
    public string? LastName { get; init; }

    /// <summary>The product lines.</summary>
    public required IReadOnlyList<SimulatedSaleLine> Lines { get; init; }

    /// <summary>The shipping method's title.</summary>
    public string ShippingTitle { get; init; } = "Standard shipping";

    /// <summary>The shipping charged (with tax when <see cref="PricesIncludeTax"/>); zero for none.</summary>
    public decimal Shipping { get; init; }

    /// <summary>The tax on the shipping.</summary>
    public decimal ShippingTax { get; init; }

    /// <summary>Whether prices include tax.</summary>
    public bool PricesIncludeTax { get; init; }

    /// <summary>The ISO 4217 currency the customer paid in. <value>Default: <c>USD</c>.</value></summary>
    public string Currency { get; init; } = "USD";

    /// <summary>The shop's currency units per unit of <see cref="Currency"/> (1 when the sale is in the shop's currency).</summary>
    public decimal ExchangeRate { get; init; } = 1m;

    /// <summary>The discount code, when the lines carry discounts.</summary>
    public string? DiscountCode { get; init; }

    /// <summary>
    /// Where the payment stands: <c>paid</c>, <c>pending</c> or <c>cancelled</c> (refunds are added with the store
    /// simulator's <c>AddRefund</c>, which moves it to partially refunded or refunded).
    /// </summary>
    public string Status { get; init; } = "paid";

    /// <summary>When the order was placed.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The order's tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Where it was sold: <c>web</c> or <c>pos</c>.</summary>
    public string Channel { get; init; } = "web";
}

/// <summary>A product line of a <see cref="SimulatedSale"/>.</summary>
/// <param name="Sku">The SKU (the product must exist in the simulated store).</param>
/// <param name="Quantity">The quantity.</param>
/// <param name="UnitPrice">The listed unit price (with tax when the sale's prices include tax).</param>
/// <param name="Discount">The discount taken off the line, on the same basis.</param>
/// <param name="Tax">The tax charged on the line after its discount.</param>
/// <param name="TaxRate">The tax rate as a fraction, for example 0.0725.</param>
/// <param name="TaxTitle">The tax's name, for example <c>CA State Tax</c>.</param>
public sealed record SimulatedSaleLine(string Sku, int Quantity, decimal UnitPrice, decimal Discount = 0, decimal Tax = 0, decimal TaxRate = 0, string TaxTitle = "Sales tax");

/// <summary>A refund of a <see cref="SimulatedSale"/>, added to the order with the store simulator's <c>AddRefund</c>.</summary>
public sealed record SimulatedSaleRefund
{
    /// <summary>The lines refunded.</summary>
    public IReadOnlyList<SimulatedSaleRefundLine> Lines { get; init; } = [];

    /// <summary>The shipping refunded, without tax.</summary>
    public decimal Shipping { get; init; }

    /// <summary>The tax refunded on the shipping.</summary>
    public decimal ShippingTax { get; init; }

    /// <summary>Why.</summary>
    public string? Reason { get; init; }

    /// <summary>When.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A line of a <see cref="SimulatedSaleRefund"/>.</summary>
/// <param name="Sku">The SKU of the order line refunded.</param>
/// <param name="Quantity">The quantity refunded.</param>
/// <param name="Subtotal">The amount refunded for the line, after its discount and without tax.</param>
/// <param name="Tax">The tax refunded for the line.</param>
/// <param name="Restock">Whether the goods go back into stock (the simulated store's stock rises by <paramref name="Quantity"/>).</param>
public sealed record SimulatedSaleRefundLine(string Sku, int Quantity, decimal Subtotal, decimal Tax, bool Restock);
