namespace Integrations.Sdk.Xero.Models;

/// <summary>An item's purchase or sales details (<c>SalesDetails</c>): the price, account and tax type used by default.</summary>
public sealed class XeroItemDetails
{
    /// <summary>The default unit price.</summary>
    public decimal? UnitPrice { get; set; }

    /// <summary>The default account's code (for sales: the income account).</summary>
    public string? AccountCode { get; set; }

    /// <summary>The default tax type.</summary>
    public string? TaxType { get; set; }
}

/// <summary>The organisation (<c>GET /Organisation</c>): its name and base currency.</summary>
public sealed class XeroOrganisation
{
    /// <summary>The organisation's id.</summary>
    public string? OrganisationID { get; set; }

    /// <summary>The display name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The legal name.</summary>
    public string? LegalName { get; set; }

    /// <summary>The ISO 4217 code of the base currency (the currency of its reports).</summary>
    public string BaseCurrency { get; set; } = string.Empty;

    /// <summary>The country code.</summary>
    public string? CountryCode { get; set; }

    /// <summary>The default of <c>LineAmountTypes</c> on sales.</summary>
    public string? DefaultSalesTax { get; set; }

    /// <summary>The fields Xero sent that this model does not type, by name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Extra { get; set; } = [];
}

/// <summary>A currency the organisation has added (<c>GET /Currencies</c>).</summary>
public sealed class XeroCurrency
{
    /// <summary>The ISO 4217 code.</summary>
    public string Code { get; set; } = string.Empty;

    /// <summary>The name.</summary>
    public string? Description { get; set; }
}

/// <summary>A tax rate (<c>GET /TaxRates</c>); lines name it by <see cref="TaxType"/>.</summary>
public sealed class XeroTaxRate
{
    /// <summary>The name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The tax type lines carry, for example <c>OUTPUT2</c> or <c>TAX001</c>.</summary>
    public string TaxType { get; set; } = string.Empty;

    /// <summary><c>ACTIVE</c>, <c>DELETED</c>, <c>ARCHIVED</c> or <c>PENDING</c>.</summary>
    public string? Status { get; set; }

    /// <summary>The effective rate, in percent (12.5 for 12.5 %).</summary>
    public decimal? EffectiveRate { get; set; }

    /// <summary>The displayed rate, in percent.</summary>
    public decimal? DisplayTaxRate { get; set; }
}

/// <summary>An account of the chart of accounts (<c>GET /Accounts</c>); lines and payments name it by <see cref="Code"/>.</summary>
public sealed class XeroAccount
{
    /// <summary>The account's id.</summary>
    public string AccountID { get; set; } = string.Empty;

    /// <summary>The code (not every account has one; bank accounts may not).</summary>
    public string? Code { get; set; }

    /// <summary>The name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The type, for example <c>REVENUE</c>, <c>SALES</c> or <c>BANK</c>.</summary>
    public string? Type { get; set; }

    /// <summary><c>ACTIVE</c> or <c>ARCHIVED</c>.</summary>
    public string? Status { get; set; }

    /// <summary>The account's default tax type.</summary>
    public string? TaxType { get; set; }

    /// <summary>Whether payments can be made to it (besides bank accounts).</summary>
    public bool? EnablePaymentsToAccount { get; set; }
}

/// <summary>A tracking category (<c>GET /TrackingCategories</c>) with its options.</summary>
public sealed class XeroTrackingCategory
{
    /// <summary>The category's id.</summary>
    public string TrackingCategoryID { get; set; } = string.Empty;

    /// <summary>The name, for example <c>Region</c>; lines name the category by it.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary><c>ACTIVE</c> or <c>ARCHIVED</c>.</summary>
    public string? Status { get; set; }

    /// <summary>The options.</summary>
    public List<XeroTrackingOption> Options { get; set; } = [];
}

/// <summary>An option of a tracking category.</summary>
public sealed class XeroTrackingOption
{
    /// <summary>The option's id.</summary>
    public string TrackingOptionID { get; set; } = string.Empty;

    /// <summary>The name, for example <c>North</c>; lines name the option by it.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary><c>ACTIVE</c> or <c>ARCHIVED</c>.</summary>
    public string? Status { get; set; }
}
