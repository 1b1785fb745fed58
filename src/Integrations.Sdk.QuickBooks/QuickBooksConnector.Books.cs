using Integrations.Sdk.Books;
using Integrations.Sdk.QuickBooks.Models;

namespace Integrations.Sdk.QuickBooks;

/// <summary>
/// The books category model over the typed API: each member maps the model's drafts to QuickBooks' and back.
/// Documents are sent tax-exclusive (<c>GlobalTaxCalculation</c> <c>TaxExcluded</c>) with the tax as charged in
/// <c>TxnTaxDetail.TotalTax</c>; shipping lines use Intuit's <c>SHIPPING_ITEM_ID</c> item, discount lines
/// <c>DiscountLineDetail</c>, other lines an item-less sales line on their account.
/// </summary>
public sealed partial class QuickBooksConnector : IBooksConnector
{
    /// <summary>The longest <c>DocNumber</c> QuickBooks accepts.</summary>
    private const int MaxDocNumberLength = 21;

    private ILookupThenCreateOperation<BooksCustomerDraft, BooksCustomer> BooksFindOrCreateCustomer { get; }

    private ISinkOperation<BooksInvoiceDraft, BooksDocument> BooksCreateInvoice { get; }

    private ISinkOperation<BooksCreditNoteDraft, BooksDocument> BooksCreateCreditNote { get; }

    private ISinkOperation<BooksPaymentDraft, BooksPayment> BooksRecordPayment { get; }

    string IBooksConnector.Platform => ConnectorName;

    ILookupThenCreateOperation<BooksCustomerDraft, BooksCustomer> IBooksConnector.FindOrCreateCustomer => BooksFindOrCreateCustomer;

    ISinkOperation<BooksInvoiceDraft, BooksDocument> IBooksConnector.CreateInvoice => BooksCreateInvoice;

    ISinkOperation<BooksCreditNoteDraft, BooksDocument> IBooksConnector.CreateCreditNote => BooksCreateCreditNote;

    ISinkOperation<BooksPaymentDraft, BooksPayment> IBooksConnector.RecordPayment => BooksRecordPayment;

    async Task<BooksCompany> IBooksConnector.GetCompanyAsync(CancellationToken cancellationToken)
    {
        var info = await GetCompanyInfoAsync(cancellationToken).ConfigureAwait(false);
        var preferences = await GetPreferencesAsync(cancellationToken).ConfigureAwait(false);
        return new BooksCompany
        {
            Name = info.CompanyName ?? info.LegalName ?? RealmId,
            HomeCurrency = preferences.CurrencyPrefs?.HomeCurrency?.Value
                ?? throw PlatformException.InvalidResponse(ConnectorName, "the Preferences carry no CurrencyPrefs.HomeCurrency"),
            MultiCurrency = preferences.CurrencyPrefs?.MultiCurrencyEnabled == true,
        };
    }

    async Task<BooksItem?> IBooksConnector.FindItemBySkuAsync(string sku, CancellationToken cancellationToken) =>
        await FindItemBySkuAsync(sku, cancellationToken).ConfigureAwait(false) is { } item ? ToBooks(item) : null;

    async Task<IReadOnlyList<BooksTaxCode>> IBooksConnector.GetTaxCodesAsync(CancellationToken cancellationToken)
    {
        var codes = await GetTaxCodesAsync(cancellationToken).ConfigureAwait(false);
        var rates = codes.Any(c => c.SalesTaxRateList?.TaxRateDetail is { Count: > 0 })
            ? (await GetTaxRatesAsync(cancellationToken).ConfigureAwait(false)).Where(r => r.Id is not null).ToDictionary(r => r.Id!, r => r.RateValue, StringComparer.Ordinal)
            : [];
        return [.. codes.Where(c => c.Id is not null).Select(c => new BooksTaxCode(c.Id!, c.Name ?? c.Id!, RateOf(c, rates)))];
    }

    async Task<IReadOnlyList<BooksAccount>> IBooksConnector.GetAccountsAsync(CancellationToken cancellationToken) =>
        [.. (await GetAccountsAsync(cancellationToken).ConfigureAwait(false)).Where(a => a.Id is not null).Select(a => new BooksAccount(a.Id!, a.Name ?? a.Id!, a.AccountType))];

