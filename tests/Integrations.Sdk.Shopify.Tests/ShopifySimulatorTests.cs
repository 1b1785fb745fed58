using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.Shopify.GraphQl;
using Integrations.Sdk.Shopify.Tests.Support;
using Integrations.Sdk.State;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.Shopify;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace Integrations.Sdk.Shopify.Tests;

/// <summary>The connector against the simulator, over real loopback HTTP and real time (bounded and fast).</summary>
public sealed class ShopifySimulatorTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Earlier = ShopifyTestHost.Start.AddDays(-2);

    private ShopifySimulator _shop = new(new ShopifySimulatorOptions { RestoreRate = 1_000_000 });

    public Task InitializeAsync() => _shop.StartAsync();

    public async Task DisposeAsync() => await _shop.DisposeAsync();

    private async Task UseShop(ShopifySimulator shop)
    {
        await _shop.DisposeAsync();
        _shop = shop;
        await _shop.StartAsync();
    }

    private ServiceProvider Connect(Action<ShopifyOptions>? shopify = null, Action<Transport.ConnectorHttpOptions>? http = null, Action<IIntegrationsBuilder>? integrations = null) =>
        ShopifyTestHost.Build(_shop.BaseAddress, TimeProvider.System, shopify, http ?? ShopifyTestHost.FastTransport, integrations, _shop.Options.AccessToken);

    private static WriteContext Write(string key) => new("orders-to-stock", "shopify:order:1", "stock", key, 1, false);

    [Fact]
    public async Task Orders_600AndTies_AreEachReadOnceInUpdatedAtOrder()
    {
        _shop.SeedOrders(600, Earlier, TimeSpan.FromSeconds(10));
        var tie = Earlier.AddMinutes(30);
        for (var i = 0; i < 30; i++)
        {
            _shop.AddOrder($"tie{i}@example.com", [new SimulatedOrderLine("SEED-001", 1)], updatedAt: tie);
        }

        await using var sp = Connect();

        var records = await ShopifyTestHost.ToListAsync(sp.GetRequiredService<ShopifyConnector>().Orders.ReadAsync(null));

        records.Should().HaveCount(630);
        records.Select(r => r.Value.Id).Should().OnlyHaveUniqueItems().And.Equal(_shop.Orders.Select(o => o.Id));
        records.Select(r => r.Value.UpdatedAt).Should().BeInAscendingOrder();
        records.Select(r => r.Checkpoint).Should().Equal(records.Select(r => r.Value.UpdatedAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
        var expected = _shop.Orders[17];
        records[17].Value.TotalPrice.Should().Be(expected.TotalPrice);
        records[17].Value.LineItems.Select(l => (l.Sku, l.Quantity, l.UnitPrice)).Should().Equal(expected.LineItems.Select(l => (l.Sku, l.Quantity, l.UnitPrice)));
        _shop.OperationCounts["OrdersUpdatedSince"].Should().Be(79, "630 orders in pages of 8");
    }

    [Fact]
    public async Task Orders_ResumedFromACheckpoint_ReturnChangesSinceItAndTheOverlapOnly()
    {
        var seeded = _shop.SeedOrders(20, Earlier, TimeSpan.FromMinutes(1));
        await using var sp = Connect();
        var orders = sp.GetRequiredService<ShopifyConnector>().Orders;
        var checkpoint = (await ShopifyTestHost.ToListAsync(orders.ReadAsync(null)))[^1].Checkpoint;

        var changed = _shop.UpdateOrder(seeded[2].Id, "REFUNDED", Earlier.AddHours(1));
        var added = _shop.AddOrder("new@example.com", [new SimulatedOrderLine("SEED-002", 2)], updatedAt: Earlier.AddHours(2));
        var resumed = await ShopifyTestHost.ToListAsync(orders.ReadAsync(checkpoint));

        var since = DateTimeOffset.Parse(checkpoint!, System.Globalization.CultureInfo.InvariantCulture) - TimeSpan.FromMinutes(5);
        resumed.Select(r => r.Value.Id).Should().Equal(_shop.Orders.Where(o => o.UpdatedAt >= since).Select(o => o.Id));
        resumed.Should().HaveCount(6 + 2, "five minutes of overlap re-read the last six seeded orders, then the change and the new order");
        resumed[^2].Value.Should().Match<ShopifyOrder>(o => o.Id == changed.Id && o.DisplayFinancialStatus == "REFUNDED");
        resumed[^1].Value.Id.Should().Be(added.Id);
        resumed[^1].Checkpoint.Should().Be(added.UpdatedAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Orders_WhenTheBucketIsEmpty_AreThrottledThenStillAllRead()
    {
        await UseShop(new ShopifySimulator(new ShopifySimulatorOptions { MaximumAvailable = 1000, RestoreRate = 4000 }));
        _shop.SeedOrders(200, Earlier, TimeSpan.FromSeconds(1));
        _shop.SetAvailablePoints(0);
        await using var sp = Connect();

        var records = await ShopifyTestHost.ToListAsync(sp.GetRequiredService<ShopifyConnector>().Orders.ReadAsync(null));

        records.Select(r => r.Value.Id).Should().OnlyHaveUniqueItems().And.HaveCount(200);
        _shop.ThrottledResponses.Should().BeGreaterThanOrEqualTo(1);
        sp.GetFakeLogCollector().GetSnapshot().Should().Contain(r => r.Id.Id == 1001 && r.Message.Contains("429", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lookups_FindTheCustomerByEmailAndTheVariantBySku()
    {
        var bob = _shop.AddCustomer("Bob@Example.com", "Bob", "Stone");
        var mug = _shop.AddProduct("MUG-1", "Mug", 9.90m, available: 4);
        _shop.AddProduct("MUG-1-RED", "Red mug", 11m);
        await using var sp = Connect();
        var connector = sp.GetRequiredService<ShopifyConnector>();

        (await connector.FindCustomerByEmailAsync("bob@example.com")).Should().BeEquivalentTo(new ShopifyCustomer { Id = bob.Id, Email = "Bob@Example.com", FirstName = "Bob", LastName = "Stone" });
        (await connector.FindCustomerByEmailAsync("alice@example.com")).Should().BeNull();
        (await connector.FindVariantBySkuAsync("MUG-1")).Should().BeEquivalentTo(new ShopifyVariant
        {
            Id = mug.Id,
            Sku = "MUG-1",
            Title = "Default Title",
            Price = 9.90m,
            InventoryItemId = mug.InventoryItemId,
        });
        (await connector.FindVariantBySkuAsync("MUG-2")).Should().BeNull();
    }

    [Fact]
    public async Task AdjustInventory_SentTwiceWithTheSameKey_IsAppliedOnce()
    {
        var mug = _shop.AddProduct("MUG-1", "Mug", 9.90m, available: 10);
        await using var sp = Connect();
        var adjust = sp.GetRequiredService<ShopifyConnector>().AdjustInventory;
        var input = new InventoryAdjustment { InventoryItemId = mug.InventoryItemId, LocationId = _shop.DefaultLocationId, Delta = -3 };

        var first = await adjust.ExecuteAsync(input, Write("key-1"));
        var second = await adjust.ExecuteAsync(input, Write("key-1"));

        second.Should().BeEquivalentTo(first);
        first.QuantityAfterChange.Should().Be(7);
        _shop.InventoryLevel("MUG-1").Should().Be(7);
        _shop.AdjustmentsApplied.Should().Be(1);
        _shop.IdempotentReplays.Should().Be(1);
        _shop.DuplicateAdjustments.Should().Be(0);
    }

    [Fact]
    public async Task AdjustInventory_CommitThenDrop_TransportRetriesWithTheSameKeyAndItAppliesOnce()
    {
        var mug = _shop.AddProduct("MUG-1", "Mug", 9.90m, available: 10);
        _shop.Faults.Add(ShopifySimulator.InventoryAdjustEndpoint, FaultKind.CommitThenDrop);
        await using var sp = Connect();

        var result = await sp.GetRequiredService<ShopifyConnector>().AdjustInventory.ExecuteAsync(
            new InventoryAdjustment { InventoryItemId = mug.InventoryItemId, LocationId = _shop.DefaultLocationId, Delta = -3 }, Write("key-1"));

        result.QuantityAfterChange.Should().Be(7);
        _shop.Faults.Injected[FaultKind.CommitThenDrop].Should().Be(1);
        _shop.InventoryLevel("MUG-1").Should().Be(7);
        _shop.AdjustmentsApplied.Should().Be(1);
        _shop.IdempotentReplays.Should().Be(1, "the retry was answered from the key");
    }

    [Fact]
    public async Task AdjustInventory_CommitThenDropWithoutTransportRetries_RetriedLaterWithTheSameKeyAppliesOnce()
    {
        var mug = _shop.AddProduct("MUG-1", "Mug", 9.90m, available: 10);
        _shop.Faults.Add(ShopifySimulator.InventoryAdjustEndpoint, FaultKind.CommitThenDrop);
        await using var sp = Connect(http: o =>
        {
            ShopifyTestHost.FastTransport(o);
            o.MaxRetryAttempts = 0;
        });
        var adjust = sp.GetRequiredService<ShopifyConnector>().AdjustInventory;
        var input = new InventoryAdjustment { InventoryItemId = mug.InventoryItemId, LocationId = _shop.DefaultLocationId, Delta = -3 };

        var lost = () => adjust.ExecuteAsync(input, Write("key-1"));
        (await lost.Should().ThrowAsync<PlatformException>()).Which.MayHaveBeenApplied.Should().BeTrue();
        _shop.InventoryLevel("MUG-1").Should().Be(7, "the change was applied before the connection dropped");

        var retried = await adjust.ExecuteAsync(input, Write("key-1"));

        retried.QuantityAfterChange.Should().Be(7);
        _shop.InventoryLevel("MUG-1").Should().Be(7);
        _shop.AdjustmentsApplied.Should().Be(1);
        _shop.DuplicateAdjustments.Should().Be(0);
    }

    [Fact]
    public async Task AdjustInventory_SameKeyOtherInput_IsRefusedAsAParameterMismatch()
    {
        var mug = _shop.AddProduct("MUG-1", "Mug", 9.90m, available: 10);
        await using var sp = Connect();
        var adjust = sp.GetRequiredService<ShopifyConnector>().AdjustInventory;
        await adjust.ExecuteAsync(new InventoryAdjustment { InventoryItemId = mug.InventoryItemId, LocationId = _shop.DefaultLocationId, Delta = -3 }, Write("key-1"));

        var act = () => adjust.ExecuteAsync(new InventoryAdjustment { InventoryItemId = mug.InventoryItemId, LocationId = _shop.DefaultLocationId, Delta = -4 }, Write("key-1"));

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.ErrorCode.Should().Be("IDEMPOTENCY_KEY_PARAMETER_MISMATCH");
        error.IsRetryable.Should().BeFalse();
        _shop.InventoryLevel("MUG-1").Should().Be(7);
    }

    [Theory]
    [InlineData("gid://shopify/InventoryItem/404", null, "INVALID_INVENTORY_ITEM", "input.changes.0.inventoryItemId")]
    [InlineData(null, 99, "CHANGE_FROM_QUANTITY_STALE", "input.changes.0.changeFromQuantity")]
    public async Task AdjustInventory_Refused_ThrowsShopifysCodeNamingTheFieldAndChangesNothing(string? item, int? changeFrom, string code, string field)
    {
        var mug = _shop.AddProduct("MUG-1", "Mug", 9.90m, available: 10);
        await using var sp = Connect();

        var act = () => sp.GetRequiredService<ShopifyConnector>().AdjustInventory.ExecuteAsync(
            new InventoryAdjustment { InventoryItemId = item ?? mug.InventoryItemId, LocationId = _shop.DefaultLocationId, Delta = -3, ChangeFromQuantity = changeFrom },
            Write("key-1"));

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.ErrorCode.Should().Be(code);
        error.Message.Should().Contain(field);
        error.IsRetryable.Should().BeFalse();
        error.MayHaveBeenApplied.Should().BeFalse();
        _shop.InventoryLevel("MUG-1").Should().Be(10);
    }

    [Fact]
    public async Task AdjustInventory_WithMatchingChangeFromQuantity_IsApplied()
    {
        var mug = _shop.AddProduct("MUG-1", "Mug", 9.90m, available: 10);
        await using var sp = Connect();

        var result = await sp.GetRequiredService<ShopifyConnector>().AdjustInventory.ExecuteAsync(
            new InventoryAdjustment { InventoryItemId = mug.InventoryItemId, LocationId = _shop.DefaultLocationId, Delta = 5, ChangeFromQuantity = 10, Reason = "received" },
            Write("key-1"));

        result.QuantityAfterChange.Should().Be(15);
        _shop.Adjustments.Single().Reason.Should().Be("received");
    }

    [Fact]
    public async Task Mutation_WithoutIdempotentDirective_IsRefusedLikeShopify()
    {
        var mug = _shop.AddProduct("MUG-1", "Mug", 9.90m, available: 10);
        await using var sp = Connect();
        const string document = """
            mutation AdjustInventory($input: InventoryAdjustQuantitiesInput!) {
              inventoryAdjustQuantities(input: $input) { userErrors { field message code } }
            }
            """;
        var variables = JsonSerializer.SerializeToElement(new JsonObject
        {
            ["input"] = new JsonObject
            {
                ["reason"] = "correction",
                ["name"] = "available",
                ["changes"] = new JsonArray(new JsonObject { ["delta"] = 1, ["inventoryItemId"] = mug.InventoryItemId, ["locationId"] = _shop.DefaultLocationId, ["changeFromQuantity"] = null }),
            },
        });

        var act = () => sp.GetRequiredService<IShopifyGraphQl>().ExecuteAsync("2026-10", new ShopifyGraphQlRequest(document, variables, "AdjustInventory"), replaySafe: false);

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.Message.Should().Contain("@idempotent");
        error.IsRetryable.Should().BeFalse();
        _shop.InventoryLevel("MUG-1").Should().Be(10);
    }

    [Fact]
    public async Task Endpoint_ChecksTokenVersionCostAndAnswersLikeShopify()
    {
        await UseShop(new ShopifySimulator(new ShopifySimulatorOptions { RestoreRate = 1 }));
        using var http = new HttpClient { BaseAddress = _shop.BaseAddress };
        Task<HttpResponseMessage> Post(string version, string? token, string body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"admin/api/{version}/graphql.json") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (token is not null)
            {
                request.Headers.Add("X-Shopify-Access-Token", token);
            }

            return http.SendAsync(request);
        }

        // Requested cost by Shopify's rules: orders connection 2 + pageInfo 1 + 250 × (order 1 + customer 1 +
        // defaultEmailAddress 1 + totalPriceSet 1 + shopMoney 1 + lineItems connection 2 + pageInfo 1 + 10 × 5).
        var orders = GraphQlRequest("OrdersUpdatedSince", """
            query OrdersUpdatedSince($first: Int!, $lineItemsFirst: Int!) {
              orders(first: $first, sortKey: UPDATED_AT) {
                pageInfo { hasNextPage endCursor }
                nodes {
                  id
                  customer { id defaultEmailAddress { emailAddress } }
                  totalPriceSet { shopMoney { amount } }
                  lineItems(first: $lineItemsFirst) {
                    pageInfo { hasNextPage }
                    nodes { sku originalUnitPriceSet { shopMoney { amount } } variant { id inventoryItem { id } } }
                  }
                }
              }
            }
            """, new JsonObject { ["first"] = 250, ["lineItemsFirst"] = 10 });

        (await Post("2026-10", null, orders)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await Post("2026-10", "wrong", orders)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await Post("2027-01", _shop.Options.AccessToken, orders)).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var tooCostly = await Post("2026-10", _shop.Options.AccessToken, orders);
        tooCostly.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = JsonNode.Parse(await tooCostly.Content.ReadAsStringAsync())!;
        body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>().Should().Be("MAX_COST_EXCEEDED");
        body["extensions"]!["cost"]!["requestedQueryCost"]!.GetValue<int>().Should().Be(3 + (250 * (8 + 50)));

        _shop.SetAvailablePoints(0);
        var throttled = await Post("2026-10", _shop.Options.AccessToken, GraphQlRequest(
            "VariantBySku",
            "query VariantBySku($first: Int!, $query: String!) { productVariants(first: $first, query: $query) { nodes { id sku inventoryItem { id } } } }",
            new JsonObject { ["first"] = 5, ["query"] = "sku:\"A\"" }));
        throttled.StatusCode.Should().Be(HttpStatusCode.OK);
        var throttledBody = JsonNode.Parse(await throttled.Content.ReadAsStringAsync())!;
        throttledBody["errors"]![0]!["message"]!.GetValue<string>().Should().Be("Throttled");
        throttledBody["errors"]![0]!["extensions"]!["code"]!.GetValue<string>().Should().Be("THROTTLED");
        throttledBody["extensions"]!["cost"]!["throttleStatus"]!["restoreRate"]!.GetValue<double>().Should().Be(1);
        throttledBody["extensions"]!["cost"]!["requestedQueryCost"]!.GetValue<int>().Should().Be(2 + (5 * 2)); // connection 2 + 5 × (variant 1 + inventoryItem 1)
        _shop.ThrottledResponses.Should().Be(1);
    }

    [Fact]
    public async Task Endpoint_CostsTheDocumentSent_ByShopifysRules()
    {
        // Regression: the simulator once charged a fixed formula per operation (the connector's own estimate), so a
        // connector that asked for more fields than it budgeted for could not be caught.
        await UseShop(new ShopifySimulator());
        _shop.SeedOrders(3);
        using var http = new HttpClient { BaseAddress = _shop.BaseAddress };
        async Task<JsonNode> Cost(string operation, string document, JsonObject variables)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"admin/api/{_shop.Options.ApiVersion}/graphql.json")
            {
                Content = new StringContent(GraphQlRequest(operation, document, variables), Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Shopify-Access-Token", _shop.Options.AccessToken);
            using var response = await http.SendAsync(request);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["extensions"]!["cost"]!;
        }

        var lean = await Cost("OrdersUpdatedSince", "query OrdersUpdatedSince($first: Int!) { orders(first: $first) { nodes { id name } } }", new JsonObject { ["first"] = 10, ["lineItemsFirst"] = 1 });
        lean["requestedQueryCost"]!.GetValue<int>().Should().Be(2 + 10);  // connection 2 + 10 orders; scalars cost nothing
        lean["actualQueryCost"]!.GetValue<int>().Should().Be(2 + 3);      // only 3 orders came back

        var withTotals = await Cost("OrdersUpdatedSince", "query OrdersUpdatedSince { orders(first: 10) { pageInfo { hasNextPage } nodes { totalPriceSet { shopMoney { amount } } } } }", new JsonObject { ["first"] = 10, ["lineItemsFirst"] = 1 });
        withTotals["requestedQueryCost"]!.GetValue<int>().Should().Be(2 + 1 + (10 * 3));

        var mutation = await Cost("AdjustInventory", """
            mutation AdjustInventory($input: InventoryAdjustQuantitiesInput!) {
              inventoryAdjustQuantities(input: $input) @idempotent(key: "k-1") { userErrors { field message } }
            }
            """, new JsonObject { ["input"] = new JsonObject { ["name"] = "available", ["reason"] = "correction", ["changes"] = new JsonArray() } });
        mutation["requestedQueryCost"]!.GetValue<int>().Should().Be(10);
    }

    private static string GraphQlRequest(string operation, string document, JsonObject variables) =>
        new JsonObject { ["query"] = document, ["operationName"] = operation, ["variables"] = variables }.ToJsonString();

    [Fact]
    public async Task Connector_OnAVersionTheShopDoesNotServe_Gets404()
    {
        await using var sp = Connect(o => o.ApiVersion = "2027-01");

        var act = () => sp.GetRequiredService<ShopifyConnector>().FindVariantBySkuAsync("A");

        (await act.Should().ThrowAsync<PlatformException>()).Which.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SaveAndLoad_AnotherInstanceServesTheSameOrdersStockAndKeys()
    {
        _shop.SeedOrders(40, Earlier, TimeSpan.FromMinutes(1));
        var mug = _shop.AddProduct("MUG-1", "Mug", 9.90m, available: 10);
        var input = new InventoryAdjustment { InventoryItemId = mug.InventoryItemId, LocationId = _shop.DefaultLocationId, Delta = -3 };
        List<SourceRecord<ShopifyOrder>> before;
        await using (var sp = Connect())
        {
            before = await ShopifyTestHost.ToListAsync(sp.GetRequiredService<ShopifyConnector>().Orders.ReadAsync(null));
            await sp.GetRequiredService<ShopifyConnector>().AdjustInventory.ExecuteAsync(input, Write("key-1"));
        }

        var path = Path.Combine(Path.GetTempPath(), $"shopify-simulator-{Guid.NewGuid():N}.json");
        try
        {
            await _shop.SaveAsync(path);
            await UseShop(await ShopifySimulator.LoadAsync(path));
            await using var sp = Connect();

            var after = await ShopifyTestHost.ToListAsync(sp.GetRequiredService<ShopifyConnector>().Orders.ReadAsync(null));
            await sp.GetRequiredService<ShopifyConnector>().AdjustInventory.ExecuteAsync(input, Write("key-1"));

            after.Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
            _shop.InventoryLevel("MUG-1").Should().Be(7, "the saved key was remembered, so the repeat was not applied");
            _shop.AdjustmentsApplied.Should().Be(1);
            _shop.Customers.Should().HaveCount(before.Select(r => r.Value.Email).Distinct().Count());
            _shop.AddOrder("next@example.com", [new SimulatedOrderLine("MUG-1", 1)]).Name.Should().Be("#1041", "order numbers continue");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task OrderWebhook_IsVerifiedByTheConnectorAndReadsAsTheSameOrder()
    {
        var order = _shop.SeedOrders(1, Earlier).Single();
        await using var sp = Connect();
        var source = new ShopifyWebhookSource(Options.Create(new ShopifyOptions { WebhookSecret = _shop.Options.WebhookSecret }));
        var webhook = _shop.CreateOrderWebhook("orders/paid", order.Id);
        var request = new WebhookRequest("POST", new Uri("https://host.example/webhooks/shopify"), webhook.Headers, webhook.Body);

        source.Verify(request).IsValid.Should().BeTrue();
        var e = source.Parse(request).Single();
        e.EventType.Should().Be("orders/paid");
        e.EventId.Should().Be(webhook.Headers["X-Shopify-Event-Id"]);
        var fromWebhook = ShopifyWebhookSource.ReadOrder(e.Payload);
        var fromQuery = (await ShopifyTestHost.ToListAsync(sp.GetRequiredService<ShopifyConnector>().Orders.ReadAsync(null))).Single().Value;
        fromWebhook.Should().BeEquivalentTo(fromQuery, o => o.Excluding(x => x.LineItems).Excluding(x => x.Customer));
        fromWebhook.Customer!.Id.Should().Be(fromQuery.Customer!.Id);
        fromWebhook.LineItems.Select(l => (l.Sku, l.Quantity, l.UnitPrice, l.VariantId)).Should().Equal(fromQuery.LineItems.Select(l => (l.Sku, l.Quantity, l.UnitPrice, l.VariantId)));
        source.Verify(new WebhookRequest("POST", request.Url, webhook.WithHeader("X-Shopify-Hmac-Sha256", "AAAA").Headers, webhook.Body)).IsValid.Should().BeFalse();
    }

    [Fact]
    public async Task Sync_OrdersToStockAdjustments_UnderFaults_AppliesEachPaidOrderOnce()
    {
        var mug = _shop.AddProduct("MUG-1", "Mug", 9.90m, available: 1000);
        for (var i = 0; i < 40; i++)
        {
            _shop.AddOrder($"c{i}@example.com", [new SimulatedOrderLine("MUG-1", (i % 3) + 1)], i % 4 == 0 ? "PENDING" : "PAID", Earlier.AddMinutes(i));
        }

        var location = _shop.DefaultLocationId;
        _shop.Faults.SetRandom(0.3, seed: 7, FaultKind.CommitThenDrop, FaultKind.ServerError, FaultKind.ConnectionReset);
        // Random faults hit every operation; enough transport retries make a read that fails 9 times in a row (0.3^9) the only way to fail.
        await using var sp = Connect(http: o =>
        {
            ShopifyTestHost.FastTransport(o);
            o.MaxRetryAttempts = 8;
        }, integrations: i => i.AddSync<ShopifyOrder>("orders-to-stock", s => s
            .FromIncremental<ShopifyConnector>(c => c.Orders)
            .Key(o => $"shopify:order:{o.Id}")
            .Where(o => o.DisplayFinancialStatus == "PAID")
            .WithStepRetries(6, TimeSpan.FromMilliseconds(5))
            .Step("stock", p => p.GetRequiredService<ShopifyConnector>().AdjustInventory, (o, _) => new InventoryAdjustment
            {
                InventoryItemId = o.LineItems[0].InventoryItemId!,
                LocationId = location,
                Delta = -o.LineItems[0].Quantity,
            })));
        var runner = sp.GetRequiredService<ISyncRunner>();

        var first = await runner.RunAsync("orders-to-stock");
        _shop.Faults.Clear();
        var second = await runner.RunAsync("orders-to-stock", new RunOptions { FullRefresh = true });

        var paid = _shop.Orders.Where(o => o.FinancialStatus == "PAID").ToList();
        first.Summary.Status.Should().Be(RunStatus.Succeeded, first.ToString());
        first.Summary.Completed.Should().Be(paid.Count);
        first.Summary.Filtered.Should().Be(40 - paid.Count);
        _shop.Faults.InjectedTotal.Should().BeGreaterThan(0);
        second.Summary.Completed.Should().Be(0, "every order is in the step memo");
        second.Summary.Skipped.Should().Be(paid.Count);
        _shop.AdjustmentsApplied.Should().Be(paid.Count);
        _shop.DuplicateAdjustments.Should().Be(0);
        _shop.InventoryLevel("MUG-1").Should().Be(1000 - paid.Sum(o => o.LineItems[0].Quantity));
        mug.Sku.Should().Be("MUG-1");
    }
}
