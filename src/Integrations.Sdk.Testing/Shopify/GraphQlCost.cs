using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;

namespace Integrations.Sdk.Testing.Shopify;

/// <summary>A document Shopify would refuse before running it: its <c>errors</c>, in Shopify's shape.</summary>
internal sealed class GraphQlRejectedException(JsonArray errors)
    : Exception(string.Join("; ", errors.Select(e => e?["message"]?.GetValue<string>())))
{
    /// <summary>The errors: <c>[{ message, locations: [{ line, column }], path, extensions: { code, ... } }]</c>.</summary>
    public JsonArray Errors { get; } = errors;
}

/// <summary>
/// A GraphQL request as the simulator reads it: the document parsed by GraphQL-Parser, validated against the Admin
/// API schema subset (<see cref="AdminSchema"/>), and costed by the rules Shopify documents for the GraphQL Admin API
/// (shopify.dev, "GraphQL Admin API rate limits"): a field returning a scalar or an enum costs 0, an object 1, a
/// connection (a field sized by <c>first</c> or <c>last</c>) 2 plus its items, and each mutation field 10. The requested
/// cost sizes connections by their arguments; the actual cost by the items returned.
/// </summary>
/// <remarks>
/// <para>Validation, with the messages and codes of graphql-ruby (the library Shopify's API runs on): a field the
/// type does not have (<c>undefinedField</c>), an argument the field or directive does not take
/// (<c>argumentNotAccepted</c>), a required argument missing (<c>missingRequiredArguments</c>), an enum literal the
/// argument's enum does not have (<c>argumentLiteralsIncompatible</c>), a selection on a scalar or none on an object
/// (<c>selectionMismatch</c>), an unknown type in a fragment or variable (<c>undefinedType</c>,
/// <c>variableRequiresValidType</c>), an unknown directive (<c>undefinedDirective</c>) or fragment
/// (<c>useAndDefineFragment</c>), a variable used but not declared (<c>variableNotDefined</c>). All errors are
/// reported together, each with its location and path.</para>
/// <para>Costing: a connection's <c>nodes</c> (or <c>edges { node }</c>) are its items and its other fields
/// (<c>pageInfo</c>) count once. Fragments are expanded; of several inline fragments with a type condition, the most
/// expensive counts.</para>
/// </remarks>
internal sealed partial class GraphQlCost
{
    private const int MutationCost = 10;
    private const int ObjectCost = 1;
    private const int ConnectionCost = 2;
    private static readonly string[] SizeArguments = ["first", "last"];

    private readonly Dictionary<string, GraphQLFragmentDefinition> _fragments;
    private readonly JsonObject _variables;
    private readonly GraphQLOperationDefinition _operation;

    private GraphQlCost(GraphQLOperationDefinition operation, Dictionary<string, GraphQLFragmentDefinition> fragments, JsonObject variables)
    {
        _operation = operation;
        _fragments = fragments;
        _variables = variables;
    }

    /// <summary>Whether the operation is a mutation.</summary>
    public bool IsMutation => _operation.Operation == OperationType.Mutation;

    /// <summary>Parses the document, picks the operation and validates it against the schema.</summary>
    /// <param name="document">The GraphQL document.</param>
    /// <param name="operationName">The operation's name; may be omitted when the document holds one operation.</param>
    /// <param name="variables">The request's variables (connection sizes and directive arguments may be variables).</param>
    /// <exception cref="GraphQlRejectedException">The document does not parse, the operation is not in it, or it is not valid against the schema.</exception>
    public static GraphQlCost Parse(string document, string? operationName, JsonObject variables)
    {
        GraphQLDocument parsed;
        try
        {
            parsed = Parser.Parse(document, new ParserOptions { Ignore = IgnoreOptions.Comments, MaxDepth = 64 });
        }
        catch (GraphQLParserException ex)
        {
            throw Rejected(Problem($"Parse error: {ex.Description}", ex.Location.Line, ex.Location.Column, null, new JsonObject { ["code"] = "GRAPHQL_PARSE_FAILED" }));
        }

        var operations = parsed.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        var fragments = new Dictionary<string, GraphQLFragmentDefinition>(StringComparer.Ordinal);
        foreach (var fragment in parsed.Definitions.OfType<GraphQLFragmentDefinition>())
        {
            fragments[fragment.FragmentName.Name.StringValue] = fragment;
        }

        var matching = operations.Where(o => operationName is null || o.Name?.StringValue == operationName).ToList();
        if (matching.Count != 1)
        {
            throw Rejected(Problem(
                operationName is null ? "An operation name is required" : $"No operation named \"{operationName}\"",
                null, null, null, new JsonObject { ["code"] = "OPERATION_NOT_FOUND" }));
        }

        var errors = new Validator(document, fragments).Validate(matching[0]);
        return errors.Count > 0 ? throw Rejected([.. errors]) : new GraphQlCost(matching[0], fragments, variables);
    }

