using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integrations.Sdk.Testing.Stripe;

/// <summary>One request the Stripe simulator received, for inspection.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path.</param>
/// <param name="Endpoint">The fault endpoint name it was served under.</param>
/// <param name="IdempotencyKey">Its <c>Idempotency-Key</c>, if any.</param>
/// <param name="StripeVersion">Its <c>Stripe-Version</c>, if any.</param>
/// <param name="Form">Its parameters, flattened and sorted (<c>metadata[a]=1&amp;name=x</c>).</param>
public sealed record SimulatedStripeRequest(string Method, string Path, string Endpoint, string? IdempotencyKey, string? StripeVersion, string Form);

/// <summary>
/// A stateful fake of the Stripe v1 API endpoints the Stripe connector uses, on 127.0.0.1. It does not depend on the
/// connector.
/// </summary>
/// <remarks>
/// <para>
/// Every request needs <c>Authorization: Bearer {ApiKey}</c> (or Basic with the key as user), else 401 with Stripe's
/// error body. A <c>Stripe-Version</c> Stripe never released is refused with 400 <c>Invalid Stripe API version</c>;
/// none means <see cref="ApiVersion"/>. Parameters are read from the query (GET) or the
/// <c>application/x-www-form-urlencoded</c> body (POST), with bracket nesting; every parameter Stripe's spec declares for
/// the operation is accepted, any other refused with 400 <c>parameter_unknown</c> naming it, as Stripe does.
/// <c>expand[]</c> replaces ids with objects for the fields the spec marks expandable. Answers start from Stripe's
/// example objects, so they carry every field Stripe sends. Every answer carries <c>Request-Id: req_...</c>; errors
/// are <c>{"error":{"type","code","message","param"}}</c>, an unknown route included (404). Each endpoint goes through
/// <see cref="SimulatorHost.Faults"/> under its name:
/// </para>
/// <list type="table">
/// <listheader><term>endpoint name</term><description>request</description></listheader>
/// <item><term><c>customers.retrieve</c></term><description><c>GET /v1/customers/{id}</c></description></item>
/// <item><term><c>customers.list</c></term><description><c>GET /v1/customers</c> (<c>email</c>, <c>created</c>)</description></item>
/// <item><term><c>customers.create</c></term><description><c>POST /v1/customers</c> (<c>email</c>, <c>name</c>, <c>description</c>, <c>phone</c>, <c>metadata</c>, <c>address</c>, <c>shipping</c>, ...); records <c>customer.created</c></description></item>
/// <item><term><c>customers.update</c></term><description><c>POST /v1/customers/{id}</c> (same fields; metadata merges, an empty value removes a key); records <c>customer.updated</c></description></item>
/// <item><term><c>invoices.retrieve</c></term><description><c>GET /v1/invoices/{id}</c></description></item>
/// <item><term><c>invoices.list</c></term><description><c>GET /v1/invoices</c> (<c>customer</c>, <c>status</c>, <c>subscription</c>, <c>collection_method</c>, <c>created</c>, <c>due_date</c>)</description></item>
/// <item><term><c>subscriptions.retrieve</c></term><description><c>GET /v1/subscriptions/{id}</c></description></item>
/// <item><term><c>subscriptions.list</c></term><description><c>GET /v1/subscriptions</c> (<c>customer</c>, <c>status</c>, <c>price</c>, <c>created</c>, ...; canceled ones only with <c>status=canceled</c>, <c>ended</c> or <c>all</c>)</description></item>
/// <item><term><c>events.retrieve</c></term><description><c>GET /v1/events/{id}</c></description></item>
/// <item><term><c>events.list</c></term><description><c>GET /v1/events</c> (<c>type</c> with a trailing <c>*</c> wildcard, or <c>types[]</c>; <c>created</c>)</description></item>
/// <item><term><c>payment_intents.retrieve</c></term><description><c>GET /v1/payment_intents/{id}</c> (each finalized invoice has one)</description></item>
/// </list>
/// <para>
/// Lists are newest first, with <c>limit</c> (1–100, default 10), <c>starting_after</c> (older than the cursor),
/// <c>ending_before</c> (the items just newer than the cursor) and <c>has_more</c>. POSTs honour
/// <c>Idempotency-Key</c>: the first answer of a request that started executing (including a 4xx it produced) is
/// kept; the same key with the same parameters replays it with <c>Idempotent-Replayed: true</c> without executing
/// again; with other parameters or another path it answers 400 <c>idempotency_error</c>. Requests refused before
/// executing (auth, unknown parameters, an injected 5xx or 429) keep nothing. A key is forgotten
/// <see cref="IdempotencyKeyLifetime"/> after its first use (24 hours, on the simulator's clock), as Stripe prunes keys at
/// least 24 hours old: the same request then executes again.
/// </para>
/// <para>
/// Seed with <see cref="AddCustomer"/>, <see cref="AddSubscription"/>, <see cref="AddInvoice"/> (seeding records no
/// events); fail a payment with <see cref="FailPayment"/>; inspect with <see cref="Customer"/>, <see cref="Invoice"/>,
/// <see cref="Subscription"/>, <see cref="PaymentIntent"/>, <see cref="Event"/>, <see cref="EventIds"/>, <see cref="Requests"/>,
/// <see cref="Executions"/>, <see cref="IdempotentReplays"/>; deliver webhooks built by <see cref="CreateWebhook(string, string?, DateTimeOffset?)"/>;
/// persist with <see cref="SaveAsync"/> and <see cref="LoadAsync"/>.
/// </para>
/// </remarks>
public sealed partial class StripeSimulator : SimulatorHost
{
    /// <inheritdoc />
    public override string Platform => "stripe";

