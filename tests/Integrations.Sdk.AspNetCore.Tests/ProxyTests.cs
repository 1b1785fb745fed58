using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Integrations.Sdk.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Sdk.AspNetCore.Tests;

/// <summary>
/// A TLS-terminating proxy, simulated: HubSpot signs <c>https://hooks.example.com/webhooks/hubspot</c>, the request
/// reaches a real Kestrel host as <c>http://127.0.0.1:{port}/webhooks/hubspot</c>.
/// </summary>
public sealed class ProxyTests
{
    private const string ClientSecret = "hubspot-client-secret";
    private const string PublicUrl = "https://hooks.example.com/webhooks/hubspot";

    private static async Task<WebApplication> StartAsync(Uri? publicBaseUrl = null, bool forwardedHeaders = false, string? pathBase = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddIntegrations()
            .AddHubSpot(o =>
            {
                o.AccessToken = "pat-test";
                o.ClientSecret = ClientSecret;
            })
            .ConfigureWebhooks(o => o.PublicBaseUrl = publicBaseUrl);
        if (forwardedHeaders)
        {
            builder.Services.Configure<ForwardedHeadersOptions>(o =>
            {
                o.ForwardedHeaders = ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
                o.KnownProxies.Clear();
                o.KnownProxies.Add(IPAddress.Loopback);
            });
        }

        var app = builder.Build();
        if (forwardedHeaders)
        {
            app.UseForwardedHeaders();
        }

        if (pathBase is not null)
        {
            app.UsePathBase(pathBase);
        }

        app.MapIntegrationWebhooks();
        await app.StartAsync();
        return app;
    }

    /// <summary>Posts a delivery signed as HubSpot v3 signs it for <paramref name="signedUrl"/>, to the local host.</summary>
    private static async Task<HttpStatusCode> DeliverAsync(WebApplication app, string signedUrl = PublicUrl, string localPath = "/webhooks/hubspot", IDictionary<string, string>? headers = null)
    {
        var body = $"[{{\"eventId\":{Random.Shared.Next(1, int.MaxValue)},\"subscriptionType\":\"contact.creation\",\"objectId\":1,\"occurredAt\":1700000000000}}]";
        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var signed = Encoding.UTF8.GetBytes("POST" + signedUrl + body + timestamp);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(ClientSecret), signed));

        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        using var request = new HttpRequestMessage(HttpMethod.Post, localPath.TrimStart('/')) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-HubSpot-Signature-v3", signature);
        request.Headers.Add("X-HubSpot-Request-Timestamp", timestamp);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(name, value);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static Dictionary<string, string> Forwarded => new() { ["X-Forwarded-Proto"] = "https", ["X-Forwarded-Host"] = "hooks.example.com" };

    [Fact]
    public async Task BehindAProxy_WithoutSetUp_TheSignatureOfThePublicUrlFails401()
    {
        await using var app = await StartAsync();
        app.Urls.Single().Should().StartWith("http://127.0.0.1:");

        (await DeliverAsync(app)).Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TheLocalUrl_IsStillWhatIsCheckedWithoutSetUp()
    {
        await using var app = await StartAsync();

        (await DeliverAsync(app, signedUrl: app.Urls.Single() + "/webhooks/hubspot")).Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task WithPublicBaseUrl_TheSignatureOfThePublicUrlIsAccepted()
    {
        await using var app = await StartAsync(new Uri("https://hooks.example.com/"));

        (await DeliverAsync(app)).Should().Be(HttpStatusCode.OK);
        (await DeliverAsync(app, signedUrl: app.Urls.Single() + "/webhooks/hubspot")).Should().Be(HttpStatusCode.Unauthorized, "the public address replaces the local one");
    }

    [Fact]
    public async Task WithPublicBaseUrl_TheQueryIsKept_AndTheBaseHasNoTrailingSlashNeeded()
    {
        await using var app = await StartAsync(new Uri("https://hooks.example.com"));

        (await DeliverAsync(app, PublicUrl + "?portal=42", "/webhooks/hubspot?portal=42")).Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task WithPublicBaseUrl_ItStandsForThePathBase()
    {
        // The proxy publishes the application at https://example.com/crm/ and forwards /crm/... unchanged; the
        // application strips the path base. The public base includes it; the path below it is appended once.
        await using var app = await StartAsync(new Uri("https://example.com/crm/"), pathBase: "/crm");

        (await DeliverAsync(app, "https://example.com/crm/webhooks/hubspot", "/crm/webhooks/hubspot")).Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task WithTheForwardedHeadersMiddleware_TheForwardedSchemeAndHostAreUsed()
    {
        await using var app = await StartAsync(forwardedHeaders: true);

        (await DeliverAsync(app, headers: Forwarded)).Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ForwardedHeaders_WithoutTheMiddleware_AreNotTrusted()
    {
        await using var app = await StartAsync();

        (await DeliverAsync(app, headers: Forwarded)).Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("/webhooks", "*PublicBaseUrl*absolute http or https*")]
    [InlineData("ftp://hooks.example.com/", "*PublicBaseUrl*absolute http or https*")]
    [InlineData("https://hooks.example.com/?a=1", "*PublicBaseUrl*query or a fragment*")]
    [InlineData("https://hooks.example.com/#top", "*PublicBaseUrl*query or a fragment*")]
    public async Task AnInvalidPublicBaseUrl_FailsTheStart(string url, string message)
    {
        var start = () => StartAsync(new Uri(url, UriKind.RelativeOrAbsolute));

        (await start.Should().ThrowAsync<OptionsValidationException>()).WithMessage(message);
    }
}
