using Integrations.Sdk.Transport.Auth;

namespace Integrations.Sdk.QuickBooks;

/// <summary>Which QuickBooks Online API host to call.</summary>
public enum QuickBooksEnvironment
{
    /// <summary>Live companies: <c>https://quickbooks.api.intuit.com/</c>.</summary>
    Production = 0,

    /// <summary>Sandbox companies: <c>https://sandbox-quickbooks.api.intuit.com/</c>.</summary>
    Sandbox = 1,
}

/// <summary>Settings of the QuickBooks Online connector, validated when the host starts; <see cref="ToString"/> never shows a secret.</summary>
public sealed class QuickBooksOptions
{
    /// <summary>The production API host.</summary>
    public static readonly Uri ProductionBaseAddress = new("https://quickbooks.api.intuit.com/");

    /// <summary>The sandbox API host.</summary>
    public static readonly Uri SandboxBaseAddress = new("https://sandbox-quickbooks.api.intuit.com/");

    /// <summary>Intuit's OAuth 2.0 token endpoint.</summary>
    public static readonly Uri DefaultTokenEndpoint = new("https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer");

    /// <summary>The lowest <c>minorversion</c> Intuit accepts (since 2025-08-01).</summary>
    public const int MinimumMinorVersion = 75;

    /// <summary>The company id (<c>realmId</c>). Required; also the account its OAuth token and budgets are kept under.</summary>
    public string RealmId { get; set; } = string.Empty;

    /// <summary>The Intuit app's client id. Required.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The Intuit app's client secret. Required; secret.</summary>
    public string ClientSecret { get; set; } = string.Empty;

    /// <summary>
    /// The refresh token from the one-time authorization, used while the token store holds none for <see cref="RealmId"/>
    /// (refresh tokens rotate: the store keeps the current one). Secret.
    /// </summary>
    public string? InitialRefreshToken { get; set; }

    /// <summary>Production or sandbox. <value>Default: <see cref="QuickBooksEnvironment.Production"/>.</value></summary>
    public QuickBooksEnvironment Environment { get; set; } = QuickBooksEnvironment.Production;

    /// <summary>Overrides the API host chosen by <see cref="Environment"/> (a simulator, a proxy). Optional; absolute.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The OAuth 2.0 token endpoint. <value>Default: <c>https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer</c>.</value></summary>
    public Uri TokenEndpoint { get; set; } = DefaultTokenEndpoint;

    /// <summary>The <c>minorversion</c> sent with every request; 75 or more. <value>Default: 75.</value></summary>
    public int MinorVersion { get; set; } = MinimumMinorVersion;

    /// <summary>The verifier token of the app's webhook subscription (<c>intuit-signature</c>). Secret; needed only for webhooks.</summary>
    public string? WebhookVerifierToken { get; set; }

    /// <summary>The API host requests go to: <see cref="BaseAddress"/> when set, else the <see cref="Environment"/>'s host.</summary>
    public Uri ResolveBaseAddress() => BaseAddress ?? (Environment == QuickBooksEnvironment.Sandbox ? SandboxBaseAddress : ProductionBaseAddress);

    /// <inheritdoc />
    public override string ToString() =>
        $"QuickBooksOptions(realm {RealmId}, {Environment}, {ResolveBaseAddress()}, client {ClientId}, secret ***, minorversion {MinorVersion})";

    internal void Configure(ConnectorHttpOptions http)
    {
        http.BaseAddress = ResolveBaseAddress();
        http.Auth = new OAuth2Auth
        {
            TokenEndpoint = TokenEndpoint,
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            CredentialStyle = ClientCredentialStyle.BasicHeader,
            InitialRefreshToken = string.IsNullOrWhiteSpace(InitialRefreshToken) ? null : InitialRefreshToken,
        };

        // Intuit's limits per realm and app: 10 requests per second, 10 in flight, 500 per minute. The rates are
        // Intuit's, the bursts half of them (5 per half second, 250 per half minute): Intuit's buckets start counting
        // when our requests arrive, not when we send them, and a full-size burst would leave it no spare permit for
        // a request that the network delivered early. A 429 costs 60 s (Intuit sends no Retry-After; see the reader).
        http.RateLimit = new RateLimitOptions { PermitsPerWindow = 5, Window = TimeSpan.FromMilliseconds(500), MaxConcurrency = 10 };
        http.AdditionalRateLimits.Clear();
        http.AdditionalRateLimits.Add(new RateLimitOptions { PermitsPerWindow = 250, Window = TimeSpan.FromSeconds(30) });
        if (!http.IdempotencyQueryParameters.Contains("requestid"))
        {
            http.IdempotencyQueryParameters.Add("requestid");
        }

        http.Signals = new QuickBooksSignalReader();
    }

    internal IEnumerable<string> Validate()
    {
        (bool Wrong, string Message)[] checks =
        [
            (string.IsNullOrWhiteSpace(RealmId), $"{nameof(RealmId)} is required (the company id, shown as realmId when the company connects to the app)."),
            (string.IsNullOrWhiteSpace(ClientId), $"{nameof(ClientId)} is required (the app's client id from the Intuit developer portal)."),
            (string.IsNullOrWhiteSpace(ClientSecret), $"{nameof(ClientSecret)} is required (the app's client secret from the Intuit developer portal)."),
            (!Enum.IsDefined(Environment), $"{nameof(Environment)} must be Production or Sandbox."),
            (BaseAddress is { IsAbsoluteUri: false }, $"{nameof(BaseAddress)} must be an absolute URI when set."),
            (TokenEndpoint is null || !TokenEndpoint.IsAbsoluteUri, $"{nameof(TokenEndpoint)} must be an absolute URI."),
            (MinorVersion < MinimumMinorVersion, $"{nameof(MinorVersion)} {MinorVersion} is below {MinimumMinorVersion}, the lowest minorversion Intuit accepts since 2025-08-01."),
        ];
        return checks.Where(c => c.Wrong).Select(c => "QuickBooks: " + c.Message);
    }
}
