using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;

namespace Integrations.Sdk.Testing.Salesforce;

/// <summary>OAuth 2.0: the token endpoint (JWT bearer, client credentials) and sessions.</summary>
public sealed partial class SalesforceSimulator
{
    private const string JwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private readonly Dictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private int _tokensIssued;

    /// <summary>Access tokens issued by the token endpoint.</summary>
    public int TokensIssued => Locked(() => _tokensIssued);

    /// <summary>
    /// The <c>aud</c> values a JWT assertion may carry: Salesforce documents <c>https://login.salesforce.com</c>,
    /// <c>https://test.salesforce.com</c> or an Experience Cloud site's URL, whichever host the token is asked of (so not
    /// this simulator's own address). Compared without a trailing slash.
    /// </summary>
    private static IEnumerable<string> Audiences() => ["https://login.salesforce.com", "https://test.salesforce.com"];

    private async Task<IResult> TokenAsync(HttpContext context)
    {
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false) : null;
        return await WithFaultsAsync(context, "token", () =>
        {
            var grant = form?["grant_type"].ToString();
            var (status, body) = grant switch
            {
                JwtBearerGrant => JwtBearer(form!["assertion"].ToString()),
                "client_credentials" => ClientCredentials(context.Request.Headers.Authorization.ToString(), form!),
                null or "" => (400, OAuthError("invalid_request", "grant type not supported")),
                _ => (400, OAuthError("unsupported_grant_type", "grant type not supported")),
            };
            return Json(status, body);
        }).ConfigureAwait(false);
    }

    /// <summary>The JWT bearer flow: an RS256 assertion from the connected app (<c>iss</c>) for the user (<c>sub</c>).</summary>
    private (int, JsonObject) JwtBearer(string assertion)
    {
        var parts = assertion.Split('.');
        if (parts.Length != 3)
        {
            return (400, OAuthError("invalid_grant", "invalid assertion"));
        }

        JsonObject? header;
        JsonObject? claims;
        byte[] signature;
        try
        {
            header = JsonNode.Parse(Base64Url(parts[0])) as JsonObject;
            claims = JsonNode.Parse(Base64Url(parts[1])) as JsonObject;
            signature = Base64Url(parts[2]);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return (400, OAuthError("invalid_grant", "invalid assertion"));
        }

        if (header is null || claims is null || header["alg"]?.ToString() != "RS256")
        {
            return (400, OAuthError("invalid_grant", "invalid assertion"));
        }

        if (!string.Equals(claims["iss"]?.ToString(), ClientId, StringComparison.Ordinal))
        {
            return (400, OAuthError("invalid_client_id", "client identifier invalid"));
        }

        if (JwtPublicKeyPem is null || !SignedBy(JwtPublicKeyPem, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature))
        {
            return (400, OAuthError("invalid_grant", "invalid assertion"));
        }

        var audiences = claims["aud"] switch
        {
            JsonArray array => array.Select(a => a?.ToString() ?? string.Empty).ToList(),
            { } single => [single.ToString()],
            null => [],
        };
        if (!audiences.Exists(a => Audiences().Contains(a.TrimEnd('/'), StringComparer.OrdinalIgnoreCase)))
        {
            return (400, OAuthError("invalid_grant", "audience is invalid"));
        }

        if (claims["exp"] is not JsonValue exp || !exp.TryGetValue<long>(out var expires) || DateTimeOffset.FromUnixTimeSeconds(expires) <= Time.GetUtcNow())
        {
            return (400, OAuthError("invalid_grant", "expired authorization code"));
        }

        var sub = claims["sub"]?.ToString();
        if (!string.Equals(sub, Username, StringComparison.OrdinalIgnoreCase))
        {
            return (400, OAuthError("invalid_grant", "user hasn't approved this consumer"));
        }

        lock (Gate)
        {
            return (200, Issue(_integrationUserId));
        }
    }

    /// <summary>The client-credentials flow: the app's key and secret (form or HTTP Basic) give a session of its run-as user.</summary>
    private (int, JsonObject) ClientCredentials(string authorization, IFormCollection form)
    {
        var id = form["client_id"].ToString();
        var secret = form["client_secret"].ToString();
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim())).Split(':', 2);
                (id, secret) = (Uri.UnescapeDataString(pair[0]), pair.Length == 2 ? Uri.UnescapeDataString(pair[1]) : string.Empty);
            }
            catch (FormatException)
            {
                return (400, OAuthError("invalid_client", "invalid client credentials"));
            }
        }

        if (!string.Equals(id, ClientId, StringComparison.Ordinal))
        {
            return (400, OAuthError("invalid_client_id", "client identifier invalid"));
        }

        if (!string.Equals(secret, ClientSecret, StringComparison.Ordinal))
        {
            return (400, OAuthError("invalid_client", "invalid client credentials"));
        }

        lock (Gate)
        {
            return (200, Issue(_integrationUserId));
        }
    }

    private JsonObject Issue(string userId)
    {
        var now = Time.GetUtcNow();
        var token = OrganizationId[..15] + "!" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).Replace('+', '.').Replace('/', '_').TrimEnd('=');
        _sessions[token] = new Session(userId, now, now);
        _tokensIssued++;
        var id = new Uri(BaseAddress, $"id/{OrganizationId}/{userId}").ToString();
        var issuedAt = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["access_token"] = token,
            ["signature"] = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(ClientSecret), Encoding.UTF8.GetBytes(id + issuedAt))),
            ["scope"] = "api",
            ["instance_url"] = BaseAddress.ToString().TrimEnd('/'),
            ["id"] = id,
            ["token_type"] = "Bearer",
            ["issued_at"] = issuedAt,
        };
    }

    /// <summary>The session of an access token, if it lives (and its last use moves to now), else 401 <c>INVALID_SESSION_ID</c>.</summary>
    private Answer? Authorize(string? token, out string userId)
    {
        userId = string.Empty;
        var now = Time.GetUtcNow();
        if (token is not null && _sessions.TryGetValue(token, out var session))
        {
            var idle = now - session.LastUsed > SessionIdleTimeout;
            var old = SessionMaxLifetime is { } max && now - session.Started > max;
            if (!idle && !old)
            {
                _sessions[token] = session with { LastUsed = now };
                userId = session.UserId;
                return null;
            }

            _sessions.Remove(token);
        }

        return Error(401, "INVALID_SESSION_ID", "Session expired or invalid");
    }

    private static bool SignedBy(string pem, byte[] data, byte[] signature)
    {
        try
        {
            using var rsa = pem.Contains("CERTIFICATE", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(pem).GetRSAPublicKey() ?? throw new CryptographicException("not an RSA certificate")
                : RSA.Create();
            if (!pem.Contains("CERTIFICATE", StringComparison.Ordinal))
            {
                rsa.ImportFromPem(pem);
            }

            return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    private static byte[] Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return Convert.FromBase64String(padded);
    }

    private static JsonObject OAuthError(string error, string description) => new() { ["error"] = error, ["error_description"] = description };

    private sealed record Session(string UserId, DateTimeOffset Started, DateTimeOffset LastUsed);
}
