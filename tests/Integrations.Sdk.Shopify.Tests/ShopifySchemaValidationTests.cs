using Integrations.Sdk.Testing.Conformance;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Integrations.Sdk.Shopify.GraphQl;
using Integrations.Sdk.Testing.Shopify;

namespace Integrations.Sdk.Shopify.Tests;

/// <summary>
/// The simulator parses each document and checks it against its subset of the Admin API schema (2026-01), answering
/// what Shopify answers to an invalid document: HTTP 200, <c>errors</c> with message, locations, path and code, and
/// nothing run or charged.
/// </summary>
public sealed class ShopifySchemaValidationTests : IAsyncLifetime
{
    private readonly ShopifySimulator _shop = new();
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        await _shop.StartAsync();
        _http = new HttpClient { BaseAddress = _shop.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _shop.DisposeAsync();
    }

    public static TheoryData<string, string> ConnectorDocuments => new()
    {
        { ShopifyOperations.Orders, ShopifyOperations.OrdersDocument },
        { ShopifyOperations.OrderLineItems, ShopifyOperations.OrderLineItemsDocument },
        { ShopifyOperations.CustomerByEmail, ShopifyOperations.CustomerByEmailDocument },
        { ShopifyOperations.VariantBySku, ShopifyOperations.VariantBySkuDocument },
        { ShopifyOperations.AdjustInventory, ShopifyOperations.AdjustInventoryDocument },
    };

    [Theory]
    [MemberData(nameof(ConnectorDocuments))]
    public async Task EveryDocumentTheConnectorSends_IsValidAgainstTheSchema(string operation, string document)
    {
        var variables = new JsonObject
        {
            ["first"] = 5, ["lineItemsFirst"] = 5, ["query"] = "sku:\"A\"", ["id"] = "gid://shopify/Order/1", ["key"] = "k-1",
            ["input"] = new JsonObject { ["name"] = "available", ["reason"] = "correction", ["changes"] = new JsonArray() },
        };

        var (status, body) = await PostAsync(operation, document, variables);

        status.Should().Be(HttpStatusCode.OK);
        body["errors"].Should().BeNull(body.ToJsonString());
        body["data"].Should().NotBeNull();
    }

    [Fact]
    public async Task UnknownField_IsRefusedNamingTheFieldAndItsType_AndNothingIsCharged()
    {
        _shop.Conformance = ConformanceMode.Record; // a document the schema refuses, on purpose

        var before = _shop.AvailablePoints;
        const string document = """
            query OrdersUpdatedSince($first: Int!) {
              orders(first: $first) {
                nodes { id totalPriceSet { shopMoney { amount } } fulfilmentColour }
              }
            }
            """;

        var (status, body) = await PostAsync(ShopifyOperations.Orders, document, new JsonObject { ["first"] = 5, ["lineItemsFirst"] = 1 });

        status.Should().Be(HttpStatusCode.OK, "Shopify answers an invalid document with 200 and its errors");
        body["data"].Should().BeNull();
        var error = body["errors"]!.AsArray().Should().ContainSingle().Subject!;
        error["message"]!.GetValue<string>().Should().Be("Field 'fulfilmentColour' doesn't exist on type 'Order'");
        error["locations"]![0]!["line"]!.GetValue<int>().Should().Be(3);
        error["locations"]![0]!["column"]!.GetValue<int>().Should().Be(55);
        error["path"]!.AsArray().Select(p => p!.GetValue<string>()).Should().Equal("query OrdersUpdatedSince", "orders", "nodes", "fulfilmentColour");
        error["extensions"]!["code"]!.GetValue<string>().Should().Be("undefinedField");
        error["extensions"]!["typeName"]!.GetValue<string>().Should().Be("Order");
        _shop.OperationCounts.Should().NotContainKey(ShopifyOperations.Orders, "a refused document is not run");
        _shop.AvailablePoints.Should().BeGreaterThanOrEqualTo(before, "nor charged");
    }

    [Fact]
    public async Task UnknownArgument_IsRefusedNamingTheArgumentAndTheField()
    {
        _shop.Conformance = ConformanceMode.Record; // a document the schema refuses, on purpose

        const string document = """
            query VariantBySku($first: Int!, $query: String!) {
              productVariants(first: $first, query: $query, sku: "A") { nodes { id sku } }
            }
            """;

        var (status, body) = await PostAsync(ShopifyOperations.VariantBySku, document, new JsonObject { ["first"] = 5, ["query"] = "sku:\"A\"" });

        status.Should().Be(HttpStatusCode.OK);
        var error = body["errors"]!.AsArray().Should().ContainSingle().Subject!;
        error["message"]!.GetValue<string>().Should().Be("Field 'productVariants' doesn't accept argument 'sku'");
        error["extensions"]!["code"]!.GetValue<string>().Should().Be("argumentNotAccepted");
        error["extensions"]!["argumentName"]!.GetValue<string>().Should().Be("sku");
        error["path"]!.AsArray().Select(p => p!.GetValue<string>()).Should().Equal("query VariantBySku", "productVariants", "sku");
    }

    [Fact]
    public async Task SeveralMistakes_AreAllReported_WithShopifysCodes()
    {
        _shop.Conformance = ConformanceMode.Record; // a document the schema refuses, on purpose

        const string document = """
            query OrdersUpdatedSince($first: Int!, $since: DateTimeish) {
              orders(first: $first, sortKey: UPDATED) {
                nodes { id customer ...Missing lineItems(first: 1) { nodes { sku { value } } } }
              }
              order { id }
            }
            fragment Unused on Shipment { id }
            """;

        var (_, body) = await PostAsync(ShopifyOperations.Orders, document, new JsonObject { ["first"] = 5, ["lineItemsFirst"] = 1 });

        body["errors"]!.AsArray().Select(e => e!["extensions"]!["code"]!.GetValue<string>()).Should().BeEquivalentTo(
            "variableRequiresValidType",    // DateTimeish
            "argumentLiteralsIncompatible", // sortKey: UPDATED is not an OrderSortKeys value
            "selectionMismatch",            // customer without a selection
            "useAndDefineFragment",         // ...Missing
            "selectionMismatch",            // sku { value }: a String has no fields
            "missingRequiredArguments");    // order(id:)
        body["errors"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()).Should().Contain(new[]
        {
            "DateTimeish isn't a defined input type (on $since)",
            "Field must have selections (field 'customer' returns Customer but has no selections. Did you mean 'customer { ... }'?)",
            "Fragment Missing was used, but not defined",
            "Field 'order' is missing required arguments: id",
        });
    }

    [Fact]
    public async Task SyntaxError_IsRefusedWithItsLocation()
    {
        _shop.Conformance = ConformanceMode.Record; // a document the schema refuses, on purpose

        var (status, body) = await PostAsync(ShopifyOperations.Orders, "query OrdersUpdatedSince { orders(first: 5) { nodes { id }", new JsonObject());

        status.Should().Be(HttpStatusCode.OK);
        var error = body["errors"]!.AsArray().Should().ContainSingle().Subject!;
        error["message"]!.GetValue<string>().Should().StartWith("Parse error");
        error["locations"]![0]!["line"]!.GetValue<int>().Should().Be(1);
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string operation, string document, JsonObject variables)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"admin/api/{_shop.Options.ApiVersion}/graphql.json")
        {
            Content = new StringContent(
                new JsonObject { ["query"] = document, ["operationName"] = operation, ["variables"] = variables }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Shopify-Access-Token", _shop.Options.AccessToken);
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