    /// <summary>The requested cost: connections counted at the size they ask for.</summary>
    public int Requested() => IsMutation ? MutationCost * Fields(_operation.SelectionSet).Count() : Cost(_operation.SelectionSet, data: null, requested: true);

    /// <summary>The actual cost: connections counted by the items in <paramref name="data"/>.</summary>
    /// <param name="data">The answer's <c>data</c>.</param>
    public int Actual(JsonNode? data) => IsMutation ? Requested() : Cost(_operation.SelectionSet, data, requested: false);

    /// <summary>An argument of a root field as sent: a literal (an enum value as its name) or a variable's value.</summary>
    /// <param name="field">The root field, for example <c>orders</c>.</param>
    /// <param name="argument">The argument, for example <c>sortKey</c>.</param>
    public JsonNode? RootArgument(string field, string argument) =>
        Fields(_operation.SelectionSet).Where(f => f.Name.StringValue == field)
            .Select(f => f.Arguments?.Items.FirstOrDefault(a => a.Name.StringValue == argument)?.Value)
            .Select(Value).FirstOrDefault(v => v is not null);

    /// <summary>An argument of a directive on a root field as sent (a literal or a variable's value).</summary>
    /// <param name="field">The root field, for example <c>inventoryAdjustQuantities</c>.</param>
    /// <param name="directive">The directive, for example <c>idempotent</c>.</param>
    /// <param name="argument">Its argument, for example <c>key</c>.</param>
    public JsonNode? RootDirectiveArgument(string field, string directive, string argument) =>
        Fields(_operation.SelectionSet).Where(f => f.Name.StringValue == field)
            .SelectMany(f => f.Directives?.Items ?? []).Where(d => d.Name.StringValue == directive)
            .Select(d => d.Arguments?.Items.FirstOrDefault(a => a.Name.StringValue == argument)?.Value)
            .Select(Value).FirstOrDefault(v => v is not null);

    private static GraphQlRejectedException Rejected(params JsonObject[] errors) => new([.. errors]);

    private static JsonObject Problem(string message, int? line, int? column, JsonArray? path, JsonObject extensions)
    {
        var error = new JsonObject { ["message"] = message };
        if (line is not null)
        {
            error["locations"] = new JsonArray(new JsonObject { ["line"] = line, ["column"] = column });
        }

        if (path is not null)
        {
            error["path"] = path;
        }

        error["extensions"] = extensions;
        return error;
    }

    private int Cost(GraphQLSelectionSet? selections, JsonNode? data, bool requested)
    {
        var total = 0;
        var alternatives = 0;
        foreach (var selection in selections?.Selections ?? [])
        {
            switch (selection)
            {
                case GraphQLField field:
                    total += FieldCost(field, Child(data, ResponseKey(field)), requested);
                    break;
                case GraphQLFragmentSpread spread:
                    total += Cost(_fragments[spread.FragmentName.Name.StringValue].SelectionSet, data, requested);
                    break;
                case GraphQLInlineFragment { TypeCondition: null } inline:
                    total += Cost(inline.SelectionSet, data, requested);
                    break;
                case GraphQLInlineFragment inline:
                    alternatives = Math.Max(alternatives, Cost(inline.SelectionSet, data, requested));
                    break;
            }
        }

        return total + alternatives;
    }

