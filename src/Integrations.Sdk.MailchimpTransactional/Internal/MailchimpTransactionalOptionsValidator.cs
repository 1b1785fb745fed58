using Microsoft.Extensions.Options;

namespace Integrations.Sdk.MailchimpTransactional.Internal;

/// <summary>Validates <see cref="MailchimpTransactionalOptions"/> at start, naming each setting at fault.</summary>
internal sealed class MailchimpTransactionalOptionsValidator : IValidateOptions<MailchimpTransactionalOptions>
{
    public ValidateOptionsResult Validate(string? name, MailchimpTransactionalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
