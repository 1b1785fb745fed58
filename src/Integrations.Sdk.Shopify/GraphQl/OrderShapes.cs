namespace Integrations.Sdk.Shopify.GraphQl;

// The order shapes as the connector's documents select them; the public models are flatter (money as decimals).
internal sealed record Money(decimal Amount, string? CurrencyCode);

internal sealed record MoneyBag(Money? ShopMoney);

internal sealed record Node(string? Id);

internal sealed record VariantRef(string? Id, Node? InventoryItem);

internal sealed record LineItemNode(string? Sku, string? Title, int Quantity, MoneyBag? OriginalUnitPriceSet, VariantRef? Variant);

internal sealed record OrderNode(
    string? Id,
    string? Name,
    string? Email,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? DisplayFinancialStatus,
    string? CurrencyCode,
    MoneyBag? TotalPriceSet,
    CustomerNode? Customer,
    Connection<LineItemNode>? LineItems);

internal sealed record OrdersData(Connection<OrderNode>? Orders);

internal sealed record OrderWithLineItems(Connection<LineItemNode>? LineItems);

internal sealed record OrderLineItemsData(OrderWithLineItems? Order);
