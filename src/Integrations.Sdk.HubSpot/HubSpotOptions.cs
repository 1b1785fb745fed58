namespace Integrations.Sdk.HubSpot;

/// <summary>Settings of the HubSpot CRM connector, validated when the host starts; <see cref="ToString"/> never shows a secret.</summary>
public sealed class HubSpotOptions
{
    /// <summary>HubSpot's API host.</summary>
    public static readonly Uri DefaultBaseAddress = new("https://api.hubapi.com/");

    /// <summary>The private app's access token, sent as <c>Authorization: Bearer ...</c>. Required; secret.</summary>
    public string AccessToken { get; set; } = string.Empty;

    /// <summary>Overrides the API host (a simulator, a proxy). Optional; must be absolute. <value>Default: <c>https://api.hubapi.com/</c>.</value></summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The app's client secret, which signs webhooks (<c>X-HubSpot-Signature-v3</c>). Secret; required only to receive webhooks.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>How far a webhook's <c>X-HubSpot-Request-Timestamp</c> may be from now. <value>Default: 5 minutes, as HubSpot advises.</value></summary>
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The API host requests go to: <see cref="BaseAddress"/> when set, else <see cref="DefaultBaseAddress"/>.</summary>
    public Uri ResolveBaseAddress() => BaseAddress ?? DefaultBaseAddress;

    /// <inheritdoc />
    public override string ToString() =>
        $"HubSpotOptions({ResolveBaseAddress()}, access token ***, client secret {(string.IsNullOrEmpty(ClientSecret) ? "unset" : "***")}, webhook tolerance {WebhookTolerance})";

    internal IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(AccessToken))
        {
            yield return $"HubSpot: {nameof(AccessToken)} is required (the private app's access token, from Settings > Integrations > Private apps).";
        }

        if (BaseAddress is { IsAbsoluteUri: false })
        {
            yield return $"HubSpot: {nameof(BaseAddress)} must be an absolute URI when set.";
        }

        if (WebhookTolerance <= TimeSpan.Zero)
        {
            yield return $"HubSpot: {nameof(WebhookTolerance)} must be positive (HubSpot advises 5 minutes).";
        }
    }
}
