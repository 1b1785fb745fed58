namespace Integrations.Sdk.Shopify;

/// <summary>The empty <c>Extra</c> of a model read without extra selections, shared so such models stay equal as records.</summary>
internal static class ShopifyExtra
{
    public static readonly IReadOnlyDictionary<string, JsonElement> None = new Dictionary<string, JsonElement>(StringComparer.Ordinal).AsReadOnly();
}
