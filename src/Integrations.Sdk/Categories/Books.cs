using Integrations.Sdk.Connectors;

namespace Integrations.Sdk.Books;

/// <summary>
/// An accounting system (QuickBooks Online, Xero...) seen through the books category model: customers, items, tax
/// codes, accounts, classes (tracking categories), invoices, credit notes and payments. Each books connector implements
/// it beside its own typed API, which stays reachable for what the model lacks (QuickBooks sales receipts, Xero bank
/// transactions...). Resolve one with <c>services.GetRequiredKeyedService&lt;IBooksConnector&gt;("xero")</c> (the
/// connector's name). Every write declares its write safety, like any sink operation, so a sync never books twice.
/// </summary>
/// <remarks>
/// Documents in the model are tax-exclusive: each line carries its net amount and the tax charged on it, as the store
/// charged it, so the books record the same tax the customer paid. Ids are the platform's own: QuickBooks ids, Xero
/// account codes and tax types.
/// </remarks>
public interface IBooksConnector
{
    /// <summary>The platform's connector name, for example <c>quickbooks</c> or <c>xero</c>.</summary>
    string Platform { get; }

    /// <summary>Reads the company: its home currency and whether it books in other currencies.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<BooksCompany> GetCompanyAsync(CancellationToken cancellationToken = default);

    /// <summary>Finds a customer by email, then by name, and creates it when neither matches.</summary>
    ILookupThenCreateOperation<BooksCustomerDraft, BooksCustomer> FindOrCreateCustomer { get; }

    /// <summary>Returns the item with this SKU (QuickBooks <c>Sku</c>, Xero <c>Code</c>), or <see langword="null"/>.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    Task<BooksItem?> FindItemBySkuAsync(string sku, CancellationToken cancellationToken = default);

    /// <summary>Reads the tax codes (QuickBooks tax codes, Xero tax rates), for checking a tax code table.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<BooksTaxCode>> GetTaxCodesAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads the accounts of the chart of accounts.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<BooksAccount>> GetAccountsAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads the classes (QuickBooks) or the options of the tracking category the connector is set to use (Xero).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<BooksClass>> GetClassesAsync(CancellationToken cancellationToken = default);

    /// <summary>Returns the invoice with this number, or <see langword="null"/>.</summary>
    /// <param name="number">The invoice number (QuickBooks <c>DocNumber</c>, Xero <c>InvoiceNumber</c>).</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    Task<BooksDocument?> FindInvoiceByNumberAsync(string number, CancellationToken cancellationToken = default);

    /// <summary>Creates an invoice (accounts receivable).</summary>
    ISinkOperation<BooksInvoiceDraft, BooksDocument> CreateInvoice { get; }

    /// <summary>Creates a credit note (QuickBooks credit memo) for goods or money given back, referring to the original invoice.</summary>
    ISinkOperation<BooksCreditNoteDraft, BooksDocument> CreateCreditNote { get; }

    /// <summary>Records a payment received against an invoice.</summary>
    ISinkOperation<BooksPaymentDraft, BooksPayment> RecordPayment { get; }
}

/// <summary>The company the books belong to.</summary>
public sealed record BooksCompany
{
    /// <summary>The company's name.</summary>
    public required string Name { get; init; }

    /// <summary>The ISO 4217 code of the home (base) currency: the currency of its reports.</summary>
    public required string HomeCurrency { get; init; }

    /// <summary>Whether documents in other currencies can be booked.</summary>
    public bool MultiCurrency { get; init; }
}

/// <summary>A customer to find, or create when it does not exist.</summary>
public sealed record BooksCustomerDraft
{
    /// <summary>The name shown in the books; unique in QuickBooks and Xero. Required.</summary>
    public required string Name { get; init; }

    /// <summary>The email address; looked up first. Optional.</summary>
    public string? Email { get; init; }

    /// <summary>The first name. Optional.</summary>
    public string? FirstName { get; init; }

    /// <summary>The last name. Optional.</summary>
    public string? LastName { get; init; }

    /// <summary>
    /// The ISO 4217 code of the currency the customer's documents are in; <see langword="null"/> (or the books' home
    /// currency) for the home currency. QuickBooks fixes a customer's currency when it is created and books a document
    /// only in its customer's currency, so it keeps one customer per currency (a foreign one named with the code after
    /// <see cref="Name"/>); Xero contacts have no fixed currency, so Xero ignores it.
    /// </summary>
    public string? Currency { get; init; }
}

