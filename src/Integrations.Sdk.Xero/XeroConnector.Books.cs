using Integrations.Sdk.Books;
using Integrations.Sdk.Xero.Models;

namespace Integrations.Sdk.Xero;

/// <summary>
/// Xero seen through the books category model (<see cref="IBooksConnector"/>): a thin mapping over the typed API.
/// Documents are created <c>AUTHORISED</c> with <c>LineAmountTypes=Exclusive</c>; each line sends its quantity and its
/// net amount as <c>LineAmount</c> (Xero works out the unit price), and the tax as charged as <c>TaxAmount</c>.
/// </summary>
public sealed partial class XeroConnector
{
    /// <summary>The most decimals Xero keeps of a <c>CurrencyRate</c>.</summary>
    private const int CurrencyRateDecimals = 6;

    private ILookupThenCreateOperation<BooksCustomerDraft, BooksCustomer> _booksCustomer = null!;
    private ISinkOperation<BooksInvoiceDraft, BooksDocument> _booksInvoice = null!;
    private ISinkOperation<BooksCreditNoteDraft, BooksDocument> _booksCreditNote = null!;
    private ISinkOperation<BooksPaymentDraft, BooksPayment> _booksPayment = null!;

    /// <inheritdoc />
    string IBooksConnector.Platform => ConnectorName;

    /// <inheritdoc />
    ILookupThenCreateOperation<BooksCustomerDraft, BooksCustomer> IBooksConnector.FindOrCreateCustomer => _booksCustomer;

    /// <inheritdoc />
    ISinkOperation<BooksInvoiceDraft, BooksDocument> IBooksConnector.CreateInvoice => _booksInvoice;

    /// <inheritdoc />
    ISinkOperation<BooksCreditNoteDraft, BooksDocument> IBooksConnector.CreateCreditNote => _booksCreditNote;

    /// <inheritdoc />
    ISinkOperation<BooksPaymentDraft, BooksPayment> IBooksConnector.RecordPayment => _booksPayment;

    /// <inheritdoc />
    async Task<BooksCompany> IBooksConnector.GetCompanyAsync(CancellationToken cancellationToken)
    {
        var organisation = await GetOrganisationAsync(cancellationToken).ConfigureAwait(false);
        var currencies = await GetCurrenciesAsync(cancellationToken).ConfigureAwait(false);
        return new BooksCompany
        {
            Name = organisation.Name,
            HomeCurrency = organisation.BaseCurrency,
            MultiCurrency = currencies.Any(c => !string.Equals(c.Code, organisation.BaseCurrency, StringComparison.OrdinalIgnoreCase)),
        };
    }

    /// <inheritdoc />
    async Task<BooksItem?> IBooksConnector.FindItemBySkuAsync(string sku, CancellationToken cancellationToken) =>
        await FindItemByCodeAsync(sku, cancellationToken).ConfigureAwait(false) is { } item
            ? new BooksItem
            {
                Id = item.Code,
                Sku = item.Code,
                Name = item.Name,
                TracksQuantity = item.IsTrackedAsInventory == true,
                QuantityOnHand = item.IsTrackedAsInventory == true ? item.QuantityOnHand : null,
                IncomeAccountId = item.SalesDetails?.AccountCode,
            }
            : null;

    /// <inheritdoc />
    async Task<IReadOnlyList<BooksTaxCode>> IBooksConnector.GetTaxCodesAsync(CancellationToken cancellationToken) =>
        [.. (await GetTaxRatesAsync(cancellationToken).ConfigureAwait(false))
            .Where(r => r.Status is null or "ACTIVE")
            .Select(r => new BooksTaxCode(r.TaxType, r.Name, (r.EffectiveRate ?? r.DisplayTaxRate) is { } percent ? percent / 100m : null))];

    /// <inheritdoc />
    async Task<IReadOnlyList<BooksAccount>> IBooksConnector.GetAccountsAsync(CancellationToken cancellationToken) =>
        [.. (await GetAccountsAsync(cancellationToken).ConfigureAwait(false))
            .Where(a => !string.IsNullOrWhiteSpace(a.Code) && a.Status is null or "ACTIVE")
            .Select(a => new BooksAccount(a.Code!, a.Name, a.Type))];

