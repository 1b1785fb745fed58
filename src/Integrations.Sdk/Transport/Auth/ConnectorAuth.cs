using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Sdk.Transport.Auth;

/// <summary>How a connector's requests authenticate. Use <see cref="ApiKeyAuth"/>, <see cref="BasicAuth"/> or <see cref="OAuth2Auth"/>.</summary>
public abstract class ConnectorAuth
{
    private protected ConnectorAuth()
    {
    }

    internal abstract DelegatingHandler CreateHandler(IServiceProvider services, string connector);

    internal abstract IEnumerable<string> Validate(string connector);

    internal abstract void RegisterSecrets(SecretRedactor redactor);
}

/// <summary>An API key sent in a header on every request.</summary>
/// <param name="headerName">The header, for example <c>X-Shopify-Access-Token</c> or <c>Authorization</c>.</param>
/// <param name="apiKey">The key. Secret: it is redacted everywhere.</param>
/// <param name="prefix">Text before the key, for example <c>Bearer </c>; optional.</param>
public sealed class ApiKeyAuth(string headerName, string apiKey, string? prefix = null) : ConnectorAuth
{
    /// <summary>The header name.</summary>
    public string HeaderName { get; } = headerName;

    internal override DelegatingHandler CreateHandler(IServiceProvider services, string connector) => new ApiKeyHandler(HeaderName, (prefix ?? string.Empty) + apiKey);

    internal override IEnumerable<string> Validate(string connector)
    {
        if (string.IsNullOrWhiteSpace(HeaderName))
        {
            yield return $"{connector}: the API key header name is required.";
        }

        if (string.IsNullOrWhiteSpace(apiKey))
        {
            yield return $"{connector}: the API key is required (header {HeaderName}).";
        }
    }

    internal override void RegisterSecrets(SecretRedactor redactor) => redactor.Register(apiKey);

    /// <inheritdoc />
    public override string ToString() => $"ApiKeyAuth({HeaderName}: ***)";

    private sealed class ApiKeyHandler(string header, string value) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Remove(header);
            request.Headers.TryAddWithoutValidation(header, value);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>
/// Credentials sent as query parameters on every request, where the platform documents no header for them (Trello's
/// <c>key</c> and <c>token</c>, WooCommerce's <c>consumer_key</c>/<c>consumer_secret</c> over HTTPS). Over plain HTTP the
/// request is refused before it is sent (except to a loopback address, a simulator), since the URL would carry the
/// secret in clear.
/// </summary>
/// <param name="parameters">The parameters' names and values. The values are secrets: they are redacted everywhere.</param>
public sealed class QueryParameterAuth(params (string Name, string Value)[] parameters) : ConnectorAuth
{
    /// <summary>The parameters' names.</summary>
    public IReadOnlyList<string> Names { get; } = [.. parameters.Select(p => p.Name)];

    internal override DelegatingHandler CreateHandler(IServiceProvider services, string connector) => new QueryHandler(connector, parameters);

    internal override IEnumerable<string> Validate(string connector)
    {
        if (parameters.Length == 0)
        {
            yield return $"{connector}: query-parameter auth needs at least one parameter.";
        }

        foreach (var (name, value) in parameters)
        {
            if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(value))
            {
                yield return $"{connector}: the query parameter '{name}' needs a name and a value.";
            }
        }
    }

    internal override void RegisterSecrets(SecretRedactor redactor)
    {
        foreach (var (_, value) in parameters)
        {
            redactor.Register(value);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"QueryParameterAuth({string.Join(", ", Names.Select(n => n + "=***"))})";

    private sealed class QueryHandler(string connector, (string Name, string Value)[] parameters) : DelegatingHandler
    {
        private readonly string[] _prefixes = [.. parameters.Select(p => Uri.EscapeDataString(p.Name) + "=")];
        private readonly string _appended = string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value)));

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri ?? throw new InvalidOperationException($"{connector}: the request has no URI.");
            if (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)
            {
                throw new InvalidOperationException(
                    $"{connector}: refusing to send credentials as query parameters over plain HTTP to {uri.Host}; use an https:// base address.");
            }

            // The handler runs on every attempt of the same request: parameters an earlier attempt added are replaced, not repeated.
            var kept = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Where(pair => !_prefixes.Any(prefix => pair.StartsWith(prefix, StringComparison.Ordinal)));
            var query = string.Join('&', kept.Append(_appended));

