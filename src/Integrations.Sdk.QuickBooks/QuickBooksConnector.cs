using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.QuickBooks.Internal;
using Integrations.Sdk.QuickBooks.Models;
using Integrations.Sdk.Transport;

namespace Integrations.Sdk.QuickBooks;

/// <summary>
/// The QuickBooks Online connector for one company (realm): paged queries, customer find-or-create, item lookup,
/// invoices, sales receipts and inventory adjustments. Every write sends the step's idempotency key as QuickBooks'
/// <c>requestid</c>, so a retry replays the original answer instead of writing twice. Resolve it from the services
/// after <c>AddQuickBooks(...)</c>; it is thread-safe.
/// </summary>
public sealed class QuickBooksConnector
{
    /// <summary>The connector's name: it names its HTTP options, budgets, OAuth tokens and telemetry.</summary>
    public const string ConnectorName = "quickbooks";

    /// <summary>The page size of <see cref="QueryAsync{T}"/>: QuickBooks' maximum <c>MAXRESULTS</c>.</summary>
    public const int PageSize = 1000;

    private readonly Func<IQuickBooksApi> _api;
    private readonly QuickBooksOptions _options;

    internal QuickBooksConnector(Func<IQuickBooksApi> api, QuickBooksOptions options)
    {
        _api = api;
        _options = options;
        FindOrCreateCustomer = new FindOrCreateCustomerOperation(this);
        CreateInvoice = new CreateInvoiceOperation(this);
        CreateSalesReceipt = new CreateSalesReceiptOperation(this);
        AdjustQuantityOnHand = new AdjustQuantityOnHandOperation(this);
    }

    /// <summary>The company (realm) this connector works on.</summary>
    public string RealmId => _options.RealmId;

    /// <summary>
    /// Finds a customer by email (<c>PrimaryEmailAddr</c>), then by <c>DisplayName</c>, and creates it when neither
    /// matches (with <c>requestid</c>). Lookup-then-create: after an attempt with unknown effect, the runner looks
    /// first. Returns the existing or created customer.
    /// </summary>
    public ILookupThenCreateOperation<QboCustomerDraft, QboCustomer> FindOrCreateCustomer { get; }

    /// <summary>Creates an invoice. Idempotent by <c>requestid</c> (<see cref="WriteSafety.IdempotencyKey"/>).</summary>
    public ISinkOperation<QboInvoiceDraft, QboInvoice> CreateInvoice { get; }

    /// <summary>Creates a sales receipt (a sale paid on the spot). Idempotent by <c>requestid</c>.</summary>
    public ISinkOperation<QboSalesReceiptDraft, QboSalesReceipt> CreateSalesReceipt { get; }

    /// <summary>
    /// Adds to an inventory item's quantity on hand: reads the item for its <c>SyncToken</c> and <c>QtyOnHand</c>,
    /// then sends a sparse update with <c>requestid</c>. A retry with the same key replays the first answer, so the
    /// change is applied once. A concurrent change of the item fails with QuickBooks' stale-object error (5010).
    /// </summary>
    public ISinkOperation<QboInventoryAdjustment, QboItem> AdjustQuantityOnHand { get; }

