namespace Integrations.Sdk.QuickBooks.Models;

/// <summary>A QuickBooks customer. Only the fields the connector uses; QuickBooks omits fields without a value.</summary>
public sealed record QboCustomer : QboEntity
{
    /// <summary>The name shown everywhere; unique among customers, vendors and employees.</summary>
    public string? DisplayName { get; init; }

    /// <summary>The given name.</summary>
    public string? GivenName { get; init; }

    /// <summary>The family name.</summary>
    public string? FamilyName { get; init; }

    /// <summary>The company name.</summary>
    public string? CompanyName { get; init; }

    /// <summary>The primary email address.</summary>
    public QboEmailAddress? PrimaryEmailAddr { get; init; }

    /// <summary>The primary phone.</summary>
    public QboPhoneNumber? PrimaryPhone { get; init; }

    /// <summary>Whether the customer is active; inactive customers are hidden from queries by default.</summary>
    public bool? Active { get; init; }

    /// <summary>The open balance.</summary>
    public decimal? Balance { get; init; }

    /// <summary>The currency of the customer's transactions, fixed when it is created (multicurrency companies; the home currency otherwise).</summary>
    public QboReference? CurrencyRef { get; init; }
}

/// <summary>A QuickBooks item (product or service).</summary>
public sealed record QboItem : QboEntity
{
    /// <summary>The item's name; unique among items.</summary>
    public string? Name { get; init; }

    /// <summary>The stock keeping unit.</summary>
    public string? Sku { get; init; }

    /// <summary>The description shown on sales forms.</summary>
    public string? Description { get; init; }

    /// <summary><c>Inventory</c>, <c>NonInventory</c>, <c>Service</c>...</summary>
    public string? Type { get; init; }

    /// <summary>The sales price of one unit.</summary>
    public decimal? UnitPrice { get; init; }

    /// <summary>Whether QuickBooks tracks the quantity on hand (inventory items).</summary>
    public bool? TrackQtyOnHand { get; init; }

    /// <summary>The quantity on hand; sales of the item reduce it.</summary>
    public decimal? QtyOnHand { get; init; }

    /// <summary>The income account sales of the item post to.</summary>
    public QboReference? IncomeAccountRef { get; init; }

    /// <summary>Whether the item is active.</summary>
    public bool? Active { get; init; }
}

/// <summary>A QuickBooks invoice: a sale paid later, leaving a balance on the customer.</summary>
public sealed record QboInvoice : QboTransaction
{
    /// <summary>The due date.</summary>
    [JsonPropertyName("DueDate"), JsonPropertyOrder(1)]
    public DateOnly? DueDate { get; init; }

    /// <summary>What remains to be paid.</summary>
    [JsonPropertyName("Balance"), JsonPropertyOrder(1)]
    public decimal? Balance { get; init; }
}

/// <summary>A QuickBooks sales receipt: a sale paid on the spot, with no balance left.</summary>
public sealed record QboSalesReceipt : QboTransaction
{
    /// <summary>The account the payment is deposited to (Undeposited Funds by default).</summary>
    [JsonPropertyName("DepositToAccountRef"), JsonPropertyOrder(1)]
    public QboReference? DepositToAccountRef { get; init; }

    /// <summary>The payment method.</summary>
    [JsonPropertyName("PaymentMethodRef"), JsonPropertyOrder(1)]
    public QboReference? PaymentMethodRef { get; init; }
}

/// <summary>What every QuickBooks entity carries: its id, its version and its times.</summary>
public abstract record QboEntity
{
    /// <summary>The entity's id.</summary>
    public string? Id { get; init; }

    /// <summary>The version QuickBooks checks on update (optimistic concurrency).</summary>
    public string? SyncToken { get; init; }

    /// <summary>Creation and last-change times.</summary>
    public QboMetaData? MetaData { get; init; }

    /// <summary>
    /// The fields of the entity this model does not type, by their JSON name, as QuickBooks sent them: QuickBooks
    /// returns every field that has a value, so nothing needs asking for (for example <c>Extra["BillAddr"]</c>).
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Extra { get; init; } = [];
}

