namespace Integrations.Sdk.Shopify;

/// <summary>A product variant: what is sold, with its SKU and its inventory item.</summary>
public sealed record ShopifyVariant
{
    /// <summary>The variant's global id, for example <c>gid://shopify/ProductVariant/4012345678901</c>.</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>The SKU.</summary>
    [JsonPropertyName("sku")]
    public string? Sku { get; init; }

    /// <summary>The variant's title, for example <c>Blue / Large</c> or <c>Default Title</c>.</summary>
    [JsonPropertyName("title")]
    public string? Title { get; init; }

    /// <summary>The variant's price in the shop currency.</summary>
    [JsonPropertyName("price")]
    public decimal Price { get; init; }

    /// <summary>The inventory item that tracks the variant's stock.</summary>
    [JsonPropertyName("inventoryItemId")]
    public string? InventoryItemId { get; init; }

    /// <summary>
    /// The extra selections a lookup asked for (its <c>extraFields</c>), by field name, as Shopify answered them; empty
    /// when none were asked. For example <c>Extra["barcode"].GetString()</c>.
    /// </summary>
    [JsonPropertyName("extra")]
    public IReadOnlyDictionary<string, JsonElement> Extra { get; init; } = ShopifyExtra.None;
}