    async Task<IReadOnlyList<BooksClass>> IBooksConnector.GetClassesAsync(CancellationToken cancellationToken) =>
        [.. (await GetClassesAsync(cancellationToken).ConfigureAwait(false)).Where(c => c.Id is not null).Select(c => new BooksClass(c.Id!, c.Name ?? c.Id!))];

    async Task<BooksDocument?> IBooksConnector.FindInvoiceByNumberAsync(string number, CancellationToken cancellationToken) =>
        (await FindInvoicesByDocNumberAsync(number, cancellationToken).ConfigureAwait(false)).FirstOrDefault() is { } invoice
            ? ToBooks(invoice, invoice.Balance, null)
            : null;

    private (ILookupThenCreateOperation<BooksCustomerDraft, BooksCustomer>, ISinkOperation<BooksInvoiceDraft, BooksDocument>,
        ISinkOperation<BooksCreditNoteDraft, BooksDocument>, ISinkOperation<BooksPaymentDraft, BooksPayment>) CreateBooksOperations()
    {
        var customers = SinkOperation.LookupThenCreate<BooksCustomerDraft, BooksCustomer>(
            async (draft, _, ct) => await FindCustomerAsync(draft.Email, draft.Name, ct).ConfigureAwait(false) is { } found ? ToBooks(found) : null,
            async (draft, context, ct) => ToBooks(await CreateCustomerOrFindRacedAsync(ToQbo(draft), context, ct).ConfigureAwait(false)),
            draft => Require.Text(draft.Name, "A QuickBooks customer needs a Name", nameof(draft.Name)));
        var invoices = WithRequestId<BooksInvoiceDraft, BooksDocument>(
            async (draft, requestId, ct) =>
            {
                var invoice = await SendInvoiceAsync(
                    Header(new QboInvoiceDraft { CustomerId = draft.CustomerId.Trim(), Lines = [], DueDate = draft.DueDate }, draft, draft.Memo),
                    ToQboLines(draft, "invoice"), requestId, ct).ConfigureAwait(false);
                return ToBooks(invoice, invoice.Balance, draft.Currency);
            },
            draft => Validate(draft, "invoice"));
        var creditNotes = WithRequestId<BooksCreditNoteDraft, BooksDocument>(
            async (draft, requestId, ct) =>
            {
                var original = draft.OriginalInvoiceNumber.Trim();
                var note = $"Credit for invoice {original}";
                var memo = await SendCreditMemoAsync(
                    Header(new QboCreditMemoDraft { CustomerId = draft.CustomerId.Trim(), Lines = [], CustomerMemo = note }, draft,
                        string.IsNullOrWhiteSpace(draft.Memo) ? note : $"{note}: {draft.Memo}"),
                    ToQboLines(draft, "credit memo"), requestId, ct).ConfigureAwait(false);
                return ToBooks(memo, memo.Balance ?? memo.RemainingCredit, draft.Currency);
            },
            draft =>
            {
                Validate(draft, "credit memo");
                Require.Text(draft.OriginalInvoiceNumber, "A QuickBooks credit memo needs the number of the invoice it credits", nameof(draft.OriginalInvoiceNumber));
            });
        var payments = WithRequestId<BooksPaymentDraft, BooksPayment>(RecordBooksPaymentAsync, Validate);
        return (customers, invoices, creditNotes, payments);
    }

    private async Task<BooksPayment> RecordBooksPaymentAsync(BooksPaymentDraft draft, string requestId, CancellationToken cancellationToken)
    {
        var invoiceId = draft.InvoiceId.Trim();
        var invoice = await GetInvoiceAsync(invoiceId, cancellationToken).ConfigureAwait(false)
            ?? throw new PlatformException(ConnectorName, null, "invoice_not_found", $"invoice {invoiceId} does not exist in realm {RealmId} (field InvoiceId)");
        var customerId = invoice.CustomerRef?.Value
            ?? throw PlatformException.InvalidResponse(ConnectorName, $"invoice {invoiceId} has no CustomerRef");
        if (invoice.CurrencyRef?.Value is { } currency && !string.Equals(currency, draft.Currency.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"A QuickBooks payment is in its invoice's currency: invoice {invoiceId} is in {currency}, the payment in {draft.Currency} (field Currency).", nameof(draft.Currency));
        }

        var payment = await CreatePaymentAsync(new QboPaymentDraft
        {
            CustomerId = customerId,
            Lines = [new QboPaymentLineDraft(invoiceId, draft.Amount)],
            TotalAmt = draft.Amount,
            TxnDate = draft.Date,
            CurrencyCode = draft.Currency.Trim(),
            ExchangeRate = draft.ExchangeRate,
            DepositToAccountId = draft.AccountId,
            PaymentRefNum = draft.Reference,
        }, requestId, cancellationToken).ConfigureAwait(false);
        return new BooksPayment { Id = payment.Id ?? string.Empty, InvoiceId = invoiceId, Amount = payment.TotalAmt ?? draft.Amount };
    }

