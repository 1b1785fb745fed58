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

        if (options.PublicBaseUrl is { } url)
        {
            if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                yield return $"{Type}.{nameof(WebhookOptions.PublicBaseUrl)} ({url}) must be an absolute http or https URI, such as https://hooks.example.com/.";
            }
            else if (!string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
            {
                yield return $"{Type}.{nameof(WebhookOptions.PublicBaseUrl)} ({url}) must not have a query or a fragment: the request's path and query are appended to it.";
            }
        }
    }
}