/// <summary>A customer in the books.</summary>
public sealed record BooksCustomer
{
    /// <summary>The platform's id.</summary>
    public required string Id { get; init; }

    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The email address, when it has one.</summary>
    public string? Email { get; init; }
}

/// <summary>An item (product or service) in the books.</summary>
public sealed record BooksItem
{
    /// <summary>The id lines refer to it by: QuickBooks' item id; Xero's item <c>Code</c> (Xero lines name items by code).</summary>
    public required string Id { get; init; }

    /// <summary>The SKU (QuickBooks <c>Sku</c>, Xero <c>Code</c>).</summary>
    public required string Sku { get; init; }

    /// <summary>The name.</summary>
    public string? Name { get; init; }

    /// <summary>Whether the books track its quantity on hand (sales take it down, restocked credit notes put it back).</summary>
    public bool TracksQuantity { get; init; }

    /// <summary>The quantity on hand, for a tracked item.</summary>
    public decimal? QuantityOnHand { get; init; }

    /// <summary>The income account its sales post to (QuickBooks account id, Xero account code).</summary>
    public string? IncomeAccountId { get; init; }
}

/// <summary>A tax code (QuickBooks tax code, Xero tax rate).</summary>
/// <param name="Id">The id to put on lines (QuickBooks tax code id, Xero <c>TaxType</c>).</param>
/// <param name="Name">The name.</param>
/// <param name="Rate">The rate as a fraction (0.2 for 20 %), when the platform states one.</param>
public sealed record BooksTaxCode(string Id, string Name, decimal? Rate);

/// <summary>An account of the chart of accounts.</summary>
/// <param name="Id">The id to refer to it by (QuickBooks account id, Xero account code).</param>
/// <param name="Name">The name.</param>
/// <param name="Type">The platform's account type, for example <c>Income</c> or <c>REVENUE</c>.</param>
public sealed record BooksAccount(string Id, string Name, string? Type);

/// <summary>A class (QuickBooks) or tracking option (Xero) that categorises lines.</summary>
/// <param name="Id">The id to put on lines (QuickBooks class id, Xero tracking option name).</param>
/// <param name="Name">The name.</param>
public sealed record BooksClass(string Id, string Name);

/// <summary>What a document line is.</summary>
public enum BooksLineKind
{
    /// <summary>An item sold (or credited): <see cref="BooksLine.ItemId"/> is required; a tracked item's quantity on hand moves.</summary>
    Item,

    /// <summary>A shipping charge (QuickBooks' shipping line, a Xero line on the shipping income account).</summary>
    Shipping,

    /// <summary>A discount: <see cref="BooksLine.Amount"/> is what is taken off, as a positive number.</summary>
    Discount,

    /// <summary>
    /// Any other amount, on <see cref="BooksLine.AccountId"/>, that moves no stock, for example goods refunded but not
    /// returned. <see cref="BooksLine.ItemId"/> names an untracked service or non-inventory item (see
    /// <see cref="BooksPostingRules.NonStockItemSku"/>): optional for Xero, required by QuickBooks, which ignores the
    /// amount of a line without an item.
    /// </summary>
    Other,
}

/// <summary>A line of an invoice or credit note. Amounts are in the document's currency and without tax.</summary>
public sealed record BooksLine
{
    /// <summary>What the line is. <value>Default: <see cref="BooksLineKind.Item"/>.</value></summary>
    public BooksLineKind Kind { get; init; } = BooksLineKind.Item;

    /// <summary>
    /// The item's id: required for <see cref="BooksLineKind.Item"/> lines; for <see cref="BooksLineKind.Other"/> lines an
    /// untracked service or non-inventory item (optional for Xero, required by QuickBooks); ignored otherwise.
    /// </summary>
    public string? ItemId { get; init; }

    /// <summary>The description. Optional.</summary>
    public string? Description { get; init; }

    /// <summary>The quantity. <value>Default: 1.</value></summary>
    public decimal Quantity { get; init; } = 1;

    /// <summary>The net price of one unit (may carry more than two decimals).</summary>
    public decimal UnitPrice { get; init; }

    /// <summary>The net amount of the line, without tax: <see cref="Quantity"/> × <see cref="UnitPrice"/> rounded to cents.</summary>
    public required decimal Amount { get; init; }

    /// <summary>The tax on the line, as charged.</summary>
    public decimal TaxAmount { get; init; }