    private static T Header<T>(T target, BooksDocumentDraft draft, string? privateNote)
        where T : QboTransactionDraft => (T)(((QboTransactionDraft)target) with
    {
        DocNumber = draft.Number.Trim(),
        TxnDate = draft.Date,
        CurrencyCode = draft.Currency.Trim(),
        ExchangeRate = draft.ExchangeRate,
        PrivateNote = string.IsNullOrWhiteSpace(draft.Reference) ? privateNote : $"{privateNote}{(string.IsNullOrWhiteSpace(privateNote) ? string.Empty : " ")}(ref {draft.Reference.Trim()})",
        TotalTax = draft.Lines.Sum(l => l.TaxAmount),
        GlobalTaxCalculation = QboGlobalTaxCalculation.TaxExcluded,
    });

    private static List<QboLine> ToQboLines(BooksDocumentDraft draft, string what) => [.. draft.Lines.Select((line, i) => line.Kind switch
    {
        BooksLineKind.Item or BooksLineKind.Shipping or BooksLineKind.Other => new QboLine
        {
            DetailType = QboLineDetailTypes.SalesItemLine,
            Amount = line.Amount,
            Description = line.Description,
            SalesItemLineDetail = new QboSalesItemLineDetail
            {
                ItemRef = line.Kind switch
                {
                    BooksLineKind.Item => new QboReference(line.ItemId!.Trim()),
                    BooksLineKind.Shipping => new QboReference(QboLineDetailTypes.ShippingItemId),
                    _ => null,
                },
                Qty = line.Kind == BooksLineKind.Shipping ? null : line.Quantity,
                UnitPrice = line.Kind == BooksLineKind.Shipping ? null : line.UnitPrice,
                ItemAccountRef = Reference(line.AccountId),
                TaxCodeRef = Reference(line.TaxCodeId),
                ClassRef = Reference(line.ClassId),
            },
        },
        BooksLineKind.Discount => DiscountLine(line.Amount, line.Description, line.AccountId, line.ClassId, line.TaxCodeId),
        _ => throw new ArgumentException($"QuickBooks {what}: Lines[{i}].Kind {line.Kind} is not a line kind (field Lines[{i}].Kind).", $"Lines[{i}].Kind"),
    })];

    private static void Validate(BooksDocumentDraft draft, string what)
    {
        Require.Text(draft.CustomerId, $"A QuickBooks {what} needs a customer", nameof(draft.CustomerId));
        var number = Require.Text(draft.Number, $"A QuickBooks {what} needs a number", nameof(draft.Number));
        if (number.Length > MaxDocNumberLength)
        {
            throw new ArgumentException(
                $"A QuickBooks {what} number (DocNumber) has at most {MaxDocNumberLength} characters; '{number}' has {number.Length} (field Number).", nameof(draft.Number));
        }

        Require.Text(draft.Currency, $"A QuickBooks {what} needs a currency", nameof(draft.Currency));
        if (draft.ExchangeRate is <= 0)
        {
            throw new ArgumentException($"A QuickBooks {what}'s ExchangeRate must be more than zero, not {draft.ExchangeRate} (field ExchangeRate).", nameof(draft.ExchangeRate));
        }

        Require.Items(draft.Lines, $"A QuickBooks {what} needs at least one line", nameof(draft.Lines));
        for (var i = 0; i < draft.Lines.Count; i++)
        {
            var line = draft.Lines[i] ?? throw new ArgumentException($"QuickBooks {what}: Lines[{i}] is null (field Lines[{i}]).", nameof(draft.Lines));
            switch (line.Kind)
            {
                case BooksLineKind.Item:
                    Require.Text(line.ItemId, $"QuickBooks {what}: Lines[{i}] is an Item line and needs the item's id", $"Lines[{i}].ItemId");
                    break;
                case BooksLineKind.Other:
                    Require.Text(line.AccountId, $"QuickBooks {what}: Lines[{i}] is an Other line (no item) and needs the income account it posts to", $"Lines[{i}].AccountId");
                    break;
                case BooksLineKind.Discount when line.Amount < 0:
                    throw new ArgumentException(
                        $"QuickBooks {what}: Lines[{i}] is a Discount line, whose Amount is what is taken off as a positive number, not {line.Amount} (field Lines[{i}].Amount).",
                        $"Lines[{i}].Amount");
                case BooksLineKind.Item or BooksLineKind.Shipping or BooksLineKind.Discount or BooksLineKind.Other:
                    break;
                default:
                    throw new ArgumentException($"QuickBooks {what}: Lines[{i}].Kind {line.Kind} is not a line kind (field Lines[{i}].Kind).", $"Lines[{i}].Kind");
            }
        }
    }