    /// <inheritdoc />
    async Task<IReadOnlyList<BooksClass>> IBooksConnector.GetClassesAsync(CancellationToken cancellationToken)
    {
        if (_options.TrackingCategoryName is not { } name || string.IsNullOrWhiteSpace(name))
        {
            return [];
        }

        var categories = await GetTrackingCategoriesAsync(cancellationToken).ConfigureAwait(false);
        var category = categories.FirstOrDefault(c => string.Equals(c.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException(
                $"Xero: XeroOptions.TrackingCategoryName is \"{name}\", but the organisation has no such tracking category (it has: {string.Join(", ", categories.Select(c => c.Name))}).");
        return [.. category.Options.Where(o => o.Status is null or "ACTIVE").Select(o => new BooksClass(o.Name, o.Name))];
    }

    /// <inheritdoc />
    async Task<BooksDocument?> IBooksConnector.FindInvoiceByNumberAsync(string number, CancellationToken cancellationToken) =>
        await FindInvoiceByNumberAsync(number, cancellationToken).ConfigureAwait(false) is { } invoice ? ToDocument(invoice) : null;

    private void InitBooks()
    {
        _booksCustomer = SinkOperation.LookupThenCreate<BooksCustomerDraft, BooksCustomer>(
            async (draft, context, ct) => await FindOrCreateContact.LookupAsync(ToContact(draft), context, ct).ConfigureAwait(false) is { } found ? ToCustomer(found) : null,
            async (draft, context, ct) => ToCustomer(await FindOrCreateContact.ExecuteAsync(ToContact(draft), context, ct).ConfigureAwait(false)),
            draft => Require.Text(draft.Name, "A Xero customer needs a Name", nameof(BooksCustomerDraft.Name)));
        _booksInvoice = WithKey<BooksInvoiceDraft, BooksDocument>(
            async (draft, key, ct) => ToDocument(await CreateInvoiceAsync(ToInvoice(draft), key, ct).ConfigureAwait(false)),
            draft => ToInvoice(draft));
        _booksCreditNote = WithKey<BooksCreditNoteDraft, BooksDocument>(
            async (draft, key, ct) => ToDocument(await CreateCreditNoteAsync(ToCreditNote(draft), key, ct).ConfigureAwait(false)),
            draft => ToCreditNote(draft));
        _booksPayment = WithKey<BooksPaymentDraft, BooksPayment>(
            async (draft, key, ct) =>
            {
                var payment = await CreatePaymentAsync(ToPayment(draft), key, ct).ConfigureAwait(false);
                return new BooksPayment { Id = payment.PaymentID, InvoiceId = payment.Invoice?.InvoiceID ?? draft.InvoiceId, Amount = payment.Amount ?? draft.Amount };
            },
            draft => ToPayment(draft));
    }

    private static XeroContactDraft ToContact(BooksCustomerDraft draft) => new(draft.Name, draft.Email, draft.FirstName, draft.LastName);

    private static BooksCustomer ToCustomer(XeroContact contact) => new() { Id = contact.ContactID, Name = contact.Name, Email = contact.EmailAddress };

    private static BooksDocument ToDocument(XeroInvoice invoice) => new()
    {
        Id = invoice.InvoiceID,
        Number = invoice.InvoiceNumber ?? string.Empty,
        Currency = invoice.CurrencyCode ?? string.Empty,
        Subtotal = invoice.SubTotal ?? 0,
        TotalTax = invoice.TotalTax ?? 0,
        Total = invoice.Total ?? 0,
        Balance = invoice.AmountDue ?? 0,
    };

    private static BooksDocument ToDocument(XeroCreditNote note) => new()
    {
        Id = note.CreditNoteID,
        Number = note.CreditNoteNumber ?? string.Empty,
        Currency = note.CurrencyCode ?? string.Empty,
        Subtotal = note.SubTotal ?? 0,
        TotalTax = note.TotalTax ?? 0,
        Total = note.Total ?? 0,
        Balance = note.RemainingCredit ?? 0,
    };

    /// <summary>Maps (and so validates) a books invoice: every problem names the model's field.</summary>
    private XeroInvoiceDraft ToInvoice(BooksInvoiceDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var (contact, number, currency, rate, lines) = Common(draft, "invoice");
        return new XeroInvoiceDraft(
            contact, lines, draft.Date, draft.DueDate ?? draft.Date, number, Blank(draft.Reference), currency,
            XeroLineAmountTypes.Exclusive, "AUTHORISED", rate);
    }

    /// <summary>Maps a books credit note; its <c>Reference</c> is the original invoice's number (how Xero shows the link).</summary>
    private XeroCreditNoteDraft ToCreditNote(BooksCreditNoteDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var original = Require.Text(draft.OriginalInvoiceNumber, "A Xero credit note needs the number of the invoice it credits", nameof(BooksCreditNoteDraft.OriginalInvoiceNumber));
        var (contact, number, currency, rate, lines) = Common(draft, "credit note");
        return new XeroCreditNoteDraft(contact, lines, draft.Date, number, original, currency, XeroLineAmountTypes.Exclusive, "AUTHORISED", rate);
    }

    private static XeroPaymentDraft ToPayment(BooksPaymentDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var invoice = Require.Text(draft.InvoiceId, "A Xero payment needs the invoice's id", nameof(BooksPaymentDraft.InvoiceId));
        var account = Require.Text(draft.AccountId, "A Xero payment needs AccountId: the code of the bank account (or an account with payments enabled) the money goes to", nameof(BooksPaymentDraft.AccountId));
        Positive(draft.Amount, "A Xero payment", nameof(BooksPaymentDraft.Amount));
        return new XeroPaymentDraft(invoice, account, draft.Amount, draft.Date, Blank(draft.Reference), CurrencyRate(draft.ExchangeRate, nameof(BooksPaymentDraft.ExchangeRate)));
    }

    private (string Contact, string Number, string Currency, decimal? Rate, List<XeroLineDraft> Lines) Common(BooksDocumentDraft draft, string what)
    {
        var contact = Require.Text(draft.CustomerId, $"A Xero {what} needs CustomerId (the contact's id)", nameof(BooksDocumentDraft.CustomerId));
        var number = Require.Text(draft.Number, $"A Xero {what} needs a Number", nameof(BooksDocumentDraft.Number));
        if (number.Trim().Length > 255)
        {
            throw new ArgumentException($"A Xero {what} number holds at most 255 characters; \"{number}\" has {number.Trim().Length} (field Number).", nameof(BooksDocumentDraft.Number));
        }

        var currency = Require.Text(draft.Currency, $"A Xero {what} needs a Currency (ISO 4217)", nameof(BooksDocumentDraft.Currency));
        if (currency.Trim().Length != 3 || !currency.Trim().All(char.IsAsciiLetter))
        {
            throw new ArgumentException($"A Xero {what}'s Currency must be an ISO 4217 code such as \"EUR\"; \"{currency}\" is not (field Currency).", nameof(BooksDocumentDraft.Currency));
        }

        Require.Items(draft.Lines, $"A Xero {what} needs at least one line", nameof(BooksDocumentDraft.Lines));
        var lines = draft.Lines.Select((line, i) => Line(line, i, what)).ToList();
        return (contact.Trim(), number.Trim(), currency.Trim().ToUpperInvariant(), CurrencyRate(draft.ExchangeRate, nameof(BooksDocumentDraft.ExchangeRate)), lines);
    }

    /// <summary>
    /// One model line as a Xero line: the quantity and the net amount as <c>LineAmount</c> (so Xero's line is exactly the
    /// store's, whatever the unit price's decimals), the tax as charged as <c>TaxAmount</c>; a discount is a negative line
    /// on its account (Xero's <c>DiscountAmount</c> is refused on credit notes).
    /// </summary>
    private XeroLineDraft Line(BooksLine? line, int i, string what)
    {
        var field = $"Lines[{i}]";
        if (line is null)
        {
            throw new ArgumentException($"Xero {what}: {field} is null.", field);
        }

        if (line.Amount < 0 || line.Quantity <= 0)
        {
            throw new ArgumentException(
                $"Xero {what}: {field} needs a Quantity above zero and an Amount of zero or more (a discount is a Discount line with a positive Amount); it has Quantity {line.Quantity}, Amount {line.Amount} (field {field}.Amount).",
                $"{field}.Amount");
        }

        var account = Blank(line.AccountId);
        string? item = null;
        string description;
        switch (line.Kind)
        {
            case BooksLineKind.Item:
                item = Require.Text(line.ItemId, $"Xero {what}: {field} is an Item line and needs ItemId (the item's Code)", $"{field}.ItemId").Trim();
                description = Blank(line.Description) ?? item;
                break;
            case BooksLineKind.Shipping or BooksLineKind.Discount or BooksLineKind.Other:
                account = Require.Text(line.AccountId, $"Xero {what}: {field} is a {line.Kind} line and needs AccountId (the account code it posts to)", $"{field}.AccountId").Trim();
                description = Blank(line.Description) ?? line.Kind.ToString();
                break;
            default:
                throw new ArgumentException($"Xero {what}: {field} has an unknown Kind {line.Kind} (field {field}.Kind).", $"{field}.Kind");
        }

        List<XeroLineTracking>? tracking = null;
        if (Blank(line.ClassId) is { } option)
        {
            var category = Blank(_options.TrackingCategoryName)
                ?? throw new ArgumentException(
                    $"Xero {what}: {field} has ClassId \"{option}\" (a tracking option), but XeroOptions.TrackingCategoryName does not say which tracking category it belongs to (field {field}.ClassId).",
                    $"{field}.ClassId");
            tracking = [new XeroLineTracking(category, option)];
        }

        var discount = line.Kind == BooksLineKind.Discount;
        return new XeroLineDraft(
            description,
            discount ? 1 : line.Quantity,
            UnitAmount: null,
            ItemCode: item,
            AccountCode: account,
            TaxType: Blank(line.TaxCodeId),
            TaxAmount: line.TaxAmount, // added to the total as given, whatever the line (the model's rule)
            LineAmount: discount ? -line.Amount : line.Amount,
            Tracking: tracking);
    }

    /// <summary>The model's rate (home units per document unit) as Xero's <c>CurrencyRate</c> (document units per home unit), to 6 decimals.</summary>
    private static decimal? CurrencyRate(decimal? exchangeRate, string field)
    {
        if (exchangeRate is not { } rate)
        {
            return null;
        }

        if (rate <= 0)
        {
            throw new ArgumentException($"ExchangeRate must be above zero (home-currency units per unit of the document's currency); it is {rate} (field {field}).", field);
        }

        return decimal.Round(1m / rate, CurrencyRateDecimals, MidpointRounding.AwayFromZero);
    }
}
