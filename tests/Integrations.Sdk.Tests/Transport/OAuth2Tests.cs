using Integrations.Sdk.State;
using Integrations.Sdk.Tests.Support;
using Integrations.Sdk.Transport;
using Integrations.Sdk.Transport.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integrations.Sdk.Tests.Transport;

public sealed class OAuth2Tests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly TestClock _time = TestHost.Clock();

    public void Dispose() => _server.Stop();

    [Fact]
    public async Task HundredConcurrentCalls_WithExpiredToken_CauseExactlyOneRefresh()
    {
        OAuthPlatform.Serve(_server, "access-2", "refresh-2");
        await using var sp = TestHost.Build(_server.Url!, _time, o => o.Auth = OAuthPlatform.Auth(_server.Url!));
        var store = sp.GetRequiredService<ITokenStore>();
        await store.SaveAsync("fake", "acme", new OAuthToken("access-1", "refresh-1", _time.GetUtcNow().AddMinutes(-1)));
        var api = sp.GetRequiredService<IFakeApi>();

        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => api.ListItemsAsync("acme"))));

        var refreshes = _server.LogEntries.Where(e => e.RequestMessage!.Path == "/oauth/token").ToList();
        refreshes.Should().ContainSingle();
        refreshes[0].RequestMessage!.Body.Should().Contain("grant_type=refresh_token").And.Contain("refresh_token=refresh-1");
        refreshes[0].RequestMessage!.Headers!["Authorization"].Single().Should().StartWith("Basic ");
        _server.LogEntries.Count(e => e.RequestMessage!.Path == "/items").Should().Be(100);
        var saved = await store.GetAsync("fake", "acme");
        saved!.AccessToken.Should().Be("access-2");
        saved.RefreshToken.Should().Be("refresh-2", "the rotated refresh token is persisted");
    }

    [Fact]
    public async Task TwoInstancesSharingState_WithExpiredToken_RefreshOnceBetweenThem()
    {
        // Two hosts on one token store and one cross-process lock: rotating refresh tokens are single-use, so a
        // second refresh with the spent token would fail at a real platform.
        OAuthPlatform.Serve(_server, "access-2", "refresh-2");
        var store = new Integrations.Sdk.State.InMemory.InMemoryTokenStore();
        var locks = new SharedLock();
        void Share(IServiceCollection s)
        {
            s.AddSingleton<ITokenStore>(store);
            s.AddSingleton<IDistributedLock>(locks);
        }

        await using var first = TestHost.Build(_server.Url!, _time, o => o.Auth = OAuthPlatform.Auth(_server.Url!), services: Share);
        await using var second = TestHost.Build(_server.Url!, _time, o => o.Auth = OAuthPlatform.Auth(_server.Url!), services: Share);
        await store.SaveAsync("fake", "acme", new OAuthToken("access-1", "refresh-1", _time.GetUtcNow().AddMinutes(-1)));

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            (i % 2 == 0 ? first : second).GetRequiredService<IFakeApi>().ListItemsAsync("acme"))));

        _server.LogEntries.Count(e => e.RequestMessage!.Path == "/oauth/token").Should().Be(1);
        locks.Taken.Should().Contain(LockNames.TokenRefresh("fake", "acme"));
        (await store.GetAsync("fake", "acme"))!.RefreshToken.Should().Be("refresh-2");
    }

    [Fact]
    public async Task Unauthorized_WithUnexpiredToken_RefreshesOnceAndRetries()
    {
        OAuthPlatform.Serve(_server, "access-2", "refresh-2");
        await using var sp = TestHost.Build(_server.Url!, _time, o => o.Auth = OAuthPlatform.Auth(_server.Url!));
        var store = sp.GetRequiredService<ITokenStore>();
        await store.SaveAsync("fake", "acme", new OAuthToken("revoked-access", "refresh-1", _time.GetUtcNow().AddHours(1)));

        await sp.GetRequiredService<IFakeApi>().ListItemsAsync("acme");

        _server.LogEntries.Select(e => e.RequestMessage!.Path).Should().Equal("/items", "/oauth/token", "/items");
    }

    [Fact]
    public async Task NoStoredToken_UsesInitialRefreshTokenOnce()
    {
        OAuthPlatform.Serve(_server, "access-2", "refresh-2");
        await using var sp = TestHost.Build(_server.Url!, _time, o => o.Auth = OAuthPlatform.Auth(_server.Url!, initialRefresh: "bootstrap-refresh"));

        await sp.GetRequiredService<IFakeApi>().ListItemsAsync("acme");
        await sp.GetRequiredService<IFakeApi>().ListItemsAsync("acme");

        _server.LogEntries.Count(e => e.RequestMessage!.Path == "/oauth/token").Should().Be(1);
        _server.LogEntries.First(e => e.RequestMessage!.Path == "/oauth/token").RequestMessage!.Body.Should().Contain("refresh_token=bootstrap-refresh");
    }

    [Fact]
    public async Task RefreshRefused_ThrowsPlatformExceptionWithoutTheRefreshToken()
    {
        _server.Given(Request.Create().WithPath("/oauth/token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithBody("{\"error\":\"invalid_grant\",\"error_description\":\"refresh token refresh-1 is invalid\"}"));
        await using var sp = TestHost.Build(_server.Url!, _time, o => o.Auth = OAuthPlatform.Auth(_server.Url!));
        await sp.GetRequiredService<ITokenStore>().SaveAsync("fake", "acme", new OAuthToken("access-1", "refresh-1", _time.GetUtcNow().AddMinutes(-5)));

        var act = () => sp.GetRequiredService<IFakeApi>().ListItemsAsync("acme");

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.ErrorCode.Should().Be("invalid_grant");
        error.Message.Should().NotContain("refresh-1");
        _server.LogEntries.Should().ContainSingle("a refused refresh is not retried: the token may already be spent");
    }

    [Fact]
    public async Task RefreshThrottled_IsRetriedAfterRetryAfter_ThenTheRequestGoesThrough()
    {
        _server.Given(Request.Create().WithPath("/oauth/token").UsingPost()).InScenario("token").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "7"));
        _server.Given(Request.Create().WithPath("/oauth/token").UsingPost()).InScenario("token").WhenStateIs("ok")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("{\"access_token\":\"access-2\",\"refresh_token\":\"refresh-2\",\"expires_in\":3600}"));
        _server.Given(Request.Create().WithPath("/items").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{\"items\":[]}"));
        await using var sp = TestHost.Build(_server.Url!, _time, o => o.Auth = OAuthPlatform.Auth(_server.Url!, initialRefresh: "refresh-1"));
        var logs = sp.GetFakeLogCollector();

        var call = sp.GetRequiredService<IFakeApi>().ListItemsAsync("acme");
        await TestHost.Until(() => logs.GetSnapshot().Any(r => r.Id.Id == 1001), "the retry is scheduled");
        await _time.WaitForTimerAsync(TimeSpan.FromSeconds(7));
        _time.Advance(TimeSpan.FromSeconds(7));
        await call;

        _server.LogEntries.Select(e => e.RequestMessage!.Path).Should().Equal("/oauth/token", "/oauth/token", "/items");
    }

    [Fact]
    public async Task MissingClientSecret_FailsValidationNamingTheSetting()
    {
        await using var sp = TestHost.Build(_server.Url!, _time, o => o.Auth = new OAuth2Auth { TokenEndpoint = new Uri(_server.Url! + "/t"), ClientId = "id" });

        var act = () => sp.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<ConnectorHttpOptions>>().Get("fake");

        act.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*ClientSecret*");
    }
}
