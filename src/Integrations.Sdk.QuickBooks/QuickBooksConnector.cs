using Integrations.Sdk.QuickBooks.Internal;
using Integrations.Sdk.QuickBooks.Models;

namespace Integrations.Sdk.QuickBooks;

/// <summary>
/// The QuickBooks Online connector for one company (realm). Every write sends the step's idempotency key as QuickBooks'
/// <c>requestid</c>, so a retry replays the original answer instead of writing twice. Thread-safe.
/// </summary>
public sealed partial class QuickBooksConnector
{
    /// <summary>The connector's name: it names its HTTP options, budgets, OAuth tokens and telemetry.</summary>
    public const string ConnectorName = "quickbooks";

    internal const string DisplayName = "QuickBooks";

    /// <summary>The page size of <see cref="QueryAsync{T}"/>: QuickBooks' maximum <c>MAXRESULTS</c>.</summary>
    public const int PageSize = 1000;

    /// <summary>The longest <c>requestid</c> QuickBooks accepts (outside batch operations).</summary>
    private const int MaxRequestIdLength = 50;

    private readonly Func<IQuickBooksApi> _api;
    private readonly QuickBooksOptions _options;
    private readonly ISinkOperation<QboCustomerDraft, QboCustomer> _createCustomer;

    internal QuickBooksConnector(Func<IQuickBooksApi> api, QuickBooksOptions options)
    {
        _api = api;
        _options = options;
        _createCustomer = WithRequestId<QboCustomerDraft, QboCustomer>(CreateCustomerAsync);
        FindOrCreateCustomer = SinkOperation.LookupThenCreate<QboCustomerDraft, QboCustomer>(
            (draft, _, ct) => FindCustomerAsync(draft.Email, draft.DisplayName, ct),
            CreateCustomerOrFindRacedAsync,
            draft => Require.Text(draft.DisplayName, "A QuickBooks customer needs a DisplayName", nameof(draft.DisplayName)));
        CreateInvoice = WithRequestId<QboInvoiceDraft, QboInvoice>(
            CreateInvoiceAsync, draft => Require.Text(draft.CustomerId, "A QuickBooks invoice needs a customer", nameof(draft.CustomerId)));
        CreateSalesReceipt = WithRequestId<QboSalesReceiptDraft, QboSalesReceipt>(CreateSalesReceiptAsync);
        CreateCreditMemo = WithRequestId<QboCreditMemoDraft, QboCreditMemo>(
            CreateCreditMemoAsync, draft => Require.Text(draft.CustomerId, "A QuickBooks credit memo needs a customer", nameof(draft.CustomerId)));
        CreatePayment = WithRequestId<QboPaymentDraft, QboPayment>(CreatePaymentAsync, ValidatePayment);
        AdjustQuantityOnHand = WithRequestId<QboInventoryAdjustment, QboItem>(
            AdjustQuantityAsync, adjustment => Require.Text(adjustment.ItemId, "A QuickBooks inventory adjustment needs an item", nameof(adjustment.ItemId)));
        (BooksFindOrCreateCustomer, BooksCreateInvoice, BooksCreateCreditNote, BooksRecordPayment) = CreateBooksOperations();
    }

    /// <summary>The company (realm) this connector works on.</summary>
    public string RealmId => _options.RealmId;

    /// <summary>
    /// Finds a customer by email (<c>PrimaryEmailAddr</c>), then by <c>DisplayName</c>, and creates it (with
    /// <c>requestid</c>) when neither matches; a create refused as a duplicate name (6240) returns the customer another
    /// writer created meanwhile.
    /// </summary>
    public ILookupThenCreateOperation<QboCustomerDraft, QboCustomer> FindOrCreateCustomer { get; }

    /// <summary>Creates an invoice. Idempotent by <c>requestid</c>.</summary>
    public ISinkOperation<QboInvoiceDraft, QboInvoice> CreateInvoice { get; }

