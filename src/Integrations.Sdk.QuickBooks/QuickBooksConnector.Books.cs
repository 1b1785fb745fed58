using Integrations.Sdk.Books;
using Integrations.Sdk.QuickBooks.Models;

namespace Integrations.Sdk.QuickBooks;

/// <summary>
/// The books category model over the typed API: each member maps the model's drafts to QuickBooks' and back.
/// Documents are sent tax-exclusive (<c>GlobalTaxCalculation</c> <c>TaxExcluded</c>) with the tax as charged in
/// <c>TxnTaxDetail.TotalTax</c>; shipping lines use Intuit's <c>SHIPPING_ITEM_ID</c> item, discount lines
/// <c>DiscountLineDetail</c> (one per transaction: a document's discount lines are merged into it), other lines a sales
/// line on their untracked item and account. A customer in a currency other than the home currency is a customer of
/// its own (QuickBooks fixes a customer's currency), named with the currency code after the name.
/// </summary>
public sealed partial class QuickBooksConnector : IBooksConnector
{
    /// <summary>The longest <c>DocNumber</c> QuickBooks accepts.</summary>
    private const int MaxDocNumberLength = 21;

    /// <summary>The company's home currency, read once when a customer's currency is to be told from it.</summary>
    private string? _booksHomeCurrency;

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
            async (draft, _, ct) => await FindBooksCustomerAsync(draft, ct).ConfigureAwait(false) is { } found ? ToBooks(found) : null,
            async (draft, context, ct) => ToBooks(await CreateCustomerOrFindRacedAsync(ToQbo(draft, await ForeignCurrencyAsync(draft, ct).ConfigureAwait(false)), context, ct).ConfigureAwait(false)),
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

