using System.Text.RegularExpressions;

namespace Integrations.Sdk.Testing.Salesforce;

/// <summary>Why a SOQL statement was refused: Salesforce's <c>errorCode</c> and message.</summary>
internal sealed class SoqlException(string errorCode, string message) : Exception(message)
{
    public string ErrorCode { get; } = errorCode;
}

/// <summary>A literal of a SOQL condition.</summary>
internal enum SoqlLiteralKind
{
    String,
    Number,
    Boolean,
    Null,
    Date,
    DateTime,
}

internal sealed record SoqlLiteral(SoqlLiteralKind Kind, string Text, object? Value);

/// <summary>A field path of a SOQL statement, resolved against the schema: relationships, then the field.</summary>
internal sealed record SoqlPath(string Text, IReadOnlyList<SfRelationship> Relationships, SfField Field);

internal abstract record SoqlCondition;

internal sealed record SoqlAll(IReadOnlyList<SoqlCondition> Parts) : SoqlCondition;

internal sealed record SoqlAny(IReadOnlyList<SoqlCondition> Parts) : SoqlCondition;

internal sealed record SoqlNot(SoqlCondition Inner) : SoqlCondition;

internal sealed record SoqlCompare(SoqlPath Path, string Operator, SoqlLiteral Value) : SoqlCondition;

internal sealed record SoqlIn(SoqlPath Path, IReadOnlyList<SoqlLiteral> Values, bool Negated) : SoqlCondition;

internal sealed record SoqlLike(SoqlPath Path, Regex Pattern) : SoqlCondition;

internal sealed record SoqlOrder(SoqlPath Path, bool Descending, bool NullsFirst);

/// <summary>A parsed SOQL statement: <c>SELECT fields FROM object [WHERE ...] [ORDER BY ...] [LIMIT n] [OFFSET n]</c>.</summary>
internal sealed record SoqlQuery(SfObject From, IReadOnlyList<SoqlPath> Select, SoqlCondition? Where, IReadOnlyList<SoqlOrder> OrderBy, int? Limit, int Offset);