    /// <summary>
    /// Streams every <paramref name="entity"/> matching <paramref name="where"/>, fetching pages of
    /// <see cref="PageSize"/> with <c>STARTPOSITION</c>/<c>MAXRESULTS</c> until a page comes back short.
    /// </summary>
    /// <typeparam name="T">The model to read each entity into, for example <see cref="QboCustomer"/>.</typeparam>
    /// <param name="entity">The entity, case-sensitive: <c>Customer</c>, <c>Item</c>, <c>Invoice</c>...</param>
    /// <param name="where">The conditions, without <c>WHERE</c> (build literals with <see cref="QuickBooksQuery"/>); <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ArgumentException"><paramref name="entity"/> is not an entity name.</exception>
    public async IAsyncEnumerable<T> QueryAsync<T>(string entity, string? where = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(entity);
        if (!QuickBooksQuery.IsName(entity, allowDots: false))
        {
            throw new ArgumentException($"'{entity}' is not a QuickBooks entity name.", nameof(entity));
        }

        var filter = string.IsNullOrWhiteSpace(where) ? string.Empty : " WHERE " + where.Trim();
        var start = 1;
        while (true)
        {
            var statement = string.Create(CultureInfo.InvariantCulture, $"SELECT * FROM {entity}{filter} STARTPOSITION {start} MAXRESULTS {PageSize}");
            var page = await _api().QueryAsync(RealmId, statement, _options.MinorVersion, RealmId, cancellationToken).ConfigureAwait(false);
            var count = 0;
            if (page.QueryResponse is { } response && TryGetEntities(response, entity, out var entities))
            {
                foreach (var element in entities.EnumerateArray())
                {
                    count++;
                    yield return element.Deserialize<T>(QuickBooksJson.Options)
                        ?? throw InvalidResponse($"the query answer holds a null {entity}", mayHaveBeenApplied: false);
                }
            }

            if (count < PageSize)
            {
                yield break;
            }

            start += count;
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
    public async Task<QboCustomer?> FindCustomerAsync(string? email, string? displayName, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrWhiteSpace(email)
            && await FirstAsync<QboCustomer>("Customer", QuickBooksQuery.Equal("PrimaryEmailAddr", email.Trim()), cancellationToken).ConfigureAwait(false) is { } byEmail)
        {
            return byEmail;
        }

        return string.IsNullOrWhiteSpace(displayName)
            ? null
            : await FirstAsync<QboCustomer>("Customer", QuickBooksQuery.Equal("DisplayName", displayName.Trim()), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns the invoices with this number (normally one; more means duplicates).</summary>
    /// <param name="docNumber">The invoice number.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    public async Task<IReadOnlyList<QboInvoice>> FindInvoicesByDocNumberAsync(string docNumber, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(docNumber);
        var found = new List<QboInvoice>();
        await foreach (var invoice in QueryAsync<QboInvoice>("Invoice", QuickBooksQuery.Equal("DocNumber", docNumber), cancellationToken).ConfigureAwait(false))
        {
            found.Add(invoice);
        }

        return found;
    }

    internal async Task<QboCustomer> CreateCustomerAsync(QboCustomerDraft draft, string requestId, CancellationToken cancellationToken)
    {
        var body = new QboCustomer
        {
            DisplayName = draft.DisplayName.Trim(),
            GivenName = draft.GivenName,
            FamilyName = draft.FamilyName,
            CompanyName = draft.CompanyName,
            PrimaryEmailAddr = string.IsNullOrWhiteSpace(draft.Email) ? null : new QboEmailAddress { Address = draft.Email.Trim() },
            PrimaryPhone = string.IsNullOrWhiteSpace(draft.Phone) ? null : new QboPhoneNumber { FreeFormNumber = draft.Phone },
        };
        var answer = await _api().CreateCustomerAsync(RealmId, body, requestId, _options.MinorVersion, RealmId, cancellationToken).ConfigureAwait(false);
        return answer.Customer ?? throw InvalidResponse("the answer to a customer create holds no Customer", mayHaveBeenApplied: true);
    }

    internal async Task<QboInvoice> CreateInvoiceAsync(QboInvoiceDraft draft, string requestId, CancellationToken cancellationToken)
    {
        var body = new QboInvoice
        {
            CustomerRef = new QboReference(draft.CustomerId),
            Line = ToLines(draft.Lines, "invoice"),
            DocNumber = draft.DocNumber,
            TxnDate = draft.TxnDate,
            DueDate = draft.DueDate,
            PrivateNote = draft.PrivateNote,
            CurrencyRef = string.IsNullOrWhiteSpace(draft.CurrencyCode) ? null : new QboReference(draft.CurrencyCode),
        };
        var answer = await _api().CreateInvoiceAsync(RealmId, body, requestId, _options.MinorVersion, RealmId, cancellationToken).ConfigureAwait(false);
        return answer.Invoice ?? throw InvalidResponse("the answer to an invoice create holds no Invoice", mayHaveBeenApplied: true);
    }

    internal async Task<QboSalesReceipt> CreateSalesReceiptAsync(QboSalesReceiptDraft draft, string requestId, CancellationToken cancellationToken)
    {
        var body = new QboSalesReceipt
        {
            CustomerRef = string.IsNullOrWhiteSpace(draft.CustomerId) ? null : new QboReference(draft.CustomerId),
            Line = ToLines(draft.Lines, "sales receipt"),
            DocNumber = draft.DocNumber,
            TxnDate = draft.TxnDate,
            PrivateNote = draft.PrivateNote,
            CurrencyRef = string.IsNullOrWhiteSpace(draft.CurrencyCode) ? null : new QboReference(draft.CurrencyCode),
            DepositToAccountRef = string.IsNullOrWhiteSpace(draft.DepositToAccountId) ? null : new QboReference(draft.DepositToAccountId),
            PaymentMethodRef = string.IsNullOrWhiteSpace(draft.PaymentMethodId) ? null : new QboReference(draft.PaymentMethodId),
        };
        var answer = await _api().CreateSalesReceiptAsync(RealmId, body, requestId, _options.MinorVersion, RealmId, cancellationToken).ConfigureAwait(false);
        return answer.SalesReceipt ?? throw InvalidResponse("the answer to a sales receipt create holds no SalesReceipt", mayHaveBeenApplied: true);
    }

    internal async Task<QboItem> AdjustQuantityAsync(QboInventoryAdjustment adjustment, string requestId, CancellationToken cancellationToken)
    {
        var item = await GetItemAsync(adjustment.ItemId, cancellationToken).ConfigureAwait(false)
            ?? throw new PlatformException(ConnectorName, null, "item_not_found", $"item {adjustment.ItemId} does not exist in realm {RealmId} (field ItemId)");
        if (item.TrackQtyOnHand != true)
        {
            throw new PlatformException(ConnectorName, null, "item_not_tracked",
                $"item {adjustment.ItemId} ({item.Name}) does not track its quantity on hand (TrackQtyOnHand is false): only inventory items can be adjusted");
        }

        var update = new ItemSparseUpdate
        {
            Id = item.Id ?? adjustment.ItemId,
            SyncToken = item.SyncToken ?? "0",
            QtyOnHand = (item.QtyOnHand ?? 0) + adjustment.QuantityDelta,
        };
        var answer = await _api().UpdateItemAsync(RealmId, update, requestId, _options.MinorVersion, RealmId, cancellationToken).ConfigureAwait(false);
        return answer.Item ?? throw InvalidResponse("the answer to an item update holds no Item", mayHaveBeenApplied: true);
    }

    private async Task<T?> FirstAsync<T>(string entity, string where, CancellationToken cancellationToken)
        where T : class
    {
        await foreach (var found in QueryAsync<T>(entity, where, cancellationToken).ConfigureAwait(false))
        {
            return found;
        }

        return null;
    }

    private static bool TryGetEntities(Dictionary<string, JsonElement> response, string entity, out JsonElement entities)
    {
        if (response.TryGetValue(entity, out entities) && entities.ValueKind == JsonValueKind.Array)
        {
            return true;
        }

        foreach (var (name, value) in response)
        {
            if (string.Equals(name, entity, StringComparison.OrdinalIgnoreCase) && value.ValueKind == JsonValueKind.Array)
            {
                entities = value;
                return true;
            }
        }

        return false;
    }

    private static List<QboLine> ToLines(IReadOnlyList<QboLineDraft>? lines, string what)
    {
        if (lines is null || lines.Count == 0)
        {
            throw new ArgumentException($"A QuickBooks {what} needs at least one line (field Lines).", nameof(lines));
        }

        var result = new List<QboLine>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i] ?? throw new ArgumentException($"QuickBooks {what}: Lines[{i}] is null.", nameof(lines));
            if (string.IsNullOrWhiteSpace(line.ItemId))
            {
                throw new ArgumentException($"QuickBooks {what}: Lines[{i}].ItemId is required.", nameof(lines));
            }

            result.Add(new QboLine
            {
                DetailType = QboLineDetailTypes.SalesItemLine,
                Amount = line.Amount ?? decimal.Round(line.Qty * line.UnitPrice, 2, MidpointRounding.AwayFromZero),
                Description = line.Description,
                SalesItemLineDetail = new QboSalesItemLineDetail
                {
                    ItemRef = new QboReference(line.ItemId),
                    Qty = line.Qty,
                    UnitPrice = line.UnitPrice,
                    ItemAccountRef = string.IsNullOrWhiteSpace(line.IncomeAccountId) ? null : new QboReference(line.IncomeAccountId),
                    TaxCodeRef = string.IsNullOrWhiteSpace(line.TaxCodeId) ? null : new QboReference(line.TaxCodeId),
                },
            });
        }

        return result;
    }

