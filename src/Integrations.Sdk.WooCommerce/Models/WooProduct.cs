using Integrations.Sdk.WooCommerce.Internal;

namespace Integrations.Sdk.WooCommerce.Models;

/// <summary>A WooCommerce product (<c>/products</c>), typed for SKU, price and stock. Other fields are in <see cref="Extra"/>.</summary>
public sealed class WooProduct
{
    /// <summary>The product's id.</summary>
    [JsonPropertyName("id")]
    public long Id { get; set; }

    /// <summary>The product's name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary><c>simple</c>, <c>grouped</c>, <c>external</c> or <c>variable</c>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary><c>draft</c>, <c>pending</c>, <c>private</c> or <c>publish</c>.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; set; }

    /// <summary>The SKU (unique in a store), if set.</summary>
    [JsonPropertyName("sku")]
    public string? Sku { get; set; }

    /// <summary>The current price; <see langword="null"/> when WooCommerce sends none.</summary>
    [JsonPropertyName("price")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal? Price { get; set; }

    /// <summary>Whether stock is managed at product level.</summary>
    [JsonPropertyName("manage_stock")]
    public bool ManageStock { get; set; }

    /// <summary>The stock quantity, when stock is managed.</summary>
    [JsonPropertyName("stock_quantity")]
    public int? StockQuantity { get; set; }

    /// <summary><c>instock</c>, <c>outofstock</c> or <c>onbackorder</c>.</summary>
    [JsonPropertyName("stock_status")]
    public string? StockStatus { get; set; }

    /// <summary>The product's categories, in the store's order (id, name, slug).</summary>
    [JsonPropertyName("categories")]
    public List<WooCategoryRef> Categories { get; set; } = [];

    /// <summary>The ids of a variable product's variations.</summary>
    [JsonPropertyName("variations")]
    public List<long> Variations { get; set; } = [];

    /// <summary>When the product was last modified, UTC.</summary>
    [JsonPropertyName("date_modified_gmt")]
    [JsonConverter(typeof(GmtDateConverter))]
    public DateTimeOffset? DateModifiedGmt { get; set; }

    /// <summary>The fields WooCommerce sent that this model does not type, by name (for example <c>Extra["categories"]</c>).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Extra { get; set; } = [];
}

/// <summary>A category a product is in.</summary>
public sealed class WooCategoryRef
{
    /// <summary>The category's id.</summary>
    [JsonPropertyName("id")]
    public long Id { get; set; }

    /// <summary>The category's name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The category's slug.</summary>
    [JsonPropertyName("slug")]
    public string? Slug { get; set; }
}

/// <summary>A variation of a variable product (<c>/products/{id}/variations</c>), typed for SKU, price and stock.</summary>
public sealed class WooProductVariation
{
    /// <summary>The variation's id.</summary>
    [JsonPropertyName("id")]
    public long Id { get; set; }

    /// <summary>The SKU, if set.</summary>
    [JsonPropertyName("sku")]
    public string? Sku { get; set; }

    /// <summary>The current price; <see langword="null"/> when WooCommerce sends none.</summary>
    [JsonPropertyName("price")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal? Price { get; set; }

    /// <summary>The stock quantity, when stock is managed.</summary>
    [JsonPropertyName("stock_quantity")]
    public int? StockQuantity { get; set; }

    /// <summary><c>instock</c>, <c>outofstock</c> or <c>onbackorder</c>.</summary>
    [JsonPropertyName("stock_status")]
    public string? StockStatus { get; set; }

    /// <summary>
    /// The fields WooCommerce sent that this model does not type, by name; <c>manage_stock</c> is here, since stores send
    /// <c>true</c>, <c>false</c> or <c>"parent"</c>.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Extra { get; set; } = [];
}

/// <summary>A WooCommerce customer (<c>/customers</c>): id, email and names. Other fields are in <see cref="Extra"/>.</summary>
public sealed class WooCustomer
{
    /// <summary>The customer's id.</summary>
    [JsonPropertyName("id")]
    public long Id { get; set; }

    /// <summary>The email address.</summary>
    [JsonPropertyName("email")]
    public string? Email { get; set; }

    /// <summary>First name.</summary>
    [JsonPropertyName("first_name")]
    public string? FirstName { get; set; }

    /// <summary>Last name.</summary>
    [JsonPropertyName("last_name")]
    public string? LastName { get; set; }

    /// <summary>The billing address.</summary>
    [JsonPropertyName("billing")]
    public WooAddress? Billing { get; set; }

    /// <summary>The fields WooCommerce sent that this model does not type, by name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Extra { get; set; } = [];
}

/// <summary>An order refund in full (<c>/orders/{id}/refunds</c>): amount, reason, and the lines refunded with their quantities.</summary>
public sealed class WooRefund
{
    /// <summary>The refund's id.</summary>
    [JsonPropertyName("id")]
    public long Id { get; set; }

    /// <summary>When the refund was made, UTC.</summary>
    [JsonPropertyName("date_created_gmt")]
    [JsonConverter(typeof(GmtDateConverter))]
    public DateTimeOffset? DateCreatedGmt { get; set; }

    /// <summary>The amount refunded (positive).</summary>
    [JsonPropertyName("amount")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public decimal Amount { get; set; }

    /// <summary>The reason given.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    /// <summary>Whether the payment was refunded through the payment gateway (<c>refunded_payment</c>).</summary>
    [JsonPropertyName("refunded_payment")]
    public bool RefundedPayment { get; set; }

    /// <summary>
    /// The lines refunded, as WooCommerce sends them: quantity, <c>subtotal</c>, <c>total</c>, <c>total_tax</c>, the
    /// taxes and <c>price</c> are <b>negative</b>; the meta data entry <c>_refunded_item_id</c> names the order line.
    /// </summary>
    [JsonPropertyName("line_items")]
    public List<WooLineItem> LineItems { get; set; } = [];

    /// <summary>The shipping refunded (<c>total</c> and <c>total_tax</c> negative, as WooCommerce sends them).</summary>
    [JsonPropertyName("shipping_lines")]
    public List<WooShippingLine> ShippingLines { get; set; } = [];

    /// <summary>The fields WooCommerce sent that this model does not type, by name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Extra { get; set; } = [];
}
