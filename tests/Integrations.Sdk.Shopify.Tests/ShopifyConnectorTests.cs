using System.Net;
using System.Text.Json.Nodes;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Shopify.GraphQl;
using Integrations.Sdk.Shopify.Tests.Support;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static Integrations.Sdk.Shopify.Tests.Support.GraphQlJson;

namespace Integrations.Sdk.Shopify.Tests;

/// <summary>The connector against a fake Shopify (WireMock): the exact requests it sends and how it reads the answers.</summary>
public sealed class ShopifyConnectorTests : IDisposable
{
    private const string AccessTokenHeader = "X-Shopify-Access-Token";

    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = ShopifyTestHost.Clock();

    public void Dispose() => _server.Stop();

    private IRequestBuilder GraphQl(string operation) => Request.Create()
        .WithPath(GraphQlPath)
        .UsingPost()
        .WithHeader(AccessTokenHeader, ShopifyTestHost.Token)
        .WithBody(new WildcardMatcher($"*\"operationName\":\"{operation}\"*"));

    private void Answer(IRequestBuilder request, string body, int status = 200) =>
        _server.Given(request).RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithHeader("X-Request-Id", "req-1").WithBody(body));

    /// <summary>The connector on the fake clock; a large request budget, since the clock only moves when a test says so.</summary>
    private ServiceProvider Build(Action<ShopifyOptions>? shopify = null, Action<ConnectorHttpOptions>? http = null) =>
        ShopifyTestHost.Build(new Uri(_server.Url! + "/"), _time, shopify, http ?? (o => o.RateLimit = new RateLimitOptions { PermitsPerWindow = 10_000 }));

    [Fact]
    public async Task Orders_FullRead_SendsTheDocumentedQueryAndFollowsPagesUntilTheLast()
    {
        Answer(GraphQl("OrdersUpdatedSince").WithBody(new WildcardMatcher("*\"after\":null*")),
            OrdersPage(true, "cursor-page-1",
                Order(5001, "2026-11-27T10:00:00Z", "1234.50", Line("SKU-1", 2, "10.25") + "," + Line("SKU-2", 1, "1214.00", 4002, 9002)),
                Order(5002, "2026-11-27T10:05:00Z", "5.00", Line("SKU-1", 1, "5.00"))));
        Answer(GraphQl("OrdersUpdatedSince").WithBody(new WildcardMatcher("*\"after\":\"cursor-page-1\"*")),
            OrdersPage(false, "cursor-page-2", Order(5003, "2026-11-27T11:00:00Z", "7.10", Line("SKU-3", 3, "2.3666"))));
        await using var sp = Build();

        var records = await ShopifyTestHost.ToListAsync(sp.GetRequiredService<ShopifyConnector>().Orders.ReadAsync(null));

        records.Select(r => r.Value.Id).Should().Equal("gid://shopify/Order/5001", "gid://shopify/Order/5002", "gid://shopify/Order/5003");
        records.Select(r => r.Checkpoint).Should().Equal("2026-11-27T10:00:00.0000000Z", "2026-11-27T10:05:00.0000000Z", "2026-11-27T11:00:00.0000000Z");

        var first = records[0].Value;
        first.Name.Should().Be("#1001");
        first.Email.Should().Be("bob@example.com");
        first.DisplayFinancialStatus.Should().Be("PAID");
        first.CurrencyCode.Should().Be("EUR");
        first.TotalPrice.Should().Be(1234.50m);
        first.CreatedAt.Should().Be(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));
        first.Customer.Should().BeEquivalentTo(new ShopifyCustomer { Id = "gid://shopify/Customer/77", Email = "bob@example.com", FirstName = "Bob", LastName = "Stone" });
        first.LineItems.Should().HaveCount(2);
        first.LineItems[0].Should().BeEquivalentTo(new ShopifyLineItem
        {
            Sku = "SKU-1",
            Title = "Product SKU-1",
            Quantity = 2,
            UnitPrice = 10.25m,
            PresentmentUnitPrice = 10.25m, // no presentmentMoney in the answer: the shop money stands in
            VariantId = "gid://shopify/ProductVariant/4001",
            InventoryItemId = "gid://shopify/InventoryItem/9001",
        });
        records[2].Value.LineItems.Single().UnitPrice.Should().Be(2.3666m);

        _server.LogEntries.Should().HaveCount(2);
        var request = _server.LogEntries[0];
        request.RequestMessage!.Path.Should().Be("/admin/api/2026-10/graphql.json");
        request.RequestMessage.Headers![AccessTokenHeader].Should().Equal(ShopifyTestHost.Token);
        var body = Body(request);
        Text(body["operationName"]).Should().Be("OrdersUpdatedSince");
        var query = Text(body["query"]);
        query.Should().Contain("query OrdersUpdatedSince(")
            .And.Contain("orders(first: $first, after: $after, sortKey: UPDATED_AT, query: $query)")
            .And.Contain("pageInfo { hasNextPage endCursor }")
            .And.Contain("updatedAt")
            .And.Contain("displayFinancialStatus")
            .And.Contain("totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount } }")
            .And.Contain("defaultEmailAddress { emailAddress }")
            .And.Contain("lineItems(first: $lineItemsFirst)")
            .And.Contain("originalUnitPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount } }")
            .And.Contain("variant { id inventoryItem { id } }");
        var variables = Variables(request);
        variables["first"]!.GetValue<int>().Should().Be(8, "the default page keeps the query under Shopify's 1,000-point limit");
        variables["lineItemsFirst"]!.GetValue<int>().Should().Be(3);
        variables.Should().ContainKey("after").WhoseValue.Should().BeNull();
        variables.Should().ContainKey("query").WhoseValue.Should().BeNull("a full read has no filter");
        Text(Variables(_server.LogEntries[1])["after"]).Should().Be("cursor-page-1");
    }

    [Fact]
    public async Task Orders_ConfiguredPageSize_IsSentAsFirst()
    {
        Answer(GraphQl("OrdersUpdatedSince"), OrdersPage(false, null));
        await using var sp = Build(o =>
        {
            o.OrdersPageSize = 12;
            o.OrderLineItemsPageSize = 1;
        });

        var records = await ShopifyTestHost.ToListAsync(sp.GetRequiredService<ShopifyConnector>().Orders.ReadAsync(null));

        records.Should().BeEmpty();
        var variables = Variables(_server.LogEntries.Single());
        variables["first"]!.GetValue<int>().Should().Be(12);
        variables["lineItemsFirst"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task Orders_ResumedFromCheckpoint_FiltersFromTheCheckpointMinusTheOverlap()
    {
        Answer(GraphQl("OrdersUpdatedSince"), OrdersPage(false, null, Order(5001, "2026-11-27T09:58:00Z")));
        await using var sp = Build(o => o.UpdatedAtOverlap = TimeSpan.FromMinutes(5));

        var records = await ShopifyTestHost.ToListAsync(sp.GetRequiredService<ShopifyConnector>().Orders.ReadAsync("2026-11-27T10:00:00.1234567Z"));

        records.Should().ContainSingle();
        Text(Variables(_server.LogEntries.Single())["query"]).Should().Be("updated_at:>='2026-11-27T09:55:00Z'");
    }

    [Fact]
    public async Task Orders_UnreadableCheckpoint_ThrowsFormatExceptionNamingIt()
    {
        await using var sp = Build();

        var act = () => ShopifyTestHost.ToListAsync(sp.GetRequiredService<ShopifyConnector>().Orders.ReadAsync("yesterday"));

        (await act.Should().ThrowAsync<FormatException>()).WithMessage("*checkpoint 'yesterday'*");
        _server.LogEntries.Should().BeEmpty();
    }

    [Fact]
    public async Task Orders_MoreLineItemsThanThePageCarries_FetchesTheRestOfThatOrder()
    {
        Answer(GraphQl("OrdersUpdatedSince"), OrdersPage(false, "c1",
            Order(5001, "2026-11-27T10:00:00Z", "60.00", Line("A", 1, "10.00") + "," + Line("B", 1, "10.00"), moreLines: true, lineCursor: "line-2")));
        Answer(GraphQl("OrderLineItems").WithBody(new WildcardMatcher("*\"after\":\"line-2\"*")),
            Data("""{"order":{"lineItems":{"pageInfo":{"hasNextPage":true,"endCursor":"line-4"},"nodes":[""" + Line("C", 1, "10.00") + "," + Line("D", 1, "10.00") + "]}}}"));
        Answer(GraphQl("OrderLineItems").WithBody(new WildcardMatcher("*\"after\":\"line-4\"*")),
            Data("""{"order":{"lineItems":{"pageInfo":{"hasNextPage":false,"endCursor":"line-6"},"nodes":[""" + Line("E", 1, "10.00") + "," + Line("F", 1, "10.00") + "]}}}"));
        await using var sp = Build(o => o.OrderLineItemsPageSize = 2);

        var order = (await ShopifyTestHost.ToListAsync(sp.GetRequiredService<ShopifyConnector>().Orders.ReadAsync(null))).Single().Value;

        order.LineItems.Select(l => l.Sku).Should().Equal("A", "B", "C", "D", "E", "F");
        _server.LogEntries.Should().HaveCount(3);
        var followUp = Body(_server.LogEntries[1]);
        Text(followUp["query"]).Should().Contain("order(id: $id)").And.Contain("lineItems(first: $first, after: $after)");
        Text(followUp["variables"]!["id"]).Should().Be("gid://shopify/Order/5001");
        followUp["variables"]!["first"]!.GetValue<int>().Should().Be(40, "40 line items of 24 points keep the follow-up under 1,000 points");
    }

    private void AnswerInTurn(params string[] bodies)
    {
        for (var i = 0; i < bodies.Length; i++)
        {
            var step = _server.Given(GraphQl("OrdersUpdatedSince")).InScenario("turns");
            step = i == 0 ? step : step.WhenStateIs($"turn-{i}");
            step.WillSetStateTo($"turn-{i + 1}").RespondWith(Response.Create().WithStatusCode(200).WithBody(bodies[i]));
        }
    }

    private async Task<List<SourceRecord<ShopifyOrder>>> ReadRestartingAfterTwo(ServiceProvider sp)
    {
        var client = new ShopifyGraphQlClient(sp.GetRequiredService<IShopifyGraphQl>, "2026-10");
        return await ShopifyTestHost.ToListAsync(Internal.OrderReads.ReadAsync(client, new ShopifyOptions(), null, restartAfter: 2));
    }

    [Fact]
    public async Task Orders_DeepRead_RestartsFromTheLastUpdatedAtBeforeShopifysPagingLimit()
    {
        AnswerInTurn(
            OrdersPage(true, "c1", Order(5001, "2026-11-27T10:00:00Z"), Order(5002, "2026-11-27T10:05:00Z")),
            OrdersPage(true, "c2", Order(5002, "2026-11-27T10:05:00Z"), Order(5003, "2026-11-27T10:07:00Z")),
            OrdersPage(false, null, Order(5003, "2026-11-27T10:07:00Z")));
        await using var sp = Build();

        var records = await ReadRestartingAfterTwo(sp);

        records.Select(r => r.Value.Id[^4..]).Should().Equal("5001", "5002", "5002", "5003", "5003");
        records.Select(r => r.Value.UpdatedAt).Should().BeInAscendingOrder();
        _server.LogEntries.Select(e => (Text(Variables(e)["after"]), Text(Variables(e)["query"]))).Should().Equal(
            ("null", "null"),
            ("null", "updated_at:>='2026-11-27T10:05:00Z'"),
            ("null", "updated_at:>='2026-11-27T10:07:00Z'"));
    }

    [Fact]
    public async Task Orders_DeepReadWithinOneSecond_KeepsFollowingTheCursor()
    {
        AnswerInTurn(
            OrdersPage(true, "c1", Order(5001, "2026-11-27T10:00:00Z"), Order(5002, "2026-11-27T10:05:00Z")),
            OrdersPage(true, "c2", Order(5002, "2026-11-27T10:05:00Z"), Order(5004, "2026-11-27T10:05:00Z")),
            OrdersPage(false, null, Order(5003, "2026-11-27T10:07:00Z")));
        await using var sp = Build();

        var records = await ReadRestartingAfterTwo(sp);

        records.Select(r => r.Value.Id[^4..]).Should().Equal("5001", "5002", "5002", "5004", "5003");
        _server.LogEntries.Select(e => (Text(Variables(e)["after"]), Text(Variables(e)["query"]))).Should().Equal(
            ("null", "null"),
            ("null", "updated_at:>='2026-11-27T10:05:00Z'"),
            ("c2", "updated_at:>='2026-11-27T10:05:00Z'"));
    }

    [Fact]
    public async Task Orders_Throttled_IsRetriedAfterTheTimeTheBucketNeedsAndThenRead()
    {
        // 828 points asked, 628 available, 100 restored per second: 2 seconds.
        _server.Given(GraphQl("OrdersUpdatedSince")).InScenario("throttle").WillSetStateTo("restored")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(Throttled(828, 628, 100)));
        _server.Given(GraphQl("OrdersUpdatedSince")).InScenario("throttle").WhenStateIs("restored")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(OrdersPage(false, null, Order(5001, "2026-11-27T10:00:00Z"))));
        await using var sp = Build(http: _ => { }); // the shipped budget: 2 requests per second
        var logs = sp.GetFakeLogCollector();

        var read = ShopifyTestHost.ToListAsync(sp.GetRequiredService<ShopifyConnector>().Orders.ReadAsync(null));
        await ShopifyTestHost.Until(() => logs.GetSnapshot().Any(r => r.Id.Id == 1001), "the retry is scheduled");

        var retry = logs.GetSnapshot().Single(r => r.Id.Id == 1001);
        retry.Message.Should().Contain("00:00:02").And.Contain("429");
        _time.Advance(TimeSpan.FromMilliseconds(1900));
        read.IsCompleted.Should().BeFalse("the bucket needs 2 seconds to restore 200 points");
        _server.LogEntries.Should().HaveCount(1);

        _time.Advance(TimeSpan.FromMilliseconds(100));
        (await read).Should().ContainSingle();
        _server.LogEntries.Should().HaveCount(2);
    }

    [Fact]
    public async Task GraphQlError_IsNotRetried_AndThrowsWithTheFirstMessage()
    {
        Answer(GraphQl("OrdersUpdatedSince"),
            """{"errors":[{"message":"Access denied for orders field. Required access: `read_orders` access scope.","extensions":{"code":"ACCESS_DENIED"}}],"data":null}""");
        await using var sp = Build();

        var act = () => ShopifyTestHost.ToListAsync(sp.GetRequiredService<ShopifyConnector>().Orders.ReadAsync(null));

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.ErrorCode.Should().Be("ACCESS_DENIED");
        error.Message.Should().Contain("read_orders");
        error.IsRetryable.Should().BeFalse();
        error.MayHaveBeenApplied.Should().BeFalse();
        error.RequestId.Should().Be("req-1");
        _server.LogEntries.Should().HaveCount(1);
    }

    [Fact]
    public async Task InvalidToken_401_ThrowsWithShopifysMessageAndIsNotRetried()
    {
        _server.Given(Request.Create().WithPath(GraphQlPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(401)
            .WithBody("""{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}"""));
        await using var sp = Build();

        var act = () => sp.GetRequiredService<ShopifyConnector>().FindCustomerByEmailAsync("bob@example.com");

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        error.Message.Should().Contain("Invalid API key or access token").And.NotContain(ShopifyTestHost.Token);
        _server.LogEntries.Should().HaveCount(1);
    }

    [Fact]
    public async Task FindCustomerByEmail_SearchesByEmailAndPicksTheExactMatch()
    {
        Answer(GraphQl("CustomerByEmail"), Data("""
            {"customers":{"nodes":[
              {"id":"gid://shopify/Customer/1","firstName":"Bo","lastName":null,"defaultEmailAddress":{"emailAddress":"bob@example.com.au"}},
              {"id":"gid://shopify/Customer/2","firstName":"Bob","lastName":"Stone","defaultEmailAddress":{"emailAddress":"Bob@Example.com"}}]}}
            """));
        await using var sp = Build();

        var customer = await sp.GetRequiredService<ShopifyConnector>().FindCustomerByEmailAsync("bob@example.com");

        customer.Should().BeEquivalentTo(new ShopifyCustomer { Id = "gid://shopify/Customer/2", Email = "Bob@Example.com", FirstName = "Bob", LastName = "Stone" });
        var body = Body(_server.LogEntries.Single());
        Text(body["query"]).Should().Contain("customers(first: $first, query: $query)").And.Contain("defaultEmailAddress { emailAddress }");
        Text(body["variables"]!["query"]).Should().Be("email:\"bob@example.com\"");
    }

    [Fact]
    public async Task FindCustomerByEmail_NoMatch_ReturnsNull()
    {
        Answer(GraphQl("CustomerByEmail"), Data("""{"customers":{"nodes":[]}}"""));
        await using var sp = Build();

        (await sp.GetRequiredService<ShopifyConnector>().FindCustomerByEmailAsync("nobody@example.com")).Should().BeNull();
    }

    [Fact]
    public async Task FindVariantBySku_SearchesBySkuAndPicksTheExactSku()
    {
        Answer(GraphQl("VariantBySku"), Data("""
            {"productVariants":{"nodes":[
              {"id":"gid://shopify/ProductVariant/1","sku":"MUG-1-RED","title":"Red","price":"12.00","inventoryItem":{"id":"gid://shopify/InventoryItem/11"}},
              {"id":"gid://shopify/ProductVariant/2","sku":"MUG-1","title":"Default Title","price":"9.90","inventoryItem":{"id":"gid://shopify/InventoryItem/12"}}]}}
            """));
        await using var sp = Build();

        var variant = await sp.GetRequiredService<ShopifyConnector>().FindVariantBySkuAsync("MUG-1");

        variant.Should().BeEquivalentTo(new ShopifyVariant
        {
            Id = "gid://shopify/ProductVariant/2",
            Sku = "MUG-1",
            Title = "Default Title",
            Price = 9.90m,
            InventoryItemId = "gid://shopify/InventoryItem/12",
        });
        var body = Body(_server.LogEntries.Single());
        Text(body["query"]).Should().Contain("productVariants(first: $first, query: $query)").And.Contain("inventoryItem { id }");
        Text(body["variables"]!["query"]).Should().Be("sku:\"MUG-1\"");
    }

    [Fact]
    public async Task AdjustInventory_SendsTheMutationWithIdempotentKeyFromTheWriteContext()
    {
        Answer(GraphQl("AdjustInventory"), Data("""
            {"inventoryAdjustQuantities":{"inventoryAdjustmentGroup":{"id":"gid://shopify/InventoryAdjustmentGroup/77","createdAt":"2026-11-28T02:00:00Z","reason":"correction",
              "changes":[{"name":"available","delta":-3,"quantityAfterChange":7,"item":{"id":"gid://shopify/InventoryItem/9001"},"location":{"id":"gid://shopify/Location/1"}}]},
             "userErrors":[]}}
            """, Cost(10, 10)));
        await using var sp = Build();
        var write = new WriteContext("orders-to-stock", "shopify:order:5001", "stock", "0f5c2e5d9b7a4c1e8f6d3b2a1c0e9f8d7c6b5a41", 1, false);

        var result = await sp.GetRequiredService<ShopifyConnector>().AdjustInventory.ExecuteAsync(
            new InventoryAdjustment { InventoryItemId = "gid://shopify/InventoryItem/9001", LocationId = "gid://shopify/Location/1", Delta = -3 }, write);

        result.Should().BeEquivalentTo(new InventoryAdjustmentResult
        {
            AdjustmentGroupId = "gid://shopify/InventoryAdjustmentGroup/77",
            InventoryItemId = "gid://shopify/InventoryItem/9001",
            LocationId = "gid://shopify/Location/1",
            Delta = -3,
            QuantityAfterChange = 7,
        });
        sp.GetRequiredService<ShopifyConnector>().AdjustInventory.Safety.Should().Be(WriteSafety.IdempotencyKey);
        var body = Body(_server.LogEntries.Single());
        Text(body["operationName"]).Should().Be("AdjustInventory");
        Text(body["query"]).Should().Contain("mutation AdjustInventory($input: InventoryAdjustQuantitiesInput!, $key: String!)")
            .And.Contain("inventoryAdjustQuantities(input: $input) @idempotent(key: $key)")
            .And.Contain("userErrors { field message code }");
        var variables = (JsonObject)body["variables"]!;
        Text(variables["key"]).Should().Be(write.IdempotencyKey);
        var input = (JsonObject)variables["input"]!;
        Text(input["reason"]).Should().Be("correction");
        Text(input["name"]).Should().Be("available");
        var change = (JsonObject)input["changes"]!.AsArray().Single()!;
        change["delta"]!.GetValue<int>().Should().Be(-3);
        Text(change["inventoryItemId"]).Should().Be("gid://shopify/InventoryItem/9001");
        Text(change["locationId"]).Should().Be("gid://shopify/Location/1");
        change.Should().ContainKey("changeFromQuantity").WhoseValue.Should().BeNull("Shopify requires the field, null skips the compare-and-swap");
    }

    [Fact]
    public async Task AdjustInventory_UserErrors_ThrowNonRetryablePlatformExceptionNamingTheField()
    {
        Answer(GraphQl("AdjustInventory"), Data("""
            {"inventoryAdjustQuantities":{"inventoryAdjustmentGroup":null,
             "userErrors":[{"field":["input","changes","0","inventoryItemId"],"message":"The specified inventory item could not be found.","code":"INVALID_INVENTORY_ITEM"}]}}
            """, Cost(10, 10)));
        await using var sp = Build();
        var write = new WriteContext("s", "r", "stock", "key-1", 1, false);

        var act = () => sp.GetRequiredService<ShopifyConnector>().AdjustInventory.ExecuteAsync(
            new InventoryAdjustment { InventoryItemId = "gid://shopify/InventoryItem/404", LocationId = "gid://shopify/Location/1", Delta = 1 }, write);

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.ErrorCode.Should().Be("INVALID_INVENTORY_ITEM");
        error.Message.Should().Contain("input.changes.0.inventoryItemId").And.Contain("could not be found");
        error.IsRetryable.Should().BeFalse();
        error.MayHaveBeenApplied.Should().BeFalse();
        _server.LogEntries.Should().HaveCount(1);
    }

    [Fact]
    public async Task AdjustInventory_ServerErrorAfterSending_IsRetriedWithTheSameKey()
    {
        _server.Given(GraphQl("AdjustInventory")).InScenario("flaky").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("""{"errors":"Internal error"}"""));
        _server.Given(GraphQl("AdjustInventory")).InScenario("flaky").WhenStateIs("up")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(Data(
                """{"inventoryAdjustQuantities":{"inventoryAdjustmentGroup":{"id":"gid://shopify/InventoryAdjustmentGroup/1","changes":[]},"userErrors":[]}}""")));
        await using var sp = Build(http: o =>
        {
            o.RetryBaseDelay = TimeSpan.Zero;
            o.RateLimit = new RateLimitOptions { PermitsPerWindow = 10_000 };
        });
        var write = new WriteContext("s", "r", "stock", "the-key", 1, false);

        var result = await sp.GetRequiredService<ShopifyConnector>().AdjustInventory.ExecuteAsync(
            new InventoryAdjustment { InventoryItemId = "gid://shopify/InventoryItem/1", LocationId = "gid://shopify/Location/1", Delta = 1 }, write);

        result.AdjustmentGroupId.Should().Be("gid://shopify/InventoryAdjustmentGroup/1");
        _server.LogEntries.Should().HaveCount(2, "the mutation carries @idempotent, so a 503 after sending may be replayed");
        _server.LogEntries.Select(e => Text(Variables(e)["key"])).Should().AllBe("the-key");
    }

    [Fact]
    public async Task UnreadableData_ThrowsInvalidResponseWithUnknownEffect()
    {
        Answer(GraphQl("AdjustInventory"), Data("""{"inventoryAdjustQuantities":{"userErrors":"nope"}}"""));
        await using var sp = Build();

        var act = () => sp.GetRequiredService<ShopifyConnector>().AdjustInventory.ExecuteAsync(
            new InventoryAdjustment { InventoryItemId = "i", LocationId = "l", Delta = 1 }, new WriteContext("s", "r", "stock", "k", 1, false));

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.ErrorCode.Should().Be("invalid_response");
        error.MayHaveBeenApplied.Should().BeTrue();
    }
}
