using Integrations.Sdk.WooCommerce.Internal;

namespace Integrations.Sdk.WooCommerce.Models;

/// <summary>
/// A WooCommerce order (REST API v3 <c>/orders</c>), typed for what a sale needs in the books: lines with SKU,
/// quantity, price and taxes, shipping, fees, coupons, refunds, currency, customer and dates. Money is read from
/// WooCommerce's decimal strings (<c>"12.50"</c>). Other fields are in <see cref="Extra"/>.
/// </summary>
public sealed class WooOrder
{
    /// <summary>The order's id.</summary>
    [JsonPropertyName("id")]
    public long Id { get; set; }

    /// <summary>The order number shown to the customer.</summary>
    [JsonPropertyName("number")]
    public string? Number { get; set; }

    /// <summary>The status: <c>pending</c>, <c>processing</c>, <c>on-hold</c>, <c>completed</c>, <c>cancelled</c>, <c>refunded</c>, <c>failed</c> or <c>trash</c>.</summary>
    [JsonPropertyName("status")]
    public string Status { get; set; } = string.Empty;

    /// <summary>Where the order was created (<c>created_via</c>): <c>checkout</c>, <c>admin</c>, <c>rest-api</c>, <c>store-api</c>, or what a plugin sets (a point of sale, for example).</summary>
    [JsonPropertyName("created_via")]
    public string? CreatedVia { get; set; }

    /// <summary>The order's currency (ISO 4217).</summary>
    [JsonPropertyName("currency")]
    public string Currency { get; set; } = string.Empty;

    /// <summary>Whether the prices included tax at checkout.</summary>
    [JsonPropertyName("prices_include_tax")]
    public bool PricesIncludeTax { get; set; }

    /// <summary>When the order was created, UTC (<c>date_created_gmt</c>).</summary>
    [JsonPropertyName("date_created_gmt")]
    [JsonConverter(typeof(GmtDateConverter))]
    public DateTimeOffset? DateCreatedGmt { get; set; }

    /// <summary>When the order was last modified, UTC (<c>date_modified_gmt</c>): the incremental read's checkpoint.</summary>
    [JsonPropertyName("date_modified_gmt")]
    [JsonConverter(typeof(GmtDateConverter))]
    public DateTimeOffset? DateModifiedGmt { get; set; }

    /// <summary>When the order was paid, UTC (<c>date_paid_gmt</c>); <see langword="null"/> when unpaid.</summary>
    [JsonPropertyName("date_paid_gmt")]
    [JsonConverter(typeof(GmtDateConverter))]
    public DateTimeOffset? DatePaidGmt { get; set; }

