namespace Integrations.Sdk.Testing.Conformance;

/// <summary>
/// Thrown when a simulator or a test's service provider is disposed in <see cref="ConformanceMode.Enforce"/> after
/// exchanges broke a platform's spec. Its message lists every violation, in the spec's words.
/// </summary>
public sealed class ConformanceException : Exception
{
    private const int MaxListed = 200;

    /// <summary>Creates the exception for <paramref name="violations"/>.</summary>
    /// <param name="violations">What broke the specs (at least one).</param>
    public ConformanceException(IReadOnlyList<ConformanceViolation> violations)
        : base(Describe(violations))
    {
        Violations = violations;
    }

    /// <summary>Creates the exception with a message of its own and no violation.</summary>
    public ConformanceException()
        : this([])
    {
    }

    /// <summary>Creates the exception with a message of its own and no violation.</summary>
    /// <param name="message">The message.</param>
    public ConformanceException(string message)
        : base(message)
    {
        Violations = [];
    }

    /// <summary>Creates the exception with a message of its own and no violation.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ConformanceException(string message, Exception innerException)
        : base(message, innerException)
    {
        Violations = [];
    }

    /// <summary>Every violation seen, in the order seen.</summary>
    public IReadOnlyList<ConformanceViolation> Violations { get; }

    private static string Describe(IReadOnlyList<ConformanceViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{violations.Count} exchange(s) broke the platform's published spec (set Conformance to Record to assert on them instead):");

        // Each distinct violation once, in the order first seen, with how often it was seen: a load test repeats one.
        var distinct = violations.Select(v => v.ToString()).GroupBy(s => s, StringComparer.Ordinal).ToList();
        foreach (var group in distinct.Take(MaxListed))
        {
            text.Append("\n  - ").Append(group.Key);
            var count = group.Count();
            if (count > 1)
            {
                text.Append(CultureInfo.InvariantCulture, $" (x{count})");
            }
        }

        if (distinct.Count > MaxListed)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  ... and {distinct.Count - MaxListed} more distinct violation(s), in Violations");
        }

        return text.ToString();
    }
}
