using System.Text.Json.Serialization;

namespace Integrations.Sdk.QuickBooks.Models;

/// <summary>A QuickBooks customer. Only the fields the connector uses; QuickBooks omits fields without a value.</summary>
public sealed record QboCustomer : QboEntity
{
    /// <summary>The name shown everywhere; unique among customers, vendors and employees.</summary>
    [JsonPropertyName("DisplayName")]
    public string? DisplayName { get; init; }

    /// <summary>The given name.</summary>
    [JsonPropertyName("GivenName")]
    public string? GivenName { get; init; }

    /// <summary>The family name.</summary>
    [JsonPropertyName("FamilyName")]
    public string? FamilyName { get; init; }

    /// <summary>The company name.</summary>
    [JsonPropertyName("CompanyName")]
    public string? CompanyName { get; init; }

    /// <summary>The primary email address.</summary>
    [JsonPropertyName("PrimaryEmailAddr")]
    public QboEmailAddress? PrimaryEmailAddr { get; init; }

    /// <summary>The primary phone.</summary>
    [JsonPropertyName("PrimaryPhone")]
    public QboPhoneNumber? PrimaryPhone { get; init; }

    /// <summary>Whether the customer is active; inactive customers are hidden from queries by default.</summary>
    [JsonPropertyName("Active")]
    public bool? Active { get; init; }

    /// <summary>The open balance.</summary>
    [JsonPropertyName("Balance")]
    public decimal? Balance { get; init; }
}

/// <summary>A QuickBooks item (product or service).</summary>
public sealed record QboItem : QboEntity
{
    /// <summary>The item's name; unique among items.</summary>
    [JsonPropertyName("Name")]
    public string? Name { get; init; }

    /// <summary>The stock keeping unit.</summary>
    [JsonPropertyName("Sku")]
    public string? Sku { get; init; }

    /// <summary>The description shown on sales forms.</summary>
    [JsonPropertyName("Description")]
    public string? Description { get; init; }

    /// <summary><c>Inventory</c>, <c>NonInventory</c>, <c>Service</c>...</summary>
    [JsonPropertyName("Type")]
    public string? Type { get; init; }

    /// <summary>The sales price of one unit.</summary>
    [JsonPropertyName("UnitPrice")]
    public decimal? UnitPrice { get; init; }

    /// <summary>Whether QuickBooks tracks the quantity on hand (inventory items).</summary>
    [JsonPropertyName("TrackQtyOnHand")]
    public bool? TrackQtyOnHand { get; init; }

    /// <summary>The quantity on hand; sales of the item reduce it.</summary>
    [JsonPropertyName("QtyOnHand")]
    public decimal? QtyOnHand { get; init; }

    /// <summary>The income account sales of the item post to.</summary>
    [JsonPropertyName("IncomeAccountRef")]
    public QboReference? IncomeAccountRef { get; init; }

    /// <summary>Whether the item is active.</summary>
    [JsonPropertyName("Active")]
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
    [JsonPropertyName("Id")]
    public string? Id { get; init; }

    /// <summary>The version QuickBooks checks on update (optimistic concurrency).</summary>
    [JsonPropertyName("SyncToken")]
    public string? SyncToken { get; init; }

    /// <summary>Creation and last-change times.</summary>
    [JsonPropertyName("MetaData")]
    public QboMetaData? MetaData { get; init; }
}

/// <summary>What an invoice and a sales receipt share: the sale's number, date, customer, lines and total.</summary>
public abstract record QboTransaction : QboEntity
{
    /// <summary>The document number (reference), for example the web-store order number.</summary>
    [JsonPropertyName("DocNumber")]
    public string? DocNumber { get; init; }

    /// <summary>The transaction date.</summary>
    [JsonPropertyName("TxnDate")]
    public DateOnly? TxnDate { get; init; }

    /// <summary>The customer (a sales receipt may have none).</summary>
    [JsonPropertyName("CustomerRef")]
    public QboReference? CustomerRef { get; init; }

    /// <summary>The lines; responses add a subtotal line.</summary>
    [JsonPropertyName("Line")]
    public IReadOnlyList<QboLine>? Line { get; init; }

    /// <summary>The total.</summary>
    [JsonPropertyName("TotalAmt")]
    public decimal? TotalAmt { get; init; }

    /// <summary>The currency, for multicurrency companies.</summary>
    [JsonPropertyName("CurrencyRef")]
    public QboReference? CurrencyRef { get; init; }

    /// <summary>An internal note, not shown to the customer.</summary>
    [JsonPropertyName("PrivateNote")]
    public string? PrivateNote { get; init; }
}
