using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;

namespace Integrations.Sdk.Testing.QuickBooks;

/// <summary>The OAuth side: the token endpoint, access tokens and the refresh-token chain.</summary>
public sealed partial class QuickBooksSimulator
{
    private readonly Dictionary<string, RefreshTokenState> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _accessTokens = new(StringComparer.Ordinal);
    private int _refreshCount;

    /// <summary>
    /// How long a refresh token keeps working after a refresh answered its successor. Intuit: "Your previous refresh
    /// tokens expire 24 hours after you receive a new one" (Intuit's oauth-jsclient README, "Refresh access_token").
    /// </summary>
    public static TimeSpan PreviousRefreshTokenLifetime { get; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Raised after the token endpoint issued a new token pair (the refresh token has rotated) and before the answer is
    /// written: a crash test can kill the client here, between the platform's rotation and the client's save.
    /// </summary>
    public event EventHandler? RefreshIssued;

    /// <summary>Successful refreshes served by the token endpoint.</summary>
    public int RefreshCount => Locked(() => _refreshCount);

    /// <summary>
    /// Issues a refresh token, as the authorization-code flow would (seed it as the connector's
    /// <c>InitialRefreshToken</c>).
    /// </summary>
    public string IssueRefreshToken()
    {
        var token = NewSecret("sim-rt-");
        SetRefreshToken(token);
        return token;
    }

    /// <summary>Accepts <paramref name="refreshToken"/> as a valid refresh token with no predecessor.</summary>
    /// <param name="refreshToken">The token.</param>
    public void SetRefreshToken(string refreshToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(refreshToken);
        lock (Gate)
        {
            _refreshTokens[refreshToken] = new RefreshTokenState(null, Time.GetUtcNow());
        }
    }

    /// <summary>
    /// Issues an access token (valid <see cref="AccessTokenLifetime"/> from now on the simulator's clock) and a refresh
    /// token, as the authorization-code flow would: save it in the host's token store under the realm id.
    /// </summary>
    public OAuthToken IssueToken()
    {
        var refresh = IssueRefreshToken();
        var access = NewSecret("sim-at-");
        var expiresAt = Time.GetUtcNow() + AccessTokenLifetime;
        lock (Gate)
        {
            _accessTokens[access] = expiresAt;
        }

        return new OAuthToken(access, refresh, expiresAt);
    }

    /// <summary>Whether a refresh token would be accepted now.</summary>
    /// <param name="refreshToken">The token.</param>
    public bool IsRefreshTokenValid(string refreshToken)
    {
        var now = Time.GetUtcNow();
        return Locked(() => _refreshTokens.TryGetValue(refreshToken, out var state) && state.IsValidAt(now));
    }

    private async Task<IResult> TokenAsync(HttpContext context)
    {
        IFormCollection? form = null;
        if (context.Request.HasFormContentType)
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        }

        return await WithFaultsAsync(context, "token", () =>
        {
            var answer = Token(context.Request.Headers.Authorization.ToString(), form);
            if (answer.Status == StatusCodes.Status200OK)
            {
                RefreshIssued?.Invoke(this, EventArgs.Empty);
            }

            return Answer(context, answer);
        }).ConfigureAwait(false);
    }

    private QboAnswer Token(string authorization, IFormCollection? form)
    {
        if (!IsClient(authorization))
        {
            return new QboAnswer(StatusCodes.Status401Unauthorized, """{"error":"invalid_client"}""");
        }

        var grant = form?["grant_type"].ToString();
        if (grant != "refresh_token")
        {
            return new QboAnswer(StatusCodes.Status400BadRequest, """{"error":"unsupported_grant_type"}""");
        }

        var presented = form?["refresh_token"].ToString() ?? string.Empty;
        var now = Time.GetUtcNow();
        lock (Gate)
        {
            if (!_refreshTokens.TryGetValue(presented, out var state) || !state.IsValidAt(now))
            {
                return new QboAnswer(StatusCodes.Status400BadRequest, """{"error":"invalid_grant"}""");
            }

            // The presented token has a successor from now on: it keeps working for PreviousRefreshTokenLifetime after
            // its first successor was issued (so a client whose answer, or whose save, was lost can refresh again),
            // then expires. Presenting it again within that time does not extend it.
            if (state.RotatedAt is null)
            {
                _refreshTokens[presented] = state with { RotatedAt = now };
            }

            var refresh = NewSecret("sim-rt-");
            var access = NewSecret("sim-at-");
            _refreshTokens[refresh] = new RefreshTokenState(presented, now);
            _accessTokens[access] = now + AccessTokenLifetime;
            _refreshCount++;
            return new QboAnswer(StatusCodes.Status200OK, new JsonObject
            {
                ["token_type"] = "bearer",
                ["access_token"] = access,
                ["expires_in"] = (int)AccessTokenLifetime.TotalSeconds,
                ["refresh_token"] = refresh,
                ["x_refresh_token_expires_in"] = 8_726_400,
            }.ToJsonString());
        }
    }

    private bool IsClient(string authorization)
    {
        if (!AuthenticationHeaderValue.TryParse(authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return false;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter)) == ClientId + ":" + ClientSecret;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Checks the bearer token; returns the 401 to answer, or <see langword="null"/> when it is valid.</summary>
    private QboAnswer? Authenticate(string authorization, DateTimeOffset now)
    {
        if (!AuthenticationHeaderValue.TryParse(authorization, out var header)
            || !string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(header.Parameter))
        {
            return QboFaults.Authentication(now, "Authorization header is missing or is not a Bearer token");
        }

        DateTimeOffset expiresAt;
        lock (Gate)
        {
            if (!_accessTokens.TryGetValue(header.Parameter, out expiresAt))
            {
                return QboFaults.Authentication(now, "Token invalid: the access token is not known");
            }
        }

        return expiresAt <= now
            ? QboFaults.Authentication(now, string.Create(CultureInfo.InvariantCulture, $"Token expired: the access token expired at {expiresAt:O}"))
            : null;
    }

    private sealed record RefreshTokenState(string? Parent, DateTimeOffset IssuedAt, bool Revoked = false, DateTimeOffset? RotatedAt = null)
    {
        public bool IsValidAt(DateTimeOffset now) => !Revoked && (RotatedAt is not { } rotated || now < rotated + PreviousRefreshTokenLifetime);
    }
}
