using Integrations.Sdk.QuickBooks.Internal;
using Integrations.Sdk.QuickBooks.Models;

namespace Integrations.Sdk.QuickBooks;

/// <summary>
/// The QuickBooks Online connector for one company (realm). Every write sends the step's idempotency key as QuickBooks'
/// <c>requestid</c>, so a retry replays the original answer instead of writing twice. Thread-safe.
/// </summary>
public sealed class QuickBooksConnector
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
        AdjustQuantityOnHand = WithRequestId<QboInventoryAdjustment, QboItem>(
            AdjustQuantityAsync, adjustment => Require.Text(adjustment.ItemId, "A QuickBooks inventory adjustment needs an item", nameof(adjustment.ItemId)));
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
        });

    private Task<QboInvoice> CreateInvoiceAsync(QboInvoiceDraft draft, string requestId, CancellationToken cancellationToken) =>
        WriteAsync<QboInvoice>("Invoice", requestId, cancellationToken, Transaction<QboInvoice>(draft, draft.CustomerId, "invoice") with { DueDate = draft.DueDate });

    private Task<QboSalesReceipt> CreateSalesReceiptAsync(QboSalesReceiptDraft draft, string requestId, CancellationToken cancellationToken) =>
        WriteAsync<QboSalesReceipt>("SalesReceipt", requestId, cancellationToken, Transaction<QboSalesReceipt>(draft, draft.CustomerId, "sales receipt") with
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

    private async Task<T?> FirstAsync<T>(string entity, string where, CancellationToken cancellationToken) =>
        await QueryAsync<T>(entity, where, cancellationToken).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);

    private static ISinkOperation<TInput, TResult> WithRequestId<TInput, TResult>(
        Func<TInput, string, CancellationToken, Task<TResult>> execute, Action<TInput>? validate = null) =>
        SinkOperation.WithIdempotencyKey(DisplayName, MaxRequestIdLength, execute, validate);

    private static T Transaction<T>(QboTransactionDraft draft, string? customerId, string what)
        where T : QboTransaction, new() => new()
    {
        CustomerRef = Reference(customerId),
        Line = ToLines(draft.Lines, what),
        DocNumber = draft.DocNumber,
        TxnDate = draft.TxnDate,
        PrivateNote = draft.PrivateNote,
        CurrencyRef = Reference(draft.CurrencyCode),
    };

    private static QboReference? Reference(string? id) => string.IsNullOrWhiteSpace(id) ? null : new QboReference(id);

    private static List<QboLine> ToLines(IReadOnlyList<QboLineDraft>? lines, string what)
    {
        Require.Items(lines, $"A QuickBooks {what} needs at least one line", "Lines");
        return [.. lines!.Select((line, i) => new QboLine
        {
            DetailType = QboLineDetailTypes.SalesItemLine,
            Amount = (line ?? throw new ArgumentException($"QuickBooks {what}: Lines[{i}] is null.", nameof(lines))).Amount
                ?? decimal.Round(line.Qty * line.UnitPrice, 2, MidpointRounding.AwayFromZero),
            Description = line.Description,
            SalesItemLineDetail = new QboSalesItemLineDetail
            {
                ItemRef = new QboReference(Require.Text(line.ItemId, $"QuickBooks {what}: Lines[{i}] needs an item", $"Lines[{i}].ItemId")),
                Qty = line.Qty,
                UnitPrice = line.UnitPrice,
                ItemAccountRef = Reference(line.IncomeAccountId),
                TaxCodeRef = Reference(line.TaxCodeId),
            },
        })];
    }
}
