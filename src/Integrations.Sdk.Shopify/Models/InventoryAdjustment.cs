namespace Integrations.Sdk.Shopify;

/// <summary>A change of the <c>available</c> quantity of one inventory item at one location.</summary>
public sealed record InventoryAdjustment
{
    /// <summary>The inventory item, for example <c>gid://shopify/InventoryItem/30322695</c>. Required.</summary>
    [JsonPropertyName("inventoryItemId")]
    public required string InventoryItemId { get; init; }

    /// <summary>The location, for example <c>gid://shopify/Location/124656943</c>. Required.</summary>
    [JsonPropertyName("locationId")]
    public required string LocationId { get; init; }

    /// <summary>How much to add (positive) or remove (negative).</summary>
    [JsonPropertyName("delta")]
    public int Delta { get; init; }

    /// <summary>Shopify's reason code: <c>correction</c>, <c>received</c>, <c>restock</c>, <c>damaged</c>, <c>shrinkage</c>, <c>cycle_count_available</c>... <value>Default: <c>correction</c>.</value></summary>
    [JsonPropertyName("reason")]
    public string Reason { get; init; } = "correction";

    /// <summary>The quantity expected before the change: Shopify refuses it with <c>CHANGE_FROM_QUANTITY_STALE</c> when the stock differs; <see langword="null"/> skips the check.</summary>
    [JsonPropertyName("changeFromQuantity")]
    public int? ChangeFromQuantity { get; init; }

    /// <summary>A URI naming what caused the change, for Shopify's history (for example <c>gid://my-erp/Order/1001</c>); optional.</summary>
    [JsonPropertyName("referenceDocumentUri")]
    public string? ReferenceDocumentUri { get; init; }
}

/// <summary>What Shopify recorded for an inventory adjustment.</summary>
public sealed record InventoryAdjustmentResult
{
    /// <summary>The adjustment group's global id, when Shopify returned one.</summary>
    [JsonPropertyName("adjustmentGroupId")]
    public string? AdjustmentGroupId { get; init; }

    /// <summary>The inventory item changed.</summary>
    [JsonPropertyName("inventoryItemId")]
    public required string InventoryItemId { get; init; }

    /// <summary>The location changed.</summary>
    [JsonPropertyName("locationId")]
    public required string LocationId { get; init; }

    /// <summary>The change applied.</summary>
    [JsonPropertyName("delta")]
    public int Delta { get; init; }

    /// <summary>The available quantity after the change, when Shopify returned it.</summary>
    [JsonPropertyName("quantityAfterChange")]
    public int? QuantityAfterChange { get; init; }
}
