using System.Text.Json.Serialization;

namespace Integrations.Sdk.Shopify.GraphQl;

// The shapes Shopify's GraphQL Admin API sends and takes, as the connector's documents select them. Internal: the
// public models are flatter (money as decimals, ids of nested objects lifted up).
internal sealed record OrdersVariables(int First, string? After, string? Query, int LineItemsFirst);

internal sealed record OrderLineItemsVariables(string Id, int First, string? After);

internal sealed record SearchVariables(int First, string Query);

internal sealed record AdjustVariables(AdjustInput Input, string Key);

internal sealed record AdjustInput(string Reason, string Name, string? ReferenceDocumentUri, IReadOnlyList<AdjustChange> Changes);

/// <summary>One change; <c>changeFromQuantity</c> is always written, null included (mandatory since 2026-04).</summary>
internal sealed record AdjustChange(int Delta, string InventoryItemId, string LocationId, int? ChangeFromQuantity);

internal sealed class PageInfo
{
    public bool HasNextPage { get; init; }

    public string? EndCursor { get; init; }
}

internal sealed class Connection<T>
{
    public PageInfo? PageInfo { get; init; }

    public List<T?>? Nodes { get; init; }
}

internal sealed class Money
{
    public decimal Amount { get; init; }

    public string? CurrencyCode { get; init; }
}

internal sealed class MoneyBag
{
    public Money? ShopMoney { get; init; }
}

internal sealed class Node
{
    public string? Id { get; init; }
}

internal sealed class CustomerNode
{
    public string? Id { get; init; }

    public string? FirstName { get; init; }

    public string? LastName { get; init; }

    public CustomerEmail? DefaultEmailAddress { get; init; }
}

internal sealed class CustomerEmail
{
    public string? EmailAddress { get; init; }
}

internal sealed class VariantRef
{
    public string? Id { get; init; }

    public Node? InventoryItem { get; init; }
}

internal sealed class LineItemNode
{
    public string? Sku { get; init; }

    public string? Title { get; init; }

    public int Quantity { get; init; }

    public MoneyBag? OriginalUnitPriceSet { get; init; }

    public VariantRef? Variant { get; init; }
}

internal sealed class OrderNode
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? Email { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public string? DisplayFinancialStatus { get; init; }

    public string? CurrencyCode { get; init; }

    public MoneyBag? TotalPriceSet { get; init; }

    public CustomerNode? Customer { get; init; }

    public Connection<LineItemNode>? LineItems { get; init; }
}

internal sealed class OrdersData
{
    public Connection<OrderNode>? Orders { get; init; }
}

internal sealed class OrderWithLineItems
{
    public Connection<LineItemNode>? LineItems { get; init; }
}

internal sealed class OrderLineItemsData
{
    public OrderWithLineItems? Order { get; init; }
}

internal sealed class CustomersData
{
    public Connection<CustomerNode>? Customers { get; init; }
}

internal sealed class VariantNode
{
    public string? Id { get; init; }

    public string? Sku { get; init; }

    public string? Title { get; init; }

    public decimal Price { get; init; }

    public Node? InventoryItem { get; init; }
}

internal sealed class VariantsData
{
    public Connection<VariantNode>? ProductVariants { get; init; }
}

internal sealed class AdjustmentChangeNode
{
    public string? Name { get; init; }

    public int Delta { get; init; }

    public int? QuantityAfterChange { get; init; }

    public Node? Item { get; init; }

    public Node? Location { get; init; }
}

internal sealed class AdjustmentGroup
{
    public string? Id { get; init; }

    public List<AdjustmentChangeNode>? Changes { get; init; }
}

internal sealed class UserError
{
    public List<string>? Field { get; init; }

    public string? Message { get; init; }

    public string? Code { get; init; }
}

internal sealed class AdjustPayload
{
    public AdjustmentGroup? InventoryAdjustmentGroup { get; init; }

    public List<UserError>? UserErrors { get; init; }
}

internal sealed class AdjustData
{
    public AdjustPayload? InventoryAdjustQuantities { get; init; }
}

internal sealed class CostExtension
{
    public double? RequestedQueryCost { get; init; }

    public double? ActualQueryCost { get; init; }

    public ThrottleStatus? ThrottleStatus { get; init; }
}

internal sealed class ThrottleStatus
{
    public double MaximumAvailable { get; init; }

    public double CurrentlyAvailable { get; init; }

    public double RestoreRate { get; init; }
}
