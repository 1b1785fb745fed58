using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integrations.Sdk.Testing.Shopify;

/// <summary>
/// A stateful fake of the Shopify GraphQL Admin API operations the Shopify connector uses, on 127.0.0.1.
/// </summary>
/// <remarks>
/// <para>
/// One endpoint, <c>POST /admin/api/{version}/graphql.json</c>. It answers 401 without the right
/// <c>X-Shopify-Access-Token</c> and 404 for another version than <see cref="ShopifySimulatorOptions.ApiVersion"/>,
/// then dispatches on the body's <c>operationName</c>. The document is parsed (GraphQL-Parser) and validated against
/// the subset of Shopify's Admin API schema the simulator serves (<see cref="AdminSchema"/>): unknown fields, arguments,
/// types or directives get HTTP 200 with Shopify's <c>errors</c> (message, locations, path, <c>extensions.code</c>).
/// Beyond the variables, the simulator reads the <c>@idempotent</c> key and the sort key from the parsed document.
/// Each operation goes through the fault injector under its endpoint name:
/// </para>
/// <list type="table">
/// <listheader><term>operationName</term><description>fault endpoint name and behaviour</description></listheader>
/// <item><term><c>OrdersUpdatedSince</c></term><description><c>orders</c>: <c>orders(first, after, sortKey: UPDATED_AT, query)</c>
/// with variables <c>first</c> (1–250), <c>after</c> (an opaque cursor), <c>query</c> (<c>updated_at</c> comparisons) and
/// <c>lineItemsFirst</c>; ordered by updatedAt then id; real cursors: an order updated while paging moves to the end.</description></item>
/// <item><term><c>OrderLineItems</c></term><description><c>orderLineItems</c>: the remaining line items of one order
/// (<c>id</c>, <c>first</c>, <c>after</c>).</description></item>
/// <item><term><c>OrderById</c></term><description><c>order</c>: one order by global id (<c>id</c>, <c>lineItemsFirst</c>); <c>null</c> when unknown.</description></item>
/// <item><term><c>OrderRefunds</c></term><description><c>orderRefunds</c>: one order's refunds (<c>id</c>), with their refund line items and refund shipping lines.</description></item>
/// <item><term><c>CustomerByEmail</c></term><description><c>customer</c>: <c>customers(first, query: "email:...")</c>, case-insensitive.</description></item>
/// <item><term><c>VariantBySku</c></term><description><c>variant</c>: <c>productVariants(first, query: "sku:...")</c>, exact.</description></item>
/// <item><term><c>AdjustInventory</c></term><description><c>inventoryAdjust</c>: <c>inventoryAdjustQuantities</c> on <c>available</c>.
/// Requires <c>@idempotent(key:)</c> (a literal or a variable) and <c>changeFromQuantity</c> on every change (null
/// skips the check). The same key with the same input answers the first result without applying again; with
/// another input it answers <c>IDEMPOTENCY_KEY_PARAMETER_MISMATCH</c>. Refusals come as <c>userErrors</c> with
/// Shopify's codes (<c>INVALID_INVENTORY_ITEM</c>, <c>INVALID_LOCATION</c>, <c>INVALID_REASON</c>,
/// <c>CHANGE_FROM_QUANTITY_STALE</c>...).</description></item>
/// </list>
/// <para>
/// Costs are computed from the document by Shopify's documented rules (scalars 0, objects 1, connections 2 plus their
/// items, mutations 10; see <see cref="GraphQlCost"/>) and are charged to a
/// leaky bucket (<see cref="ShopifySimulatorOptions.MaximumAvailable"/>, <see cref="ShopifySimulatorOptions.RestoreRate"/>)
/// on the simulator's clock: every answer carries <c>extensions.cost</c>; a query whose requested cost exceeds the
/// points available gets HTTP 200 with <c>errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }]</c>;
/// one above <see cref="ShopifySimulatorOptions.MaxQueryCost"/> gets <c>MAX_COST_EXCEEDED</c>. Unused requested points
/// are refunded after execution.
/// </para>
/// <para>
/// Seed with <see cref="AddProduct"/>, <see cref="AddCustomer"/>, <see cref="AddOrder"/>, <see cref="SeedOrders"/>, and
/// with sales and refunds in the store-neutral shape (<see cref="AddSale"/>, <see cref="AddRefund"/>): orders then carry
/// taxes, shipping, discounts, refunds and a presentment currency; inspect with <see cref="Orders"/>, <see cref="StockOf"/>, <see cref="InventoryLevel"/>, <see cref="AdjustmentsApplied"/>,
/// <see cref="DuplicateAdjustments"/>, <see cref="ThrottledResponses"/>; deliver webhooks built by
/// <see cref="CreateOrderWebhook(string, SimulatedOrder)"/>; persist with <see cref="SaveAsync"/> and <see cref="LoadAsync"/>.
/// </para>
/// </remarks>
public sealed partial class ShopifySimulator : SimulatorHost
{
    /// <inheritdoc />
    public override string Platform => "shopify";

