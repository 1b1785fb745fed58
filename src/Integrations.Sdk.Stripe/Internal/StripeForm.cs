using System.Collections;

namespace Integrations.Sdk.Stripe.Internal;

/// <summary>
/// Encodes parameters as Stripe's v1 API reads them: a form body with bracket nesting (<c>metadata[order]=1001</c>,
/// <c>items[0][price]=price_1</c>), strings as is (an empty one clears a field), other scalars invariantly, times as
/// Unix seconds; <see langword="null"/> values are left out.
/// </summary>
internal static class StripeForm
{
    /// <summary>Encodes the parameters as a form body.</summary>
    public static string Encode(IEnumerable<KeyValuePair<string, object?>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in parameters)
        {
            ArgumentException.ThrowIfNullOrEmpty(key, nameof(parameters));
            Add(pairs, key, value);
        }

        return string.Join('&', pairs.Select(p => $"{EscapeKey(p.Key)}={Uri.EscapeDataString(p.Value)}"));
    }

    /// <summary>Encodes the parameters as request content.</summary>
    public static HttpContent Content(IEnumerable<KeyValuePair<string, object?>> parameters) =>
        new StringContent(Encode(parameters), Encoding.UTF8, "application/x-www-form-urlencoded");

    private static void Add(List<KeyValuePair<string, string>> pairs, string key, object? value)
    {
        switch (value)
        {
            case null:
                return;
            case string text:
                pairs.Add(new(key, text));
                return;
            case bool flag:
                pairs.Add(new(key, flag ? "true" : "false"));
                return;
            case DateTimeOffset time:
                pairs.Add(new(key, time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
                return;
            case IFormattable number when value is int or long or short or byte or uint or ulong or ushort or decimal or double or float:
                pairs.Add(new(key, number.ToString(null, CultureInfo.InvariantCulture)));
                return;
            case IEnumerable<KeyValuePair<string, string?>> map:
                Add(pairs, key, map.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)).ToList());
                return;
            case IEnumerable<KeyValuePair<string, object?>> map:
                foreach (var (name, item) in map)
                {
                    Add(pairs, $"{key}[{Checked(name, key)}]", item);
                }

                return;
            case IEnumerable list:
                var index = 0;
                foreach (var item in list)
                {
                    Add(pairs, string.Create(CultureInfo.InvariantCulture, $"{key}[{index++}]"), item);
                }

                return;
            default:
                throw new ArgumentException($"Stripe parameter '{key}' has a value of type {value.GetType().Name}, which has no form encoding.", nameof(value));
        }
    }

    private static string Checked(string name, string parent) =>
        string.IsNullOrEmpty(name) || name.AsSpan().IndexOfAny('[', ']') >= 0
            ? throw new ArgumentException($"Stripe parameter '{parent}' has a key '{name}' that is empty or contains brackets.", nameof(name))
            : name;

    /// <summary>Percent-encodes a key, keeping its brackets literal.</summary>
    private static string EscapeKey(string key) =>
        Uri.EscapeDataString(key).Replace("%5B", "[", StringComparison.Ordinal).Replace("%5D", "]", StringComparison.Ordinal);
}
