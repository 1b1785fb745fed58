using System.Runtime.CompilerServices;

namespace Integrations.Sdk.QuickBooks;

/// <summary>Builds pieces of QuickBooks query statements safely: literals are quoted, apostrophes and backslashes escaped.</summary>
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
    public static string Equal(string field, string value) =>
        $"{RequireName(field, allowDots: true, "property name (letters, digits and dots only)")} = {Literal(value)}";

    /// <summary>Returns <paramref name="name"/> when it is a QuickBooks name: letters and digits, and dots for a property.</summary>
    internal static string RequireName(string name, bool allowDots, string what, [CallerArgumentExpression(nameof(name))] string? paramName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, paramName);
        return char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || (allowDots && c == '.'))
            ? name
            : throw new ArgumentException($"'{name}' is not a QuickBooks {what}.", paramName);
    }
}
