using Integrations.Sdk.DependencyInjection.Internal;

namespace Integrations.Sdk.Transport.Internal;

/// <summary>
/// Validates each connector's named <see cref="ConnectorHttpOptions"/> at start: the declared ranges, then the
/// settings that depend on each other and the auth. Every message starts with the connector and names the setting.
/// </summary>
internal sealed class ConnectorHttpOptionsValidator() : OptionsValidatorBase<ConnectorHttpOptions>(new ConnectorHttpOptionsDataAnnotationsValidator())
{
    private const string Type = nameof(ConnectorHttpOptions);

    protected override string Describe(string? name, string failure) => $"{Connector(name)}: {failure}";

    protected override IEnumerable<string> CrossChecks(string? name, ConnectorHttpOptions options)
    {
        var connector = Connector(name);
        if (options.BaseAddress is { IsAbsoluteUri: false })
        {
            yield return $"{connector}: {Type}.{nameof(ConnectorHttpOptions.BaseAddress)} must be an absolute URI.";
        }

        if (options.RetryMaxDelay < options.RetryBaseDelay)
        {
            yield return $"{connector}: {Type}.{nameof(ConnectorHttpOptions.RetryMaxDelay)} ({options.RetryMaxDelay}) must not be shorter than {Type}.{nameof(ConnectorHttpOptions.RetryBaseDelay)} ({options.RetryBaseDelay}).";
        }

        if (options.AttemptTimeout > options.TotalTimeout)
        {
            yield return $"{connector}: {Type}.{nameof(ConnectorHttpOptions.AttemptTimeout)} ({options.AttemptTimeout}) must not be longer than {Type}.{nameof(ConnectorHttpOptions.TotalTimeout)} ({options.TotalTimeout}).";
        }

        if (options.IdempotencyHeaders.Any(string.IsNullOrWhiteSpace))
        {
            yield return $"{connector}: {Type}.{nameof(ConnectorHttpOptions.IdempotencyHeaders)} must not contain empty header names.";
        }

        if (options.IdempotencyQueryParameters.Any(string.IsNullOrWhiteSpace))
        {
            yield return $"{connector}: {Type}.{nameof(ConnectorHttpOptions.IdempotencyQueryParameters)} must not contain empty parameter names.";
        }

        if (options.Auth is not null)
        {
            foreach (var error in options.Auth.Validate(connector))
            {
                yield return error;
            }
        }
    }

    private static string Connector(string? name) => string.IsNullOrEmpty(name) ? "connector" : name;
}