    /// <summary>Creates a sales receipt (a sale paid on the spot). Idempotent by <c>requestid</c>.</summary>
    public ISinkOperation<QboSalesReceiptDraft, QboSalesReceipt> CreateSalesReceipt { get; }

    /// <summary>
    /// Creates a credit memo (money or goods given back; its lines of tracked items put their quantity back on hand).
    /// Idempotent by <c>requestid</c>.
    /// </summary>
    public ISinkOperation<QboCreditMemoDraft, QboCreditMemo> CreateCreditMemo { get; }

    /// <summary>
    /// Records a payment received: each line applies an amount to an invoice (<c>Line[].LinkedTxn</c>), reducing its
    /// <c>Balance</c>. Idempotent by <c>requestid</c>.
    /// </summary>
    public ISinkOperation<QboPaymentDraft, QboPayment> CreatePayment { get; }

    /// <summary>
    /// Adds to an inventory item's quantity on hand: reads the item for its <c>SyncToken</c> and <c>QtyOnHand</c>, then
    /// sends a sparse update with <c>requestid</c>. A concurrent change of the item fails with the stale-object error (5010).
    /// </summary>
    public ISinkOperation<QboInventoryAdjustment, QboItem> AdjustQuantityOnHand { get; }

    /// <summary>Streams every <paramref name="entity"/> matching <paramref name="where"/>, in pages of <see cref="PageSize"/>.</summary>
    /// <typeparam name="T">The model to read each entity into, for example <see cref="QboCustomer"/>.</typeparam>
    /// <param name="entity">The entity, case-sensitive: <c>Customer</c>, <c>Item</c>, <c>Invoice</c>...</param>
    /// <param name="where">The conditions, without <c>WHERE</c> (see <see cref="QuickBooksQuery"/>); <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ArgumentException"><paramref name="entity"/> is not an entity name.</exception>
    public IAsyncEnumerable<T> QueryAsync<T>(string entity, string? where = null, CancellationToken cancellationToken = default)
    {
        QuickBooksQuery.RequireName(entity, allowDots: false, "entity name");
        var filter = string.IsNullOrWhiteSpace(where) ? string.Empty : " WHERE " + where.Trim();
        return Paging.ByOffsetAsync<T>(ConnectorName, PageSize, FetchAsync, first: 1, cancellationToken: cancellationToken);

        async Task<IReadOnlyList<T?>?> FetchAsync(int start, CancellationToken ct)
        {
            var statement = string.Create(CultureInfo.InvariantCulture, $"SELECT * FROM {entity}{filter} STARTPOSITION {start} MAXRESULTS {PageSize}");
            var answer = await _api().QueryAsync(RealmId, statement, _options.MinorVersion, RealmId, ct).ConfigureAwait(false);
            return PlatformJson.TryGet(answer, "QueryResponse", out var response, ignoreCase: true)
                && PlatformJson.TryGet(response, entity, out var found, ignoreCase: true) && found.ValueKind == JsonValueKind.Array
                ? [.. found.EnumerateArray().Select(e => e.Deserialize<T>(QuickBooksJson.Options))]
                : null;
        }
    }

