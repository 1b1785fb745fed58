using Refit;

namespace Integrations.Sdk.QuickBooks.Internal;

/// <summary>
/// The QuickBooks Online Accounting API endpoints the connector uses. Every call names the realm twice: in the path,
/// and as the request's account (so budgets and OAuth tokens are kept per realm); every call carries <c>minorversion</c>.
/// </summary>
[Headers("Accept: application/json")]
internal interface IQuickBooksApi
{
    /// <summary>A query: <c>{ "QueryResponse": { "Customer": [...], "startPosition": 1, "maxResults": 3 }, "time": ... }</c>.</summary>
    [Get("/v3/company/{realmId}/query")]
    Task<JsonElement> QueryAsync(
        string realmId,
        [Query] string query,
        [Query] int minorversion,
        [Property(IntegrationsRequest.AccountKeyName)] string account,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates or (sparse) updates an entity (<c>customer</c>, <c>invoice</c>, <c>salesreceipt</c>, <c>item</c>) with
    /// <c>requestid</c>, QuickBooks' idempotency key; the answer holds the entity under its name: <c>{ "Invoice": {...} }</c>.
    /// </summary>
    [Post("/v3/company/{realmId}/{entity}")]
    Task<JsonElement> WriteAsync(
        string realmId,
        string entity,
        [Body] object body,
        [Query] string requestid,
        [Query] int minorversion,
        [Property(IntegrationsRequest.AccountKeyName)] string account,
        CancellationToken cancellationToken = default);
}
