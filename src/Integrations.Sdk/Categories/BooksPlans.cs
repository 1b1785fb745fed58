using Integrations.Sdk.Mapping;

namespace Integrations.Sdk.Books;

/// <summary>A line of a planned document, with the SKU its item is still to be found by.</summary>
/// <param name="Line">The line; when <paramref name="Sku"/> is set, <see cref="BooksLine.ItemId"/> is set from it on resolving.</param>
/// <param name="Sku">The SKU of an item line, or of <see cref="BooksPostingRules.NonStockItemSku"/> on an <see cref="BooksLineKind.Other"/> line; <see langword="null"/> otherwise.</param>
/// <param name="SourcePath">Where in the store order the line comes from, for example <c>Lines[0]</c> or <c>Refunds[1].Lines[0]</c>.</param>
public sealed record BooksPlannedLine(BooksLine Line, string? Sku, string SourcePath);

/// <summary>
/// An invoice or credit note planned from a store order (see <see cref="StoreToBooks"/>), its items still to be
/// resolved from SKUs to the books' ids: <see cref="ToInvoice"/> and <see cref="ToCreditNote"/> make the draft.
/// </summary>
public sealed record BooksDocumentPlan
{
    /// <summary>The document number: the invoice's, or for a credit note <c>&lt;invoice number&gt;-R&lt;n&gt;</c>.</summary>
    public required string Number { get; init; }

    /// <summary>The document's date: the order's (invoice) or the refund's (credit note), in UTC.</summary>
    public required DateOnly Date { get; init; }

    /// <summary>The order's currency.</summary>
    public required string Currency { get; init; }

    /// <summary>Home-currency units per unit of <see cref="Currency"/>; <see langword="null"/> in the home currency.</summary>
    public decimal? ExchangeRate { get; init; }

    /// <summary>The lines, tax-exclusive.</summary>
    public required IReadOnlyList<BooksPlannedLine> Lines { get; init; }

    /// <summary>The reference (the store and its order number).</summary>
    public string? Reference { get; init; }

    /// <summary>An internal note (the store's order id, a refund's reason).</summary>
    public string? Memo { get; init; }

    /// <summary>For a credit note, the number of the invoice it credits; <see langword="null"/> for an invoice.</summary>
    public string? OriginalInvoiceNumber { get; init; }

    /// <summary>The net amount: item, shipping and other lines less discounts.</summary>
    public decimal NetSubtotal => Lines.Sum(static l => l.Line.Kind == BooksLineKind.Discount ? -l.Line.Amount : l.Line.Amount);

    /// <summary>The tax, as the store charged it.</summary>
    public decimal TotalTax => Lines.Sum(static l => l.Line.TaxAmount);

    /// <summary>The total with tax.</summary>
    public decimal Total => NetSubtotal + TotalTax;

    /// <summary>
    /// The revenue the document books, in the home currency: <see cref="NetSubtotal"/> × <see cref="ExchangeRate"/> (1
    /// when <see langword="null"/>), rounded to cents away from zero. Positive for a credit note too: it is taken off.
    /// </summary>
    public decimal ExpectedRevenue => Math.Round(NetSubtotal * (ExchangeRate ?? 1m), 2, MidpointRounding.AwayFromZero);

    /// <summary>The SKUs of the lines (item lines, and other lines' <see cref="BooksPostingRules.NonStockItemSku"/>), each once, in order.</summary>
    public IReadOnlyList<string> Skus => [.. Lines.Where(static l => l.Sku is not null).Select(static l => l.Sku!).Distinct(StringComparer.Ordinal)];

    /// <summary>The invoice to create.</summary>
    /// <param name="customerId">The books customer's id.</param>
    /// <param name="itemIds">The books item id of each SKU (see <see cref="StoreToBooks.ResolveItemsAsync"/>).</param>
    /// <exception cref="MappingValidationException">A SKU has no item id; the error names the line's <c>Sku</c>.</exception>
    public BooksInvoiceDraft ToInvoice(string customerId, IReadOnlyDictionary<string, string> itemIds)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        return new BooksInvoiceDraft
        {
            CustomerId = customerId,
            Number = Number,
            Date = Date,
            Currency = Currency,
            ExchangeRate = ExchangeRate,
            Lines = Resolve(itemIds, "invoice"),
            Reference = Reference,
            Memo = Memo,
        };
    }

    /// <summary>The credit note to create.</summary>
    /// <param name="customerId">The books customer's id.</param>
    /// <param name="itemIds">The books item id of each SKU.</param>
    /// <exception cref="InvalidOperationException">The plan is an invoice's.</exception>
    /// <exception cref="MappingValidationException">A SKU has no item id; the error names the line's <c>Sku</c>.</exception>
    public BooksCreditNoteDraft ToCreditNote(string customerId, IReadOnlyDictionary<string, string> itemIds)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        return new BooksCreditNoteDraft
        {
            CustomerId = customerId,
            Number = Number,
            Date = Date,
            Currency = Currency,
            ExchangeRate = ExchangeRate,
            Lines = Resolve(itemIds, "credit note"),
            Reference = Reference,
            Memo = Memo,
            OriginalInvoiceNumber = OriginalInvoiceNumber ?? throw new InvalidOperationException($"Document {Number} is planned as an invoice, not a credit note."),
        };
    }

    private List<BooksLine> Resolve(IReadOnlyDictionary<string, string> itemIds, string document)
    {
        ArgumentNullException.ThrowIfNull(itemIds);
        var lines = new List<BooksLine>(Lines.Count);
        var missing = new List<MappingError>();
        foreach (var planned in Lines)
        {
            if (planned.Sku is null)
            {
                lines.Add(planned.Line);
            }
            else if (itemIds.TryGetValue(planned.Sku, out var id))
            {
                lines.Add(planned.Line with { ItemId = id });
            }
            else
            {
                missing.Add(StoreToBooks.MissingItem(planned));
            }
        }

        return missing.Count > 0 ? throw new MappingValidationException("StoreOrder", $"books {document}", missing) : lines;
    }
}

/// <summary>What an order that took money books: the customer, the invoice and, when paid, the payment.</summary>
public sealed record BooksSalePlan
{
    /// <summary>The customer to find or create.</summary>
    public required BooksCustomerDraft Customer { get; init; }

    /// <summary>The invoice.</summary>
    public required BooksDocumentPlan Invoice { get; init; }

    /// <summary>Whether the order was paid (paid, partially refunded or refunded), so a payment is recorded against the invoice.</summary>
    public bool IsPaid => Payment is not null;

    /// <summary>The payment, its invoice id still empty.</summary>
    internal BooksPaymentDraft? Payment { get; init; }

    /// <summary>The payment to record against the created invoice, or <see langword="null"/> when the order was not paid.</summary>
    /// <param name="invoiceId">The created invoice's id.</param>
    public BooksPaymentDraft? ToPayment(string invoiceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(invoiceId);
        return Payment is null ? null : Payment with { InvoiceId = invoiceId };
    }
}
