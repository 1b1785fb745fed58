using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Integrations.Sdk.Salesforce.Internal;

/// <summary>An access token and the instance it is for.</summary>
internal sealed record SalesforceSession(string AccessToken, Uri InstanceUrl, DateTimeOffset? ExpiresAt);

/// <summary>
/// Gets access tokens from <c>{LoginUrl}/services/oauth2/token</c> by the JWT bearer or client credentials flow and keeps
/// the current one: single-flight, so many requests meeting an expired session cause one token request. Salesforce's
/// token answers carry no <c>expires_in</c> (the session lasts the org's session timeout), so a token is used until
/// Salesforce refuses it with <c>INVALID_SESSION_ID</c>; <see cref="Drop"/> then makes the next attempt get a new one.
/// No retry here: the transport's Polly pipeline retries the API request, which asks again.
/// </summary>
internal sealed class SalesforceTokens(IOptions<SalesforceOptions> options, IHttpClientFactory httpClientFactory, TimeProvider time, SecretRedactor redactor)
{
    public const string HttpClientName = "Integrations.salesforce.token";

    /// <summary>How long the JWT assertion is valid: Salesforce takes at most 3 minutes.</summary>
    internal static readonly TimeSpan AssertionLifetime = TimeSpan.FromMinutes(2);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private SalesforceSession? _current;

    /// <summary>Returns a usable session, requesting a token when there is none.</summary>
    public async ValueTask<SalesforceSession> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _current) is { } usable && IsUsable(usable))
        {
            return usable;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _current) is { } fresh && IsUsable(fresh))
            {
                return fresh;
            }

            var session = await RequestAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _current, session);
            return session;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets a token Salesforce refused, unless another request already replaced it.</summary>
    public void Drop(string accessToken)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && current.AccessToken == accessToken)
        {
            Interlocked.CompareExchange(ref _current, null, current);
        }
    }

    /// <summary>Builds the RS256-signed JWT bearer assertion: <c>iss</c> client id, <c>sub</c> user name, <c>aud</c>, <c>exp</c>.</summary>
    internal static string CreateAssertion(SalesforceOptions o, DateTimeOffset now)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "RS256", ["typ"] = "JWT" });
        var claims = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = o.ClientId.Trim(),
            ["sub"] = o.Username!.Trim(),
            ["aud"] = o.Audience,
            ["exp"] = (now + AssertionLifetime).ToUnixTimeSeconds(),
        });
        var signed = Base64Url(header) + "." + Base64Url(claims);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(o.PrivateKeyPem);
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signed + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private bool IsUsable(SalesforceSession session) => session.ExpiresAt is not { } expires || expires - TimeSpan.FromSeconds(60) > time.GetUtcNow();

    private async Task<SalesforceSession> RequestAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var form = o.Flow == SalesforceAuthFlow.JwtBearer
            ? new Dictionary<string, string>
            {
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer",
                ["assertion"] = CreateAssertion(o, time.GetUtcNow()),
            }
            : new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = o.ClientId.Trim(),
                ["client_secret"] = o.ClientSecret!,
            };
        using var request = new HttpRequestMessage(HttpMethod.Post, o.TokenEndpoint) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var client = httpClientFactory.CreateClient(HttpClientName);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            // The API request was not sent: another attempt (the transport's retry) may reach the token endpoint.
            throw new PlatformException(SalesforceConnector.ConnectorName, null, "token_request_failed",
                $"the token endpoint {o.TokenEndpoint} could not be reached: {redactor.Redact(ex.Message)}", isRetryable: true);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                // {"error":"invalid_grant","error_description":"user hasn't approved this consumer"}
                var error = new PlatformSignalReader().ReadError(response, body);
                throw new PlatformException(SalesforceConnector.ConnectorName, response.StatusCode, error.Code ?? "token_request_refused",
                    $"the token request ({o.Flow}) was refused: {redactor.Redact(error.Message)}",
                    isRetryable: response.StatusCode >= HttpStatusCode.InternalServerError || response.StatusCode == HttpStatusCode.TooManyRequests);
            }

            return Read(o, body, response.StatusCode);
        }
    }

    private SalesforceSession Read(SalesforceOptions o, string body, HttpStatusCode status)
    {
        if (!PlatformJson.TryParse(body, out var root) || PlatformJson.Text(root, "access_token") is not { Length: > 0 } token)
        {
            throw new PlatformException(SalesforceConnector.ConnectorName, status, "token_response_invalid",
                "the token endpoint's answer has no access_token (field access_token)");
        }

        redactor.Register(token);
        var instance = o.InstanceUrl;
        if (instance is null)
        {
            if (!Uri.TryCreate(PlatformJson.Text(root, "instance_url"), UriKind.Absolute, out var discovered))
            {
                throw new PlatformException(SalesforceConnector.ConnectorName, status, "token_response_invalid",
                    "the token endpoint's answer has no instance_url (field instance_url); set SalesforceOptions.InstanceUrl");
            }

            if (!SalesforceOptions.IsHttpsOrLoopback(discovered))
            {
                throw new PlatformException(SalesforceConnector.ConnectorName, status, "token_response_invalid",
                    $"the token endpoint's instance_url {discovered.GetLeftPart(UriPartial.Authority)} is not https: the token is not sent there");
            }

            instance = discovered;
        }

        // Salesforce sends no expires_in; honour one if a proxy or a JWT-based token answer has it.
        DateTimeOffset? expires = PlatformJson.TryGet(root, "expires_in", out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var seconds) && seconds > 0
            ? time.GetUtcNow().AddSeconds(seconds)
            : null;
        return new SalesforceSession(token, SalesforceOptions.EndWithSlash(instance), expires);
    }
}

/// <summary>
/// The innermost handler of the Salesforce client, once per attempt: puts the bearer token on the request, moves it to
/// the instance URL, and drops a token Salesforce answers 401 to (the signal reader makes <c>INVALID_SESSION_ID</c>
/// retryable, so the transport's retry sends the request again with a new token).
/// </summary>
internal sealed class SalesforceAuthHandler(SalesforceTokens tokens, Uri configuredBase) : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<Uri> OriginalUri = new("Integrations.Salesforce.OriginalUri");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var session = await tokens.GetAsync(cancellationToken).ConfigureAwait(false);
        if (!request.Options.TryGetValue(OriginalUri, out var original))
        {
            original = request.RequestUri ?? throw new InvalidOperationException("salesforce: the request has no URI.");
            request.Options.Set(OriginalUri, original);
        }

        request.RequestUri = Rebase(original, configuredBase, session.InstanceUrl);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessToken);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            tokens.Drop(session.AccessToken);
        }

        return response;
    }

    /// <summary>The same path and query under the instance URL (a <c>nextRecordsUrl</c> is relative to it too).</summary>
    internal static Uri Rebase(Uri uri, Uri configuredBase, Uri instance)
    {
        var baseText = SalesforceOptions.EndWithSlash(configuredBase).AbsoluteUri;
        var text = uri.AbsoluteUri;
        var relative = text.StartsWith(baseText, StringComparison.OrdinalIgnoreCase) ? text[baseText.Length..] : uri.PathAndQuery.TrimStart('/');
        return new Uri(SalesforceOptions.EndWithSlash(instance), relative);
    }
}