    /// <summary>The simulator's default secret key.</summary>
    public const string DefaultApiKey = "sk_test_51SimulatorKey0000000000000000";

    /// <summary>The simulator's default webhook signing secret.</summary>
    public const string DefaultWebhookSecret = "whsec_simulator0000000000000000000000";

    /// <summary>The API version events are rendered in by default.</summary>
    public const string DefaultApiVersion = "2026-07-29.dahlia";

    private const int MaxKeyLength = 255;

    private readonly Dictionary<string, Stored> _customers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Stored> _invoices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Stored> _subscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Stored> _events = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Stored> _paymentIntents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IdempotentAnswer> _idempotency = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _executions = new(StringComparer.Ordinal);
    private readonly List<SimulatedStripeRequest> _requests = [];
    private long _sequence;
    private long _nextId;
    private int _replays;

    /// <summary>Creates a simulated Stripe account (not started), empty.</summary>
    /// <param name="apiKey">The secret key requests must carry; <see cref="DefaultApiKey"/> by default.</param>
    /// <param name="webhookSecret">The secret webhooks are signed with; <see cref="DefaultWebhookSecret"/> by default.</param>
    /// <param name="timeProvider">The account's clock (<c>created</c>, webhook timestamps); the system clock by default.</param>
    /// <param name="seed">Seeds random faults.</param>
    public StripeSimulator(string? apiKey = null, string? webhookSecret = null, TimeProvider? timeProvider = null, int seed = 0)
        : base(timeProvider, seed)
    {
        ApiKey = string.IsNullOrEmpty(apiKey) ? DefaultApiKey : apiKey;
        WebhookSecret = string.IsNullOrEmpty(webhookSecret) ? DefaultWebhookSecret : webhookSecret;
    }

    /// <summary>The secret key requests must carry.</summary>
    public string ApiKey { get; }

    /// <summary>The secret webhooks are signed with.</summary>
    public string WebhookSecret { get; }

    /// <summary>The API version events say they are rendered in. <value>Default: <see cref="DefaultApiVersion"/>.</value></summary>
    public string ApiVersion { get; set; } = DefaultApiVersion;

    /// <summary>
    /// How long an idempotency key is kept after its first use, on the simulator's clock. <value>Default: 24 hours:
    /// Stripe documents that keys may be removed once they are at least 24 hours old.</value>
    /// </summary>
    public TimeSpan IdempotencyKeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How many POSTs were answered from a kept idempotency key, without executing.</summary>
    public int IdempotentReplays => Locked(() => _replays);

    /// <summary>How many times each endpoint executed (after auth, parameter checks and faults; replays excluded).</summary>
    public IReadOnlyDictionary<string, int> Executions => Locked(() => new Dictionary<string, int>(_executions, StringComparer.Ordinal));

    /// <summary>Every request received that passed the key check, in order.</summary>
    public IReadOnlyList<SimulatedStripeRequest> Requests => Locked(() => _requests.ToList());

