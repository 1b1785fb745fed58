using Integrations.Sdk.Shopify.GraphQl;

namespace Integrations.Sdk.Shopify.Internal;

internal static class ShopifyMapping
{
    public static ShopifyOrder ToOrder(OrderNode node, IReadOnlyList<ShopifyLineItem> lineItems) => new()
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
    };

    public static ShopifyLineItem ToLineItem(LineItemNode node) => new()
    {
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
