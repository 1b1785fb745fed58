namespace Integrations.Sdk.QuickBooks.Models;

/// <summary>A reference to another QuickBooks entity (<c>{ "value": "42", "name": "Acme" }</c>).</summary>
public sealed record QboReference
{
    /// <summary>Creates an empty reference (for deserialization).</summary>
    public QboReference()
    {
    }

    /// <summary>Creates a reference to the entity with id <paramref name="value"/>.</summary>
    /// <param name="value">The referenced entity's id (or code, for currencies).</param>
    /// <param name="name">Its display name; optional.</param>
    public QboReference(string value, string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        Value = value;
        Name = name;
    }

    /// <summary>The referenced entity's id.</summary>
    [JsonPropertyName("value")]
    public string? Value { get; init; }

    /// <summary>Its display name, as QuickBooks returns it.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }
}

/// <summary>An email address (<c>PrimaryEmailAddr</c>).</summary>
public sealed record QboEmailAddress
{
    /// <summary>The address.</summary>
    public string? Address { get; init; }
}

/// <summary>A phone number (<c>PrimaryPhone</c>).</summary>
public sealed record QboPhoneNumber
{
    /// <summary>The number, free form.</summary>
    public string? FreeFormNumber { get; init; }
}

/// <summary>When QuickBooks created and last changed an entity.</summary>
public sealed record QboMetaData
{
    /// <summary>When the entity was created.</summary>
    public DateTimeOffset? CreateTime { get; init; }

    /// <summary>When the entity last changed.</summary>
    public DateTimeOffset? LastUpdatedTime { get; init; }
}

/// <summary>The details of a sales line that sells an item.</summary>
public sealed record QboSalesItemLineDetail
{
    /// <summary>The item sold.</summary>
    public QboReference? ItemRef { get; init; }

    /// <summary>The quantity sold.</summary>
    public decimal? Qty { get; init; }

    /// <summary>The price of one unit.</summary>
    public decimal? UnitPrice { get; init; }

    /// <summary>The income account the line posts to, when not the item's own (QuickBooks <c>ItemAccountRef</c>).</summary>
    public QboReference? ItemAccountRef { get; init; }

    /// <summary>The line's tax code (<c>TAX</c>, <c>NON</c>, or a tax code id outside the US).</summary>
    public QboReference? TaxCodeRef { get; init; }

    /// <summary>The class that categorises the line.</summary>
    public QboReference? ClassRef { get; init; }
}

/// <summary>The details of a discount line: an amount (or percent) taken off the lines above it.</summary>
public sealed record QboDiscountLineDetail
{
    /// <summary>Whether the discount is a percent (<see cref="DiscountPercent"/>) rather than the line's amount.</summary>
    public bool? PercentBased { get; init; }

    /// <summary>The percent taken off, 8.5 for 8.5 %, when <see cref="PercentBased"/>.</summary>
    public decimal? DiscountPercent { get; init; }

    /// <summary>The account the discount posts to. <value>Default: the company's discounts account.</value></summary>
    public QboReference? DiscountAccountRef { get; init; }

    /// <summary>The class that categorises the discount.</summary>
    public QboReference? ClassRef { get; init; }

    /// <summary>The discount's tax code.</summary>
    public QboReference? TaxCodeRef { get; init; }
}

/// <summary>A link to another transaction, for example the invoice a payment line pays.</summary>
public sealed record QboLinkedTxn
{
    /// <summary>The linked transaction's id.</summary>
    public string? TxnId { get; init; }

    /// <summary>Its type, for example <c>Invoice</c>.</summary>
    public string? TxnType { get; init; }

    /// <summary>The linked line's id, when a line is linked.</summary>
    public string? TxnLineId { get; init; }
}

/// <summary>The tax of a transaction (<c>TxnTaxDetail</c>).</summary>
public sealed record QboTxnTaxDetail
{
    /// <summary>The transaction's tax code or rate group (US), when one applies to the whole transaction.</summary>
    public QboReference? TxnTaxCodeRef { get; init; }

    /// <summary>The total tax; sent, it overrides the tax QuickBooks would compute (the tax as charged).</summary>
    public decimal? TotalTax { get; init; }
}

/// <summary>A memo shown to the customer (<c>CustomerMemo</c>: <c>{ "value": "..." }</c>).</summary>
public sealed record QboMemo
{
    /// <summary>The text.</summary>
    [JsonPropertyName("value")]
    public string? Value { get; init; }
}

/// <summary>One line of an invoice or sales receipt; only <see cref="QboLineDetailTypes.SalesItemLine"/> lines sell items.</summary>
public sealed record QboLine
{
    /// <summary>The line's id within its transaction (responses only).</summary>
    public string? Id { get; init; }

    /// <summary>The line's number (responses only).</summary>
    public int? LineNum { get; init; }

    /// <summary>The kind of line, for example <c>SalesItemLineDetail</c> or <c>SubTotalLineDetail</c>.</summary>
    public string? DetailType { get; init; }

    /// <summary>The line's amount (quantity times unit price for an item line).</summary>
    public decimal? Amount { get; init; }

    /// <summary>The line's description.</summary>
    public string? Description { get; init; }

    /// <summary>The item sold, for item lines.</summary>
    public QboSalesItemLineDetail? SalesItemLineDetail { get; init; }

    /// <summary>The discount, for discount lines.</summary>
    public QboDiscountLineDetail? DiscountLineDetail { get; init; }

    /// <summary>The transactions the line is linked to, for example the invoice a payment line pays.</summary>
    public IReadOnlyList<QboLinkedTxn>? LinkedTxn { get; init; }
}

/// <summary>The <see cref="QboLine.DetailType"/> values the connector writes or reads.</summary>
public static class QboLineDetailTypes
{
    /// <summary>A line that sells an item.</summary>
    public const string SalesItemLine = "SalesItemLineDetail";

    /// <summary>The subtotal line QuickBooks adds to responses.</summary>
    public const string SubTotalLine = "SubTotalLineDetail";

    /// <summary>A discount line (<see cref="QboLine.DiscountLineDetail"/>).</summary>
    public const string DiscountLine = "DiscountLineDetail";

    /// <summary>The item id Intuit documents for a shipping charge: a sales item line with this <c>ItemRef</c> (the company must allow shipping).</summary>
    public const string ShippingItemId = "SHIPPING_ITEM_ID";
}
