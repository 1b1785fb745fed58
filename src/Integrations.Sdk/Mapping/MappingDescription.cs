namespace Integrations.Sdk.Mapping;

/// <summary>One line of a mapping: where a target field's value comes from.</summary>
/// <param name="SourcePath">The source path, for example <c>customer.email</c>, or <c>(constant)</c>.</param>
/// <param name="TargetPath">The target path, for example <c>BillEmail.Address</c>.</param>
/// <param name="Transform">The named transform applied, if any.</param>
/// <param name="Required">Whether a missing source value is a validation error.</param>
public sealed record FieldMapping(string SourcePath, string TargetPath, string? Transform, bool Required);

/// <summary>A mapping's description, field by field: for docs and run reports.</summary>
/// <param name="SourceType">The source type's name.</param>
/// <param name="TargetType">The target type's name.</param>
/// <param name="Fields">The fields, in declaration order.</param>
public sealed record MappingDescription(string SourceType, string TargetType, IReadOnlyList<FieldMapping> Fields)
{
    /// <summary>Renders the mapping as a Markdown table.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder()
            .Append("| ").Append(SourceType).Append(" | ").Append(TargetType).AppendLine(" | transform | required |")
            .AppendLine("|---|---|---|---|");
        foreach (var field in Fields)
        {
            text.Append("| `").Append(field.SourcePath).Append("` | `").Append(field.TargetPath).Append("` | ")
                .Append(field.Transform ?? string.Empty).Append(" | ").Append(field.Required ? "yes" : "no").AppendLine(" |");
        }

        return text.ToString();
    }
}

/// <summary>A field the mapping could not fill.</summary>
/// <param name="SourcePath">The source path at fault.</param>
/// <param name="TargetPath">The target field.</param>
/// <param name="Message">What is wrong.</param>
public sealed record MappingError(string SourcePath, string TargetPath, string Message);

/// <summary>A record could not be mapped: required fields are missing or a transform failed. The message names every field path at fault.</summary>
public sealed class MappingValidationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="sourceType">The source type's name.</param>
    /// <param name="targetType">The target type's name.</param>
    /// <param name="errors">The fields at fault.</param>
    public MappingValidationException(string sourceType, string targetType, IReadOnlyList<MappingError> errors)
        : base($"mapping {sourceType} -> {targetType} failed: " + string.Join("; ", (errors ?? []).Select(e => $"{e.SourcePath}: {e.Message}")))
    {
        Errors = errors ?? [];
    }

    /// <summary>The fields at fault.</summary>
    public IReadOnlyList<MappingError> Errors { get; }
}
