using Refit;

namespace Integrations.Sdk.Xero.Internal;

/// <summary>
/// The Accounting API endpoints the connector uses (<c>specs/xero/xero_accounting.yaml</c>). Every call names the tenant
/// as its account (tokens and budgets are per tenant); <c>xero-tenant-id</c> and the bearer token are added by the transport.
/// Answers wrap records in a list named after them: <c>{ "Invoices": [ {...} ] }</c>.
/// </summary>
[Headers("Accept: application/json")]
internal interface IXeroApi
{
    [Get("/api.xro/2.0/{collection}")]
    Task<JsonElement> QueryAsync(string collection, [Query] string? where, [Query] int? page, [Property(IntegrationsRequest.AccountKeyName)] string account, CancellationToken cancellationToken = default);

    [Get("/api.xro/2.0/{collection}/{id}")]
    Task<JsonElement> GetAsync(string collection, string id, [Property(IntegrationsRequest.AccountKeyName)] string account, CancellationToken cancellationToken = default);

    /// <summary>Creates records (<c>PUT</c> creates only; <c>POST</c> would also update).</summary>
    [Put("/api.xro/2.0/{collection}")]
    Task<JsonElement> CreateAsync(
        string collection,
        [Body] object body,
        [Header("Idempotency-Key")] string? idempotencyKey,
        [Property(IntegrationsRequest.AccountKeyName)] string account,
        CancellationToken cancellationToken = default);

    [Put("/api.xro/2.0/CreditNotes/{creditNoteId}/Allocations")]
    Task<JsonElement> AllocateCreditNoteAsync(
        string creditNoteId,
        [Body] object body,
        [Header("Idempotency-Key")] string? idempotencyKey,
        [Property(IntegrationsRequest.AccountKeyName)] string account,
        CancellationToken cancellationToken = default);
}

/// <summary>The JSON conventions of the Xero API: names as declared (PascalCase), nothing written for missing values.</summary>
internal static class XeroJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}

internal sealed record ContactBody(string Name, string? FirstName, string? LastName, string? EmailAddress);

internal sealed record IdRef([property: JsonPropertyName("ContactID")] string ContactID);

internal sealed record InvoiceIdRef(string InvoiceID);

internal sealed record AccountCodeRef(string Code);

internal sealed record LineBody(
    string? Description, decimal Quantity, decimal? UnitAmount, string? ItemCode, string? AccountCode, string? TaxType, decimal? DiscountRate,
    decimal? DiscountAmount, decimal? TaxAmount, decimal? LineAmount, List<TrackingBody>? Tracking);

internal sealed record TrackingBody(string Name, string Option);

internal sealed record InvoiceBody(
    string Type, IdRef Contact, List<LineBody> LineItems, string? Date, string? DueDate, string? InvoiceNumber, string? Reference,
    string? CurrencyCode, decimal? CurrencyRate, string? LineAmountTypes, string? Status);

internal sealed record CreditNoteBody(
    string Type, IdRef Contact, List<LineBody> LineItems, string? Date, string? CreditNoteNumber, string? Reference,
    string? CurrencyCode, decimal? CurrencyRate, string? LineAmountTypes, string? Status);

internal sealed record PaymentBody(InvoiceIdRef Invoice, AccountCodeRef Account, decimal Amount, string? Date, string? Reference, decimal? CurrencyRate);

internal sealed record AllocationBody(InvoiceIdRef Invoice, decimal Amount, string? Date);
