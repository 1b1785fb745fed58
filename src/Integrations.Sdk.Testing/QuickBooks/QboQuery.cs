namespace Integrations.Sdk.Testing.QuickBooks;

/// <summary>A parse error in a query, answered as QuickBooks' <c>QueryParserError</c> (code 4000).</summary>
internal sealed class QboQueryException(string detail) : Exception(detail);

/// <summary>One <c>Field = value</c> condition.</summary>
internal sealed record QboCondition(string Field, string Value);

/// <summary>
/// The subset of QuickBooks' query language the simulator understands:
/// <c>SELECT * FROM Entity [WHERE Field = 'value' [AND ...]] [STARTPOSITION n] [MAXRESULTS m]</c>, keywords in any
/// case, literals in apostrophes with backslash escapes (<c>'O\'Brien'</c>), or bare numbers and booleans.
/// </summary>
internal sealed record QboQuery(string Entity, IReadOnlyList<QboCondition> Conditions, int StartPosition, int MaxResults)
{
    /// <summary>QuickBooks' page size when the query names none.</summary>
    public const int DefaultMaxResults = 100;

    /// <summary>QuickBooks' largest page.</summary>
    public const int MaxMaxResults = 1000;

    public static QboQuery Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new QboQueryException("QueryParserError: the query is empty");
        }

        var tokens = Tokenize(text);
        var i = 0;
        Expect(tokens, ref i, "SELECT");
        if (i >= tokens.Count || tokens[i].Text != "*")
        {
            throw new QboQueryException($"QueryParserError: Encountered \"{At(tokens, i)}\"; the simulator supports SELECT * only");
        }

        i++;
        Expect(tokens, ref i, "FROM");
        var entity = Identifier(tokens, ref i, "an entity name");
        var conditions = new List<QboCondition>();
        int? start = null;
        int? max = null;
        if (IsKeyword(tokens, i, "WHERE"))
        {
            i++;
            while (true)
            {
                var field = Identifier(tokens, ref i, "a property name");
                if (i >= tokens.Count || tokens[i].Text != "=")
                {
                    throw new QboQueryException($"QueryParserError: Encountered \"{At(tokens, i)}\" after {field}; the simulator supports the = operator only");
                }

                i++;
                if (i >= tokens.Count || tokens[i].Kind == TokenKind.Symbol)
                {
                    throw new QboQueryException($"QueryParserError: a value is missing after {field} =");
                }

                conditions.Add(new QboCondition(field, tokens[i].Text));
                i++;
                if (!IsKeyword(tokens, i, "AND"))
                {
                    break;
                }

                i++;
            }
        }

        while (i < tokens.Count)
        {
            if (IsKeyword(tokens, i, "STARTPOSITION") && start is null)
            {
                i++;
                start = Number(tokens, ref i, "STARTPOSITION");
            }
            else if (IsKeyword(tokens, i, "MAXRESULTS") && max is null)
            {
                i++;
                max = Number(tokens, ref i, "MAXRESULTS");
            }
            else
            {
                throw new QboQueryException($"QueryParserError: Encountered \"{At(tokens, i)}\" at position {tokens[i].Position}");
            }
        }

        if (start is < 1)
        {
            throw new QboQueryException("QueryValidationError: STARTPOSITION must be 1 or more");
        }

        if (max is < 1)
        {
            throw new QboQueryException("QueryValidationError: MAXRESULTS must be 1 or more");
        }

        return new QboQuery(entity, conditions, start ?? 1, Math.Min(max ?? DefaultMaxResults, MaxMaxResults));
    }

    /// <summary>Whether an entity matches every condition. Strings compare case-insensitively; references by <c>value</c>, emails by <c>Address</c>.</summary>
    public bool Matches(JsonObject entity) => Conditions.All(c => string.Equals(Read(entity, c.Field), c.Value, StringComparison.OrdinalIgnoreCase));

    private static string? Read(JsonObject entity, string path)
    {
        JsonNode? node = entity;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject obj ? Property(obj, part) : null;
            if (node is null)
            {
                return null;
            }
        }

        if (node is JsonObject leaf)
        {
            node = Property(leaf, "Address") ?? Property(leaf, "value") ?? Property(leaf, "FreeFormNumber");
        }

        return node switch
        {
            JsonValue value when value.TryGetValue<string>(out var s) => s,
            JsonValue value => value.ToJsonString(),
            _ => null,
        };
    }

    private static JsonNode? Property(JsonObject obj, string name)
    {
        if (obj.TryGetPropertyValue(name, out var exact))
        {
            return exact;
        }

        foreach (var (key, value) in obj)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    private enum TokenKind
    {
        Word,
        Literal,
        Symbol,
    }

    private readonly record struct Token(TokenKind Kind, string Text, int Position);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '\'')
            {
                var start = i++;
                var value = new StringBuilder();
                var closed = false;
                while (i < text.Length)
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        value.Append(text[i + 1]);
                        i += 2;
                    }
                    else if (text[i] == '\'')
                    {
                        i++;
                        closed = true;
                        break;
                    }
                    else
                    {
                        value.Append(text[i++]);
                    }
                }

                if (!closed)
                {
                    throw new QboQueryException($"QueryParserError: the literal starting at position {start} is not closed");
                }

                tokens.Add(new Token(TokenKind.Literal, value.ToString(), start));
            }
            else if (c is '*' or '=' or ',' or '(' or ')')
            {
                tokens.Add(new Token(TokenKind.Symbol, c.ToString(), i++));
            }
            else if (char.IsLetterOrDigit(c) || c is '.' or '_' or '-' or '@')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '.' or '_' or '-' or '@' or ':'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Word, text[start..i], start));
            }
            else
            {
                throw new QboQueryException($"QueryParserError: Encountered \"{c}\" at position {i}");
            }
        }

        return tokens;
    }

    private static bool IsKeyword(List<Token> tokens, int i, string keyword) =>
        i < tokens.Count && tokens[i].Kind == TokenKind.Word && string.Equals(tokens[i].Text, keyword, StringComparison.OrdinalIgnoreCase);

    private static void Expect(List<Token> tokens, ref int i, string keyword)
    {
        if (!IsKeyword(tokens, i, keyword))
        {
            throw new QboQueryException($"QueryParserError: Encountered \"{At(tokens, i)}\"; expected {keyword}");
        }

        i++;
    }

    private static string Identifier(List<Token> tokens, ref int i, string what)
    {
        if (i >= tokens.Count || tokens[i].Kind != TokenKind.Word || !char.IsLetter(tokens[i].Text[0]))
        {
            throw new QboQueryException($"QueryParserError: Encountered \"{At(tokens, i)}\"; expected {what}");
        }

        return tokens[i++].Text;
    }

    private static int Number(List<Token> tokens, ref int i, string keyword)
    {
        if (i < tokens.Count && tokens[i].Kind == TokenKind.Word
            && int.TryParse(tokens[i].Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            i++;
            return value;
        }

        throw new QboQueryException($"QueryParserError: {keyword} needs a number, found \"{At(tokens, i)}\"");
    }

    private static string At(List<Token> tokens, int i) => i < tokens.Count ? tokens[i].Text : "<EOF>";
}
