namespace Integrations.Sdk.Xero.Models;

/// <summary>
/// A reference to another Xero record by id, as the API nests it (<c>"Contact": { "ContactID": ... }</c>). Dates in
/// Xero's answers are kept as the text Xero sent (<c>/Date(1518685950940+0000)/</c> or <c>2026-01-31T00:00:00</c>).
/// </summary>
public sealed class XeroContactRef
{
    /// <summary>The contact's id.</summary>
    public string? ContactID { get; set; }

    /// <summary>The contact's name.</summary>
    public string? Name { get; set; }
}

/// <summary>A Xero contact (the fields the connector reads; the rest in <see cref="Extra"/>).</summary>
public sealed class XeroContact
{
    /// <summary>The contact's id.</summary>
    public string ContactID { get; set; } = string.Empty;

    /// <summary>The contact's name, unique in the organisation.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>First name of the contact person.</summary>
    public string? FirstName { get; set; }

    /// <summary>Last name of the contact person.</summary>
    public string? LastName { get; set; }

    /// <summary>The contact's email.</summary>
    public string? EmailAddress { get; set; }

    /// <summary><c>ACTIVE</c> or <c>ARCHIVED</c>.</summary>
    public string? ContactStatus { get; set; }

    /// <summary>The fields Xero sent that this model does not type, by name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Extra { get; set; } = [];
}

/// <summary>A contact to find by email (then name) or create.</summary>
/// <param name="Name">The contact's name, unique in Xero. Required.</param>
/// <param name="Email">The email to look it up by first; optional.</param>
/// <param name="FirstName">First name of the contact person.</param>
/// <param name="LastName">Last name of the contact person.</param>
public sealed record XeroContactDraft(string Name, string? Email = null, string? FirstName = null, string? LastName = null);

/// <summary>A Xero item (a product or service), found by its code.</summary>
public sealed class XeroItem
{
    /// <summary>The item's id.</summary>
    public string ItemID { get; set; } = string.Empty;

    /// <summary>The item's code (its SKU), unique in the organisation.</summary>
    public string Code { get; set; } = string.Empty;

    /// <summary>The item's name.</summary>
    public string? Name { get; set; }

    /// <summary>The sales description.</summary>
    public string? Description { get; set; }

    /// <summary>Whether Xero tracks its quantity on hand.</summary>
    public bool? IsTrackedAsInventory { get; set; }

    /// <summary>The quantity on hand, for a tracked item.</summary>
    public decimal? QuantityOnHand { get; set; }

    /// <summary>The sales details: price, income account code and tax type used when the item is sold.</summary>
    public XeroItemDetails? SalesDetails { get; set; }

    /// <summary>The fields Xero sent that this model does not type, by name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Extra { get; set; } = [];
}

/// <summary>A line of an invoice or credit note, as Xero answers it.</summary>
public sealed class XeroLineItem
{
    /// <summary>The line's description.</summary>
    public string? Description { get; set; }

    /// <summary>The quantity.</summary>
    public decimal? Quantity { get; set; }

    /// <summary>The unit price.</summary>
    public decimal? UnitAmount { get; set; }

    /// <summary>The item's code, when the line is for an item.</summary>
    public string? ItemCode { get; set; }

    /// <summary>The revenue account's code.</summary>
    public string? AccountCode { get; set; }

    /// <summary>The tax rate's type, for example <c>OUTPUT2</c>.</summary>
    public string? TaxType { get; set; }

    /// <summary>The tax on the line.</summary>
    public decimal? TaxAmount { get; set; }

    /// <summary>The line's amount (quantity × unit price, less the discount).</summary>
    public decimal? LineAmount { get; set; }

    /// <summary>The discount, in percent.</summary>
    public decimal? DiscountRate { get; set; }

    /// <summary>The discount, as an amount taken off the line (ACCREC invoices only).</summary>
    public decimal? DiscountAmount { get; set; }

    /// <summary>The tracking options of the line (at most two categories).</summary>
    public List<XeroLineTracking>? Tracking { get; set; }
}

