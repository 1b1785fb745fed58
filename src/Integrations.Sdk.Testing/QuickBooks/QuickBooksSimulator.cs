using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integrations.Sdk.Testing.QuickBooks;

/// <summary>
/// A stateful fake of the QuickBooks Online Accounting API and of Intuit's OAuth 2.0 token endpoint, on 127.0.0.1,
/// for tests and samples. It speaks HTTP and JSON only (it does not use the QuickBooks connector package).
/// </summary>
/// <remarks>
/// <para><b>Endpoints</b>, each served through <see cref="SimulatorHost.Faults"/> under the name in brackets:</para>
/// <list type="bullet">
/// <item><c>POST /oauth2/v1/tokens/bearer</c> [<c>token</c>]: <c>grant_type=refresh_token</c> with the client id and
/// secret in a Basic header (else 401 <c>invalid_client</c>). Answers a new access token valid
/// <see cref="AccessTokenLifetime"/> on the simulator's clock and a NEW refresh token every time.</item>
/// <item><c>GET /v3/company/{realmId}/query?query=...</c> [<c>query</c>]:
/// <c>SELECT * FROM Customer|Item|Invoice|SalesReceipt|CreditMemo|Payment|TaxCode|TaxRate|Account|Class|CompanyInfo|Preferences
/// [WHERE Field = 'value' [AND ...]] [STARTPOSITION n]
/// [MAXRESULTS m]</c> (default 100, at most 1000 per page); strings compare case-insensitively, <c>PrimaryEmailAddr</c>
/// by its address and references by their <c>value</c>. Answers
/// <c>{"QueryResponse":{"Customer":[...],"startPosition":1,"maxResults":n},"time":...}</c>. Anything else is a 400
/// <c>QueryParserError</c> (code 4000). <c>POST .../query</c> with the statement as the body is served the same way.</item>
/// <item><c>GET /v3/company/{realmId}/{entity}/{id}</c> [<c>{entity}.read</c>]: the entity, or 400 with 610 (Object Not Found).</item>
/// <item><c>POST /v3/company/{realmId}/customer</c> [<c>customer.create</c>]: a name is required; a taken
/// <c>DisplayName</c> is refused with 6240 (Duplicate Name Exists).</item>
/// <item><c>POST /v3/company/{realmId}/invoice</c> [<c>invoice.create</c>] and <c>/salesreceipt</c>
/// [<c>salesreceipt.create</c>]: <c>SalesItemLineDetail</c> lines; refused with 2020 when <c>Line</c> or a line's
/// <c>Amount</c> is missing, 2500 (Invalid Reference Id) for an unknown <c>CustomerRef</c> (required on invoices) or
/// <c>ItemRef</c>, 6070 when <c>Amount</c> is not <c>Qty × UnitPrice</c>. The answer adds line ids, a
/// <c>SubTotalLineDetail</c> line, <c>TotalAmt</c>, <c>Balance</c> (the total on invoices, 0 on sales receipts) and a
/// <c>DocNumber</c> when none was sent. Lines of items with <c>TrackQtyOnHand</c> reduce their <c>QtyOnHand</c>
/// (it may go negative, as in QuickBooks) and bump their <c>SyncToken</c>; invoices add to the customer's balance.</item>
/// <item><c>POST /v3/company/{realmId}/item</c>: with an <c>Id</c> [<c>item.update</c>] an update, sparse when
/// <c>"sparse": true</c> (only the fields sent change), else full; the <c>SyncToken</c> must be current, or it is
/// refused with 5010 (Stale Object Error). Without an <c>Id</c> [<c>item.create</c>] a create.</item>
/// <item><c>POST /v3/company/{realmId}/creditmemo</c> [<c>creditmemo.create</c>]: like an invoice; an open credit
/// (<c>Balance</c>, <c>RemainingCredit</c>) whose tracked items go back on hand. Invoices, sales receipts and credit
/// memos also take <c>DiscountLineDetail</c> lines, the shipping line (<c>ItemRef</c> <c>SHIPPING_ITEM_ID</c>), item-less
/// sales lines, <c>ClassRef</c>, <c>TaxCodeRef</c>, <c>TxnTaxDetail.TotalTax</c> (else computed from the tax codes),
/// <c>CurrencyRef</c> with <c>ExchangeRate</c> (see <see cref="MultiCurrencyEnabled"/>).</item>
/// <item><c>POST /v3/company/{realmId}/payment</c> [<c>payment.create</c>]: <c>CustomerRef</c> and <c>TotalAmt</c>
/// required; each line's <c>LinkedTxn</c> names an invoice of that customer whose <c>Balance</c> it lowers.</item>
/// <item>Any other entity: 400 with code 500 (Unsupported Operation); any other route: 404 with the same Fault body.</item>
/// </list>
/// <para><b>Answers</b> carry the fields QuickBooks sends, with the defaults of a new US company: <c>Id</c>,
/// <c>SyncToken</c>, <c>MetaData</c> (<c>CreateTime</c>, <c>LastUpdatedTime</c>), <c>domain</c>, <c>sparse</c>; customers
/// <c>FullyQualifiedName</c>, <c>PrintOnCheckName</c>, <c>Active</c>, <c>Taxable</c>, <c>Job</c>, <c>BillWithParent</c>,
/// <c>PreferredDeliveryMethod</c>, <c>CurrencyRef</c>, <c>Balance</c>, <c>BalanceWithJobs</c>; items <c>Type</c>,
/// <c>IncomeAccountRef</c> (and for inventory items <c>AssetAccountRef</c>, <c>ExpenseAccountRef</c>, <c>InvStartDate</c>),
/// <c>PurchaseCost</c>; invoices and sales receipts <c>TxnDate</c>, <c>DocNumber</c>, <c>CurrencyRef</c>, <c>Line</c>
/// (<c>Id</c>, <c>LineNum</c>, <c>DetailType</c>, <c>SalesItemLineDetail</c> with <c>ItemRef{value,name}</c>,
/// <c>ItemAccountRef</c>, <c>TaxCodeRef</c>, then a <c>SubTotalLineDetail</c> line), <c>TxnTaxDetail</c>,
/// <c>LinkedTxn</c>, <c>PrintStatus</c>, <c>EmailStatus</c>, <c>BillEmail</c>, <c>TotalAmt</c>, <c>Balance</c>,
/// <c>CustomerRef{value,name}</c>. Every answer, success or Fault, is valid against Intuit's schema
/// (<see cref="Conformance.QuickBooksXsdSpec"/>).</para>
/// <para><b>Every API call</b> is checked in this order: the realm's throttle (more than
/// <see cref="RequestsPerSecond"/> per second, <see cref="RequestsPerMinute"/> per minute, both token buckets, or
/// a request arriving while <see cref="MaxConcurrentRequests"/> are in flight answers 429 ThrottleExceeded, code 3001);
/// an admitted request then stays in flight for <see cref="ProcessingTime"/> (and while <see cref="HoldRequests"/>
/// holds it); then the bearer token (401, code 3200, when missing, unknown or expired); the realm (403 for any realm
/// but <see cref="RealmId"/>); <c>minorversion</c>: as documented since 2025-08-01, a missing one or one below 75 is
/// answered as 75 (one that is not a whole number is refused with 400, code 2010: assumed). Every answer carries an <c>intuit_tid</c> header. Like QuickBooks, a 429
/// carries no <c>Retry-After</c> unless <see cref="SendRetryAfter"/> is on.</para>
/// <para><b>requestid</b>: a write whose <c>requestid</c> was already answered successfully in the realm gets the
/// original answer again and changes nothing, whatever its body. Refusals are not remembered, so a corrected request
/// may reuse its requestid.</para>
/// <para><b>Refresh-token rule</b>: every refresh answers a new refresh token. The token presented stays valid (a
/// client that lost the answer can retry with it) until one of the tokens issued for it is itself used; from then on
/// it is refused with 400 <c>invalid_grant</c>. So the previous refresh token stops working once the new one has been
/// used. <c>x_refresh_token_expires_in</c> is reported but not enforced.</para>
/// <para><b>Faults</b>: <see cref="SimulatorHost.Faults"/> applies before anything else; its 5xx and 429 answers
/// carry a QuickBooks fault body. <see cref="FaultKind.CommitThenDrop"/> applies the write (and remembers its
/// requestid) before dropping the connection.</para>
/// </remarks>
public sealed partial class QuickBooksSimulator : SimulatorHost
{
    /// <inheritdoc />
    public override string Platform => "quickbooks";