    private static void Validate(BooksPaymentDraft draft)
    {
        Require.Text(draft.InvoiceId, "A QuickBooks payment needs the invoice it pays", nameof(draft.InvoiceId));
        Require.Text(draft.Currency, "A QuickBooks payment needs a currency", nameof(draft.Currency));
        if (draft.Amount <= 0)
        {
            throw new ArgumentException($"A QuickBooks payment's Amount must be more than zero, not {draft.Amount} (field Amount).", nameof(draft.Amount));
        }

        if (draft.ExchangeRate is <= 0)
        {
            throw new ArgumentException($"A QuickBooks payment's ExchangeRate must be more than zero, not {draft.ExchangeRate} (field ExchangeRate).", nameof(draft.ExchangeRate));
        }
    }

    private static QboCustomerDraft ToQbo(BooksCustomerDraft draft) => new()
    {
        DisplayName = draft.Name,
        Email = draft.Email,
        GivenName = draft.FirstName,
        FamilyName = draft.LastName,
    };

    private static BooksCustomer ToBooks(QboCustomer customer) => new()
    {
        Id = customer.Id ?? string.Empty,
        Name = customer.DisplayName ?? string.Empty,
        Email = customer.PrimaryEmailAddr?.Address,
    };

    private static BooksItem ToBooks(QboItem item) => new()
    {
        Id = item.Id ?? string.Empty,
        Sku = item.Sku ?? string.Empty,
        Name = item.Name,
        TracksQuantity = item.TrackQtyOnHand == true,
        QuantityOnHand = item.TrackQtyOnHand == true ? item.QtyOnHand ?? 0 : null,
        IncomeAccountId = item.IncomeAccountRef?.Value,
    };

    private static BooksDocument ToBooks(QboTransaction document, decimal? balance, string? currency)
    {
        var lines = document.Line ?? [];
        var sales = lines.Where(l => l.DetailType == QboLineDetailTypes.SalesItemLine).Sum(l => l.Amount ?? 0);
        var discounts = lines.Where(l => l.DetailType == QboLineDetailTypes.DiscountLine).Sum(l => l.Amount ?? 0);
        var tax = document.TxnTaxDetail?.TotalTax ?? 0;
        var subtotal = sales - discounts;
        return new BooksDocument
        {
            Id = document.Id ?? string.Empty,
            Number = document.DocNumber ?? string.Empty,
            Currency = document.CurrencyRef?.Value ?? currency ?? string.Empty,
            Subtotal = subtotal,
            TotalTax = tax,
            Total = document.TotalAmt ?? subtotal + tax,
            Balance = balance ?? 0,
        };
    }

    /// <summary>A tax code's rate as a fraction: the sum of its sales rates; 0 for a non-taxable code without rates; null when unknown.</summary>
    private static decimal? RateOf(QboTaxCode code, Dictionary<string, decimal?> rates)
    {
        var details = code.SalesTaxRateList?.TaxRateDetail;
        if (details is not { Count: > 0 })
        {
            return code.Taxable == false ? 0m : null;
        }

        var total = 0m;
        foreach (var detail in details)
        {
            if (detail.TaxRateRef?.Value is not { } id || !rates.TryGetValue(id, out var percent) || percent is null)
            {
                return null;
            }

            total += percent.Value;
        }

        return total / 100m;
    }
}
