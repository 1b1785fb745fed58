namespace Integrations.Sdk.Transport.Internal;

/// <summary>Checks the data annotations of <see cref="ConnectorHttpOptions"/> and its nested <see cref="RateLimitOptions"/>; generated.</summary>
[OptionsValidator]
internal sealed partial class ConnectorHttpOptionsDataAnnotationsValidator : IValidateOptions<ConnectorHttpOptions>;
