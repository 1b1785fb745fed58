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
public sealed record SimulatedVariant(string Id, string ProductId, string Sku, string ProductTitle, string Title, decimal Price, string InventoryItemId);

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
public sealed record SimulatedLineItem(string Id, string? Sku, string Title, int Quantity, decimal UnitPrice, string? VariantId, string? InventoryItemId);

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

    /// <summary>The currency, for example <c>USD</c>.</summary>
    public required string CurrencyCode { get; init; }

    /// <summary>The line items.</summary>
    public required IReadOnlyList<SimulatedLineItem> LineItems { get; init; }

    /// <summary>The total: the sum of quantity × unit price.</summary>
    [JsonIgnore]
    public decimal TotalPrice => LineItems.Sum(l => l.Quantity * l.UnitPrice);
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
