using System.Text.RegularExpressions;

namespace Integrations.Sdk.MailchimpMarketing;

/// <summary>
/// Settings of the Mailchimp Marketing connector (Marketing API 3.0), validated when the host starts. Authenticate with
/// an <see cref="ApiKey"/> (<c>&lt;key&gt;-&lt;dc&gt;</c>, sent as HTTP Basic <c>anystring:&lt;key&gt;</c>) or with an OAuth
/// <see cref="AccessToken"/> and its <see cref="DataCenter"/> (sent as <c>Bearer</c>). <see cref="ToString"/> never shows a secret.
/// </summary>
public sealed partial class MailchimpMarketingOptions
{
    /// <summary>Mailchimp's limit of simultaneous connections per API key: 10.</summary>
    public const int MailchimpConnectionLimit = 10;

    /// <summary>
    /// An API key, <c>&lt;key&gt;-&lt;dc&gt;</c> (for example <c>0123456789abcdef0123456789abcdef-us6</c>); its suffix is the data
    /// centre requests go to. Secret. Set this or <see cref="AccessToken"/>, not both.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>An OAuth 2 access token (sent as <c>Authorization: Bearer</c>). Secret. Needs <see cref="DataCenter"/> unless <see cref="BaseAddress"/> is set.</summary>
    public string? AccessToken { get; set; }

    /// <summary>
    /// The account's data centre (<c>us6</c>), for <see cref="AccessToken"/>: the <c>dc</c> of Mailchimp's OAuth metadata
    /// (<c>https://login.mailchimp.com/oauth2/metadata</c>). With an <see cref="ApiKey"/> it is read from the key.
    /// </summary>
    public string? DataCenter { get; set; }

    /// <summary>
    /// Overrides the API host (a simulator, a proxy): absolute, HTTPS unless loopback. Requests go to <c>{BaseAddress}3.0/...</c>;
    /// an address that already ends in <c>/3.0/</c> is accepted too. <value>Default: <c>https://{dc}.api.mailchimp.com/</c>.</value>
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// Requests in flight at once, 1 to 10: Mailchimp allows 10 simultaneous connections per API key and answers 429
    /// beyond; lower it when other applications share the key. <value>Default: 10.</value>
    /// </summary>
    public int MaxConnections { get; set; } = MailchimpConnectionLimit;

    /// <summary>
    /// The secret expected in the query of the list webhook URL you register with Mailchimp
    /// (<c>https://your.host/webhooks/mailchimp-marketing?secret=&lt;WebhookSecret&gt;</c>): Mailchimp does not sign list
    /// webhooks. At least 16 characters; secret; required only to receive webhooks.
    /// </summary>
    public string? WebhookSecret { get; set; }

    /// <summary>The data centre requests go to: the suffix of <see cref="ApiKey"/>, else <see cref="DataCenter"/>; <see langword="null"/> when neither says.</summary>
    public string? ResolveDataCenter()
    {
        if (!string.IsNullOrWhiteSpace(ApiKey))
        {
            var dash = ApiKey.Trim().LastIndexOf('-');
            return dash > 0 && dash < ApiKey.Trim().Length - 1 ? ApiKey.Trim()[(dash + 1)..].ToLowerInvariant() : null;
        }

        return string.IsNullOrWhiteSpace(DataCenter) ? null : DataCenter.Trim().ToLowerInvariant();
    }

