using Integrations.Sdk.Transport.Auth;

namespace Integrations.Sdk.Xero;

/// <summary>Settings of the Xero connector, validated when the host starts; <see cref="ToString"/> never shows a secret.</summary>
public sealed class XeroOptions
{
    /// <summary>The Accounting API host.</summary>
    public static readonly Uri DefaultBaseAddress = new("https://api.xero.com/");

    /// <summary>Xero's OAuth 2.0 token endpoint.</summary>
    public static readonly Uri DefaultTokenEndpoint = new("https://identity.xero.com/connect/token");

    /// <summary>The longest <c>Idempotency-Key</c> Xero accepts.</summary>
    public const int MaxIdempotencyKeyLength = 128;

    /// <summary>
    /// The organisation (tenant) id, sent as <c>xero-tenant-id</c> on every request (from <c>GET /connections</c> after
    /// the authorization). Required; also the account its OAuth token and budgets are kept under.
    /// </summary>
    public string TenantId { get; set; } = string.Empty;

    /// <summary>The Xero app's client id. Required.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The Xero app's client secret. Required; secret.</summary>
    public string ClientSecret { get; set; } = string.Empty;

    /// <summary>
    /// The refresh token from the one-time authorization (scope <c>offline_access</c>), used while the token store holds
    /// none for <see cref="TenantId"/>. Xero rotates refresh tokens on every refresh: the store keeps the current one. Secret.
    /// </summary>
    public string? InitialRefreshToken { get; set; }

    /// <summary>Overrides the API host (a simulator, a proxy). <value>Default: <c>https://api.xero.com/</c>.</value></summary>
    public Uri BaseAddress { get; set; } = DefaultBaseAddress;

    /// <summary>The OAuth 2.0 token endpoint. <value>Default: <c>https://identity.xero.com/connect/token</c>.</value></summary>
    public Uri TokenEndpoint { get; set; } = DefaultTokenEndpoint;

    /// <summary>The webhook key of the app's webhook subscription (<c>x-xero-signature</c>). Secret; needed only for webhooks.</summary>
    public string? WebhookKey { get; set; }

    /// <summary>
    /// The tracking category (by name, for example <c>Channel</c>) whose options the books model's classes are: a
    /// <c>BooksLine.ClassId</c> is an option of it, and <c>IBooksConnector.GetClassesAsync</c> lists its options.
    /// Optional; a line with a class is refused while it is not set. At most 100 characters, as Xero's names.
    /// </summary>
    public string? TrackingCategoryName { get; set; }

    /// <summary>Requests per minute per tenant. <value>Default: 60, Xero's limit.</value></summary>
    public int RequestsPerMinute { get; set; } = 60;

    /// <summary>Requests per day per tenant. <value>Default: 5,000, Xero's limit.</value></summary>
    public int RequestsPerDay { get; set; } = 5000;

    /// <summary>Requests in flight per tenant. <value>Default: 5, Xero's limit.</value></summary>
    public int MaxConcurrentRequests { get; set; } = 5;

    /// <inheritdoc />
    public override string ToString() =>
        $"XeroOptions(tenant {TenantId}, {BaseAddress}, client {ClientId}, secret ***, {RequestsPerMinute}/min, {RequestsPerDay}/day, {MaxConcurrentRequests} in flight)";

    internal void Configure(ConnectorHttpOptions http)
    {
        http.BaseAddress = BaseAddress;
        http.Auth = new OAuth2Auth
        {
            TokenEndpoint = TokenEndpoint,
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            CredentialStyle = ClientCredentialStyle.BasicHeader,
            InitialRefreshToken = string.IsNullOrWhiteSpace(InitialRefreshToken) ? null : InitialRefreshToken,
        };

        // Xero's limits per tenant: 5 in flight, 60 a minute, 5,000 a day (a rolling day). The reader follows
        // X-MinLimit-Remaining and X-DayLimit-Remaining, so a budget shared with another app's process is seen.
        http.RateLimit = new RateLimitOptions { PermitsPerWindow = RequestsPerMinute, Window = TimeSpan.FromMinutes(1), MaxConcurrency = MaxConcurrentRequests };
        http.AdditionalRateLimits.Clear();
        http.AdditionalRateLimits.Add(new RateLimitOptions { PermitsPerWindow = RequestsPerDay, Window = TimeSpan.FromDays(1) });
        if (!http.IdempotencyHeaders.Contains("Idempotency-Key"))
        {
            http.IdempotencyHeaders.Add("Idempotency-Key");
        }

        http.DefaultHeaders[XeroConnector.TenantHeader] = TenantId.Trim();
        http.Signals = new XeroSignalReader();
    }

    internal IEnumerable<string> Validate()
    {
        (bool Wrong, string Message)[] checks =
        [
            (string.IsNullOrWhiteSpace(TenantId), $"{nameof(TenantId)} is required (the organisation's tenantId, from GET https://api.xero.com/connections after the authorization)."),
            (string.IsNullOrWhiteSpace(ClientId), $"{nameof(ClientId)} is required (the app's client id from developer.xero.com/app/manage)."),
            (string.IsNullOrWhiteSpace(ClientSecret), $"{nameof(ClientSecret)} is required (the app's client secret from developer.xero.com/app/manage)."),
            (BaseAddress is not { IsAbsoluteUri: true }, $"{nameof(BaseAddress)} must be an absolute URI."),
            (TokenEndpoint is not { IsAbsoluteUri: true }, $"{nameof(TokenEndpoint)} must be an absolute URI."),
            (RequestsPerMinute is < 1 or > 60, $"{nameof(RequestsPerMinute)} must be between 1 and 60 (Xero's limit per tenant)."),
            (RequestsPerDay is < 1 or > 5000, $"{nameof(RequestsPerDay)} must be between 1 and 5000 (Xero's limit per tenant)."),
            (TrackingCategoryName is { } category && (category.Trim().Length == 0 || category.Trim().Length > 100),
                $"{nameof(TrackingCategoryName)} must be a tracking category's name (1 to 100 characters) or unset."),
            (MaxConcurrentRequests is < 1 or > 5, $"{nameof(MaxConcurrentRequests)} must be between 1 and 5 (Xero's limit per tenant)."),
        ];
        return checks.Where(c => c.Wrong).Select(c => "Xero: " + c.Message);
    }
}
