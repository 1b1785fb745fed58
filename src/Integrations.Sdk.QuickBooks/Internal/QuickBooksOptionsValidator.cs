using Microsoft.Extensions.Options;

namespace Integrations.Sdk.QuickBooks.Internal;

/// <summary>Validates <see cref="QuickBooksOptions"/> at start, naming each setting at fault.</summary>
internal sealed class QuickBooksOptionsValidator : IValidateOptions<QuickBooksOptions>
{
    public ValidateOptionsResult Validate(string? name, QuickBooksOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
