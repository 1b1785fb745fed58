using System.Collections;

namespace Integrations.Sdk.Stripe.Internal;

/// <summary>
/// Encodes parameters as Stripe's v1 API reads them: <c>application/x-www-form-urlencoded</c> with bracket nesting
/// (<c>metadata[order]=1001</c>, <c>items[0][price]=price_1</c>). Dictionaries nest by key, lists by index; strings
/// are sent as is (an empty string clears a field, as Stripe documents for metadata), booleans as <c>true</c>/<c>false</c>,
/// numbers invariantly, times as Unix seconds; <see langword="null"/> values are left out. Brackets in keys stay
/// literal; everything else is percent-encoded (UTF-8).
/// </summary>
internal static class StripeForm
{
    public const string MediaType = "application/x-www-form-urlencoded";

    /// <summary>Flattens the parameters into (key, value) pairs, in order.</summary>
    public static List<KeyValuePair<string, string>> Flatten(IEnumerable<KeyValuePair<string, object?>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in parameters)
        {
            ArgumentException.ThrowIfNullOrEmpty(key, nameof(parameters));
            Add(pairs, key, value);
        }

        return pairs;
    }

    /// <summary>Encodes the parameters as a form body.</summary>
    public static string Encode(IEnumerable<KeyValuePair<string, object?>> parameters)
    {
        var builder = new StringBuilder();
        foreach (var (key, value) in Flatten(parameters))
        {
            if (builder.Length > 0)
            {
                builder.Append('&');
            }

            builder.Append(EscapeKey(key)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return builder.ToString();
    }

    /// <summary>Encodes the parameters as request content.</summary>
    public static HttpContent Content(IEnumerable<KeyValuePair<string, object?>> parameters) =>
        new StringContent(Encode(parameters), Encoding.UTF8, MediaType);

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
                foreach (var (name, item) in map)
                {
                    Add(pairs, $"{key}[{Checked(name, key)}]", item);
                }

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

    private static string Checked(string name, string parent)
    {
        if (string.IsNullOrEmpty(name) || name.AsSpan().IndexOfAny('[', ']') >= 0)
        {
            throw new ArgumentException($"Stripe parameter '{parent}' has a key '{name}' that is empty or contains brackets.", nameof(name));
        }

        return name;
    }

    private static string EscapeKey(string key)
    {
        var builder = new StringBuilder(key.Length + 8);
        var start = 0;
        for (var i = 0; i <= key.Length; i++)
        {
            if (i == key.Length || key[i] is '[' or ']')
            {
                builder.Append(Uri.EscapeDataString(key[start..i]));
                if (i < key.Length)
                {
                    builder.Append(key[i]);
                }

                start = i + 1;
            }
        }

        return builder.ToString();
    }
}
