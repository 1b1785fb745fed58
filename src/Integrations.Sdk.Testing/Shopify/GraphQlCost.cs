namespace Integrations.Sdk.Testing.Shopify;

/// <summary>
/// Shopify's calculated query cost, from the document the client sent, by the rules Shopify documents for the
/// GraphQL Admin API (shopify.dev, "GraphQL Admin API rate limits"): a field returning a scalar or an enum costs 0,
/// an object 1, a connection (a field sized by <c>first</c> or <c>last</c>) 2 plus its items, and each mutation
/// field 10. The requested cost sizes connections by their arguments; the actual cost by the items returned.
/// </summary>
/// <remarks>
/// Without a schema, a field with a selection set is an object and one without is a scalar; a field with a
/// <c>first</c> or <c>last</c> argument is a connection, whose <c>nodes</c> (or <c>edges { node }</c>) are its items
/// and whose other fields (<c>pageInfo</c>) count once. Fragments are expanded; of several inline fragments with a
/// type condition, the most expensive counts.
/// </remarks>
internal sealed class GraphQlCost
{
    private const int MutationCost = 10;
    private const int ObjectCost = 1;
    private const int ConnectionCost = 2;
    private static readonly string[] SizeArguments = ["first", "last"];

    private readonly Dictionary<string, List<Selection>> _fragments;
    private readonly JsonObject _variables;

    private GraphQlCost(Dictionary<string, List<Selection>> fragments, JsonObject variables)
    {
        _fragments = fragments;
        _variables = variables;
    }

    /// <summary>Whether the operation is a mutation.</summary>
    public bool IsMutation { get; private init; }

    private List<Selection> Root { get; init; } = [];

    /// <summary>Parses the document and picks the operation to cost.</summary>
    /// <param name="document">The GraphQL document.</param>
    /// <param name="operationName">The operation's name; may be omitted when the document holds one operation.</param>
    /// <param name="variables">The request's variables (connection sizes may be variables).</param>
    /// <exception cref="FormatException">The document does not parse, or the operation is not in it.</exception>
    public static GraphQlCost Parse(string document, string? operationName, JsonObject variables)
    {
        var parser = new Parser(document);
        var (operations, fragments) = parser.Document();
        var matching = operations.Where(o => operationName is null || o.Name == operationName).ToList();
        if (matching.Count != 1)
        {
            throw new FormatException(operationName is null
                ? "The document must hold exactly one operation when operationName is not given."
                : $"No operation named \"{operationName}\" in the document.");
        }

        return new GraphQlCost(fragments, variables) { IsMutation = matching[0].IsMutation, Root = matching[0].Selections };
    }

    /// <summary>The requested cost: connections counted at the size they ask for.</summary>
    public int Requested() => IsMutation ? MutationCost * Fields(Root).Count() : Cost(Root, data: null, requested: true);

    /// <summary>The actual cost: connections counted by the items in <paramref name="data"/>.</summary>
    /// <param name="data">The answer's <c>data</c>.</param>
    public int Actual(JsonNode? data) => IsMutation ? Requested() : Cost(Root, data, requested: false);

    private int Cost(List<Selection> selections, JsonNode? data, bool requested)
    {
        var total = 0;
        var alternatives = 0;
        foreach (var selection in selections)
        {
            switch (selection)
            {
                case Field field:
                    total += FieldCost(field, Child(data, field.ResponseKey), requested);
                    break;
                case Spread spread:
                    total += Cost(FragmentSelections(spread.Name), data, requested);
                    break;
                case Inline { TypeCondition: null } inline:
                    total += Cost(inline.Selections, data, requested);
                    break;
                case Inline inline:
                    alternatives = Math.Max(alternatives, Cost(inline.Selections, data, requested));
                    break;
            }
        }

        return total + alternatives;
    }

    private int FieldCost(Field field, JsonNode? value, bool requested)
    {
        if (field.Selections.Count == 0)
        {
            return 0;
        }

        if (Size(field) is { } size)
        {
            var cost = ConnectionCost;
            foreach (var part in Fields(field.Selections))
            {
                if (part.Name is "nodes" or "edges")
                {
                    cost += requested
                        ? size * ItemCost(part, null, requested) // every requested item costs the same
                        : (Child(value, part.ResponseKey) as JsonArray ?? []).Sum(item => ItemCost(part, item, requested));
                }
                else
                {
                    cost += FieldCost(part, Child(value, part.ResponseKey), requested);
                }
            }

            return cost;
        }

        // An object costs 1 whether or not it came back; what is below a missing one was not fetched.
        return ObjectCost + (!requested && value is null ? 0 : Cost(field.Selections, value, requested));
    }