    /// <inheritdoc />
    protected override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        Map(endpoints, "GET", "/v1/customers/{id}", c => ServeAsync(c, new Route("customers.retrieve", "GET /v1/customers/{customer}", "customer"), p => Retrieve(_customers, "customer", Id(c))));
        Map(endpoints, "GET", "/v1/customers", c => ServeAsync(c, new Route("customers.list", "GET /v1/customers", "customer", List: true), p =>
            List(_customers, "/v1/customers", p, o => Matches(o, "email", p) && Matches(o, "test_clock", p) && InRange(o, "created", p))));
        Map(endpoints, "POST", "/v1/customers", c => ServeAsync(c, new Route("customers.create", "POST /v1/customers", "customer"), p => CreateCustomer(p, c)));
        Map(endpoints, "POST", "/v1/customers/{id}", c => ServeAsync(c, new Route("customers.update", "POST /v1/customers/{customer}", "customer"), p => UpdateCustomer(Id(c), p, c)));
        Map(endpoints, "GET", "/v1/invoices/{id}", c => ServeAsync(c, new Route("invoices.retrieve", "GET /v1/invoices/{invoice}", "invoice"), p => Retrieve(_invoices, "invoice", Id(c))));
        Map(endpoints, "GET", "/v1/invoices", c => ServeAsync(c, new Route("invoices.list", "GET /v1/invoices", "invoice", List: true), p =>
            List(_invoices, "/v1/invoices", p, o => Matches(o, "customer", p) && Matches(o, "status", p) && Matches(o, "collection_method", p)
                && (Text(p, "subscription") is not { } sub || string.Equals(SubscriptionOf(o), sub, StringComparison.Ordinal))
                && InRange(o, "created", p) && InRange(o, "due_date", p))));
        Map(endpoints, "GET", "/v1/subscriptions/{id}", c => ServeAsync(c, new Route("subscriptions.retrieve", "GET /v1/subscriptions/{subscription_exposed_id}", "subscription"), p => Retrieve(_subscriptions, "subscription", Id(c))));
        Map(endpoints, "GET", "/v1/subscriptions", c => ServeAsync(c, new Route("subscriptions.list", "GET /v1/subscriptions", "subscription", List: true), p =>
            List(_subscriptions, "/v1/subscriptions", p, o => Matches(o, "customer", p) && Matches(o, "collection_method", p) && Matches(o, "test_clock", p)
                && InRange(o, "created", p) && InRange(o, "current_period_start", p) && InRange(o, "current_period_end", p)
                && (Text(p, "price") is not { } price || o["items"]!["data"]!.AsArray().Any(i => Text(i?["price"], "id") == price))
                && (Text(p["automatic_tax"], "enabled") is not { } tax || o["automatic_tax"]?["enabled"]?.GetValue<bool>() == (tax == "true"))
                && Text(p, "status") switch
                {
                    null => Text(o, "status") is not ("canceled" or "incomplete_expired"),
                    "all" => true,
                    "ended" => Text(o, "status") is "canceled" or "incomplete_expired",
                    var status => Text(o, "status") == status,
                })));
        Map(endpoints, "GET", "/v1/events/{id}", c => ServeAsync(c, new Route("events.retrieve", "GET /v1/events/{id}", "event"), p => Retrieve(_events, "event", Id(c))));
        Map(endpoints, "GET", "/v1/events", c => ServeAsync(c, new Route("events.list", "GET /v1/events", "event", List: true), ListEvents));
        Map(endpoints, "GET", "/v1/payment_intents/{id}", c => ServeAsync(c, new Route("payment_intents.retrieve", "GET /v1/payment_intents/{intent}", "payment_intent"), p => Retrieve(_paymentIntents, "payment_intent", Id(c))));
        endpoints.MapFallback(UnknownRouteAsync);
    }

    private Answer ListEvents(JsonObject parameters)
    {
        var type = Text(parameters, "type");
        var types = (parameters["types"] as JsonArray)?.Select(t => t!.GetValue<string>()).ToList();
        if (type is not null && types is not null)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request_error", "You may only specify one of these parameters: type, types.", "parameters_exclusive", "types");
        }

        return List(_events, "/v1/events", parameters, o => InRange(o, "created", parameters)
            && (Text(parameters, "delivery_success") is not { } delivered || (o["pending_webhooks"]!.GetValue<int>() == 0) == (delivered == "true"))
            && (type is null || TypeMatches(Text(o, "type")!, type))
            && (types is null || types.Any(t => TypeMatches(Text(o, "type")!, t))));
    }

    private static bool TypeMatches(string type, string wanted) =>
        wanted.EndsWith('*') ? type.StartsWith(wanted[..^1], StringComparison.Ordinal) : type == wanted;

    /// <summary>A <c>created</c>-style filter: one integer (equal), or any of <c>gt</c>, <c>gte</c>, <c>lt</c>, <c>lte</c>.</summary>
    private static bool InRange(JsonObject resource, string field, JsonObject parameters)
    {
        var filter = parameters[field];
        if (filter is null)
        {
            return true;
        }

        if (resource[field] is not JsonValue actual || !actual.TryGetValue<long>(out var value))
        {
            return false;
        }

        if (filter is JsonValue exact)
        {
            return value == long.Parse(exact.GetValue<string>(), CultureInfo.InvariantCulture);
        }

        foreach (var (op, bound) in filter.AsObject())
        {
            var limit = long.Parse(bound!.GetValue<string>(), CultureInfo.InvariantCulture);
            var within = op switch
            {
                "gt" => value > limit,
                "gte" => value >= limit,
                "lt" => value < limit,
                _ => value <= limit,
            };
            if (!within)
            {
                return false;
            }
        }

        return true;
    }

    private static string Id(HttpContext context) => context.Request.RouteValues["id"] as string ?? string.Empty;

    private static bool Matches(JsonObject resource, string field, JsonObject parameters) =>
        Text(parameters, field) is not { } wanted || string.Equals(Text(resource, field), wanted, StringComparison.Ordinal);

    private static string? SubscriptionOf(JsonObject invoice) => Text(invoice["parent"]?["subscription_details"], "subscription");

    private static string? Text(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static Answer Error(int status, string type, string message, string? code = null, string? param = null)
    {
        var error = new JsonObject { ["type"] = type, ["message"] = message };
        if (code is not null)
        {
            error["code"] = code;
            error["doc_url"] = "https://stripe.com/docs/error-codes/" + code.Replace('_', '-');
        }

        if (param is not null)
        {
            error["param"] = param;
        }

        return new Answer(status, new JsonObject { ["error"] = error });
    }

    private async Task<IResult> ServeAsync(HttpContext context, Route route, Func<JsonObject, Answer> execute)
    {
        context.Response.Headers["Request-Id"] = NewRequestId();
        if (!Authorized(context.Request, out var failure))
        {
            var answer = Error(StatusCodes.Status401Unauthorized, "invalid_request_error", failure);
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"Stripe\"";
            return Json(answer.Status, answer.Body);
        }

        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in context.Request.Query)
        {
            pairs.AddRange(values.Select(v => new KeyValuePair<string, string>(name, v ?? string.Empty)));
        }

        if (HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            foreach (var (name, values) in form)
            {
                pairs.AddRange(values.Select(v => new KeyValuePair<string, string>(name, v ?? string.Empty)));
            }
        }

        var parameters = StripeFormParser.Parse(pairs, out var malformed);
        var key = context.Request.Headers["Idempotency-Key"].FirstOrDefault();
        var version = context.Request.Headers["Stripe-Version"].FirstOrDefault();
        var canonical = StripeFormParser.Canonical(parameters);
        lock (Gate)
        {
            _requests.Add(new SimulatedStripeRequest(context.Request.Method, context.Request.Path.Value ?? "/", route.Endpoint, key, version, canonical));
        }

        if (VersionError(context.Request) is { } refused)
        {
            return Json(refused.Status, refused.Body);
        }

        return await WithFaultsAsync(context, route.Endpoint, () => Respond(context, route, parameters, malformed, key, canonical, execute)).ConfigureAwait(false);
    }

    /// <summary>
    /// An absent <c>Stripe-Version</c> means the account's default (<see cref="ApiVersion"/>); a version Stripe does not
    /// know is refused as Stripe does: 400 <c>Invalid Stripe API version: {value}</c>.
    /// </summary>
    private static Answer? VersionError(HttpRequest request)
    {
        var values = request.Headers["Stripe-Version"];
        if (values.Count == 0 || (values.Count == 1 && StripeApiVersions.IsValid(values[0] ?? string.Empty)))
        {
            return null;
        }

        return Error(StatusCodes.Status400BadRequest, "invalid_request_error", $"Invalid Stripe API version: {string.Join(", ", values.ToArray())}");
    }

    /// <summary>Any route Stripe does not serve (or a method it does not take there): 404 with Stripe's error object, after the key check.</summary>
    private Task UnknownRouteAsync(HttpContext context)
    {
        context.Response.Headers["Request-Id"] = NewRequestId();
        Answer answer;
        if (!Authorized(context.Request, out var failure))
        {
            answer = Error(StatusCodes.Status401Unauthorized, "invalid_request_error", failure);
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"Stripe\"";
        }
        else
        {
            answer = Error(StatusCodes.Status404NotFound, "invalid_request_error",
                $"Unrecognized request URL ({context.Request.Method}: {context.Request.Path.Value}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.");
        }

        return Json(answer.Status, answer.Body).ExecuteAsync(context);
    }

    private static string NewRequestId() => "req_" + Guid.NewGuid().ToString("N")[..14];

    /// <inheritdoc />
    protected override IResult FaultAnswer(HttpContext context, int status) => Json(status, (status == StatusCodes.Status429TooManyRequests
        ? Error(status, "invalid_request_error", "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.", "rate_limit")
        : Error(status, "api_error", "An unknown error occurred")).Body);

    private IResult Respond(HttpContext context, Route route, JsonObject parameters, string? malformed, string? key, string canonical, Func<JsonObject, Answer> execute)
    {
        var isPost = HttpMethods.IsPost(context.Request.Method);
        var fingerprint = $"{context.Request.Method} {context.Request.Path.Value}?{canonical}";
        lock (Gate)
        {
            if (isPost && key is not null)
            {
                if (key.Length is 0 or > MaxKeyLength)
                {
                    var invalid = Error(StatusCodes.Status400BadRequest, "idempotency_error", $"Idempotency-Key must be 1 to {MaxKeyLength} characters.");
                    return Json(invalid.Status, invalid.Body);
                }

                if (_idempotency.TryGetValue(key, out var expired) && Time.GetUtcNow() - expired.KeptAt >= IdempotencyKeyLifetime)
                {
                    _idempotency.Remove(key);
                }

                if (_idempotency.TryGetValue(key, out var kept))
                {
                    if (!string.Equals(kept.Fingerprint, fingerprint, StringComparison.Ordinal))
                    {
                        var mismatch = Error(StatusCodes.Status400BadRequest, "idempotency_error",
                            $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request.");
                        return Json(mismatch.Status, mismatch.Body);
                    }

                    _replays++;
                    context.Response.Headers["Idempotent-Replayed"] = "true";
                    context.Response.Headers["Original-Request"] = kept.RequestId;
                    return Results.Text(kept.Body, "application/json", Encoding.UTF8, kept.Status);
                }
            }

            if (malformed is not null)
            {
                var bad = Error(StatusCodes.Status400BadRequest, "invalid_request_error", $"Invalid parameter: '{malformed}' is malformed or conflicts with another parameter.", "parameter_invalid_string", malformed);
                return Json(bad.Status, bad.Body);
            }

            if ((CheckParameters(route.Operation, parameters) ?? CheckExpand(route, parameters)) is { } refused)
            {
                return Json(refused.Status, refused.Body);
            }

            // The endpoint starts executing: from here on, its answer is kept under the key.
            _executions[route.Endpoint] = _executions.GetValueOrDefault(route.Endpoint) + 1;
            var answer = execute(parameters);
            if (answer.Status == StatusCodes.Status200OK && parameters["expand"] is JsonArray paths)
            {
                Expand(answer.Body, paths);
            }

            var body = answer.Body.ToJsonString();
            if (isPost && key is not null)
            {
                _idempotency[key] = new IdempotentAnswer(key, fingerprint, answer.Status, body, context.Response.Headers["Request-Id"].ToString(), Time.GetUtcNow());
            }

            return Results.Text(body, "application/json", Encoding.UTF8, answer.Status);
        }
    }

    private bool Authorized(HttpRequest request, out string failure)
    {
        var header = request.Headers.Authorization.ToString();
        string? key = null;
        if (header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            key = header["Bearer ".Length..].Trim();
        }
        else if (header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                key = decoded.Split(':')[0];
            }
            catch (FormatException)
            {
                key = null;
            }
        }

        if (string.IsNullOrEmpty(key))
        {
            failure = "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').";
            return false;
        }

        if (!string.Equals(key, ApiKey, StringComparison.Ordinal))
        {
            failure = $"Invalid API Key provided: {(key.Length > 8 ? key[..8] : key)}{new string('*', Math.Max(0, Math.Min(key.Length - 12, 20)))}{(key.Length > 12 ? key[^4..] : string.Empty)}";
            return false;
        }

        failure = string.Empty;
        return true;
    }

    private static Answer Retrieve(Dictionary<string, Stored> store, string kind, string id) =>
        store.TryGetValue(id, out var stored)
            ? new Answer(StatusCodes.Status200OK, stored.Json.DeepClone())
            : Error(StatusCodes.Status404NotFound, "invalid_request_error", $"No such {kind}: '{id}'", "resource_missing", "id");

    private static Answer List(Dictionary<string, Stored> store, string url, JsonObject parameters, Func<JsonObject, bool> filter)
    {
        var limit = 10;
        if (Text(parameters, "limit") is { } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request_error", "This value must be greater than or equal to 1 and less than or equal to 100.", "parameter_invalid_integer", "limit");
        }

        var after = Text(parameters, "starting_after");
        var before = Text(parameters, "ending_before");
        if (after is not null && before is not null)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request_error", "You may only specify one of these parameters: ending_before, starting_after.", "parameter_invalid_string", "ending_before");
        }

        var kind = url[(url.LastIndexOf('/') + 1)..].TrimEnd('s');
        var ordered = store.Values.Where(s => filter(s.Json)).OrderByDescending(s => s.Sequence).ToList();
        List<Stored> page;
        bool hasMore;
        if ((after ?? before) is { } cursor)
        {
            if (!store.TryGetValue(cursor, out var anchor))
            {
                return Error(StatusCodes.Status400BadRequest, "invalid_request_error", $"No such {kind}: '{cursor}'", "resource_missing", after is not null ? "starting_after" : "ending_before");
            }

            if (after is not null)
            {
                var older = ordered.Where(s => s.Sequence < anchor.Sequence).ToList();
                page = [.. older.Take(limit)];
                hasMore = older.Count > limit;
            }
            else
            {
                var newer = ordered.Where(s => s.Sequence > anchor.Sequence).ToList();
                page = [.. newer.Skip(Math.Max(0, newer.Count - limit))];
                hasMore = newer.Count > limit;
            }
        }
        else
        {
            page = [.. ordered.Take(limit)];
            hasMore = ordered.Count > limit;
        }

        var data = new JsonArray([.. page.Select(s => s.Json.DeepClone())]);
        return new Answer(StatusCodes.Status200OK, new JsonObject { ["object"] = "list", ["data"] = data, ["has_more"] = hasMore, ["url"] = url });
    }

    private Answer CreateCustomer(JsonObject parameters, HttpContext context)
    {
        if (CheckCustomerFields(parameters) is { } invalid)
        {
            return invalid;
        }

        var customer = NewCustomer(Text(parameters, "email"), Text(parameters, "name"));
        Apply(customer, parameters);
        var id = Text(customer, "id")!;
        _customers[id] = new Stored(++_sequence, customer);
        RecordEvent("customer.created", customer, null, context);
        return new Answer(StatusCodes.Status200OK, customer.DeepClone());
    }

    private Answer UpdateCustomer(string id, JsonObject parameters, HttpContext context)
    {
        if (!_customers.TryGetValue(id, out var stored))
        {
            return Error(StatusCodes.Status404NotFound, "invalid_request_error", $"No such customer: '{id}'", "resource_missing", "id");
        }

        if (CheckCustomerFields(parameters) is { } invalid)
        {
            return invalid;
        }

        var before = (JsonObject)stored.Json.DeepClone();
        Apply(stored.Json, parameters);
        var previous = new JsonObject();
        foreach (var (name, _) in parameters)
        {
            if (!JsonNode.DeepEquals(before[name], stored.Json[name]))
            {
                previous[name] = before[name]?.DeepClone();
            }
        }

        if (previous.Count > 0)
        {
            RecordEvent("customer.updated", stored.Json, previous, context);
        }

        return new Answer(StatusCodes.Status200OK, stored.Json.DeepClone());
    }

    /// <summary>Metadata: a hash of string values, keys up to 40 characters, values up to 500 (the other fields are checked against the spec).</summary>
    private static Answer? CheckCustomerFields(JsonObject parameters)
    {
        if (parameters["metadata"] is JsonObject map)
        {
            foreach (var (name, value) in map)
            {
                if (value is not JsonValue)
                {
                    return Error(StatusCodes.Status400BadRequest, "invalid_request_error", $"Invalid string: metadata[{name}] must be a string.", "parameter_invalid_string", $"metadata[{name}]");
                }

                if (name.Length > 40 || value.GetValue<string>().Length > 500)
                {
                    return Error(StatusCodes.Status400BadRequest, "invalid_request_error", $"Metadata keys can be up to 40 characters long and values up to 500 characters long (metadata[{name}]).", "parameter_invalid_string", $"metadata[{name}]");
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Applies the customer fields the simulator models (an empty value clears one); the other parameters the spec
    /// declares (coupon, source, tax, payment_method, ...) are accepted and not modelled.
    /// </summary>
    private static void Apply(JsonObject customer, JsonObject parameters)
    {
        foreach (var (name, value) in parameters)
        {
            var text = value is JsonValue v ? v.GetValue<string>() : null;
            switch (name)
            {
                case "metadata":
                    var metadata = (JsonObject)customer["metadata"]!;
                    if (value is not JsonObject entries)
                    {
                        metadata.Clear();
                        break;
                    }

                    foreach (var (key, item) in entries)
                    {
                        var entry = item!.GetValue<string>();
                        if (entry.Length == 0)
                        {
                            metadata.Remove(key);
                        }
                        else
                        {
                            metadata[key] = entry;
                        }
                    }

                    break;
                case "email" or "name" or "description" or "phone" or "invoice_prefix":
                    customer[name] = string.IsNullOrEmpty(text) ? null : text;
                    break;
                case "tax_exempt":
                    customer[name] = string.IsNullOrEmpty(text) ? "none" : text;
                    break;
                case "balance" or "next_invoice_sequence":
                    customer[name] = long.Parse(text!, CultureInfo.InvariantCulture);
                    break;
                case "preferred_locales":
                    customer[name] = value is JsonArray locales ? locales.DeepClone() : new JsonArray();
                    break;
                case "address":
                    customer[name] = value is JsonObject address ? Address(address) : null;
                    break;
                case "shipping":
                    customer[name] = value is JsonObject shipping
                        ? new JsonObject { ["address"] = Address(shipping["address"] as JsonObject ?? []), ["name"] = Text(shipping, "name"), ["phone"] = Text(shipping, "phone") }
                        : null;
                    break;
                case "invoice_settings" when value is JsonObject settings && settings.ContainsKey("footer"):
                    customer["invoice_settings"]!["footer"] = string.IsNullOrEmpty(Text(settings, "footer")) ? null : Text(settings, "footer");
                    break;
            }
        }
    }

    private static JsonObject Address(JsonObject given) => new()
    {
        ["city"] = Text(given, "city"),
        ["country"] = Text(given, "country"),
        ["line1"] = Text(given, "line1"),
        ["line2"] = Text(given, "line2"),
        ["postal_code"] = Text(given, "postal_code"),
        ["state"] = Text(given, "state"),
    };

    private long Now() => Time.GetUtcNow().ToUnixTimeSeconds();

    private string NewId(string prefix) => string.Create(CultureInfo.InvariantCulture, $"{prefix}_Sim{++_nextId:D10}");

    private sealed record Stored(long Sequence, JsonObject Json);

    /// <summary>One served operation: its fault name, the spec's operation (<c>GET /v1/invoices</c>), the object type it answers, and whether as a list.</summary>
    private sealed record Route(string Endpoint, string Operation, string Type, bool List = false);

    private readonly record struct Answer(int Status, JsonNode Body);

    private sealed record IdempotentAnswer(string Key, string Fingerprint, int Status, string Body, string RequestId, DateTimeOffset KeptAt);
}
