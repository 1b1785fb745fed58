namespace Integrations.Sdk.Testing.Shopify;

public sealed partial class ShopifySimulator
{
    private static readonly HashSet<string> Reasons = new(StringComparer.Ordinal)
    {
        "correction", "cycle_count_available", "damaged", "movement_canceled", "movement_created", "movement_received",
        "movement_updated", "other", "promotion", "quality_control", "received", "reservation_created",
        "reservation_deleted", "reservation_updated", "restock", "safety_stock", "shrinkage",
    };

    private Plan PlanOrders(GraphQlCost request, JsonObject variables)
    {
        var first = Int(variables, "first");
        var lineItemsFirst = Int(variables, "lineItemsFirst");
        if ((CheckFirst(first, "first") ?? CheckFirst(lineItemsFirst, "lineItemsFirst")) is { } invalid)
        {
            return Plan.Refuse(invalid);
        }

        (long Ticks, long Id)? position = null;
        if (Str(variables, "after") is { } after)
        {
            if (!TryDecodeCursor(after, "order", out var ticks, out var id))
            {
                return Plan.Refuse(Error($"Invalid cursor for current pagination sort: '{after}'.", "BAD_REQUEST"));
            }

            position = (ticks, id);
        }

        var terms = ShopifySearchQuery.Parse(Str(variables, "query"));
        if (ShopifySearchQuery.CheckDates(terms) is { } badDate)
        {
            return Plan.Refuse(Error(badDate, "BAD_REQUEST"));
        }

        var byUpdatedAt = request.RootArgument("orders", "sortKey") is JsonValue sortKey && sortKey.GetValueKind() == JsonValueKind.String && sortKey.GetValue<string>() == "UPDATED_AT";
        var pageSize = first!.Value;
        var lines = lineItemsFirst!.Value;
        return new Plan(null, () =>
        {
            var sorted = _orders.Values
                .Where(o => ShopifySearchQuery.MatchesUpdatedAt(terms, o.UpdatedAt, out _))
                .Select(o => (Order: o, Key: (Ticks: byUpdatedAt ? o.UpdatedAt.UtcTicks : 0L, Id: o.LegacyId)))
                .OrderBy(x => x.Key.Ticks).ThenBy(x => x.Key.Id)
                .Where(x => position is not { } p || x.Key.Ticks > p.Ticks || (x.Key.Ticks == p.Ticks && x.Key.Id > p.Id))
                .Take(pageSize + 1)
                .ToList();
            var page = sorted.Take(pageSize).ToList();
            var nodes = new JsonArray();
            foreach (var (order, key) in page)
            {
                var node = OrderNode(order, lines);
                node[GraphQlCost.CursorKey] = Cursor("order", key.Ticks, key.Id);
                nodes.Add(node);
            }

            var connection = new JsonObject
            {
                ["pageInfo"] = PageInfo(sorted.Count > pageSize, page.Count == 0 ? null : Cursor("order", page[^1].Key.Ticks, page[^1].Key.Id)),
                ["nodes"] = nodes,
            };
            return new JsonObject { ["orders"] = connection };
        });
    }

    private Plan PlanOrderLineItems(JsonObject variables)
    {
        var id = Str(variables, "id");
        var first = Int(variables, "first");
        if (string.IsNullOrEmpty(id))
        {
            return Plan.Refuse(Error("Variable $id of type ID! was provided invalid value", "INVALID_VARIABLE"));
        }

        if (CheckFirst(first, "first") is { } invalid)
        {
            return Plan.Refuse(invalid);
        }

        var start = 0;
        if (Str(variables, "after") is { } after)
        {
            if (!TryDecodeCursor(after, "line", out _, out var index))
            {
                return Plan.Refuse(Error($"Invalid cursor: '{after}'.", "BAD_REQUEST"));
            }

            start = (int)index + 1;
        }

        var pageSize = first!.Value;
        return new Plan(null, () =>
        {
            if (!_orders.TryGetValue(id, out var order))
            {
                return new JsonObject { ["order"] = null };
            }

            var node = OrderNode(order, 0);
            node["lineItems"] = LineItems(order, start, pageSize);
            return new JsonObject { ["order"] = node };
        });
    }

