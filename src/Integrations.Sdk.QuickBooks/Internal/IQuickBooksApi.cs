using Integrations.Sdk.QuickBooks.Models;
using Integrations.Sdk.Transport;
using Refit;

namespace Integrations.Sdk.QuickBooks.Internal;

/// <summary>
/// The QuickBooks Online Accounting API endpoints the connector uses. Every call names the realm twice: in the path,
/// and as the request's account (so budgets and OAuth tokens are kept per realm). Writes carry <c>requestid</c>,
/// QuickBooks' idempotency key; every call carries <c>minorversion</c>.
/// </summary>
[Headers("Accept: application/json")]
internal interface IQuickBooksApi
{
    [Get("/v3/company/{realmId}/query")]
    Task<QueryEnvelope> QueryAsync(
        string realmId,
        [Query] string query,
        [Query] int minorversion,
        [Property(IntegrationsRequest.AccountKeyName)] string account,
        CancellationToken cancellationToken = default);

    [Post("/v3/company/{realmId}/customer")]
    Task<EntityEnvelope> CreateCustomerAsync(
        string realmId,
        [Body] QboCustomer customer,
        [Query] string requestid,
        [Query] int minorversion,
        [Property(IntegrationsRequest.AccountKeyName)] string account,
        CancellationToken cancellationToken = default);

    [Post("/v3/company/{realmId}/invoice")]
    Task<EntityEnvelope> CreateInvoiceAsync(
        string realmId,
        [Body] QboInvoice invoice,
        [Query] string requestid,
        [Query] int minorversion,
        [Property(IntegrationsRequest.AccountKeyName)] string account,
        CancellationToken cancellationToken = default);

    [Post("/v3/company/{realmId}/salesreceipt")]
    Task<EntityEnvelope> CreateSalesReceiptAsync(
        string realmId,
        [Body] QboSalesReceipt salesReceipt,
        [Query] string requestid,
        [Query] int minorversion,
        [Property(IntegrationsRequest.AccountKeyName)] string account,
        CancellationToken cancellationToken = default);

    /// <summary>A sparse item update: only the fields sent change, if <c>SyncToken</c> is still current.</summary>
    [Post("/v3/company/{realmId}/item")]
    Task<EntityEnvelope> UpdateItemAsync(
        string realmId,
        [Body] ItemSparseUpdate item,
        [Query] string requestid,
        [Query] int minorversion,
        [Property(IntegrationsRequest.AccountKeyName)] string account,
        CancellationToken cancellationToken = default);
}
