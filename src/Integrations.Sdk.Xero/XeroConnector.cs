using Integrations.Sdk.Books;
using Integrations.Sdk.Xero.Internal;
using Integrations.Sdk.Xero.Models;

namespace Integrations.Sdk.Xero;

/// <summary>
/// The Xero Accounting API connector for one organisation (tenant). Every create sends the step's idempotency key as
/// Xero's <c>Idempotency-Key</c> header, so a retry replays the original answer instead of writing twice. It is also
/// the books category model's <see cref="IBooksConnector"/> for Xero (registered keyed <c>"xero"</c>), each member a
/// mapping over this typed API. Thread-safe.
/// </summary>
public sealed partial class XeroConnector : IBooksConnector
{
    /// <summary>The connector's name: it names its HTTP options, budgets, OAuth tokens, telemetry and webhook route.</summary>
    public const string ConnectorName = "xero";

    /// <summary>The header naming the organisation on every Accounting API request.</summary>
    public const string TenantHeader = "xero-tenant-id";

    internal const string DisplayName = "Xero";

    private readonly Func<IXeroApi> _client;
    private readonly XeroOptions _options;
    private readonly TimeProvider _time;
    private long _daySpentUntil; // UTC ticks; 0 when the day's budget is not known to be spent

    internal XeroConnector(Func<IXeroApi> api, XeroOptions options, TimeProvider time)
    {
        _client = api;
        _options = options;
        _time = time;
        FindOrCreateContact = SinkOperation.LookupThenCreate<XeroContactDraft, XeroContact>(
            (draft, _, ct) => FindContactAsync(draft.Email, draft.Name, ct),
            CreateContactOrFindRacedAsync,
            draft => Require.Text(draft.Name, "A Xero contact needs a Name", nameof(draft.Name)));
        CreateInvoice = WithKey<XeroInvoiceDraft, XeroInvoice>(CreateInvoiceAsync, draft =>
        {
            Require.Text(draft.ContactId, "A Xero invoice needs a contact", nameof(draft.ContactId));
            Require.Items(draft.Lines, "A Xero invoice needs at least one line", nameof(draft.Lines));
        });
        CreateCreditNote = WithKey<XeroCreditNoteDraft, XeroCreditNote>(CreateCreditNoteAsync, draft =>
        {
            Require.Text(draft.ContactId, "A Xero credit note needs a contact", nameof(draft.ContactId));
            Require.Items(draft.Lines, "A Xero credit note needs at least one line", nameof(draft.Lines));
        });
        CreatePayment = WithKey<XeroPaymentDraft, XeroPayment>(CreatePaymentAsync, draft =>
        {
            Require.Text(draft.InvoiceId, "A Xero payment needs an invoice", nameof(draft.InvoiceId));
            Require.Text(draft.AccountCode, "A Xero payment needs a bank account code", nameof(draft.AccountCode));
            Positive(draft.Amount, "A Xero payment", nameof(draft.Amount));
        });
        AllocateCreditNote = WithKey<XeroAllocationDraft, XeroAllocation>(AllocateAsync, draft =>
        {
            Require.Text(draft.CreditNoteId, "A Xero allocation needs a credit note", nameof(draft.CreditNoteId));
            Require.Text(draft.InvoiceId, "A Xero allocation needs an invoice", nameof(draft.InvoiceId));
            Positive(draft.Amount, "A Xero allocation", nameof(draft.Amount));
        });
        InitBooks();
    }

