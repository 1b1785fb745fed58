namespace Integrations.Sdk.Shopify.GraphQl;

internal sealed record ShopifyGraphQlResponse(JsonElement? Data, JsonElement? Errors);
