using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace Integrations.Sdk.Shopify.GraphQl;

/// <summary>Source-generated JSON for the GraphQL envelope and the wire shapes (web defaults: camelCase, numbers from strings).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ShopifyGraphQlRequest))]
[JsonSerializable(typeof(ShopifyGraphQlResponse))]
[JsonSerializable(typeof(OrdersVariables))]
[JsonSerializable(typeof(OrderLineItemsVariables))]
[JsonSerializable(typeof(SearchVariables))]
[JsonSerializable(typeof(AdjustVariables))]
[JsonSerializable(typeof(OrdersData))]
[JsonSerializable(typeof(OrderLineItemsData))]
[JsonSerializable(typeof(CustomersData))]
[JsonSerializable(typeof(VariantsData))]
[JsonSerializable(typeof(AdjustData))]
[JsonSerializable(typeof(CostExtension))]
internal sealed partial class ShopifyJsonContext : JsonSerializerContext
{
    /// <summary>Shared once built (its metadata cache is per instance); built on first use, after <see cref="Default"/>.</summary>
    private static SystemTextJsonContentSerializer? serializer;

    /// <summary>New settings on each call: the transport sets its exception factories on them.</summary>
    public static RefitSettings RefitSettings() =>
        new(serializer ??= new(new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = Default }));
}
