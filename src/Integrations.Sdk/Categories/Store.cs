using Integrations.Sdk.Connectors;
using System.Text.Json.Serialization;

namespace Integrations.Sdk.Stores;

/// <summary>
/// A web store (Shopify, WooCommerce...) seen through the store category model: orders with their lines, taxes,
/// shipping, discounts and refunds, customers and stock by SKU. Each store connector implements it beside its own
/// typed API, which stays reachable for what the model lacks. Resolve one with
/// <c>services.GetRequiredKeyedService&lt;IStoreConnector&gt;("shopify")</c> (the connector's name).
/// </summary>
public interface IStoreConnector
{
    /// <summary>The platform's connector name, for example <c>shopify</c> or <c>woocommerce</c>.</summary>
    string Platform { get; }

    /// <summary>
    /// The store's orders, oldest change first, resumable from a checkpoint: an order is read again whenever it changes
    /// (a refund, a payment), with its refunds so far.
    /// </summary>
    IRecordSource<StoreOrder> Orders { get; }

    /// <summary>Returns one order, or <see langword="null"/> when the store has none with this id.</summary>
    /// <param name="orderId">The order's id, as in <see cref="StoreOrder.Id"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<StoreOrder?> GetOrderAsync(string orderId, CancellationToken cancellationToken = default);

    /// <summary>Returns the customer with this email, or <see langword="null"/>.</summary>
    /// <param name="email">The email address.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    Task<StoreCustomer?> FindCustomerByEmailAsync(string email, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns the quantity of a SKU the store can sell (over all its locations), or <see langword="null"/> when no
    /// product has this SKU or the store does not track its stock.
    /// </summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    Task<decimal?> GetStockAsync(string sku, CancellationToken cancellationToken = default);
}

/// <summary>Where an order's payment stands, in the store's words mapped to one scale.</summary>
public enum StorePaymentStatus
{
    /// <summary>Not paid yet (awaiting payment, on hold, authorized but not captured).</summary>
    Pending,

    /// <summary>Paid in part.</summary>
    PartiallyPaid,

    /// <summary>Paid in full.</summary>
    Paid,

    /// <summary>Paid, then refunded in part.</summary>
    PartiallyRefunded,

    /// <summary>Paid, then refunded in full.</summary>
    Refunded,

    /// <summary>Cancelled or voided before any money was taken.</summary>
    Voided,
}

/// <summary>
/// An order in the store category model. Money is in <see cref="Currency"/> as the store charged it; line prices are
/// as listed, so they include tax when <see cref="PricesIncludeTax"/> is set.
/// </summary>
public sealed record StoreOrder
{
    /// <summary>The connector name of the store it came from, for example <c>shopify</c>.</summary>
    public required string Platform { get; init; }

    /// <summary>The store's id of the order (numeric for Shopify and WooCommerce, as text).</summary>
    public required string Id { get; init; }

    /// <summary>The order number people see, without a leading <c>#</c>, for example <c>1001</c>.</summary>
    public required string Number { get; init; }

    /// <summary>When the order was placed.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the order last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The ISO 4217 code of the currency the customer paid in.</summary>
    public required string Currency { get; init; }

    /// <summary>
    /// The store's own currency units per unit of <see cref="Currency"/> at the time of the order, when the store
    /// states it (Shopify's shop money against presentment money); <see langword="null"/> when the order is in the
    /// store's currency or the store does not say.
    /// </summary>
    public decimal? ExchangeRate { get; init; }

    /// <summary>
    /// The ISO 4217 code of the store's own currency, the one <see cref="ExchangeRate"/> is in (Shopify: the shop's
    /// currency); <see langword="null"/> when the store does not state it (WooCommerce). A planner may use
    /// <see cref="ExchangeRate"/> as a rate of its own currency only when this is that currency.
    /// </summary>
    public string? StoreCurrency { get; init; }

    /// <summary>Where the payment stands.</summary>
    public required StorePaymentStatus PaymentStatus { get; init; }

    /// <summary>Whether line and shipping prices include tax.</summary>
    public bool PricesIncludeTax { get; init; }

    /// <summary>The customer's email address on the order; <see langword="null"/> for a guest without one.</summary>
    public string? Email { get; init; }

    /// <summary>The customer, when the order has one.</summary>
    public StoreCustomer? Customer { get; init; }

    /// <summary>The product lines.</summary>
    public IReadOnlyList<StoreOrderLine> Lines { get; init; } = [];

    /// <summary>The shipping charges.</summary>
    public IReadOnlyList<StoreShippingLine> ShippingLines { get; init; } = [];

    /// <summary>The discount codes applied; their amounts are already allocated to <see cref="StoreOrderLine.Discount"/> and <see cref="StoreShippingLine.Discount"/>.</summary>
    public IReadOnlyList<StoreDiscount> Discounts { get; init; } = [];

    /// <summary>The refunds so far, oldest first.</summary>
    public IReadOnlyList<StoreRefund> Refunds { get; init; } = [];

