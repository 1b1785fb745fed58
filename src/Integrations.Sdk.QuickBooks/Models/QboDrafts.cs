namespace Integrations.Sdk.QuickBooks.Models;

/// <summary>A customer to find, or create when it does not exist.</summary>
public sealed record QboCustomerDraft
{
    /// <summary>The display name; required, unique in QuickBooks. Looked up when no customer has <see cref="Email"/>.</summary>
    public required string DisplayName { get; init; }

    /// <summary>The email address; looked up first. Optional.</summary>
    public string? Email { get; init; }

    /// <summary>The given name. Optional.</summary>
    public string? GivenName { get; init; }

    /// <summary>The family name. Optional.</summary>
    public string? FamilyName { get; init; }

    /// <summary>The company name. Optional.</summary>
    public string? CompanyName { get; init; }

    /// <summary>The phone number. Optional.</summary>
    public string? Phone { get; init; }

    /// <summary>
    /// The ISO 4217 code of the currency of the customer's transactions (<c>CurrencyRef</c>), fixed once created: QuickBooks
    /// books an invoice, credit memo or payment only in its customer's currency. <see langword="null"/> for the home currency.
    /// </summary>
    public string? CurrencyCode { get; init; }
}

/// <summary>One item line of an invoice or sales receipt to create.</summary>
public sealed record QboLineDraft
{
    /// <summary>The id of the item sold (see <see cref="QuickBooksConnector.FindItemBySkuAsync"/>). Required.</summary>
    public required string ItemId { get; init; }

    /// <summary>The quantity sold.</summary>
    public decimal Qty { get; init; } = 1;

    /// <summary>The price of one unit.</summary>
    public decimal UnitPrice { get; init; }

    /// <summary>The line amount. <value>Default: <see cref="Qty"/> × <see cref="UnitPrice"/>, rounded to cents.</value> QuickBooks rejects an amount that differs.</summary>
    public decimal? Amount { get; init; }

    /// <summary>The line's description. Optional.</summary>
    public string? Description { get; init; }

    /// <summary>The income account the line posts to instead of the item's own (QuickBooks <c>ItemAccountRef</c>). Optional.</summary>
    public string? IncomeAccountId { get; init; }

    /// <summary>The tax code (<c>TAX</c> or <c>NON</c> in the US). Optional.</summary>
    public string? TaxCodeId { get; init; }

    /// <summary>The class that categorises the line (QuickBooks <c>ClassRef</c>). Optional.</summary>
    public string? ClassId { get; init; }

    /// <summary>
    /// A shipping charge of <paramref name="amount"/>: the sales item line with <c>ItemRef</c>
    /// <see cref="QboLineDetailTypes.ShippingItemId"/> Intuit documents (the company must allow shipping); it carries
    /// no quantity or unit price.
    /// </summary>
    /// <param name="amount">The charge, without tax when the transaction is <c>TaxExcluded</c>.</param>
    /// <param name="taxCodeId">Its tax code; optional.</param>
    /// <returns>The line.</returns>
    public static QboLineDraft Shipping(decimal amount, string? taxCodeId = null) =>
        new() { ItemId = QboLineDetailTypes.ShippingItemId, Amount = amount, UnitPrice = amount, TaxCodeId = taxCodeId };
}

/// <summary>A discount line (<c>DiscountLineDetail</c>) of an invoice, credit memo or sales receipt to create.</summary>
public sealed record QboDiscountDraft
{
    /// <summary>The amount taken off, as a positive number.</summary>
    public required decimal Amount { get; init; }

    /// <summary>The account the discount posts to (<c>DiscountAccountRef</c>). <value>Default: the company's discounts account.</value></summary>
    public string? DiscountAccountId { get; init; }

    /// <summary>The class that categorises the discount. Optional.</summary>
    public string? ClassId { get; init; }

    /// <summary>The discount's tax code. Optional.</summary>
    public string? TaxCodeId { get; init; }

    /// <summary>The description. Optional.</summary>
    public string? Description { get; init; }
}

/// <summary>The <c>GlobalTaxCalculation</c> values: whether line amounts include tax (companies outside the US).</summary>
public static class QboGlobalTaxCalculation
{
    /// <summary>Line amounts are without tax; the tax is added.</summary>
    public const string TaxExcluded = "TaxExcluded";

    /// <summary>Line amounts include tax.</summary>
    public const string TaxInclusive = "TaxInclusive";

    /// <summary>No tax.</summary>
    public const string NotApplicable = "NotApplicable";
}

/// <summary>What an invoice or sales receipt to create holds besides its customer.</summary>
public abstract record QboTransactionDraft
{
    /// <summary>The item lines; at least one.</summary>
    public required IReadOnlyList<QboLineDraft> Lines { get; init; }

    /// <summary>The document number, for example the web-store order number. Optional; at most 21 characters.</summary>
    public string? DocNumber { get; init; }

