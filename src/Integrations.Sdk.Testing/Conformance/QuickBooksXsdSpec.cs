using System.Xml;
using System.Xml.Schema;

namespace Integrations.Sdk.Testing.Conformance;

/// <summary>
/// The QuickBooks Online Accounting API's published truth: Intuit publishes no OpenAPI for it, only the v3 XML Schema
/// (<c>IntuitRestServiceDef.xsd</c> with <c>Finance.xsd</c>, <c>IntuitNamesTypes.xsd</c>, <c>IntuitBaseTypes.xsd</c>,
/// <c>Report.xsd</c>; embedded in this package). The JSON on the wire uses the schema's element and attribute names,
/// so this spec checks <b>field names and scalar types per XSD</b>: every JSON property must be an element or
/// attribute of the entity's <c>complexType</c> (its <c>extension base</c> chain included), with the JSON kind of its
/// XSD type (<c>xs:decimal</c>/<c>xs:int</c> a number, <c>xs:boolean</c> a bool, <c>xs:date</c>/<c>xs:dateTime</c>/
/// <c>xs:string</c> a string whose text the XSD type accepts, enumerations included; a reference such as
/// <c>CustomerRef</c> an object <c>{"value","name"}</c>), an array where <c>maxOccurs</c> allows many, and every element
/// of <c>minOccurs</c> 1 (outside a choice) present. Element order, choice groups and <c>xsi:type</c> are not checked.
/// </summary>
/// <remarks>
/// Requests: <c>POST /v3/company/{realmId}/{entity}</c> (create or update; a sparse update, <c>operation=delete</c> or
/// <c>void</c> skips the required check), <c>GET /v3/company/{realmId}/{entity}/{id}</c>, and
/// <c>GET|POST /v3/company/{realmId}/query</c> (a <c>query</c> parameter, or the query text as the POST body); query
/// parameters are <c>minorversion</c> (an integer), <c>requestid</c>, <c>operation</c>, <c>include</c> and, for queries,
/// <c>query</c>; <c>POST .../batch</c> (its body against <c>complexType IntuitBatchRequest</c>), <c>GET .../cdc</c>
/// (<c>entities</c> and <c>changedSince</c> required), <c>GET .../reports/{name}</c> and <c>.../{entity}/{id}/send|pdf</c>
/// are known routes. Responses: the <c>IntuitResponse</c> envelope (<c>{"Invoice":{...},"time":...}</c>,
/// <c>{"QueryResponse":{"Invoice":[...],"startPosition":1,"maxResults":n},"time":...}</c>, or
/// <c>{"Fault":{"Error":[{"Message","Detail","code","element"}],"type"},"time":...}</c>) checked against the
/// <c>complexType IntuitResponse</c>. The OAuth token endpoint is outside the schema and passes.
/// </remarks>
public sealed class QuickBooksXsdSpec : IPlatformSpec
{
    private const string Namespace = "http://schema.intuit.com/finance/v3";
    private const string ResourcePrefix = "Integrations.Sdk.Testing.Specs.quickbooks.";
    private const string RootFile = "IntuitRestServiceDef.xsd";

    private static readonly Lazy<QuickBooksXsdSpec> Embedded = new(() => new QuickBooksXsdSpec(OpenEmbedded));
    private static readonly HashSet<string> WriteParameters = new(StringComparer.Ordinal) { "minorversion", "requestid", "operation", "include" };
    private static readonly HashSet<string> QueryParameters = new(StringComparer.Ordinal) { "minorversion", "requestid", "query", "include" };
    private static readonly HashSet<string> CdcParameters = new(StringComparer.Ordinal) { "minorversion", "entities", "changedSince" };

    private readonly Dictionary<string, XmlSchemaElement> _entities = new(StringComparer.OrdinalIgnoreCase);
    private readonly XmlSchemaComplexType _response;
    private readonly XmlSchemaComplexType _batch;
    private readonly XmlNameTable _names;
    private readonly Dictionary<XmlSchemaComplexType, Members> _members = [];
    private readonly Lock _gate = new();