    private Plan PlanCustomers(JsonObject variables)
    {
        var first = Int(variables, "first");
        if (CheckFirst(first, "first") is { } invalid)
        {
            return Plan.Refuse(invalid);
        }

        var email = ShopifySearchQuery.Value(Str(variables, "query"), "email");
        var pageSize = first!.Value;
        return new Plan(null, () =>
        {
            var nodes = new JsonArray();
            var found = _customers.Where(c => email is not null && string.Equals(c.Email, email, StringComparison.OrdinalIgnoreCase)).ToList();
            foreach (var customer in found.Take(pageSize))
            {
                var node = CustomerNode(customer);
                node[GraphQlCost.CursorKey] = Cursor("customer", 0, nodes.Count);
                nodes.Add(node);
            }

            return new JsonObject { ["customers"] = Connection(nodes, found.Count > pageSize) };
        });
    }

    private Plan PlanVariants(JsonObject variables)
    {
        var first = Int(variables, "first");
        if (CheckFirst(first, "first") is { } invalid)
        {
            return Plan.Refuse(invalid);
        }

        var sku = ShopifySearchQuery.Value(Str(variables, "query"), "sku");
        var pageSize = first!.Value;
        return new Plan(null, () =>
        {
            var nodes = new JsonArray();
            var found = _variants.Where(v => sku is not null && string.Equals(v.Sku, sku, StringComparison.Ordinal)).ToList();
            foreach (var variant in found.Take(pageSize))
            {
                nodes.Add(new JsonObject
                {
                    ["id"] = variant.Id,
                    ["sku"] = variant.Sku,
                    ["title"] = variant.Title,
                    ["displayName"] = $"{variant.ProductTitle} - {variant.Title}",
                    ["price"] = Amount(variant.Price),
                    ["inventoryQuantity"] = _inventory.Where(i => i.Key.Item == variant.InventoryItemId).Sum(i => i.Value),
                    ["inventoryItem"] = new JsonObject { ["id"] = variant.InventoryItemId, ["sku"] = variant.Sku },
                    [GraphQlCost.CursorKey] = Cursor("variant", 0, nodes.Count),
                });
            }

            return new JsonObject { ["productVariants"] = Connection(nodes, found.Count > pageSize) };
        });
    }

    private Plan PlanAdjust(GraphQlCost request, JsonObject variables)
    {
        var key = request.RootDirectiveArgument("inventoryAdjustQuantities", "idempotent", "key") is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : null;
        if (string.IsNullOrWhiteSpace(key))
        {
            return Plan.Refuse(Error(
                "inventoryAdjustQuantities requires an idempotency key: add @idempotent(key: \"...\") to the mutation (mandatory since API version 2026-04).",
                "BAD_REQUEST"));
        }

        if (variables["input"] is not JsonObject input)
        {
            return Plan.Refuse(Error("Variable $input of type InventoryAdjustQuantitiesInput! was provided invalid value", "INVALID_VARIABLE"));
        }

        return new Plan(null, () => new JsonObject { ["inventoryAdjustQuantities"] = AdjustOnce(key, input) });
    }

    /// <summary>Applies an adjustment once per key: a known key answers its first result (or a mismatch for other input).</summary>
    private JsonNode AdjustOnce(string key, JsonObject input)
    {
        var parameters = input.ToJsonString();
        var now = Time.GetUtcNow();
        var known = _idempotency.GetValueOrDefault(key);
        if (known is not null && now - known.At < Options.IdempotencyKeyRetention)
        {
            if (!string.Equals(known.Parameters, parameters, StringComparison.Ordinal))
            {
                return AdjustPayload(null, [UserError(null, "The same idempotency key cannot be used with different operation parameters.", "IDEMPOTENCY_KEY_PARAMETER_MISMATCH")]);
            }

            _replays++;
            return JsonNode.Parse(known.Data)!;
        }

        var (payload, applied) = Adjust(key, input, now);
        if (applied && known is { Applied: true })
        {
            _duplicates++; // The key expired and the same change was applied a second time.
        }

        _idempotency[key] = new IdempotencyEntry(key, parameters, payload.ToJsonString(), now, applied);
        return payload;
    }

