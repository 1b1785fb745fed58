using System.Text.RegularExpressions;
using Integrations.Sdk.Testing.Shopify;

namespace Integrations.Sdk.Testing.Conformance;

/// <summary>
/// Shopify's GraphQL Admin API: a request is a POST of JSON (<c>query</c>, <c>operationName</c>, <c>variables</c>) to
/// <c>/admin/api/{version}/graphql.json</c>, whose document must be valid against the Admin API schema (fields,
/// arguments, types: the subset of Shopify's published 2026-01 schema embedded in this assembly, see
/// <c>Shopify/AdminSchema.cs</c>); an answer must be a JSON object holding <c>data</c> or <c>errors</c>.
/// </summary>
internal sealed partial class ShopifyGraphQlSpec : IPlatformSpec
{
    private const string Operation = "POST /admin/api/{version}/graphql.json";
    private const string SchemaFile = "admin-2026-01.subset.graphql";

    public string Platform => "shopify";

    public IReadOnlyList<ConformanceViolation> CheckRequest(ConformanceExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        if (!IsGraphQl(exchange))
        {
            return [Violation(ConformanceSide.Request, $"{exchange.Method.ToUpperInvariant()} {exchange.Path}", "path", "", "operation",
                $"Only {Operation} is part of the GraphQL Admin API, not {exchange.Method.ToUpperInvariant()} {exchange.Path}")];
        }

        var media = exchange.RequestContentType?.Split(';')[0].Trim();
        if (!string.Equals(media, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return [Violation(ConformanceSide.Request, Operation, "content-type", "", "contentType", $"Content type \"{exchange.RequestContentType}\" is not application/json")];
        }

        JsonObject? body;
        try
        {
            body = JsonNode.Parse(exchange.RequestBody.Span) as JsonObject;
        }
        catch (JsonException ex)
        {
            return [Violation(ConformanceSide.Request, Operation, "body", "", "json", $"The body is not JSON: {ex.Message}")];
        }

        if (body?["query"] is not JsonValue query || query.GetValueKind() != JsonValueKind.String)
        {
            return [Violation(ConformanceSide.Request, Operation, "body:/query", "", "required", "The body has no \"query\" string")];
        }

        var variables = body["variables"] as JsonObject ?? [];
        var operationName = body["operationName"] is JsonValue name && name.GetValueKind() == JsonValueKind.String ? name.GetValue<string>() : null;
        try
        {
            GraphQlCost.Parse(query.GetValue<string>(), operationName, (JsonObject)variables.DeepClone());
            return [];
        }
        catch (GraphQlRejectedException ex)
        {
            return [.. ex.Errors.Select(e => Violation(
                ConformanceSide.Request,
                Operation,
                "body:/query" + (e?["path"] is JsonArray path ? " " + string.Join(".", path.Select(p => p?.ToString())) : ""),
                SchemaFile,
                e?["extensions"]?["code"]?.ToString() ?? "graphql",
                e?["message"]?.ToString() ?? "invalid document"))];
        }
    }

    public IReadOnlyList<ConformanceViolation> CheckResponse(ConformanceExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        if (!IsGraphQl(exchange))
        {
            return [];
        }

        try
        {
            if (JsonNode.Parse(exchange.ResponseBody.Span) is JsonObject answer && (answer.ContainsKey("data") || answer.ContainsKey("errors")))
            {
                return [];
            }
        }
        catch (JsonException)
        {
            // reported below
        }

        return [Violation(ConformanceSide.Response, Operation, "body:/", "", "graphql", "The answer is not a JSON object holding \"data\" or \"errors\"")];
    }

    private static bool IsGraphQl(ConformanceExchange exchange) =>
        string.Equals(exchange.Method, "POST", StringComparison.OrdinalIgnoreCase) && GraphQlPath().IsMatch(exchange.Path);

    private ConformanceViolation Violation(ConformanceSide side, string operation, string where, string location, string keyword, string message) =>
        new(Platform, side, operation, where, location, keyword, message);

    [GeneratedRegex("^/admin/api/[^/]+/graphql\\.json$", RegexOptions.CultureInvariant)]
    private static partial Regex GraphQlPath();
}