    /// <summary>The realm id used when none is given.</summary>
    public const string DefaultRealmId = "9341453050298760";

    /// <summary>The <c>minorversion</c> answered: QuickBooks answers a missing one, or any below it, as this one.</summary>
    public const int MinimumMinorVersion = 75;

    private const string TokenPath = "/oauth2/v1/tokens/bearer";

    private const string UndepositedFundsAccountId = "4";
    private const string ShippingIncomeAccountId = "85";
    private const string DiscountsGivenAccountId = "86";

    private static readonly string[] EntityNames = ["Customer", "Item", "Invoice", "SalesReceipt", "CreditMemo", "Payment", "TaxCode", "TaxRate", "Account", "Class"];
    private static readonly string[] ServedNames = [.. EntityNames, "CompanyInfo", "Preferences"];
    private readonly DateTimeOffset _created;
    private readonly Dictionary<string, List<JsonObject>> _entities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _lastIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QboAnswer> _replays = new(StringComparer.Ordinal);
    private string _homeCurrency = "USD";
    private int _requests;
    private int _throttled;
    private int _replayed;

    /// <summary>Creates the simulator (not started).</summary>
    /// <param name="timeProvider">The platform's clock: token expiry, throttling windows, timestamps. The system clock by default.</param>
    /// <param name="seed">Seeds random faults.</param>
    /// <param name="realmId">The one company the simulator serves.</param>
    public QuickBooksSimulator(TimeProvider? timeProvider = null, int seed = 0, string realmId = DefaultRealmId)
        : base(timeProvider, seed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(realmId);
        RealmId = realmId;
        foreach (var name in EntityNames)
        {
            _entities[name] = [];
            _lastIds[name] = 0;
        }

        _created = Time.GetUtcNow();
        SeedChartOfAccounts(_created);
    }

