namespace Integrations.Sdk.QuickBooks;

/// <summary>
/// Builds pieces of QuickBooks query statements (<c>SELECT * FROM Customer WHERE DisplayName = 'O\'Brien'</c>)
/// safely: string literals are quoted with apostrophes and backslashes escaped, as QuickBooks requires.
/// </summary>
public static class QuickBooksQuery
{
    /// <summary>Returns <paramref name="value"/> as a quoted literal: <c>O'Brien</c> becomes <c>'O\'Brien'</c>.</summary>
    /// <param name="value">The value.</param>
    public static string Literal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return $"'{value.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("'", @"\'", StringComparison.Ordinal)}'";
    }

    /// <summary>Returns the condition <c>Field = 'value'</c>, for the <c>where</c> of <see cref="QuickBooksConnector.QueryAsync{T}"/>.</summary>
    /// <param name="field">The property, for example <c>DocNumber</c> or <c>MetaData.LastUpdatedTime</c>.</param>
    /// <param name="value">The value, quoted and escaped.</param>
    /// <exception cref="ArgumentException"><paramref name="field"/> is not a property name.</exception>
    public static string Equal(string field, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        if (!IsName(field, allowDots: true))
        {
            throw new ArgumentException($"'{field}' is not a QuickBooks property name (letters, digits and dots only).", nameof(field));
        }

        return $"{field} = {Literal(value)}";
    }

    internal static bool IsName(string text, bool allowDots) =>
        text.Length > 0 && char.IsAsciiLetter(text[0]) && text.All(c => char.IsAsciiLetterOrDigit(c) || (allowDots && c == '.'));
}
