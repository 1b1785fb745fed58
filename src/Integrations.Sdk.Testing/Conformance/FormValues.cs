namespace Integrations.Sdk.Testing.Conformance;

/// <summary>
/// Turns form-encoded text (a query string or an <c>application/x-www-form-urlencoded</c> body) into JSON the
/// spec's schemas can check: <c>a[b][c]=v</c>, <c>a[]=v</c> and <c>a[0][k]=v</c> (Stripe's deepObject style) become
/// nested objects and arrays, a repeated plain key becomes an array; then every string leaf the schema at its place
/// declares as an integer, number, boolean or array is converted to one.
/// </summary>
internal static class FormValues
{
    /// <summary>Parses form-encoded text into a JSON object whose leaves are strings.</summary>
    public static JsonObject ToJson(string form)
    {
        var root = new JsonObject();
        foreach (var pair in form.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Decode(pair[(eq + 1)..]);
            var bracket = key.IndexOf('[', StringComparison.Ordinal);
            var tokens = new List<string> { bracket <= 0 ? key : key[..bracket] };
            if (bracket > 0 && key.EndsWith(']'))
            {
                tokens.AddRange(key[(bracket + 1)..^1].Split("]["));
            }

            if (tokens.Count == 1)
            {
                // A plain key: a repeated one (form style, explode) is a list.
                root[key] = root[key] switch
                {
                    null => value,
                    JsonArray list => Append(list, value),
                    var first => new JsonArray(first.DeepClone(), value),
                };
                continue;
            }

            Place(root, tokens, value);
        }

        return root;
    }

    /// <summary>Converts the string leaves of <paramref name="node"/> to the types the schema at each place declares.</summary>
    /// <param name="node">The value, as parsed from form text.</param>
    /// <param name="schema">Its schema (may hold <c>$ref</c>s into <paramref name="document"/>).</param>
    /// <param name="document">The spec document <c>$ref</c>s point into.</param>
    /// <param name="splitCommas">Whether a string where a list is declared is a comma-separated list (form style, explode false).</param>
    public static JsonNode? Coerce(JsonNode? node, JsonNode? schema, JsonNode document, bool splitCommas = false)
    {
        var candidates = Candidates(schema, document, 0).ToList();
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    var inner = candidates.Select(c => c["properties"]?[name] ?? c["additionalProperties"] as JsonObject).FirstOrDefault(s => s is not null);
                    var coerced = Coerce(value, inner, document);
                    if (!ReferenceEquals(coerced, value))
                    {
                        obj[name] = coerced;
                    }
                }

                return obj;
            case JsonArray array:
                var items = candidates.Select(c => c["items"]).FirstOrDefault(s => s is not null);
                for (var i = 0; i < array.Count; i++)
                {
                    var value = array[i];
                    var coerced = Coerce(value, items, document);
                    if (!ReferenceEquals(coerced, value))
                    {
                        array[i] = coerced;
                    }
                }

                return array;
            case JsonValue leaf when leaf.GetValueKind() == JsonValueKind.String:
                var text = leaf.GetValue<string>();
                var types = candidates.SelectMany(Types).ToHashSet(StringComparer.Ordinal);
                if (types.Contains("array") && !types.Contains("string"))
                {
                    var list = new JsonArray();
                    foreach (var part in splitCommas ? text.Split(',') : [text])
                    {
                        list.Add(part);
                    }

                    return Coerce(list, schema, document);
                }

                if (types.Contains("integer") && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
                {
                    return JsonValue.Create(whole);
                }

                if (types.Contains("number") && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    return JsonValue.Create(number);
                }

                if (types.Contains("boolean") && text is "true" or "false")
                {
                    return JsonValue.Create(text == "true");
                }

                return leaf;
            default:
                return node;
        }
    }

    /// <summary>The node a local or absolute <c>$ref</c> points to in <paramref name="document"/> (by its fragment).</summary>
    public static JsonNode? Resolve(JsonNode document, string reference)
    {
        var hash = reference.IndexOf('#', StringComparison.Ordinal);
        var fragment = Uri.UnescapeDataString(hash < 0 ? "" : reference[(hash + 1)..]);
        JsonNode? node = document;
        foreach (var token in fragment.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node switch
            {
                JsonArray array when int.TryParse(name, CultureInfo.InvariantCulture, out var index) && index < array.Count => array[index],
                JsonObject obj => obj[name],
                _ => null,
            };
        }

        return node;
    }

    private static IEnumerable<string> Types(JsonObject schema) => schema["type"] switch
    {
        JsonArray list => list.Select(t => t?.GetValue<string>() ?? ""),
        JsonValue one => [one.GetValue<string>()],
        _ => [],
    };

    // The schema itself and every schema its $ref, anyOf, oneOf and allOf lead to.
    private static IEnumerable<JsonObject> Candidates(JsonNode? schema, JsonNode document, int depth)
    {
        if (schema is not JsonObject obj || depth > 32)
        {
            yield break;
        }

        if (obj["$ref"] is JsonValue reference)
        {
            foreach (var target in Candidates(Resolve(document, reference.GetValue<string>()), document, depth + 1))
            {
                yield return target;
            }
        }

        yield return obj;
        foreach (var combinator in new[] { "anyOf", "oneOf", "allOf" })
        {
            if (obj[combinator] is JsonArray branches)
            {
                foreach (var branch in branches)
                {
                    foreach (var target in Candidates(branch, document, depth + 1))
                    {
                        yield return target;
                    }
                }
            }
        }
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    private static JsonArray Append(JsonArray list, string value)
    {
        list.Add(value);
        return list;
    }

    private static void Place(JsonObject root, List<string> tokens, string value)
    {
        JsonNode container = root;
        for (var i = 0; i < tokens.Count; i++)
        {
            var last = i == tokens.Count - 1;
            JsonNode Fresh() => tokens[i + 1].Length == 0 || tokens[i + 1].All(char.IsAsciiDigit) ? new JsonArray() : new JsonObject();
            if (container is JsonObject obj)
            {
                if (last)
                {
                    obj[tokens[i]] = value;
                    return;
                }

                if (obj[tokens[i]] is not (JsonObject or JsonArray))
                {
                    obj[tokens[i]] = Fresh();
                }

                container = obj[tokens[i]]!;
            }
            else if (container is JsonArray array)
            {
                var index = tokens[i].Length == 0 ? array.Count : int.TryParse(tokens[i], CultureInfo.InvariantCulture, out var at) ? at : -1;
                if (index is < 0 or > 10_000)
                {
                    return;
                }

                while (array.Count <= index)
                {
                    array.Add(null);
                }

                if (last)
                {
                    array[index] = value;
                    return;
                }

                if (array[index] is not (JsonObject or JsonArray))
                {
                    array[index] = Fresh();
                }

                container = array[index]!;
            }
        }
    }
}
