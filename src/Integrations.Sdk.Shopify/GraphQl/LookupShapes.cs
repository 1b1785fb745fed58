namespace Integrations.Sdk.Shopify.GraphQl;

internal sealed record CustomerEmail(string? EmailAddress);

internal sealed record CustomerNode(string? Id, string? FirstName, string? LastName, CustomerEmail? DefaultEmailAddress);

internal sealed record CustomersData(Connection<CustomerNode>? Customers);

internal sealed record VariantNode(string? Id, string? Sku, string? Title, decimal Price, Node? InventoryItem);

internal sealed record VariantsData(Connection<VariantNode>? ProductVariants);