    /// <summary>
    /// When Xero's daily limit for the tenant is known to be spent (a 429 with <c>X-Rate-Limit-Problem</c> naming the
    /// day), until when; every call until then fails at once, retryable later, without sending anything.
    /// </summary>
    public DateTimeOffset? DailyLimitSpentUntil
    {
        get
        {
            var ticks = Interlocked.Read(ref _daySpentUntil);
            return ticks == 0 || ticks <= _time.GetUtcNow().UtcTicks ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>The organisation (tenant) this connector works on.</summary>
    public string TenantId => _options.TenantId;

    /// <summary>
    /// Finds a contact by <c>EmailAddress</c>, then by <c>Name</c>, and creates it when neither matches; a create refused
    /// because the name is taken (another writer created it meanwhile) returns that contact.
    /// </summary>
    public ILookupThenCreateOperation<XeroContactDraft, XeroContact> FindOrCreateContact { get; }

    /// <summary>Creates a sales invoice (<c>ACCREC</c>, <c>PUT /Invoices</c>). Idempotent by <c>Idempotency-Key</c>.</summary>
    public ISinkOperation<XeroInvoiceDraft, XeroInvoice> CreateInvoice { get; }

    /// <summary>Creates a customer credit note (<c>ACCRECCREDIT</c>, <c>PUT /CreditNotes</c>). Idempotent by <c>Idempotency-Key</c>.</summary>
    public ISinkOperation<XeroCreditNoteDraft, XeroCreditNote> CreateCreditNote { get; }

    /// <summary>Records a payment of an invoice (<c>PUT /Payments</c>). Idempotent by <c>Idempotency-Key</c>.</summary>
    public ISinkOperation<XeroPaymentDraft, XeroPayment> CreatePayment { get; }

    /// <summary>
    /// Allocates (part of) an authorised credit note to an invoice of the same contact
    /// (<c>PUT /CreditNotes/{id}/Allocations</c>). Idempotent by <c>Idempotency-Key</c>.
    /// </summary>
    public ISinkOperation<XeroAllocationDraft, XeroAllocation> AllocateCreditNote { get; }

    /// <summary>Returns the contact with this email, else the one with this name, or <see langword="null"/>.</summary>
    /// <param name="email">The email (<c>EmailAddress</c>); optional.</param>
    /// <param name="name">The name; optional.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    public async Task<XeroContact?> FindContactAsync(string? email, string? name, CancellationToken cancellationToken = default) =>
        await FirstAsync<XeroContact>("Contacts", "EmailAddress", email, cancellationToken).ConfigureAwait(false)
        ?? await FirstAsync<XeroContact>("Contacts", "Name", name, cancellationToken).ConfigureAwait(false);

    /// <summary>Returns the item with this code (its SKU), or <see langword="null"/>.</summary>
    /// <param name="code">The item's code.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    public Task<XeroItem?> FindItemByCodeAsync(string code, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        return FirstAsync<XeroItem>("Items", "Code", code, cancellationToken);
    }

    /// <summary>Reads an invoice by id (<c>GET /Invoices/{id}</c>), or <see langword="null"/> when Xero has none.</summary>
    /// <param name="invoiceId">The invoice's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<XeroInvoice?> GetInvoiceAsync(string invoiceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(invoiceId);
        return PlatformReads.OrNullWhenMissingAsync(
            async ct => Single<XeroInvoice>(await CallAsync(api => api.GetAsync("Invoices", invoiceId.Trim(), TenantId, ct)).ConfigureAwait(false), "Invoices", "an invoice read", applied: false),
            cancellationToken: cancellationToken);
    }