    private (JsonObject Payload, bool Applied) Adjust(string key, JsonObject input, DateTimeOffset now)
    {
        var errors = new List<JsonObject>();
        var name = Str(input, "name");
        var reason = Str(input, "reason");
        if (!string.Equals(name, "available", StringComparison.Ordinal))
        {
            errors.Add(UserError(["input", "name"], $"The quantity name '{name}' is invalid: the simulator adjusts 'available' only.", "INVALID_QUANTITY_NAME"));
        }

        if (reason is null || !Reasons.Contains(reason))
        {
            errors.Add(UserError(["input", "reason"], $"The specified reason '{reason}' is invalid.", "INVALID_REASON"));
        }

        var changes = input["changes"] as JsonArray;
        if (changes is null || changes.Count == 0)
        {
            errors.Add(UserError(["input", "changes"], "At least one change is required.", null));
        }

        var planned = new List<(string Item, string Location, int Delta, int After)>();
        for (var i = 0; changes is not null && i < changes.Count; i++)
        {
            var index = i.ToString(CultureInfo.InvariantCulture);
            var change = changes[i] as JsonObject;
            var item = Str(change, "inventoryItemId");
            var location = Str(change, "locationId");
            var delta = change?["delta"] is JsonValue d && d.TryGetValue<int>(out var value) ? value : (int?)null;
            if (change is null || !change.ContainsKey("changeFromQuantity"))
            {
                errors.Add(UserError(["input", "changes", index, "changeFromQuantity"], "changeFromQuantity is required: pass the quantity expected before the change, or null to skip the check.", null));
                continue;
            }

            if (delta is null)
            {
                errors.Add(UserError(["input", "changes", index, "delta"], "delta is required.", null));
                continue;
            }

            if (item is null || !_variants.Any(v => v.InventoryItemId == item))
            {
                errors.Add(UserError(["input", "changes", index, "inventoryItemId"], "The specified inventory item could not be found.", "INVALID_INVENTORY_ITEM"));
                continue;
            }

            if (location is null || !_locations.Contains(location))
            {
                errors.Add(UserError(["input", "changes", index, "locationId"], "The specified location could not be found.", "INVALID_LOCATION"));
                continue;
            }

            if (!_inventory.TryGetValue((item, location), out var stock))
            {
                errors.Add(UserError(["input", "changes", index, "locationId"], "The inventory item is not stocked at the location.", "ITEM_NOT_STOCKED_AT_LOCATION"));
                continue;
            }

            var current = stock + planned.Where(p => p.Item == item && p.Location == location).Sum(p => p.Delta);
            if (change["changeFromQuantity"] is JsonValue expected && expected.TryGetValue<int>(out var from) && from != current)
            {
                errors.Add(UserError(["input", "changes", index, "changeFromQuantity"], "The changeFromQuantity argument no longer matches the persisted quantity.", "CHANGE_FROM_QUANTITY_STALE"));
                continue;
            }

            var after = (long)current + delta.Value;
            if (after > 2_000_000_000)
            {
                errors.Add(UserError(["input", "changes", index, "delta"], "The quantity can't be higher than 2,000,000,000.", "INVALID_QUANTITY_TOO_HIGH"));
                continue;
            }

            if (after < -2_000_000_000)
            {
                errors.Add(UserError(["input", "changes", index, "delta"], "The quantity can't be lower than -2,000,000,000.", "INVALID_QUANTITY_TOO_LOW"));
                continue;
            }

            planned.Add((item, location, delta.Value, (int)after));
        }

        if (errors.Count > 0)
        {
            return (AdjustPayload(null, errors), false);
        }

        var groupId = NewId("InventoryAdjustmentGroup");
        var nodes = new JsonArray();
        foreach (var (item, location, delta, after) in planned)
        {
            _inventory[(item, location)] = after;
            _adjustments.Add(new SimulatedAdjustment(groupId, key, item, location, delta, after, reason!, now));
            nodes.Add(new JsonObject
            {
                ["name"] = "available",
                ["delta"] = delta,
                ["quantityAfterChange"] = after,
                ["item"] = new JsonObject { ["id"] = item },
                ["location"] = new JsonObject { ["id"] = location },
            });
        }

        var group = new JsonObject { ["id"] = groupId, ["createdAt"] = Timestamp(now), ["reason"] = reason, ["changes"] = nodes };
        return (AdjustPayload(group, []), true);
    }

