namespace Integrations.Sdk.State;

/// <summary>An OAuth 2.0 token pair. Its <see cref="ToString"/> never shows the secrets.</summary>
public sealed class OAuthToken
{
    /// <summary>Creates a token.</summary>
    /// <param name="accessToken">The bearer access token.</param>
    /// <param name="refreshToken">The refresh token, when the platform issued one.</param>
    /// <param name="expiresAt">When the access token stops working.</param>
    public OAuthToken(string accessToken, string? refreshToken, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        AccessToken = accessToken;
        RefreshToken = refreshToken;
        ExpiresAt = expiresAt;
    }

    /// <summary>The bearer access token. Secret.</summary>
    public string AccessToken { get; }

    /// <summary>The refresh token. Secret; platforms such as QuickBooks and Xero rotate it on every refresh.</summary>
    public string? RefreshToken { get; }

    /// <summary>When the access token expires.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <inheritdoc />
    public override string ToString() => $"OAuthToken(expires {ExpiresAt:O}, access=***, refresh={(RefreshToken is null ? "none" : "***")})";
}
