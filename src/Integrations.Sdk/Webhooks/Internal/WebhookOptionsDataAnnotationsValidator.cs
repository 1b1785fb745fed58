namespace Integrations.Sdk.Webhooks.Internal;

/// <summary>Checks the data annotations of <see cref="WebhookOptions"/>; generated.</summary>
[OptionsValidator]
internal sealed partial class WebhookOptionsDataAnnotationsValidator : IValidateOptions<WebhookOptions>;