/// <summary>A tracking option on a line: the tracking category's name and the option's name.</summary>
/// <param name="Name">The tracking category's name, for example <c>Region</c>.</param>
/// <param name="Option">The option's name, for example <c>North</c>.</param>
public sealed record XeroLineTracking(string Name, string Option);

/// <summary>A line to write.</summary>
/// <param name="Description">The description. Required by Xero when there is no item.</param>
/// <param name="Quantity">The quantity.</param>
/// <param name="UnitAmount">The unit price; <see langword="null"/> to send <paramref name="LineAmount"/> instead and let Xero work out the unit price.</param>
/// <param name="ItemCode">The item's code; optional.</param>
/// <param name="AccountCode">The revenue account's code; optional when the item has one.</param>
/// <param name="TaxType">The tax rate's type; optional (the account's default).</param>
/// <param name="DiscountRate">A discount in percent (ACCREC invoices only); optional.</param>
/// <param name="TaxAmount">The tax on the line as charged, overriding Xero's calculation; optional.</param>
/// <param name="DiscountAmount">A discount as an amount (ACCREC invoices only); optional.</param>
/// <param name="LineAmount">The line's amount (before tax on <c>Exclusive</c> documents); optional, required when <paramref name="UnitAmount"/> is absent.</param>
/// <param name="Tracking">The tracking options (at most two); optional.</param>
public sealed record XeroLineDraft(
    string? Description, decimal Quantity, decimal? UnitAmount, string? ItemCode = null, string? AccountCode = null, string? TaxType = null, decimal? DiscountRate = null,
    decimal? TaxAmount = null, decimal? DiscountAmount = null, decimal? LineAmount = null, IReadOnlyList<XeroLineTracking>? Tracking = null);

/// <summary>How line amounts are given: <c>Exclusive</c> (of tax), <c>Inclusive</c> or <c>NoTax</c>.</summary>
public static class XeroLineAmountTypes
{
    /// <summary>Prices exclude tax.</summary>
    public const string Exclusive = "Exclusive";

    /// <summary>Prices include tax.</summary>
    public const string Inclusive = "Inclusive";

    /// <summary>No tax.</summary>
    public const string NoTax = "NoTax";
}

/// <summary>A Xero sales invoice (<c>ACCREC</c>).</summary>
public sealed class XeroInvoice
{
    /// <summary>The invoice's id.</summary>
    public string InvoiceID { get; set; } = string.Empty;

    /// <summary>The invoice's number.</summary>
    public string? InvoiceNumber { get; set; }

    /// <summary><c>ACCREC</c> (sales) or <c>ACCPAY</c> (bills).</summary>
    public string? Type { get; set; }

    /// <summary><c>DRAFT</c>, <c>SUBMITTED</c>, <c>AUTHORISED</c>, <c>PAID</c>, <c>VOIDED</c> or <c>DELETED</c>.</summary>
    public string? Status { get; set; }

    /// <summary>The customer.</summary>
    public XeroContactRef? Contact { get; set; }

    /// <summary>The invoice date, as Xero sent it.</summary>
    public string? Date { get; set; }

    /// <summary>The due date, as Xero sent it.</summary>
    public string? DueDate { get; set; }

    /// <summary>The reference (an order number).</summary>
    public string? Reference { get; set; }

    /// <summary>The currency.</summary>
    public string? CurrencyCode { get; set; }

    /// <summary>Units of <see cref="CurrencyCode"/> per unit of the organisation's base currency (1 in the base currency).</summary>
    public decimal? CurrencyRate { get; set; }

    /// <summary>How line amounts are given (<see cref="XeroLineAmountTypes"/>).</summary>
    public string? LineAmountTypes { get; set; }

    /// <summary>The lines.</summary>
    public List<XeroLineItem> LineItems { get; set; } = [];

    /// <summary>The total before tax.</summary>
    public decimal? SubTotal { get; set; }

    /// <summary>The tax.</summary>
    public decimal? TotalTax { get; set; }

    /// <summary>The total.</summary>
    public decimal? Total { get; set; }

