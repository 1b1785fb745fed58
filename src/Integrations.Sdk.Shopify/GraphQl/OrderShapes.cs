namespace Integrations.Sdk.Shopify.GraphQl;

// The order shapes as the connector's documents select them; the public models are flatter (money as decimals).
internal sealed record Money(decimal Amount, string? CurrencyCode);

internal sealed record MoneyBag(Money? ShopMoney, Money? PresentmentMoney);

internal sealed record Node(string? Id);

internal sealed record VariantRef(string? Id, Node? InventoryItem);

internal sealed record ProductRef(string? ProductType);

internal sealed record TaxLineNode(string? Title, decimal? Rate, MoneyBag? PriceSet);

internal sealed record DiscountAllocationNode(MoneyBag? AllocatedAmountSet);

internal sealed record LineItemNode(
    string? Id,
    string? Sku,
    string? Title,
    int Quantity,
    MoneyBag? OriginalUnitPriceSet,
    VariantRef? Variant,
    ProductRef? Product,
    List<TaxLineNode?>? TaxLines,
    List<DiscountAllocationNode?>? DiscountAllocations);

internal sealed record ShippingLineNode(string? Title, MoneyBag? OriginalPriceSet, List<DiscountAllocationNode?>? DiscountAllocations, List<TaxLineNode?>? TaxLines);

internal sealed record OrderNode(
    string? Id,
    string? Name,
    string? Email,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? DisplayFinancialStatus,
    string? CurrencyCode,
    string? PresentmentCurrencyCode,
    bool TaxesIncluded,
    List<string?>? Tags,
    string? SourceName,
    List<string?>? DiscountCodes,
    MoneyBag? TotalPriceSet,
    MoneyBag? TotalTaxSet,
    CustomerNode? Customer,
    Connection<ShippingLineNode>? ShippingLines,
    List<Node?>? Refunds,
    Connection<LineItemNode>? LineItems);

internal sealed record OrdersData(Connection<OrderNode>? Orders);

internal sealed record OrderWithLineItems(Connection<LineItemNode>? LineItems);

internal sealed record OrderLineItemsData(OrderWithLineItems? Order);

internal sealed record RefundLineItemNode(LineItemRef? LineItem, int Quantity, string? RestockType, MoneyBag? SubtotalSet, MoneyBag? TotalTaxSet);

internal sealed record LineItemRef(string? Id, string? Sku);

internal sealed record RefundShippingLineNode(MoneyBag? SubtotalAmountSet, MoneyBag? TaxAmountSet);

internal sealed record RefundNode(
    string? Id,
    DateTimeOffset? CreatedAt,
    string? Note,
    MoneyBag? TotalRefundedSet,
    Connection<RefundLineItemNode>? RefundLineItems,
    Connection<RefundShippingLineNode>? RefundShippingLines);

internal sealed record OrderWithRefunds(List<RefundNode?>? Refunds);

internal sealed record OrderRefundsData(OrderWithRefunds? Order);

internal sealed record OrderData(OrderNode? Order);