/// <summary>
/// The SOQL subset the simulator understands, written from Salesforce's SOQL and SOSL reference: field lists with
/// parent relationship paths, one object, WHERE with comparison operators, IN / NOT IN, LIKE, AND / OR / NOT and
/// parentheses (AND and OR may not be mixed without parentheses), string, number, boolean, null, date and datetime
/// literals, ORDER BY (several fields, ASC / DESC, NULLS FIRST / LAST), LIMIT and OFFSET. Keywords are case-insensitive.
/// </summary>
internal static partial class Soql
{
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "LIKE", "ORDER", "BY", "ASC", "DESC", "NULLS", "FIRST", "LAST", "LIMIT", "OFFSET",
        "TRUE", "FALSE", "NULL", "GROUP", "HAVING", "INCLUDES", "EXCLUDES",
    };

    public static SoqlQuery Parse(string text, IReadOnlyDictionary<string, SfObject> schema)
    {
        var parser = new Parser(Tokenize(text), schema);
        return parser.Query();
    }

    private enum TokenKind
    {
        Word,
        String,
        Number,
        DateTime,
        Date,
        Symbol,
        End,
    }

    private sealed record Token(TokenKind Kind, string Text, object? Value = null);

    [GeneratedRegex(@"\G(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimeLiteral();

    [GeneratedRegex(@"\G\d{4}-\d{2}-\d{2}(?![\dT])", RegexOptions.CultureInvariant)]
    private static partial Regex DateLiteral();

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
                continue;
            }

            if (c == '\'')
            {
                var value = new StringBuilder();
                i++;
                var closed = false;
                while (i < text.Length)
                {
                    var s = text[i];
                    if (s == '\\')
                    {
                        if (i + 1 >= text.Length)
                        {
                            break;
                        }

                        var e = text[i + 1];
                        value.Append(e switch
                        {
                            'n' => "\n",
                            'r' => "\r",
                            't' => "\t",
                            'b' => "\b",
                            'f' => "\f",
                            '\'' or '"' or '\\' => e.ToString(),
                            '_' => "\\_",
                            '%' => "\\%",
                            _ => throw new SoqlException("MALFORMED_QUERY", $"Invalid string literal '{text[..Math.Min(text.Length, i + 2)]}'. Illegal character sequence '\\{e}' in string literal."),
                        });
                        i += 2;
                        continue;
                    }

                    if (s == '\'')
                    {
                        closed = true;
                        i++;
                        break;
                    }

                    value.Append(s);
                    i++;
                }

                if (!closed)
                {
                    throw new SoqlException("MALFORMED_QUERY", "unexpected token: an unterminated string literal");
                }

                tokens.Add(new Token(TokenKind.String, value.ToString()));
                continue;
            }

            if (char.IsDigit(c) || (c == '-' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
            {
                var dt = DateTimeLiteral().Match(text, i);
                if (dt.Success)
                {
                    var zone = dt.Groups[8].Value;
                    var normalized = $"{dt.Groups[1].Value}-{dt.Groups[2].Value}-{dt.Groups[3].Value}T{dt.Groups[4].Value}:{dt.Groups[5].Value}:{dt.Groups[6].Value}{dt.Groups[7].Value}"
                        + (zone == "Z" ? "Z" : zone.Length == 5 ? zone[..3] + ":" + zone[3..] : zone);
                    if (!DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
                    {
                        throw new SoqlException("MALFORMED_QUERY", $"line 1:{i} no viable alternative at character '{dt.Value}'");
                    }

                    tokens.Add(new Token(TokenKind.DateTime, dt.Value, instant.ToUniversalTime()));
                    i += dt.Length;
                    continue;
                }

                var d = DateLiteral().Match(text, i);
                if (d.Success)
                {
                    if (!DateOnly.TryParseExact(d.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    {
                        throw new SoqlException("MALFORMED_QUERY", $"invalid date: {d.Value}");
                    }

                    tokens.Add(new Token(TokenKind.Date, d.Value, date));
                    i += d.Length;
                    continue;
                }

                var start = i;
                i++;
                while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }

                var number = text[start..i];
                if (!decimal.TryParse(number, NumberStyles.Number, CultureInfo.InvariantCulture, out var n))
                {
                    throw new SoqlException("MALFORMED_QUERY", $"unexpected token: '{number}'");
                }

                tokens.Add(new Token(TokenKind.Number, number, n));
                continue;
            }

            if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '.'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Word, text[start..i]));
                continue;
            }

            string[] symbols = ["!=", "<>", "<=", ">=", "=", "<", ">", "(", ")", ","];
            var symbol = Array.Find(symbols, x => string.CompareOrdinal(text, i, x, 0, x.Length) == 0);
            if (symbol is null)
            {
                throw new SoqlException("MALFORMED_QUERY", $"line 1:{i} no viable alternative at character '{c}'");
            }

            tokens.Add(new Token(TokenKind.Symbol, symbol));
            i += symbol.Length;
        }

        tokens.Add(new Token(TokenKind.End, "<EOF>"));
        return tokens;
    }

    private sealed class Parser(List<Token> tokens, IReadOnlyDictionary<string, SfObject> schema)
    {
        private int _at;

        private Token Peek => tokens[_at];

        public SoqlQuery Query()
        {
            Expect("SELECT");
            var names = new List<string>();
            do
            {
                var field = Next();
                if (field.Kind != TokenKind.Word || IsKeyword(field.Text))
                {
                    throw Unexpected(field);
                }

                if (Peek.Kind == TokenKind.Symbol && Peek.Text == "(")
                {
                    throw new SoqlException("MALFORMED_QUERY", $"unexpected token: '(' (the simulator serves no aggregate functions such as {field.Text}())");
                }

                names.Add(field.Text);
            }
            while (Accept(","));

            Expect("FROM");
            var objectToken = Next();
            if (objectToken.Kind != TokenKind.Word || IsKeyword(objectToken.Text))
            {
                throw Unexpected(objectToken);
            }

            if (!schema.TryGetValue(objectToken.Text, out var from))
            {
                throw new SoqlException("INVALID_TYPE", $"\n{string.Join(", ", names)} FROM {objectToken.Text}\nsObject type '{objectToken.Text}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.");
            }

            var select = names.Select(n => Resolve(from, n)).ToList();
            SoqlCondition? where = null;
            if (Accept("WHERE"))
            {
                where = Condition(from);
            }

            var order = new List<SoqlOrder>();
            if (Accept("ORDER"))
            {
                Expect("BY");
                do
                {
                    var field = Next();
                    if (field.Kind != TokenKind.Word || IsKeyword(field.Text))
                    {
                        throw Unexpected(field);
                    }

                    var path = Resolve(from, field.Text);
                    var descending = Accept("DESC");
                    if (!descending)
                    {
                        Accept("ASC");
                    }

                    var nullsFirst = !descending;
                    if (Accept("NULLS"))
                    {
                        nullsFirst = Accept("FIRST") || (Expect("LAST") && false);
                    }

                    order.Add(new SoqlOrder(path, descending, nullsFirst));
                }
                while (Accept(","));
            }

            int? limit = null;
            if (Accept("LIMIT"))
            {
                limit = WholeNumber("LIMIT");
            }

            var offset = 0;
            if (Accept("OFFSET"))
            {
                offset = WholeNumber("OFFSET");
            }

            if (Peek.Kind != TokenKind.End)
            {
                throw Unexpected(Peek);
            }

            return new SoqlQuery(from, select, where, order, limit, offset);
        }

        private int WholeNumber(string clause)
        {
            var token = Next();
            if (token.Kind != TokenKind.Number || token.Value is not decimal n || n != decimal.Truncate(n) || n < 0 || n > int.MaxValue)
            {
                throw new SoqlException("MALFORMED_QUERY", $"unexpected token: '{token.Text}' ({clause} takes a whole number)");
            }

            return (int)n;
        }

        /// <summary>Conditions joined by one operator; mixing AND and OR needs parentheses, as in SOQL.</summary>
        private SoqlCondition Condition(SfObject from)
        {
            var parts = new List<SoqlCondition> { Unary(from) };
            string? joiner = null;
            while (Peek.Kind == TokenKind.Word && (Is(Peek, "AND") || Is(Peek, "OR")))
            {
                var op = Next().Text.ToUpperInvariant();
                if (joiner is not null && joiner != op)
                {
                    throw new SoqlException("MALFORMED_QUERY", $"unexpected token: '{op}' (SOQL needs parentheses to mix AND and OR)");
                }

                joiner = op;
                parts.Add(Unary(from));
            }

            return parts.Count == 1 ? parts[0] : joiner == "AND" ? new SoqlAll(parts) : new SoqlAny(parts);
        }

        private SoqlCondition Unary(SfObject from)
        {
            if (Accept("NOT"))
            {
                return new SoqlNot(Unary(from));
            }

            if (Accept("("))
            {
                var inner = Condition(from);
                Expect(")");
                return inner;
            }

            var fieldToken = Next();
            if (fieldToken.Kind != TokenKind.Word || IsKeyword(fieldToken.Text))
            {
                throw Unexpected(fieldToken);
            }

            var path = Resolve(from, fieldToken.Text);
            if (Accept("NOT"))
            {
                Expect("IN");
                return new SoqlIn(path, List(path), Negated: true);
            }

            if (Accept("IN"))
            {
                return new SoqlIn(path, List(path), Negated: false);
            }

            if (Accept("LIKE"))
            {
                var pattern = Literal(path);
                if (pattern.Kind != SoqlLiteralKind.String)
                {
                    throw new SoqlException("MALFORMED_QUERY", $"LIKE takes a quoted string, not {pattern.Text}");
                }

                return new SoqlLike(path, LikePattern((string)pattern.Value!));
            }

            var op = Next();
            if (op.Kind != TokenKind.Symbol || op.Text is "(" or ")" or ",")
            {
                throw Unexpected(op);
            }

            return new SoqlCompare(path, op.Text == "<>" ? "!=" : op.Text, Literal(path));
        }

        private List<SoqlLiteral> List(SoqlPath path)
        {
            Expect("(");
            var values = new List<SoqlLiteral>();
            do
            {
                values.Add(Literal(path));
            }
            while (Accept(","));

            Expect(")");
            return values;
        }

        private SoqlLiteral Literal(SoqlPath path)
        {
            var token = Next();
            var literal = token.Kind switch
            {
                TokenKind.String => new SoqlLiteral(SoqlLiteralKind.String, "'" + token.Text + "'", token.Text),
                TokenKind.Number => new SoqlLiteral(SoqlLiteralKind.Number, token.Text, token.Value),
                TokenKind.Date => new SoqlLiteral(SoqlLiteralKind.Date, token.Text, token.Value),
                TokenKind.DateTime => new SoqlLiteral(SoqlLiteralKind.DateTime, token.Text, token.Value),
                TokenKind.Word when Is(token, "TRUE") || Is(token, "FALSE") => new SoqlLiteral(SoqlLiteralKind.Boolean, token.Text, Is(token, "TRUE")),
                TokenKind.Word when Is(token, "NULL") => new SoqlLiteral(SoqlLiteralKind.Null, token.Text, null),
                _ => throw Unexpected(token),
            };
            CheckType(path, literal);
            return literal;
        }

        /// <summary>A literal must suit the field's type, as Salesforce checks (a quoted datetime is refused, for example).</summary>
        private static void CheckType(SoqlPath path, SoqlLiteral literal)
        {
            if (literal.Kind == SoqlLiteralKind.Null)
            {
                return;
            }

            var (ok, wanted) = path.Field.Type switch
            {
                SfType.DateTime => (literal.Kind == SoqlLiteralKind.DateTime, "dateTime"),
                SfType.Date => (literal.Kind == SoqlLiteralKind.Date, "date"),
                SfType.Boolean => (literal.Kind == SoqlLiteralKind.Boolean, "boolean"),
                SfType.Currency or SfType.Double => (literal.Kind == SoqlLiteralKind.Number, "double"),
                _ => (literal.Kind == SoqlLiteralKind.String, "string"),
            };
            if (!ok)
            {
                var quoted = wanted is "dateTime" or "date" or "boolean" or "double" ? " and should not be enclosed in quotes" : " and should be enclosed in quotes";
                throw new SoqlException("INVALID_FIELD", $"\nvalue of filter criterion for field '{path.Field.Name}' must be of type {wanted}{quoted}");
            }
        }

        private static Regex LikePattern(string pattern)
        {
            var regex = new StringBuilder("^");
            for (var i = 0; i < pattern.Length; i++)
            {
                var c = pattern[i];
                if (c == '\\' && i + 1 < pattern.Length && pattern[i + 1] is '%' or '_')
                {
                    regex.Append(Regex.Escape(pattern[i + 1].ToString()));
                    i++;
                }
                else
                {
                    regex.Append(c switch { '%' => ".*", '_' => ".", _ => Regex.Escape(c.ToString()) });
                }
            }

            return new Regex(regex.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
        }

        private SoqlPath Resolve(SfObject from, string text)
        {
            var parts = text.Split('.');
            var current = from;
            var relationships = new List<SfRelationship>();
            for (var i = 0; i < parts.Length - 1; i++)
            {
                var relationship = current.Relationship(parts[i])
                    ?? throw new SoqlException("INVALID_FIELD", $"\nDidn't understand relationship '{parts[i]}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.");
                relationships.Add(relationship);
                current = schema[relationship.Target];
            }

            var field = current.Field(parts[^1])
                ?? throw new SoqlException("INVALID_FIELD", $"\nNo such column '{parts[^1]}' on entity '{current.Name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.");
            return new SoqlPath(text, relationships, field);
        }

        private static bool IsKeyword(string word) => Keywords.Contains(word);

        private static bool Is(Token token, string keyword) => token.Kind == TokenKind.Word && string.Equals(token.Text, keyword, StringComparison.OrdinalIgnoreCase);

        private Token Next()
        {
            var token = tokens[_at];
            if (token.Kind != TokenKind.End)
            {
                _at++;
            }

            return token;
        }

        private bool Accept(string text)
        {
            var token = Peek;
            var matches = token.Kind == TokenKind.Symbol ? token.Text == text : Is(token, text);
            if (matches)
            {
                _at++;
            }

            return matches;
        }

        private bool Expect(string text) => Accept(text) ? true : throw Unexpected(Peek);

        private static SoqlException Unexpected(Token token) => new("MALFORMED_QUERY", $"unexpected token: '{token.Text}'");
    }
}
