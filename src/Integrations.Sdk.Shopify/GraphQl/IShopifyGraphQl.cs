using Refit;

namespace Integrations.Sdk.Shopify.GraphQl;

/// <summary>Shopify's GraphQL Admin API endpoint, behind the SDK's transport.</summary>
internal interface IShopifyGraphQl
{
    /// <summary>Runs one GraphQL operation; <paramref name="replaySafe"/> lets the transport send it again after its effect became unknown.</summary>
    [Post("/admin/api/{version}/graphql.json")]
    Task<ShopifyGraphQlResponse> ExecuteAsync(
        string version,
        [Body] ShopifyGraphQlRequest request,
        [Property(IntegrationsRequest.ReplaySafeKeyName)] bool replaySafe,
        [Property(IntegrationsRequest.AccountKeyName)] string account = IntegrationsRequest.DefaultAccount,
        CancellationToken cancellationToken = default);
}