    /// <summary>Total discount (<c>discount_total</c>).</summary>
    [JsonPropertyName("discount_total")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal DiscountTotal { get; set; }

    /// <summary>Tax on the discount (<c>discount_tax</c>).</summary>
    [JsonPropertyName("discount_tax")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal DiscountTax { get; set; }

    /// <summary>Total shipping (<c>shipping_total</c>).</summary>
    [JsonPropertyName("shipping_total")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal ShippingTotal { get; set; }

    /// <summary>Tax on shipping (<c>shipping_tax</c>).</summary>
    [JsonPropertyName("shipping_tax")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal ShippingTax { get; set; }

    /// <summary>Tax on the line items only (<c>cart_tax</c>).</summary>
    [JsonPropertyName("cart_tax")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal CartTax { get; set; }

    /// <summary>The grand total (<c>total</c>).</summary>
    [JsonPropertyName("total")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal Total { get; set; }

    /// <summary>The sum of all taxes (<c>total_tax</c>).</summary>
    [JsonPropertyName("total_tax")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal TotalTax { get; set; }

    /// <summary>The customer's user id; 0 for a guest.</summary>
    [JsonPropertyName("customer_id")]
    public long CustomerId { get; set; }

    /// <summary>The billing address, with the customer's email.</summary>
    [JsonPropertyName("billing")]
    public WooAddress? Billing { get; set; }

    /// <summary>The shipping address.</summary>
    [JsonPropertyName("shipping")]
    public WooAddress? Shipping { get; set; }

    /// <summary>The payment method's id.</summary>
    [JsonPropertyName("payment_method")]
    public string? PaymentMethod { get; set; }

    /// <summary>The payment gateway's transaction id.</summary>
    [JsonPropertyName("transaction_id")]
    public string? TransactionId { get; set; }

    /// <summary>The products sold.</summary>
    [JsonPropertyName("line_items")]
    public List<WooLineItem> LineItems { get; set; } = [];

    /// <summary>The order's taxes by rate.</summary>
    [JsonPropertyName("tax_lines")]
    public List<WooTaxLine> TaxLines { get; set; } = [];

    /// <summary>The shipping charged.</summary>
    [JsonPropertyName("shipping_lines")]
    public List<WooShippingLine> ShippingLines { get; set; } = [];

    /// <summary>Fees charged.</summary>
    [JsonPropertyName("fee_lines")]
    public List<WooFeeLine> FeeLines { get; set; } = [];

    /// <summary>Coupons applied (discounts).</summary>
    [JsonPropertyName("coupon_lines")]
    public List<WooCouponLine> CouponLines { get; set; } = [];

    /// <summary>The order's refunds, in brief (<see cref="WooCommerceConnector.GetRefundsAsync"/> reads them in full).</summary>
    [JsonPropertyName("refunds")]
    public List<WooOrderRefundSummary> Refunds { get; set; } = [];

    /// <summary>The fields WooCommerce sent that this model does not type, by name (for example <c>Extra["meta_data"]</c>).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Extra { get; set; } = [];
}

/// <summary>A billing or shipping address.</summary>
public sealed class WooAddress
{
    /// <summary>First name.</summary>
    [JsonPropertyName("first_name")]
    public string? FirstName { get; set; }

    /// <summary>Last name.</summary>
    [JsonPropertyName("last_name")]
    public string? LastName { get; set; }

    /// <summary>Company name.</summary>
    [JsonPropertyName("company")]
    public string? Company { get; set; }

    /// <summary>Address line 1.</summary>
    [JsonPropertyName("address_1")]
    public string? Address1 { get; set; }

    /// <summary>Address line 2.</summary>
    [JsonPropertyName("address_2")]
    public string? Address2 { get; set; }

    /// <summary>City.</summary>
    [JsonPropertyName("city")]
    public string? City { get; set; }

    /// <summary>State, province or district (ISO code or name).</summary>
    [JsonPropertyName("state")]
    public string? State { get; set; }

    /// <summary>Postal code.</summary>
    [JsonPropertyName("postcode")]
    public string? Postcode { get; set; }

    /// <summary>Country (ISO 3166-1 alpha-2).</summary>
    [JsonPropertyName("country")]
    public string? Country { get; set; }

    /// <summary>Email address (billing only).</summary>
    [JsonPropertyName("email")]
    public string? Email { get; set; }

    /// <summary>Phone number.</summary>
    [JsonPropertyName("phone")]
    public string? Phone { get; set; }
}

/// <summary>A line of an order: one product or variation sold.</summary>
public sealed class WooLineItem
{
    /// <summary>The line's id.</summary>
    [JsonPropertyName("id")]
    public long Id { get; set; }

    /// <summary>The product's name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The product's id.</summary>
    [JsonPropertyName("product_id")]
    public long ProductId { get; set; }

    /// <summary>The variation's id, 0 when the product has none.</summary>
    [JsonPropertyName("variation_id")]
    public long VariationId { get; set; }

    /// <summary>The quantity ordered.</summary>
    [JsonPropertyName("quantity")]
    public int Quantity { get; set; }

    /// <summary>The product's tax class slug.</summary>
    [JsonPropertyName("tax_class")]
    public string? TaxClass { get; set; }

    /// <summary>The line's amount before discounts.</summary>
    [JsonPropertyName("subtotal")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal Subtotal { get; set; }

    /// <summary>The tax before discounts.</summary>
    [JsonPropertyName("subtotal_tax")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal SubtotalTax { get; set; }

    /// <summary>The line's amount after discounts.</summary>
    [JsonPropertyName("total")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal Total { get; set; }

    /// <summary>The tax after discounts.</summary>
    [JsonPropertyName("total_tax")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal TotalTax { get; set; }

    /// <summary>The line's taxes by rate.</summary>
    [JsonPropertyName("taxes")]
    public List<WooLineTax> Taxes { get; set; } = [];

    /// <summary>
    /// The line's meta data. WooCommerce keeps its own bookkeeping here, for example <c>_reduced_stock</c> (the quantity
    /// taken out of stock), <c>_restock_refunded_items</c> (the quantity refunds put back) and, on a refund's line,
    /// <c>_refunded_item_id</c> (the order line it refunds).
    /// </summary>
    [JsonPropertyName("meta_data")]
    public List<WooMetaData> MetaData { get; set; } = [];

    /// <summary>The product's SKU, if it has one.</summary>
    [JsonPropertyName("sku")]
    public string? Sku { get; set; }

    /// <summary>
    /// The unit price WooCommerce reports: the line's <see cref="Total"/> divided by its quantity (after discounts,
    /// without tax); negative on a refund's line.
    /// </summary>
    [JsonPropertyName("price")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal Price { get; set; }
}

/// <summary>A line's tax at one rate.</summary>
public sealed class WooLineTax
{
    /// <summary>The tax rate's id.</summary>
    [JsonPropertyName("id")]
    public long Id { get; set; }

    /// <summary>The tax after discounts.</summary>
    [JsonPropertyName("total")]
    [JsonConverter(typeof(LenientMoneyConverter))]
    public decimal Total { get; set; }

    /// <summary>The tax before discounts (WooCommerce sends <c>""</c> on shipping lines: read as 0).</summary>
    [JsonPropertyName("subtotal")]
    [JsonConverter(typeof(LenientMoneyConverter))]
    public decimal Subtotal { get; set; }
}

/// <summary>An order's tax at one rate.</summary>
public sealed class WooTaxLine
{
    /// <summary>The line's id.</summary>
    [JsonPropertyName("id")]
    public long Id { get; set; }

    /// <summary>The rate's code (for example <c>US-CA-STATE TAX</c>).</summary>
    [JsonPropertyName("rate_code")]
    public string? RateCode { get; set; }

    /// <summary>The rate's id.</summary>
    [JsonPropertyName("rate_id")]
    public long RateId { get; set; }

    /// <summary>The rate's label.</summary>
    [JsonPropertyName("label")]
    public string? Label { get; set; }

    /// <summary>Whether the rate is compound.</summary>
    [JsonPropertyName("compound")]
    public bool Compound { get; set; }

    /// <summary>The tax on the items.</summary>
    [JsonPropertyName("tax_total")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal TaxTotal { get; set; }

    /// <summary>The rate in percent (<c>rate_percent</c>, for example <c>7.25</c>); <see langword="null"/> when the store does not send it.</summary>
    [JsonPropertyName("rate_percent")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal? RatePercent { get; set; }

    /// <summary>The tax on shipping.</summary>
    [JsonPropertyName("shipping_tax_total")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal ShippingTaxTotal { get; set; }
}

/// <summary>Shipping charged on an order.</summary>
public sealed class WooShippingLine
{
    /// <summary>The line's id.</summary>
    [JsonPropertyName("id")]
    public long Id { get; set; }

    /// <summary>The shipping method's name.</summary>
    [JsonPropertyName("method_title")]
    public string? MethodTitle { get; set; }

    /// <summary>The shipping method's id.</summary>
    [JsonPropertyName("method_id")]
    public string? MethodId { get; set; }

    /// <summary>The amount after discounts.</summary>
    [JsonPropertyName("total")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal Total { get; set; }

    /// <summary>The tax on it.</summary>
    [JsonPropertyName("total_tax")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal TotalTax { get; set; }

    /// <summary>Its taxes by rate.</summary>
    [JsonPropertyName("taxes")]
    public List<WooLineTax> Taxes { get; set; } = [];

    /// <summary>Its meta data (on a refund's shipping line, <c>_refunded_item_id</c> names the order's shipping line).</summary>
    [JsonPropertyName("meta_data")]
    public List<WooMetaData> MetaData { get; set; } = [];
}

/// <summary>A meta data entry of an order line (<c>{id, key, value}</c>).</summary>
public sealed class WooMetaData
{
    /// <summary>The entry's id.</summary>
    [JsonPropertyName("id")]
    public long Id { get; set; }

    /// <summary>The key.</summary>
    [JsonPropertyName("key")]
    public string? Key { get; set; }

    /// <summary>The value, as JSON (WooCommerce sends text, numbers or objects).</summary>
    [JsonPropertyName("value")]
    public JsonElement Value { get; set; }
}

/// <summary>A fee charged on an order.</summary>
public sealed class WooFeeLine
{
    /// <summary>The line's id.</summary>
    [JsonPropertyName("id")]
    public long Id { get; set; }

    /// <summary>The fee's name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The fee's tax class.</summary>
    [JsonPropertyName("tax_class")]
    public string? TaxClass { get; set; }

    /// <summary><c>taxable</c> or <c>none</c>.</summary>
    [JsonPropertyName("tax_status")]
    public string? TaxStatus { get; set; }

    /// <summary>The amount.</summary>
    [JsonPropertyName("total")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal Total { get; set; }

    /// <summary>The tax on it.</summary>
    [JsonPropertyName("total_tax")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal TotalTax { get; set; }

    /// <summary>Its taxes by rate.</summary>
    [JsonPropertyName("taxes")]
    public List<WooLineTax> Taxes { get; set; } = [];
}

/// <summary>A coupon applied to an order.</summary>
public sealed class WooCouponLine
{
    /// <summary>The line's id.</summary>
    [JsonPropertyName("id")]
    public long Id { get; set; }

    /// <summary>The coupon's code.</summary>
    [JsonPropertyName("code")]
    public string? Code { get; set; }

    /// <summary>The discount it gave.</summary>
    [JsonPropertyName("discount")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal Discount { get; set; }

    /// <summary>The tax on the discount.</summary>
    [JsonPropertyName("discount_tax")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal DiscountTax { get; set; }
}

/// <summary>A refund as an order lists it (id, reason, total; WooCommerce sends the total negative).</summary>
public sealed class WooOrderRefundSummary
{
    /// <summary>The refund's id.</summary>
    [JsonPropertyName("id")]
    public long Id { get; set; }

    /// <summary>The reason given.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    /// <summary>The refund total, as the order lists it.</summary>
    [JsonPropertyName("total")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal Total { get; set; }
}
