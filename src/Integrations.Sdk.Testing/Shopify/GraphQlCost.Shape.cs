using GraphQLParser.AST;

namespace Integrations.Sdk.Testing.Shopify;

internal sealed partial class GraphQlCost
{
    /// <summary>The key a node may carry with its connection cursor, for <c>edges { cursor }</c>; never sent.</summary>
    public const string CursorKey = "__cursor";

    /// <summary>
    /// Shapes the operation's answer as a GraphQL server does: exactly the fields selected, under their aliases,
    /// fragments merged, <c>@include</c>/<c>@skip</c> applied, <c>__typename</c> answered, <c>edges</c> built from a
    /// connection's <c>nodes</c>. A selected field the simulator's model does not hold is answered by its schema type:
    /// <c>null</c> when nullable, otherwise a plain value of that type (<see cref="Placeholder"/>), so a non-null field
    /// is never missing or null.
    /// </summary>
    /// <param name="model">The simulator's full answer, keyed by field name.</param>
    /// <param name="placeholders">Fills a non-null field the model lacks; may answer <see langword="null"/> to use the type's plain value.</param>
    /// <returns>The <c>data</c> to send.</returns>
    public JsonObject Shape(JsonObject model, Func<string, string, JsonObject, JsonNode?> placeholders)
    {
        var schema = AdminSchema.Instance;
        var root = IsMutation ? schema.MutationType : schema.QueryType;
        return ShapeObject(_operation.SelectionSet, schema.Types[root], model, placeholders);
    }

    private JsonObject ShapeObject(GraphQLSelectionSet? selections, SchemaType type, JsonObject source, Func<string, string, JsonObject, JsonNode?> placeholders)
    {
        var result = new JsonObject();
        foreach (var field in Selected(selections))
        {
            var key = ResponseKey(field);
            var name = field.Name.StringValue;
            if (name == "__typename")
            {
                result[key] = type.Name;
                continue;
            }

            var definition = type.Fields[name];
            var value = source.ContainsKey(name) ? source[name] : null;
            if (value is null && name == "edges" && source["nodes"] is JsonArray nodes)
            {
                value = new JsonArray([.. nodes.Select(n => (JsonNode)new JsonObject { ["cursor"] = n?[CursorKey]?.DeepClone(), ["node"] = n?.DeepClone() })]);
            }

            var shaped = ShapeValue(field, definition.Type, value, source, type.Name, placeholders);
            if (result[key] is JsonObject existing && shaped is JsonObject more)
            {
                foreach (var (k, v) in more.ToList())
                {
                    more.Remove(k);
                    existing[k] ??= v;
                }
            }
            else
            {
                result[key] = shaped;
            }
        }

        return result;
    }

    private JsonNode? ShapeValue(GraphQLField field, string typeText, JsonNode? value, JsonObject parent, string parentType, Func<string, string, JsonObject, JsonNode?> placeholders)
    {
        var nonNull = typeText.EndsWith('!');
        var inner = nonNull ? typeText[..^1] : typeText;
        if (value is null)
        {
            if (!nonNull)
            {
                return null;
            }

            value = placeholders(parentType, field.Name.StringValue, parent) ?? Placeholder(inner);
        }

        if (inner.StartsWith('['))
        {
            var itemType = inner[1..^1];
            return new JsonArray([.. (value as JsonArray ?? []).Select(item => ShapeValue(field, itemType, item?.DeepClone(), parent, parentType, placeholders))]);
        }

        var type = AdminSchema.Instance.Types[inner];
        return type.IsLeaf
            ? value.DeepClone()
            : ShapeObject(field.SelectionSet, type, value as JsonObject ?? [], placeholders);
    }

    /// <summary>A plain value of a non-null type, for a field the simulator's model does not hold.</summary>
    private static JsonNode Placeholder(string typeText)
    {
        if (typeText.StartsWith('['))
        {
            return new JsonArray();
        }

        var type = AdminSchema.Instance.Types[typeText];
        return type.Kind switch
        {
            SchemaKind.Enum => JsonValue.Create(type.Values.Order(StringComparer.Ordinal).First()),
            SchemaKind.Object or SchemaKind.Interface or SchemaKind.Union => new JsonObject(),
            _ => typeText switch
            {
                "Boolean" => JsonValue.Create(false),
                "Int" => JsonValue.Create(0),
                "Float" => JsonValue.Create(0.0),
                "Money" or "Decimal" => JsonValue.Create("0.0"),
                "UnsignedInt64" => JsonValue.Create("0"),
                "DateTime" => JsonValue.Create("1970-01-01T00:00:00Z"),
                "URL" => JsonValue.Create("https://simulated-shop.myshopify.com/"),
                _ => JsonValue.Create(string.Empty),
            },
        };
    }

    /// <summary>The fields a selection set asks for, fragments expanded and <c>@include</c>/<c>@skip</c> applied.</summary>
    private IEnumerable<GraphQLField> Selected(GraphQLSelectionSet? selections) => (selections?.Selections ?? []).Where(Included).SelectMany(s => s switch
    {
        GraphQLField field => [field],
        GraphQLFragmentSpread spread => Selected(_fragments[spread.FragmentName.Name.StringValue].SelectionSet),
        GraphQLInlineFragment inline => Selected(inline.SelectionSet),
        _ => [],
    });

    private bool Included(ASTNode selection)
    {
        var directives = selection switch
        {
            GraphQLField f => f.Directives,
            GraphQLFragmentSpread f => f.Directives,
            GraphQLInlineFragment f => f.Directives,
            _ => null,
        };
        foreach (var directive in directives?.Items ?? [])
        {
            var condition = Value(directive.Arguments?.Items.FirstOrDefault(a => a.Name.StringValue == "if")?.Value) is JsonValue v && v.GetValueKind() == JsonValueKind.True;
            if ((directive.Name.StringValue == "include" && !condition) || (directive.Name.StringValue == "skip" && condition))
            {
                return false;
            }
        }

        return true;
    }
}
