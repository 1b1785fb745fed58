using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Integrations.Sdk.Salesforce;

/// <summary>How the connector obtains its access token (both are server-to-server flows without a user present).</summary>
public enum SalesforceAuthFlow
{
    /// <summary>
    /// OAuth 2.0 JWT bearer flow: an assertion signed with the connected app's private key (RS256) for
    /// <see cref="SalesforceOptions.Username"/>, posted to <c>{LoginUrl}/services/oauth2/token</c>. Needs
    /// <see cref="SalesforceOptions.ClientId"/>, <see cref="SalesforceOptions.Username"/> and <see cref="SalesforceOptions.PrivateKeyPem"/>.
    /// </summary>
    JwtBearer = 0,

    /// <summary>
    /// OAuth 2.0 client credentials flow: the connected app's consumer key and secret, for its configured run-as user.
    /// Needs <see cref="SalesforceOptions.ClientId"/> and <see cref="SalesforceOptions.ClientSecret"/>; the login URL is
    /// then the org's My Domain URL.
    /// </summary>
    ClientCredentials = 1,
}

/// <summary>Settings of the Salesforce connector, validated when the host starts. Its <see cref="ToString"/> shows no secret.</summary>
public sealed partial class SalesforceOptions
{
    /// <summary>The API version the connector pins. <value><c>v67.0</c> (Summer '26).</value></summary>
    public const string DefaultApiVersion = "v67.0";

    /// <summary>
    /// Where tokens are requested: <c>{LoginUrl}/services/oauth2/token</c>. <value>Default: <c>https://login.salesforce.com/</c></value>
    /// (a sandbox: <c>https://test.salesforce.com/</c>; the client credentials flow: the org's My Domain URL).
    /// </summary>
    public Uri LoginUrl { get; set; } = new("https://login.salesforce.com/");

    /// <summary>The token flow. <value>Default: <see cref="SalesforceAuthFlow.JwtBearer"/>.</value></summary>
    public SalesforceAuthFlow Flow { get; set; }

    /// <summary>The connected app's consumer key (the JWT's <c>iss</c>, or <c>client_id</c>). Required.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The connected app's consumer secret. Required for <see cref="SalesforceAuthFlow.ClientCredentials"/>; secret.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The Salesforce user the JWT bearer flow acts as (the JWT's <c>sub</c>). Required for <see cref="SalesforceAuthFlow.JwtBearer"/>.</summary>
    public string? Username { get; set; }

    /// <summary>
    /// The RSA private key (PEM, PKCS#8 <c>BEGIN PRIVATE KEY</c> or PKCS#1 <c>BEGIN RSA PRIVATE KEY</c>) whose certificate is
    /// uploaded to the connected app; signs the JWT bearer assertion. Required for <see cref="SalesforceAuthFlow.JwtBearer"/>; secret.
    /// </summary>
    public string? PrivateKeyPem { get; set; }

    /// <summary>
    /// The JWT's <c>aud</c>: Salesforce takes <c>https://login.salesforce.com</c>, <c>https://test.salesforce.com</c> (a
    /// sandbox) or an Experience Cloud site's URL, whatever host the token is asked of (a My Domain login URL too).
    /// <value>Default (<see langword="null"/>): <c>https://test.salesforce.com</c> when <see cref="LoginUrl"/> is
    /// <c>test.salesforce.com</c> or a sandbox's My Domain (<c>*.sandbox.my.salesforce.com</c>), else
    /// <c>https://login.salesforce.com</c></value>.
    /// </summary>
    public string? JwtAudience { get; set; }

    /// <summary>The REST API version, <c>vNN.0</c>. <value>Default: <see cref="DefaultApiVersion"/>.</value></summary>
    public string ApiVersion { get; set; } = DefaultApiVersion;

    /// <summary>
    /// The org's instance URL (for example <c>https://acme.my.salesforce.com/</c>). Optional: by default the connector
    /// uses the token answer's <c>instance_url</c>.
    /// </summary>
    public Uri? InstanceUrl { get; set; }

    /// <summary>
    /// The org's id (15 or 18 characters, <c>00D...</c>): an outbound message is accepted only when its
    /// <c>OrganizationId</c> names this org. Required only to receive outbound messages.
    /// </summary>
    public string? OrganizationId { get; set; }

