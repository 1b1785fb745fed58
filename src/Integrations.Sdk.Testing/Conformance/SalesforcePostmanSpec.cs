using System.Text.RegularExpressions;

namespace Integrations.Sdk.Testing.Conformance;

/// <summary>
/// Salesforce's REST API as its published Postman collection (forcedotcom/postman-salesforce-apis, CC0) describes it:
/// Salesforce publishes no OpenAPI for the core REST API. Requests: the method and path must be one of the
/// collection's requests (<c>v{{version}}</c> any <c>vNN.N</c>, a <c>&lt;PLACEHOLDER&gt;</c> any one segment, a
/// trailing slash optional), a query parameter the collection marks "Required." must be present, a body must be JSON
/// sent as <c>application/json</c>, and where the collection's sample body names types (<c>"allOrNone": "Boolean"</c>,
/// <c>"records": "SObject[]"</c>) only those properties, of those types. Answers of a known request: a body must be
/// JSON, and a 4xx or 5xx must be Salesforce's error array <c>[{"message", "errorCode", "fields"}]</c>. Nothing else
/// (record fields, answer shapes) is checked: the collection does not declare them.
/// </summary>
internal sealed partial class SalesforcePostmanSpec : IPlatformSpec
{
    private const string File = "postman-rest-sobjects-query-composite-limits.json";
    private const string Resource = "Integrations.Sdk.Testing.Specs.salesforce." + File;
    private readonly Lazy<List<Operation>> _operations = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public string Platform => "salesforce";