    /// <summary>The tax code (QuickBooks tax code id, Xero <c>TaxType</c>); <see langword="null"/> for the platform's default.</summary>
    public string? TaxCodeId { get; init; }

    /// <summary>
    /// The income account (QuickBooks account id, Xero account code): for items it replaces the item's own; required
    /// for <see cref="BooksLineKind.Other"/> lines and, on Xero, for shipping and discount lines.
    /// </summary>
    public string? AccountId { get; init; }

    /// <summary>The class (QuickBooks class id) or tracking option (Xero option name) that categorises the line. Optional.</summary>
    public string? ClassId { get; init; }
}

/// <summary>What an invoice or credit note to create holds.</summary>
public abstract record BooksDocumentDraft
{
    /// <summary>The customer's id (see <see cref="IBooksConnector.FindOrCreateCustomer"/>). Required.</summary>
    public required string CustomerId { get; init; }

    /// <summary>The document number (QuickBooks <c>DocNumber</c>, at most 21 characters; Xero number). Required.</summary>
    public required string Number { get; init; }

    /// <summary>The document's date.</summary>
    public required DateOnly Date { get; init; }

    /// <summary>The ISO 4217 currency of the amounts.</summary>
    public required string Currency { get; init; }

    /// <summary>
    /// Home-currency units per unit of <see cref="Currency"/>; <see langword="null"/> when the document is in the home
    /// currency, or to let the platform use its own rate of the day.
    /// </summary>
    public decimal? ExchangeRate { get; init; }

    /// <summary>The lines; at least one.</summary>
    public required IReadOnlyList<BooksLine> Lines { get; init; }

    /// <summary>A reference, for example the store's order number. Optional.</summary>
    public string? Reference { get; init; }

    /// <summary>An internal note. Optional.</summary>
    public string? Memo { get; init; }
}

/// <summary>An invoice to create.</summary>
public sealed record BooksInvoiceDraft : BooksDocumentDraft
{
    /// <summary>The due date. <value>Default: the platform's (customer terms).</value></summary>
    public DateOnly? DueDate { get; init; }
}

/// <summary>A credit note to create, for (part of) an invoice.</summary>
public sealed record BooksCreditNoteDraft : BooksDocumentDraft
{
    /// <summary>The number of the invoice it credits; the connector links the two as its platform allows. Required.</summary>
    public required string OriginalInvoiceNumber { get; init; }
}

/// <summary>A payment received against an invoice.</summary>
public sealed record BooksPaymentDraft
{
    /// <summary>The invoice's id. Required.</summary>
    public required string InvoiceId { get; init; }

    /// <summary>The amount received, in <see cref="Currency"/>.</summary>
    public required decimal Amount { get; init; }

    /// <summary>The date it was received.</summary>
    public required DateOnly Date { get; init; }

    /// <summary>The ISO 4217 currency of <see cref="Amount"/>: the invoice's.</summary>
    public required string Currency { get; init; }

    /// <summary>Home-currency units per unit of <see cref="Currency"/>; <see langword="null"/> in the home currency or for the platform's rate.</summary>
    public decimal? ExchangeRate { get; init; }

    /// <summary>The account the money goes to (QuickBooks deposit account id, Xero bank account code); Xero requires one.</summary>
    public string? AccountId { get; init; }

    /// <summary>A reference, for example the payment gateway's transaction id. Optional.</summary>
    public string? Reference { get; init; }
}

/// <summary>An invoice or credit note as the books hold it.</summary>
public sealed record BooksDocument
{
    /// <summary>The platform's id.</summary>
    public required string Id { get; init; }

    /// <summary>The document number.</summary>
    public required string Number { get; init; }

    /// <summary>The ISO 4217 currency.</summary>
    public required string Currency { get; init; }

    /// <summary>The net amount, without tax (after discounts).</summary>
    public decimal Subtotal { get; init; }

    /// <summary>The tax.</summary>
    public decimal TotalTax { get; init; }

    /// <summary>The total, with tax.</summary>
    public decimal Total { get; init; }

    /// <summary>What is still owed (an invoice) or still to be used (a credit note).</summary>
    public decimal Balance { get; init; }
}

/// <summary>A payment as the books hold it.</summary>
public sealed record BooksPayment
{
    /// <summary>The platform's id.</summary>
    public required string Id { get; init; }

    /// <summary>The invoice it pays.</summary>
    public required string InvoiceId { get; init; }

    /// <summary>The amount, in the invoice's currency.</summary>
    public required decimal Amount { get; init; }
}