    /// <summary>
    /// The home currency: the currency of the company's reports, and of transactions sent without <c>CurrencyRef</c>
    /// (<c>Preferences.CurrencyPrefs.HomeCurrency</c>). Set it before anything is written. <value>Default: <c>USD</c>.</value>
    /// </summary>
    public string HomeCurrency
    {
        get => Locked(() => _homeCurrency);
        set
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            lock (Gate)
            {
                _homeCurrency = value.Trim().ToUpperInvariant();
            }
        }
    }

    /// <summary>
    /// Whether transactions may be in other currencies (<c>Preferences.CurrencyPrefs.MultiCurrencyEnabled</c>); when off a
    /// foreign <c>CurrencyRef</c> is refused. <value>Default: true (a new QuickBooks company starts with it off; the simulator
    /// starts with it on so foreign-currency orders book without setup).</value>
    /// </summary>
    public bool MultiCurrencyEnabled { get; set; } = true;

    /// <summary>Whether sales forms allow shipping (<c>Preferences.SalesFormsPrefs.AllowShipping</c>), needed by <c>SHIPPING_ITEM_ID</c> lines. <value>Default: true.</value></summary>
    public bool AllowShipping { get; set; } = true;

    /// <summary>The company's name (<c>CompanyInfo.CompanyName</c>). <value>Default: <c>Simulated Company</c>.</value></summary>
    public string CompanyName { get; set; } = "Simulated Company";

    /// <summary>The invoices created.</summary>
    public int InvoiceCount => Locked(() => _entities["Invoice"].Count);

    /// <summary>The credit memos created.</summary>
    public int CreditNoteCount => Locked(() => _entities["CreditMemo"].Count);

    /// <summary>The payments recorded.</summary>
    public int PaymentCount => Locked(() => _entities["Payment"].Count);

    /// <summary>The credit memos, in creation order.</summary>
    public IReadOnlyList<SimulatedTransaction> CreditMemos => Snapshot("CreditMemo", ToTransaction);

    /// <summary>
    /// What a correct integration never causes: invoices, and credit memos, whose <c>DocNumber</c> repeats an earlier one
    /// of the same type, plus payments that take an invoice's paid amount over its total.
    /// </summary>
    public int DuplicateDocuments => Locked(() =>
    {
        var repeated = new[] { "Invoice", "CreditMemo" }.Sum(kind => _entities[kind]
            .Select(t => Str(t["DocNumber"])).Where(n => n is not null)
            .GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Sum(g => g.Count() - 1));
        var paid = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var overpaying = 0;
        foreach (var payment in _entities["Payment"])
        {
            var over = false;
            foreach (var line in (payment["Line"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var invoiceId = Str(line["LinkedTxn"]?[0]?["TxnId"]);
                if (invoiceId is null || FindById("Invoice", invoiceId) is not { } invoice)
                {
                    continue;
                }

                paid[invoiceId] = paid.GetValueOrDefault(invoiceId) + (Dec(line["Amount"]) ?? 0);
                over |= paid[invoiceId] > (Dec(invoice["TotalAmt"]) ?? 0);
            }

            overpaying += over ? 1 : 0;
        }

        return repeated + overpaying;
    });

    /// <summary>
    /// The revenue booked, in the home currency: for each invoice and sales receipt, minus each credit memo, its net
    /// amount (<c>TotalAmt</c> − <c>TxnTaxDetail.TotalTax</c>: the lines after discounts, without tax) times its
    /// <c>ExchangeRate</c> (1 in the home currency), rounded to cents half away from zero.
    /// </summary>
    /// <returns>The revenue.</returns>
    public decimal RevenueInHomeCurrency() => Locked(() =>
    {
        static decimal Home(JsonObject t) => decimal.Round(
            ((Dec(t["TotalAmt"]) ?? 0) - (Dec(t["TxnTaxDetail"]?["TotalTax"]) ?? 0)) * (Dec(t["ExchangeRate"]) ?? 1), 2, MidpointRounding.AwayFromZero);
        return _entities["Invoice"].Sum(Home) + _entities["SalesReceipt"].Sum(Home) - _entities["CreditMemo"].Sum(Home);
    });

    /// <summary>The quantity on hand of the item with this SKU; <see langword="null"/> when no item has it or it does not track quantity.</summary>
    /// <param name="sku">The SKU.</param>
    /// <returns>The quantity, or <see langword="null"/>.</returns>
    public decimal? QuantityOnHand(string sku)
    {
        ArgumentException.ThrowIfNullOrEmpty(sku);
        return Locked(() => _entities["Item"].FirstOrDefault(i => string.Equals(Str(i["Sku"]), sku, StringComparison.OrdinalIgnoreCase)) is { } item
            && Bool(item["TrackQtyOnHand"]) ? Dec(item["QtyOnHand"]) ?? 0 : (decimal?)null);
    }

    /// <summary>
    /// Adds a tax code with one sales tax rate, as if set up in QuickBooks: a <c>TaxRate</c> of <paramref name="ratePercent"/>
    /// and a <c>TaxCode</c> with id <paramref name="id"/> whose <c>SalesTaxRateList</c> names it. Lines naming the code
    /// are taxed at that rate when the request sends no <c>TxnTaxDetail.TotalTax</c>.
    /// </summary>
    /// <param name="id">The tax code's id, for example <c>5</c>.</param>
    /// <param name="name">Its name, for example <c>VAT 20%</c>.</param>
    /// <param name="ratePercent">The rate in percent, 20 for 20 %.</param>
    /// <exception cref="InvalidOperationException">A tax code has this id.</exception>
    public void AddTaxCode(string id, string name, decimal ratePercent)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(ratePercent);
        lock (Gate)
        {
            if (FindById("TaxCode", id) is not null)
            {
                throw new InvalidOperationException($"The tax code {id} exists.");
            }

            var now = Time.GetUtcNow();
            var rate = new JsonObject { ["Name"] = name, ["Description"] = name, ["Active"] = true, ["RateValue"] = ratePercent, ["SpecialTaxType"] = "NONE", ["DisplayType"] = "ReadOnly" };
            var rateId = Stamp(rate, "TaxRate", now).ToString(CultureInfo.InvariantCulture);
            _entities["TaxRate"].Add(rate);
            var code = new JsonObject
            {
                ["Name"] = name,
                ["Description"] = name,
                ["Active"] = true,
                ["Taxable"] = ratePercent > 0,
                ["TaxGroup"] = false,
                ["SalesTaxRateList"] = new JsonObject
                {
                    ["TaxRateDetail"] = new JsonArray(new JsonObject
                    {
                        ["TaxRateRef"] = new JsonObject { ["value"] = rateId, ["name"] = name },
                        ["TaxTypeApplicable"] = "TaxOnAmount",
                        ["TaxOrder"] = 0,
                    }),
                },
                ["PurchaseTaxRateList"] = new JsonObject { ["TaxRateDetail"] = new JsonArray() },
            };
            Seed(code, "TaxCode", id, now);
        }
    }

    /// <summary>Adds an account to the chart of accounts, as if created in QuickBooks.</summary>
    /// <param name="name">Its name, unique among accounts.</param>
    /// <param name="type">Its <c>AccountType</c>, for example <c>Income</c>, <c>Bank</c> or <c>Other Current Asset</c>.</param>
    /// <param name="code">Its account number (<c>AcctNum</c>); optional.</param>
    /// <returns>Its id, which lines and payments refer to.</returns>
    /// <exception cref="ArgumentException"><paramref name="type"/> is not a QuickBooks account type.</exception>
    /// <exception cref="InvalidOperationException">The name is taken.</exception>
    public string AddAccount(string name, string type, string? code = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        var classification = ClassificationOf(type)
            ?? throw new ArgumentException($"'{type}' is not a QuickBooks AccountType (for example Income, Bank, Other Current Asset, Expense).", nameof(type));
        lock (Gate)
        {
            if (FindByName("Account", "Name", name) is not null)
            {
                throw new InvalidOperationException($"An account is named '{name}'.");
            }

            var account = NewAccount(name, type, classification, code);
            var id = Stamp(account, "Account", Time.GetUtcNow());
            _entities["Account"].Add(account);
            return id.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Adds a class, as if created in QuickBooks.</summary>
    /// <param name="name">Its name, unique among classes.</param>
    /// <returns>Its id, which lines refer to (<c>ClassRef</c>).</returns>
    /// <exception cref="InvalidOperationException">The name is taken.</exception>
    public string AddClass(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (Gate)
        {
            if (FindByName("Class", "Name", name) is not null)
            {
                throw new InvalidOperationException($"A class is named '{name}'.");
            }

            var entity = new JsonObject { ["Name"] = name.Trim(), ["SubClass"] = false, ["FullyQualifiedName"] = name.Trim(), ["Active"] = true };
            var id = Stamp(entity, "Class", Time.GetUtcNow());
            _entities["Class"].Add(entity);
            return id.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The company (realm) served.</summary>
    public string RealmId { get; }

    /// <summary>The app's client id the token endpoint accepts. <value>Default: <c>sim-client-id</c>.</value></summary>
    public string ClientId { get; set; } = "sim-client-id";

    /// <summary>The app's client secret the token endpoint accepts. <value>Default: <c>sim-client-secret</c>.</value></summary>
    public string ClientSecret { get; set; } = "sim-client-secret";

    /// <summary>The verifier token webhooks are signed with. <value>Default: <c>sim-verifier-token</c>.</value></summary>
    public string WebhookVerifierToken { get; set; } = "sim-verifier-token";

    /// <summary>How long an access token is valid. <value>Default: 3600 seconds.</value></summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromSeconds(3600);

    /// <summary>Requests per second per realm; below 1 for no limit. <value>Default: 10.</value></summary>
    public int RequestsPerSecond { get; set; } = 10;

    /// <summary>Requests per minute per realm; below 1 for no limit. <value>Default: 500.</value></summary>
    public int RequestsPerMinute { get; set; } = 500;

    /// <summary>Requests in flight per realm; below 1 for no limit. <value>Default: 10.</value></summary>
    public int MaxConcurrentRequests { get; set; } = 10;

    /// <summary>
    /// Whether a throttled answer carries <c>Retry-After</c> (whole seconds until the realm's bucket has a permit, 1 when
    /// too many requests are in flight). QuickBooks Online documents none and usually sends none: a client must choose
    /// its own wait. Turn it on for tests that want a throttled client to come back quickly.
    /// <value>Default: false, as QuickBooks.</value>
    /// </summary>
    public bool SendRetryAfter { get; set; }

    /// <summary>
    /// How long each admitted API request stays in flight, on the simulator's clock, before it is served, so that
    /// concurrent requests overlap as on a real server and more than <see cref="MaxConcurrentRequests"/> at once is
    /// answered 429. With a fake clock, requests wait until the clock is advanced. <value>Default: zero.</value>
    /// </summary>
    public TimeSpan ProcessingTime { get; set; }

    /// <summary>API requests of <see cref="RealmId"/> admitted and not yet answered.</summary>
    public int InFlightCount => ReadThrottle(t => t.InFlight);

    /// <summary>The most API requests of <see cref="RealmId"/> ever in flight at once (admitted ones only).</summary>
    public int PeakInFlightCount => ReadThrottle(t => t.PeakInFlight);

    /// <summary>The token endpoint, once started.</summary>
    public Uri TokenEndpoint => new(BaseAddress, TokenPath.TrimStart('/'));

    /// <summary>API requests received (throttled ones included; token requests excluded).</summary>
    public int RequestCount => Volatile.Read(ref _requests);

    /// <summary>API requests answered 429 by the simulator's own throttle (injected faults excluded).</summary>
    public int ThrottledCount => Volatile.Read(ref _throttled);

    /// <summary>Writes answered from the <c>requestid</c> memory instead of being applied.</summary>
    public int ReplayedCount => Volatile.Read(ref _replayed);

    /// <summary>The customers, in creation order.</summary>
    public IReadOnlyList<SimulatedCustomer> Customers => Snapshot("Customer", ToCustomer);

    /// <summary>The items, in creation order.</summary>
    public IReadOnlyList<SimulatedItem> Items => Snapshot("Item", ToItem);

    /// <summary>The invoices, in creation order.</summary>
    public IReadOnlyList<SimulatedTransaction> Invoices => Snapshot("Invoice", ToTransaction);

    /// <summary>The sales receipts, in creation order.</summary>
    public IReadOnlyList<SimulatedTransaction> SalesReceipts => Snapshot("SalesReceipt", ToTransaction);

    /// <summary>Invoices beyond the first with the same <c>DocNumber</c>: a correct integration leaves this empty.</summary>
    public IReadOnlyList<SimulatedTransaction> DuplicateInvoices =>
        [.. Invoices.Where(i => i.DocNumber is not null).GroupBy(i => i.DocNumber, StringComparer.OrdinalIgnoreCase).SelectMany(g => g.Skip(1))];

    /// <summary>
    /// Customers beyond the first with the same email and currency (a customer's currency is fixed, so one person
    /// buying in two currencies is two customers): a correct integration leaves this empty.
    /// </summary>
    public IReadOnlyList<SimulatedCustomer> DuplicateCustomers => Locked(() =>
        _entities["Customer"].Where(c => !string.IsNullOrEmpty(Str(c["PrimaryEmailAddr"]?["Address"])))
            .GroupBy(c => $"{Str(c["PrimaryEmailAddr"]?["Address"])?.ToUpperInvariant()} {Str(c["CurrencyRef"]?["value"])}", StringComparer.Ordinal)
            .SelectMany(g => g.Skip(1)).Select(ToCustomer).ToList());

    /// <summary>
    /// Holds every admitted API request in flight (after the throttle let it in, before it is served) until the returned
    /// handle is disposed: a test can then put exactly n requests in flight and see what the next one gets.
    /// </summary>
    /// <returns>The hold; dispose it to let the held requests through.</returns>
    public IDisposable HoldRequests()
    {
        var hold = new Hold(this);
        Interlocked.Exchange(ref _hold, hold)?.Dispose();
        return hold;
    }

    /// <summary>Adds an item, as if created in QuickBooks. With <paramref name="trackQtyOnHand"/> it is an inventory item.</summary>
    /// <param name="sku">Its SKU.</param>
    /// <param name="name">Its name, unique.</param>
    /// <param name="quantityOnHand">Its quantity on hand.</param>
    /// <param name="unitPrice">Its sales price.</param>
    /// <param name="incomeAccountId">Its income account id; optional.</param>
    /// <param name="trackQtyOnHand">Whether it is an inventory item (sales reduce its quantity).</param>
    /// <returns>The item, with its id.</returns>
    /// <exception cref="InvalidOperationException">The name is taken.</exception>
    public SimulatedItem AddItem(string sku, string name, decimal quantityOnHand, decimal unitPrice, string? incomeAccountId = null, bool trackQtyOnHand = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(sku);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var body = new JsonObject
        {
            ["Name"] = name,
            ["Sku"] = sku,
            ["UnitPrice"] = unitPrice,
            ["TrackQtyOnHand"] = trackQtyOnHand,
        };
        if (trackQtyOnHand)
        {
            body["QtyOnHand"] = quantityOnHand;
        }

        if (incomeAccountId is not null)
        {
            body["IncomeAccountRef"] = new JsonObject { ["value"] = incomeAccountId };
        }

        lock (Gate)
        {
            var answer = CreateItem(body, Time.GetUtcNow());
            return answer.IsSuccess ? ToItem(Last("Item")) : throw new InvalidOperationException($"The item could not be added: {answer.Body}");
        }
    }

    /// <summary>Adds a customer, as if created in QuickBooks.</summary>
    /// <param name="displayName">Its display name, unique.</param>
    /// <param name="email">Its email; optional.</param>
    /// <returns>The customer, with its id.</returns>
    /// <exception cref="InvalidOperationException">The display name is taken.</exception>
    public SimulatedCustomer AddCustomer(string displayName, string? email = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(displayName);
        var body = new JsonObject { ["DisplayName"] = displayName };
        if (email is not null)
        {
            body["PrimaryEmailAddr"] = new JsonObject { ["Address"] = email };
        }

        lock (Gate)
        {
            var answer = CreateCustomer(body, Time.GetUtcNow());
            return answer.IsSuccess ? ToCustomer(Last("Customer")) : throw new InvalidOperationException($"The customer could not be added: {answer.Body}");
        }
    }

    /// <summary>
    /// Creates a legacy-format webhook (<c>eventNotifications</c>) about one entity of this realm, signed with
    /// <see cref="WebhookVerifierToken"/> in <c>intuit-signature</c>, as QuickBooks would post it.
    /// </summary>
    /// <param name="entity">The entity, for example <c>Invoice</c>.</param>
    /// <param name="entityId">Its id.</param>
    /// <param name="operation"><c>Create</c>, <c>Update</c>, <c>Delete</c>, <c>Merge</c>, <c>Void</c> or <c>Emailed</c>.</param>
    /// <param name="lastUpdated">When it changed. <value>Default: now on the simulator's clock.</value></param>
    public SignedWebhook CreateWebhook(string entity, string entityId, string operation = "Create", DateTimeOffset? lastUpdated = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(entity);
        ArgumentException.ThrowIfNullOrEmpty(entityId);
        ArgumentException.ThrowIfNullOrEmpty(operation);
        var body = new JsonObject
        {
            ["eventNotifications"] = new JsonArray(new JsonObject
            {
                ["realmId"] = RealmId,
                ["dataChangeEvent"] = new JsonObject
                {
                    ["entities"] = new JsonArray(new JsonObject
                    {
                        ["name"] = entity,
                        ["id"] = entityId,
                        ["operation"] = operation,
                        ["lastUpdated"] = (lastUpdated ?? Time.GetUtcNow()).ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                    }),
                },
            }),
        };
        return Sign(body);
    }

    /// <summary>Creates a CloudEvents-format webhook (an array of one event) about one entity of this realm, signed like <see cref="CreateWebhook"/>.</summary>
    /// <param name="entity">The entity, for example <c>invoice</c>.</param>
    /// <param name="entityId">Its id.</param>
    /// <param name="operation">For example <c>created</c> or <c>updated</c>.</param>
    /// <param name="eventId">The event's id. <value>Default: a new one.</value></param>
    /// <param name="time">When it happened. <value>Default: now on the simulator's clock.</value></param>
    public SignedWebhook CreateCloudEventsWebhook(string entity, string entityId, string operation = "created", string? eventId = null, DateTimeOffset? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(entity);
        ArgumentException.ThrowIfNullOrEmpty(entityId);
        ArgumentException.ThrowIfNullOrEmpty(operation);
        var type = entity.ToLowerInvariant();
        var body = new JsonArray(new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = eventId ?? $"{Guid.NewGuid()}-{entity}-{entityId}",
            ["source"] = "intuit.simulator",
            ["type"] = $"qbo.{type}.{operation.ToLowerInvariant()}.v1",
            ["datacontenttype"] = "application/json",
            ["time"] = (time ?? Time.GetUtcNow()).ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["intuitentityid"] = entityId,
            ["intuitaccountid"] = RealmId,
            ["data"] = new JsonObject(),
        });
        return Sign(body);
    }

    /// <inheritdoc />
    protected override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        Map(endpoints, "POST", TokenPath, TokenAsync);
        Map(endpoints, "GET", "/v3/company/{realmId}/query", QueryAsync);
        Map(endpoints, "POST", "/v3/company/{realmId}/query", QueryAsync);
        Map(endpoints, "POST", "/v3/company/{realmId}/{entity}", WriteAsync);
        Map(endpoints, "GET", "/v3/company/{realmId}/{entity}/{id}", ReadAsync);
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapFallback(context => UnknownRoute(context).ExecuteAsync(context));
    }

    /// <summary>Intuit signs the body with the verifier token: Base64 of HMAC-SHA256, in <c>intuit-signature</c>.</summary>
    private SignedWebhook Sign(JsonNode body) => SignedWebhook.Create(body, bytes => new Dictionary<string, string>
    {
        ["intuit-signature"] = Convert.ToBase64String(SignedWebhook.HmacSha256(WebhookVerifierToken, bytes)),
    });

    private List<T> Snapshot<T>(string entity, Func<JsonObject, T> project) => Locked(() => _entities[entity].Select(project).ToList());

    private JsonObject Last(string entity) => _entities[entity][^1];

    private static SimulatedCustomer ToCustomer(JsonObject c) =>
        new(Str(c["Id"])!, Str(c["DisplayName"]) ?? string.Empty, Str(c["PrimaryEmailAddr"]?["Address"]), Dec(c["Balance"]) ?? 0, Str(c["SyncToken"]) ?? "0");

    private static SimulatedItem ToItem(JsonObject i) =>
        new(Str(i["Id"])!, Str(i["Name"]) ?? string.Empty, Str(i["Sku"]), Dec(i["QtyOnHand"]) ?? 0, Dec(i["UnitPrice"]) ?? 0,
            Bool(i["TrackQtyOnHand"]), Str(i["IncomeAccountRef"]?["value"]), Str(i["SyncToken"]) ?? "0");

    private static SimulatedTransaction ToTransaction(JsonObject t) =>
        new SimulatedTransaction(Str(t["Id"])!, Str(t["DocNumber"]), Str(t["CustomerRef"]?["value"]), Str(t["TxnDate"]), Dec(t["TotalAmt"]) ?? 0, Str(t["PrivateNote"]),
            [.. (t["Line"] as JsonArray ?? []).OfType<JsonObject>()
                .Where(l => Str(l["DetailType"]) == SalesItemLine)
                .Select(l => new SimulatedLine(
                    Str(l["SalesItemLineDetail"]?["ItemRef"]?["value"]) ?? string.Empty,
                    Dec(l["SalesItemLineDetail"]?["Qty"]) ?? 0,
                    Dec(l["SalesItemLineDetail"]?["UnitPrice"]) ?? 0,
                    Dec(l["Amount"]) ?? 0,
                    Str(l["Description"])))])
        {
            Currency = Str(t["CurrencyRef"]?["value"]),
            ExchangeRate = Dec(t["ExchangeRate"]),
            TotalTax = Dec(t["TxnTaxDetail"]?["TotalTax"]) ?? 0,
            Balance = Dec(t["Balance"]) ?? 0,
        };

    /// <summary>The accounts every new company has that the simulator refers to, and the US tax codes TAX and NON (ids as in Intuit's examples).</summary>
    private void SeedChartOfAccounts(DateTimeOffset now)
    {
        foreach (var (id, name, type) in new[]
        {
            (UndepositedFundsAccountId, "Undeposited Funds", "Other Current Asset"),
            ("35", "Checking", "Bank"),
            ("79", "Sales of Product Income", "Income"),
            ("80", "Cost of Goods Sold", "Cost of Goods Sold"),
            ("81", "Inventory Asset", "Other Current Asset"),
            (ShippingIncomeAccountId, "Shipping Income", "Income"),
            (DiscountsGivenAccountId, "Discounts given", "Income"),
        })
        {
            Seed(NewAccount(name, type, ClassificationOf(type)!, null), "Account", id, now);
        }

        Seed(new JsonObject { ["Name"] = "TAX", ["Description"] = "TAX", ["Active"] = true, ["Taxable"] = true, ["TaxGroup"] = false }, "TaxCode", "TAX", now);
        Seed(new JsonObject { ["Name"] = "NON", ["Description"] = "NON", ["Active"] = true, ["Taxable"] = false, ["TaxGroup"] = false }, "TaxCode", "NON", now);
    }

    /// <summary>Adds an entity with a chosen id; numeric ids move the id counter past it.</summary>
    private void Seed(JsonObject entity, string kind, string id, DateTimeOffset now)
    {
        Stamp(entity, kind, now);
        _lastIds[kind]--;
        entity["Id"] = id;
        if (int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            _lastIds[kind] = Math.Max(_lastIds[kind], number);
        }

        _entities[kind].Add(entity);
    }

    private JsonObject NewAccount(string name, string type, string classification, string? code)
    {
        var account = new JsonObject
        {
            ["Name"] = name.Trim(),
            ["SubAccount"] = false,
            ["FullyQualifiedName"] = name.Trim(),
            ["Active"] = true,
            ["Classification"] = classification,
            ["AccountType"] = type,
            ["CurrentBalance"] = 0m,
            ["CurrentBalanceWithSubAccounts"] = 0m,
            ["CurrencyRef"] = CurrencyRef(_homeCurrency),
        };
        if (!string.IsNullOrWhiteSpace(code))
        {
            account["AcctNum"] = code.Trim();
        }

        return account;
    }

    /// <summary>The <c>Classification</c> of an <c>AccountType</c> (the XSD's enumeration), or null for an unknown type.</summary>
    private static string? ClassificationOf(string type) => type switch
    {
        "Bank" or "Accounts Receivable" or "Other Current Asset" or "Fixed Asset" or "Other Asset" => "Asset",
        "Accounts Payable" or "Credit Card" or "Other Current Liability" or "Long Term Liability" => "Liability",
        "Equity" => "Equity",
        "Income" or "Other Income" => "Revenue",
        "Cost of Goods Sold" or "Expense" or "Other Expense" => "Expense",
        _ => null,
    };

    private static string NewSecret(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    internal static string? Str(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<string>(out var s) ? s : value.ToJsonString()
        : null;

    internal static decimal? Dec(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        if (value.TryGetValue<decimal>(out var number))
        {
            return number;
        }

        return value.TryGetValue<string>(out var text) && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out number) ? number : null;
    }

    internal static bool Bool(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var b) && b;
}
