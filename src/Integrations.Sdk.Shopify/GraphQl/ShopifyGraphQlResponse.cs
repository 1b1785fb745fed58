namespace Integrations.Sdk.Shopify.GraphQl;

/// <summary>A GraphQL response body: <c>{ data, errors, extensions }</c>.</summary>
internal sealed record ShopifyGraphQlResponse(JsonElement? Data, JsonElement? Errors, JsonElement? Extensions);