    /// <summary>What is left to pay.</summary>
    public decimal? AmountDue { get; set; }

    /// <summary>What has been paid.</summary>
    public decimal? AmountPaid { get; set; }

    /// <summary>What credit notes have covered.</summary>
    public decimal? AmountCredited { get; set; }

    /// <summary>The fields Xero sent that this model does not type, by name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Extra { get; set; } = [];
}

/// <summary>A sales invoice (<c>ACCREC</c>) to create.</summary>
/// <param name="ContactId">The customer's <c>ContactID</c>. Required.</param>
/// <param name="Lines">The lines; at least one.</param>
/// <param name="Date">The invoice date; Xero's today when absent.</param>
/// <param name="DueDate">The due date.</param>
/// <param name="InvoiceNumber">The number; Xero numbers it when absent.</param>
/// <param name="Reference">A reference (an order number).</param>
/// <param name="CurrencyCode">The currency; the organisation's when absent.</param>
/// <param name="LineAmountTypes">How line amounts are given (<see cref="XeroLineAmountTypes"/>); Xero's default (<c>Exclusive</c>) when absent.</param>
/// <param name="Status">The status to create it in, for example <c>AUTHORISED</c>; <c>DRAFT</c> when absent.</param>
/// <param name="CurrencyRate">
/// Units of <paramref name="CurrencyCode"/> per unit of the organisation's base currency (Xero's direction: the inverse
/// of a home-per-foreign rate), at most 6 decimals; Xero's rate of the day when absent.
/// </param>
public sealed record XeroInvoiceDraft(
    string ContactId, IReadOnlyList<XeroLineDraft> Lines, DateOnly? Date = null, DateOnly? DueDate = null, string? InvoiceNumber = null,
    string? Reference = null, string? CurrencyCode = null, string? LineAmountTypes = null, string? Status = null, decimal? CurrencyRate = null);

/// <summary>A Xero credit note.</summary>
public sealed class XeroCreditNote
{
    /// <summary>The credit note's id.</summary>
    public string CreditNoteID { get; set; } = string.Empty;

    /// <summary>The credit note's number.</summary>
    public string? CreditNoteNumber { get; set; }

    /// <summary><c>ACCRECCREDIT</c> (to a customer) or <c>ACCPAYCREDIT</c>.</summary>
    public string? Type { get; set; }

    /// <summary>The status.</summary>
    public string? Status { get; set; }

    /// <summary>The customer.</summary>
    public XeroContactRef? Contact { get; set; }

    /// <summary>The date, as Xero sent it.</summary>
    public string? Date { get; set; }

    /// <summary>The reference.</summary>
    public string? Reference { get; set; }

    /// <summary>The currency.</summary>
    public string? CurrencyCode { get; set; }

    /// <summary>Units of <see cref="CurrencyCode"/> per unit of the organisation's base currency.</summary>
    public decimal? CurrencyRate { get; set; }

    /// <summary>How line amounts are given (<see cref="XeroLineAmountTypes"/>).</summary>
    public string? LineAmountTypes { get; set; }

    /// <summary>The lines.</summary>
    public List<XeroLineItem> LineItems { get; set; } = [];

    /// <summary>The total before tax.</summary>
    public decimal? SubTotal { get; set; }

    /// <summary>The tax.</summary>
    public decimal? TotalTax { get; set; }

    /// <summary>The total.</summary>
    public decimal? Total { get; set; }

    /// <summary>What is left to allocate.</summary>
    public decimal? RemainingCredit { get; set; }

    /// <summary>The fields Xero sent that this model does not type, by name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Extra { get; set; } = [];
}