    /// <summary>Returns the sales invoice with this number (<c>GET /Invoices?where=InvoiceNumber=="..."</c>), or <see langword="null"/>.</summary>
    /// <param name="invoiceNumber">The invoice's number.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    public Task<XeroInvoice?> FindInvoiceByNumberAsync(string invoiceNumber, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(invoiceNumber);
        return FirstAsync<XeroInvoice>("Invoices", "InvoiceNumber", invoiceNumber, cancellationToken);
    }

    /// <summary>Reads the organisation (<c>GET /Organisation</c>): its name and base currency.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<XeroOrganisation> GetOrganisationAsync(CancellationToken cancellationToken = default) =>
        (await ListAsync<XeroOrganisation>("Organisation", "Organisations", cancellationToken).ConfigureAwait(false)).FirstOrDefault()
        ?? throw PlatformException.InvalidResponse(ConnectorName, "the answer to GET /Organisation holds no organisation", mayHaveBeenApplied: false);

    /// <summary>Reads the currencies the organisation has added (<c>GET /Currencies</c>), its base currency included.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<IReadOnlyList<XeroCurrency>> GetCurrenciesAsync(CancellationToken cancellationToken = default) =>
        ListAsync<XeroCurrency>("Currencies", "Currencies", cancellationToken);

    /// <summary>Reads the tax rates (<c>GET /TaxRates</c>).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<IReadOnlyList<XeroTaxRate>> GetTaxRatesAsync(CancellationToken cancellationToken = default) =>
        ListAsync<XeroTaxRate>("TaxRates", "TaxRates", cancellationToken);

    /// <summary>Reads the chart of accounts (<c>GET /Accounts</c>).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<IReadOnlyList<XeroAccount>> GetAccountsAsync(CancellationToken cancellationToken = default) =>
        ListAsync<XeroAccount>("Accounts", "Accounts", cancellationToken);

    /// <summary>Reads the tracking categories with their options (<c>GET /TrackingCategories</c>).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<IReadOnlyList<XeroTrackingCategory>> GetTrackingCategoriesAsync(CancellationToken cancellationToken = default) =>
        ListAsync<XeroTrackingCategory>("TrackingCategories", "TrackingCategories", cancellationToken);

    /// <summary>
    /// A Xero <c>where</c> condition: <paramref name="field"/> equals <paramref name="value"/> (<c>Name=="Acme"</c>),
    /// with quotes and backslashes in the value escaped.
    /// </summary>
    /// <param name="field">The field, for example <c>EmailAddress</c>.</param>
    /// <param name="value">The value.</param>
    public static string WhereEquals(string field, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(field);
        ArgumentNullException.ThrowIfNull(value);
        if (!field.All(c => char.IsAsciiLetterOrDigit(c) || c == '.'))
        {
            throw new ArgumentException($"A Xero field name holds letters, digits and dots; '{field}' does not.", nameof(field));
        }

        return $"{field}==\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
    }

    private async Task<T?> FirstAsync<T>(string collection, string field, string? value, CancellationToken cancellationToken)
        where T : class
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var answer = await CallAsync(api => api.QueryAsync(collection, WhereEquals(field, value.Trim()), page: null, TenantId, cancellationToken)).ConfigureAwait(false);
        return PlatformJson.TryGet(answer, collection, out var list, ignoreCase: true) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(e => e.Deserialize<T>(XeroJson.Options)).FirstOrDefault(e => e is not null)
            : null;
    }

    private async Task<IReadOnlyList<T>> ListAsync<T>(string collection, string listName, CancellationToken cancellationToken)
        where T : class
    {
        var answer = await CallAsync(api => api.QueryAsync(collection, where: null, page: null, TenantId, cancellationToken)).ConfigureAwait(false);
        return PlatformJson.TryGet(answer, listName, out var list, ignoreCase: true) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(e => e.Deserialize<T>(XeroJson.Options)).OfType<T>()]
            : throw PlatformException.InvalidResponse(ConnectorName, $"the answer to GET /{collection} holds no {listName}", mayHaveBeenApplied: false);
    }

    private async Task<XeroContact> CreateContactOrFindRacedAsync(XeroContactDraft draft, WriteContext context, CancellationToken cancellationToken)
    {
        var body = new { Contacts = new[] { new ContactBody(draft.Name.Trim(), draft.FirstName, draft.LastName, Blank(draft.Email)) } };
        try
        {
            var answer = await CallAsync(api => api.CreateAsync("Contacts", body, Key(context.IdempotencyKey), TenantId, cancellationToken)).ConfigureAwait(false);
            return Single<XeroContact>(answer, "Contacts", "a contact creation", applied: true);
        }
        catch (PlatformException ex) when (ex.StatusCode == HttpStatusCode.BadRequest
            && ex.PlatformMessage.Contains("already assigned", StringComparison.OrdinalIgnoreCase))
        {
            // "The contact name X is already assigned to another contact": another writer created it meanwhile.
            var raced = await FirstAsync<XeroContact>("Contacts", "Name", draft.Name, cancellationToken).ConfigureAwait(false);
            if (raced is null)
            {
                throw;
            }

            return raced;
        }
    }

    private async Task<XeroInvoice> CreateInvoiceAsync(XeroInvoiceDraft draft, string key, CancellationToken cancellationToken)
    {
        var invoice = new InvoiceBody(
            "ACCREC", new IdRef(draft.ContactId.Trim()), Lines(draft.Lines, "invoice"), Day(draft.Date), Day(draft.DueDate), Blank(draft.InvoiceNumber),
            Blank(draft.Reference), Blank(draft.CurrencyCode), draft.CurrencyRate, Blank(draft.LineAmountTypes), Blank(draft.Status));
        var answer = await CallAsync(api => api.CreateAsync("Invoices", new { Invoices = new[] { invoice } }, key, TenantId, cancellationToken)).ConfigureAwait(false);
        return Single<XeroInvoice>(answer, "Invoices", "an invoice creation", applied: true);
    }

    private async Task<XeroCreditNote> CreateCreditNoteAsync(XeroCreditNoteDraft draft, string key, CancellationToken cancellationToken)
    {
        var note = new CreditNoteBody(
            "ACCRECCREDIT", new IdRef(draft.ContactId.Trim()), Lines(draft.Lines, "credit note"), Day(draft.Date), Blank(draft.CreditNoteNumber),
            Blank(draft.Reference), Blank(draft.CurrencyCode), draft.CurrencyRate, Blank(draft.LineAmountTypes), Blank(draft.Status));
        var answer = await CallAsync(api => api.CreateAsync("CreditNotes", new { CreditNotes = new[] { note } }, key, TenantId, cancellationToken)).ConfigureAwait(false);
        return Single<XeroCreditNote>(answer, "CreditNotes", "a credit note creation", applied: true);
    }

    private async Task<XeroPayment> CreatePaymentAsync(XeroPaymentDraft draft, string key, CancellationToken cancellationToken)
    {
        var payment = new PaymentBody(new InvoiceIdRef(draft.InvoiceId.Trim()), new AccountCodeRef(draft.AccountCode.Trim()), draft.Amount, Day(draft.Date), Blank(draft.Reference), draft.CurrencyRate);
        var answer = await CallAsync(api => api.CreateAsync("Payments", new { Payments = new[] { payment } }, key, TenantId, cancellationToken)).ConfigureAwait(false);
        return Single<XeroPayment>(answer, "Payments", "a payment creation", applied: true);
    }

    private async Task<XeroAllocation> AllocateAsync(XeroAllocationDraft draft, string key, CancellationToken cancellationToken)
    {
        // The spec requires the allocation's Date: today (UTC) when none is given.
        var allocation = new AllocationBody(new InvoiceIdRef(draft.InvoiceId.Trim()), draft.Amount, Day(draft.Date ?? DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime)));
        var answer = await CallAsync(api => api.AllocateCreditNoteAsync(draft.CreditNoteId.Trim(), new { Allocations = new[] { allocation } }, key, TenantId, cancellationToken)).ConfigureAwait(false);
        return Single<XeroAllocation>(answer, "Allocations", "a credit note allocation", applied: true);
    }

    /// <summary>
    /// The one record of an answer. Xero may answer 200 with the record's own <c>ValidationErrors</c> (when errors are
    /// not summarised): that is a refusal, read into the same reasons as a 400.
    /// </summary>
    private static T Single<T>(JsonElement answer, string collection, string what, bool applied)
        where T : class
    {
        if (!PlatformJson.TryGet(answer, collection, out var list, ignoreCase: true) || list.ValueKind != JsonValueKind.Array
            || list.GetArrayLength() == 0 || list[0].ValueKind != JsonValueKind.Object)
        {
            throw PlatformException.InvalidResponse(ConnectorName, $"the answer to {what} holds no {collection}", mayHaveBeenApplied: applied);
        }

        var record = list[0];
        if (PlatformJson.TryGet(record, "ValidationErrors", out var errors, ignoreCase: true) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
        {
            var reasons = errors.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Object ? PlatformJson.Text(e, "Message", ignoreCase: true) : null)
                .Where(m => !string.IsNullOrEmpty(m));
            throw new PlatformException(ConnectorName, HttpStatusCode.OK, "ValidationException",
                $"Xero refused {what}: Elements[0]: {string.Join("; ", reasons)}", isRetryable: false, mayHaveBeenApplied: false);
        }

        return record.Deserialize<T>(XeroJson.Options)
            ?? throw PlatformException.InvalidResponse(ConnectorName, $"the answer to {what} holds no {collection}", mayHaveBeenApplied: applied);
    }

    /// <summary>
    /// Calls the API, unless the day's budget is known to be spent: then the call fails at once with the wait. A 429
    /// naming the daily limit is noted, so that the calls after it fail at once too.
    /// </summary>
    private async Task<JsonElement> CallAsync(Func<IXeroApi, Task<JsonElement>> call)
    {
        if (DailyLimitSpentUntil is { } until)
        {
            throw new PlatformException(ConnectorName, HttpStatusCode.TooManyRequests, XeroSignalReader.DailyLimitCode,
                string.Create(CultureInfo.InvariantCulture, $"Xero's daily limit for tenant {TenantId} is spent until {until:O}; nothing was sent"),
                isRetryable: true, mayHaveBeenApplied: false, retryAfter: until - _time.GetUtcNow());
        }

        try
        {
            return await call(_client()).ConfigureAwait(false);
        }
        catch (PlatformException ex) when (ex.ErrorCode == XeroSignalReader.DailyLimitCode && ex.RetryAfter is { } wait)
        {
            Interlocked.Exchange(ref _daySpentUntil, (_time.GetUtcNow() + wait).UtcTicks);
            throw;
        }
    }

    private static List<LineBody> Lines(IReadOnlyList<XeroLineDraft> lines, string what) =>
        [.. lines.Select((line, i) =>
        {
            if (line is null)
            {
                throw new ArgumentException($"Xero {what}: LineItems[{i}] is null (field Lines[{i}]).", nameof(lines));
            }

            if (string.IsNullOrWhiteSpace(line.Description) && string.IsNullOrWhiteSpace(line.ItemCode))
            {
                throw new ArgumentException($"Xero {what}: Lines[{i}] needs a Description or an ItemCode (field Lines[{i}].Description).", $"Lines[{i}].Description");
            }

            if (line.UnitAmount is null && line.LineAmount is null)
            {
                throw new ArgumentException($"Xero {what}: Lines[{i}] needs a UnitAmount or a LineAmount (field Lines[{i}].UnitAmount).", $"Lines[{i}].UnitAmount");
            }

            if (line.Tracking is { Count: > 2 })
            {
                throw new ArgumentException($"Xero {what}: Lines[{i}] has {line.Tracking.Count} tracking options; Xero takes at most 2 (field Lines[{i}].Tracking).", $"Lines[{i}].Tracking");
            }

            var tracking = line.Tracking is { Count: > 0 } options
                ? options.Select((t, j) => t is null || string.IsNullOrWhiteSpace(t.Name) || string.IsNullOrWhiteSpace(t.Option)
                    ? throw new ArgumentException($"Xero {what}: Lines[{i}].Tracking[{j}] needs a category Name and an Option.", $"Lines[{i}].Tracking[{j}]")
                    : new TrackingBody(t.Name.Trim(), t.Option.Trim())).ToList()
                : null;
            return new LineBody(
                Blank(line.Description), line.Quantity, line.UnitAmount, Blank(line.ItemCode), Blank(line.AccountCode), Blank(line.TaxType), line.DiscountRate,
                line.DiscountAmount, line.TaxAmount, line.LineAmount, tracking);
        })];

    private static void Positive(decimal amount, string what, string field)
    {
        if (amount <= 0)
        {
            throw new ArgumentException($"{what} needs an amount above zero (field {field}).", field);
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? Key(string? key) => string.IsNullOrEmpty(key) || key.Length > XeroOptions.MaxIdempotencyKeyLength ? null : key;

    private static string? Day(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static ISinkOperation<TInput, TResult> WithKey<TInput, TResult>(Func<TInput, string, CancellationToken, Task<TResult>> execute, Action<TInput> validate) =>
        SinkOperation.WithIdempotencyKey(DisplayName, XeroOptions.MaxIdempotencyKeyLength, execute, validate);
}