    public IReadOnlyList<ConformanceViolation> CheckRequest(ConformanceExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var method = exchange.Method.ToUpperInvariant();
        var candidates = _operations.Value.Where(o => o.Path.IsMatch(exchange.Path)).ToList();
        var operation = candidates.Find(o => o.Method == method);
        if (operation is null)
        {
            var sent = $"{method} {exchange.Path}";
            return candidates.Count == 0
                ? [Violation(ConformanceSide.Request, sent, "path", "", "operation", $"The path \"{exchange.Path}\" is not a request of the Salesforce Postman collection")]
                : [Violation(ConformanceSide.Request, sent, "method", candidates[0].Location, "method",
                    $"The collection has no {method} for {string.Join(", ", candidates.Select(c => c.Template).Distinct())} (it has {string.Join(", ", candidates.Select(c => c.Method).Distinct())})")];
        }

        var violations = new List<ConformanceViolation>();
        var query = ParseQuery(exchange.Query);
        foreach (var required in operation.RequiredQuery.Where(r => !query.Contains(r)))
        {
            violations.Add(Violation(ConformanceSide.Request, operation.Name, "query:" + required, operation.Location + "/queryParams", "required", $"Query parameter \"{required}\" is required"));
        }

        if (exchange.RequestBody.IsEmpty)
        {
            return violations;
        }

        var media = exchange.RequestContentType?.Split(';')[0].Trim();
        if (!string.Equals(media, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            violations.Add(Violation(ConformanceSide.Request, operation.Name, "content-type", operation.Location + "/headerData", "contentType", $"Content type \"{exchange.RequestContentType}\" is not application/json"));
        }

        JsonNode? body;
        try
        {
            body = JsonNode.Parse(exchange.RequestBody.Span);
        }
        catch (JsonException ex)
        {
            violations.Add(Violation(ConformanceSide.Request, operation.Name, "body", operation.Location + "/rawModeData", "json", $"The body is not JSON: {ex.Message}"));
            return violations;
        }

        if (body is not JsonObject obj)
        {
            violations.Add(Violation(ConformanceSide.Request, operation.Name, "body:/", operation.Location + "/rawModeData", "type", "The body is not a JSON object"));
            return violations;
        }

        if (operation.BodyTypes is { } types)
        {
            foreach (var (name, value) in obj)
            {
                if (!types.TryGetValue(name, out var type))
                {
                    violations.Add(Violation(ConformanceSide.Request, operation.Name, "body:/" + name, operation.Location + "/rawModeData", "additionalProperties",
                        $"Property \"{name}\" is not one of the collection's ({string.Join(", ", types.Keys)})"));
                }
                else if (!OfType(value, type))
                {
                    violations.Add(Violation(ConformanceSide.Request, operation.Name, "body:/" + name, operation.Location + "/rawModeData", "type",
                        $"Value {value?.ToJsonString() ?? "null"} is not a {type}"));
                }
            }
        }

        return violations;
    }

    public IReadOnlyList<ConformanceViolation> CheckResponse(ConformanceExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var method = exchange.Method.ToUpperInvariant();
        var operation = _operations.Value.Find(o => o.Method == method && o.Path.IsMatch(exchange.Path));
        if (operation is null || exchange.ResponseBody.IsEmpty)
        {
            return [];
        }

        JsonNode? body;
        try
        {
            body = JsonNode.Parse(exchange.ResponseBody.Span);
        }
        catch (JsonException ex)
        {
            return [Violation(ConformanceSide.Response, operation.Name, "body", "", "json", $"The answer is not JSON: {ex.Message}")];
        }

        if (exchange.Status is not >= 400)
        {
            return [];
        }

        const string ErrorShape = "REST API Developer Guide, Status Codes and Error Responses";
        if (body is not JsonArray { Count: > 0 } errors)
        {
            return [Violation(ConformanceSide.Response, operation.Name, "body:/", ErrorShape, "type", $"Status {exchange.Status}: the answer is not Salesforce's error array [{{\"message\",\"errorCode\"}}]")];
        }

        var violations = new List<ConformanceViolation>();
        for (var i = 0; i < errors.Count; i++)
        {
            if (errors[i] is not JsonObject error)
            {
                violations.Add(Violation(ConformanceSide.Response, operation.Name, $"body:/{i}", ErrorShape, "type", "An error is not an object"));
                continue;
            }

            foreach (var name in new[] { "message", "errorCode" })
            {
                if (error[name] is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
                {
                    violations.Add(Violation(ConformanceSide.Response, operation.Name, $"body:/{i}/{name}", ErrorShape, "required", $"Required property \"{name}\" is not present as a string"));
                }
            }

            if (error["fields"] is { } fields && (fields is not JsonArray list || list.Any(f => f is not JsonValue s || s.GetValueKind() != JsonValueKind.String)))
            {
                violations.Add(Violation(ConformanceSide.Response, operation.Name, $"body:/{i}/fields", ErrorShape, "type", "\"fields\" is not an array of field names"));
            }
        }

        return violations;
    }

    private static bool OfType(JsonNode? value, string type) => type switch
    {
        _ when value is null => false,
        "Boolean" => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        _ when type.EndsWith("[]", StringComparison.Ordinal) => value is JsonArray,
        _ => true,
    };

    private static HashSet<string> ParseQuery(string query) =>
        [.. query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => Uri.UnescapeDataString(p.Split('=', 2)[0]))];

    private ConformanceViolation Violation(ConformanceSide side, string operation, string where, string location, string keyword, string message) =>
        new(Platform, side, operation, where, location, keyword, message);

    [GeneratedRegex(@"^[A-Z][A-Za-z ]*(\[\])?$", RegexOptions.CultureInvariant)]
    private static partial Regex TypePlaceholder();

    private static List<Operation> Load()
    {
        var root = JsonNode.Parse(OpenApiPlatformSpec.ReadResource(Resource))!.AsObject();
        var operations = new List<Operation>();
        foreach (var (key, node) in root["requests"]!.AsObject())
        {
            var request = node!.AsObject();
            var url = request["url"]!.GetValue<string>().Replace("{{_endpoint}}", string.Empty, StringComparison.Ordinal).Split('?', 2)[0];
            var pattern = new StringBuilder("^");
            foreach (Match part in Regex.Matches(url, @"v\{\{version\}\}|<[A-Z_]+>|[^<v]+|v", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
            {
                pattern.Append(part.Value switch
                {
                    "v{{version}}" => @"v[0-9]+\.[0-9]+",
                    var p when p.StartsWith('<') => "[^/]+",
                    var p => Regex.Escape(p),
                });
            }

            var text = pattern.ToString().TrimEnd('/');
            var required = (request["queryParams"] as JsonArray ?? [])
                .OfType<JsonObject>()
                .Where(q => q["enabled"]?.GetValue<bool>() != false && (q["description"]?.ToString().StartsWith("Required.", StringComparison.Ordinal) == true || (q["key"]?.ToString() == "q" && q["equals"]?.GetValue<bool>() == true)))
                .Select(q => q["key"]!.ToString())
                .ToList();
            Dictionary<string, string>? types = null;
            if (request["rawModeData"]?.ToString() is { Length: > 0 } raw)
            {
                try
                {
                    if (JsonNode.Parse(raw) is JsonObject sample && sample.Count > 0
                        && sample.All(p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) && TypePlaceholder().IsMatch(s)))
                    {
                        types = sample.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);
                    }
                }
                catch (JsonException)
                {
                    // a sample body that is not JSON declares nothing
                }
            }

            operations.Add(new Operation(
                request["method"]!.GetValue<string>().ToUpperInvariant(),
                url,
                new Regex(text + "/?$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)),
                $"{File}#/requests/{key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}",
                required,
                types));
        }

        return operations;
    }

    private sealed record Operation(string Method, string Template, Regex Path, string Location, IReadOnlyList<string> RequiredQuery, Dictionary<string, string>? BodyTypes)
    {
        public string Name => $"{Method} {Template}";
    }
}
