using Microsoft.Extensions.Options;

namespace Integrations.Sdk.HubSpot.Internal;

/// <summary>Validates <see cref="HubSpotOptions"/> at start, naming each setting at fault.</summary>
internal sealed class HubSpotOptionsValidator : IValidateOptions<HubSpotOptions>
{
    public ValidateOptionsResult Validate(string? name, HubSpotOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