    /// <summary>Returns the item with this SKU, or <see langword="null"/>.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    public Task<QboItem?> FindItemBySkuAsync(string sku, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sku);
        return FirstAsync<QboItem>("Item", QuickBooksQuery.Equal("Sku", sku), cancellationToken);
    }

    /// <summary>Returns the item with this id, or <see langword="null"/>.</summary>
    /// <param name="id">The item's id.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    public Task<QboItem?> GetItemAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return FirstAsync<QboItem>("Item", QuickBooksQuery.Equal("Id", id), cancellationToken);
    }

    /// <summary>Returns the customer with this email, else the one with this display name, or <see langword="null"/>.</summary>
    /// <param name="email">The email (<c>PrimaryEmailAddr</c>); optional.</param>
    /// <param name="displayName">The display name; optional.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    public async Task<QboCustomer?> FindCustomerAsync(string? email, string? displayName, CancellationToken cancellationToken = default) =>
        await FindCustomerByAsync("PrimaryEmailAddr", email, cancellationToken).ConfigureAwait(false)
        ?? await FindCustomerByAsync("DisplayName", displayName, cancellationToken).ConfigureAwait(false);

    /// <summary>Returns the invoices with this number (normally one; more means duplicates).</summary>
    /// <param name="docNumber">The invoice number.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    public async Task<IReadOnlyList<QboInvoice>> FindInvoicesByDocNumberAsync(string docNumber, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(docNumber);
        return await QueryAsync<QboInvoice>("Invoice", QuickBooksQuery.Equal("DocNumber", docNumber), cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns the invoice with this id, or <see langword="null"/>.</summary>
    /// <param name="id">The invoice's id.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    public Task<QboInvoice?> GetInvoiceAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return FirstAsync<QboInvoice>("Invoice", QuickBooksQuery.Equal("Id", id), cancellationToken);
    }

    /// <summary>Returns the credit memos with this number (normally one; more means duplicates).</summary>
    /// <param name="docNumber">The credit memo's number.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    public async Task<IReadOnlyList<QboCreditMemo>> FindCreditMemosByDocNumberAsync(string docNumber, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(docNumber);
        return await QueryAsync<QboCreditMemo>("CreditMemo", QuickBooksQuery.Equal("DocNumber", docNumber), cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the company's information (<c>SELECT * FROM CompanyInfo</c>): its name and country.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="PlatformException">The answer holds no company.</exception>
    public async Task<QboCompanyInfo> GetCompanyInfoAsync(CancellationToken cancellationToken = default) =>
        await FirstAsync<QboCompanyInfo>("CompanyInfo", null, cancellationToken).ConfigureAwait(false)
        ?? throw PlatformException.InvalidResponse(ConnectorName, "the CompanyInfo query answered no CompanyInfo");

    /// <summary>Reads the company's preferences (<c>SELECT * FROM Preferences</c>): the home currency and whether multicurrency is on.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="PlatformException">The answer holds no preferences.</exception>
    public async Task<QboPreferences> GetPreferencesAsync(CancellationToken cancellationToken = default) =>
        await FirstAsync<QboPreferences>("Preferences", null, cancellationToken).ConfigureAwait(false)
        ?? throw PlatformException.InvalidResponse(ConnectorName, "the Preferences query answered no Preferences");

    /// <summary>Reads the active tax codes.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<IReadOnlyList<QboTaxCode>> GetTaxCodesAsync(CancellationToken cancellationToken = default) => AllAsync<QboTaxCode>("TaxCode", cancellationToken);

    /// <summary>Reads the active tax rates (what tax codes' <c>SalesTaxRateList</c> refer to).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<IReadOnlyList<QboTaxRate>> GetTaxRatesAsync(CancellationToken cancellationToken = default) => AllAsync<QboTaxRate>("TaxRate", cancellationToken);

    /// <summary>Reads the active accounts of the chart of accounts.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<IReadOnlyList<QboAccount>> GetAccountsAsync(CancellationToken cancellationToken = default) => AllAsync<QboAccount>("Account", cancellationToken);

    /// <summary>Reads the active classes.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<IReadOnlyList<QboClass>> GetClassesAsync(CancellationToken cancellationToken = default) => AllAsync<QboClass>("Class", cancellationToken);

    private async Task<IReadOnlyList<T>> AllAsync<T>(string entity, CancellationToken cancellationToken) =>
        await QueryAsync<T>(entity, null, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);

    private async Task<QboCustomer> CreateCustomerOrFindRacedAsync(QboCustomerDraft draft, WriteContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await _createCustomer.ExecuteAsync(draft, context, cancellationToken).ConfigureAwait(false);
        }
        catch (PlatformException ex) when (ex.ErrorCode == "6240")
        {
            // Duplicate Name Exists: another writer created it between the lookup and the create.
            var raced = await FindCustomerAsync(null, draft.DisplayName, cancellationToken).ConfigureAwait(false);
            if (raced is null)
            {
                throw;
            }

            return raced;
        }
    }

    private Task<QboCustomer> CreateCustomerAsync(QboCustomerDraft draft, string requestId, CancellationToken cancellationToken) =>
        WriteAsync<QboCustomer>("Customer", requestId, cancellationToken, new QboCustomer
        {
            DisplayName = draft.DisplayName.Trim(),
            GivenName = draft.GivenName,
            FamilyName = draft.FamilyName,
            CompanyName = draft.CompanyName,
            PrimaryEmailAddr = string.IsNullOrWhiteSpace(draft.Email) ? null : new QboEmailAddress { Address = draft.Email.Trim() },
            PrimaryPhone = string.IsNullOrWhiteSpace(draft.Phone) ? null : new QboPhoneNumber { FreeFormNumber = draft.Phone },
            CurrencyRef = Reference(draft.CurrencyCode?.Trim().ToUpperInvariant()),
        });

    private Task<QboInvoice> CreateInvoiceAsync(QboInvoiceDraft draft, string requestId, CancellationToken cancellationToken) =>
        SendInvoiceAsync(draft, ToLines(draft, "invoice"), requestId, cancellationToken);

    private Task<QboInvoice> SendInvoiceAsync(QboInvoiceDraft draft, List<QboLine> lines, string requestId, CancellationToken cancellationToken) =>
        WriteAsync<QboInvoice>("Invoice", requestId, cancellationToken, Transaction<QboInvoice>(draft, draft.CustomerId, lines) with { DueDate = draft.DueDate });

    private Task<QboCreditMemo> CreateCreditMemoAsync(QboCreditMemoDraft draft, string requestId, CancellationToken cancellationToken) =>
        SendCreditMemoAsync(draft, ToLines(draft, "credit memo"), requestId, cancellationToken);

    private Task<QboCreditMemo> SendCreditMemoAsync(QboCreditMemoDraft draft, List<QboLine> lines, string requestId, CancellationToken cancellationToken) =>
        WriteAsync<QboCreditMemo>("CreditMemo", requestId, cancellationToken, Transaction<QboCreditMemo>(draft, draft.CustomerId, lines));

    private Task<QboPayment> CreatePaymentAsync(QboPaymentDraft draft, string requestId, CancellationToken cancellationToken) =>
        WriteAsync<QboPayment>("Payment", requestId, cancellationToken, new QboPayment
        {
            CustomerRef = new QboReference(draft.CustomerId.Trim()),
            TxnDate = draft.TxnDate,
            CurrencyRef = Reference(draft.CurrencyCode),
            ExchangeRate = draft.ExchangeRate,
            TotalAmt = draft.TotalAmt ?? draft.Lines.Sum(l => l.Amount),
            DepositToAccountRef = Reference(draft.DepositToAccountId),
            PaymentRefNum = draft.PaymentRefNum,
            PrivateNote = draft.PrivateNote,
            Line = [.. draft.Lines.Select(l => new QboLine
            {
                Amount = l.Amount,
                LinkedTxn = [new QboLinkedTxn { TxnId = l.InvoiceId.Trim(), TxnType = "Invoice" }],
            })],
        });

    private static void ValidatePayment(QboPaymentDraft draft)
    {
        Require.Text(draft.CustomerId, "A QuickBooks payment needs a customer", nameof(draft.CustomerId));
        Require.Items(draft.Lines, "A QuickBooks payment needs at least one line (an invoice and the amount applied to it)", nameof(draft.Lines));
        for (var i = 0; i < draft.Lines.Count; i++)
        {
            var line = draft.Lines[i] ?? throw new ArgumentException($"QuickBooks payment: Lines[{i}] is null (field Lines[{i}]).", nameof(draft));
            Require.Text(line.InvoiceId, $"QuickBooks payment: Lines[{i}] needs the invoice it pays", $"Lines[{i}].InvoiceId");
            if (line.Amount <= 0)
            {
                throw new ArgumentException($"QuickBooks payment: Lines[{i}].Amount must be more than zero, not {line.Amount} (field Lines[{i}].Amount).", $"Lines[{i}].Amount");
            }
        }

        if (draft.TotalAmt is < 0)
        {
            throw new ArgumentException($"A QuickBooks payment's TotalAmt cannot be negative, not {draft.TotalAmt} (field TotalAmt).", nameof(draft.TotalAmt));
        }

        if (draft.ExchangeRate is <= 0)
        {
            throw new ArgumentException($"A QuickBooks payment's ExchangeRate must be more than zero, not {draft.ExchangeRate} (field ExchangeRate).", nameof(draft.ExchangeRate));
        }
    }

    private Task<QboSalesReceipt> CreateSalesReceiptAsync(QboSalesReceiptDraft draft, string requestId, CancellationToken cancellationToken) =>
        WriteAsync<QboSalesReceipt>("SalesReceipt", requestId, cancellationToken, Transaction<QboSalesReceipt>(draft, draft.CustomerId, ToLines(draft, "sales receipt")) with
        {
            DepositToAccountRef = Reference(draft.DepositToAccountId),
            PaymentMethodRef = Reference(draft.PaymentMethodId),
        });

    private async Task<QboItem> AdjustQuantityAsync(QboInventoryAdjustment adjustment, string requestId, CancellationToken cancellationToken)
    {
        var item = await GetItemAsync(adjustment.ItemId, cancellationToken).ConfigureAwait(false)
            ?? throw new PlatformException(ConnectorName, null, "item_not_found", $"item {adjustment.ItemId} does not exist in realm {RealmId} (field ItemId)");
        if (item.TrackQtyOnHand != true)
        {
            throw new PlatformException(ConnectorName, null, "item_not_tracked",
                $"item {adjustment.ItemId} ({item.Name}) does not track its quantity on hand (TrackQtyOnHand is false): only inventory items can be adjusted");
        }

        var update = new ItemSparseUpdate(item.Id ?? adjustment.ItemId, item.SyncToken ?? "0", Sparse: true, (item.QtyOnHand ?? 0) + adjustment.QuantityDelta);
        return await WriteAsync<QboItem>("Item", requestId, cancellationToken, update).ConfigureAwait(false);
    }

    private async Task<T> WriteAsync<T>(string entity, string requestId, CancellationToken cancellationToken, object body)
        where T : class
    {
        var answer = await _api().WriteAsync(RealmId, entity.ToLowerInvariant(), body, requestId, _options.MinorVersion, RealmId, cancellationToken).ConfigureAwait(false);
        return (PlatformJson.TryGet(answer, entity, out var written, ignoreCase: true) ? written.Deserialize<T>(QuickBooksJson.Options) : null)
            ?? throw PlatformException.InvalidResponse(ConnectorName, $"the answer to a {entity} write holds no {entity}", mayHaveBeenApplied: true);
    }

    private Task<QboCustomer?> FindCustomerByAsync(string field, string? value, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(value) ? Task.FromResult<QboCustomer?>(null) : FirstAsync<QboCustomer>("Customer", QuickBooksQuery.Equal(field, value.Trim()), cancellationToken);

    private async Task<T?> FirstAsync<T>(string entity, string? where, CancellationToken cancellationToken) =>
        await QueryAsync<T>(entity, where, cancellationToken).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);

    private static ISinkOperation<TInput, TResult> WithRequestId<TInput, TResult>(
        Func<TInput, string, CancellationToken, Task<TResult>> execute, Action<TInput>? validate = null) =>
        SinkOperation.WithIdempotencyKey(DisplayName, MaxRequestIdLength, execute, validate);

    private static T Transaction<T>(QboTransactionDraft draft, string? customerId, List<QboLine> lines)
        where T : QboTransaction, new() => new()
    {
        CustomerRef = Reference(customerId),
        Line = lines,
        DocNumber = draft.DocNumber,
        TxnDate = draft.TxnDate,
        PrivateNote = draft.PrivateNote,
        CurrencyRef = Reference(draft.CurrencyCode),
        ExchangeRate = draft.ExchangeRate,
        GlobalTaxCalculation = draft.GlobalTaxCalculation,
        CustomerMemo = string.IsNullOrWhiteSpace(draft.CustomerMemo) ? null : new QboMemo { Value = draft.CustomerMemo },
        TxnTaxDetail = draft.TotalTax is null && string.IsNullOrWhiteSpace(draft.TxnTaxCodeId)
            ? null
            : new QboTxnTaxDetail { TotalTax = draft.TotalTax, TxnTaxCodeRef = Reference(draft.TxnTaxCodeId) },
    };

    private static QboReference? Reference(string? id) => string.IsNullOrWhiteSpace(id) ? null : new QboReference(id.Trim());

    private static List<QboLine> ToLines(QboTransactionDraft draft, string what)
    {
        Require.Items(draft.Lines, $"A QuickBooks {what} needs at least one line", "Lines");
        if (draft.ExchangeRate is <= 0)
        {
            throw new ArgumentException($"A QuickBooks {what}'s ExchangeRate must be more than zero, not {draft.ExchangeRate} (field ExchangeRate).", nameof(draft.ExchangeRate));
        }

        List<QboLine> lines = [.. draft.Lines.Select((line, i) =>
        {
            ArgumentNullException.ThrowIfNull(line, $"Lines[{i}]");
            var itemId = Require.Text(line.ItemId, $"QuickBooks {what}: Lines[{i}] needs an item", $"Lines[{i}].ItemId");
            var shipping = itemId == QboLineDetailTypes.ShippingItemId;
            return new QboLine
            {
                DetailType = QboLineDetailTypes.SalesItemLine,
                Amount = line.Amount ?? decimal.Round(line.Qty * line.UnitPrice, 2, MidpointRounding.AwayFromZero),
                Description = line.Description,
                SalesItemLineDetail = new QboSalesItemLineDetail
                {
                    ItemRef = new QboReference(itemId),
                    Qty = shipping ? null : line.Qty,
                    UnitPrice = shipping ? null : line.UnitPrice,
                    ItemAccountRef = Reference(line.IncomeAccountId),
                    TaxCodeRef = Reference(line.TaxCodeId),
                    ClassRef = Reference(line.ClassId),
                },
            };
        })];
        foreach (var (discount, i) in (draft.Discounts ?? []).Select((d, i) => (d, i)))
        {
            ArgumentNullException.ThrowIfNull(discount, $"Discounts[{i}]");
            if (discount.Amount < 0)
            {
                throw new ArgumentException($"QuickBooks {what}: Discounts[{i}].Amount is what is taken off, a positive number, not {discount.Amount} (field Discounts[{i}].Amount).", $"Discounts[{i}].Amount");
            }

            lines.Add(DiscountLine(discount.Amount, discount.Description, discount.DiscountAccountId, discount.ClassId, discount.TaxCodeId));
        }

        return lines;
    }

    private static QboLine DiscountLine(decimal amount, string? description, string? accountId, string? classId, string? taxCodeId) => new()
    {
        DetailType = QboLineDetailTypes.DiscountLine,
        Amount = amount,
        Description = description,
        DiscountLineDetail = new QboDiscountLineDetail
        {
            PercentBased = false,
            DiscountAccountRef = Reference(accountId),
            ClassRef = Reference(classId),
            TaxCodeRef = Reference(taxCodeId),
        },
    };
}