/// <summary>A customer credit note (<c>ACCRECCREDIT</c>) to create.</summary>
/// <param name="ContactId">The customer's <c>ContactID</c>. Required.</param>
/// <param name="Lines">The lines; at least one.</param>
/// <param name="Date">The date; Xero's today when absent.</param>
/// <param name="CreditNoteNumber">The number; Xero numbers it when absent.</param>
/// <param name="Reference">A reference (a refund id).</param>
/// <param name="CurrencyCode">The currency.</param>
/// <param name="LineAmountTypes">How line amounts are given (<see cref="XeroLineAmountTypes"/>).</param>
/// <param name="Status">The status to create it in, for example <c>AUTHORISED</c> (needed to allocate it).</param>
/// <param name="CurrencyRate">Units of <paramref name="CurrencyCode"/> per unit of the base currency, at most 6 decimals; Xero's rate of the day when absent.</param>
public sealed record XeroCreditNoteDraft(
    string ContactId, IReadOnlyList<XeroLineDraft> Lines, DateOnly? Date = null, string? CreditNoteNumber = null,
    string? Reference = null, string? CurrencyCode = null, string? LineAmountTypes = null, string? Status = null, decimal? CurrencyRate = null);

/// <summary>A reference to an invoice.</summary>
public sealed class XeroInvoiceRef
{
    /// <summary>The invoice's id.</summary>
    public string? InvoiceID { get; set; }

    /// <summary>The invoice's number.</summary>
    public string? InvoiceNumber { get; set; }
}

/// <summary>A reference to an account.</summary>
public sealed class XeroAccountRef
{
    /// <summary>The account's id.</summary>
    public string? AccountID { get; set; }

    /// <summary>The account's code.</summary>
    public string? Code { get; set; }
}

/// <summary>A Xero payment.</summary>
public sealed class XeroPayment
{
    /// <summary>The payment's id.</summary>
    public string PaymentID { get; set; } = string.Empty;

    /// <summary>The invoice paid.</summary>
    public XeroInvoiceRef? Invoice { get; set; }

    /// <summary>The bank account paid into.</summary>
    public XeroAccountRef? Account { get; set; }

    /// <summary>The date, as Xero sent it.</summary>
    public string? Date { get; set; }

    /// <summary>The amount, in the invoice's currency.</summary>
    public decimal? Amount { get; set; }

    /// <summary>The reference.</summary>
    public string? Reference { get; set; }

    /// <summary><c>AUTHORISED</c> or <c>DELETED</c>.</summary>
    public string? Status { get; set; }

    /// <summary>The fields Xero sent that this model does not type, by name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Extra { get; set; } = [];
}

/// <summary>A payment of an invoice to record.</summary>
/// <param name="InvoiceId">The invoice's id. Required.</param>
/// <param name="AccountCode">The bank account's code (or an account with payments enabled). Required.</param>
/// <param name="Amount">The amount, in the invoice's currency; more than zero.</param>
/// <param name="Date">The payment date; Xero's today when absent.</param>
/// <param name="Reference">A reference (a payout or charge id).</param>
/// <param name="CurrencyRate">For an invoice in a foreign currency: units of it per unit of the base currency on the payment date; optional.</param>
public sealed record XeroPaymentDraft(string InvoiceId, string AccountCode, decimal Amount, DateOnly? Date = null, string? Reference = null, decimal? CurrencyRate = null);

/// <summary>An allocation of a credit note to an invoice, as Xero answers it.</summary>
public sealed class XeroAllocation
{
    /// <summary>The allocation's id, when Xero sends one.</summary>
    public string? AllocationID { get; set; }

    /// <summary>The invoice the credit went to.</summary>
    public XeroInvoiceRef? Invoice { get; set; }

    /// <summary>The amount allocated.</summary>
    public decimal? Amount { get; set; }

    /// <summary>The date, as Xero sent it.</summary>
    public string? Date { get; set; }
}

/// <summary>An allocation of (part of) an authorised credit note to an invoice of the same contact.</summary>
/// <param name="CreditNoteId">The credit note's id. Required.</param>
/// <param name="InvoiceId">The invoice's id. Required.</param>
/// <param name="Amount">The amount; more than zero.</param>
/// <param name="Date">The allocation date (required by Xero); today (UTC, by the connector's clock) when absent.</param>
public sealed record XeroAllocationDraft(string CreditNoteId, string InvoiceId, decimal Amount, DateOnly? Date = null);