    private int FieldCost(GraphQLField field, JsonNode? value, bool requested)
    {
        // Validation has made sure leaves (scalars, enums) and only they have no selection set.
        if (field.SelectionSet is null)
        {
            return 0;
        }

        if (Size(field) is { } size)
        {
            var cost = ConnectionCost;
            foreach (var part in Fields(field.SelectionSet))
            {
                if (part.Name.StringValue is "nodes" or "edges")
                {
                    cost += requested
                        ? size * ItemCost(part, null, requested) // every requested item costs the same
                        : (Child(value, ResponseKey(part)) as JsonArray ?? []).Sum(item => ItemCost(part, item, requested));
                }
                else
                {
                    cost += FieldCost(part, Child(value, ResponseKey(part)), requested);
                }
            }

            return cost;
        }

        // An object costs 1 whether or not it came back; what is below a missing one was not fetched.
        return ObjectCost + (!requested && value is null ? 0 : Cost(field.SelectionSet, value, requested));
    }

    private int ItemCost(GraphQLField items, JsonNode? item, bool requested)
    {
        if (items.Name.StringValue == "nodes")
        {
            return ObjectCost + Cost(items.SelectionSet, item, requested);
        }

        // edges { cursor node { ... } }: the edge is the item's wrapper; its node is the object.
        var node = Fields(items.SelectionSet).FirstOrDefault(f => f.Name.StringValue == "node");
        return node is null ? 0 : ObjectCost + Cost(node.SelectionSet, Child(item, ResponseKey(node)), requested);
    }

    private static string ResponseKey(GraphQLField field) => field.Alias?.Name.StringValue ?? field.Name.StringValue;

    private static JsonNode? Child(JsonNode? node, string key) => node is JsonObject o ? o[key] : null;

    private int? Size(GraphQLField field)
    {
        foreach (var name in SizeArguments)
        {
            if (field.Arguments?.Items.FirstOrDefault(a => a.Name.StringValue == name) is { } argument)
            {
                return Value(argument.Value) is JsonValue number && number.GetValueKind() == JsonValueKind.Number && number.TryGetValue<int>(out var size) ? Math.Max(0, size) : 0;
            }
        }

        return null;
    }

    /// <summary>A value as JSON: a variable's value from the request, or a literal (lists and input objects are left out).</summary>
    private JsonNode? Value(GraphQLValue? value) => value switch
    {
        GraphQLVariable variable => _variables[variable.Name.StringValue]?.DeepClone(),
        GraphQLIntValue number => int.TryParse(number.Value.ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n) : null,
        GraphQLStringValue text => JsonValue.Create(text.Value.ToString()),
        GraphQLEnumValue enumValue => JsonValue.Create(enumValue.Name.StringValue),
        GraphQLBooleanValue boolean => JsonValue.Create(boolean.Value.ToString() == "true"),
        _ => null,
    };

    /// <summary>The fields of a selection set, fragments expanded.</summary>
    private IEnumerable<GraphQLField> Fields(GraphQLSelectionSet? selections) => (selections?.Selections ?? []).SelectMany(s => s switch
    {
        GraphQLField field => [field],
        GraphQLFragmentSpread spread => Fields(_fragments[spread.FragmentName.Name.StringValue].SelectionSet),
        GraphQLInlineFragment inline => Fields(inline.SelectionSet),
        _ => [],
    });

    /// <summary>Checks an operation against the schema, as Shopify does before running it.</summary>
    private sealed class Validator(string source, Dictionary<string, GraphQLFragmentDefinition> fragments)
    {
        private readonly AdminSchema _schema = AdminSchema.Instance;
        private readonly List<JsonObject> _errors = [];
        private readonly HashSet<string> _declared = new(StringComparer.Ordinal);
        private readonly HashSet<string> _visiting = new(StringComparer.Ordinal);
        private string _operationLabel = string.Empty;

