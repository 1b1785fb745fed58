using GraphQLParser;
using GraphQLParser.AST;

namespace Integrations.Sdk.Testing.Shopify;

/// <summary>What kind of type a schema type is.</summary>
internal enum SchemaKind
{
    Scalar,
    Enum,
    Object,
    Interface,
    Union,
    Input,
}

/// <summary>A type of the schema: its fields (objects and interfaces) or its values (enums).</summary>
internal sealed record SchemaType(string Name, SchemaKind Kind, IReadOnlyDictionary<string, SchemaField> Fields, IReadOnlySet<string> Values)
{
    /// <summary>Whether a field of this type is a leaf (no selection set): scalars and enums.</summary>
    public bool IsLeaf => Kind is SchemaKind.Scalar or SchemaKind.Enum;

    /// <summary>Whether a variable may have this type: scalars, enums and input objects.</summary>
    public bool IsInput => Kind is SchemaKind.Scalar or SchemaKind.Enum or SchemaKind.Input;
}

/// <summary>A field (or a directive), its type as written (<c>[Order!]!</c>), the named type inside, and its arguments.</summary>
internal sealed record SchemaField(string Name, string Type, string NamedType, IReadOnlyDictionary<string, SchemaArgument> Arguments);

/// <summary>An argument: its type as written, the named type inside, and whether it must be given.</summary>
internal sealed record SchemaArgument(string Name, string Type, string NamedType, bool Required);

/// <summary>
/// The subset of Shopify's GraphQL Admin API schema (version 2026-01) the simulator serves, read from the SDL embedded
/// in this assembly (<c>Shopify/admin-2026-01.subset.graphql</c>, derived from Shopify's public schema by
/// <c>tools/shopify-schema-subset.py</c>) with GraphQL-Parser.
/// </summary>
internal sealed class AdminSchema
{
    private const string Resource = "Integrations.Sdk.Testing.Shopify.admin-2026-01.subset.graphql";
    private static readonly Lazy<AdminSchema> Loaded = new(Load);

    private AdminSchema(Dictionary<string, SchemaType> types, Dictionary<string, SchemaField> directives, string query, string mutation)
    {
        Types = types;
        Directives = directives;
        QueryType = query;
        MutationType = mutation;
    }

    /// <summary>The schema, parsed once.</summary>
    public static AdminSchema Instance => Loaded.Value;

    /// <summary>Every type, built-in scalars included, by name.</summary>
    public IReadOnlyDictionary<string, SchemaType> Types { get; }

    /// <summary>The directives a document may use, by name (<c>idempotent</c>, <c>include</c>, <c>skip</c>).</summary>
    public IReadOnlyDictionary<string, SchemaField> Directives { get; }

    /// <summary>The root type of queries.</summary>
    public string QueryType { get; }

    /// <summary>The root type of mutations.</summary>
    public string MutationType { get; }

    /// <summary>Writes a type reference as GraphQL does: <c>[Order!]!</c>.</summary>
    public static string Text(GraphQLType type) => type switch
    {
        GraphQLNonNullType nonNull => Text(nonNull.Type) + "!",
        GraphQLListType list => "[" + Text(list.Type) + "]",
        GraphQLNamedType named => named.Name.StringValue,
        _ => throw new FormatException($"Unexpected type node {type.Kind}."),
    };

    /// <summary>The named type inside a type reference.</summary>
    public static string Named(GraphQLType type) => type switch
    {
        GraphQLNonNullType nonNull => Named(nonNull.Type),
        GraphQLListType list => Named(list.Type),
        GraphQLNamedType named => named.Name.StringValue,
        _ => throw new FormatException($"Unexpected type node {type.Kind}."),
    };

