using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integrations.Sdk.Testing.WooCommerce;

/// <summary>
/// A stateful fake of a WooCommerce store's REST API v3 on 127.0.0.1, written from WooCommerce's REST API
/// documentation (it does not use the connector package): orders, products, variations, customers and refunds, with
/// WooCommerce's paging and authentication. Point the connector's <c>StoreUrl</c> at <see cref="SimulatorHost.BaseAddress"/>.
/// </summary>
/// <remarks>
/// <para><b>Endpoints</b> (under <c>/wp-json/wc/v3</c>), served through <see cref="SimulatorHost.Faults"/> under the
/// name in brackets: <c>GET /orders</c> [<c>orders</c>] with <c>page</c>, <c>per_page</c> (default 10, 1–100),
/// <c>modified_after</c> (exclusive; GMT with <c>dates_are_gmt=true</c>, else read as GMT too), <c>orderby</c>
/// <c>id</c> or <c>date</c> and <c>order</c> <c>asc</c>/<c>desc</c> (default date, desc); <c>GET /orders/{id}</c>
/// [<c>order</c>]; <c>GET /orders/{id}/refunds</c> [<c>refunds</c>]; <c>GET /products</c> [<c>products</c>] with
/// <c>sku</c>; <c>GET /products/{id}</c> [<c>product</c>]; <c>GET /products/{id}/variations</c> [<c>variations</c>] with
/// <c>sku</c>; <c>GET /customers</c> [<c>customers</c>] with <c>email</c>; <c>PUT /products/{id}</c>
/// [<c>product.update</c>] and <c>PUT /products/{productId}/variations/{id}</c> [<c>variation.update</c>] for
/// <c>manage_stock</c>/<c>stock_quantity</c>. Lists answer <c>X-WP-Total</c> and <c>X-WP-TotalPages</c>.</para>
/// <para><b>Seeding</b>: <see cref="AddSale"/>/<see cref="AddRefund(string, Commerce.SimulatedSaleRefund)"/> record sales
/// and refunds in WooCommerce's shape, with stock; <see cref="StockOf"/> reads stock; <see cref="SaveAsync"/> and
/// <see cref="LoadAsync"/> keep the store between runs.</para>
/// <para><b>Auth</b>: HTTP Basic with <see cref="ConsumerKey"/>/<see cref="ConsumerSecret"/>, or the
/// <c>consumer_key</c>/<c>consumer_secret</c> query parameters; anything else is answered 401
/// <c>{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot list resources.","data":{"status":401}}</c>.
/// A missing id is 404 <c>woocommerce_rest_shop_order_invalid_id</c> / <c>woocommerce_rest_product_invalid_id</c>.</para>
/// <para><b>Webhooks</b>: <see cref="AddWebhook"/>, then <see cref="Ping"/> (unsigned form body <c>webhook_id=N</c>)
/// and <see cref="Deliver"/> (the resource's JSON, <c>X-WC-Webhook-Signature</c> = Base64(HMAC-SHA256(secret, body))).</para>
/// </remarks>
public sealed partial class WooCommerceSimulator : SimulatorHost
{
    private const string Prefix = "/wp-json/wc/v3";

    private readonly SortedDictionary<long, JsonObject> _orders = [];
    private readonly SortedDictionary<long, JsonObject> _products = [];
    private readonly Dictionary<long, List<JsonObject>> _variations = [];
    private readonly SortedDictionary<long, JsonObject> _customers = [];
    private readonly Dictionary<long, List<JsonObject>> _refunds = [];
    private readonly Dictionary<long, (string Topic, string Secret)> _webhooks = [];
    private long _nextId = 100;
    private long _nextDelivery;
    private int _requests;

    /// <summary>Creates the simulator (not started).</summary>
    /// <param name="timeProvider">The store's clock, for creation and modification dates. The system clock by default.</param>
    /// <param name="seed">Seeds random faults.</param>
    public WooCommerceSimulator(TimeProvider? timeProvider = null, int seed = 0)
        : base(timeProvider, seed)
    {
    }

    /// <inheritdoc />
    public override string Platform => "woocommerce";

    /// <summary>The consumer key accepted. <value>Default: <c>ck_simulator</c>.</value></summary>
    public string ConsumerKey { get; set; } = "ck_simulator";