/// <summary>What an invoice and a sales receipt share: the sale's number, date, customer, lines and total.</summary>
public abstract record QboTransaction : QboEntity
{
    /// <summary>The document number (reference), for example the web-store order number.</summary>
    public string? DocNumber { get; init; }

    /// <summary>The transaction date.</summary>
    public DateOnly? TxnDate { get; init; }

    /// <summary>The customer (a sales receipt may have none).</summary>
    public QboReference? CustomerRef { get; init; }

    /// <summary>The lines; responses add a subtotal line.</summary>
    public IReadOnlyList<QboLine>? Line { get; init; }

    /// <summary>The total.</summary>
    public decimal? TotalAmt { get; init; }

    /// <summary>The currency, for multicurrency companies.</summary>
    public QboReference? CurrencyRef { get; init; }

    /// <summary>An internal note, not shown to the customer.</summary>
    public string? PrivateNote { get; init; }

    /// <summary>Home-currency units per unit of <see cref="CurrencyRef"/> (multicurrency companies).</summary>
    public decimal? ExchangeRate { get; init; }

    /// <summary>The total in the home currency (multicurrency companies; responses only).</summary>
    public decimal? HomeTotalAmt { get; init; }

    /// <summary>The tax: its total and the transaction's tax code.</summary>
    public QboTxnTaxDetail? TxnTaxDetail { get; init; }

    /// <summary>Whether line amounts include tax: <c>TaxExcluded</c>, <c>TaxInclusive</c> or <c>NotApplicable</c> (outside the US).</summary>
    public string? GlobalTaxCalculation { get; init; }

    /// <summary>A message shown to the customer on the document.</summary>
    public QboMemo? CustomerMemo { get; init; }

    /// <summary>The transactions linked to this one, for example the payments of an invoice.</summary>
    public IReadOnlyList<QboLinkedTxn>? LinkedTxn { get; init; }
}

/// <summary>A QuickBooks credit memo: money or goods given back to a customer, leaving a credit to apply or refund.</summary>
public sealed record QboCreditMemo : QboTransaction
{
    /// <summary>The credit not yet used.</summary>
    [JsonPropertyName("Balance"), JsonPropertyOrder(1)]
    public decimal? Balance { get; init; }

    /// <summary>The credit remaining (as QuickBooks reports it beside <see cref="Balance"/>).</summary>
    [JsonPropertyName("RemainingCredit"), JsonPropertyOrder(1)]
    public decimal? RemainingCredit { get; init; }
}

/// <summary>A QuickBooks payment received from a customer, applied to invoices through its lines' <c>LinkedTxn</c>.</summary>
public sealed record QboPayment : QboEntity
{
    /// <summary>The date it was received.</summary>
    public DateOnly? TxnDate { get; init; }

    /// <summary>The customer who paid.</summary>
    public QboReference? CustomerRef { get; init; }

    /// <summary>The currency (multicurrency companies): the invoices'.</summary>
    public QboReference? CurrencyRef { get; init; }

    /// <summary>Home-currency units per unit of <see cref="CurrencyRef"/>.</summary>
    public decimal? ExchangeRate { get; init; }

    /// <summary>The amount received.</summary>
    public decimal? TotalAmt { get; init; }

    /// <summary>The part of <see cref="TotalAmt"/> not applied to any transaction.</summary>
    public decimal? UnappliedAmt { get; init; }

    /// <summary>The account the money went to. <value>Default: Undeposited Funds.</value></summary>
    public QboReference? DepositToAccountRef { get; init; }

    /// <summary>The payment's reference number, for example the gateway's transaction id.</summary>
    public string? PaymentRefNum { get; init; }

    /// <summary>An internal note.</summary>
    public string? PrivateNote { get; init; }

    /// <summary>The lines: each applies an amount to the transaction in its <c>LinkedTxn</c>.</summary>
    public IReadOnlyList<QboLine>? Line { get; init; }
}

/// <summary>The company's information (<c>CompanyInfo</c>).</summary>
public sealed record QboCompanyInfo : QboEntity
{
    /// <summary>The company's name.</summary>
    public string? CompanyName { get; init; }