    private static AdminSchema Load()
    {
        using var stream = typeof(AdminSchema).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The embedded schema {Resource} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var document = Parser.Parse(reader.ReadToEnd(), new ParserOptions { Ignore = IgnoreOptions.All });

        var types = new Dictionary<string, SchemaType>(StringComparer.Ordinal);
        foreach (var name in new[] { "Int", "Float", "String", "Boolean", "ID" })
        {
            types[name] = new SchemaType(name, SchemaKind.Scalar, new Dictionary<string, SchemaField>(), new HashSet<string>());
        }

        var boolean = new SchemaArgument("if", "Boolean!", "Boolean", Required: true);
        var directives = new Dictionary<string, SchemaField>(StringComparer.Ordinal)
        {
            ["include"] = new("include", string.Empty, string.Empty, new Dictionary<string, SchemaArgument> { ["if"] = boolean }),
            ["skip"] = new("skip", string.Empty, string.Empty, new Dictionary<string, SchemaArgument> { ["if"] = boolean }),
        };
        string query = "Query", mutation = "Mutation";
        foreach (var definition in document.Definitions)
        {
            switch (definition)
            {
                case GraphQLSchemaDefinition schema:
                    foreach (var root in schema.OperationTypes)
                    {
                        if (root.Operation == OperationType.Query)
                        {
                            query = root.Type!.Name.StringValue;
                        }
                        else if (root.Operation == OperationType.Mutation)
                        {
                            mutation = root.Type!.Name.StringValue;
                        }
                    }

                    break;
                case GraphQLDirectiveDefinition directive:
                    directives[directive.Name.StringValue] = new SchemaField(directive.Name.StringValue, string.Empty, string.Empty, Arguments(directive.Arguments?.Items));
                    break;
                case GraphQLObjectTypeDefinition type:
                    types[type.Name.StringValue] = new SchemaType(type.Name.StringValue, SchemaKind.Object, Fields(type.Fields?.Items), new HashSet<string>());
                    break;
                case GraphQLInterfaceTypeDefinition type:
                    types[type.Name.StringValue] = new SchemaType(type.Name.StringValue, SchemaKind.Interface, Fields(type.Fields?.Items), new HashSet<string>());
                    break;
                case GraphQLUnionTypeDefinition type:
                    types[type.Name.StringValue] = new SchemaType(type.Name.StringValue, SchemaKind.Union, new Dictionary<string, SchemaField>(), new HashSet<string>());
                    break;
                case GraphQLEnumTypeDefinition type:
                    types[type.Name.StringValue] = new SchemaType(type.Name.StringValue, SchemaKind.Enum, new Dictionary<string, SchemaField>(),
                        (type.Values?.Items ?? []).Select(v => v.EnumValue.Name.StringValue).ToHashSet(StringComparer.Ordinal));
                    break;
                case GraphQLScalarTypeDefinition type:
                    types[type.Name.StringValue] = new SchemaType(type.Name.StringValue, SchemaKind.Scalar, new Dictionary<string, SchemaField>(), new HashSet<string>());
                    break;
                case GraphQLInputObjectTypeDefinition type:
                    var inputFields = (type.Fields?.Items ?? []).ToDictionary(
                        f => f.Name.StringValue,
                        f => new SchemaField(f.Name.StringValue, Text(f.Type), Named(f.Type), new Dictionary<string, SchemaArgument>()),
                        StringComparer.Ordinal);
                    types[type.Name.StringValue] = new SchemaType(type.Name.StringValue, SchemaKind.Input, inputFields, new HashSet<string>());
                    break;
            }
        }

        return new AdminSchema(types, directives, query, mutation);
    }

    private static Dictionary<string, SchemaField> Fields(List<GraphQLFieldDefinition>? fields) =>
        (fields ?? []).ToDictionary(
            f => f.Name.StringValue,
            f => new SchemaField(f.Name.StringValue, Text(f.Type), Named(f.Type), Arguments(f.Arguments?.Items)),
            StringComparer.Ordinal);

    private static Dictionary<string, SchemaArgument> Arguments(List<GraphQLInputValueDefinition>? arguments) =>
        (arguments ?? []).ToDictionary(
            a => a.Name.StringValue,
            a => new SchemaArgument(a.Name.StringValue, Text(a.Type), Named(a.Type), a.Type is GraphQLNonNullType && a.DefaultValue is null),
            StringComparer.Ordinal);
}
