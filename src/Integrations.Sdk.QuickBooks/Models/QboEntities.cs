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
}
