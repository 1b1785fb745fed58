namespace Integrations.Sdk.Testing.Stripe;

/// <summary>
/// Reads Stripe's bracket-nested parameters (<c>metadata[order]=1</c>, <c>items[0][price]=p</c>, <c>expand[]=x</c>)
/// into a JSON tree: brackets nest objects, objects keyed 0..n-1 (or appended with <c>[]</c>) become arrays, leaves
/// are strings.
/// </summary>
internal static class StripeFormParser
{
    /// <summary>Parses the decoded (key, value) pairs; <paramref name="error"/> names the parameter when a key is malformed or used both as a value and as a parent.</summary>
    public static JsonObject Parse(IEnumerable<KeyValuePair<string, string>> pairs, out string? error)
    {
        error = null;
        var root = new JsonObject();
        foreach (var (key, value) in pairs)
        {
            if (!TrySplit(key, out var segments))
            {
                error = key;
                return root;
            }

            JsonObject node = root;
            for (var i = 0; i < segments.Count; i++)
            {
                var segment = segments[i].Length == 0 ? Next(node) : segments[i];
                var last = i == segments.Count - 1;
                if (last)
                {
                    if (node[segment] is JsonObject)
                    {
                        error = key;
                        return root;
                    }

                    node[segment] = value;
                }
                else
                {
                    switch (node[segment])
                    {
                        case JsonObject child:
                            node = child;
                            break;
                        case null when !node.ContainsKey(segment):
                            var created = new JsonObject();
                            node[segment] = created;
                            node = created;
                            break;
                        default:
                            error = key;
                            return root;
                    }
                }
            }
        }

        return (JsonObject)Arrays(root);
    }

    /// <summary>Flattens a parsed tree back into sorted (key, value) pairs: the canonical form two requests are compared by.</summary>
    public static string Canonical(JsonNode? node)
    {
        var pairs = new List<string>();
        Flatten(node, string.Empty, pairs);
        pairs.Sort(StringComparer.Ordinal);
        return string.Join('&', pairs);
    }

    private static void Flatten(JsonNode? node, string prefix, List<string> pairs)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    Flatten(child, prefix.Length == 0 ? name : $"{prefix}[{name}]", pairs);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Flatten(array[i], $"{prefix}[{i}]", pairs);
                }

                break;
            default:
                pairs.Add(prefix + "=" + node?.GetValue<string>());
                break;
        }
    }

    private static string Next(JsonObject node) => node.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static JsonNode Arrays(JsonNode node)
    {
        if (node is not JsonObject obj)
        {
            return node;
        }

        var names = obj.Select(p => p.Key).ToList();
        foreach (var name in names)
        {
            var child = obj[name];
            obj.Remove(name);
            obj[name] = child is null ? null : Arrays(child);
        }

        var isArray = names.Count > 0 && names.Select((n, i) => n == i.ToString(System.Globalization.CultureInfo.InvariantCulture)).All(b => b);
        if (!isArray)
        {
            return obj;
        }

        var array = new JsonArray();
        foreach (var name in names)
        {
            var child = obj[name];
            obj.Remove(name);
            array.Add(child);
        }

        return array;
    }

    private static bool TrySplit(string key, out List<string> segments)
    {
        segments = [];
        var open = key.IndexOf('[', StringComparison.Ordinal);
        var head = open < 0 ? key : key[..open];
        if (head.Length == 0 || head.Contains(']', StringComparison.Ordinal))
        {
            return false;
        }

        segments.Add(head);
        var rest = open < 0 ? string.Empty : key[open..];
        while (rest.Length > 0)
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            if (rest[0] != '[' || close < 0)
            {
                return false;
            }

            var segment = rest[1..close];
            if (segment.Contains('[', StringComparison.Ordinal))
            {
                return false;
            }

            segments.Add(segment);
            rest = rest[(close + 1)..];
        }

        return true;
    }
}
