namespace Integrations.Sdk.DependencyInjection.Internal;

/// <summary>
/// Validates options at start in two parts: the data annotations declared on them, checked by a source-generated
/// <see cref="OptionsValidatorAttribute"/> validator, then the checks that span several settings. Every message names
/// the setting at fault as <c>TypeName.Property</c>.
/// </summary>
/// <typeparam name="TOptions">The options.</typeparam>
/// <param name="annotations">The generated validator of <typeparamref name="TOptions"/>'s data annotations.</param>
internal abstract class OptionsValidatorBase<TOptions>(IValidateOptions<TOptions> annotations) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();

        // Validated without the name, so that messages read "TypeName.Property", not "name.Property".
        var result = annotations.Validate(null, options);
        if (result.Failed)
        {
            errors.AddRange(result.Failures.Select(f => Describe(name, f)));
        }

        errors.AddRange(CrossChecks(name, options));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Places a data-annotation failure, for example in the named instance it belongs to.</summary>
    protected virtual string Describe(string? name, string failure) => failure;

    /// <summary>The checks that data annotations cannot express: between settings, and of nested objects.</summary>
    protected abstract IEnumerable<string> CrossChecks(string? name, TOptions options);
}
