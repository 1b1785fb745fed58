namespace Integrations.Sdk.Testing.Shopify;

public sealed partial class ShopifySimulator
{
    private readonly List<string> _locations = [];
    private readonly List<SimulatedCustomer> _customers = [];
    private readonly List<SimulatedVariant> _variants = [];
    private readonly Dictionary<string, SimulatedOrder> _orders = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Item, string Location), int> _inventory = [];
    private readonly Dictionary<string, IdempotencyEntry> _idempotency = new(StringComparer.Ordinal);
    private readonly List<SimulatedAdjustment> _adjustments = [];
    private readonly Random _random;
    private long _nextId = 1000;
    private int _nextOrderNumber = 1001;
    private int _duplicates;

    private static SimulatorPersistence Persistence { get; } = new(
        "Shopify simulator", new JsonObject { ["format"] = 1 }, (message, inner) => new FormatException(message, inner));

    /// <summary>Every order, by updatedAt then id.</summary>
    public IReadOnlyList<SimulatedOrder> Orders => Locked(() => _orders.Values.OrderBy(o => o.UpdatedAt).ThenBy(o => o.LegacyId).ToList());

    /// <summary>Every customer.</summary>
    public IReadOnlyList<SimulatedCustomer> Customers => Locked(() => _customers.ToList());

    /// <summary>Every product variant.</summary>
    public IReadOnlyList<SimulatedVariant> Variants => Locked(() => _variants.ToList());

    /// <summary>Every inventory adjustment applied, in order.</summary>
    public IReadOnlyList<SimulatedAdjustment> Adjustments => Locked(() => _adjustments.ToList());

    /// <summary>How many <c>inventoryAdjustQuantities</c> mutations changed stock (replays of a known key do not count).</summary>
    public int AdjustmentsApplied => Locked(() => _adjustments.Select(a => a.GroupId).Distinct(StringComparer.Ordinal).Count());

    /// <summary>
    /// Applications beyond one per idempotency key: a key used again after <see cref="ShopifySimulatorOptions.IdempotencyKeyRetention"/>
    /// changes stock a second time. Zero when every retry reused its key in time.
    /// </summary>
    public int DuplicateAdjustments => Locked(() => _duplicates);

    /// <summary>The available quantity of a SKU, at one location or summed over all.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="locationId">The location; every location when <see langword="null"/>.</param>
    /// <exception cref="KeyNotFoundException">No variant has the SKU.</exception>
    public int InventoryLevel(string sku, string? locationId = null)
    {
        ArgumentNullException.ThrowIfNull(sku);
        lock (Gate)
        {
            var variant = _variants.FirstOrDefault(v => v.Sku == sku) ?? throw new KeyNotFoundException($"No variant has SKU '{sku}'.");
            return _inventory.Where(e => e.Key.Item == variant.InventoryItemId && (locationId is null || e.Key.Location == locationId)).Sum(e => e.Value);
        }
    }

    /// <summary>Adds a location; new products are not stocked there.</summary>
    /// <param name="name">The location's name (informational).</param>
    /// <returns>The location's global id.</returns>
    public string AddLocation(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (Gate)
        {
            var id = NewId("Location");
            _locations.Add(id);
            return id;
        }
    }

    /// <summary>Adds a customer.</summary>
    /// <param name="email">The email address.</param>
    /// <param name="firstName">The first name.</param>
    /// <param name="lastName">The last name.</param>
    /// <returns>The customer.</returns>
    public SimulatedCustomer AddCustomer(string email, string? firstName = null, string? lastName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        lock (Gate)
        {
            var customer = new SimulatedCustomer(NewId("Customer"), email, firstName, lastName);
            _customers.Add(customer);
            return customer;
        }
    }

    /// <summary>Adds a product with one variant, stocked at <see cref="DefaultLocationId"/>.</summary>
    /// <param name="sku">The SKU (unique).</param>
    /// <param name="title">The product's title.</param>
    /// <param name="price">The price.</param>
    /// <param name="available">The available quantity at the default location.</param>
    /// <param name="productType">The product's type (<c>productType</c>, which order line items show through their product); none by default.</param>
    /// <returns>The variant.</returns>
    public SimulatedVariant AddProduct(string sku, string title, decimal price, int available = 0, string? productType = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sku);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        lock (Gate)
        {
            if (_variants.Any(v => v.Sku == sku))
            {
                throw new ArgumentException($"A variant with SKU '{sku}' exists already.", nameof(sku));
            }

            var variant = new SimulatedVariant(NewId("ProductVariant"), NewId("Product"), sku, title, "Default Title", price, NewId("InventoryItem")) { ProductType = productType };
            _variants.Add(variant);
            _inventory[(variant.InventoryItemId, DefaultLocationId)] = available;
            return variant;
        }
    }

    /// <summary>Adds an order. An email that matches no customer creates one, as a checkout does.</summary>
    /// <param name="email">The buyer's email; <see langword="null"/> for an order without customer.</param>
    /// <param name="lines">The lines; known SKUs link to their variant and price.</param>
    /// <param name="financialStatus">The display financial status. <value>Default: <c>PAID</c>.</value></param>
    /// <param name="updatedAt">When it was created and last updated (rounded down to the second); now by default.</param>
    /// <param name="currencyCode">The currency. <value>Default: <c>USD</c>.</value></param>
    /// <returns>The order.</returns>
    public SimulatedOrder AddOrder(string? email, IEnumerable<SimulatedOrderLine> lines, string financialStatus = "PAID", DateTimeOffset? updatedAt = null, string currencyCode = "USD")
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentException.ThrowIfNullOrWhiteSpace(financialStatus);
        ArgumentException.ThrowIfNullOrWhiteSpace(currencyCode);
        lock (Gate)
        {
            return AddOrderLocked(email, [.. lines], financialStatus, Seconds(updatedAt ?? Time.GetUtcNow()), currencyCode);
        }
    }

    /// <summary>
    /// Adds <paramref name="count"/> orders of 1 to 3 lines over a few seeded products and 50 customers, one every
    /// <paramref name="spacing"/> from <paramref name="firstUpdatedAt"/>. Deterministic for a given seed.
    /// </summary>
    /// <param name="count">How many orders.</param>
    /// <param name="firstUpdatedAt">The first order's updatedAt; by default so that the last one is now.</param>
    /// <param name="spacing">The time between two orders. <value>Default: 1 minute.</value></param>
    /// <returns>The orders added.</returns>
    public IReadOnlyList<SimulatedOrder> SeedOrders(int count, DateTimeOffset? firstUpdatedAt = null, TimeSpan? spacing = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var step = spacing ?? TimeSpan.FromMinutes(1);
        lock (Gate)
        {
            for (var i = 1; i <= 5; i++)
            {
                var sku = string.Create(CultureInfo.InvariantCulture, $"SEED-{i:000}");
                if (!_variants.Any(v => v.Sku == sku))
                {
                    var variant = new SimulatedVariant(NewId("ProductVariant"), NewId("Product"), sku, $"Seeded product {i}", "Default Title", 5m * i, NewId("InventoryItem"));
                    _variants.Add(variant);
                    _inventory[(variant.InventoryItemId, DefaultLocationId)] = 1000;
                }
            }

            var start = firstUpdatedAt ?? Time.GetUtcNow() - (step * Math.Max(0, count - 1));
            var seeded = _variants.Where(v => v.Sku.StartsWith("SEED-", StringComparison.Ordinal)).ToList();
            var orders = new List<SimulatedOrder>(count);
            for (var i = 0; i < count; i++)
            {
                var lines = Enumerable.Range(0, _random.Next(1, 4))
                    .Select(_ => new SimulatedOrderLine(seeded[_random.Next(seeded.Count)].Sku, _random.Next(1, 5)))
                    .ToList();
                var email = string.Create(CultureInfo.InvariantCulture, $"customer{_random.Next(1, 51)}@example.com");
                var status = _random.NextDouble() < 0.8 ? "PAID" : "PENDING";
                orders.Add(AddOrderLocked(email, lines, status, Seconds(start + (step * i)), "USD"));
            }

            return orders;
        }
    }

    /// <summary>Changes an order, which moves its updatedAt (so an incremental read sees it again).</summary>
    /// <param name="orderId">The order's global id.</param>
    /// <param name="financialStatus">The new display financial status; unchanged when <see langword="null"/>.</param>
    /// <param name="updatedAt">The new updatedAt; now by default.</param>
    /// <returns>The updated order.</returns>
    /// <exception cref="KeyNotFoundException">No order has the id.</exception>
    public SimulatedOrder UpdateOrder(string orderId, string? financialStatus = null, DateTimeOffset? updatedAt = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        lock (Gate)
        {
            var order = _orders.GetValueOrDefault(orderId) ?? throw new KeyNotFoundException($"No order has id '{orderId}'.");
            var updated = order with { FinancialStatus = financialStatus ?? order.FinancialStatus, UpdatedAt = Seconds(updatedAt ?? Time.GetUtcNow()) };
            _orders[orderId] = updated;
            return updated;
        }
    }

    /// <summary>
    /// Builds an order webhook as Shopify delivers it: the order in the REST shape (<c>id</c>,
    /// <c>admin_graphql_api_id</c>, <c>name</c>, <c>financial_status</c>, <c>total_price</c>, <c>line_items</c>...),
    /// signed with <see cref="ShopifySimulatorOptions.WebhookSecret"/> in <c>X-Shopify-Hmac-Sha256</c>, with
    /// <c>X-Shopify-Topic</c>, <c>X-Shopify-Event-Id</c>, <c>X-Shopify-Webhook-Id</c>, <c>X-Shopify-Triggered-At</c>,
    /// <c>X-Shopify-Shop-Domain</c> and <c>X-Shopify-API-Version</c>. Post the same instance twice for a redelivery.
    /// </summary>
    /// <param name="topic">The topic, for example <c>orders/create</c>, <c>orders/updated</c>, <c>orders/paid</c>.</param>
    /// <param name="order">The order.</param>
    /// <returns>The signed webhook.</returns>
    public SignedWebhook CreateOrderWebhook(string topic, SimulatedOrder order)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(order);
        JsonObject body;
        lock (Gate)
        {
            body = RestOrder(order);
        }

        return SignedWebhook.Create(body, bytes => new Dictionary<string, string>
        {
            ["X-Shopify-Topic"] = topic,
            ["X-Shopify-Hmac-Sha256"] = Convert.ToBase64String(SignedWebhook.HmacSha256(Options.WebhookSecret, bytes)),
            ["X-Shopify-Shop-Domain"] = Options.ShopDomain,
            ["X-Shopify-API-Version"] = Options.ApiVersion,
            ["X-Shopify-Webhook-Id"] = Guid.NewGuid().ToString(),
            ["X-Shopify-Event-Id"] = Guid.NewGuid().ToString(),
            ["X-Shopify-Triggered-At"] = Time.GetUtcNow().ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        });
    }

    /// <summary>Builds an order webhook for a stored order. See <see cref="CreateOrderWebhook(string, SimulatedOrder)"/>.</summary>
    /// <param name="topic">The topic.</param>
    /// <param name="orderId">The order's global id.</param>
    /// <returns>The signed webhook.</returns>
    /// <exception cref="KeyNotFoundException">No order has the id.</exception>
    public SignedWebhook CreateOrderWebhook(string topic, string orderId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        SimulatedOrder order;
        lock (Gate)
        {
            order = _orders.GetValueOrDefault(orderId) ?? throw new KeyNotFoundException($"No order has id '{orderId}'.");
        }

        return CreateOrderWebhook(topic, order);
    }

    /// <summary>Saves the shop (options, catalogue, orders, stock, idempotency keys, bucket) as JSON, so another process can load it.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task SaveAsync(string path, CancellationToken cancellationToken = default)
    {
        ShopifySimulatorSnapshot snapshot;
        lock (Gate)
        {
            Refill();
            snapshot = new ShopifySimulatorSnapshot
            {
                Options = Options.Clone(),
                NextId = _nextId,
                NextOrderNumber = _nextOrderNumber,
                Locations = [.. _locations],
                Customers = [.. _customers],
                Variants = [.. _variants],
                Orders = [.. _orders.Values.OrderBy(o => o.LegacyId)],
                Inventory = [.. _inventory.Select(e => new InventoryLevelEntry(e.Key.Item, e.Key.Location, e.Value))],
                Idempotency = [.. _idempotency.Values],
                Adjustments = [.. _adjustments],
                DuplicateAdjustments = _duplicates,
                AvailablePoints = _available,
            };
        }

        return Persistence.SaveAsync(path, snapshot, ShopifySimulatorJsonContext.Default.ShopifySimulatorSnapshot, cancellationToken);
    }

    /// <summary>Loads a shop saved by <see cref="SaveAsync"/>, not started.</summary>
    /// <param name="path">The file.</param>
    /// <param name="timeProvider">The new simulator's clock; the system clock by default.</param>
    /// <param name="seed">Seeds random faults and <see cref="SeedOrders"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The simulator, with the saved data.</returns>
    /// <exception cref="FormatException">The file is not a saved Shopify simulator.</exception>
    public static async Task<ShopifySimulator> LoadAsync(string path, TimeProvider? timeProvider = null, int seed = 0, CancellationToken cancellationToken = default)
    {
        var snapshot = await Persistence.LoadAsync(path, ShopifySimulatorJsonContext.Default.ShopifySimulatorSnapshot, cancellationToken).ConfigureAwait(false);
        if (snapshot.Locations.Count == 0)
        {
            throw Persistence.Invalid(path, "a saved Shopify simulator has at least one location.");
        }

        var simulator = new ShopifySimulator(snapshot.Options, timeProvider, seed);
        simulator.Restore(snapshot);
        return simulator;
    }

    private void Restore(ShopifySimulatorSnapshot snapshot)
    {
        lock (Gate)
        {
            _locations.Clear();
            _locations.AddRange(snapshot.Locations);
            DefaultLocationId = _locations[0];
            _customers.AddRange(snapshot.Customers);
            _variants.AddRange(snapshot.Variants);
            foreach (var order in snapshot.Orders)
            {
                _orders[order.Id] = order;
            }

            foreach (var level in snapshot.Inventory)
            {
                _inventory[(level.InventoryItemId, level.LocationId)] = level.Available;
            }

            foreach (var entry in snapshot.Idempotency)
            {
                _idempotency[entry.Key] = entry;
            }

            _adjustments.AddRange(snapshot.Adjustments);
            _duplicates = snapshot.DuplicateAdjustments;
            _nextId = snapshot.NextId;
            _nextOrderNumber = snapshot.NextOrderNumber;
            _available = Math.Clamp(snapshot.AvailablePoints, 0, Options.MaximumAvailable);
            _refilledAt = Time.GetUtcNow();
        }
    }

    private SimulatedOrder AddOrderLocked(string? email, List<SimulatedOrderLine> lines, string financialStatus, DateTimeOffset updatedAt, string currencyCode)
    {
        var customer = email is null ? null : _customers.FirstOrDefault(c => string.Equals(c.Email, email, StringComparison.OrdinalIgnoreCase));
        if (customer is null && email is not null)
        {
            customer = new SimulatedCustomer(NewId("Customer"), email, null, null);
            _customers.Add(customer);
        }

        var items = lines.Select(line =>
        {
            ArgumentNullException.ThrowIfNull(line);
            var variant = _variants.FirstOrDefault(v => v.Sku == line.Sku);
            return new SimulatedLineItem(NewId("LineItem"), line.Sku, variant?.ProductTitle ?? line.Sku, line.Quantity,
                line.UnitPrice ?? variant?.Price ?? 0m, variant?.Id, variant?.InventoryItemId);
        }).ToList();

        var id = ++_nextId;
        var order = new SimulatedOrder
        {
            Id = "gid://shopify/Order/" + id.ToString(CultureInfo.InvariantCulture),
            LegacyId = id,
            Name = "#" + _nextOrderNumber++.ToString(CultureInfo.InvariantCulture),
            Email = email,
            CustomerId = customer?.Id,
            CreatedAt = updatedAt,
            UpdatedAt = updatedAt,
            FinancialStatus = financialStatus,
            CurrencyCode = currencyCode,
            LineItems = items,
        };
        _orders[order.Id] = order;
        return order;
    }

    private JsonObject RestOrder(SimulatedOrder order)
    {
        var customer = order.CustomerId is null ? null : _customers.FirstOrDefault(c => c.Id == order.CustomerId);
        var lines = new JsonArray();
        foreach (var line in order.LineItems)
        {
            lines.Add(new JsonObject
            {
                ["id"] = LegacyId(line.Id),
                ["admin_graphql_api_id"] = line.Id,
                ["sku"] = line.Sku,
                ["title"] = line.Title,
                ["quantity"] = line.Quantity,
                ["price"] = Amount(ShopAmount(order, line.UnitPrice)),
                ["variant_id"] = line.VariantId is null ? null : LegacyId(line.VariantId),
            });
        }

        return new JsonObject
        {
            ["id"] = order.LegacyId,
            ["admin_graphql_api_id"] = order.Id,
            ["name"] = order.Name,
            ["order_number"] = int.Parse(order.Name.TrimStart('#'), CultureInfo.InvariantCulture),
            ["email"] = order.Email,
            ["created_at"] = order.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["updated_at"] = order.UpdatedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["financial_status"] = order.FinancialStatus.ToLowerInvariant(),
            ["currency"] = order.CurrencyCode,
            ["total_price"] = Amount(ShopAmount(order, order.TotalPrice)),
            ["total_price_set"] = RestMoney(order, order.TotalPrice),
            ["total_tax"] = Amount(ShopAmount(order, order.TotalTax)),
            ["total_tax_set"] = RestMoney(order, order.TotalTax),
            ["presentment_currency"] = order.PresentmentCurrencyCode ?? order.CurrencyCode,
            ["taxes_included"] = order.TaxesIncluded,
            ["tags"] = string.Join(", ", order.Tags),
            ["source_name"] = order.SourceName,
            ["discount_codes"] = new JsonArray([.. order.DiscountCodes.Select(c => (JsonNode)new JsonObject { ["code"] = c, ["type"] = "fixed_amount" })]),
            ["customer"] = customer is null ? null : new JsonObject
            {
                ["id"] = LegacyId(customer.Id),
                ["admin_graphql_api_id"] = customer.Id,
                ["email"] = customer.Email,
                ["first_name"] = customer.FirstName,
                ["last_name"] = customer.LastName,
            },
            ["line_items"] = lines,
        };
    }

    /// <summary>A REST money set: <c>{ shop_money: { amount, currency_code }, presentment_money: { ... } }</c>.</summary>
    private static JsonObject RestMoney(SimulatedOrder order, decimal amount) => new()
    {
        ["shop_money"] = new JsonObject { ["amount"] = Amount(ShopAmount(order, amount)), ["currency_code"] = order.CurrencyCode },
        ["presentment_money"] = new JsonObject { ["amount"] = Amount(amount), ["currency_code"] = order.PresentmentCurrencyCode ?? order.CurrencyCode },
    };

    private static long LegacyId(string globalId) => long.Parse(globalId[(globalId.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture);

    private static DateTimeOffset Seconds(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    private string NewId(string type) => "gid://shopify/" + type + "/" + (++_nextId).ToString(CultureInfo.InvariantCulture);
}