    private int ItemCost(Field items, JsonNode? item, bool requested)
    {
        if (items.Name == "nodes")
        {
            return ObjectCost + Cost(items.Selections, item, requested);
        }

        // edges { cursor node { ... } }: the edge is the item's wrapper; its node is the object.
        var node = Fields(items.Selections).FirstOrDefault(f => f.Name == "node");
        return node is null ? 0 : ObjectCost + Cost(node.Selections, Child(item, node.ResponseKey), requested);
    }

    private static JsonNode? Child(JsonNode? node, string key) => node is JsonObject o ? o[key] : null;

    private int? Size(Field field)
    {
        foreach (var name in SizeArguments)
        {
            if (field.Arguments.TryGetValue(name, out var argument))
            {
                var value = argument is Variable variable ? _variables[variable.Name] : argument as JsonNode;
                return value is JsonValue number && number.GetValueKind() == JsonValueKind.Number && number.TryGetValue<int>(out var size) ? Math.Max(0, size) : 0;
            }
        }

        return null;
    }

    private List<Selection> FragmentSelections(string name) =>
        _fragments.TryGetValue(name, out var selections) ? selections : throw new FormatException($"Unknown fragment \"{name}\".");

    /// <summary>The fields of a selection set, fragments expanded.</summary>
    private IEnumerable<Field> Fields(List<Selection> selections) => selections.SelectMany(s => s switch
    {
        Field field => [field],
        Spread spread => Fields(FragmentSelections(spread.Name)),
        Inline inline => Fields(inline.Selections),
        _ => [],
    });

    private abstract record Selection;

    private sealed record Field(string? Alias, string Name, Dictionary<string, object?> Arguments, List<Selection> Selections) : Selection
    {
        public string ResponseKey => Alias ?? Name;
    }

    private sealed record Spread(string Name) : Selection;

    private sealed record Inline(string? TypeCondition, List<Selection> Selections) : Selection;

    private sealed record Variable(string Name);

    private sealed record Operation(string? Name, bool IsMutation, List<Selection> Selections);

    /// <summary>A recursive-descent reader of the executable part of GraphQL (operations, fragments, selections).</summary>
    private sealed class Parser(string text)
    {
        private int _position;

        public (List<Operation> Operations, Dictionary<string, List<Selection>> Fragments) Document()
        {
            var operations = new List<Operation>();
            var fragments = new Dictionary<string, List<Selection>>(StringComparer.Ordinal);
            while (Peek() is not null)
            {
                if (Peek() == "{")
                {
                    operations.Add(new Operation(null, false, SelectionSet()));
                    continue;
                }

                var keyword = Name();
                switch (keyword)
                {
                    case "query" or "mutation" or "subscription":
                        var name = Peek() is { } next && IsNameStart(next[0]) ? Name() : null;
                        if (Peek() == "(")
                        {
                            Skip('(', ')');
                        }

                        Directives();
                        operations.Add(new Operation(name, keyword == "mutation", SelectionSet()));
                        break;
                    case "fragment":
                        var fragment = Name();
                        Expect("on");
                        Name();
                        Directives();
                        fragments[fragment] = SelectionSet();
                        break;
                    default:
                        throw Error($"expected an operation or a fragment, found \"{keyword}\"");
                }
            }

            return (operations, fragments);
        }

        private List<Selection> SelectionSet()
        {
            Expect("{");
            var selections = new List<Selection>();
            while (Peek() != "}")
            {
                if (Peek() is null)
                {
                    throw Error("unterminated selection set");
                }

                selections.Add(Peek() == "..." ? FragmentSelection() : Field());
            }

            Expect("}");
            return selections;
        }

