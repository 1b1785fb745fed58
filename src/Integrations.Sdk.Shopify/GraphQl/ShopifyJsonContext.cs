namespace Integrations.Sdk.Shopify.GraphQl;

/// <summary>Source-generated JSON for the GraphQL envelope and the wire shapes (web defaults: camelCase, numbers from strings).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ShopifyGraphQlRequest))]
[JsonSerializable(typeof(ShopifyGraphQlResponse))]
[JsonSerializable(typeof(OrdersVariables))]
[JsonSerializable(typeof(OrderLineItemsVariables))]
[JsonSerializable(typeof(OrderByIdVariables))]
[JsonSerializable(typeof(OrderRefundsVariables))]
[JsonSerializable(typeof(OrderData))]
[JsonSerializable(typeof(OrderRefundsData))]
[JsonSerializable(typeof(SearchVariables))]
[JsonSerializable(typeof(AdjustVariables))]
[JsonSerializable(typeof(OrdersData))]
[JsonSerializable(typeof(OrderLineItemsData))]
[JsonSerializable(typeof(CustomersData))]
[JsonSerializable(typeof(VariantsData))]
[JsonSerializable(typeof(AdjustData))]
[JsonSerializable(typeof(CostExtension))]
internal sealed partial class ShopifyJsonContext : JsonSerializerContext;
