namespace Integrations.Sdk.HubSpot;

/// <summary>Settings of the HubSpot CRM connector, validated when the host starts; <see cref="ToString"/> never shows a secret.</summary>
public sealed class HubSpotOptions
{
    /// <summary>HubSpot's API host.</summary>
    public static readonly Uri DefaultBaseAddress = new("https://api.hubapi.com/");

    /// <summary>The default <see cref="PrimaryContactLabel"/>: <c>Primary</c>.</summary>
    public const string DefaultPrimaryContactLabel = "Primary";

    /// <summary>The private app's access token, sent as <c>Authorization: Bearer ...</c>. Required; secret.</summary>
    public string AccessToken { get; set; } = string.Empty;

    /// <summary>Overrides the API host (a simulator, a proxy). Optional; must be absolute. <value>Default: <c>https://api.hubapi.com/</c>.</value></summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The app's client secret, which signs webhooks (<c>X-HubSpot-Signature-v3</c>). Secret; required only to receive webhooks.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>How far a webhook's <c>X-HubSpot-Request-Timestamp</c> may be from now. <value>Default: 5 minutes, as HubSpot advises.</value></summary>
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long HubSpot's CRM search may take to find a newly created object. HubSpot documents that newly created or
    /// updated objects may take a few moments to appear in search results
    /// (https://developers.hubspot.com/docs/api/crm/search, Limitations), without a figure; reports put it at several
    /// seconds. After a task creation with unknown outcome (a timeout, a dropped connection) the task step waits this
    /// long, counted from that attempt, before it searches for the task, so it does not create a second one. The CRM
    /// deal source (<c>ICrmConnector.Deals</c>) also starts each read this long before its checkpoint (its overlap),
    /// so a change that reached the search index late is still read. Zero to 1 hour. <value>Default: 10 seconds.</value>
    /// </summary>
    public TimeSpan SearchIndexLag { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Further deal properties every deal read asks for (the deal sources, <c>GetDealAsync</c>, <c>ListDealsAsync</c>),
    /// besides <see cref="HubSpotConnector.DealProperties"/>: HubSpot returns only the properties a read names. Read
    /// them with <c>deal.Property("name")</c>. Internal names, for example <c>hs_priority</c>. <value>Default: none.</value>
    /// </summary>
    public IList<string> ExtraDealProperties { get; set; } = [];

    /// <summary>
    /// The deal → contact association label that marks a deal's primary contact (<c>GetDealContactsAsync</c> puts
    /// that contact first, <c>IsPrimary</c>). HubSpot defines a primary association only for companies; a portal marks
    /// a deal's main contact with a label of its own (a <c>USER_DEFINED</c> association label), compared ignoring
    /// case. <value>Default: <c>Primary</c>.</value>
    /// </summary>
    public string PrimaryContactLabel { get; set; } = DefaultPrimaryContactLabel;

    /// <summary>The API host requests go to: <see cref="BaseAddress"/> when set, else <see cref="DefaultBaseAddress"/>.</summary>
    public Uri ResolveBaseAddress() => BaseAddress ?? DefaultBaseAddress;

    /// <inheritdoc />
    public override string ToString() =>
        $"HubSpotOptions({ResolveBaseAddress()}, access token ***, client secret {(string.IsNullOrEmpty(ClientSecret) ? "unset" : "***")}, webhook tolerance {WebhookTolerance}, search index lag {SearchIndexLag})";

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

        foreach (var name in ExtraDealProperties ?? [])
        {
            if (!HubSpotConnector.IsPropertyName(name))
            {
                yield return $"HubSpot: {nameof(ExtraDealProperties)} holds '{name}', which is not a property's internal name (blank, or whitespace or a comma in it).";
            }
        }

        if (SearchIndexLag < TimeSpan.Zero || SearchIndexLag > TimeSpan.FromHours(1))
        {
            yield return $"HubSpot: {nameof(SearchIndexLag)} must be between zero and 1 hour (it was {SearchIndexLag}).";
        }
    }
}