            request.RequestUri = new UriBuilder(uri) { Query = query }.Uri;
            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>HTTP Basic authentication (WooCommerce consumer key and secret, for example).</summary>
/// <param name="username">The user name or consumer key.</param>
/// <param name="password">The password or consumer secret. Secret.</param>
public sealed class BasicAuth(string username, string password) : ConnectorAuth
{
    internal override DelegatingHandler CreateHandler(IServiceProvider services, string connector) =>
        new BasicHandler(new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(username + ":" + password))));

    internal override IEnumerable<string> Validate(string connector)
    {
        if (string.IsNullOrEmpty(username))
        {
            yield return $"{connector}: the Basic auth user name is required.";
        }

        if (string.IsNullOrEmpty(password))
        {
            yield return $"{connector}: the Basic auth password is required.";
        }
    }

    internal override void RegisterSecrets(SecretRedactor redactor)
    {
        redactor.Register(password);
        redactor.Register(Convert.ToBase64String(Encoding.UTF8.GetBytes(username + ":" + password)));
    }

    /// <inheritdoc />
    public override string ToString() => "BasicAuth(***)";

    private sealed class BasicHandler(AuthenticationHeaderValue value) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = value;
            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>Where the client id and secret go in a token request.</summary>
public enum ClientCredentialStyle
{
    /// <summary>In an HTTP Basic <c>Authorization</c> header (QuickBooks, Xero).</summary>
    BasicHeader = 0,

    /// <summary>In the form body as <c>client_id</c> and <c>client_secret</c> (HubSpot).</summary>
    FormBody = 1,
}

/// <summary>
/// OAuth 2.0 bearer tokens with refresh. The token of each account lives in the <see cref="State.ITokenStore"/>;
/// refresh is single-flight per account (100 concurrent requests with an expired token cause one refresh), and a
/// rotated refresh token is saved to the store before the new access token is used.
/// </summary>
public sealed class OAuth2Auth : ConnectorAuth
{
    /// <summary>The token endpoint, for example <c>https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer</c>. Required.</summary>
    public Uri? TokenEndpoint { get; set; }

    /// <summary>The app's client id. Required.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The app's client secret. Required; secret.</summary>
    public string ClientSecret { get; set; } = string.Empty;

    /// <summary>Where the client credentials go. <value>Default: <see cref="ClientCredentialStyle.BasicHeader"/>.</value></summary>
    public ClientCredentialStyle CredentialStyle { get; set; }

    /// <summary>
    /// A refresh token to start from when the token store has none for an account (the first run after the
    /// authorization flow). Secret. Ignored once the store holds a token.
    /// </summary>
    public string? InitialRefreshToken { get; set; }

    /// <summary>Refresh this long before the access token expires; not negative. <value>Default: 60 seconds.</value></summary>
    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromSeconds(60);

    internal override DelegatingHandler CreateHandler(IServiceProvider services, string connector) =>
        new OAuth2BearerHandler(services.GetRequiredService<OAuth2TokenManagers>().Get(connector, this));

    internal override IEnumerable<string> Validate(string connector)
    {
        if (TokenEndpoint is null || !TokenEndpoint.IsAbsoluteUri)
        {
            yield return $"{connector}: OAuth2 {nameof(TokenEndpoint)} must be an absolute URI.";
        }

        if (string.IsNullOrWhiteSpace(ClientId))
        {
            yield return $"{connector}: OAuth2 {nameof(ClientId)} is required.";
        }

        if (string.IsNullOrWhiteSpace(ClientSecret))
        {
            yield return $"{connector}: OAuth2 {nameof(ClientSecret)} is required.";
        }

        if (RefreshBeforeExpiry < TimeSpan.Zero)
        {
            yield return $"{connector}: OAuth2 {nameof(RefreshBeforeExpiry)} ({RefreshBeforeExpiry}) must not be negative.";
        }
    }

    internal override void RegisterSecrets(SecretRedactor redactor)
    {
        redactor.Register(ClientSecret);
        redactor.Register(InitialRefreshToken);
    }

    /// <inheritdoc />
    public override string ToString() => $"OAuth2Auth({TokenEndpoint}, client {ClientId}, secret ***)";
}