    private static JsonObject AdjustPayload(JsonObject? group, IEnumerable<JsonObject> userErrors) =>
        new() { ["inventoryAdjustmentGroup"] = group, ["userErrors"] = new JsonArray([.. userErrors]) };

    private static JsonObject UserError(string[]? field, string message, string? code) => new()
    {
        ["field"] = field is null ? null : new JsonArray([.. field.Select(f => (JsonNode)f)]),
        ["message"] = message,
        ["code"] = code,
    };

    private JsonObject OrderNode(SimulatedOrder order, int lineItemsFirst)
    {
        var customer = order.CustomerId is null ? null : _customers.FirstOrDefault(c => c.Id == order.CustomerId);
        var total = order.TotalPrice;
        return new JsonObject
        {
            ["id"] = order.Id,
            ["name"] = order.Name,
            ["email"] = order.Email,
            ["createdAt"] = Timestamp(order.CreatedAt),
            ["updatedAt"] = Timestamp(order.UpdatedAt),
            ["displayFinancialStatus"] = order.FinancialStatus,
            ["currencyCode"] = order.CurrencyCode,
            ["presentmentCurrencyCode"] = order.PresentmentCurrencyCode ?? order.CurrencyCode,
            ["taxesIncluded"] = order.TaxesIncluded,
            ["tags"] = new JsonArray([.. order.Tags.Select(t => (JsonNode)t)]),
            ["sourceName"] = order.SourceName,
            ["discountCodes"] = new JsonArray([.. order.DiscountCodes.Select(c => (JsonNode)c)]),
            ["discountCode"] = order.DiscountCodes.FirstOrDefault(),
            ["totalPriceSet"] = MoneyBag(order, total),
            ["totalPrice"] = Amount(ShopAmount(order, total)),
            ["totalTaxSet"] = MoneyBag(order, order.TotalTax),
            ["totalTax"] = Amount(ShopAmount(order, order.TotalTax)),
            ["totalRefunded"] = Amount(ShopAmount(order, order.TotalRefunded)),
            ["cancelledAt"] = order.FinancialStatus == "VOIDED" ? Timestamp(order.UpdatedAt) : null,
            ["subtotalLineItemsQuantity"] = order.LineItems.Sum(l => l.Quantity),
            ["currentSubtotalLineItemsQuantity"] = order.LineItems.Sum(l => l.Quantity) - order.Refunds.SelectMany(r => r.LineItems).Sum(r => r.Quantity),
            ["customer"] = customer is null ? null : CustomerNode(customer),
            ["shippingLines"] = ShippingLinesNode(order),
            ["refunds"] = RefundsNode(order),
            ["lineItems"] = LineItems(order, 0, lineItemsFirst),
        };
    }

    private JsonObject LineItems(SimulatedOrder order, int start, int first)
    {
        var nodes = new JsonArray();
        var end = Math.Min(order.LineItems.Count, start + first);
        for (var i = start; i < end; i++)
        {
            nodes.Add(LineItemNode(order, order.LineItems[i], i));
        }

        return new JsonObject
        {
            ["pageInfo"] = PageInfo(end < order.LineItems.Count, end > start ? Cursor("line", 0, end - 1) : null),
            ["nodes"] = nodes,
        };
    }