    /// <summary>
    /// The API root requests go to, ending in <c>/3.0/</c>: <see cref="BaseAddress"/> (with <c>3.0/</c> added when it is
    /// not already there), else <c>https://{dc}.api.mailchimp.com/3.0/</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Neither a base address nor a data centre is known.</exception>
    public Uri ResolveBaseAddress()
    {
        if (BaseAddress is { IsAbsoluteUri: true } address)
        {
            var text = address.GetLeftPart(UriPartial.Path).TrimEnd('/');
            return new Uri(text.EndsWith("/3.0", StringComparison.Ordinal) ? text + "/" : text + "/3.0/");
        }

        var dc = ResolveDataCenter() ?? throw new InvalidOperationException(
            $"Mailchimp Marketing: no data centre is known: set {nameof(ApiKey)} (<key>-<dc>), or {nameof(AccessToken)} with {nameof(DataCenter)}, or {nameof(BaseAddress)}.");
        return new Uri($"https://{dc}.api.mailchimp.com/3.0/");
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var auth = !string.IsNullOrWhiteSpace(ApiKey) ? "API key ***" : !string.IsNullOrWhiteSpace(AccessToken) ? "OAuth token ***" : "no credentials";
        var where = BaseAddress?.ToString() ?? (ResolveDataCenter() is { } dc ? $"https://{dc}.api.mailchimp.com/3.0/" : "(no data centre)");
        return $"MailchimpMarketingOptions({where}, {auth}, {MaxConnections} connections, webhook secret {(string.IsNullOrEmpty(WebhookSecret) ? "not set" : "***")})";
    }

    internal IEnumerable<string> Validate()
    {
        var hasKey = !string.IsNullOrWhiteSpace(ApiKey);
        var hasToken = !string.IsNullOrWhiteSpace(AccessToken);
        if (hasKey == hasToken)
        {
            yield return hasKey
                ? $"Mailchimp Marketing: set {nameof(ApiKey)} or {nameof(AccessToken)}, not both."
                : $"Mailchimp Marketing: {nameof(ApiKey)} (an API key, <key>-<dc>) or {nameof(AccessToken)} (OAuth, with {nameof(DataCenter)}) is required.";
        }

        // The key itself is never echoed: only what is wrong with its shape.
        if (hasKey && (ResolveDataCenter() is not { } keyDc || !DataCenterPattern().IsMatch(keyDc)))
        {
            yield return $"Mailchimp Marketing: {nameof(ApiKey)} must end in its data centre, <key>-<dc> (for example ...-us6).";
        }

        if (!string.IsNullOrWhiteSpace(DataCenter) && !DataCenterPattern().IsMatch(DataCenter.Trim().ToLowerInvariant()))
        {
            yield return $"Mailchimp Marketing: {nameof(DataCenter)} '{DataCenter}' is not a data centre such as 'us6'.";
        }

        if (hasKey && !string.IsNullOrWhiteSpace(DataCenter) && ResolveDataCenter() is { } dc
            && !string.Equals(dc, DataCenter.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            yield return $"Mailchimp Marketing: {nameof(DataCenter)} '{DataCenter}' differs from the data centre of {nameof(ApiKey)} ('{dc}'): leave {nameof(DataCenter)} unset with an API key.";
        }

        if (hasToken && !hasKey && string.IsNullOrWhiteSpace(DataCenter) && BaseAddress is null)
        {
            yield return $"Mailchimp Marketing: {nameof(DataCenter)} is required with {nameof(AccessToken)} (the 'dc' of https://login.mailchimp.com/oauth2/metadata).";
        }

        if (BaseAddress is not null && (!BaseAddress.IsAbsoluteUri || (BaseAddress.Scheme != Uri.UriSchemeHttps && !(BaseAddress.Scheme == Uri.UriSchemeHttp && BaseAddress.IsLoopback))))
        {
            yield return $"Mailchimp Marketing: {nameof(BaseAddress)} must be an absolute https URI (http only to loopback), not '{BaseAddress}'.";
        }

        if (MaxConnections is < 1 or > MailchimpConnectionLimit)
        {
            yield return $"Mailchimp Marketing: {nameof(MaxConnections)} must be between 1 and {MailchimpConnectionLimit} (Mailchimp allows {MailchimpConnectionLimit} simultaneous connections per API key), not {MaxConnections}.";
        }

        if (!string.IsNullOrEmpty(WebhookSecret) && WebhookSecret.Length < 16)
        {
            yield return $"Mailchimp Marketing: {nameof(WebhookSecret)} must be at least 16 characters (it is the only proof a webhook comes from Mailchimp).";
        }
    }

    [GeneratedRegex("^[a-z]{2,}[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex DataCenterPattern();
}