        public List<JsonObject> Validate(GraphQLOperationDefinition operation)
        {
            var kind = operation.Operation switch
            {
                OperationType.Query => "query",
                OperationType.Mutation => "mutation",
                _ => "subscription",
            };
            _operationLabel = operation.Name is null ? kind : $"{kind} {operation.Name.StringValue}";
            if (operation.Operation == OperationType.Subscription)
            {
                Add(operation, "Schema is not configured for subscriptions", [_operationLabel], new JsonObject { ["code"] = "missingSubscriptionConfiguration" });
                return _errors;
            }

            foreach (var variable in operation.Variables?.Items ?? [])
            {
                var name = variable.Variable.Name.StringValue;
                _declared.Add(name);
                var type = AdminSchema.Named(variable.Type);
                if (!_schema.Types.TryGetValue(type, out var known) || !known.IsInput)
                {
                    Add(variable, $"{type} isn't a defined input type (on ${name})", [_operationLabel],
                        new JsonObject { ["code"] = "variableRequiresValidType", ["typeName"] = type, ["variableName"] = name });
                }
            }

            Directives(operation.Directives, [_operationLabel]);
            var root = operation.Operation == OperationType.Mutation ? _schema.MutationType : _schema.QueryType;
            SelectionSet(operation.SelectionSet, _schema.Types[root], [_operationLabel]);
            return _errors;
        }

        private void SelectionSet(GraphQLSelectionSet? selections, SchemaType parent, List<string> path)
        {
            foreach (var selection in selections?.Selections ?? [])
            {
                switch (selection)
                {
                    case GraphQLField field:
                        Field(field, parent, path);
                        break;
                    case GraphQLFragmentSpread spread:
                        Spread(spread, path);
                        break;
                    case GraphQLInlineFragment inline:
                        var type = inline.TypeCondition is null ? parent : Condition(inline, inline.TypeCondition, [.. path, "..." + (inline.TypeCondition is null ? string.Empty : " on " + inline.TypeCondition.Type.Name.StringValue)]);
                        Directives(inline.Directives, path);
                        if (type is not null)
                        {
                            SelectionSet(inline.SelectionSet, type, [.. path, "... on " + type.Name]);
                        }

                        break;
                }
            }
        }

        private void Spread(GraphQLFragmentSpread spread, List<string> path)
        {
            var name = spread.FragmentName.Name.StringValue;
            var spreadPath = new List<string>(path) { "... " + name };
            Directives(spread.Directives, spreadPath);
            if (!fragments.TryGetValue(name, out var fragment))
            {
                Add(spread, $"Fragment {name} was used, but not defined", spreadPath, new JsonObject { ["code"] = "useAndDefineFragment", ["fragmentName"] = name });
                return;
            }

            if (!_visiting.Add(name))
            {
                Add(spread, $"Fragment {name} contains an infinite loop", spreadPath, new JsonObject { ["code"] = "infiniteLoop", ["fragmentName"] = name });
                return;
            }

            if (Condition(fragment, fragment.TypeCondition, ["fragment " + name]) is { } type)
            {
                SelectionSet(fragment.SelectionSet, type, spreadPath);
            }

            _visiting.Remove(name);
        }

        private SchemaType? Condition(ASTNode node, GraphQLTypeCondition? condition, List<string> path)
        {
            var name = condition?.Type.Name.StringValue ?? string.Empty;
            if (_schema.Types.TryGetValue(name, out var type) && type.Kind is SchemaKind.Object or SchemaKind.Interface or SchemaKind.Union)
            {
                return type;
            }

            Add(node, $"No such type {name}, so it can't be a fragment condition", path, new JsonObject { ["code"] = "undefinedType", ["typeName"] = name });
            return null;
        }

        private void Field(GraphQLField field, SchemaType parent, List<string> path)
        {
            var name = field.Name.StringValue;
            var fieldPath = new List<string>(path) { ResponseKey(field) };
            Directives(field.Directives, fieldPath);
            if (name == "__typename")
            {
                Arguments(field.Arguments, new Dictionary<string, SchemaArgument>(), name, "Field", field, fieldPath);
                return;
            }

            if (!parent.Fields.TryGetValue(name, out var definition))
            {
                Add(field, $"Field '{name}' doesn't exist on type '{parent.Name}'", fieldPath,
                    new JsonObject { ["code"] = "undefinedField", ["typeName"] = parent.Name, ["fieldName"] = name });
                return;
            }

            Arguments(field.Arguments, definition.Arguments, name, "Field", field, fieldPath);
            var type = _schema.Types[definition.NamedType];
            if (type.IsLeaf && field.SelectionSet is not null)
            {
                var kind = type.Kind == SchemaKind.Enum ? "enums" : "scalars";
                var selected = string.Join(", ", field.SelectionSet.Selections.OfType<GraphQLField>().Select(f => f.Name.StringValue));
                Add(field, $"Selections can't be made on {kind} (field '{name}' returns {type.Name} but has selections [{selected}])", fieldPath,
                    new JsonObject { ["code"] = "selectionMismatch", ["nodeName"] = $"field '{name}'", ["typeName"] = type.Name });
            }
            else if (!type.IsLeaf && field.SelectionSet is null)
            {
                Add(field, $"Field must have selections (field '{name}' returns {type.Name} but has no selections. Did you mean '{name} {{ ... }}'?)", fieldPath,
                    new JsonObject { ["code"] = "selectionMismatch", ["nodeName"] = $"field '{name}'", ["typeName"] = type.Name });
            }
            else if (!type.IsLeaf)
            {
                SelectionSet(field.SelectionSet, type, fieldPath);
            }
        }

