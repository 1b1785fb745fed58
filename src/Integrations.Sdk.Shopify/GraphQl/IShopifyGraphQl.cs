using Integrations.Sdk.Transport;
using Refit;

namespace Integrations.Sdk.Shopify.GraphQl;

/// <summary>
/// Shopify's GraphQL Admin API endpoint, <c>POST /admin/api/{version}/graphql.json</c>, behind the SDK's transport
/// (budget fed by the query cost, retries of throttled and replay-safe requests, circuit breaker, auth). The
/// <see cref="ShopifyConnector"/> uses it; call it directly for operations the connector does not cover.
/// </summary>
public interface IShopifyGraphQl
{
    /// <summary>Runs one GraphQL operation.</summary>
    /// <param name="version">The API version, for example <c>2026-10</c>.</param>
    /// <param name="request">The document, its variables and its operation name.</param>
    /// <param name="replaySafe">
    /// Whether the request may be sent again after its effect became unknown: <see langword="true"/> for queries and
    /// for mutations carrying an <c>@idempotent</c> key, <see langword="false"/> for any other mutation.
    /// </param>
    /// <param name="account">The account whose budget the request spends.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The GraphQL response. Throttling and top-level errors arrive as <see cref="PlatformException"/> instead.</returns>
    [Post("/admin/api/{version}/graphql.json")]
    Task<ShopifyGraphQlResponse> ExecuteAsync(
        string version,
        [Body] ShopifyGraphQlRequest request,
        [Property(IntegrationsRequest.ReplaySafeKeyName)] bool replaySafe,
        [Property(IntegrationsRequest.AccountKeyName)] string account = IntegrationsRequest.DefaultAccount,
        CancellationToken cancellationToken = default);
}