    /// <summary>The legal name.</summary>
    public string? LegalName { get; init; }

    /// <summary>The country, for example <c>US</c>.</summary>
    public string? Country { get; init; }
}

/// <summary>The company's preferences (<c>Preferences</c>); only the currency preferences are typed.</summary>
public sealed record QboPreferences : QboEntity
{
    /// <summary>The home currency and whether multicurrency is on.</summary>
    public QboCurrencyPrefs? CurrencyPrefs { get; init; }
}

/// <summary>The currency preferences of a company.</summary>
public sealed record QboCurrencyPrefs
{
    /// <summary>Whether transactions may be in other currencies than the home one.</summary>
    public bool? MultiCurrencyEnabled { get; init; }

    /// <summary>The home currency (<c>value</c> is the ISO code).</summary>
    public QboReference? HomeCurrency { get; init; }
}

/// <summary>A tax code (<c>TaxCode</c>): what a line's <c>TaxCodeRef</c> names.</summary>
public sealed record QboTaxCode : QboEntity
{
    /// <summary>The name.</summary>
    public string? Name { get; init; }

    /// <summary>The description.</summary>
    public string? Description { get; init; }

    /// <summary>Whether it is active.</summary>
    public bool? Active { get; init; }

    /// <summary>Whether lines with it are taxed.</summary>
    public bool? Taxable { get; init; }

    /// <summary>Whether it groups several rates.</summary>
    public bool? TaxGroup { get; init; }

    /// <summary>The sales tax rates it applies.</summary>
    public QboTaxRateList? SalesTaxRateList { get; init; }
}

/// <summary>The rates of a tax code.</summary>
public sealed record QboTaxRateList
{
    /// <summary>The rates.</summary>
    public IReadOnlyList<QboTaxRateDetail>? TaxRateDetail { get; init; }
}

/// <summary>One rate of a tax code.</summary>
public sealed record QboTaxRateDetail
{
    /// <summary>The tax rate (see <see cref="QboTaxRate"/>).</summary>
    public QboReference? TaxRateRef { get; init; }

    /// <summary>What it applies to, for example <c>TaxOnAmount</c>.</summary>
    public string? TaxTypeApplicable { get; init; }

    /// <summary>The order rates apply in.</summary>
    public int? TaxOrder { get; init; }
}

/// <summary>A tax rate (<c>TaxRate</c>).</summary>
public sealed record QboTaxRate : QboEntity
{
    /// <summary>The name.</summary>
    public string? Name { get; init; }

    /// <summary>The rate in percent (8.5 for 8.5 %).</summary>
    public decimal? RateValue { get; init; }

    /// <summary>Whether it is active.</summary>
    public bool? Active { get; init; }
}

/// <summary>An account of the chart of accounts (<c>Account</c>).</summary>
public sealed record QboAccount : QboEntity
{
    /// <summary>The name.</summary>
    public string? Name { get; init; }

    /// <summary>The type, for example <c>Income</c>, <c>Bank</c> or <c>Other Current Asset</c>.</summary>
    public string? AccountType { get; init; }

    /// <summary>The detail type, for example <c>SalesOfProductIncome</c>.</summary>
    public string? AccountSubType { get; init; }

    /// <summary>The classification: <c>Asset</c>, <c>Liability</c>, <c>Equity</c>, <c>Revenue</c> or <c>Expense</c>.</summary>
    public string? Classification { get; init; }

    /// <summary>The account number, when the company uses them.</summary>
    public string? AcctNum { get; init; }

    /// <summary>Whether it is active.</summary>
    public bool? Active { get; init; }
}

/// <summary>A class (<c>Class</c>) that categorises lines and transactions.</summary>
public sealed record QboClass : QboEntity
{
    /// <summary>The name.</summary>
    public string? Name { get; init; }

    /// <summary>The full name, with its parents.</summary>
    public string? FullyQualifiedName { get; init; }

    /// <summary>Whether it is active.</summary>
    public bool? Active { get; init; }
}