    /// <summary>The transaction date. <value>Default: today in the company's time zone.</value></summary>
    public DateOnly? TxnDate { get; init; }

    /// <summary>An internal note. Optional.</summary>
    public string? PrivateNote { get; init; }

    /// <summary>The ISO currency code, for multicurrency companies. <value>Default: the company's home currency.</value></summary>
    public string? CurrencyCode { get; init; }

    /// <summary>Home-currency units per unit of <see cref="CurrencyCode"/>. <value>Default: QuickBooks' rate of the day.</value></summary>
    public decimal? ExchangeRate { get; init; }

    /// <summary>The discount lines, sent after the item lines. Optional.</summary>
    public IReadOnlyList<QboDiscountDraft>? Discounts { get; init; }

    /// <summary>
    /// The total tax as charged (<c>TxnTaxDetail.TotalTax</c>): QuickBooks records it instead of computing its own.
    /// <value>Default: QuickBooks computes the tax from the lines' tax codes.</value>
    /// </summary>
    public decimal? TotalTax { get; init; }

    /// <summary>The transaction's tax code or rate group (<c>TxnTaxDetail.TxnTaxCodeRef</c>, US companies). Optional.</summary>
    public string? TxnTaxCodeId { get; init; }

    /// <summary>Whether line amounts include tax (<see cref="QboGlobalTaxCalculation"/>; companies outside the US). Optional.</summary>
    public string? GlobalTaxCalculation { get; init; }

    /// <summary>A message shown to the customer on the document (<c>CustomerMemo</c>). Optional.</summary>
    public string? CustomerMemo { get; init; }
}

/// <summary>An invoice to create.</summary>
public sealed record QboInvoiceDraft : QboTransactionDraft
{
    /// <summary>The customer's id (see <see cref="QuickBooksConnector.FindOrCreateCustomer"/>). Required.</summary>
    public required string CustomerId { get; init; }

    /// <summary>The due date. <value>Default: from the customer's terms.</value></summary>
    public DateOnly? DueDate { get; init; }
}

/// <summary>A sales receipt to create: a sale paid on the spot.</summary>
public sealed record QboSalesReceiptDraft : QboTransactionDraft
{
    /// <summary>The customer's id. Optional for a sales receipt.</summary>
    public string? CustomerId { get; init; }

    /// <summary>The account the payment goes to. <value>Default: Undeposited Funds.</value></summary>
    public string? DepositToAccountId { get; init; }

    /// <summary>The payment method's id. Optional.</summary>
    public string? PaymentMethodId { get; init; }
}

/// <summary>A change to an inventory item's quantity on hand.</summary>
/// <param name="ItemId">The item's id; it must track its quantity on hand.</param>
/// <param name="QuantityDelta">What to add (negative to remove), for example a count correction or a return to stock.</param>
public sealed record QboInventoryAdjustment(string ItemId, decimal QuantityDelta);

/// <summary>A credit memo to create: money or goods given back to a customer.</summary>
public sealed record QboCreditMemoDraft : QboTransactionDraft
{
    /// <summary>The customer's id. Required.</summary>
    public required string CustomerId { get; init; }
}

/// <summary>A payment received, applied to one or more invoices.</summary>
public sealed record QboPaymentDraft
{
    /// <summary>The customer who paid: the invoices'. Required.</summary>
    public required string CustomerId { get; init; }

    /// <summary>What it pays: an amount per invoice; at least one.</summary>
    public required IReadOnlyList<QboPaymentLineDraft> Lines { get; init; }

    /// <summary>The amount received. <value>Default: the sum of the lines.</value></summary>
    public decimal? TotalAmt { get; init; }

    /// <summary>The date it was received. <value>Default: today in the company's time zone.</value></summary>
    public DateOnly? TxnDate { get; init; }

    /// <summary>The ISO currency code: the invoices'. <value>Default: the home currency.</value></summary>
    public string? CurrencyCode { get; init; }

    /// <summary>Home-currency units per unit of <see cref="CurrencyCode"/>. <value>Default: QuickBooks' rate of the day.</value></summary>
    public decimal? ExchangeRate { get; init; }

    /// <summary>The account the money goes to (<c>DepositToAccountRef</c>). <value>Default: Undeposited Funds.</value></summary>
    public string? DepositToAccountId { get; init; }

    /// <summary>The payment's reference number, for example the gateway's transaction id. Optional.</summary>
    public string? PaymentRefNum { get; init; }

    /// <summary>An internal note. Optional.</summary>
    public string? PrivateNote { get; init; }
}

/// <summary>The part of a payment applied to one invoice.</summary>
/// <param name="InvoiceId">The invoice's id.</param>
/// <param name="Amount">The amount applied to it.</param>
public sealed record QboPaymentLineDraft(string InvoiceId, decimal Amount);
