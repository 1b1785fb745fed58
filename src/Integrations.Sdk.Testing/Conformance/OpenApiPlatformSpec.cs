using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Json.Schema;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Integrations.Sdk.Testing.Conformance;

/// <summary>
/// A platform's OpenAPI 3.0 or Swagger 2.0 documents (JSON), checking exchanges against them: Microsoft.OpenApi reads
/// the structure (paths, operations, parameters, content types, statuses); JsonSchema.Net checks every value against
/// the schema at its place in the spec file, by JSON pointer into the file as published.
/// </summary>
/// <remarks>
/// <para>Requests: the method and path match an operation (a path template's <c>{x}</c> segments match any one
/// segment; the template with the most literal segments wins); every query parameter is declared, with the declared
/// type and enum (deepObject keys such as <c>created[gte]</c> and <c>expand[]</c> included), and the required ones are
/// present; required headers are present; the body's content type is declared, and a form or JSON body validates
/// against its schema (undeclared form fields are caught where the schema says <c>additionalProperties: false</c>, as
/// Stripe's do). Form values are strings on the wire: each is read as the type the schema declares at its place.</para>
/// <para>Answers: the status is declared (or a <c>2XX</c>-style range, or <c>default</c>), the content type is declared,
/// and a JSON body validates against the declared schema. OpenAPI 3.0's <c>nullable: true</c> is read as JSON Schema's
/// <c>null</c> type. Schemas are built once per pointer and cached; the documents are read on first use.</para>
/// </remarks>
public sealed class OpenApiPlatformSpec : IPlatformSpec
{
    private const string BaseUri = "https://conformance.invalid/specs/";
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List };
    private static readonly Regex RequiredList = new("\\[(?<names>.*)\\]", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private readonly Lazy<Loaded> _loaded;
    private readonly Regex? _wirePath;
    private readonly ConcurrentDictionary<(int Document, string Template, string Method), Plan> _plans = new();
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);
    private readonly Lock _build = new();
    private int _built;

    /// <summary>Reads a platform's spec documents (on first use).</summary>
    /// <param name="platform">The platform name the exchanges carry.</param>
    /// <param name="documents">Each document's file name (used in <see cref="ConformanceViolation.SchemaLocation"/>) and its JSON text; a platform may publish its API in several documents.</param>
    /// <param name="wirePathPattern">
    /// A regular expression the path as sent must match, whose group <c>path</c> is the path as the spec writes it, when
    /// the two differ: the server's base path (Trello's <c>/1</c>: <c>^/1(?&lt;path&gt;/.*)$</c>) or a suffix. Omit when
    /// the spec's paths are the paths on the wire.
    /// </param>
    /// <exception cref="ArgumentException">A document name or text is empty, or the pattern has no <c>path</c> group.</exception>
    public OpenApiPlatformSpec(string platform, IEnumerable<KeyValuePair<string, string>> documents, string? wirePathPattern = null)
        : this(platform, Materialize(documents), wirePathPattern)
    {
    }

    private OpenApiPlatformSpec(string platform, Func<IReadOnlyList<KeyValuePair<string, string>>> documents, string? wirePathPattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(platform);
        Platform = platform;
        if (wirePathPattern is not null)
        {
            _wirePath = new Regex(wirePathPattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            if (!_wirePath.GetGroupNames().Contains("path"))
            {
                throw new ArgumentException($"The wire path pattern \"{wirePathPattern}\" has no group named \"path\".", nameof(wirePathPattern));
            }
        }

        _loaded = new Lazy<Loaded>(() => Load(platform, documents()), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <inheritdoc />
    public string Platform { get; }

    /// <summary>What the OpenAPI reader reported about the documents (<c>file#pointer: message</c>); reading them happens on first access.</summary>
    public IReadOnlyList<string> Diagnostics => _loaded.Value.Diagnostics;

    /// <inheritdoc />
    public IReadOnlyList<ConformanceViolation> CheckRequest(ConformanceExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var found = Find(exchange, out var failure);
        if (found is null)
        {
            return [failure!];
        }

        var (document, plan) = found.Value;
        var violations = new List<ConformanceViolation>();
        var report = Reporter(violations, ConformanceSide.Request, plan.Operation);

        // Query: one synthetic object schema per operation, each property a $ref to the parameter's schema in the spec.
        var query = FormValues.ToJson(exchange.Query);
        foreach (var (name, value) in query.ToList())
        {
            var declared = plan.Query.GetValueOrDefault(name);
            if (declared is not null)
            {
                query[name] = FormValues.Coerce(value, declared.Schema, document.Raw, splitCommas: !declared.Explode)?.DeepClone();
            }
        }

        Evaluate(document, plan.QuerySchemaText, plan.QuerySchemaUri, query, "query:", plan.ParametersLocation, report);

        foreach (var header in plan.RequiredHeaders)
        {
            if (!exchange.RequestHeaders.Keys.Any(k => string.Equals(k, header.Name, StringComparison.OrdinalIgnoreCase)))
            {
                report("header:" + header.Name, header.Location, "required", $"Required header \"{header.Name}\" is not present");
            }
        }

        CheckRequestBody(exchange, document, plan, report);
        return violations;
    }

    /// <inheritdoc />
    public IReadOnlyList<ConformanceViolation> CheckResponse(ConformanceExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        if (exchange.Status is not { } status || Find(exchange, out _) is not { } found)
        {
            return []; // an unknown operation is reported once, on the request side
        }

        var (document, plan) = found;
        var violations = new List<ConformanceViolation>();
        var report = Reporter(violations, ConformanceSide.Response, plan.Operation);
        var code = status.ToString(CultureInfo.InvariantCulture);
        var response = plan.Responses.GetValueOrDefault(code)
            ?? plan.Responses.GetValueOrDefault(code[0] + "XX")
            ?? plan.Responses.GetValueOrDefault("default");
        if (response is null)
        {
            report("status", plan.ResponsesLocation, "status", $"Status {code} is not declared (declared: {string.Join(", ", plan.Responses.Keys)})");
            return violations;
        }

        if (response.Content.Count == 0)
        {
            if (!exchange.ResponseBody.IsEmpty)
            {
                report("body", response.Location, "content", $"The spec declares no content for status {response.Key}, but {exchange.ResponseBody.Length} bytes were answered");
            }

            return violations;
        }

        var media = MediaType(exchange.ResponseContentType);
        var declared = Pick(response.Content, media);
        if (declared is null)
        {
            report("content-type", response.Location, "contentType", $"Content type \"{exchange.ResponseContentType}\" is not declared for status {response.Key} (declared: {string.Join(", ", response.Content.Keys)})");
            return violations;
        }

        if (declared.SchemaPointer is not null && IsJson(media))
        {
            if (Parse(exchange.ResponseBody, out var body, out var error))
            {
                Evaluate(document, RefSchema(document, declared.SchemaPointer), null, body, "body:", document.FileName + "#" + declared.SchemaPointer, report);
            }
            else
            {
                report("body", document.FileName + "#" + declared.SchemaPointer, "json", $"The body is not JSON: {error}");
            }
        }

        return violations;
    }

    /// <summary>
    /// A spec over documents embedded in this assembly (<c>Integrations.Sdk.Testing.Specs.{folder}.{file}</c>), read on
    /// first use; violations name the file alone (<c>spec3.json#/...</c>).
    /// </summary>
    internal static OpenApiPlatformSpec BuiltIn(string platform, string? wirePathPattern, params string[] resources) =>
        new(platform, () => [.. resources.Select(r => new KeyValuePair<string, string>(r[(r.IndexOf('.', StringComparison.Ordinal) + 1)..], ReadResource("Integrations.Sdk.Testing.Specs." + r)))], wirePathPattern);

    /// <summary>The text of a resource embedded in this assembly.</summary>
    internal static string ReadResource(string name)
    {
        using var stream = typeof(OpenApiPlatformSpec).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The resource {name} is not embedded in Integrations.Sdk.Testing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static Func<IReadOnlyList<KeyValuePair<string, string>>> Materialize(IEnumerable<KeyValuePair<string, string>> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var list = documents.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("At least one spec document is needed.", nameof(documents));
        }

        foreach (var (name, text) in list)
        {
            if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(text))
            {
                throw new ArgumentException($"Spec document \"{name}\" has an empty name or text.", nameof(documents));
            }
        }

        return () => list;
    }

    private static Loaded Load(string platform, IReadOnlyList<KeyValuePair<string, string>> documents)
    {
        var loaded = new List<Document>();
        var diagnostics = new List<string>();
        var settings = new OpenApiReaderSettings { LoadExternalRefs = false };
        foreach (var (name, text) in documents)
        {
            // The model (structure) and the raw JSON (for the schemas) are both read from the text.
            var result = OpenApiDocument.Parse(text, "json", settings);
            var raw = JsonNode.Parse(text) ?? throw new InvalidOperationException($"The {platform} spec {name} is empty.");
            var swagger2 = raw["swagger"] is not null;
            if (!swagger2)
            {
                ReadNullable(raw);
            }

            var element = JsonSerializer.SerializeToElement(raw);
            foreach (var problem in result.Diagnostic?.Errors ?? [])
            {
                diagnostics.Add($"{name}{(problem.Pointer is { } at ? at : "")}: {problem.Message}");
            }

            var model = result.Document ?? throw new InvalidOperationException($"The {platform} spec {name} could not be read: {string.Join("; ", diagnostics)}");
            var uri = new Uri(BaseUri + Uri.EscapeDataString(platform) + "/" + Uri.EscapeDataString(name));
            var registry = new SchemaRegistry();
            registry.Register(uri, new JsonElementBaseDocument(element, uri));
            var queryKeys = (model.Components?.SecuritySchemes ?? new Dictionary<string, IOpenApiSecurityScheme>())
                .Values.Where(s => s.Type == SecuritySchemeType.ApiKey && s.In == ParameterLocation.Query && s.Name is not null)
                .Select(s => s.Name!).ToList();
            loaded.Add(new Document(loaded.Count, name, model, raw, swagger2, uri, new BuildOptions { SchemaRegistry = registry, Dialect = Dialect.Draft202012 }, queryKeys));
        }

        return new Loaded(loaded, diagnostics);
    }

    // OpenAPI 3.0's nullable: true is JSON Schema's null type: type T becomes [T, "null"]; anyOf, oneOf, allOf and $ref
    // (with or without a type beside them) become anyOf [null, the schema]; an enum gains null.
    private static void ReadNullable(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj.ToList())
                {
                    ReadNullable(value);
                }

                if (obj["nullable"] is JsonValue flag && flag.GetValueKind() == JsonValueKind.True)
                {
                    obj.Remove("nullable");
                    if (obj["type"] is JsonValue type)
                    {
                        obj["type"] = new JsonArray(type.GetValue<string>(), "null");
                    }

                    // A $ref (or anyOf, ...) beside the type still forbids null on its own (Trello's nullable ids are
                    // type + $ref), so it is wrapped too.
                    if (obj.ContainsKey("anyOf") || obj.ContainsKey("oneOf") || obj.ContainsKey("allOf") || obj.ContainsKey("$ref"))
                    {
                        var inner = new JsonObject();
                        foreach (var key in new[] { "anyOf", "oneOf", "allOf", "$ref" })
                        {
                            if (obj[key] is { } part)
                            {
                                obj.Remove(key);
                                inner[key] = part;
                            }
                        }

                        obj["anyOf"] = new JsonArray(new JsonObject { ["type"] = "null" }, inner);
                    }

                    if (obj["enum"] is JsonArray values && !values.Any(v => v is null))
                    {
                        values.Add(null);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    ReadNullable(item);
                }

                break;
        }
    }

    private (Document Document, Plan Plan)? Find(ConformanceExchange exchange, out ConformanceViolation? failure)
    {
        failure = null;
        var asSent = $"{exchange.Method.ToUpperInvariant()} {exchange.Path}";
        var path = exchange.Path;
        if (_wirePath is not null)
        {
            var match = _wirePath.Match(path);
            if (!match.Success)
            {
                failure = new ConformanceViolation(Platform, ConformanceSide.Request, asSent, "path", "", "operation", $"The path \"{path}\" is not under the API's base path ({_wirePath})");
                return null;
            }

            path = match.Groups["path"].Value;
        }

        var loaded = _loaded.Value;
        var method = HttpMethod.Parse(exchange.Method.ToUpperInvariant());
        var segments = path.Trim('/').Split('/');
        (Document Document, string Template, IOpenApiPathItem Item, int Literals)? best = null, bestWithMethod = null;
        foreach (var document in loaded.Documents)
        {
            foreach (var (template, item) in document.Model.Paths)
            {
                var literals = Literals(template, segments);
                if (literals < 0)
                {
                    continue;
                }

                if (best is null || literals > best.Value.Literals)
                {
                    best = (document, template, item, literals);
                }

                if (item.Operations?.ContainsKey(method) == true && (bestWithMethod is null || literals > bestWithMethod.Value.Literals))
                {
                    bestWithMethod = (document, template, item, literals);
                }
            }
        }

        if (bestWithMethod is { } hit)
        {
            var plan = _plans.GetOrAdd((hit.Document.Index, hit.Template, method.Method), _ => BuildPlan(hit.Document, hit.Template, hit.Item, method));
            return (hit.Document, plan);
        }

        if (best is { } other)
        {
            var methods = string.Join(", ", other.Item.Operations?.Keys.Select(m => m.Method) ?? []);
            failure = new ConformanceViolation(Platform, ConformanceSide.Request, $"{method.Method} {other.Template}", "path",
                other.Document.FileName + "#" + Pointer("paths", other.Template), "operation",
                $"The spec declares {methods} on {other.Template}, not {method.Method}");
        }
        else
        {
            failure = new ConformanceViolation(Platform, ConformanceSide.Request, asSent, "path",
                loaded.Documents[0].FileName + "#/paths", "operation", $"No path of the spec matches \"{path}\"");
        }

        return null;
    }

    // -1 when the template does not match; else how many of its segments are literal.
    private static int Literals(string template, string[] segments)
    {
        var parts = template.Trim('/').Split('/');
        if (parts.Length != segments.Length)
        {
            return -1;
        }

        var literals = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].StartsWith('{') && parts[i].EndsWith('}'))
            {
                if (segments[i].Length == 0)
                {
                    return -1;
                }

                continue;
            }

            if (!string.Equals(parts[i], segments[i], StringComparison.Ordinal))
            {
                return -1;
            }

            literals++;
        }

        return literals;
    }

    private Plan BuildPlan(Document document, string template, IOpenApiPathItem item, HttpMethod method)
    {
        var verb = method.Method.ToLowerInvariant();
        var operation = item.Operations![method];
        var operationPointer = Pointer("paths", template, verb);
        var name = $"{method.Method} {template}";

        // Parameters: the operation's override the path's of the same name and place.
        var parameters = new Dictionary<(string, ParameterLocation?), (IOpenApiParameter Model, string Pointer)>();
        foreach (var (owner, list) in new[] { (Pointer("paths", template), item.Parameters), (operationPointer, operation.Parameters) })
        {
            var rawList = FormValues.Resolve(document.Raw, "#" + owner + "/parameters") as JsonArray;
            foreach (var parameter in list ?? [])
            {
                if (parameter.Name is null)
                {
                    continue;
                }

                var pointer = RawParameter(document, owner, rawList, parameter);
                parameters[(parameter.Name, parameter.In)] = (parameter, pointer);
            }
        }

        var query = new Dictionary<string, QueryParameter>(StringComparer.Ordinal);
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var ((parameterName, location), (model, pointer)) in parameters)
        {
            if (location != ParameterLocation.Query)
            {
                continue;
            }

            var schemaPointer = FormValues.Resolve(document.Raw, "#" + pointer)?["schema"] is not null ? pointer + "/schema" : pointer;
            var reference = new JsonObject { ["$ref"] = Reference(document, schemaPointer) };
            properties[parameterName] = reference;
            query[parameterName] = new QueryParameter(reference.DeepClone(), model.Explode || model.Style == ParameterStyle.DeepObject || model.Style is null);
            if (model.Required)
            {
                required.Add(parameterName);
            }
        }

        foreach (var key in document.QueryKeys.Where(k => !properties.ContainsKey(k)))
        {
            properties[key] = new JsonObject { ["type"] = "string" }; // a security scheme's key sent in the query (Trello's key and token)
        }

        var querySchema = new JsonObject { ["type"] = "object", ["properties"] = properties, ["required"] = required, ["additionalProperties"] = false };
        var headers = parameters.Where(p => p.Key.Item2 == ParameterLocation.Header && p.Value.Model.Required)
            .Select(p => new RequiredHeader(p.Key.Item1, document.FileName + "#" + p.Value.Pointer)).ToList();

        // Request body.
        var body = new Dictionary<string, MediaPlan>(StringComparer.OrdinalIgnoreCase);
        var bodyRequired = operation.RequestBody?.Required ?? false;
        var bodyLocation = document.FileName + "#" + operationPointer + (document.Swagger2 ? "/parameters" : "/requestBody");
        if (operation.RequestBody?.Content is { } content)
        {
            foreach (var (type, media) in content)
            {
                string? pointer = null;
                if (media.Schema is not null)
                {
                    if (document.Swagger2)
                    {
                        var raw = FormValues.Resolve(document.Raw, "#" + operationPointer + "/parameters") as JsonArray;
                        var at = raw?.Select((p, i) => (p, i)).Where(x => (string?)x.p?["in"] == "body").Select(x => x.i).DefaultIfEmpty(-1).First() ?? -1;
                        pointer = at >= 0 ? $"{operationPointer}/parameters/{at}/schema" : null;
                    }
                    else
                    {
                        pointer = Follow(document, operationPointer + "/requestBody") + "/content/" + Escape(type) + "/schema";
                    }
                }

                body[type] = new MediaPlan(type, pointer);
            }
        }

        // Responses.
        var responses = new Dictionary<string, ResponsePlan>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, response) in operation.Responses ?? [])
        {
            var responsePointer = Follow(document, operationPointer + "/responses/" + Escape(key));
            var media = new Dictionary<string, MediaPlan>(StringComparer.OrdinalIgnoreCase);
            foreach (var (type, declared) in response.Content ?? new Dictionary<string, IOpenApiMediaType>())
            {
                var pointer = declared.Schema is null ? null
                    : document.Swagger2 ? responsePointer + "/schema"
                    : responsePointer + "/content/" + Escape(type) + "/schema";
                media[type] = new MediaPlan(type, pointer);
            }

            responses[key] = new ResponsePlan(key, document.FileName + "#" + responsePointer, media);
        }

        return new Plan(
            name,
            query,
            querySchema.ToJsonString(),
            new Uri(document.Uri + "/query/" + Uri.EscapeDataString(verb + template)),
            document.FileName + "#" + operationPointer + "/parameters",
            headers,
            body,
            bodyRequired,
            bodyLocation,
            responses,
            document.FileName + "#" + operationPointer + "/responses");
    }

    // The raw pointer of a parameter the model read: its entry in the list, or the component its $ref names.
    private static string RawParameter(Document document, string owner, JsonArray? rawList, IOpenApiParameter parameter)
    {
        for (var i = 0; rawList is not null && i < rawList.Count; i++)
        {
            var pointer = Follow(document, $"{owner}/parameters/{i}");
            var raw = FormValues.Resolve(document.Raw, "#" + pointer);
            if ((string?)raw?["name"] == parameter.Name && string.Equals((string?)raw?["in"], parameter.In?.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return pointer;
            }
        }

        return owner + "/parameters";
    }

    // Follows a $ref at the pointer (a parameter, request body or response kept in components) to where it leads.
    private static string Follow(Document document, string pointer)
    {
        for (var hops = 0; hops < 8; hops++)
        {
            if (FormValues.Resolve(document.Raw, "#" + pointer) is JsonObject { } obj && obj["$ref"] is JsonValue reference
                && reference.GetValue<string>() is { } target && target.StartsWith("#/", StringComparison.Ordinal))
            {
                pointer = target[1..];
                continue;
            }

            break;
        }

        return pointer;
    }

    private void CheckRequestBody(ConformanceExchange exchange, Document document, Plan plan, Action<string, string, string, string> report)
    {
        if (exchange.RequestBody.IsEmpty)
        {
            if (plan.BodyRequired)
            {
                report("body", plan.BodyLocation, "required", "The request body is required, but none was sent");
            }

            return;
        }

        if (plan.Body.Count == 0)
        {
            report("body", plan.BodyLocation, "requestBody", $"The operation declares no request body, but {exchange.RequestBody.Length} bytes were sent");
            return;
        }

        var media = MediaType(exchange.RequestContentType);
        var declared = Pick(plan.Body, media);
        if (declared is null)
        {
            report("content-type", plan.BodyLocation, "contentType", $"Content type \"{exchange.RequestContentType}\" is not declared (declared: {string.Join(", ", plan.Body.Keys)})");
            return;
        }

        if (declared.SchemaPointer is null)
        {
            return;
        }

        JsonNode? body;
        if (media == "application/x-www-form-urlencoded")
        {
            body = FormValues.Coerce(FormValues.ToJson(Encoding.UTF8.GetString(exchange.RequestBody.Span)), FormValues.Resolve(document.Raw, "#" + declared.SchemaPointer), document.Raw);
        }
        else if (IsJson(media))
        {
            if (!Parse(exchange.RequestBody, out body, out var error))
            {
                report("body", document.FileName + "#" + declared.SchemaPointer, "json", $"The body is not JSON: {error}");
                return;
            }
        }
        else
        {
            return;
        }

        Evaluate(document, RefSchema(document, declared.SchemaPointer), null, body, "body:", document.FileName + "#" + declared.SchemaPointer, report);
    }

    private static string RefSchema(Document document, string pointer) => new JsonObject { ["$ref"] = Reference(document, pointer) }.ToJsonString();

    private static string Reference(Document document, string pointer) => document.Uri + "#" + pointer
        .Replace("%", "%25", StringComparison.Ordinal).Replace("{", "%7B", StringComparison.Ordinal).Replace("}", "%7D", StringComparison.Ordinal)
        .Replace(" ", "%20", StringComparison.Ordinal).Replace("\"", "%22", StringComparison.Ordinal);

    private void Evaluate(Document document, string schemaText, Uri? schemaUri, JsonNode? instance, string wherePrefix, string fallbackLocation, Action<string, string, string, string> report)
    {
        // Built once per schema text, under the lock: JsonSchema.Net registers each built schema under its URI in the
        // document's registry and refuses a second registration, so two threads must never build the same one, and a
        // generated URI must never be handed out twice.
        var cacheKey = document.Index + "|" + schemaText;
        if (!_schemas.TryGetValue(cacheKey, out var schema))
        {
            lock (_build)
            {
                if (!_schemas.TryGetValue(cacheKey, out schema))
                {
                    schema = JsonSchema.FromText(schemaText, document.Build, schemaUri ?? new Uri(document.Uri + "/schema/" + (++_built).ToString(CultureInfo.InvariantCulture)));
                    _schemas[cacheKey] = schema;
                }
            }
        }

        var results = schema.Evaluate(JsonSerializer.SerializeToElement(instance), Evaluation);
        if (results.IsValid)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var detail in RealErrors(results))
        {
            var instancePath = detail.InstanceLocation.ToString();
            var location = SchemaLocation(document, detail.SchemaLocation, fallbackLocation);
            foreach (var (key, text) in detail.Errors!)
            {
                var evaluationPath = detail.EvaluationPath.ToString();
                var keyword = key.Length > 0 && key != "false" ? key
                    : evaluationPath.Contains("/additionalProperties", StringComparison.Ordinal) ? "additionalProperties"
                    : evaluationPath.Split('/').LastOrDefault(s => s.Length > 0 && !char.IsAsciiDigit(s[0])) ?? "schema";
                var said = keyword == "enum" ? $"{text}: {Json(FormValues.Resolve(instance ?? JsonValue.Create(0), "#" + instancePath))} is not one of {Json((FormValues.Resolve(document.Raw, "#" + location[(location.IndexOf('#', StringComparison.Ordinal) + 1)..]) as JsonObject)?["enum"])}" : text;
                foreach (var (where, message) in Explain(wherePrefix, instancePath, keyword, said))
                {
                    if (seen.Add(where + "|" + keyword + "|" + message))
                    {
                        report(where, location, keyword, message);
                    }
                }
            }
        }
    }

    private static string Json(JsonNode? node) => node?.ToJsonString() ?? "null";

    // One violation per missing required property and per undeclared property, worded for the place (query or body).
    private static IEnumerable<(string Where, string Message)> Explain(string prefix, string instancePath, string keyword, string text)
    {
        var isQuery = prefix == "query:";
        if (keyword == "required" && RequiredList.Match(text) is { Success: true } list)
        {
            foreach (var name in JsonSerializer.Deserialize<string[]>("[" + list.Groups["names"].Value + "]") ?? [])
            {
                yield return isQuery
                    ? ("query:" + name, $"Required query parameter \"{name}\" is not present")
                    : (prefix + (instancePath.Length == 0 ? "/" : instancePath), $"Required property \"{name}\" is not present");
            }

            yield break;
        }

        var where = isQuery ? "query:" + QueryName(instancePath) : prefix + (instancePath.Length == 0 ? "/" : instancePath);
        if (keyword == "additionalProperties")
        {
            var name = Unescape(instancePath.Split('/')[^1]);
            var trimmedParent = instancePath.Contains('/', StringComparison.Ordinal) ? instancePath[..instancePath.LastIndexOf('/')] : "";
            yield return isQuery && trimmedParent.Length == 0
                ? (where, $"Query parameter \"{name}\" is not declared by the operation")
                : (where, $"Property \"{name}\" is not declared by the schema (additionalProperties: false)");
            yield break;
        }

        yield return (where, text);
    }

    // "/created/gte" -> "created[gte]"
    private static string QueryName(string instancePath)
    {
        var tokens = instancePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Unescape).ToList();
        return tokens.Count == 0 ? "" : tokens[0] + string.Concat(tokens.Skip(1).Select(t => "[" + t + "]"));
    }

    private static string Unescape(string token) => token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);

    private static string SchemaLocation(Document document, Uri location, string fallback)
    {
        var text = location.OriginalString;
        var hash = text.IndexOf('#', StringComparison.Ordinal);
        var resource = hash < 0 ? text : text[..hash];
        return resource == document.Uri.OriginalString && hash >= 0 ? document.FileName + "#" + Uri.UnescapeDataString(text[(hash + 1)..]) : fallback;
    }

    // The List output also holds the failing branches of an anyOf/oneOf that passed: drop errors under a combinator
    // that is valid at the same instance location. Of a combinator that failed, keep the errors of the branches that
    // got furthest into the value (deepest instance location; a branch refused outright for its type, such as the
    // null of a nullable field, counts less), so that a customer missing one field is not also reported as a
    // deleted_customer missing "deleted".
    private static List<EvaluationResults> RealErrors(EvaluationResults results)
    {
        var all = results.Details ?? [];
        var valid = all.Where(d => d.IsValid).Select(d => (Instance: d.InstanceLocation.ToString(), Path: d.EvaluationPath.ToString())).ToList();
        var nodes = all.Select(d => (Instance: d.InstanceLocation.ToString(), Path: d.EvaluationPath.ToString())).ToList();
        var errors = new List<(EvaluationResults Detail, List<(string Key, int Branch)> Branches, (int, int) Score)>();
        foreach (var detail in all.Where(d => d.Errors is { Count: > 0 }))
        {
            var path = detail.EvaluationPath.ToString();
            var instance = detail.InstanceLocation.ToString();
            var masked = false;
            var branches = new List<(string, int)>();
            foreach (var (at, length) in Combinators(path).OrderBy(c => c.At))
            {
                var combinator = path[..at];
                masked |= valid.Any(v => v.Path == combinator && instance.StartsWith(v.Instance, StringComparison.Ordinal));
                var owner = nodes.Where(n => n.Path == combinator && instance.StartsWith(n.Instance, StringComparison.Ordinal))
                    .Select(n => n.Instance).DefaultIfEmpty("").MaxBy(i => i.Length)!;
                var rest = path[(at + length)..];
                var digits = new string([.. rest.TakeWhile(char.IsAsciiDigit)]);
                branches.Add((combinator + "@" + owner, int.Parse(digits.Length == 0 ? "0" : digits, CultureInfo.InvariantCulture)));
            }

            if (!masked)
            {
                var depth = instance.Count(c => c == '/');
                var outright = detail.Errors!.ContainsKey("type") && branches.Count > 0 && branches[^1].Item1.EndsWith("@" + instance, StringComparison.Ordinal);
                errors.Add((detail, branches, (depth, outright ? 0 : 1)));
            }
        }

        var best = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        var scores = new Dictionary<(string, int), (int, int)>();
        foreach (var (_, branches, score) in errors)
        {
            foreach (var key in branches)
            {
                scores[key] = scores.TryGetValue(key, out var s) && Compare(s, score) >= 0 ? s : score;
            }
        }

        foreach (var ((key, _), score) in scores)
        {
            best[key] = best.TryGetValue(key, out var b) && Compare(b, score) >= 0 ? b : score;
        }

        return [.. errors.Where(e => e.Branches.All(k => Compare(scores[k], best[k.Key]) == 0)).Select(e => e.Detail)];
    }

    private static int Compare((int Depth, int Kind) a, (int Depth, int Kind) b) => a.Depth != b.Depth ? a.Depth.CompareTo(b.Depth) : a.Kind.CompareTo(b.Kind);

    private static IEnumerable<(int At, int Length)> Combinators(string path)
    {
        foreach (var combinator in new[] { "/anyOf/", "/oneOf/" })
        {
            for (var i = path.IndexOf(combinator, StringComparison.Ordinal); i >= 0; i = path.IndexOf(combinator, i + 1, StringComparison.Ordinal))
            {
                yield return (i, combinator.Length);
            }
        }
    }

    private Action<string, string, string, string> Reporter(List<ConformanceViolation> violations, ConformanceSide side, string operation) =>
        (where, location, keyword, message) => violations.Add(new ConformanceViolation(Platform, side, operation, where, location, keyword, message));

    private static string? MediaType(string? contentType) =>
        contentType is null ? null : contentType.Split(';')[0].Trim().ToLowerInvariant();

    private static MediaPlan? Pick(IReadOnlyDictionary<string, MediaPlan> declared, string? media)
    {
        if (media is null)
        {
            return null;
        }

        foreach (var (type, plan) in declared)
        {
            var name = MediaType(type)!;
            if (name == media || name == "*/*" || (name.EndsWith("/*", StringComparison.Ordinal) && media.StartsWith(name[..^1], StringComparison.Ordinal)))
            {
                return plan;
            }
        }

        return null;
    }

    private static bool IsJson(string? media) => media is not null && (media == "application/json" || media.EndsWith("+json", StringComparison.Ordinal) || media.EndsWith("/json", StringComparison.Ordinal));

    private static bool Parse(ReadOnlyMemory<byte> bytes, out JsonNode? node, out string? error)
    {
        try
        {
            node = JsonNode.Parse(bytes.Span);
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            node = null;
            error = ex.Message;
            return false;
        }
    }

    private static string Pointer(params string[] tokens) => string.Concat(tokens.Select(t => "/" + Escape(t)));

    private static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private sealed record Document(int Index, string FileName, OpenApiDocument Model, JsonNode Raw, bool Swagger2, Uri Uri, BuildOptions Build, IReadOnlyList<string> QueryKeys);

    private sealed record Loaded(IReadOnlyList<Document> Documents, IReadOnlyList<string> Diagnostics);

    private sealed record QueryParameter(JsonNode Schema, bool Explode);

    private sealed record RequiredHeader(string Name, string Location);

    private sealed record MediaPlan(string Type, string? SchemaPointer);

    private sealed record ResponsePlan(string Key, string Location, IReadOnlyDictionary<string, MediaPlan> Content);

    private sealed record Plan(
        string Operation,
        IReadOnlyDictionary<string, QueryParameter> Query,
        string QuerySchemaText,
        Uri QuerySchemaUri,
        string ParametersLocation,
        IReadOnlyList<RequiredHeader> RequiredHeaders,
        IReadOnlyDictionary<string, MediaPlan> Body,
        bool BodyRequired,
        string BodyLocation,
        IReadOnlyDictionary<string, ResponsePlan> Responses,
        string ResponsesLocation);
}
