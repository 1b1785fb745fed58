using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integrations.Sdk.Testing.Xero;

/// <summary>
/// A stateful fake of the Xero Accounting API and its token endpoint on 127.0.0.1, for tests and samples. Written from
/// Xero's docs and specs (<c>xero_accounting.yaml</c>, <c>xero-identity.yaml</c>, <c>xero-webhooks.yaml</c>); it
/// speaks HTTP and JSON only (it does not use the connector package). Point the connector's <c>BaseAddress</c> at
/// <see cref="SimulatorHost.BaseAddress"/> and its <c>TokenEndpoint</c> at <see cref="TokenEndpoint"/>.
/// </summary>
/// <remarks>
/// <para><b>Tokens</b>: <c>POST /connect/token</c> (client id and secret as HTTP Basic, or in the form) with
/// <c>grant_type=refresh_token</c> answers a new access token (<see cref="AccessTokenLifetime"/>) and a new refresh
/// token; the refresh token presented is refused (<c>invalid_grant</c>) from then on.</para>
/// <para><b>Every API request</b> needs a known, unexpired bearer token (else 401) and <c>xero-tenant-id</c> =
/// <see cref="TenantId"/> (else 403). Each answer carries <c>X-MinLimit-Remaining</c>, <c>X-DayLimit-Remaining</c> and
/// <c>X-AppMinLimit-Remaining</c>; over <see cref="MinuteLimit"/> a rolling minute or <see cref="DayLimit"/> a rolling
/// day, 429 with <c>Retry-After</c> (seconds) and <c>X-Rate-Limit-Problem</c> (<c>Minute</c> or <c>Daily</c>).</para>
/// <para><b>Endpoints</b> under <c>/api.xro/2.0/</c>: <c>GET Contacts</c>, <c>GET Items</c>, <c>GET Invoices</c> (with
/// <c>where=Field=="value"</c>), <c>GET Invoices/{id}</c>, <c>GET Organisation</c>, <c>GET Currencies</c>, <c>GET TaxRates</c>,
/// <c>GET Accounts</c>, <c>GET TrackingCategories</c>, <c>PUT Contacts</c>, <c>PUT Invoices</c>, <c>PUT CreditNotes</c>,
/// <c>PUT Payments</c>, <c>PUT CreditNotes/{id}/Allocations</c>, each served through <see cref="SimulatorHost.Faults"/>
/// under <c>{collection}.get</c> or <c>{collection}.create</c>. A <c>PUT</c> with an <c>Idempotency-Key</c> seen before
/// replays the first answer without writing again. Refusals are Xero's 400 <c>ValidationException</c> with
/// <c>Elements[].ValidationErrors[].Message</c>.</para>
/// <para><b>Books</b>: invoices and credit notes work out their lines, <c>SubTotal</c>, <c>TotalTax</c>, <c>Total</c>
/// and <c>AmountDue</c> / <c>RemainingCredit</c> by Xero's rules (a given line <c>TaxAmount</c> is kept), check tax
/// types, accounts, tracking options and currencies, and move tracked items' <c>QuantityOnHand</c> when approved;
/// payments reduce <c>AmountDue</c> and never exceed it. See docs/testing.md for what is assumed.</para>
/// </remarks>
public sealed partial class XeroSimulator : SimulatorHost
{
    private const string Api = "/api.xro/2.0/";
    private readonly Dictionary<string, string> _refreshTokens = new(StringComparer.Ordinal); // token -> state ("ok" | "used")
    private readonly Dictionary<string, DateTimeOffset> _accessTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<JsonObject>> _records = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Contacts"] = [], ["Items"] = [], ["Invoices"] = [], ["CreditNotes"] = [], ["Payments"] = [],
        ["Accounts"] = [], ["TaxRates"] = [], ["TrackingCategories"] = [],
    };
    private readonly Dictionary<string, (int Status, string Body)> _idempotent = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _minute = new();
    private readonly Queue<DateTimeOffset> _day = new();
    private int _refreshCount;
    private int _writes;

    /// <summary>Creates the simulator (not started), with new random credentials.</summary>
    /// <param name="timeProvider">The platform's clock (tokens, limits, dates). The system clock by default.</param>
    /// <param name="seed">Seeds random faults.</param>
    public XeroSimulator(TimeProvider? timeProvider = null, int seed = 0)
        : base(timeProvider, seed)
    {
        SeedSettings();
    }

    /// <inheritdoc />
    public override string Platform => "xero";

    /// <summary>The app's client id. <value>Default: a random one.</value></summary>
    public string ClientId { get; set; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>The app's client secret. <value>Default: a random one.</value></summary>
    public string ClientSecret { get; set; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The organisation's tenant id, required as <c>xero-tenant-id</c>. <value>Default: a random GUID.</value></summary>
    public string TenantId { get; set; } = Guid.NewGuid().ToString();

    /// <summary>The webhook key that signs <see cref="SignWebhook"/>. <value>Default: a random one.</value></summary>
    public string WebhookKey { get; set; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    /// <summary>How long an access token works. <value>Default: 30 minutes, as Xero documents.</value></summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Requests per rolling minute per tenant. <value>Default: 60.</value></summary>
    public int MinuteLimit { get; set; } = 60;

    /// <summary>Requests per rolling day per tenant. <value>Default: 5,000.</value></summary>
    public int DayLimit { get; set; } = 5000;

    /// <summary>The bank account codes a payment may go to. <value>Default: <c>090</c>.</value></summary>
    public ISet<string> BankAccountCodes { get; } = new HashSet<string>(StringComparer.Ordinal) { "090" };

    /// <summary>The token endpoint (<c>{BaseAddress}connect/token</c>).</summary>
    public Uri TokenEndpoint => new(BaseAddress, "connect/token");

    /// <summary>Successful refreshes served by the token endpoint.</summary>
    public int RefreshCount => Locked(() => _refreshCount);

    /// <summary>Records created (idempotent replays not counted).</summary>
    public int WriteCount => Locked(() => _writes);

    /// <summary>Issues a refresh token, as the authorization-code flow would (seed it as the connector's <c>InitialRefreshToken</c>).</summary>
    public string IssueRefreshToken()
    {
        var token = "sim-rt-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        lock (Gate)
        {
            _refreshTokens[token] = "ok";
        }

        return token;
    }

    /// <summary>Whether a refresh token would be accepted now.</summary>
    /// <param name="refreshToken">The token.</param>
    public bool IsRefreshTokenValid(string refreshToken) => Locked(() => _refreshTokens.TryGetValue(refreshToken, out var s) && s == "ok");

    /// <summary>Adds an item (a product) with its code.</summary>
    /// <param name="code">The item's code.</param>
    /// <param name="name">The item's name.</param>
    /// <param name="quantityOnHand">The quantity on hand of a tracked item; <see langword="null"/> for an untracked one.</param>
    /// <param name="salesAccountCode">The income account its sales post to (<c>SalesDetails.AccountCode</c>). <value>Default: <c>200</c>, the seeded Sales account.</value></param>
    /// <param name="unitPrice">The sales price (<c>SalesDetails.UnitPrice</c>); optional.</param>
    /// <returns>The item's id.</returns>
    public string AddItem(string code, string name, decimal? quantityOnHand = null, string? salesAccountCode = "200", decimal? unitPrice = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        var id = Guid.NewGuid().ToString();
        var item = new JsonObject { ["ItemID"] = id, ["Code"] = code, ["Name"] = name, ["IsSold"] = true, ["IsTrackedAsInventory"] = quantityOnHand is not null };
        if (quantityOnHand is { } q)
        {
            item["QuantityOnHand"] = q;
        }

        if (salesAccountCode is not null || unitPrice is not null)
        {
            var sales = new JsonObject();
            if (unitPrice is { } price)
            {
                sales["UnitPrice"] = price;
            }

            if (salesAccountCode is not null)
            {
                sales["AccountCode"] = salesAccountCode;
            }

            item["SalesDetails"] = sales;
        }

        lock (Gate)
        {
            _records["Items"].Add(item);
        }

        return id;
    }

    /// <summary>A copy of the records of a collection (<c>Contacts</c>, <c>Items</c>, <c>Invoices</c>, <c>CreditNotes</c>, <c>Payments</c>).</summary>
    /// <param name="collection">The collection.</param>
    public IReadOnlyList<JsonObject> Records(string collection) =>
        Locked(() => (IReadOnlyList<JsonObject>)[.. _records[collection].Select(r => r.DeepClone().AsObject())]);

    /// <summary>The <c>x-xero-signature</c> of a webhook body: Base64(HMAC-SHA256(<see cref="WebhookKey"/>, body)).</summary>
    /// <param name="body">The raw body.</param>
    public string SignWebhook(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(WebhookKey), Encoding.UTF8.GetBytes(body)));
    }

    /// <inheritdoc />
    protected override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        Map(endpoints, "POST", "/connect/token", TokenAsync);
        Map(endpoints, "GET", Api + "{collection}", context => ServeAsync(context, "get", () => Query(context)));
        Map(endpoints, "GET", Api + "{collection}/{id}", context => ServeAsync(context, "get", () => GetOne(context)));
        Map(endpoints, "PUT", Api + "{collection}", context => WriteAsync(context, Create));
        Map(endpoints, "PUT", Api + "CreditNotes/{id}/Allocations", context => WriteAsync(context, Allocate));
    }

    /// <inheritdoc />
    protected override IResult FaultAnswer(HttpContext context, int status)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (status == StatusCodes.Status429TooManyRequests)
        {
            context.Response.Headers["Retry-After"] = "1";
            context.Response.Headers["X-Rate-Limit-Problem"] = "Minute";
        }

        return Results.StatusCode(status);
    }

    private async Task<IResult> TokenAsync(HttpContext context)
    {
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false) : null;
        return await WithFaultsAsync(context, "token", () =>
        {
            var (id, secret) = Client(context.Request.Headers.Authorization.ToString(), form);
            if (id != ClientId || secret != ClientSecret)
            {
                return Json(StatusCodes.Status400BadRequest, new JsonObject { ["error"] = "invalid_client" });
            }

            if (form?["grant_type"].ToString() != "refresh_token")
            {
                return Json(StatusCodes.Status400BadRequest, new JsonObject { ["error"] = "unsupported_grant_type" });
            }

            var presented = form["refresh_token"].ToString();
            lock (Gate)
            {
                if (!_refreshTokens.TryGetValue(presented, out var state) || state != "ok")
                {
                    return Json(StatusCodes.Status400BadRequest, new JsonObject { ["error"] = "invalid_grant" });
                }

                // Refresh tokens rotate: the one presented is spent, the answer's one replaces it.
                _refreshTokens[presented] = "used";
                var refresh = "sim-rt-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
                var access = "sim-at-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
                _refreshTokens[refresh] = "ok";
                _accessTokens[access] = Time.GetUtcNow() + AccessTokenLifetime;
                _refreshCount++;
                return Json(StatusCodes.Status200OK, new JsonObject
                {
                    ["id_token"] = null,
                    ["access_token"] = access,
                    ["expires_in"] = (int)AccessTokenLifetime.TotalSeconds,
                    ["token_type"] = "Bearer",
                    ["refresh_token"] = refresh,
                    ["scope"] = "accounting.transactions accounting.contacts accounting.settings offline_access",
                });
            }
        }).ConfigureAwait(false);
    }

    private static (string? Id, string? Secret) Client(string authorization, IFormCollection? form)
    {
        if (AuthenticationHeaderValue.TryParse(authorization, out var header) && string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            && header.Parameter is not null)
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter)).Split(':', 2);
                return pair.Length == 2 ? (pair[0], pair[1]) : (null, null);
            }
            catch (FormatException)
            {
                return (null, null);
            }
        }

        return (form?["client_id"].ToString(), form?["client_secret"].ToString());
    }

    private Task<IResult> ServeAsync(HttpContext context, string operation, Func<IResult> apply)
    {
        var collection = context.Request.RouteValues["collection"]?.ToString() ?? "CreditNotes";
        return WithFaultsAsync(context, $"{collection.ToLowerInvariant()}.{operation}", () => Gatekeep(context) ?? apply());
    }

    private async Task<IResult> WriteAsync(HttpContext context, Func<HttpContext, JsonNode?, IResult> write)
    {
        var (body, invalid) = await ReadJsonAsync(context).ConfigureAwait(false);
        return await ServeAsync(context, "create", () =>
        {
            if (invalid is not null)
            {
                return Json(StatusCodes.Status400BadRequest, new JsonObject { ["ErrorNumber"] = 14, ["Type"] = "PostDataInvalidException", ["Message"] = "Invalid Json data" });
            }

            var key = context.Request.Headers["Idempotency-Key"].ToString();
            lock (Gate)
            {
                if (key.Length > 0 && _idempotent.TryGetValue(key, out var seen))
                {
                    return Results.Text(seen.Body, "application/json", Encoding.UTF8, seen.Status);
                }

                var answer = write(context, body);
                if (key.Length > 0 && answer is Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult { StatusCode: { } status } text)
                {
                    // The first answer (a refusal too) is what a replay of the key gets.
                    _idempotent[key] = (status, text.ResponseContent ?? string.Empty);
                }

                return answer;
            }
        }).ConfigureAwait(false);
    }

    /// <summary>Checks the token, the tenant and the limits; counts the request; sets the limit headers.</summary>
    private IResult? Gatekeep(HttpContext context)
    {
        var now = Time.GetUtcNow();
        var token = AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization.ToString(), out var bearer)
            && string.Equals(bearer.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) ? bearer.Parameter : null;
        if (token is null || Locked(() => !_accessTokens.TryGetValue(token, out var expires) || expires <= now))
        {
            return Json(StatusCodes.Status401Unauthorized, new JsonObject { ["Type"] = null, ["Title"] = "Unauthorized", ["Status"] = 401, ["Detail"] = "AuthenticationUnsuccessful" });
        }

        if (context.Request.Headers["xero-tenant-id"].ToString() != TenantId)
        {
            return Json(StatusCodes.Status403Forbidden, new JsonObject { ["Type"] = null, ["Title"] = "Forbidden", ["Status"] = 403, ["Detail"] = "AuthenticationUnsuccessful" });
        }

        lock (Gate)
        {
            while (_minute.Count > 0 && _minute.Peek() <= now - TimeSpan.FromMinutes(1))
            {
                _minute.Dequeue();
            }

            while (_day.Count > 0 && _day.Peek() <= now - TimeSpan.FromDays(1))
            {
                _day.Dequeue();
            }

            var headers = context.Response.Headers;
            if (_day.Count >= DayLimit || _minute.Count >= MinuteLimit)
            {
                var daily = _day.Count >= DayLimit;
                var oldest = daily ? _day.Peek() + TimeSpan.FromDays(1) : _minute.Peek() + TimeSpan.FromMinutes(1);
                headers["Retry-After"] = Math.Max(1, (int)Math.Ceiling((oldest - now).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                headers["X-Rate-Limit-Problem"] = daily ? "Daily" : "Minute";
                return Results.StatusCode(StatusCodes.Status429TooManyRequests);
            }

            _minute.Enqueue(now);
            _day.Enqueue(now);
            headers["X-MinLimit-Remaining"] = (MinuteLimit - _minute.Count).ToString(CultureInfo.InvariantCulture);
            headers["X-DayLimit-Remaining"] = (DayLimit - _day.Count).ToString(CultureInfo.InvariantCulture);
            headers["X-AppMinLimit-Remaining"] = "9999";
        }

        return null;
    }

    private IResult Query(HttpContext context)
    {
        var collection = context.Request.RouteValues["collection"]!.ToString()!;
        lock (Gate)
        {
            if (Settings(collection) is { } settings)
            {
                return settings;
            }

            if (!_records.TryGetValue(collection, out var records))
            {
                return Results.NotFound();
            }

            IEnumerable<JsonObject> found = records;
            var where = context.Request.Query["where"].ToString();
            if (where.Length > 0)
            {
                // Only Field=="value" (with \" and \\ escapes) is understood; anything else is refused as Xero refuses bad filters.
                var at = where.IndexOf("==\"", StringComparison.Ordinal);
                if (at <= 0 || !where.EndsWith('"'))
                {
                    return Validation(null, $"The where clause '{where}' is not understood by the simulator");
                }

                var field = where[..at].Trim();
                var value = where[(at + 3)..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
                found = records.Where(r => string.Equals(Str(r[field]), value, StringComparison.OrdinalIgnoreCase));
            }

            return Envelope(collection, new JsonArray([.. found.Select(r => (JsonNode)r.DeepClone())]));
        }
    }

    private IResult GetOne(HttpContext context)
    {
        var collection = context.Request.RouteValues["collection"]!.ToString()!;
        var id = context.Request.RouteValues["id"]!.ToString()!;
        lock (Gate)
        {
            var record = _records.TryGetValue(collection, out var records) ? records.FirstOrDefault(r => Str(r[collection.TrimEnd('s') + "ID"]) == id) : null;
            return record is null ? Results.Text("The resource you're looking for cannot be found", "text/plain", Encoding.UTF8, 404) : Envelope(collection, new JsonArray(record.DeepClone()));
        }
    }

    private IResult Create(HttpContext context, JsonNode? body)
    {
        var collection = context.Request.RouteValues["collection"]!.ToString()!;
        if (body?[collection] is not JsonArray { Count: > 0 } list || list[0] is not JsonObject input)
        {
            return Validation(null, $"A {collection} list with one element is expected");
        }

        var record = input.DeepClone().AsObject();
        List<string> errors = collection switch
        {
            "Contacts" => NewContact(record),
            "Invoices" => NewDocument(record, invoice: true),
            "CreditNotes" => NewDocument(record, invoice: false),
            "Payments" => NewPayment(record),
            _ => [$"{collection} cannot be created by the simulator"],
        };
        if (errors.Count > 0)
        {
            return Validation(input, [.. errors]);
        }

        _records[collection].Add(record);
        _writes++;
        return Envelope(collection, new JsonArray(record.DeepClone()));
    }

    private List<string> NewContact(JsonObject contact)
    {
        var name = Str(contact["Name"]);
        if (string.IsNullOrWhiteSpace(name))
        {
            return ["The contact name must be specified."];
        }

        if (_records["Contacts"].Any(c => string.Equals(Str(c["Name"]), name, StringComparison.OrdinalIgnoreCase)))
        {
            return [$"The contact name {name} is already assigned to another contact. The contact name must be unique across all active contacts."];
        }

        contact["ContactID"] = Guid.NewGuid().ToString();
        contact["ContactStatus"] = "ACTIVE";
        return [];
    }

    private IResult Allocate(HttpContext context, JsonNode? body)
    {
        var id = context.Request.RouteValues["id"]!.ToString()!;
        var note = _records["CreditNotes"].FirstOrDefault(c => Str(c["CreditNoteID"]) == id);
        if (note is null)
        {
            return Results.Text("The resource you're looking for cannot be found", "text/plain", Encoding.UTF8, 404);
        }

        if (body?["Allocations"] is not JsonArray { Count: > 0 } list || list[0] is not JsonObject input)
        {
            return Validation(null, "An Allocations list with one element is expected");
        }

        var invoice = _records["Invoices"].FirstOrDefault(i => Str(i["InvoiceID"]) == Str(input["Invoice"]?["InvoiceID"]));
        var amount = Num(input["Amount"]) ?? 0;
        string? error = invoice is null ? "Invoice could not be found"
            : Str(note["Status"]) != "AUTHORISED" ? "Only authorised credit notes can be allocated"
            : Str(invoice["Contact"]?["ContactID"]) != Str(note["Contact"]?["ContactID"]) ? "The invoice and credit note must be for the same contact"
            : amount <= 0 || amount > (Num(note["RemainingCredit"]) ?? 0) ? "The amount allocated exceeds the remaining credit"
            : amount > (Num(invoice["AmountDue"]) ?? 0) ? "The amount allocated exceeds the amount due on the invoice"
            : null;
        if (error is not null)
        {
            return Validation(input, error);
        }

        Settle(invoice!, amount, "AmountCredited");
        note["RemainingCredit"] = (Num(note["RemainingCredit"]) ?? 0) - amount;
        if (Num(note["RemainingCredit"]) == 0)
        {
            note["Status"] = "PAID";
        }

        var allocation = new JsonObject
        {
            ["AllocationID"] = Guid.NewGuid().ToString(),
            ["Amount"] = amount,
            ["Date"] = XeroDate(Str(input["Date"])),
            ["Invoice"] = new JsonObject { ["InvoiceID"] = Str(invoice!["InvoiceID"]) },
            ["CreditNote"] = new JsonObject { ["CreditNoteID"] = id },
        };
        _writes++;
        return Envelope("Allocations", new JsonArray(allocation));
    }

    private static void Settle(JsonObject invoice, decimal amount, string field)
    {
        invoice[field] = (Num(invoice[field]) ?? 0) + amount;
        invoice["AmountDue"] = (Num(invoice["AmountDue"]) ?? 0) - amount;
        if (Num(invoice["AmountDue"]) == 0)
        {
            invoice["Status"] = "PAID";
        }
    }

    private IResult Envelope(string collection, JsonArray records) => Json(StatusCodes.Status200OK, new JsonObject
    {
        ["Id"] = Guid.NewGuid().ToString(),
        ["Status"] = "OK",
        ["ProviderName"] = "Integrations.Sdk simulator",
        ["DateTimeUTC"] = XeroDate(null),
        [collection] = records,
    });

    private static IResult Validation(JsonObject? element, params string[] messages)
    {
        var echoed = element?.DeepClone().AsObject() ?? [];
        echoed["ValidationErrors"] = new JsonArray([.. messages.Select(m => (JsonNode)new JsonObject { ["Message"] = m })]);
        return Json(StatusCodes.Status400BadRequest, new JsonObject
        {
            ["ErrorNumber"] = 10,
            ["Type"] = "ValidationException",
            ["Message"] = "A validation exception occurred",
            ["Elements"] = new JsonArray(echoed),
        });
    }

    /// <summary>Xero's JSON date, <c>/Date(milliseconds+0000)/</c>, of a <c>yyyy-MM-dd</c> date or of now.</summary>
    private string XeroDate(string? day)
    {
        var at = day is not null && DateTimeOffset.TryParse(day, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : Time.GetUtcNow();
        return string.Create(CultureInfo.InvariantCulture, $"/Date({at.ToUnixTimeMilliseconds()}+0000)/");
    }

    private static string? Str(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    private static decimal? Num(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<decimal>(out var d) ? d
        : value.TryGetValue<string>(out var s) && decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var p) ? p : null
        : null;
}
