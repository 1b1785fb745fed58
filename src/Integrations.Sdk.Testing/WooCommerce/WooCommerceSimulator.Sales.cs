using Integrations.Sdk.Testing.Commerce;
using Microsoft.AspNetCore.Http;

namespace Integrations.Sdk.Testing.WooCommerce;

/// <summary>
/// Sales, refunds and stock, as a WooCommerce store records them (orders, order refunds, products and variations
/// documentation): amounts are decimal strings, line <c>subtotal</c>/<c>total</c> exclude tax whatever
/// <c>prices_include_tax</c> says, refunds list their lines with negative quantities and amounts.
/// </summary>
public sealed partial class WooCommerceSimulator
{
    private readonly Dictionary<string, JsonObject> _categories = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _taxRates = [];

    /// <summary>
    /// Records a sale as a checkout would: an order in WooCommerce's shape (<c>line_items</c> with <c>subtotal</c>,
    /// <c>subtotal_tax</c>, <c>total</c>, <c>total_tax</c>, <c>taxes</c>; <c>tax_lines</c> with <c>rate_percent</c>;
    /// <c>shipping_lines</c>; <c>coupon_lines</c> with <c>discount</c>/<c>discount_tax</c>; the order totals), the
    /// customer created when the email is new, and the quantities taken out of managed stock (recorded on each line as
    /// <c>_reduced_stock</c>) unless the sale is cancelled. <c>date_created_gmt</c> is the sale's
    /// <see cref="SimulatedSale.CreatedAt"/>; <c>date_modified_gmt</c> is the simulator's clock (never earlier), as a
    /// store stamps a save. A paid sale is <c>processing</c>; <see cref="SimulatedSale.Channel"/> <c>web</c> becomes
    /// <c>created_via</c> <c>checkout</c>, any other channel is kept as is; <see cref="SimulatedSale.ExchangeRate"/> is
    /// not shown (WooCommerce states no rate).
    /// </summary>
    /// <param name="sale">The sale; every SKU must be a product's or a variation's.</param>
    /// <returns>The order's id, as text.</returns>
    /// <exception cref="ArgumentException">An unknown SKU or status, a line without quantity, naming the field.</exception>
    public string AddSale(SimulatedSale sale)
    {
        ArgumentNullException.ThrowIfNull(sale);
        ArgumentException.ThrowIfNullOrWhiteSpace(sale.Email);
        if (sale.Lines is not { Count: > 0 })
        {
            throw new ArgumentException("A sale needs at least one line (field Lines).", nameof(sale));
        }

        var status = sale.Status switch
        {
            "paid" => "processing",
            "pending" => "pending",
            "cancelled" => "cancelled",
            _ => throw new ArgumentException($"A sale's Status is paid, pending or cancelled, not '{sale.Status}' (field Status).", nameof(sale)),
        };

        lock (Gate)
        {
            var items = new List<(JsonObject Item, SimulatedSaleLine Line)>();
            foreach (var line in sale.Lines)
            {
                if (line.Quantity < 1)
                {
                    throw new ArgumentException($"Sale line '{line.Sku}' has quantity {line.Quantity}; it must be 1 or more (field Quantity).", nameof(sale));
                }

                var found = FindSkuLocked(line.Sku) ?? throw new ArgumentException($"No product or variation has SKU '{line.Sku}' (field Sku).", nameof(sale));
                items.Add((SaleLine(found, line, sale.PricesIncludeTax), line));
            }

            var customerId = CustomerLocked(sale.Email, sale.FirstName, sale.LastName);
            var id = ++_nextId;
            var created = Gmt(sale.CreatedAt);
            var saved = Gmt(new[] { Time.GetUtcNow().UtcDateTime, sale.CreatedAt.UtcDateTime }.Max()); // the store stamps a save with its clock
            var shippingTax = sale.ShippingTax;
            var shippingNet = sale.PricesIncludeTax ? sale.Shipping - shippingTax : sale.Shipping;
            var shippingRate = items.Select(i => (long?)RateIdOf(i.Item)).FirstOrDefault(r => r is not null)
                ?? (shippingTax != 0m ? RateLocked("Shipping tax", shippingNet == 0m ? 0m : shippingTax / shippingNet) : null);

            var shippingLines = new JsonArray();
            if (sale.Shipping != 0m || shippingTax != 0m)
            {
                shippingLines.Add(new JsonObject
                {
                    ["id"] = ++_nextId, ["method_title"] = sale.ShippingTitle, ["method_id"] = "flat_rate", ["instance_id"] = "1",
                    ["total"] = Money(shippingNet), ["total_tax"] = Money(shippingTax),
                    ["taxes"] = shippingRate is { } sr && shippingTax != 0m
                        ? new JsonArray(new JsonObject { ["id"] = sr, ["total"] = Money(shippingTax), ["subtotal"] = string.Empty })
                        : new JsonArray(),
                    ["meta_data"] = new JsonArray(),
                });
            }

            var lineItems = new JsonArray([.. items.Select(i => (JsonNode)i.Item)]);
            var cartTax = items.Sum(i => Amount(i.Item["total_tax"]));
            var discount = items.Sum(i => Amount(i.Item["subtotal"]) - Amount(i.Item["total"]));
            var discountTax = items.Sum(i => Amount(i.Item["subtotal_tax"]) - Amount(i.Item["total_tax"]));
            var couponLines = new JsonArray();
            if (discount != 0m || sale.DiscountCode is not null)
            {
                couponLines.Add(new JsonObject
                {
                    ["id"] = ++_nextId, ["code"] = (sale.DiscountCode ?? "discount").ToLowerInvariant(),
                    ["discount"] = Money(discount), ["discount_tax"] = Money(discountTax), ["meta_data"] = new JsonArray(),
                });
            }

            var taxLines = new JsonArray();
            foreach (var rate in _taxRates)
            {
                var rateId = (long)rate["id"]!;
                var itemTax = items.Where(i => RateIdOf(i.Item) == rateId).Sum(i => Amount(i.Item["total_tax"]));
                var onShipping = shippingRate == rateId ? shippingTax : 0m;
                if (items.Any(i => RateIdOf(i.Item) == rateId) || onShipping != 0m)
                {
                    taxLines.Add(new JsonObject
                    {
                        ["id"] = ++_nextId, ["rate_code"] = rate["rate_code"]!.DeepClone(), ["rate_id"] = rateId,
                        ["label"] = rate["label"]!.DeepClone(), ["compound"] = false, ["tax_total"] = Money(itemTax),
                        ["shipping_tax_total"] = Money(onShipping), ["rate_percent"] = rate["rate_percent"]!.DeepClone(), ["meta_data"] = new JsonArray(),
                    });
                }
            }

            var linesNet = items.Sum(i => Amount(i.Item["total"]));
            var names = new JsonObject { ["first_name"] = sale.FirstName ?? string.Empty, ["last_name"] = sale.LastName ?? string.Empty };
            var billing = names.DeepClone().AsObject();
            billing["email"] = sale.Email;
            var order = new JsonObject
            {
                ["id"] = id, ["parent_id"] = 0, ["number"] = id.ToString(CultureInfo.InvariantCulture),
                ["order_key"] = "wc_order_" + id.ToString("x8", CultureInfo.InvariantCulture),
                ["created_via"] = sale.Channel == "web" ? "checkout" : sale.Channel, ["version"] = "9.0.0",
                ["status"] = status, ["currency"] = sale.Currency,
                ["date_created"] = created, ["date_created_gmt"] = created, ["date_modified"] = saved, ["date_modified_gmt"] = saved,
                ["discount_total"] = Money(discount), ["discount_tax"] = Money(discountTax),
                ["shipping_total"] = Money(shippingNet), ["shipping_tax"] = Money(shippingTax),
                ["cart_tax"] = Money(cartTax), ["total"] = Money(linesNet + shippingNet + cartTax + shippingTax),
                ["total_tax"] = Money(cartTax + shippingTax), ["prices_include_tax"] = sale.PricesIncludeTax,
                ["customer_id"] = customerId, ["customer_note"] = string.Empty, ["billing"] = billing, ["shipping"] = names,
                ["payment_method"] = "bacs", ["payment_method_title"] = "Direct bank transfer", ["transaction_id"] = string.Empty,
                ["date_paid"] = status == "processing" ? created : null, ["date_paid_gmt"] = status == "processing" ? created : null,
                ["date_completed"] = null, ["date_completed_gmt"] = null, ["meta_data"] = new JsonArray(),
                ["line_items"] = lineItems, ["tax_lines"] = taxLines, ["shipping_lines"] = shippingLines, ["fee_lines"] = new JsonArray(),
                ["coupon_lines"] = couponLines, ["refunds"] = new JsonArray(),
            };

            if (status != "cancelled")
            {
                foreach (var (item, line) in items)
                {
                    if (ChangeStockLocked(line.Sku, -line.Quantity))
                    {
                        Meta(item)["_reduced_stock"] = line.Quantity.ToString(CultureInfo.InvariantCulture);
                    }
                }
            }

            _orders[id] = order;
            return id.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// Refunds part or all of a sale as the store's admin does (<c>POST /orders/{id}/refunds</c>): a refund with the
    /// lines refunded (negative <c>quantity</c>, <c>subtotal</c>, <c>total</c>, <c>total_tax</c>, <c>taxes</c>, and
    /// <c>_refunded_item_id</c> naming the order line), the shipping refunded, and <c>amount</c> = lines + taxes +
    /// shipping; listed first on the order's <c>refunds</c> with a negative total. The order becomes <c>refunded</c> when
    /// its refunds reach its total, and is modified. Restocked lines go back into managed stock, counted on the order
    /// line as <c>_restock_refunded_items</c> (and taken off <c>_reduced_stock</c>).
    /// </summary>
    /// <param name="orderId">The order's id, as <see cref="AddSale"/> returned it.</param>
    /// <param name="refund">The refund.</param>
    /// <returns>The refund's id, as text.</returns>
    /// <exception cref="ArgumentException">An unknown order or SKU, more than was sold or paid, or nothing to refund, naming the field.</exception>
    public string AddRefund(string orderId, SimulatedSaleRefund refund)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        ArgumentNullException.ThrowIfNull(refund);
        lock (Gate)
        {
            var order = (long.TryParse(orderId, NumberStyles.None, CultureInfo.InvariantCulture, out var oid) ? _orders.GetValueOrDefault(oid) : null)
                ?? throw new ArgumentException($"No order {orderId}.", nameof(orderId));
            var previous = _refunds.GetValueOrDefault(oid) ?? [];
            var refundLines = new JsonArray();
            var restocks = new List<(JsonObject OrderLine, SimulatedSaleRefundLine Line)>();
            foreach (var line in refund.Lines)
            {
                var orderLine = order["line_items"]!.AsArray().OfType<JsonObject>().FirstOrDefault(l => Text(l["sku"]) == line.Sku)
                    ?? throw new ArgumentException($"Order {orderId} has no line with SKU '{line.Sku}' (field Sku).", nameof(refund));
                var lineId = (long)orderLine["id"]!;
                var already = previous.SelectMany(r => r["line_items"]!.AsArray().OfType<JsonObject>())
                    .Where(l => RefundedItemOf(l) == lineId).Sum(l => -(int)l["quantity"]!);
                if (line.Quantity < 0 || line.Quantity + already > (int)orderLine["quantity"]!)
                {
                    throw new ArgumentException(
                        $"Refunding {line.Quantity} of '{line.Sku}' on order {orderId}: {orderLine["quantity"]} sold, {already} refunded already (field Quantity).", nameof(refund));
                }

                var rate = RateIdOf(orderLine);
                refundLines.Add(new JsonObject
                {
                    ["id"] = ++_nextId, ["name"] = orderLine["name"]!.DeepClone(), ["product_id"] = orderLine["product_id"]!.DeepClone(),
                    ["variation_id"] = orderLine["variation_id"]!.DeepClone(), ["quantity"] = -line.Quantity, ["tax_class"] = string.Empty,
                    ["subtotal"] = Money(-line.Subtotal), ["subtotal_tax"] = Money(-line.Tax), ["total"] = Money(-line.Subtotal), ["total_tax"] = Money(-line.Tax),
                    ["taxes"] = rate is { } r
                        ? new JsonArray(new JsonObject { ["id"] = r, ["total"] = Money(-line.Tax), ["subtotal"] = Money(-line.Tax) })
                        : new JsonArray(),
                    ["meta_data"] = new JsonArray(new JsonObject { ["id"] = ++_nextId, ["key"] = "_refunded_item_id", ["value"] = lineId.ToString(CultureInfo.InvariantCulture) }),
                    ["sku"] = line.Sku,
                    ["price"] = line.Quantity == 0 ? 0m : -line.Subtotal / line.Quantity,
                });
                if (line.Restock)
                {
                    restocks.Add((orderLine, line));
                }
            }

            var shippingLines = new JsonArray();
            if (refund.Shipping != 0m || refund.ShippingTax != 0m)
            {
                var shipping = order["shipping_lines"]!.AsArray().OfType<JsonObject>().FirstOrDefault()
                    ?? throw new ArgumentException($"Order {orderId} has no shipping to refund (field Shipping).", nameof(refund));
                var shippingRate = shipping["taxes"]!.AsArray().OfType<JsonObject>().Select(t => (long?)(long)t["id"]!).FirstOrDefault();
                shippingLines.Add(new JsonObject
                {
                    ["id"] = ++_nextId, ["method_title"] = shipping["method_title"]!.DeepClone(), ["method_id"] = shipping["method_id"]!.DeepClone(),
                    ["total"] = Money(-refund.Shipping), ["total_tax"] = Money(-refund.ShippingTax),
                    ["taxes"] = shippingRate is { } sr
                        ? new JsonArray(new JsonObject { ["id"] = sr, ["total"] = Money(-refund.ShippingTax), ["subtotal"] = string.Empty })
                        : new JsonArray(),
                    ["meta_data"] = new JsonArray(new JsonObject { ["id"] = ++_nextId, ["key"] = "_refunded_item_id", ["value"] = shipping["id"]!.ToJsonString() }),
                });
            }

            var amount = refund.Lines.Sum(l => l.Subtotal + l.Tax) + refund.Shipping + refund.ShippingTax;
            var total = Amount(order["total"]);
            var refundedBefore = order["refunds"]!.AsArray().OfType<JsonObject>().Sum(r => -Amount(r["total"]));
            if (amount <= 0m)
            {
                throw new ArgumentException($"A refund of order {orderId} must return money: lines, taxes and shipping add up to {amount} (field Lines).", nameof(refund));
            }

            if (amount + refundedBefore > total)
            {
                throw new ArgumentException($"Refunding {Money(amount)} on order {orderId}: {Money(total)} paid, {Money(refundedBefore)} refunded already (field Lines).", nameof(refund));
            }

            var id = ++_nextId;
            var at = Gmt(refund.CreatedAt);
            (_refunds.TryGetValue(oid, out var list) ? list : _refunds[oid] = []).Insert(0, new JsonObject
            {
                ["id"] = id, ["date_created"] = at, ["date_created_gmt"] = at, ["amount"] = Money(amount), ["reason"] = refund.Reason ?? string.Empty,
                ["refunded_by"] = 1, ["refunded_payment"] = false, ["meta_data"] = new JsonArray(),
                ["line_items"] = refundLines, ["shipping_lines"] = shippingLines, ["tax_lines"] = new JsonArray(), ["fee_lines"] = new JsonArray(),
            });
            order["refunds"]!.AsArray().Insert(0, new JsonObject { ["id"] = id, ["reason"] = refund.Reason ?? string.Empty, ["total"] = Money(-amount) });
            if (amount + refundedBefore >= total)
            {
                order["status"] = "refunded";
            }

            foreach (var (orderLine, line) in restocks)
            {
                if (line.Quantity > 0 && ChangeStockLocked(line.Sku, line.Quantity))
                {
                    var meta = Meta(orderLine);
                    meta["_reduced_stock"] = (MetaNumber(meta["_reduced_stock"]) - line.Quantity).ToString(CultureInfo.InvariantCulture);
                    meta["_restock_refunded_items"] = (MetaNumber(meta["_restock_refunded_items"]) + line.Quantity).ToString(CultureInfo.InvariantCulture);
                }
            }

            TouchAfter(order, refund.CreatedAt);
            return id.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The stock of the product or variation with this SKU (<c>stock_quantity</c>); <see langword="null"/> when no product has this SKU or its stock is not managed.</summary>
    /// <param name="sku">The SKU.</param>
    public int? StockOf(string sku)
    {
        ArgumentNullException.ThrowIfNull(sku);
        lock (Gate)
        {
            return FindSkuLocked(sku) is { } found && found.Item["manage_stock"] is JsonValue manage && manage.TryGetValue<bool>(out var managed) && managed
                ? (int?)found.Item["stock_quantity"]
                : null;
        }
    }

    /// <summary><c>PUT /products/{id}</c> and <c>PUT /products/{productId}/variations/{id}</c>: <c>manage_stock</c> and <c>stock_quantity</c> applied, other fields ignored.</summary>
    private async Task<IResult> UpdateStockAsync(HttpContext context, bool variation)
    {
        var (body, invalid) = await ReadJsonAsync(context).ConfigureAwait(false);
        if (invalid is not null || body is not JsonObject fields)
        {
            return Error(400, "rest_invalid_json", "Invalid JSON body passed.");
        }

        if (fields["stock_quantity"] is { } quantity && !(quantity is JsonValue qv && qv.TryGetValue<int>(out _)))
        {
            return Error(400, "rest_invalid_param", "Invalid parameter(s): stock_quantity");
        }

        if (fields["manage_stock"] is { } manage && !(manage is JsonValue mv && mv.TryGetValue<bool>(out _)))
        {
            return Error(400, "rest_invalid_param", "Invalid parameter(s): manage_stock");
        }

        lock (Gate)
        {
            JsonObject? target;
            if (variation)
            {
                var productId = long.TryParse(context.Request.RouteValues["productId"]?.ToString(), CultureInfo.InvariantCulture, out var p) ? p : -1;
                if (!_products.ContainsKey(productId))
                {
                    return NotFound("woocommerce_rest_product_invalid_id");
                }

                target = _variations.GetValueOrDefault(productId)?.FirstOrDefault(v => (long)v["id"]! == Id(context));
                if (target is null)
                {
                    return NotFound("woocommerce_rest_product_variation_invalid_id");
                }
            }
            else
            {
                target = _products.GetValueOrDefault(Id(context));
                if (target is null)
                {
                    return NotFound("woocommerce_rest_product_invalid_id");
                }
            }

            if (fields.ContainsKey("manage_stock"))
            {
                target["manage_stock"] = fields["manage_stock"]!.GetValue<bool>();
            }

            var managed = target["manage_stock"] is JsonValue m && m.TryGetValue<bool>(out var on) && on;
            if (!managed)
            {
                target["stock_quantity"] = null;
            }
            else if (fields.ContainsKey("stock_quantity"))
            {
                target["stock_quantity"] = fields["stock_quantity"]?.GetValue<int>();
            }

            target["stock_status"] = StockStatus((int?)target["stock_quantity"]);
            target["date_modified_gmt"] = Now();
            return Json(200, target.DeepClone());
        }
    }

    /// <summary>An order line for a sale line, with WooCommerce's split: <c>subtotal</c>/<c>total</c> without tax, taxes apart.</summary>
    private JsonObject SaleLine((JsonObject Item, long ProductId, long VariationId) found, SimulatedSaleLine line, bool pricesIncludeTax)
    {
        var gross = line.UnitPrice * line.Quantity;
        var after = gross - line.Discount;
        var net = pricesIncludeTax ? after - line.Tax : after;
        var rate = line.TaxRate != 0m ? line.TaxRate : (net == 0m ? 0m : line.Tax / net);
        var subtotal = pricesIncludeTax ? gross - Round(gross * rate / (1m + rate)) : gross;
        var subtotalTax = pricesIncludeTax ? gross - subtotal : Round(gross * rate);
        long? rateId = line.Tax != 0m || line.TaxRate != 0m ? RateLocked(line.TaxTitle, rate) : null;
        var product = _products[found.ProductId];
        return new JsonObject
        {
            ["id"] = ++_nextId,
            ["name"] = found.VariationId == 0 ? product["name"]!.DeepClone() : $"{Text(product["name"])} - {line.Sku}",
            ["product_id"] = found.ProductId, ["variation_id"] = found.VariationId, ["quantity"] = line.Quantity, ["tax_class"] = string.Empty,
            ["subtotal"] = Money(subtotal), ["subtotal_tax"] = Money(subtotalTax), ["total"] = Money(net), ["total_tax"] = Money(line.Tax),
            ["taxes"] = rateId is { } id
                ? new JsonArray(new JsonObject { ["id"] = id, ["total"] = Money(line.Tax), ["subtotal"] = Money(subtotalTax) })
                : new JsonArray(),
            ["meta_data"] = new JsonArray(), ["sku"] = line.Sku,
            ["price"] = net / line.Quantity,
        };
    }

    /// <summary>The product (variation id 0) or variation with a SKU.</summary>
    private (JsonObject Item, long ProductId, long VariationId)? FindSkuLocked(string sku)
    {
        foreach (var (id, product) in _products)
        {
            if (Text(product["sku"]) == sku)
            {
                return (product, id, 0);
            }
        }

        foreach (var (productId, variations) in _variations)
        {
            foreach (var variation in variations)
            {
                if (Text(variation["sku"]) == sku)
                {
                    return (variation, productId, (long)variation["id"]!);
                }
            }
        }

        return null;
    }

    /// <summary>Adds <paramref name="change"/> to a managed stock; <see langword="false"/> when the stock is not managed.</summary>
    private bool ChangeStockLocked(string sku, int change)
    {
        if (FindSkuLocked(sku) is not { } found || found.Item["manage_stock"] is not JsonValue manage || !manage.TryGetValue<bool>(out var managed) || !managed)
        {
            return false;
        }

        var quantity = ((int?)found.Item["stock_quantity"] ?? 0) + change;
        found.Item["stock_quantity"] = quantity;
        found.Item["stock_status"] = StockStatus(quantity);
        found.Item["date_modified_gmt"] = Now();
        return true;
    }

    private long CustomerLocked(string email, string? firstName, string? lastName)
    {
        foreach (var (id, customer) in _customers)
        {
            if (string.Equals(Text(customer["email"]), email, StringComparison.OrdinalIgnoreCase))
            {
                return id;
            }
        }

        var created = ++_nextId;
        _customers[created] = new JsonObject
        {
            ["id"] = created, ["email"] = email, ["first_name"] = firstName ?? string.Empty, ["last_name"] = lastName ?? string.Empty, ["role"] = "customer",
            ["billing"] = new JsonObject { ["email"] = email, ["first_name"] = firstName ?? string.Empty, ["last_name"] = lastName ?? string.Empty },
        };
        return created;
    }

    /// <summary>The category named so (<c>{id, name, slug}</c>), created on first use.</summary>
    private JsonObject CategoryLocked(string name)
    {
        if (!_categories.TryGetValue(name, out var category))
        {
            category = new JsonObject { ["id"] = ++_nextId, ["name"] = name, ["slug"] = name.Trim().ToLowerInvariant().Replace(' ', '-') };
            _categories[name] = category;
        }

        return category.DeepClone().AsObject();
    }

    /// <summary>The tax rate with this label and rate (a fraction), created on first use; its id.</summary>
    private long RateLocked(string label, decimal rate)
    {
        var percent = decimal.Round(rate * 100m, 4);
        foreach (var known in _taxRates)
        {
            if (Text(known["label"]) == label && (decimal)known["rate_percent"]! == percent)
            {
                return (long)known["id"]!;
            }
        }

        var id = ++_nextId;
        _taxRates.Add(new JsonObject
        {
            ["id"] = id, ["label"] = label, ["rate_percent"] = percent,
            ["rate_code"] = string.Create(CultureInfo.InvariantCulture, $"{label.Trim().ToUpperInvariant()}-{_taxRates.Count + 1}"),
        });
        return id;
    }

    private static long? RateIdOf(JsonObject line) =>
        line["taxes"]?.AsArray().OfType<JsonObject>().Select(t => (long?)(long)t["id"]!).FirstOrDefault();

    private static long? RefundedItemOf(JsonObject refundLine) =>
        refundLine["meta_data"]?.AsArray().OfType<JsonObject>()
            .Where(m => Text(m["key"]) == "_refunded_item_id")
            .Select(m => long.TryParse(Text(m["value"]), CultureInfo.InvariantCulture, out var v) ? v : (long?)null)
            .FirstOrDefault();

    /// <summary>A line's meta data as key → value (backed by its <c>meta_data</c> list of <c>{id, key, value}</c>).</summary>
    private MetaView Meta(JsonObject line) => new(line, this);

    private static int MetaNumber(string? value) => int.TryParse(value, CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>Sets the order's modification date to now, but never at or before its last one, nor before <paramref name="atLeast"/>.</summary>
    private void TouchAfter(JsonObject order, DateTimeOffset atLeast)
    {
        var now = Time.GetUtcNow();
        var last = ParseGmt(order["date_modified_gmt"]);
        var next = new[] { now.UtcDateTime, atLeast.UtcDateTime, last.AddSeconds(1) }.Max();
        var text = Gmt(next);
        order["date_modified"] = text;
        order["date_modified_gmt"] = text;
    }

    private static string Gmt(DateTimeOffset value) => Gmt(value.UtcDateTime);

    private static string Gmt(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static decimal Amount(JsonNode? value) =>
        value is null ? 0m : decimal.Parse(value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString(), NumberStyles.Number, CultureInfo.InvariantCulture);

    private static decimal Round(decimal value) => decimal.Round(value, 2, MidpointRounding.AwayFromZero);

    private static string? Text(JsonNode? value) => value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private readonly struct MetaView(JsonObject line, WooCommerceSimulator store)
    {
        public string? this[string key]
        {
            get => line["meta_data"]?.AsArray().OfType<JsonObject>().Where(m => Text(m["key"]) == key).Select(m => Text(m["value"])).FirstOrDefault();
            set
            {
                var list = line["meta_data"] as JsonArray ?? (JsonArray)(line["meta_data"] = new JsonArray());
                if (list.OfType<JsonObject>().FirstOrDefault(m => Text(m["key"]) == key) is { } entry)
                {
                    entry["value"] = value;
                }
                else
                {
                    list.Add(new JsonObject { ["id"] = ++store._nextId, ["key"] = key, ["value"] = value });
                }
            }
        }
    }
}
