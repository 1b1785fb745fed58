using Microsoft.Extensions.Options;

namespace Integrations.Sdk.Stripe.Internal;

/// <summary>Validates <see cref="StripeOptions"/> at start, naming each setting at fault.</summary>
internal sealed class StripeOptionsValidator : IValidateOptions<StripeOptions>
{
    public ValidateOptionsResult Validate(string? name, StripeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