    /// <summary>The fault endpoint name of <c>OrdersUpdatedSince</c>.</summary>
    public const string OrdersEndpoint = "orders";

    /// <summary>The fault endpoint name of <c>OrderLineItems</c>.</summary>
    public const string OrderLineItemsEndpoint = "orderLineItems";

    /// <summary>The fault endpoint name of <c>OrderById</c>.</summary>
    public const string OrderEndpoint = "order";

    /// <summary>The fault endpoint name of <c>OrderRefunds</c>.</summary>
    public const string OrderRefundsEndpoint = "orderRefunds";

    /// <summary>The fault endpoint name of <c>CustomerByEmail</c>.</summary>
    public const string CustomerEndpoint = "customer";

    /// <summary>The fault endpoint name of <c>VariantBySku</c>.</summary>
    public const string VariantEndpoint = "variant";

    /// <summary>The fault endpoint name of <c>AdjustInventory</c>.</summary>
    public const string InventoryAdjustEndpoint = "inventoryAdjust";

    private static readonly Dictionary<string, string> Endpoints = new(StringComparer.Ordinal)
    {
        ["OrdersUpdatedSince"] = OrdersEndpoint,
        ["OrderLineItems"] = OrderLineItemsEndpoint,
        ["OrderById"] = OrderEndpoint,
        ["OrderRefunds"] = OrderRefundsEndpoint,
        ["CustomerByEmail"] = CustomerEndpoint,
        ["VariantBySku"] = VariantEndpoint,
        ["AdjustInventory"] = InventoryAdjustEndpoint,
    };

    private readonly Dictionary<string, int> _operationCounts = new(StringComparer.Ordinal);
    private double _available;
    private DateTimeOffset _refilledAt;
    private int _throttled;
    private int _replays;

    /// <summary>Creates a simulated shop (not started), with one location and an empty catalogue.</summary>
    /// <param name="options">Credentials, version and rate limit; defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The shop's clock (bucket restore, timestamps, key retention); the system clock by default.</param>
    /// <param name="seed">Seeds random faults and <see cref="SeedOrders"/>.</param>
    public ShopifySimulator(ShopifySimulatorOptions? options = null, TimeProvider? timeProvider = null, int seed = 0)
        : base(timeProvider, seed)
    {
        Options = options?.Clone() ?? new ShopifySimulatorOptions();
        _random = new Random(seed);
        _available = Options.MaximumAvailable;
        _refilledAt = Time.GetUtcNow();
        DefaultLocationId = AddLocation("Main warehouse");
    }

    /// <summary>The simulated shop's settings.</summary>
    public ShopifySimulatorOptions Options { get; }

    /// <summary>The location created with the shop; products are stocked there.</summary>
    public string DefaultLocationId { get; private set; }

    /// <summary>How many queries were answered <c>THROTTLED</c>.</summary>
    public int ThrottledResponses => Locked(() => _throttled);

    /// <summary>How many <c>AdjustInventory</c> calls were answered from a remembered idempotency key, without applying.</summary>
    public int IdempotentReplays => Locked(() => _replays);

    /// <summary>The points in the bucket now.</summary>
    public double AvailablePoints
    {
        get
        {
            lock (Gate)
            {
                Refill();
                return _available;
            }
        }
    }

