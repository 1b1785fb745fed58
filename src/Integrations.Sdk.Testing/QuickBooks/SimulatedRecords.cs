namespace Integrations.Sdk.Testing.QuickBooks;

/// <summary>A customer held by the <see cref="QuickBooksSimulator"/>.</summary>
/// <param name="Id">Its id.</param>
/// <param name="DisplayName">Its display name (unique, case-insensitively).</param>
/// <param name="Email">Its <c>PrimaryEmailAddr.Address</c>, if any.</param>
/// <param name="Balance">Its open balance (invoices add to it).</param>
/// <param name="SyncToken">Its version.</param>
public sealed record SimulatedCustomer(string Id, string DisplayName, string? Email, decimal Balance, string SyncToken);

/// <summary>An item held by the <see cref="QuickBooksSimulator"/>.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Name">Its name (unique, case-insensitively).</param>
/// <param name="Sku">Its SKU, if any.</param>
/// <param name="QtyOnHand">Its quantity on hand (sales reduce it when <paramref name="TrackQtyOnHand"/>).</param>
/// <param name="UnitPrice">Its sales price.</param>
/// <param name="TrackQtyOnHand">Whether it is an inventory item.</param>
/// <param name="IncomeAccountId">Its income account, if any.</param>
/// <param name="SyncToken">Its version; every change increments it.</param>
public sealed record SimulatedItem(string Id, string Name, string? Sku, decimal QtyOnHand, decimal UnitPrice, bool TrackQtyOnHand, string? IncomeAccountId, string SyncToken);

/// <summary>An item line (or shipping or item-less sales line: <paramref name="ItemId"/> <c>SHIPPING_ITEM_ID</c> or empty) of an invoice, sales receipt or credit memo held by the <see cref="QuickBooksSimulator"/>.</summary>
/// <param name="ItemId">The item sold.</param>
/// <param name="Qty">The quantity.</param>
/// <param name="UnitPrice">The unit price.</param>
/// <param name="Amount">The line amount.</param>
/// <param name="Description">The description, if any.</param>
public sealed record SimulatedLine(string ItemId, decimal Qty, decimal UnitPrice, decimal Amount, string? Description);

/// <summary>An invoice, sales receipt or credit memo held by the <see cref="QuickBooksSimulator"/>.</summary>
/// <param name="Id">Its id.</param>
/// <param name="DocNumber">Its number (the simulator numbers it when the request did not).</param>
/// <param name="CustomerId">Its customer, if any.</param>
/// <param name="TxnDate">Its date, as sent (<c>yyyy-MM-dd</c>).</param>
/// <param name="TotalAmt">Its total.</param>
/// <param name="PrivateNote">Its private note, if any.</param>
/// <param name="Lines">Its item lines (the subtotal line is left out).</param>
public sealed record SimulatedTransaction(string Id, string? DocNumber, string? CustomerId, string? TxnDate, decimal TotalAmt, string? PrivateNote, IReadOnlyList<SimulatedLine> Lines)
{
    /// <summary>Its currency (<c>CurrencyRef.value</c>).</summary>
    public string? Currency { get; init; }

    /// <summary>Its exchange rate (home units per unit), when the company uses multicurrency.</summary>
    public decimal? ExchangeRate { get; init; }

    /// <summary>Its tax (<c>TxnTaxDetail.TotalTax</c>).</summary>
    public decimal TotalTax { get; init; }

    /// <summary>What is still owed (invoices; payments lower it) or still to use (credit memos); 0 for sales receipts.</summary>
    public decimal Balance { get; init; }
}