        private Selection FragmentSelection()
        {
            Expect("...");
            if (Peek() == "on")
            {
                Name();
                var type = Name();
                Directives();
                return new Inline(type, SelectionSet());
            }

            if (Peek() is "{" or "@")
            {
                Directives();
                return new Inline(null, SelectionSet());
            }

            var spread = new Spread(Name());
            Directives();
            return spread;
        }

        private Field Field()
        {
            string? alias = null;
            var name = Name();
            if (Peek() == ":")
            {
                Expect(":");
                alias = name;
                name = Name();
            }

            var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (Peek() == "(")
            {
                Expect("(");
                while (Peek() != ")")
                {
                    var argument = Name();
                    Expect(":");
                    arguments[argument] = Value();
                }

                Expect(")");
            }

            Directives();
            return new Field(alias, name, arguments, Peek() == "{" ? SelectionSet() : []);
        }

        private void Directives()
        {
            while (Peek() == "@")
            {
                Expect("@");
                Name();
                if (Peek() == "(")
                {
                    Skip('(', ')');
                }
            }
        }

        /// <summary>A value: a variable, or a literal as JSON (lists and input objects are skipped).</summary>
        private object? Value()
        {
            var token = Peek() ?? throw Error("expected a value");
            switch (token)
            {
                case "$":
                    Expect("$");
                    return new Variable(Name());
                case "[":
                    Skip('[', ']');
                    return null;
                case "{":
                    Skip('{', '}');
                    return null;
            }

            var literal = Next();
            if (literal[0] == '"')
            {
                return JsonValue.Create(literal);
            }

            return int.TryParse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number) : JsonValue.Create(literal);
        }

        private string Name()
        {
            var token = Next();
            return IsNameStart(token[0]) ? token : throw Error($"expected a name, found \"{token}\"");
        }

        private void Expect(string expected)
        {
            var token = Next();
            if (token != expected)
            {
                throw Error($"expected \"{expected}\", found \"{token}\"");
            }
        }

        private void Skip(char open, char close)
        {
            var depth = 0;
            do
            {
                var token = Next();
                depth += token[0] == open && token.Length == 1 ? 1 : token[0] == close && token.Length == 1 ? -1 : 0;
            }
            while (depth > 0);
        }

        private string Next() => Token(advance: true) ?? throw Error("unexpected end of document");

        private string? Peek() => Token(advance: false);

        private string? Token(bool advance)
        {
            var i = _position;
            while (i < text.Length && (char.IsWhiteSpace(text[i]) || text[i] == ',' || text[i] == '\uFEFF' || text[i] == '#'))
            {
                if (text[i] == '#')
                {
                    while (i < text.Length && text[i] is not ('\n' or '\r'))
                    {
                        i++;
                    }
                }
                else
                {
                    i++;
                }
            }

            if (i >= text.Length)
            {
                _position = advance ? i : _position;
                return null;
            }

            var start = i;
            var c = text[i];
            if (c == '.' && string.CompareOrdinal(text, i, "...", 0, 3) == 0)
            {
                i += 3;
            }
            else if (c == '"')
            {
                var block = string.CompareOrdinal(text, i, "\"\"\"", 0, 3) == 0;
                var end = block ? text.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal) : ClosingQuote(i + 1);
                i = end < 0 ? throw Error("unterminated string") : end + (block ? 3 : 1);
            }
            else if (IsNameStart(c))
            {
                i++;
                while (i < text.Length && (IsNameStart(text[i]) || char.IsAsciiDigit(text[i])))
                {
                    i++;
                }
            }
            else if (c == '-' || char.IsAsciiDigit(c))
            {
                i++;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '.' or '+' or '-'))
                {
                    i++;
                }
            }
            else if ("{}()[]:=!$@|&".Contains(c, StringComparison.Ordinal))
            {
                i++;
            }
            else
            {
                throw Error($"unexpected character '{c}'");
            }

            if (advance)
            {
                _position = i;
            }

            return text[start..i];
        }

        private int ClosingQuote(int from)
        {
            for (var i = from; i < text.Length; i++)
            {
                if (text[i] == '\\')
                {
                    i++;
                }
                else if (text[i] == '"')
                {
                    return i;
                }
            }

            return -1;
        }

        private static bool IsNameStart(char c) => c == '_' || char.IsAsciiLetter(c);

        private FormatException Error(string problem) => new($"Syntax error at position {_position}: {problem}.");
    }
}
