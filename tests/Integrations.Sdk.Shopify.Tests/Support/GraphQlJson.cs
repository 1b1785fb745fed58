using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using WireMock.Logging;

namespace Integrations.Sdk.Shopify.Tests.Support;

/// <summary>Real-shaped GraphQL Admin API bodies for WireMock, and readers for the requests it logged.</summary>
public static class GraphQlJson
{
    public const string GraphQlPath = "/admin/api/2026-10/graphql.json";

    public static string Cost(int requested = 50, int? actual = 20, double available = 980, double maximum = 1000, double restore = 100) =>
        new JsonObject
        {
            ["cost"] = new JsonObject
            {
                ["requestedQueryCost"] = requested,
                ["actualQueryCost"] = actual,
                ["throttleStatus"] = new JsonObject { ["maximumAvailable"] = maximum, ["currentlyAvailable"] = available, ["restoreRate"] = restore },
            },
        }.ToJsonString();

    public static string Data(string data, string? cost = null) => "{\"data\":" + data + ",\"extensions\":" + (cost ?? Cost()) + "}";

    public static string Throttled(int requested, double available, double restore) =>
        """{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED","documentation":"https://shopify.dev/api/usage/rate-limits"}}],"extensions":"""
            + Cost(requested, null, available, 1000, restore) + "}";

    public static string OrdersPage(bool hasNextPage, string? endCursor, params string[] orders) =>
        Data("{\"orders\":{\"pageInfo\":{\"hasNextPage\":" + (hasNextPage ? "true" : "false") + ",\"endCursor\":"
            + (endCursor is null ? "null" : "\"" + endCursor + "\"") + "},\"nodes\":[" + string.Join(",", orders) + "]}}");

    public static string Order(long id, string updatedAt, string total = "1234.50", string lines = "", bool moreLines = false, string? lineCursor = null) => $$"""
        {
          "id": "gid://shopify/Order/{{id}}",
          "name": "#{{id - 4000}}",
          "email": "bob@example.com",
          "createdAt": "2026-11-27T09:00:00Z",
          "updatedAt": "{{updatedAt}}",
          "displayFinancialStatus": "PAID",
          "currencyCode": "EUR",
          "totalPriceSet": { "shopMoney": { "amount": "{{total}}", "currencyCode": "EUR" } },
          "customer": { "id": "gid://shopify/Customer/77", "firstName": "Bob", "lastName": "Stone", "defaultEmailAddress": { "emailAddress": "bob@example.com" } },
          "lineItems": {
            "pageInfo": { "hasNextPage": {{(moreLines ? "true" : "false")}}, "endCursor": {{(lineCursor is null ? "null" : "\"" + lineCursor + "\"")}} },
            "nodes": [{{lines}}]
          }
        }
        """;

    public static string Line(string sku, int quantity, string price, long variant = 4001, long item = 9001) => $$"""
        { "sku": "{{sku}}", "title": "Product {{sku}}", "quantity": {{quantity}},
          "originalUnitPriceSet": { "shopMoney": { "amount": "{{price}}", "currencyCode": "EUR" } },
          "variant": { "id": "gid://shopify/ProductVariant/{{variant}}", "inventoryItem": { "id": "gid://shopify/InventoryItem/{{item}}" } } }
        """;

    public static JsonObject Body(ILogEntry entry) => (JsonObject)JsonNode.Parse(entry.RequestMessage!.Body!)!;

    public static JsonObject Variables(ILogEntry entry) => (JsonObject)Body(entry)["variables"]!;

    public static string Text(JsonNode? node) => node is null ? "null" : node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();

    public static string Iso(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
