using Microsoft.AspNetCore.Http;

namespace Integrations.Sdk.Testing.Stripe;

/// <summary>
/// Parameter checks and <c>expand[]</c>, from what Stripe's spec declares for each operation served
/// (<see cref="StripeSpecData"/>): an undeclared parameter is refused with 400 <c>parameter_unknown</c> naming it, a
/// value of the wrong kind with 400 naming it; every declared one is accepted.
/// </summary>
public sealed partial class StripeSimulator
{
    private const int MaxExpansionDepth = 4;

    private static Answer? CheckParameters(string operation, JsonObject parameters)
    {
        var declared = StripeSpecData.Parameters(operation);
        foreach (var (name, value) in parameters)
        {
            if (!declared.TryGetValue(name, out var parameter))
            {
                return Unknown(name);
            }

            if (CheckValue(name, parameter, value) is { } invalid)
            {
                return invalid;
            }
        }

        return null;
    }

    private static Answer? CheckValue(string name, DeclaredParameter parameter, JsonNode? value)
    {
        var text = value is JsonValue v ? v.GetValue<string>() : null;
        switch (parameter.Kind)
        {
            case "integer":
                return IsInteger(text) ? null : InvalidInteger(name, text);
            case "boolean":
                return text is "true" or "false" ? null : Invalid(name, $"Invalid boolean: {text ?? "(not a value)"}");
            case "array":
                return value is JsonArray || text?.Length == 0 ? null : Invalid(name, $"Invalid array: {name} must be an array ({name}[]=...).");
            case "range":
                if (text is not null)
                {
                    return IsInteger(text) ? null : InvalidInteger(name, text);
                }

                foreach (var (op, bound) in value!.AsObject())
                {
                    if (op is not ("gt" or "gte" or "lt" or "lte"))
                    {
                        return Unknown($"{name}[{op}]");
                    }

                    var boundText = bound is JsonValue b ? b.GetValue<string>() : null;
                    if (!IsInteger(boundText))
                    {
                        return InvalidInteger($"{name}[{op}]", boundText);
                    }
                }

                return null;
            case "object":
                if (text is not null)
                {
                    // An empty value unsets the object; anything else must be a hash.
                    return text.Length == 0 ? null : Invalid(name, $"Invalid object: {name} must be a hash ({name}[key]=value).");
                }

                if (value is not JsonObject hash)
                {
                    return Invalid(name, $"Invalid object: {name} must be a hash ({name}[key]=value).");
                }

                foreach (var (key, _) in hash)
                {
                    if (parameter.Keys is { } keys && !keys.Contains(key))
                    {
                        return Unknown($"{name}[{key}]");
                    }
                }

                return null;
            default:
                if (text is null)
                {
                    return Invalid(name, $"Invalid string: {name} must be a string.");
                }

                if (parameter.Enum is { } values && text.Length > 0 && !values.Contains(text, StringComparer.Ordinal))
                {
                    return Invalid(name, $"Invalid {name}: must be one of {string.Join(", ", values.Take(values.Count - 1))}, or {values[^1]}");
                }

                return null;
        }
    }

    private static bool IsInteger(string? text) => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    private static Answer Unknown(string name) =>
        Error(StatusCodes.Status400BadRequest, "invalid_request_error", $"Received unknown parameter: {name}", "parameter_unknown", name);

    private static Answer InvalidInteger(string name, string? text) =>
        Error(StatusCodes.Status400BadRequest, "invalid_request_error", $"Invalid integer: {text ?? "(not a value)"}", "parameter_invalid_integer", name);

    private static Answer Invalid(string name, string message) => Error(StatusCodes.Status400BadRequest, "invalid_request_error", message, null, name);

    /// <summary>
    /// Each <c>expand[]</c> path must name, level by level, fields the spec marks expandable (<c>x-expandableFields</c>)
    /// on the object type at that level, at most four levels deep; on a list each path starts with <c>data.</c>.
    /// </summary>
    private static Answer? CheckExpand(Route route, JsonObject parameters)
    {
        if (parameters["expand"] is not JsonArray paths)
        {
            return null;
        }

        for (var i = 0; i < paths.Count; i++)
        {
            var param = $"expand[{i}]";
            if (paths[i] is not JsonValue value || value.GetValue<string>() is not { Length: > 0 } path)
            {
                return Invalid(param, $"Invalid string: {param} must be a property path such as customer.");
            }

            var segments = path.Split('.');
            var start = 0;
            if (route.List)
            {
                if (segments[0] != "data")
                {
                    return Invalid(param, $"This property cannot be expanded ({path}). You may want to try expanding 'data.{path}' instead.");
                }

                start = 1;
            }

            if (segments.Length - start > MaxExpansionDepth)
            {
                return Invalid(param, $"You cannot expand more than {MaxExpansionDepth} levels of a property. Property: {path}");
            }

            string? type = route.Type;
            for (var s = start; s < segments.Length && type is not null; s++)
            {
                if (!StripeSpecData.IsExpandable(type, segments[s], out var target))
                {
                    return Invalid(param, $"This property cannot be expanded ({string.Join('.', segments[start..(s + 1)])}).");
                }

                type = target;
            }
        }

        return null;
    }

    /// <summary>Replaces each id on an <c>expand[]</c> path with the object the simulator holds (as Stripe does); ids it does not hold stay.</summary>
    private void Expand(JsonNode body, JsonArray paths)
    {
        foreach (var path in paths)
        {
            ExpandPath(body, path!.GetValue<string>().Split('.'), -1);
        }
    }

    /// <summary>Expands, under <paramref name="node"/>, the rest of the path after <c>segments[index]</c>.</summary>

    private void ExpandPath(JsonNode? node, string[] segments, int index)
    {
        if (node is not JsonObject obj)
        {
            return;
        }

        // A list: its data is the next level (the "data." of a list answer, or "lines.data.x").
        if (Text(obj, "object") == "list" && obj["data"] is JsonArray items && index + 1 < segments.Length && segments[index + 1] == "data")
        {
            foreach (var item in items)
            {
                ExpandPath(item, segments, index + 1);
            }

            return;
        }

        var next = index + 1;
        if (next >= segments.Length)
        {
            return;
        }

        var field = segments[next];
        if (obj[field] is JsonValue value && value.TryGetValue<string>(out var id) && Lookup(id) is { } expanded)
        {
            obj[field] = expanded;
        }

        ExpandPath(obj[field], segments, next);
    }

    private JsonObject? Lookup(string id)
    {
        var store = id[..(id.IndexOf('_', StringComparison.Ordinal) + 1)] switch
        {
            "cus_" => _customers,
            "in_" => _invoices,
            "sub_" => _subscriptions,
            "pi_" => _paymentIntents,
            "evt_" => _events,
            _ => null,
        };
        return store is not null && store.TryGetValue(id, out var stored) ? (JsonObject)stored.Json.DeepClone() : null;
    }
}