    private QuickBooksXsdSpec(Func<string, Stream?> open)
    {
        var resolver = new FileResolver(open);
        var set = new XmlSchemaSet { XmlResolver = resolver };
        var errors = new List<string>();
        set.ValidationEventHandler += (_, e) =>
        {
            if (e.Severity == XmlSeverityType.Error)
            {
                errors.Add(e.Message);
            }
        };
        using (var root = open(RootFile) ?? throw new FileNotFoundException($"The QuickBooks schema file {RootFile} was not found.", RootFile))
        using (var reader = XmlReader.Create(root, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = resolver }, FileResolver.BaseUri + RootFile))
        {
            set.Add(Namespace, reader);
        }

        set.Compile();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The QuickBooks schema does not compile: " + string.Join("; ", errors));
        }

        _names = set.NameTable;
        var head = new XmlQualifiedName("IntuitObject", Namespace);
        foreach (XmlSchemaElement element in set.GlobalElements.Values)
        {
            if (element.SubstitutionGroup == head && !element.IsAbstract)
            {
                _entities[element.Name!] = element;
            }
        }

        _response = set.GlobalTypes[new XmlQualifiedName("IntuitResponse", Namespace)] as XmlSchemaComplexType
            ?? throw new InvalidOperationException("The QuickBooks schema has no complexType IntuitResponse.");
        _batch = set.GlobalTypes[new XmlQualifiedName("IntuitBatchRequest", Namespace)] as XmlSchemaComplexType
            ?? throw new InvalidOperationException("The QuickBooks schema has no complexType IntuitBatchRequest.");
    }

    /// <summary>The spec over the XSDs embedded in this package (<c>intuit/QuickBooks-V3-DotNET-SDK</c>, minor version 75 schema), loaded once.</summary>
    public static QuickBooksXsdSpec Default => Embedded.Value;

    /// <inheritdoc />
    public string Platform => "quickbooks";

    /// <summary>
    /// A spec over the XSDs in <paramref name="directory"/> (for example a newer schema from Intuit's SDK):
    /// <c>IntuitRestServiceDef.xsd</c> and the files it includes.
    /// </summary>
    /// <param name="directory">The folder holding the <c>.xsd</c> files.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="FileNotFoundException">A schema file is missing.</exception>
    /// <exception cref="InvalidOperationException">The schema does not compile.</exception>
    public static QuickBooksXsdSpec FromDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return new QuickBooksXsdSpec(file =>
        {
            var path = Path.Combine(directory, file);
            return File.Exists(path) ? File.OpenRead(path) : null;
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<ConformanceViolation> CheckRequest(ConformanceExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var found = new Report(Platform, ConformanceSide.Request, Operation(exchange));
        var route = Route.Parse(exchange.Path);
        if (route.Kind == RouteKind.Token)
        {
            return found.Violations;
        }

        var query = ParseQuery(exchange.Query);
        switch (route.Kind)
        {
            case RouteKind.Query:
                CheckParameters(found, query, QueryParameters);
                var text = query.GetValueOrDefault("query");
                if (string.IsNullOrWhiteSpace(text) && exchange.Method == "POST")
                {
                    text = Encoding.UTF8.GetString(exchange.RequestBody.Span);
                }

                if (exchange.Method is not ("GET" or "POST"))
                {
                    found.Add("method", RootFile, "operation", $"a query is a GET or a POST, not {exchange.Method}");
                }
                else if (string.IsNullOrWhiteSpace(text))
                {
                    found.Add("query:query", RootFile, "required", "a query needs the 'query' parameter (or, on POST, the query text as the body)");
                }
                else if (!text.TrimStart().StartsWith("select", StringComparison.OrdinalIgnoreCase))
                {
                    found.Add("query:query", RootFile, "format", $"a query starts with SELECT: '{text}'");
                }
                else if (QueriedEntity(text) is { } name && !_entities.ContainsKey(name))
                {
                    found.Add("query:query", RootFile, "enum", $"'{name}' is not an entity of the schema (an element of substitutionGroup IntuitObject)");
                }

                break;
            case RouteKind.Batch:
                CheckParameters(found, query, WriteParameters);
                if (exchange.Method != "POST")
                {
                    found.Add("method", RootFile, "operation", $"a batch is a POST, not {exchange.Method}");
                    break;
                }

                // Each BatchItemRequest carries an entity, a Query or a CDCQuery; its entity is checked without the required rule (updates and deletes are partial).
                CheckBody(found, exchange, _batch, "IntuitBatchRequest", required: false);
                break;
            case RouteKind.Cdc:
                CheckParameters(found, query, CdcParameters);
                if (!query.ContainsKey("entities"))
                {
                    found.Add("query:entities", RootFile + "#CDCQuery", "required", "a change data capture request names its entities (element Entities of complexType CDCQuery)");
                }

                if (!query.TryGetValue("changedSince", out var since))
                {
                    found.Add("query:changedSince", RootFile + "#CDCQuery", "required", "a change data capture request says since when (element ChangedSince of complexType CDCQuery)");
                }
                else if (!DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                {
                    found.Add("query:changedSince", RootFile + "#CDCQuery", "format", $"changedSince is an xs:dateTime, not '{since}'");
                }

                break;
            case RouteKind.Report or RouteKind.EntityAction:
                if (route.Kind == RouteKind.EntityAction && !_entities.ContainsKey(route.Entity))
                {
                    found.Add("path", RootFile, "operation", $"'{route.Entity}' is not an entity of the schema (an element of substitutionGroup IntuitObject)");
                }

                break;
            case RouteKind.Entity or RouteKind.EntityById:
                if (!_entities.TryGetValue(route.Entity, out var entity))
                {
                    found.Add("path", RootFile, "operation", $"'{route.Entity}' is not an entity of the schema (an element of substitutionGroup IntuitObject)");
                    break;
                }

                CheckParameters(found, query, WriteParameters);
                if (route.Kind == RouteKind.EntityById)
                {
                    if (exchange.Method != "GET")
                    {
                        found.Add("method", RootFile, "operation", $"an entity is read with GET; it is written with POST to /v3/company/{{realmId}}/{route.Entity}, not {exchange.Method} to its id");
                    }

                    break;
                }

                if (exchange.Method != "POST")
                {
                    found.Add("method", RootFile, "operation", $"an entity is created or updated with POST, not {exchange.Method}");
                    break;
                }

                CheckEntityBody(found, exchange, entity, query.GetValueOrDefault("operation"));
                break;
            default:
                found.Add("path", string.Empty, "operation", $"no QuickBooks Online Accounting API route: {exchange.Path} (expected /v3/company/{{realmId}}/{{entity}}, /{{entity}}/{{id}} or /query)");
                break;
        }

        return found.Violations;
    }

    /// <inheritdoc />
    public IReadOnlyList<ConformanceViolation> CheckResponse(ConformanceExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var found = new Report(Platform, ConformanceSide.Response, Operation(exchange));
        var route = Route.Parse(exchange.Path);
        if (route.Kind is RouteKind.Token or RouteKind.Report || exchange.Status is null)
        {
            // Reports answer a bare Report object whose JSON mapping (Rows, ColData) is not checked here.
            return found.Violations;
        }

        JsonElement body;
        try
        {
            using var document = JsonDocument.Parse(exchange.ResponseBody);
            body = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            found.Add("body", RootFile + "#IntuitResponse", "type", $"the answer is not JSON ({ex.Message}); QuickBooks answers an IntuitResponse");
            return found.Violations;
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            found.Add("body", RootFile + "#IntuitResponse", "type", $"the answer is a JSON {body.ValueKind}, not an IntuitResponse object");
            return found.Violations;
        }

        var status = exchange.Status.Value;
        if (status is 401 or 403 or 429 && body.TryGetProperty("fault", out var gateway))
        {
            // Intuit's gateway answers authentication failures and throttling with a lower-case fault, outside the schema.
            CheckGatewayFault(found, gateway);
            return found.Violations;
        }

        CheckObject(found, body, _response, "body:", required: true);
        var hasFault = body.TryGetProperty("Fault", out _);
        if (status >= 400 && !hasFault)
        {
            found.Add("body", RootFile + "#IntuitResponse", "required", $"an error answer ({status}) carries the element Fault");
        }
        else if (status < 300 && hasFault && route.Kind != RouteKind.Query)
        {
            found.Add("status", RootFile + "#IntuitResponse", "status", $"a Fault came with status {status}");
        }
        else if (status < 300 && route.Kind is RouteKind.Entity or RouteKind.EntityById && _entities.TryGetValue(route.Entity, out var entity)
            && !body.TryGetProperty(entity.Name!, out _))
        {
            found.Add("body", RootFile + "#IntuitResponse", "required", $"the answer to a {route.Entity} request carries the element {entity.Name}");
        }
        else if (status < 300 && route.Kind == RouteKind.Query && !body.TryGetProperty("QueryResponse", out _))
        {
            found.Add("body", RootFile + "#IntuitResponse", "required", "the answer to a query carries the element QueryResponse");
        }

        return found.Violations;
    }

    private static Stream? OpenEmbedded(string file) =>
        typeof(QuickBooksXsdSpec).Assembly.GetManifestResourceStream(ResourcePrefix + file);

    private static string Operation(ConformanceExchange exchange)
    {
        var route = Route.Parse(exchange.Path);
        return route.Kind switch
        {
            RouteKind.Query => $"{exchange.Method} /v3/company/{{realmId}}/query",
            RouteKind.Entity => $"{exchange.Method} /v3/company/{{realmId}}/{route.Entity}",
            RouteKind.EntityById => $"{exchange.Method} /v3/company/{{realmId}}/{route.Entity}/{{id}}",
            RouteKind.EntityAction => $"{exchange.Method} /v3/company/{{realmId}}/{route.Entity}/{{id}}/{route.Action}",
            RouteKind.Batch => $"{exchange.Method} /v3/company/{{realmId}}/batch",
            RouteKind.Cdc => $"{exchange.Method} /v3/company/{{realmId}}/cdc",
            RouteKind.Report => $"{exchange.Method} /v3/company/{{realmId}}/reports/{route.Entity}",
            _ => $"{exchange.Method} {exchange.Path}",
        };
    }

    private static string? QueriedEntity(string query)
    {
        var parts = query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var from = Array.FindIndex(parts, p => p.Equals("from", StringComparison.OrdinalIgnoreCase));
        return from >= 0 && from + 1 < parts.Length ? parts[from + 1] : null;
    }

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            result[name] = value;
        }

        return result;
    }

    private static void CheckParameters(Report found, Dictionary<string, string> query, HashSet<string> allowed)
    {
        foreach (var (name, value) in query)
        {
            if (!allowed.Contains(name))
            {
                found.Add("query:" + name, string.Empty, "additionalProperties", $"'{name}' is not a parameter of this QuickBooks operation (known: {string.Join(", ", allowed)})");
            }
        }

        if (query.TryGetValue("minorversion", out var minor) && !int.TryParse(minor, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            found.Add("query:minorversion", string.Empty, "type", $"minorversion is a whole number (for example 75), not '{minor}'");
        }

        if (query.TryGetValue("operation", out var operation) && operation is not ("delete" or "void" or "update"))
        {
            found.Add("query:operation", "IntuitRestServiceDef.xsd#OperationEnum", "enum", $"operation '{operation}' is not one of delete, void, update");
        }
    }

    private static void CheckGatewayFault(Report found, JsonElement fault)
    {
        if (fault.ValueKind != JsonValueKind.Object || !fault.TryGetProperty("error", out var errors) || errors.ValueKind != JsonValueKind.Array
            || errors.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("code", out _)))
        {
            found.Add("body:/fault", string.Empty, "required", "Intuit's gateway fault is {\"fault\":{\"error\":[{\"message\",\"detail\",\"code\"}],\"type\"}}");
        }
    }

    private void CheckEntityBody(Report found, ConformanceExchange exchange, XmlSchemaElement entity, string? operation) =>
        CheckBody(found, exchange, (XmlSchemaComplexType)entity.ElementSchemaType!, entity.Name!, required: operation is null);

    private void CheckBody(Report found, ConformanceExchange exchange, XmlSchemaComplexType type, string name, bool required)
    {
        if (exchange.RequestContentType is { } contentType && !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            found.Add("header:Content-Type", string.Empty, "type", $"the JSON API takes application/json, not {contentType}");
            return;
        }

        JsonElement body;
        try
        {
            using var document = JsonDocument.Parse(exchange.RequestBody);
            body = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            found.Add("body", Where(type), "type", $"the body is not JSON: {ex.Message}");
            return;
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            found.Add("body", Where(type), "type", $"the body is a JSON {body.ValueKind}, not a {name} object");
            return;
        }

        var sparse = body.TryGetProperty("sparse", out var flag) && flag.ValueKind == JsonValueKind.True;
        CheckObject(found, body, type, "body:", required: required && !sparse);
    }

    /// <summary>Checks a JSON object against a complexType: its property names, their JSON kinds and the required elements.</summary>
    private void CheckObject(Report found, JsonElement json, XmlSchemaComplexType type, string where, bool required)
    {
        var members = MembersOf(type);
        foreach (var property in json.EnumerateObject())
        {
            var at = where + "/" + property.Name;
            if (!members.ByName.TryGetValue(property.Name, out var member))
            {
                if (!members.AnyElement)
                {
                    found.Add(at, Where(type), "additionalProperties",
                        $"'{property.Name}' is not an element or attribute of complexType {members.Lineage}");
                }

                continue;
            }

            CheckMember(found, property.Value, member, at, required);
        }

        if (!required)
        {
            return;
        }

        foreach (var member in members.ByName.Values.Where(m => m.Required && !json.TryGetProperty(m.Name, out _)))
        {
            found.Add(where.Length == "body:".Length ? "body" : where, Where(member.Declared), "required",
                $"{(member.IsAttribute ? "attribute" : "element")} '{member.Name}' of complexType {members.Lineage} is required ({(member.IsAttribute ? "use=\"required\"" : "minOccurs=1")})");
        }
    }

    private void CheckMember(Report found, JsonElement value, Member member, string at, bool required)
    {
        if (member.Many)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                found.Add(at, Where(member.Declared), "type", $"element '{member.Name}' (maxOccurs {member.MaxOccursText}) is a JSON array, not {Describe(value)}");
                return;
            }

            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                CheckValue(found, item, member, $"{at}/{i++}", required);
            }

            return;
        }

        CheckValue(found, value, member, at, required);
    }

    private void CheckValue(Report found, JsonElement value, Member member, string at, bool required)
    {
        switch (member.Type)
        {
            case XmlSchemaComplexType complex when complex.ContentType is XmlSchemaContentType.TextOnly:
                // simpleContent (a reference such as CustomerRef): {"value": "...", "name": "..."} with the attributes.
                if (value.ValueKind != JsonValueKind.Object)
                {
                    found.Add(at, Where(member.Declared), "type",
                        $"'{member.Name}' is of complexType {Name(complex)} (simpleContent), a JSON object {{\"value\", {string.Join(", ", MembersOf(complex).ByName.Keys.Select(k => $"\"{k}\""))}}}, not {Describe(value)}");
                    return;
                }

                foreach (var property in value.EnumerateObject())
                {
                    if (property.Name == "value")
                    {
                        CheckScalar(found, property.Value, complex.Datatype, Name(complex) + " (simpleContent)", member.Declared, at + "/value");
                    }
                    else if (MembersOf(complex).ByName.TryGetValue(property.Name, out var attribute))
                    {
                        CheckValue(found, property.Value, attribute, at + "/" + property.Name, required);
                    }
                    else
                    {
                        found.Add(at + "/" + property.Name, Where(complex), "additionalProperties",
                            $"'{property.Name}' is not 'value' or an attribute of complexType {Name(complex)}");
                    }
                }

                break;
            case XmlSchemaComplexType complex:
                if (value.ValueKind != JsonValueKind.Object)
                {
                    found.Add(at, Where(member.Declared), "type", $"'{member.Name}' is of complexType {Name(complex)}, a JSON object, not {Describe(value)}");
                    return;
                }

                CheckObject(found, value, complex, at, required);
                break;
            case XmlSchemaSimpleType simple:
                CheckScalar(found, value, simple.Datatype, Name(simple), member.Declared, at);
                break;
            default:
                break;
        }
    }

    private void CheckScalar(Report found, JsonElement value, XmlSchemaDatatype? datatype, string typeName, XmlSchemaObject declared, string at)
    {
        if (datatype is null)
        {
            return;
        }

        var expected = KindOf(datatype.TypeCode);
        var actual = value.ValueKind switch
        {
            JsonValueKind.Number => JsonKind.Number,
            JsonValueKind.True or JsonValueKind.False => JsonKind.Boolean,
            JsonValueKind.String => JsonKind.String,
            _ => JsonKind.Other,
        };
        if (actual != expected)
        {
            found.Add(at, Where(declared), "type", $"{typeName} is a JSON {expected.ToString().ToLowerInvariant()}, not {Describe(value)}");
            return;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => value.GetRawText(),
        };
        try
        {
            datatype.ParseValue(text, _names, null);
        }
        catch (XmlSchemaException ex)
        {
            found.Add(at, Where(declared), HasEnumeration(declared) ? "enum" : "format", $"'{text}' is not a valid {typeName}: {ex.Message}");
        }
        catch (FormatException ex)
        {
            found.Add(at, Where(declared), "format", $"'{text}' is not a valid {typeName}: {ex.Message}");
        }
    }

    private static bool HasEnumeration(XmlSchemaObject declared) =>
        (declared switch
        {
            XmlSchemaElement element => element.ElementSchemaType,
            XmlSchemaAttribute attribute => attribute.AttributeSchemaType,
            _ => null,
        }) is XmlSchemaSimpleType { Content: XmlSchemaSimpleTypeRestriction restriction }
        && restriction.Facets.OfType<XmlSchemaEnumerationFacet>().Any();

    private static JsonKind KindOf(XmlTypeCode code) => code switch
    {
        XmlTypeCode.Boolean => JsonKind.Boolean,
        XmlTypeCode.Decimal or XmlTypeCode.Integer or XmlTypeCode.Int or XmlTypeCode.Long or XmlTypeCode.Short or XmlTypeCode.Byte
            or XmlTypeCode.Double or XmlTypeCode.Float or XmlTypeCode.NonNegativeInteger or XmlTypeCode.PositiveInteger
            or XmlTypeCode.NonPositiveInteger or XmlTypeCode.NegativeInteger or XmlTypeCode.UnsignedInt or XmlTypeCode.UnsignedLong
            or XmlTypeCode.UnsignedShort or XmlTypeCode.UnsignedByte => JsonKind.Number,
        _ => JsonKind.String,
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        _ => $"the {value.ValueKind.ToString().ToLowerInvariant()} {value.GetRawText()}",
    };

    private static string Name(XmlSchemaType type) => type.QualifiedName.IsEmpty ? "(anonymous)" : type.QualifiedName.Name;

    private static string Where(XmlSchemaObject item)
    {
        var file = string.IsNullOrEmpty(item.SourceUri) ? RootFile : item.SourceUri[(item.SourceUri.LastIndexOf('/') + 1)..];
        var name = item switch
        {
            XmlSchemaType t => "complexType " + Name(t),
            XmlSchemaElement e => "element " + (e.QualifiedName.IsEmpty ? e.Name : e.QualifiedName.Name),
            XmlSchemaAttribute a => "attribute " + (a.QualifiedName.IsEmpty ? a.Name : a.QualifiedName.Name),
            _ => item.GetType().Name,
        };
        return $"{file}:{item.LineNumber} {name}";
    }

    private Members MembersOf(XmlSchemaComplexType type)
    {
        lock (_gate)
        {
            if (_members.TryGetValue(type, out var known))
            {
                return known;
            }

            var members = new Members(Lineage(type));
            Collect(members, type.ContentTypeParticle, required: true, many: false);
            foreach (XmlSchemaAttribute attribute in type.AttributeUses.Values)
            {
                var name = attribute.QualifiedName.Name;
                members.ByName.TryAdd(name, new Member(name, attribute.AttributeSchemaType, attribute, attribute.Use == XmlSchemaUse.Required, false, "1", true));
            }

            _members[type] = members;
            return members;
        }
    }

    private void Collect(Members members, XmlSchemaParticle? particle, bool required, bool many)
    {
        if (particle is null)
        {
            return;
        }

        var here = required && particle.MinOccurs >= 1;
        var repeated = many || particle.MaxOccurs > 1;
        switch (particle)
        {
            case XmlSchemaElement element when element.RefName == new XmlQualifiedName("IntuitObject", Namespace)
                || element.QualifiedName == new XmlQualifiedName("IntuitObject", Namespace):
                foreach (var entity in _entities.Values)
                {
                    members.ByName.TryAdd(entity.Name!, new Member(entity.Name!, entity.ElementSchemaType, entity, false, repeated, MaxText(particle), false));
                }

                break;
            case XmlSchemaElement element:
                var name = element.QualifiedName.Name;
                members.ByName.TryAdd(name, new Member(name, element.ElementSchemaType, element, here, repeated, MaxText(particle), false));
                break;
            case XmlSchemaSequence sequence:
                foreach (var item in sequence.Items.OfType<XmlSchemaParticle>())
                {
                    Collect(members, item, here, repeated);
                }

                break;
            case XmlSchemaAll all:
                foreach (var item in all.Items.OfType<XmlSchemaParticle>())
                {
                    Collect(members, item, here, repeated);
                }

                break;
            case XmlSchemaChoice choice:
                foreach (var item in choice.Items.OfType<XmlSchemaParticle>())
                {
                    Collect(members, item, false, repeated);
                }

                break;
            case XmlSchemaAny:
                members.AnyElement = true;
                break;
            default:
                break;
        }
    }

    private static string MaxText(XmlSchemaParticle particle) =>
        particle.MaxOccurs == decimal.MaxValue ? "unbounded" : particle.MaxOccurs.ToString(CultureInfo.InvariantCulture);

    private static string Lineage(XmlSchemaComplexType type)
    {
        var names = new List<string>();
        for (XmlSchemaType? t = type; t is XmlSchemaComplexType && t.QualifiedName.Namespace == Namespace; t = t.BaseXmlSchemaType)
        {
            names.Add(t.QualifiedName.Name);
        }

        return names.Count == 0 ? "(anonymous)" : names.Count == 1 ? names[0] : $"{names[0]} (extends {string.Join(" → ", names.Skip(1))})";
    }

    private enum JsonKind
    {
        String,
        Number,
        Boolean,
        Other,
    }

    private enum RouteKind
    {
        None,
        Token,
        Query,
        Entity,
        EntityById,
        EntityAction,
        Batch,
        Cdc,
        Report,
    }

    private sealed record Member(string Name, XmlSchemaType? Type, XmlSchemaObject Declared, bool Required, bool Many, string MaxOccursText, bool IsAttribute);

    private sealed class Members(string lineage)
    {
        public string Lineage { get; } = lineage;

        public Dictionary<string, Member> ByName { get; } = new(StringComparer.Ordinal);

        public bool AnyElement { get; set; }
    }

    private readonly record struct Route(RouteKind Kind, string Entity, string Action = "")
    {
        public static Route Parse(string path)
        {
            if (path.StartsWith("/oauth2/", StringComparison.Ordinal))
            {
                return new Route(RouteKind.Token, string.Empty);
            }

            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length < 4 || segments[0] != "v3" || segments[1] != "company")
            {
                return new Route(RouteKind.None, string.Empty);
            }

            return segments.Length switch
            {
                4 when segments[3] == "query" => new Route(RouteKind.Query, string.Empty),
                4 when segments[3] == "batch" => new Route(RouteKind.Batch, string.Empty),
                4 when segments[3] == "cdc" => new Route(RouteKind.Cdc, string.Empty),
                5 when segments[3] == "reports" => new Route(RouteKind.Report, segments[4]),
                4 => new Route(RouteKind.Entity, segments[3]),
                5 => new Route(RouteKind.EntityById, segments[3]),
                6 when segments[5] is "send" or "pdf" => new Route(RouteKind.EntityAction, segments[3], segments[5]),
                _ => new Route(RouteKind.None, string.Empty),
            };
        }
    }

    private sealed class Report(string platform, ConformanceSide side, string operation)
    {
        public List<ConformanceViolation> Violations { get; } = [];

        public void Add(string where, string schemaLocation, string keyword, string message) =>
            Violations.Add(new ConformanceViolation(platform, side, operation, where, schemaLocation, keyword, message));
    }

    /// <summary>Resolves <c>xs:include</c>s by file name through the given opener (embedded resources or a folder).</summary>
    private sealed class FileResolver(Func<string, Stream?> open) : XmlResolver
    {
        public const string BaseUri = "https://conformance.local/specs/quickbooks/";

        public override object? GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn)
        {
            var file = absoluteUri.Segments[^1];
            return open(file) ?? throw new FileNotFoundException($"The QuickBooks schema file {file} was not found.", file);
        }
    }
}