    private static PlatformException InvalidResponse(string message, bool mayHaveBeenApplied) =>
        new(ConnectorName, HttpStatusCode.OK, "invalid_response", message, mayHaveBeenApplied: mayHaveBeenApplied);

    private static string RequestId(WriteContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(context.IdempotencyKey, nameof(context));
        return context.IdempotencyKey;
    }

    private sealed class FindOrCreateCustomerOperation(QuickBooksConnector connector) : ILookupThenCreateOperation<QboCustomerDraft, QboCustomer>
    {
        public WriteSafety Safety => WriteSafety.LookupThenCreate;

        public Task<QboCustomer?> LookupAsync(QboCustomerDraft input, WriteContext context, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(input);
            return connector.FindCustomerAsync(input.Email, input.DisplayName, cancellationToken);
        }

        public async Task<QboCustomer> ExecuteAsync(QboCustomerDraft input, WriteContext context, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(input);
            if (string.IsNullOrWhiteSpace(input.DisplayName))
            {
                throw new ArgumentException("A QuickBooks customer needs a DisplayName (field DisplayName).", nameof(input));
            }

            var requestId = RequestId(context);
            if (await LookupAsync(input, context, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return existing;
            }

            try
            {
                return await connector.CreateCustomerAsync(input, requestId, cancellationToken).ConfigureAwait(false);
            }
            catch (PlatformException ex) when (ex.ErrorCode == "6240")
            {
                // Duplicate Name Exists: another writer created it between the lookup and the create.
                var raced = await connector.FindCustomerAsync(null, input.DisplayName, cancellationToken).ConfigureAwait(false);
                if (raced is null)
                {
                    throw;
                }

                return raced;
            }
        }
    }