    /// <summary>The consumer secret accepted. <value>Default: <c>cs_simulator</c>.</value></summary>
    public string ConsumerSecret { get; set; } = "cs_simulator";

    /// <summary>Requests received on the API (faulted ones included).</summary>
    public int RequestCount => Volatile.Read(ref _requests);

    /// <summary>Adds a product; its id is returned.</summary>
    /// <param name="sku">Its SKU.</param>
    /// <param name="name">Its name.</param>
    /// <param name="price">Its price.</param>
    /// <param name="stockQuantity">Its managed stock; <see langword="null"/> for an unmanaged product.</param>
    /// <param name="productType">
    /// Its category (WooCommerce has no product type beyond simple/variable: the first category plays that part);
    /// <see langword="null"/> for none. Categories are created on first use.
    /// </param>
    public long AddProduct(string sku, string name, decimal price, int? stockQuantity = null, string? productType = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sku);
        lock (Gate)
        {
            if (FindSkuLocked(sku) is not null)
            {
                throw new ArgumentException($"A product or variation with SKU '{sku}' exists already.", nameof(sku));
            }

            var id = ++_nextId;
            _products[id] = new JsonObject
            {
                ["id"] = id, ["name"] = name, ["type"] = "simple", ["status"] = "publish", ["sku"] = sku,
                ["price"] = Money(price), ["regular_price"] = Money(price), ["manage_stock"] = stockQuantity is not null,
                ["stock_quantity"] = stockQuantity, ["stock_status"] = StockStatus(stockQuantity),
                ["parent_id"] = 0, ["categories"] = productType is null ? new JsonArray() : new JsonArray(CategoryLocked(productType)),
                ["variations"] = new JsonArray(), ["date_modified_gmt"] = Now(),
            };
            return id;
        }
    }

    /// <summary>Adds a variation to a product (which becomes <c>variable</c>); its id is returned.</summary>
    /// <param name="productId">The parent product.</param>
    /// <param name="sku">The variation's SKU.</param>
    /// <param name="price">Its price.</param>
    /// <param name="stockQuantity">Its managed stock, if any.</param>
    public long AddVariation(long productId, string sku, decimal price, int? stockQuantity = null)
    {
        lock (Gate)
        {
            var product = _products.GetValueOrDefault(productId) ?? throw new ArgumentException($"No product {productId}.", nameof(productId));
            if (FindSkuLocked(sku) is not null)
            {
                throw new ArgumentException($"A product or variation with SKU '{sku}' exists already.", nameof(sku));
            }

            var id = ++_nextId;
            product["type"] = "variable";
            product["variations"]!.AsArray().Add(id);
            (_variations.TryGetValue(productId, out var list) ? list : _variations[productId] = []).Add(new JsonObject
            {
                ["id"] = id, ["sku"] = sku, ["price"] = Money(price), ["regular_price"] = Money(price),
                ["manage_stock"] = stockQuantity is not null, ["stock_quantity"] = stockQuantity,
                ["stock_status"] = StockStatus(stockQuantity),
            });
            return id;
        }
    }

    /// <summary>Adds a customer; its id is returned.</summary>
    /// <param name="email">The email address.</param>
    /// <param name="firstName">First name.</param>
    /// <param name="lastName">Last name.</param>
    public long AddCustomer(string email, string firstName = "", string lastName = "")
    {
        lock (Gate)
        {
            var id = ++_nextId;
            _customers[id] = new JsonObject
            {
                ["id"] = id, ["email"] = email, ["first_name"] = firstName, ["last_name"] = lastName, ["role"] = "customer",
                ["billing"] = new JsonObject { ["email"] = email, ["first_name"] = firstName, ["last_name"] = lastName },
            };
            return id;
        }
    }

    /// <summary>
    /// Adds an order from WooCommerce's JSON (<c>line_items</c>, <c>shipping_lines</c>, <c>total</c>... as the API
    /// answers them); the store sets <c>id</c>, <c>number</c>, the dates (GMT and site time, UTC here) and empty lists
    /// it lacks. Returns its id.
    /// </summary>
    /// <param name="order">The order's fields.</param>
    public long AddOrder(JsonObject order)
    {
        ArgumentNullException.ThrowIfNull(order);
        lock (Gate)
        {
            var id = ++_nextId;
            var copy = order.DeepClone().AsObject();
            copy["id"] = id;
            copy["number"] = id.ToString(CultureInfo.InvariantCulture);
            copy["status"] ??= "processing";
            copy["currency"] ??= "USD";
            foreach (var list in new[] { "line_items", "tax_lines", "shipping_lines", "fee_lines", "coupon_lines", "refunds", "meta_data" })
            {
                copy[list] ??= new JsonArray();
            }

            var now = Now();
            copy["date_created"] = now;
            copy["date_created_gmt"] = now;
            Touch(copy);
            _orders[id] = copy;
            return id;
        }
    }

    /// <summary>Changes an order as the store would (an admin edit, a status change); <c>date_modified_gmt</c> becomes now.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="change">The change to its JSON.</param>
    public void UpdateOrder(long orderId, Action<JsonObject> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (Gate)
        {
            var order = _orders.GetValueOrDefault(orderId) ?? throw new ArgumentException($"No order {orderId}.", nameof(orderId));
            change(order);
            Touch(order);
        }
    }

    /// <summary>
    /// Refunds part of an order: a refund (<c>amount</c>, <c>reason</c>, refunded lines), listed first (newest first)
    /// on the order with a negative total; the order is modified. Status and stock are left as they are (see
    /// <see cref="AddRefund(string, Commerce.SimulatedSaleRefund)"/> for a refund as the admin makes it).
    /// </summary>
    /// <param name="orderId">The order.</param>
    /// <param name="amount">The amount refunded (positive).</param>
    /// <param name="reason">The reason.</param>
    /// <param name="lineItems">The lines refunded, as WooCommerce lists them (negative quantities and totals), if any.</param>
    /// <returns>The refund's id.</returns>
    public long AddRefund(long orderId, decimal amount, string reason = "", JsonArray? lineItems = null)
    {
        lock (Gate)
        {
            var order = _orders.GetValueOrDefault(orderId) ?? throw new ArgumentException($"No order {orderId}.", nameof(orderId));
            var id = ++_nextId;
            var now = Now();
            (_refunds.TryGetValue(orderId, out var list) ? list : _refunds[orderId] = []).Insert(0, new JsonObject
            {
                ["id"] = id, ["date_created"] = now, ["date_created_gmt"] = now, ["amount"] = Money(amount), ["reason"] = reason,
                ["refunded_by"] = 1, ["refunded_payment"] = false, ["meta_data"] = new JsonArray(),
                ["line_items"] = lineItems?.DeepClone() ?? new JsonArray(), ["shipping_lines"] = new JsonArray(), ["tax_lines"] = new JsonArray(),
            });
            order["refunds"]!.AsArray().Insert(0, new JsonObject { ["id"] = id, ["reason"] = reason, ["total"] = Money(-amount) });
            Touch(order);
            return id;
        }
    }

    /// <summary>The order's JSON as the API answers it, or <see langword="null"/>.</summary>
    /// <param name="orderId">The order.</param>
    public JsonObject? Order(long orderId) => Locked(() => _orders.GetValueOrDefault(orderId)?.DeepClone().AsObject());

    /// <summary>Creates a webhook with a topic (<c>order.updated</c>) and secret; its id is returned.</summary>
    /// <param name="topic">The topic, <c>resource.event</c>.</param>
    /// <param name="secret">The secret its deliveries are signed with.</param>
    public long AddWebhook(string topic, string secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        lock (Gate)
        {
            var id = ++_nextId;
            _webhooks[id] = (topic, secret);
            return id;
        }
    }

    /// <summary>The ping WooCommerce sends when a webhook is created: a form body <c>webhook_id=N</c>, without signature.</summary>
    /// <param name="webhookId">The webhook.</param>
    public SignedWebhook Ping(long webhookId)
    {
        var body = Encoding.UTF8.GetBytes("webhook_id=" + webhookId.ToString(CultureInfo.InvariantCulture));
        return new SignedWebhook(body, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Type"] = "application/x-www-form-urlencoded",
        });
    }

    /// <summary>A delivery of a webhook for a resource (an order's current JSON when <paramref name="resource"/> is an order id's JSON), signed with the webhook's secret.</summary>
    /// <param name="webhookId">The webhook.</param>
    /// <param name="resource">The resource's JSON (for example <see cref="Order"/>).</param>
    public SignedWebhook Deliver(long webhookId, JsonNode resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        (string Topic, string Secret) hook;
        long delivery;
        lock (Gate)
        {
            hook = _webhooks.GetValueOrDefault(webhookId);
            delivery = ++_nextDelivery;
        }

        if (hook.Topic is null)
        {
            throw new ArgumentException($"No webhook {webhookId}.", nameof(webhookId));
        }

        var dot = hook.Topic.IndexOf('.', StringComparison.Ordinal);
        return SignedWebhook.Create(resource, body => new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Type"] = "application/json",
            ["X-WC-Webhook-Source"] = "https://store.simulator.test/",
            ["X-WC-Webhook-Topic"] = hook.Topic,
            ["X-WC-Webhook-Resource"] = dot > 0 ? hook.Topic[..dot] : hook.Topic,
            ["X-WC-Webhook-Event"] = dot > 0 ? hook.Topic[(dot + 1)..] : string.Empty,
            ["X-WC-Webhook-Signature"] = Convert.ToBase64String(SignedWebhook.HmacSha256(hook.Secret, body)),
            ["X-WC-Webhook-ID"] = webhookId.ToString(CultureInfo.InvariantCulture),
            ["X-WC-Webhook-Delivery-ID"] = delivery.ToString(CultureInfo.InvariantCulture),
        });
    }

    /// <inheritdoc />
    protected override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        Map(endpoints, "GET", Prefix + "/orders", c => Serve(c, "orders", () => Locked(() => FilterOrders(c)) is { } orders
            ? List(c, orders)
            : Error(400, "rest_invalid_param", "Invalid parameter(s): modified_after")));
        Map(endpoints, "GET", Prefix + "/orders/{id}", c => Serve(c, "order", () => One(c, _orders, "woocommerce_rest_shop_order_invalid_id")));
        Map(endpoints, "GET", Prefix + "/orders/{id}/refunds", c => Serve(c, "refunds", () =>
            Locked(() => _orders.ContainsKey(Id(c)) ? (IResult?)null : NotFound("woocommerce_rest_shop_order_invalid_id"))
            ?? List(c, Locked(() => _refunds.GetValueOrDefault(Id(c))?.Select(r => r.DeepClone().AsObject()).ToList() ?? []))));
        Map(endpoints, "GET", Prefix + "/products", c => Serve(c, "products", () =>
            List(c, Locked(() => BySku(c, _products.Values)))));
        Map(endpoints, "GET", Prefix + "/products/{id}", c => Serve(c, "product", () => One(c, _products, "woocommerce_rest_product_invalid_id")));
        Map(endpoints, "GET", Prefix + "/products/{id}/variations", c => Serve(c, "variations", () =>
            Locked(() => _products.ContainsKey(Id(c)) ? (IResult?)null : NotFound("woocommerce_rest_product_invalid_id"))
            ?? List(c, Locked(() => BySku(c, _variations.GetValueOrDefault(Id(c)) ?? [])))));
        Map(endpoints, "PUT", Prefix + "/products/{id}", c => Serve(c, "product.update", () => UpdateStockAsync(c, variation: false)));
        Map(endpoints, "PUT", Prefix + "/products/{productId}/variations/{id}", c => Serve(c, "variation.update", () => UpdateStockAsync(c, variation: true)));
        Map(endpoints, "GET", Prefix + "/customers", c => Serve(c, "customers", () =>
        {
            var email = c.Request.Query["email"].ToString();
            return List(c, Locked(() => _customers.Values
                .Where(x => email.Length == 0 || string.Equals(x["email"]?.GetValue<string>(), email, StringComparison.OrdinalIgnoreCase))
                .Select(x => x.DeepClone().AsObject()).ToList()));
        }));
    }

    private Task<IResult> Serve(HttpContext context, string endpoint, Func<IResult> apply) =>
        Serve(context, endpoint, () => Task.FromResult(apply()));

    private Task<IResult> Serve(HttpContext context, string endpoint, Func<Task<IResult>> apply)
    {
        Interlocked.Increment(ref _requests);
        return WithFaultsAsync(context, endpoint, () => Authorized(context) ? apply() : Task.FromResult(Error(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")));
    }

    private bool Authorized(HttpContext context)
    {
        var query = context.Request.Query;
        if (query.ContainsKey("consumer_key"))
        {
            return query["consumer_key"] == ConsumerKey && query["consumer_secret"] == ConsumerSecret;
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            return pair == ConsumerKey + ":" + ConsumerSecret;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private List<JsonObject>? FilterOrders(HttpContext context)
    {
        var query = context.Request.Query;
        IEnumerable<JsonObject> orders = _orders.Values;
        var after = query["modified_after"].ToString();
        if (after.Length > 0)
        {
            if (!DateTime.TryParse(after, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var since))
            {
                return null;
            }

            orders = orders.Where(o => ParseGmt(o["date_modified_gmt"]) > since);
        }

        var byId = query["orderby"] == "id";
        var ascending = query["order"] == "asc";
        orders = byId
            ? (ascending ? orders.OrderBy(o => (long)o["id"]!) : orders.OrderByDescending(o => (long)o["id"]!))
            : (ascending ? orders.OrderBy(o => ParseGmt(o["date_created_gmt"])) : orders.OrderByDescending(o => ParseGmt(o["date_created_gmt"])));
        return [.. orders.Select(o => o.DeepClone().AsObject())];
    }

    private static List<JsonObject> BySku(HttpContext context, IEnumerable<JsonObject> items)
    {
        var sku = context.Request.Query["sku"].ToString();
        var type = context.Request.Query["type"].ToString();
        return [.. items
            .Where(x => sku.Length == 0 || x["sku"]?.GetValue<string>() == sku)
            .Where(x => type.Length == 0 || x["type"]?.GetValue<string>() == type)
            .Select(x => x.DeepClone().AsObject())];
    }

    private static IResult List(HttpContext context, List<JsonObject> items)
    {
        var query = context.Request.Query;
        var perPage = int.TryParse(query["per_page"], CultureInfo.InvariantCulture, out var size) ? size : 10;
        var page = int.TryParse(query["page"], CultureInfo.InvariantCulture, out var number) ? number : 1;
        if (perPage is < 1 or > 100)
        {
            return Error(400, "rest_invalid_param", "Invalid parameter(s): per_page");
        }

        if (page < 1)
        {
            return Error(400, "rest_invalid_param", "Invalid parameter(s): page");
        }

        var totalPages = (items.Count + perPage - 1) / perPage;
        context.Response.Headers["X-WP-Total"] = items.Count.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-WP-TotalPages"] = totalPages.ToString(CultureInfo.InvariantCulture);
        if (page > Math.Max(totalPages, 1))
        {
            return Error(400, "rest_post_invalid_page_number", "The page number requested is larger than the number of pages available.");
        }

        return Json(200, new JsonArray([.. items.Skip((page - 1) * perPage).Take(perPage)]));
    }

    private IResult One(HttpContext context, SortedDictionary<long, JsonObject> items, string missingCode) =>
        Locked(() => items.GetValueOrDefault(Id(context))?.DeepClone()) is { } item ? Json(200, item) : NotFound(missingCode);

    private static long Id(HttpContext context) =>
        long.TryParse(context.Request.RouteValues["id"]?.ToString(), CultureInfo.InvariantCulture, out var id) ? id : -1;

    private static IResult NotFound(string code) => Error(404, code, "Invalid ID.");

    private static IResult Error(int status, string code, string message) =>
        Json(status, new JsonObject { ["code"] = code, ["message"] = message, ["data"] = new JsonObject { ["status"] = status } });

    private void Touch(JsonObject order)
    {
        var now = Now();
        order["date_modified"] = now;
        order["date_modified_gmt"] = now;
    }

    private static string StockStatus(int? quantity) => quantity is <= 0 ? "outofstock" : "instock";

    private string Now() => Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static DateTime ParseGmt(JsonNode? value) =>
        DateTime.Parse(value!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    private static string Money(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
