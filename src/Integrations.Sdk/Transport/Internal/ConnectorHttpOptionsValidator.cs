using Microsoft.Extensions.Options;

namespace Integrations.Sdk.Transport.Internal;

/// <summary>Validates each connector's named <see cref="ConnectorHttpOptions"/> at start, naming the setting at fault.</summary>
internal sealed class ConnectorHttpOptionsValidator : IValidateOptions<ConnectorHttpOptions>
{
    public ValidateOptionsResult Validate(string? name, ConnectorHttpOptions options)
    {
        var errors = options.Validate(name ?? "connector").ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
