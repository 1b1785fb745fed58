using Integrations.Sdk.Testing.Commerce;

namespace Integrations.Sdk.Testing.Shopify;

// Sales and refunds seeded in the store-neutral shape (SimulatedSale), shown as Shopify's Admin API shows orders:
// amounts in the presentment currency with shopMoney converted at the sale's rate, taxes per line and shipping,
// discount allocations, refunds with refund line items and restock types. Written from Shopify's documentation of
// Order, LineItem, ShippingLine, TaxLine, DiscountAllocation, Refund, RefundLineItem and RefundShippingLine; the
// assumptions the documentation leaves open are listed in docs/testing.md.
public sealed partial class ShopifySimulator
{
    /// <summary>
    /// Adds an order as a checkout would: one line item per sale line (its variant found by SKU), the sale's taxes and
    /// discounts on each line, one shipping line when the sale charges shipping (taxed under the first taxed line's
    /// title and rate), the discount code, tags and channel (<c>sourceName</c>). The amounts are the presentment money;
    /// the shop money is each amount times <see cref="SimulatedSale.ExchangeRate"/>, rounded to the cent. The sale's
    /// quantities leave the stock at the default location unless it is cancelled; an email no customer has creates one.
    /// </summary>
    /// <param name="sale">The sale.</param>
    /// <returns>The order's numeric id (its <c>legacyResourceId</c>), as text.</returns>
    /// <exception cref="ArgumentException">The sale has no lines, a SKU no product has, a quantity below 1, or an unknown status.</exception>
    public string AddSale(SimulatedSale sale)
    {
        ArgumentNullException.ThrowIfNull(sale);
        ArgumentException.ThrowIfNullOrWhiteSpace(sale.Email);
        if (sale.Lines is not { Count: > 0 })
        {
            throw new ArgumentException("A sale needs at least one line.", nameof(sale));
        }

        var status = sale.Status switch
        {
            "paid" => "PAID",
            "pending" => "PENDING",
            "cancelled" => "VOIDED",
            _ => throw new ArgumentException($"SimulatedSale.Status '{sale.Status}' is not paid, pending or cancelled.", nameof(sale)),
        };
        if (sale.ExchangeRate <= 0m)
        {
            throw new ArgumentException($"SimulatedSale.ExchangeRate must be positive, not {sale.ExchangeRate}.", nameof(sale));
        }

        lock (Gate)
        {
            var items = new List<SimulatedLineItem>(sale.Lines.Count);
            foreach (var line in sale.Lines)
            {
                ArgumentNullException.ThrowIfNull(line);
                var variant = _variants.FirstOrDefault(v => v.Sku == line.Sku)
                    ?? throw new ArgumentException($"SimulatedSaleLine.Sku '{line.Sku}': no product of the simulated shop has this SKU (add it with AddProduct).", nameof(sale));
                if (line.Quantity < 1)
                {
                    throw new ArgumentException($"SimulatedSaleLine.Quantity of '{line.Sku}' must be at least 1.", nameof(sale));
                }

                items.Add(new SimulatedLineItem(NewId("LineItem"), variant.Sku, variant.ProductTitle, line.Quantity, line.UnitPrice, variant.Id, variant.InventoryItemId)
                {
                    Discount = line.Discount,
                    TaxLines = line.Tax == 0m && line.TaxRate == 0m ? [] : [new SimulatedTaxLine(line.TaxTitle, line.TaxRate, line.Tax)],
                });
            }

            var taxed = sale.Lines.FirstOrDefault(l => l.Tax != 0m || l.TaxRate != 0m);
            var shipping = sale.Shipping == 0m && sale.ShippingTax == 0m
                ? new List<SimulatedShippingLine>()
                : [new SimulatedShippingLine(sale.ShippingTitle, sale.Shipping, 0m,
                    sale.ShippingTax == 0m ? [] : [new SimulatedTaxLine(taxed?.TaxTitle ?? "Shipping tax", taxed?.TaxRate ?? 0m, sale.ShippingTax)])];

            var customer = _customers.FirstOrDefault(c => string.Equals(c.Email, sale.Email, StringComparison.OrdinalIgnoreCase));
            if (customer is null)
            {
                customer = new SimulatedCustomer(NewId("Customer"), sale.Email, sale.FirstName, sale.LastName);
                _customers.Add(customer);
            }

            var at = Seconds(sale.CreatedAt);
            var id = ++_nextId;
            var order = new SimulatedOrder
            {
                Id = "gid://shopify/Order/" + id.ToString(CultureInfo.InvariantCulture),
                LegacyId = id,
                Name = "#" + _nextOrderNumber++.ToString(CultureInfo.InvariantCulture),
                Email = sale.Email,
                CustomerId = customer.Id,
                CreatedAt = at,
                UpdatedAt = at,
                FinancialStatus = status,
                CurrencyCode = Options.CurrencyCode,
                PresentmentCurrencyCode = sale.Currency,
                ExchangeRate = sale.ExchangeRate,
                TaxesIncluded = sale.PricesIncludeTax,
                Tags = [.. sale.Tags],
                SourceName = sale.Channel,
                DiscountCodes = string.IsNullOrEmpty(sale.DiscountCode) ? [] : [sale.DiscountCode],
                LineItems = items,
                ShippingLines = shipping,
            };
            _orders[order.Id] = order;

            if (status != "VOIDED")
            {
                foreach (var item in items)
                {
                    Restock(item.InventoryItemId!, -item.Quantity);
                }
            }

            return id.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// Adds a refund to an order as Shopify records one: a refund line item per refund line (restock type <c>RETURN</c>
    /// when restocked, else <c>NO_RESTOCK</c>), a refund shipping line when shipping is refunded, and the total refunded
    /// (lines' subtotals and taxes, shipping and its tax). Subtotals are stated on the order's price basis, so with tax
    /// when its taxes are included. The order becomes <c>REFUNDED</c> once everything it charged is refunded, else
    /// <c>PARTIALLY_REFUNDED</c>; its updatedAt moves to the refund's time or now, whichever is later; restocked
    /// quantities go back into stock at the default location.
    /// </summary>
    /// <param name="orderId">The order's numeric id (as <see cref="AddSale"/> returns it) or global id.</param>
    /// <param name="refund">The refund.</param>
    /// <returns>The refund's numeric id, as text.</returns>
    /// <exception cref="KeyNotFoundException">No order has the id.</exception>
    /// <exception cref="ArgumentException">A refund line names a SKU the order does not have, or more than it has left to refund.</exception>
    public string AddRefund(string orderId, SimulatedSaleRefund refund)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        ArgumentNullException.ThrowIfNull(refund);
        lock (Gate)
        {
            var key = orderId.StartsWith("gid://", StringComparison.Ordinal) ? orderId : "gid://shopify/Order/" + orderId;
            var order = _orders.GetValueOrDefault(key) ?? throw new KeyNotFoundException($"No order has id '{orderId}'.");
            var lines = new List<SimulatedRefundLineItem>();
            foreach (var line in refund.Lines)
            {
                ArgumentNullException.ThrowIfNull(line);
                var item = order.LineItems.FirstOrDefault(l => l.Sku == line.Sku)
                    ?? throw new ArgumentException($"SimulatedSaleRefundLine.Sku '{line.Sku}': order {order.Name} has no line with this SKU.", nameof(refund));
                var refunded = order.Refunds.SelectMany(r => r.LineItems).Where(r => r.LineItemId == item.Id).Sum(r => r.Quantity);
                if (line.Quantity < 1 || refunded + line.Quantity > item.Quantity)
                {
                    throw new ArgumentException(
                        $"SimulatedSaleRefundLine.Quantity {line.Quantity} of '{line.Sku}': order {order.Name} has {item.Quantity - refunded} left to refund.", nameof(refund));
                }

                lines.Add(new SimulatedRefundLineItem(NewId("RefundLineItem"), item.Id, line.Quantity, line.Restock ? "RETURN" : "NO_RESTOCK",
                    order.TaxesIncluded ? line.Subtotal + line.Tax : line.Subtotal, line.Tax));
            }

            var total = refund.Lines.Sum(l => l.Subtotal + l.Tax) + refund.Shipping + refund.ShippingTax;
            var id = ++_nextId;
            var added = new SimulatedRefund("gid://shopify/Refund/" + id.ToString(CultureInfo.InvariantCulture), Seconds(refund.CreatedAt), refund.Reason, lines,
                order.TaxesIncluded ? refund.Shipping + refund.ShippingTax : refund.Shipping, refund.ShippingTax, total);
            var refunds = order.Refunds.Append(added).ToList();
            var updatedAt = new[] { order.UpdatedAt, added.CreatedAt, Seconds(Time.GetUtcNow()) }.Max();
            _orders[order.Id] = order with
            {
                Refunds = refunds,
                FinancialStatus = refunds.Sum(r => r.TotalRefunded) >= order.TotalPrice ? "REFUNDED" : "PARTIALLY_REFUNDED",
                UpdatedAt = updatedAt,
            };

            foreach (var line in lines.Where(l => l.RestockType == "RETURN"))
            {
                Restock(order.LineItems.First(l => l.Id == line.LineItemId).InventoryItemId!, line.Quantity);
            }

            return id.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The quantity available of the variant with this SKU, over all locations.</summary>
    /// <param name="sku">The SKU.</param>
    /// <returns>The quantity, or <see langword="null"/> when no variant has the SKU.</returns>
    public int? StockOf(string sku)
    {
        ArgumentNullException.ThrowIfNull(sku);
        lock (Gate)
        {
            var variant = _variants.FirstOrDefault(v => v.Sku == sku);
            return variant is null ? null : _inventory.Where(e => e.Key.Item == variant.InventoryItemId).Sum(e => e.Value);
        }
    }

    /// <summary>Moves the available quantity of an item at the first location that stocks it (the default location when none does).</summary>
    private void Restock(string inventoryItemId, int delta)
    {
        var location = _locations.FirstOrDefault(l => _inventory.ContainsKey((inventoryItemId, l))) ?? DefaultLocationId;
        _inventory[(inventoryItemId, location)] = _inventory.GetValueOrDefault((inventoryItemId, location)) + delta;
    }

    /// <summary>A presentment amount in the shop's currency: times the order's rate, rounded to the cent (half away from zero).</summary>
    private static decimal ShopAmount(SimulatedOrder order, decimal amount) =>
        order.ExchangeRate == 1m ? amount : Math.Round(amount * order.ExchangeRate, 2, MidpointRounding.AwayFromZero);

    /// <summary>A <c>MoneyBag</c>: the amount in the presentment currency and converted to the shop's.</summary>
    private static JsonObject MoneyBag(SimulatedOrder order, decimal amount) => new()
    {
        ["shopMoney"] = new JsonObject { ["amount"] = Amount(ShopAmount(order, amount)), ["currencyCode"] = order.CurrencyCode },
        ["presentmentMoney"] = new JsonObject { ["amount"] = Amount(amount), ["currencyCode"] = order.PresentmentCurrencyCode ?? order.CurrencyCode },
    };

    private static JsonArray TaxLinesNode(SimulatedOrder order, IReadOnlyList<SimulatedTaxLine> lines) =>
        [.. lines.Select(t => (JsonNode)new JsonObject
        {
            ["title"] = t.Title,
            ["rate"] = (double)t.Rate,
            ["ratePercentage"] = (double)(t.Rate * 100m),
            ["priceSet"] = MoneyBag(order, t.Amount),
            ["price"] = Amount(ShopAmount(order, t.Amount)),
        })];

    private static JsonArray AllocationsNode(SimulatedOrder order, decimal discount) =>
        discount == 0m ? [] : [new JsonObject { ["allocatedAmountSet"] = MoneyBag(order, discount) }];

    private static JsonObject ShippingLinesNode(SimulatedOrder order)
    {
        var nodes = new JsonArray();
        for (var i = 0; i < order.ShippingLines.Count; i++)
        {
            var node = ShippingLineNode(order, order.ShippingLines[i]);
            node[GraphQlCost.CursorKey] = Cursor("shipping", 0, i);
            nodes.Add(node);
        }

        return Connection(nodes, false);
    }

    private static JsonObject ShippingLineNode(SimulatedOrder order, SimulatedShippingLine line) => new()
    {
        ["title"] = line.Title,
        ["code"] = line.Title,
        ["source"] = "shopify",
        ["custom"] = false,
        ["isRemoved"] = false,
        ["originalPriceSet"] = MoneyBag(order, line.Price),
        ["price"] = Amount(ShopAmount(order, line.Price)),
        ["discountAllocations"] = AllocationsNode(order, line.Discount),
        ["taxLines"] = TaxLinesNode(order, line.TaxLines),
    };

    private JsonArray RefundsNode(SimulatedOrder order)
    {
        var refunds = new JsonArray();
        foreach (var refund in order.Refunds)
        {
            var lines = new JsonArray();
            for (var i = 0; i < refund.LineItems.Count; i++)
            {
                var line = refund.LineItems[i];
                var item = order.LineItems.First(l => l.Id == line.LineItemId);
                lines.Add(new JsonObject
                {
                    ["id"] = line.Id,
                    ["lineItem"] = LineItemNode(order, item, order.LineItems.ToList().IndexOf(item)),
                    ["quantity"] = line.Quantity,
                    ["restockType"] = line.RestockType,
                    ["restocked"] = line.RestockType == "RETURN",
                    ["priceSet"] = MoneyBag(order, item.UnitPrice),
                    ["price"] = Amount(ShopAmount(order, item.UnitPrice)),
                    ["subtotalSet"] = MoneyBag(order, line.Subtotal),
                    ["subtotal"] = Amount(ShopAmount(order, line.Subtotal)),
                    ["totalTaxSet"] = MoneyBag(order, line.Tax),
                    ["totalTax"] = Amount(ShopAmount(order, line.Tax)),
                    [GraphQlCost.CursorKey] = Cursor("refundLine", 0, i),
                });
            }

            var shipping = new JsonArray();
            if (refund.Shipping != 0m || refund.ShippingTax != 0m)
            {
                shipping.Add(new JsonObject
                {
                    ["id"] = refund.Id.Replace("/Refund/", "/RefundShippingLine/", StringComparison.Ordinal),
                    ["shippingLine"] = order.ShippingLines.Count > 0 ? ShippingLineNode(order, order.ShippingLines[0]) : null,
                    ["subtotalAmountSet"] = MoneyBag(order, refund.Shipping),
                    ["taxAmountSet"] = MoneyBag(order, refund.ShippingTax),
                    [GraphQlCost.CursorKey] = Cursor("refundShipping", 0, 0),
                });
            }

            refunds.Add(new JsonObject
            {
                ["id"] = refund.Id,
                ["createdAt"] = Timestamp(refund.CreatedAt),
                ["processedAt"] = Timestamp(refund.CreatedAt),
                ["updatedAt"] = Timestamp(refund.CreatedAt),
                ["note"] = refund.Note,
                ["totalRefundedSet"] = MoneyBag(order, refund.TotalRefunded),
                ["refundLineItems"] = Connection(lines, false),
                ["refundShippingLines"] = Connection(shipping, false),
            });
        }

        return refunds;
    }

    private Plan PlanOrderById(JsonObject variables)
    {
        var id = Str(variables, "id");
        var lineItemsFirst = Int(variables, "lineItemsFirst");
        if (string.IsNullOrEmpty(id))
        {
            return Plan.Refuse(Error("Variable $id of type ID! was provided invalid value", "INVALID_VARIABLE"));
        }

        if (CheckFirst(lineItemsFirst, "lineItemsFirst") is { } invalid)
        {
            return Plan.Refuse(invalid);
        }

        var lines = lineItemsFirst!.Value;
        return new Plan(null, () => new JsonObject { ["order"] = _orders.TryGetValue(id, out var order) ? OrderNode(order, lines) : null });
    }

    private Plan PlanOrderRefunds(JsonObject variables)
    {
        var id = Str(variables, "id");
        if (string.IsNullOrEmpty(id))
        {
            return Plan.Refuse(Error("Variable $id of type ID! was provided invalid value", "INVALID_VARIABLE"));
        }

        return new Plan(null, () => new JsonObject { ["order"] = _orders.TryGetValue(id, out var order) ? OrderNode(order, 0) : null });
    }
}