    /// <summary>The tax charged on the whole order.</summary>
    public decimal TotalTax { get; init; }

    /// <summary>What the customer was charged in all: lines and shipping after discounts, with tax.</summary>
    public decimal Total { get; init; }

    /// <summary>Where the order was placed, for example <c>web</c>, <c>pos</c> or <c>checkout</c>; <see langword="null"/> when the store does not say.</summary>
    public string? Channel { get; init; }

    /// <summary>The order's tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>
    /// The store's own order as its connector read it (for example a <c>ShopifyOrder</c> or <c>WooOrder</c>), for what
    /// the model lacks; <see langword="null"/> after the order went through JSON (a dead letter's payload).
    /// </summary>
    [JsonIgnore]
    public object? Native { get; init; }
}

/// <summary>A customer in the store category model.</summary>
public sealed record StoreCustomer
{
    /// <summary>The store's id of the customer.</summary>
    public required string Id { get; init; }

    /// <summary>The email address.</summary>
    public string? Email { get; init; }

    /// <summary>The first name.</summary>
    public string? FirstName { get; init; }

    /// <summary>The last name.</summary>
    public string? LastName { get; init; }
}

/// <summary>A tax charged on a line or on shipping.</summary>
/// <param name="Title">The tax's name in the store, for example <c>CA State Tax</c> or <c>VAT</c>.</param>
/// <param name="Rate">The rate as a fraction, for example <c>0.2</c> for 20 %.</param>
/// <param name="Amount">The tax charged, in the order's currency.</param>
public sealed record StoreTaxLine(string Title, decimal Rate, decimal Amount);

/// <summary>A product line of an order.</summary>
public sealed record StoreOrderLine
{
    /// <summary>The store's id of the line (refund lines point at it).</summary>
    public required string Id { get; init; }

    /// <summary>The SKU; <see langword="null"/> when the product has none.</summary>
    public string? Sku { get; init; }

    /// <summary>The product's (and variant's) title.</summary>
    public required string Title { get; init; }

    /// <summary>The product type or category, for categorisation rules; <see langword="null"/> when none.</summary>
    public string? ProductType { get; init; }

    /// <summary>The quantity ordered.</summary>
    public required decimal Quantity { get; init; }

    /// <summary>The listed price of one unit, before discounts (with tax when <see cref="StoreOrder.PricesIncludeTax"/>).</summary>
    public required decimal UnitPrice { get; init; }

    /// <summary>The discount taken off the whole line (on the same basis as <see cref="UnitPrice"/>).</summary>
    public decimal Discount { get; init; }

    /// <summary>The taxes charged on the line after its discount.</summary>
    public IReadOnlyList<StoreTaxLine> Taxes { get; init; } = [];
}

/// <summary>A shipping charge of an order.</summary>
public sealed record StoreShippingLine
{
    /// <summary>The shipping method's title.</summary>
    public required string Title { get; init; }

    /// <summary>The price charged, before discounts (with tax when <see cref="StoreOrder.PricesIncludeTax"/>).</summary>
    public required decimal Amount { get; init; }

    /// <summary>The discount taken off the shipping (on the same basis as <see cref="Amount"/>).</summary>
    public decimal Discount { get; init; }

    /// <summary>The taxes charged on the shipping.</summary>
    public IReadOnlyList<StoreTaxLine> Taxes { get; init; } = [];
}

/// <summary>A discount code applied to an order.</summary>
/// <param name="Code">The code (or the automatic discount's title).</param>
/// <param name="Amount">What it took off in all, in the order's currency.</param>
public sealed record StoreDiscount(string Code, decimal Amount);

/// <summary>A refund of (part of) an order.</summary>
public sealed record StoreRefund
{
    /// <summary>The store's id of the refund.</summary>
    public required string Id { get; init; }

    /// <summary>When the refund was made.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The product lines refunded.</summary>
    public IReadOnlyList<StoreRefundLine> Lines { get; init; } = [];

    /// <summary>The shipping refunded, without tax.</summary>
    public decimal Shipping { get; init; }

    /// <summary>The tax refunded on the shipping.</summary>
    public decimal ShippingTax { get; init; }

    /// <summary>The money returned in all, with tax.</summary>
    public required decimal Amount { get; init; }

    /// <summary>Why, as entered in the store; <see langword="null"/> when not given.</summary>
    public string? Reason { get; init; }
}

/// <summary>A product line of a refund.</summary>
public sealed record StoreRefundLine
{
    /// <summary>The refunded order line's <see cref="StoreOrderLine.Id"/>.</summary>
    public required string LineId { get; init; }

    /// <summary>The SKU of the refunded line.</summary>
    public string? Sku { get; init; }

    /// <summary>The quantity refunded.</summary>
    public required decimal Quantity { get; init; }

    /// <summary>The amount refunded for the line, after its discount and without tax.</summary>
    public required decimal Subtotal { get; init; }

    /// <summary>The tax refunded for the line.</summary>
    public decimal Tax { get; init; }

    /// <summary>Whether the goods went back into stock.</summary>
    public bool Restock { get; init; }
}
