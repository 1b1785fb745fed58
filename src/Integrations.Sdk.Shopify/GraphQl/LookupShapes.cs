namespace Integrations.Sdk.Shopify.GraphQl;

internal sealed record CustomerEmail(string? EmailAddress);

/// <summary>A customer node; a class with settable members, as System.Text.Json binds extension data only outside a constructor.</summary>
internal sealed class CustomerNode
{
    public string? Id { get; init; }

    public string? FirstName { get; init; }

    public string? LastName { get; init; }

    public CustomerEmail? DefaultEmailAddress { get; init; }

    /// <summary>The fields the model does not type: the lookup's extra selections.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; } // settable: source generation binds init-only members like constructor parameters, which extension data cannot be
}

internal sealed record CustomersData(Connection<CustomerNode>? Customers);

/// <summary>A variant node (a class, as <see cref="CustomerNode"/>).</summary>
internal sealed class VariantNode
{
    public string? Id { get; init; }

    public string? Sku { get; init; }

    public string? Title { get; init; }

    public decimal Price { get; init; }

    public Node? InventoryItem { get; init; }

    /// <summary>The fields the model does not type: the lookup's extra selections.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; } // settable: source generation binds init-only members like constructor parameters, which extension data cannot be
}

internal sealed record VariantsData(Connection<VariantNode>? ProductVariants);