    /// <summary>
    /// The customer of a draft: in the home currency, the one with the email (else the name) whose currency is the home
    /// one; in another currency, the one with the email in that currency, else the one named <c>name CUR</c>.
    /// </summary>
    private async Task<QboCustomer?> FindBooksCustomerAsync(BooksCustomerDraft draft, CancellationToken cancellationToken)
    {
        var foreign = await ForeignCurrencyAsync(draft, cancellationToken).ConfigureAwait(false);
        var home = foreign is null ? await HomeCurrencyAsync(cancellationToken).ConfigureAwait(false) : null;
        bool InCurrency(QboCustomer c) => c.CurrencyRef?.Value is not { Length: > 0 } code
            ? foreign is null
            : string.Equals(code, foreign ?? home, StringComparison.OrdinalIgnoreCase);

        if (!string.IsNullOrWhiteSpace(draft.Email))
        {
            var byEmail = await QueryAsync<QboCustomer>("Customer", QuickBooksQuery.Equal("PrimaryEmailAddr", draft.Email.Trim()), cancellationToken)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            if (byEmail.FirstOrDefault(InCurrency) is { } found)
            {
                return found;
            }
        }

        return await FindCustomerAsync(null, CustomerName(draft, foreign), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The draft's currency when it is not the home currency, upper-cased; null for the home currency.</summary>
    private async Task<string?> ForeignCurrencyAsync(BooksCustomerDraft draft, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(draft.Currency))
        {
            return null;
        }

        var currency = draft.Currency.Trim().ToUpperInvariant();
        return string.Equals(currency, await HomeCurrencyAsync(cancellationToken).ConfigureAwait(false), StringComparison.OrdinalIgnoreCase) ? null : currency;
    }

    private async Task<string> HomeCurrencyAsync(CancellationToken cancellationToken)
    {
        if (_booksHomeCurrency is { } known)
        {
            return known;
        }

        var preferences = await GetPreferencesAsync(cancellationToken).ConfigureAwait(false);
        return _booksHomeCurrency = preferences.CurrencyPrefs?.HomeCurrency?.Value?.Trim().ToUpperInvariant()
            ?? throw PlatformException.InvalidResponse(ConnectorName, "the Preferences carry no CurrencyPrefs.HomeCurrency");
    }

    private static string CustomerName(BooksCustomerDraft draft, string? foreignCurrency) =>
        foreignCurrency is null ? draft.Name.Trim() : $"{draft.Name.Trim()} {foreignCurrency}";

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

    private static List<QboLine> ToQboLines(BooksDocumentDraft draft, string what)
    {
        var lines = new List<QboLine>(draft.Lines.Count);
        var discounts = new List<(BooksLine Line, int Index)>();
        for (var i = 0; i < draft.Lines.Count; i++)
        {
            if (draft.Lines[i].Kind == BooksLineKind.Discount)
            {
                discounts.Add((draft.Lines[i], i));
            }
            else
            {
                lines.Add(ToQboLine(draft.Lines[i], i, what));
            }
        }

        if (discounts.Count > 0)
        {
            lines.Add(MergedDiscount(discounts, what));
        }

        return lines;
    }

    /// <summary>
    /// QuickBooks takes one <c>DiscountLineDetail</c> per transaction (the discount on the whole transaction), so the
    /// discount lines become one: their amounts summed, on their common account; class and tax code kept when common.
    /// </summary>
    private static QboLine MergedDiscount(List<(BooksLine Line, int Index)> discounts, string what)
    {
        if (discounts.Count == 1)
        {
            var only = discounts[0].Line;
            return DiscountLine(only.Amount, only.Description, only.AccountId, only.ClassId, only.TaxCodeId);
        }

        var accounts = discounts.Select(d => d.Line.AccountId?.Trim() is { Length: > 0 } a ? a : null).Distinct(StringComparer.Ordinal).ToList();
        if (accounts.Count > 1)
        {
            var named = string.Join(", ", discounts.Select(d => $"Lines[{d.Index}].AccountId '{d.Line.AccountId}'"));
            throw new ArgumentException(
                $"QuickBooks {what}: QuickBooks takes one discount per transaction, so the Discount lines must share one account, but {named} differ (field {string.Join(", ", discounts.Select(d => $"Lines[{d.Index}].AccountId"))}); set BooksPostingRules.DiscountAccountId.",
                $"Lines[{discounts[0].Index}].AccountId");
        }

        string? Common(Func<BooksLine, string?> field) =>
            discounts.Select(d => field(d.Line)?.Trim() is { Length: > 0 } v ? v : null).Distinct(StringComparer.Ordinal).ToList() is [var one] ? one : null;
        var description = string.Join("; ", discounts.Select(d => d.Line.Description).Where(static t => !string.IsNullOrWhiteSpace(t)));
        return DiscountLine(discounts.Sum(d => d.Line.Amount), description.Length == 0 ? null : description, accounts[0], Common(l => l.ClassId), Common(l => l.TaxCodeId));
    }

    private static QboLine ToQboLine(BooksLine line, int i, string what) => line.Kind switch
    {
        BooksLineKind.Item or BooksLineKind.Shipping or BooksLineKind.Other => new QboLine
        {
            DetailType = QboLineDetailTypes.SalesItemLine,
            Amount = line.Amount,
            Description = line.Description,
            SalesItemLineDetail = new QboSalesItemLineDetail
            {
                ItemRef = line.Kind == BooksLineKind.Shipping ? new QboReference(QboLineDetailTypes.ShippingItemId) : new QboReference(line.ItemId!.Trim()),
                Qty = line.Kind == BooksLineKind.Shipping ? null : line.Quantity,
                UnitPrice = line.Kind == BooksLineKind.Shipping ? null : line.UnitPrice,
                ItemAccountRef = Reference(line.AccountId),
                TaxCodeRef = Reference(line.TaxCodeId),
                ClassRef = Reference(line.ClassId),
            },
        },
        _ => throw new ArgumentException($"QuickBooks {what}: Lines[{i}].Kind {line.Kind} is not a line kind (field Lines[{i}].Kind).", $"Lines[{i}].Kind"),
    };

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
                    Require.Text(line.ItemId, $"QuickBooks {what}: Lines[{i}] is an Other line and needs an untracked service item (QuickBooks ignores the amount of a line without one; see BooksPostingRules.NonStockItemSku)", $"Lines[{i}].ItemId");
                    Require.Text(line.AccountId, $"QuickBooks {what}: Lines[{i}] is an Other line and needs the income account it posts to", $"Lines[{i}].AccountId");
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

        var discounts = draft.Lines.Select((line, i) => (Line: line, Index: i)).Where(d => d.Line.Kind == BooksLineKind.Discount).ToList();
        if (discounts.Count > 1)
        {
            _ = MergedDiscount(discounts, what); // refuses discount lines on different accounts before anything is sent
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

    private static QboCustomerDraft ToQbo(BooksCustomerDraft draft, string? foreignCurrency) => new()
    {
        DisplayName = CustomerName(draft, foreignCurrency),
        CurrencyCode = foreignCurrency,
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