    private sealed class CreateInvoiceOperation(QuickBooksConnector connector) : ISinkOperation<QboInvoiceDraft, QboInvoice>
    {
        public WriteSafety Safety => WriteSafety.IdempotencyKey;

        public async Task<QboInvoice> ExecuteAsync(QboInvoiceDraft input, WriteContext context, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(input);
            if (string.IsNullOrWhiteSpace(input.CustomerId))
            {
                throw new ArgumentException("A QuickBooks invoice needs a customer (field CustomerId).", nameof(input));
            }

            return await connector.CreateInvoiceAsync(input, RequestId(context), cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class CreateSalesReceiptOperation(QuickBooksConnector connector) : ISinkOperation<QboSalesReceiptDraft, QboSalesReceipt>
    {
        public WriteSafety Safety => WriteSafety.IdempotencyKey;

        public async Task<QboSalesReceipt> ExecuteAsync(QboSalesReceiptDraft input, WriteContext context, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(input);
            return await connector.CreateSalesReceiptAsync(input, RequestId(context), cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class AdjustQuantityOnHandOperation(QuickBooksConnector connector) : ISinkOperation<QboInventoryAdjustment, QboItem>
    {
        public WriteSafety Safety => WriteSafety.IdempotencyKey;

        public async Task<QboItem> ExecuteAsync(QboInventoryAdjustment input, WriteContext context, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(input);
            if (string.IsNullOrWhiteSpace(input.ItemId))
            {
                throw new ArgumentException("A QuickBooks inventory adjustment needs an item (field ItemId).", nameof(input));
            }

            return await connector.AdjustQuantityAsync(input, RequestId(context), cancellationToken).ConfigureAwait(false);
        }
    }
}
