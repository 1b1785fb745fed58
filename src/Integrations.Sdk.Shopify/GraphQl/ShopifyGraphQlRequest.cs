namespace Integrations.Sdk.Shopify.GraphQl;

/// <summary>A GraphQL request body: <c>{ query, variables, operationName }</c>; the operation name is always sent (simulators key on it).</summary>
internal sealed record ShopifyGraphQlRequest(string Query, JsonElement? Variables, string OperationName);