        private void Directives(GraphQLDirectives? directives, List<string> path)
        {
            foreach (var directive in directives?.Items ?? [])
            {
                var name = directive.Name.StringValue;
                if (!_schema.Directives.TryGetValue(name, out var definition))
                {
                    Add(directive, $"Directive @{name} is not defined", path, new JsonObject { ["code"] = "undefinedDirective", ["directiveName"] = name });
                    continue;
                }

                Arguments(directive.Arguments, definition.Arguments, "@" + name, "Directive", directive, path);
            }
        }

        private void Arguments(GraphQLArguments? arguments, IReadOnlyDictionary<string, SchemaArgument> accepted, string owner, string ownerKind, ASTNode node, List<string> path)
        {
            var given = new HashSet<string>(StringComparer.Ordinal);
            foreach (var argument in arguments?.Items ?? [])
            {
                var name = argument.Name.StringValue;
                given.Add(name);
                if (!accepted.TryGetValue(name, out var definition))
                {
                    Add(argument, $"{ownerKind} '{owner}' doesn't accept argument '{name}'", [.. path, name],
                        new JsonObject { ["code"] = "argumentNotAccepted", ["name"] = owner, ["typeName"] = ownerKind, ["argumentName"] = name });
                    continue;
                }

                Variables(argument.Value, path);
                if (argument.Value is GraphQLEnumValue literal && _schema.Types.TryGetValue(definition.NamedType, out var type)
                    && type.Kind == SchemaKind.Enum && !type.Values.Contains(literal.Name.StringValue))
                {
                    Add(argument, $"Argument '{name}' on {ownerKind} '{owner}' has an invalid value ({literal.Name.StringValue}). Expected type '{definition.Type}'.", [.. path, name],
                        new JsonObject { ["code"] = "argumentLiteralsIncompatible", ["typeName"] = ownerKind, ["argumentName"] = name });
                }
            }

            var missing = accepted.Values.Where(a => a.Required && !given.Contains(a.Name)).Select(a => a.Name).ToList();
            if (missing.Count > 0)
            {
                Add(node, $"{ownerKind} '{owner}' is missing required arguments: {string.Join(", ", missing)}", path,
                    new JsonObject { ["code"] = "missingRequiredArguments", ["className"] = ownerKind, ["name"] = owner, ["arguments"] = string.Join(", ", missing) });
            }
        }

        private void Variables(GraphQLValue value, List<string> path)
        {
            switch (value)
            {
                case GraphQLVariable variable when !_declared.Contains(variable.Name.StringValue):
                    Add(variable, $"Variable ${variable.Name.StringValue} is used by {_operationLabel} but not declared", path,
                        new JsonObject { ["code"] = "variableNotDefined", ["variableName"] = variable.Name.StringValue });
                    break;
                case GraphQLListValue list:
                    foreach (var item in list.Values ?? [])
                    {
                        Variables(item, path);
                    }

                    break;
                case GraphQLObjectValue input:
                    foreach (var item in input.Fields ?? [])
                    {
                        Variables(item.Value, path);
                    }

                    break;
            }
        }

        private void Add(ASTNode node, string message, List<string> path, JsonObject extensions)
        {
            var location = Location.FromLinearPosition(source, node.Location.Start);
            _errors.Add(Problem(message, location.Line, location.Column, [.. path.Select(p => (JsonNode?)JsonValue.Create(p))], extensions));
        }
    }
}