    /// <summary>Requests that reached each operation (after auth and version checks), by operation name.</summary>
    public IReadOnlyDictionary<string, int> OperationCounts => Locked(() => new Dictionary<string, int>(_operationCounts, StringComparer.Ordinal));

    /// <summary>Sets the points in the bucket, as if other calls of the same app had spent them.</summary>
    /// <param name="points">From 0 to <see cref="ShopifySimulatorOptions.MaximumAvailable"/>.</param>
    public void SetAvailablePoints(double points)
    {
        lock (Gate)
        {
            Refill();
            _available = Math.Clamp(points, 0, Options.MaximumAvailable);
        }
    }

    /// <inheritdoc />
    protected override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        Map(endpoints, "POST", "/admin/api/{version}/graphql.json", HandleAsync);

        // Shopify answers a route it does not have with 404 and {"errors":"Not Found"}.
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapFallback("{**path}", () => NotFound());
    }

    private static IResult NotFound() => Json(StatusCodes.Status404NotFound, new JsonObject { ["errors"] = "Not Found" });

    /// <summary>
    /// The version that answers a request for <paramref name="requested"/>, as Shopify's versioning documents: the
    /// served version itself; a well-formed older stable version (<c>YYYY-01|04|07|10</c>) falls forward to the served
    /// one, the simulator's oldest supported; anything else (a newer version, <c>unstable</c>, a malformed one) is
    /// not served (<see langword="null"/>: 404).
    /// </summary>
    private string? ServedVersion(string requested)
    {
        if (string.Equals(requested, Options.ApiVersion, StringComparison.Ordinal))
        {
            return Options.ApiVersion;
        }

        return StableVersion().IsMatch(requested) && string.CompareOrdinal(requested, Options.ApiVersion) < 0 ? Options.ApiVersion : null;
    }

    [GeneratedRegex(@"^20[0-9]{2}-(01|04|07|10)$", RegexOptions.CultureInvariant)]
    private static partial Regex StableVersion();

    private static IResult Json(JsonNode body) => Json(StatusCodes.Status200OK, body);

    private static JsonObject Error(string message, string? code = null)
    {
        var error = new JsonObject { ["message"] = message };
        if (code is not null)
        {
            error["extensions"] = new JsonObject { ["code"] = code };
        }

        return error;
    }

    private static IResult Errors(JsonObject error, int status = StatusCodes.Status200OK) =>
        Json(status, new JsonObject { ["errors"] = new JsonArray(error) });

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        var version = context.Request.RouteValues["version"] as string ?? string.Empty;
        context.Response.Headers["X-Request-Id"] = Guid.NewGuid().ToString();
        if (ServedVersion(version) is not { } served)
        {
            return NotFound();
        }

        context.Response.Headers["X-Shopify-API-Version"] = served;

        if (!string.Equals(context.Request.Headers["X-Shopify-Access-Token"].ToString(), Options.AccessToken, StringComparison.Ordinal))
        {
            return Json(StatusCodes.Status401Unauthorized, new JsonObject { ["errors"] = "[API] Invalid API key or access token (unrecognized login or wrong password)" });
        }

        var (parsed, invalid) = await ReadJsonAsync(context).ConfigureAwait(false);
        if (parsed is not JsonObject body)
        {
            return Errors(Error($"Invalid JSON body: {invalid ?? "the body is not a JSON object"}"), StatusCodes.Status400BadRequest);
        }

        var document = body["query"]?.GetValueKind() == JsonValueKind.String ? body["query"]!.GetValue<string>() : null;
        var operation = body["operationName"]?.GetValueKind() == JsonValueKind.String ? body["operationName"]!.GetValue<string>() : null;
        var variables = body["variables"] as JsonObject ?? [];
        if (string.IsNullOrWhiteSpace(document))
        {
            return Errors(Error("No query string was present"), StatusCodes.Status400BadRequest);
        }

        if (operation is null || !Endpoints.TryGetValue(operation, out var endpoint))
        {
            return Errors(Error($"The simulator dispatches on operationName; '{operation}' is not one it serves ({string.Join(", ", Endpoints.Keys)})."));
        }

        return await WithFaultsAsync(context, endpoint, () => Execute(operation, document, variables)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override IResult FaultAnswer(HttpContext context, int status) =>
        Json(status, new JsonObject { ["errors"] = status == StatusCodes.Status429TooManyRequests ? "Exceeded API rate limit" : "Internal error, please retry" });

    /// <summary>
    /// Validates, costs the document by Shopify's rules, charges the bucket, runs the operation and refunds the points
    /// its answer did not use, atomically.
    /// </summary>
    private IResult Execute(string operation, string document, JsonObject variables)
    {
        GraphQlCost cost;
        try
        {
            cost = GraphQlCost.Parse(document, operation, variables);
        }
        catch (GraphQlRejectedException ex)
        {
            // Shopify answers documents it cannot parse or validate with HTTP 200 and their errors, before costing them.
            return Json(new JsonObject { ["errors"] = ex.Errors });
        }

        lock (Gate)
        {
            _operationCounts[operation] = _operationCounts.GetValueOrDefault(operation) + 1;
            var plan = operation switch
            {
                "OrdersUpdatedSince" => PlanOrders(cost, variables),
                "OrderLineItems" => PlanOrderLineItems(variables),
                "OrderById" => PlanOrderById(variables),
                "OrderRefunds" => PlanOrderRefunds(variables),
                "CustomerByEmail" => PlanCustomers(variables),
                "VariantBySku" => PlanVariants(variables),
                _ => PlanAdjust(cost, variables),
            };

            if (plan.Error is { } invalid)
            {
                return Errors(invalid);
            }

            Refill();
            var requested = cost.Requested();
            if (requested > Options.MaxQueryCost)
            {
                var error = Error($"Query cost is {requested}, which exceeds the single query max cost limit ({Options.MaxQueryCost}).", "MAX_COST_EXCEEDED");
                return Json(new JsonObject { ["errors"] = new JsonArray(error), ["extensions"] = CostNode(requested, null) });
            }

            if (_available < requested)
            {
                _throttled++;
                var error = Error("Throttled", "THROTTLED");
                ((JsonObject)error["extensions"]!)["documentation"] = "https://shopify.dev/api/usage/rate-limits";
                return Json(new JsonObject { ["errors"] = new JsonArray(error), ["extensions"] = CostNode(requested, null) });
            }

            _available -= requested;
            var data = cost.Shape(plan.Run!() as JsonObject ?? [], Placeholder);
            var actual = cost.Actual(data);
            _available = Math.Min(Options.MaximumAvailable, _available + Math.Max(0, requested - actual));
            return Json(new JsonObject { ["data"] = data, ["extensions"] = CostNode(requested, actual) });
        }
    }

    private JsonObject CostNode(int requested, int? actual) => new()
    {
        ["cost"] = new JsonObject
        {
            ["requestedQueryCost"] = requested,
            ["actualQueryCost"] = actual,
            ["throttleStatus"] = new JsonObject
            {
                ["maximumAvailable"] = Options.MaximumAvailable,
                ["currentlyAvailable"] = Math.Floor(_available),
                ["restoreRate"] = Options.RestoreRate,
            },
        },
    };

    private void Refill()
    {
        var now = Time.GetUtcNow();
        var elapsed = now - _refilledAt;
        _refilledAt = now;
        if (elapsed > TimeSpan.Zero)
        {
            _available = Math.Min(Options.MaximumAvailable, _available + (elapsed.TotalSeconds * Options.RestoreRate));
        }
    }

    private static string Timestamp(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Amount(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static int? Int(JsonObject variables, string name) =>
        variables[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number) ? number : null;

    private static string? Str(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static JsonObject? CheckFirst(int? first, string name) =>
        first is null ? Error($"Variable ${name} of type Int! was provided invalid value", "INVALID_VARIABLE")
        : first is < 1 or > 250 ? Error($"The {name} argument must be between 1 and 250 (got {first}).", "BAD_REQUEST")
        : null;

    /// <summary>An operation, checked: how to run it, or why it is refused before execution.</summary>
    private readonly record struct Plan(JsonObject? Error, Func<JsonNode>? Run)
    {
        public static Plan Refuse(JsonObject error) => new(error, null);
    }
}
