namespace Integrations.Sdk.Connectors.Kit;

/// <summary>
/// The fields a read asks for besides those its model types, for connector authors: the one rule behind every
/// lookup's <c>extraFields</c> parameter. Names are trimmed, checked against the platform's rule and kept once, after
/// the typed ones; a name the platform cannot take is refused before anything is sent.
/// </summary>
public static class ExtraFields
{
    /// <summary>Returns <paramref name="typed"/> followed by the extra names not already in it, each once, in the order given.</summary>
    /// <param name="typed">The fields the model types, asked for anyway (empty when the read selects only the extra ones).</param>
    /// <param name="extraFields">The caller's extra names; <see langword="null"/> for none.</param>
    /// <param name="isName">Whether a trimmed, non-empty name is one the platform takes.</param>
    /// <param name="rule">What the platform's names look like, for the error (for example <c>Trello card fields are plain names such as 'labels'</c>).</param>
    /// <param name="parameterName">The parameter or setting that carried the names, named by the error.</param>
    /// <returns><paramref name="typed"/> itself when there is nothing to add.</returns>
    /// <exception cref="ArgumentException">A name is blank or breaks the platform's rule.</exception>
    public static IReadOnlyList<string> Append(IReadOnlyList<string> typed, IEnumerable<string>? extraFields, Func<string, bool> isName, string rule, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(isName);
        if (extraFields is null)
        {
            return typed;
        }

        List<string>? all = null;
        foreach (var field in extraFields)
        {
            var name = field?.Trim() ?? string.Empty;
            if (name.Length == 0 || !isName(name))
            {
                throw new ArgumentException($"{rule}; '{field}' is not one.", parameterName);
            }

            all ??= [.. typed];
            if (!all.Contains(name, StringComparer.Ordinal))
            {
                all.Add(name);
            }
        }

        return all ?? typed;
    }
}
