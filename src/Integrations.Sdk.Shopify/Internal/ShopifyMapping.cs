using Integrations.Sdk.Shopify.GraphQl;

namespace Integrations.Sdk.Shopify.Internal;

internal static class ShopifyMapping
{
    public static ShopifyOrder ToOrder(OrderNode node, IReadOnlyList<ShopifyLineItem> lineItems, IReadOnlyList<ShopifyRefund> refunds) => new()
    {
        Id = Required(node.Id, ShopifyOperations.Orders, "orders.nodes.id"),
        Name = node.Name ?? string.Empty,
        Email = node.Email,
        CreatedAt = node.CreatedAt,
        UpdatedAt = node.UpdatedAt,
        DisplayFinancialStatus = node.DisplayFinancialStatus,
        CurrencyCode = node.CurrencyCode ?? node.TotalPriceSet?.ShopMoney?.CurrencyCode,
        TotalPrice = node.TotalPriceSet?.ShopMoney?.Amount ?? 0m,
        Customer = node.Customer is { Id: not null } c ? ToCustomer(c) : null,
        LineItems = lineItems,
        PresentmentCurrencyCode = node.PresentmentCurrencyCode ?? node.CurrencyCode,
        PresentmentTotalPrice = Presentment(node.TotalPriceSet),
        TotalTax = Presentment(node.TotalTaxSet),
        TaxesIncluded = node.TaxesIncluded,
        Tags = [.. (node.Tags ?? []).OfType<string>()],
        SourceName = node.SourceName,
        DiscountCodes = [.. (node.DiscountCodes ?? []).OfType<string>()],
        ShippingLines = [.. (node.ShippingLines?.Nodes ?? []).OfType<ShippingLineNode>().Select(ToShippingLine)],
        Refunds = refunds,
    };

    public static ShopifyShippingLine ToShippingLine(ShippingLineNode node) => new()
    {
        Title = node.Title,
        Price = Presentment(node.OriginalPriceSet),
        Discount = Allocated(node.DiscountAllocations),
        TaxLines = TaxLines(node.TaxLines),
    };

    public static ShopifyRefund ToRefund(RefundNode node, string orderId) => new()
    {
        Id = Required(node.Id, ShopifyOperations.OrderRefunds, $"order {orderId} refunds.id"),
        CreatedAt = node.CreatedAt,
        Note = string.IsNullOrEmpty(node.Note) ? null : node.Note,
        TotalRefunded = Presentment(node.TotalRefundedSet),
        RefundLineItems = [.. (node.RefundLineItems?.Nodes ?? []).OfType<RefundLineItemNode>().Select(line => new ShopifyRefundLineItem
        {
            LineItemId = line.LineItem?.Id,
            Sku = string.IsNullOrEmpty(line.LineItem?.Sku) ? null : line.LineItem.Sku,
            Quantity = line.Quantity,
            RestockType = line.RestockType,
            Subtotal = Presentment(line.SubtotalSet),
            TotalTax = Presentment(line.TotalTaxSet),
        })],
        Shipping = (node.RefundShippingLines?.Nodes ?? []).Sum(s => Presentment(s?.SubtotalAmountSet)),
        ShippingTax = (node.RefundShippingLines?.Nodes ?? []).Sum(s => Presentment(s?.TaxAmountSet)),
    };

    /// <summary>The presentment amount of a money set, the shop amount when Shopify sent no presentment money, 0 without either.</summary>
    private static decimal Presentment(MoneyBag? set) => set?.PresentmentMoney?.Amount ?? set?.ShopMoney?.Amount ?? 0m;

    private static decimal Allocated(List<DiscountAllocationNode?>? allocations) => (allocations ?? []).Sum(a => Presentment(a?.AllocatedAmountSet));

    private static IReadOnlyList<ShopifyTaxLine> TaxLines(List<TaxLineNode?>? lines) =>
        [.. (lines ?? []).OfType<TaxLineNode>().Select(t => new ShopifyTaxLine { Title = t.Title, Rate = t.Rate ?? 0m, Amount = Presentment(t.PriceSet) })];

    public static ShopifyLineItem ToLineItem(LineItemNode node) => new()
    {
        Id = node.Id,
        PresentmentUnitPrice = Presentment(node.OriginalUnitPriceSet),
        ProductType = string.IsNullOrEmpty(node.Product?.ProductType) ? null : node.Product.ProductType,
        Discount = Allocated(node.DiscountAllocations),
        TaxLines = TaxLines(node.TaxLines),
        Sku = string.IsNullOrEmpty(node.Sku) ? null : node.Sku,
        Title = node.Title,
        Quantity = node.Quantity,
        UnitPrice = node.OriginalUnitPriceSet?.ShopMoney?.Amount ?? 0m,
        VariantId = node.Variant?.Id,
        InventoryItemId = node.Variant?.InventoryItem?.Id,
    };

    public static ShopifyCustomer ToCustomer(CustomerNode node, IReadOnlyList<string>? extraFields = null) => new()
    {
        Id = Required(node.Id, ShopifyOperations.CustomerByEmail, "customer.id"),
        Email = node.DefaultEmailAddress?.EmailAddress,
        FirstName = node.FirstName,
        LastName = node.LastName,
        Extra = Extra(node.Extra, extraFields),
    };

    public static ShopifyVariant ToVariant(VariantNode node, IReadOnlyList<string>? extraFields = null) => new()
    {
        Id = Required(node.Id, ShopifyOperations.VariantBySku, "productVariants.nodes.id"),
        Sku = node.Sku,
        Title = node.Title,
        Price = node.Price,
        InventoryItemId = node.InventoryItem?.Id,
        Extra = Extra(node.Extra, extraFields),
    };

    /// <summary>The asked extra selections the answer holds (a field the model types is read into its property instead).</summary>
    private static IReadOnlyDictionary<string, JsonElement> Extra(Dictionary<string, JsonElement>? answered, IReadOnlyList<string>? asked)
    {
        if (answered is null || asked is not { Count: > 0 })
        {
            return ShopifyExtra.None;
        }

        var extra = asked.Where(answered.ContainsKey).ToDictionary(name => name, name => answered[name], StringComparer.Ordinal);
        return extra.Count == 0 ? ShopifyExtra.None : extra;
    }

    public static string Required(string? value, string operation, string field) =>
        string.IsNullOrEmpty(value) ? throw ShopifyGraphQlClient.InvalidResponse(operation, $"{field} is missing") : value;
}
