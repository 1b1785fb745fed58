using Refit;

namespace Integrations.Sdk.QuickBooks.Internal;

/// <summary>The Accounting API endpoints; each call names the realm in its path and as its account (budgets and tokens are per realm).</summary>
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

    /// <summary>Creates or sparse-updates an entity with <c>requestid</c>; the answer holds it under its name: <c>{ "Invoice": {...} }</c>.</summary>
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
