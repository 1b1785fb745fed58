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
