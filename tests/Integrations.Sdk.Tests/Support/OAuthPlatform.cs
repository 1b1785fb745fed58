using Integrations.Sdk.Transport.Auth;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integrations.Sdk.Tests.Support;

/// <summary>An OAuth2 platform on WireMock that rotates refresh tokens.</summary>
public static class OAuthPlatform
{
    /// <summary>Serves /oauth/token (rotating the refresh token) and /items (only for the fresh access token).</summary>
    public static void Serve(WireMockServer server, string newAccess, string rotatedRefresh)
    {
        server.Given(Request.Create().WithPath("/oauth/token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200)
                .WithBody($"{{\"access_token\":\"{newAccess}\",\"refresh_token\":\"{rotatedRefresh}\",\"expires_in\":3600,\"token_type\":\"bearer\"}}"));
        server.Given(Request.Create().WithPath("/items").UsingGet().WithHeader("Authorization", $"Bearer {newAccess}"))
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("{\"items\":[]}"));
        server.Given(Request.Create().WithPath("/items").UsingGet())
            .AtPriority(10)
            .RespondWith(Response.Create().WithStatusCode(401).WithBody("{\"message\":\"token expired\"}"));
    }

    public static OAuth2Auth Auth(string baseUrl, string? initialRefresh = null) => new()
    {
        TokenEndpoint = new Uri(baseUrl + "/oauth/token"),
        ClientId = "client-id",
        ClientSecret = "client-secret-value",
        InitialRefreshToken = initialRefresh,
    };
}