    private JsonObject LineItemNode(SimulatedOrder order, SimulatedLineItem line, int index)
    {
        var variant = line.VariantId is null ? null : _variants.FirstOrDefault(v => v.Id == line.VariantId);
        return new JsonObject
        {
            ["id"] = line.Id,
            ["sku"] = line.Sku,
            ["title"] = line.Title,
            ["name"] = line.Title,
            ["quantity"] = line.Quantity,
            ["currentQuantity"] = line.Quantity - order.Refunds.SelectMany(r => r.LineItems).Where(r => r.LineItemId == line.Id).Sum(r => r.Quantity),
            ["originalUnitPrice"] = Amount(ShopAmount(order, line.UnitPrice)),
            ["originalTotal"] = Amount(ShopAmount(order, line.UnitPrice * line.Quantity)),
            ["totalDiscount"] = Amount(ShopAmount(order, line.Discount)),
            [GraphQlCost.CursorKey] = Cursor("line", 0, index),
            ["originalUnitPriceSet"] = MoneyBag(order, line.UnitPrice),
            ["taxLines"] = TaxLinesNode(order, line.TaxLines),
            ["discountAllocations"] = AllocationsNode(order, line.Discount),
            ["product"] = variant is null ? null : new JsonObject
            {
                ["id"] = variant.ProductId,
                ["title"] = variant.ProductTitle,
                ["productType"] = variant.ProductType ?? string.Empty,
                ["status"] = "ACTIVE",
            },
            ["variant"] = line.VariantId is null ? null : new JsonObject
            {
                ["id"] = line.VariantId,
                ["inventoryItem"] = line.InventoryItemId is null ? null : new JsonObject { ["id"] = line.InventoryItemId },
            },
        };
    }

    private static JsonObject CustomerNode(SimulatedCustomer customer) => new()
    {
        ["id"] = customer.Id,
        ["firstName"] = customer.FirstName,
        ["lastName"] = customer.LastName,
        ["displayName"] = string.Join(' ', new[] { customer.FirstName, customer.LastName }.Where(n => !string.IsNullOrEmpty(n))) is { Length: > 0 } name ? name : customer.Email,
        ["email"] = customer.Email,
        ["defaultEmailAddress"] = new JsonObject { ["emailAddress"] = customer.Email },
    };

    private static JsonObject PageInfo(bool hasNextPage, string? endCursor) =>
        new() { ["hasNextPage"] = hasNextPage, ["endCursor"] = endCursor, ["hasPreviousPage"] = false, ["startCursor"] = null };

    private static JsonObject Connection(JsonArray nodes, bool hasNextPage) => new()
    {
        ["pageInfo"] = PageInfo(hasNextPage, nodes.Count == 0 ? null : nodes[^1]![GraphQlCost.CursorKey]!.GetValue<string>()),
        ["nodes"] = nodes,
    };

