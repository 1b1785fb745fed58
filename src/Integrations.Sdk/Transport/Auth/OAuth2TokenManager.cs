using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.Transport.Auth;

/// <summary>One token manager per OAuth2 connector.</summary>
internal sealed class OAuth2TokenManagers(
    ITokenStore store,
    IDistributedLock locks,
    IHttpClientFactory httpClientFactory,
    TimeProvider timeProvider,
    SecretRedactor redactor,
    ILogger<OAuth2TokenManager> logger)
{
    internal const string HttpClientName = "Integrations.Sdk.OAuth2";

    private readonly ConcurrentDictionary<string, OAuth2TokenManager> _managers = new(StringComparer.Ordinal);

    public OAuth2TokenManager Get(string connector, OAuth2Auth options) =>
        _managers.GetOrAdd(connector, name => new OAuth2TokenManager(name, options, store, locks, httpClientFactory, timeProvider, redactor, logger));
}

/// <summary>
/// Hands out access tokens per account, refreshing single-flight (per process, and across instances when the state is
/// shared) and persisting rotated refresh tokens first.
/// </summary>
internal sealed class OAuth2TokenManager(
    string connector,
    OAuth2Auth options,
    ITokenStore store,
    IDistributedLock locks,
    IHttpClientFactory httpClientFactory,
    TimeProvider timeProvider,
    SecretRedactor redactor,
    ILogger logger)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, OAuthToken> _cache = new(StringComparer.Ordinal);

    public string Connector => connector;

    /// <summary>Returns a usable access token; when <paramref name="rejected"/> is the cached one, forces a refresh.</summary>
    public async ValueTask<string> GetAccessTokenAsync(string account, string? rejected, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(account, out var cached) && IsUsable(cached, rejected))
        {
            return cached.AccessToken;
        }

        var gate = _locks.GetOrAdd(account, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        ILockHandle? shared = null;
        try
        {
            // Rotating refresh tokens are single-use: two instances refreshing at once would strand one of them.
            if (locks.SpansProcesses)
            {
                shared = await locks.AcquireAsync(LockNames.TokenRefresh(connector, account), cancellationToken).ConfigureAwait(false);
            }

            // Another caller or instance may have refreshed while this one waited: the store is the source of truth.
            var stored = await store.GetAsync(connector, account, cancellationToken).ConfigureAwait(false);
            if (stored is not null && IsUsable(stored, rejected))
            {
                Remember(account, stored);
                return stored.AccessToken;
            }

            var refreshToken = stored?.RefreshToken ?? options.InitialRefreshToken;
            if (string.IsNullOrEmpty(refreshToken))
            {
                throw new PlatformException(connector, null, "no_refresh_token",
                    $"no OAuth token is stored for account '{account}' and no InitialRefreshToken is configured; complete the authorization flow and save the token with ITokenStore");
            }

            var fresh = await RefreshAsync(account, refreshToken, cancellationToken).ConfigureAwait(false);

            // Persist before use: a rotated refresh token must survive a crash right after this point.
            await store.SaveAsync(connector, account, fresh, CancellationToken.None).ConfigureAwait(false);
            Remember(account, fresh);
            Log.TokenRefreshed(logger, connector, account, fresh.ExpiresAt);
            return fresh.AccessToken;
        }
        finally
        {
            if (shared is not null)
            {
                await shared.DisposeAsync().ConfigureAwait(false);
            }

            gate.Release();
        }
    }

    private bool IsUsable(OAuthToken token, string? rejected) =>
        token.AccessToken != rejected && token.ExpiresAt - options.RefreshBeforeExpiry > timeProvider.GetUtcNow();

    private void Remember(string account, OAuthToken token)
    {
        redactor.Register(token.AccessToken);
        redactor.Register(token.RefreshToken);
        _cache[account] = token;
    }

    private async Task<OAuthToken> RefreshAsync(string account, string refreshToken, CancellationToken cancellationToken)
    {
        redactor.Register(refreshToken);
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("refresh_token", refreshToken),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, options.TokenEndpoint);
        if (options.CredentialStyle == ClientCredentialStyle.BasicHeader)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(options.ClientId + ":" + options.ClientSecret)));
        }
        else
        {
            form.Add(new("client_id", options.ClientId));
            form.Add(new("client_secret", options.ClientSecret));
        }

        request.Content = new FormUrlEncodedContent(form);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        // No retry here on purpose: a refresh whose response was lost may already have rotated the token.
        var client = httpClientFactory.CreateClient(OAuth2TokenManagers.HttpClientName);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new PlatformException(connector, null, "token_refresh_failed",
                $"the token endpoint could not be reached for account '{account}': {redactor.Redact(ex.Message)}", isRetryable: true);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                // The API request itself was never sent: a throttled or failing token endpoint is worth another try.
                var reader = new PlatformSignalReader();
                var error = reader.ReadError(response, body);
                throw new PlatformException(connector, response.StatusCode, error.Code ?? "token_refresh_failed",
                    $"token refresh for account '{account}' was refused: {redactor.Redact(error.Message)}",
                    isRetryable: response.StatusCode >= HttpStatusCode.InternalServerError || response.StatusCode == HttpStatusCode.TooManyRequests,
                    retryAfter: reader.ReadRetryAfter(response, timeProvider.GetUtcNow()));
            }

            try
            {
                using var json = JsonDocument.Parse(body);
                var root = json.RootElement;
                var access = root.GetProperty("access_token").GetString();
                if (string.IsNullOrEmpty(access))
                {
                    throw new JsonException("access_token is empty");
                }

                var rotated = root.TryGetProperty("refresh_token", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
                var expiresIn = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) ? seconds : 3600;
                return new OAuthToken(access, string.IsNullOrEmpty(rotated) ? refreshToken : rotated, timeProvider.GetUtcNow().AddSeconds(expiresIn));
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new PlatformException(connector, response.StatusCode, "token_response_invalid",
                    "the token endpoint's response has no usable access_token (field access_token)");
            }
        }
    }
}

/// <summary>Puts the account's bearer token on each request; after a 401 it refreshes once and marks the attempt retryable.</summary>
internal sealed class OAuth2BearerHandler(OAuth2TokenManager manager) : DelegatingHandler
{
    internal static readonly HttpRequestOptionsKey<bool> TokenRejected = new("Integrations.TokenRejected");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var account = request.GetAccount();
        var token = await manager.GetAccessTokenAsync(account, rejected: null, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            // Refresh now (single-flight) so the retry of this attempt carries a fresh token.
            await manager.GetAccessTokenAsync(account, rejected: token, cancellationToken).ConfigureAwait(false);
            request.Options.Set(TokenRejected, true);
        }

        return response;
    }
}