    /// <summary>
    /// How far before the checkpoint's <c>SystemModstamp</c> an incremental read of deals starts again, for changes
    /// committed late with an earlier stamp; 0 to 1 day. <value>Default: 5 minutes.</value>
    /// </summary>
    public TimeSpan DealsOverlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Whether the org has multiple currencies enabled, so deals are read with <c>CurrencyIsoCode</c> (a single-currency
    /// org has no such field). <value>Default: <see langword="false"/>.</value>
    /// </summary>
    public bool MultiCurrency { get; set; }

    /// <summary>
    /// The org's API requests per rolling 24 hours, the budget's size. <c>Sforce-Limit-Info</c> on every answer lowers
    /// what is left to what the org reports. <value>Default: 100,000.</value>
    /// </summary>
    public int RequestsPerDay { get; set; } = 100_000;

    /// <summary>Requests in flight at once, 1 to 25. <value>Default: 10.</value></summary>
    public int MaxConcurrentRequests { get; set; } = 10;

    /// <summary>How long to hold requests when the org's daily allocation is spent. <value>Default: 1 hour.</value></summary>
    public TimeSpan DailyLimitWait { get; set; } = TimeSpan.FromHours(1);

    /// <inheritdoc />
    public override string ToString() =>
        $"SalesforceOptions({Flow}, login {LoginUrl}, client {ClientId}, user {Username}, {ApiVersion}, instance {InstanceUrl?.ToString() ?? "(from token)"}, org {OrganizationId}, secret ***, key ***)";

    /// <summary>The JWT's audience: <see cref="JwtAudience"/>, else Salesforce's production or sandbox login host (see <see cref="JwtAudience"/>).</summary>
    internal string Audience => !string.IsNullOrWhiteSpace(JwtAudience)
        ? JwtAudience.Trim()
        : LoginUrl.Host.Equals("test.salesforce.com", StringComparison.OrdinalIgnoreCase) || LoginUrl.Host.EndsWith(".sandbox.my.salesforce.com", StringComparison.OrdinalIgnoreCase)
            ? "https://test.salesforce.com"
            : "https://login.salesforce.com";

    /// <summary>The token endpoint.</summary>
    internal Uri TokenEndpoint => new(EndWithSlash(LoginUrl), "services/oauth2/token");

    internal static Uri EndWithSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");

    internal IEnumerable<string> Validate()
    {
        if (LoginUrl is not { IsAbsoluteUri: true } || !IsHttpsOrLoopback(LoginUrl))
        {
            yield return $"Salesforce: {nameof(LoginUrl)} must be an absolute https URI (for example https://login.salesforce.com/).";
        }

        if (!Enum.IsDefined(Flow))
        {
            yield return $"Salesforce: {nameof(Flow)} must be JwtBearer or ClientCredentials.";
        }

        if (string.IsNullOrWhiteSpace(ClientId))
        {
            yield return $"Salesforce: {nameof(ClientId)} is required (the connected app's consumer key).";
        }

        if (Flow == SalesforceAuthFlow.ClientCredentials && string.IsNullOrWhiteSpace(ClientSecret))
        {
            yield return $"Salesforce: {nameof(ClientSecret)} is required for the client credentials flow (the connected app's consumer secret).";
        }

        if (Flow == SalesforceAuthFlow.JwtBearer)
        {
            if (string.IsNullOrWhiteSpace(Username))
            {
                yield return $"Salesforce: {nameof(Username)} is required for the JWT bearer flow (the user the integration acts as).";
            }

            if (string.IsNullOrWhiteSpace(PrivateKeyPem))
            {
                yield return $"Salesforce: {nameof(PrivateKeyPem)} is required for the JWT bearer flow (the connected app certificate's RSA private key, PEM).";
            }
            else if (!CanImport(PrivateKeyPem))
            {
                yield return $"Salesforce: {nameof(PrivateKeyPem)} is not an unencrypted RSA private key in PEM (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY).";
            }
        }

        if (string.IsNullOrWhiteSpace(ApiVersion) || !VersionPattern().IsMatch(ApiVersion))
        {
            yield return $"Salesforce: {nameof(ApiVersion)} must look like v67.0.";
        }

        if (InstanceUrl is { } instance && (!instance.IsAbsoluteUri || !IsHttpsOrLoopback(instance)))
        {
            yield return $"Salesforce: {nameof(InstanceUrl)} must be an absolute https URI (or unset, to use the token answer's instance_url).";
        }

        if (OrganizationId is { } org && !IsRecordId(org.Trim()))
        {
            yield return $"Salesforce: {nameof(OrganizationId)} must be a 15- or 18-character org id (00D...), or unset.";
        }

        if (DealsOverlap < TimeSpan.Zero || DealsOverlap > TimeSpan.FromDays(1))
        {
            yield return $"Salesforce: {nameof(DealsOverlap)} must be between 0 and 1 day.";
        }

        if (RequestsPerDay < 1)
        {
            yield return $"Salesforce: {nameof(RequestsPerDay)} must be at least 1.";
        }

        if (MaxConcurrentRequests is < 1 or > 25)
        {
            yield return $"Salesforce: {nameof(MaxConcurrentRequests)} must be between 1 and 25.";
        }

        if (DailyLimitWait <= TimeSpan.Zero || DailyLimitWait > TimeSpan.FromDays(1))
        {
            yield return $"Salesforce: {nameof(DailyLimitWait)} must be above 0 and at most 1 day.";
        }
    }

    internal void Configure(ConnectorHttpOptions http)
    {
        // Before the first token the instance is unknown: the auth handler moves each request to the instance URL.
        http.BaseAddress = InstanceUrl ?? LoginUrl;
        http.RateLimit = new RateLimitOptions { PermitsPerWindow = RequestsPerDay, Window = TimeSpan.FromDays(1), MaxConcurrency = MaxConcurrentRequests };
        http.Signals = new SalesforceSignalReader(DailyLimitWait);
    }

    /// <summary>A Salesforce record id: 15 or 18 letters and digits.</summary>
    internal static bool IsRecordId(string value) => value.Length is 15 or 18 && value.All(char.IsAsciiLetterOrDigit);

    internal static bool IsHttpsOrLoopback(Uri uri) => uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback);

    private static bool CanImport(string pem)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^v\d{2,3}\.\d$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