    /// <summary>
    /// A realistic value for a non-null field the simulator's model does not hold, from the object it is on (see
    /// <see cref="GraphQlCost.Shape"/>); <see langword="null"/> leaves the type's plain value (false, 0, "", the first enum value).
    /// </summary>
    private JsonNode? Placeholder(string type, string field, JsonObject parent)
    {
        string? Text(string name) => parent[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        var now = Timestamp(Time.GetUtcNow());
        var shopMoney = parent["originalUnitPriceSet"]?["shopMoney"] ?? parent["totalPriceSet"]?["shopMoney"];
        return (type, field) switch
        {
            (_, "legacyResourceId") => Text("id") is { } gid ? gid[(gid.LastIndexOf('/') + 1)..] : "0",
            (_, "createdAt") => parent["createdAt"]?.DeepClone() ?? parent["updatedAt"]?.DeepClone() ?? now,
            (_, "updatedAt" or "processedAt") => parent["updatedAt"]?.DeepClone() ?? parent["createdAt"]?.DeepClone() ?? now,
            ("MoneyBag", "presentmentMoney") => parent["shopMoney"]?.DeepClone(),
            ("Product", "title") => "Product",
            ("Order", "presentmentCurrencyCode") => parent["currencyCode"]?.DeepClone(),
            ("Order", "number") => Text("name") is { } name && int.TryParse(name.TrimStart('#'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? Math.Max(1, n - 1000) : 1,
            ("Order", "displayFulfillmentStatus") => "UNFULFILLED",
            ("Order", "returnStatus") => "NO_RETURN",
            ("Order", "riskLevel") => "LOW",
            ("Order", "totalReceived") => Text("displayFinancialStatus") == "PAID" ? shopMoney?["amount"]?.DeepClone() : "0.00",
            ("Order", "netPayment") => Text("displayFinancialStatus") == "PAID" ? shopMoney?["amount"]?.DeepClone() : "0.00",
            ("Order", "totalCapturable" or "totalShippingPrice") => "0.00",
            ("Order", "fulfillable" or "requiresShipping" or "restockable" or "refundable" or "merchantEditable" or "canNotifyCustomer" or "confirmed") => true,
            ("Order", "fullyPaid") => Text("displayFinancialStatus") == "PAID",
            ("Order", "unpaid") => Text("displayFinancialStatus") is "PENDING" or "AUTHORIZED",
            ("Order", "statusPageUrl") => $"https://{Options.ShopDomain}/orders/{Text("id")?[(Text("id")!.LastIndexOf('/') + 1)..]}/authenticate",
            ("Customer", "state") => "ENABLED",
            ("Customer", "productSubscriberStatus") => "NEVER_SUBSCRIBED",
            ("Customer", "locale") => "en",
            ("Customer", "lifetimeDuration") => "less than a minute",
            ("Customer", "numberOfOrders") => _orders.Values.Count(o => o.CustomerId == Text("id")).ToString(CultureInfo.InvariantCulture),
            ("Customer", "unsubscribeUrl") => $"https://{Options.ShopDomain}/unsubscribe",
            ("Customer", "validEmailAddress" or "canDelete") => true,
            ("CustomerEmailAddress", "marketingState") => "NOT_SUBSCRIBED",
            ("CustomerEmailAddress", "openTrackingLevel") => "UNKNOWN",
            ("CustomerEmailAddress", "marketingUnsubscribeUrl" or "openTrackingUrl") => $"https://{Options.ShopDomain}/unsubscribe",
            ("LineItem", "fulfillableQuantity" or "refundableQuantity" or "unfulfilledQuantity") => parent["quantity"]?.DeepClone(),
            ("LineItem", "discountedUnitPrice") => parent["originalUnitPrice"]?.DeepClone(),
            ("LineItem", "discountedTotal" or "unfulfilledOriginalTotal" or "unfulfilledDiscountedTotal") => parent["originalTotal"]?.DeepClone(),
            ("LineItem", "totalDiscount") => "0.00",
            ("LineItem", "fulfillmentStatus") => "unfulfilled",
            ("LineItem", "requiresShipping" or "taxable" or "restockable" or "canRestock" or "merchantEditable") => true,
            ("ProductVariant", "displayName") => Text("title"),
            ("ProductVariant", "inventoryPolicy") => "DENY",
            ("ProductVariant", "position") => 1,
            ("ProductVariant", "availableForSale" or "taxable") => true,
            ("ProductVariant", "storefrontId") => Text("id"),
            ("ProductVariant", "defaultCursor") => parent[GraphQlCost.CursorKey]?.DeepClone(),
            ("ProductVariant", "sellableOnlineQuantity") => parent["inventoryQuantity"]?.DeepClone(),
            ("InventoryItem", "tracked" or "requiresShipping") => true,
            ("Location", "name") => "Main warehouse",
            ("Location", "isActive" or "fulfillsOnlineOrders" or "shipsInventory" or "hasActiveInventory" or "isPrimary" or "addressVerified" or "deactivatable") => true,
            _ => null,
        };
    }

    /// <summary>An opaque cursor: Base64 of <c>kind:ticks:id</c>.</summary>
    private static string Cursor(string kind, long ticks, long id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{kind}:{ticks}:{id}")));

    private static bool TryDecodeCursor(string cursor, string kind, out long ticks, out long id)
    {
        ticks = 0;
        id = 0;
        Span<byte> bytes = stackalloc byte[128];
        if (!Convert.TryFromBase64String(cursor, bytes, out var written))
        {
            return false;
        }

        var parts = Encoding.UTF8.GetString(bytes[..written]).Split(':');
        return parts.Length == 3 && parts[0] == kind
            && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out ticks)
            && long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out id);
    }
}
