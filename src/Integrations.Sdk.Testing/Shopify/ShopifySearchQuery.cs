using System.Text.RegularExpressions;

namespace Integrations.Sdk.Testing.Shopify;

/// <summary>The part of Shopify's search syntax the simulator understands: <c>field:value</c>, <c>field:"quoted"</c>, <c>updated_at:&gt;='...'</c>.</summary>
internal static partial class ShopifySearchQuery
{
    public static IReadOnlyList<(string Field, string Operator, string Value)> Parse(string? query)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return [];
        }

        return [.. Term().Matches(query).Select(m => (
            m.Groups["field"].Value.ToLowerInvariant(),
            m.Groups["op"].Success ? m.Groups["op"].Value : "=",
            m.Groups["dq"].Success ? Unescape(m.Groups["dq"].Value) : m.Groups["sq"].Success ? m.Groups["sq"].Value : m.Groups["bare"].Value))];
    }

    public static string? Value(string? query, string field) =>
        Parse(query).Where(t => t.Field == field).Select(t => t.Value).FirstOrDefault();

    /// <summary>The error for the first <c>updated_at</c> term whose date cannot be read, if any.</summary>
    public static string? CheckDates(IReadOnlyList<(string Field, string Operator, string Value)> terms) =>
        terms.Where(t => t.Field == "updated_at" && !DateTimeOffset.TryParse(t.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
            .Select(t => $"Invalid date in search term updated_at:{t.Operator}{t.Value}")
            .FirstOrDefault();

    /// <summary>Whether a timestamp satisfies every <c>updated_at</c> term; false with an error for an unreadable date.</summary>
    public static bool MatchesUpdatedAt(IReadOnlyList<(string Field, string Operator, string Value)> terms, DateTimeOffset updatedAt, out string? error)
    {
        error = null;
        foreach (var (field, op, value) in terms)
        {
            if (field != "updated_at")
            {
                continue;
            }

            if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var bound))
            {
                error = $"Invalid date in search term updated_at:{op}{value}";
                return false;
            }

            var ok = op switch
            {
                ">=" => updatedAt >= bound,
                ">" => updatedAt > bound,
                "<=" => updatedAt <= bound,
                "<" => updatedAt < bound,
                _ => updatedAt == bound,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static string Unescape(string value)
    {
        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
            }

            text.Append(value[i]);
        }

        return text.ToString();
    }

    [GeneratedRegex("""(?<field>[A-Za-z_]+):(?<op>>=|<=|>|<|=)?(?:"(?<dq>(?:[^"\\]|\\.)*)"|'(?<sq>[^']*)'|(?<bare>[^\s"']+))""", RegexOptions.CultureInvariant)]
    private static partial Regex Term();
}
