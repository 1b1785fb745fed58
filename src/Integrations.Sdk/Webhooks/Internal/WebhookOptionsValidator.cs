using Integrations.Sdk.DependencyInjection.Internal;

namespace Integrations.Sdk.Webhooks.Internal;

/// <summary>Validates <see cref="WebhookOptions"/> at start: the declared ranges, then the settings that depend on each other.</summary>
internal sealed class WebhookOptionsValidator() : OptionsValidatorBase<WebhookOptions>(new WebhookOptionsDataAnnotationsValidator())
{
    private const string Type = nameof(WebhookOptions);

    protected override IEnumerable<string> CrossChecks(string? name, WebhookOptions options)
    {
        if (options.RetryMaxDelay < options.RetryBaseDelay)
        {
            yield return $"{Type}.{nameof(WebhookOptions.RetryMaxDelay)} ({options.RetryMaxDelay}) must not be shorter than {Type}.{nameof(WebhookOptions.RetryBaseDelay)} ({options.RetryBaseDelay}).";
        }
    }
}
