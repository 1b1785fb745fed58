using System.Net;
using Integrations.Sdk.Tests.Support;
using Integrations.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integrations.Sdk.Tests.Transport;

public sealed class TransportTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly TestClock _time = TestHost.Clock();

    public void Dispose() => _server.Stop();

    [Fact]
    public async Task Get_429WithRetryAfter_WaitsExactlyRetryAfterThenSucceeds()
    {
        _server.Given(Request.Create().WithPath("/items").UsingGet()).InScenario("throttle").WillSetStateTo("throttled")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "20").WithBody("{\"message\":\"slow down\"}"));
        _server.Given(Request.Create().WithPath("/items").UsingGet()).InScenario("throttle").WhenStateIs("throttled")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("{\"items\":[{\"id\":\"1\",\"name\":\"a\"}]}"));
        await using var sp = TestHost.Build(_server.Url!, _time);
        var logs = sp.GetFakeLogCollector();

        var call = sp.GetRequiredService<IFakeApi>().ListItemsAsync();
        await TestHost.Until(() => logs.GetSnapshot().Any(r => r.Id.Id == 1001), "the retry is scheduled");

        logs.GetSnapshot().Single(r => r.Id.Id == 1001).Message.Should().Contain("00:00:20");
        await _time.WaitForTimerAsync(TimeSpan.FromSeconds(20));
        _time.Advance(TimeSpan.FromSeconds(19));
        call.IsCompleted.Should().BeFalse("Retry-After asked for 20 seconds");
        _server.LogEntries.Should().HaveCount(1);

        _time.Advance(TimeSpan.FromSeconds(1));
        var result = await call;
        result.Items.Should().ContainSingle().Which.Name.Should().Be("a");
        _server.LogEntries.Should().HaveCount(2);
    }

    [Fact]
    public async Task Get_400WithPlatformError_ThrowsTypedExceptionWithoutRetrying()
    {
        _server.Given(Request.Create().WithPath("/items").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("X-Request-Id", "req-42")
                .WithBody("{\"error\":{\"code\":\"invalid_field\",\"message\":\"email is not valid\"}}"));
        await using var sp = TestHost.Build(_server.Url!, _time);

        var act = () => sp.GetRequiredService<IFakeApi>().ListItemsAsync();

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.Platform.Should().Be("fake");
        error.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        error.ErrorCode.Should().Be("invalid_field");
        error.RequestId.Should().Be("req-42");
        error.IsRetryable.Should().BeFalse();
        error.MayHaveBeenApplied.Should().BeFalse();
        error.Message.Should().Contain("email is not valid");
        _server.LogEntries.Should().HaveCount(1);
    }

    [Fact]
    public async Task Post_SucceededButBodyUnreadable_ThrowsPlatformExceptionWithUnknownEffect()
    {
        _server.Given(Request.Create().WithPath("/items").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody("{\"id\": 12, oops"));
        await using var sp = TestHost.Build(_server.Url!, _time);

        var act = () => sp.GetRequiredService<IFakeApi>().CreateItemAsync(new FakeItem("1", "a"));

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.ErrorCode.Should().Be("invalid_response");
        error.MayHaveBeenApplied.Should().BeTrue("the platform answered 201: the item exists even though its body is unreadable");
        error.IsRetryable.Should().BeFalse();
    }

    [Fact]
    public async Task Get_RefusalSentAs500_IsFinal_NotApplied_AndDoesNotOpenTheCircuit()
    {
        _server.Given(Request.Create().WithPath("/items").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(500).WithBody("{\"name\":\"Invalid_Key\",\"message\":\"bad key\",\"trace\":\"tr-9\"}"));
        await using var sp = TestHost.Build(_server.Url!, _time, o =>
        {
            o.Signals = new RefusalAwareReader();
            o.CircuitMinimumThroughput = 2;
        });
        var api = sp.GetRequiredService<IFakeApi>();

        for (var i = 0; i < 3; i++)
        {
            var error = (await FluentActions.Awaiting(() => api.ListItemsAsync()).Should().ThrowAsync<PlatformException>()).Which;
            error.ErrorCode.Should().Be("Invalid_Key");
            error.IsRetryable.Should().BeFalse();
            error.MayHaveBeenApplied.Should().BeFalse();
            error.RequestId.Should().Be("tr-9");
        }

        _server.LogEntries.Should().HaveCount(3, "a refusal is not retried, and refusals do not open the circuit");
    }

    /// <summary>A platform that sends its refusals with status 500 and its request id in the body.</summary>
    private sealed class RefusalAwareReader : PlatformSignalReader
    {
        public override PlatformError ReadError(HttpResponseMessage response, string body)
        {
            using var json = System.Text.Json.JsonDocument.Parse(body);
            var root = json.RootElement;
            return new PlatformError(root.GetProperty("name").GetString(), root.GetProperty("message").GetString()!,
                IsRetryable: false, MayHaveBeenApplied: false, RequestId: root.GetProperty("trace").GetString());
        }
    }

    [Fact]
    public async Task Get_503ThenOk_IsRetried()
    {
        _server.Given(Request.Create().WithPath("/items").UsingGet()).InScenario("flaky").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(503));
        _server.Given(Request.Create().WithPath("/items").UsingGet()).InScenario("flaky").WhenStateIs("up")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("{\"items\":[]}"));
        await using var sp = TestHost.Build(_server.Url!, _time);

        var result = await sp.GetRequiredService<IFakeApi>().ListItemsAsync();

        result.Items.Should().BeEmpty();
        _server.LogEntries.Should().HaveCount(2);
    }

    [Fact]
    public async Task Post_WithoutIdempotencyKey_500AfterSend_IsNeverRetried()
    {
        _server.Given(Request.Create().WithPath("/items").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(500).WithBody("{\"message\":\"internal error\"}"));
        await using var sp = TestHost.Build(_server.Url!, _time);

        var act = () => sp.GetRequiredService<IFakeApi>().CreateItemAsync(new FakeItem("1", "a"));

        var error = (await act.Should().ThrowAsync<PlatformException>()).Which;
        error.MayHaveBeenApplied.Should().BeTrue();
        error.IsRetryable.Should().BeTrue();
        _server.LogEntries.Should().HaveCount(1, "a POST without an idempotency key may have been applied and must not be resent");
    }

    [Fact]
    public async Task Post_WithIdempotencyKey_500_IsRetriedWithTheSameKey()
    {
        _server.Given(Request.Create().WithPath("/items").UsingPost()).InScenario("post").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(500));
        _server.Given(Request.Create().WithPath("/items").UsingPost()).InScenario("post").WhenStateIs("ok")
            .RespondWith(Response.Create().WithStatusCode(201).WithBody("{\"id\":\"1\",\"name\":\"a\"}"));
        await using var sp = TestHost.Build(_server.Url!, _time);

        var created = await sp.GetRequiredService<IFakeApi>().CreateItemIdempotentAsync(new FakeItem("1", "a"), "key-123");

        created.Id.Should().Be("1");
        _server.LogEntries.Should().HaveCount(2);
        _server.LogEntries.Select(e => e.RequestMessage!.Headers!["Idempotency-Key"].Single()).Should().AllBe("key-123");
    }

    [Fact]
    public async Task Post_WithoutIdempotencyKey_429_IsRetriedBecauseThePlatformDidNotAct()
    {
        _server.Given(Request.Create().WithPath("/items").UsingPost()).InScenario("post429").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1"));
        _server.Given(Request.Create().WithPath("/items").UsingPost()).InScenario("post429").WhenStateIs("ok")
            .RespondWith(Response.Create().WithStatusCode(201).WithBody("{\"id\":\"1\",\"name\":\"a\"}"));
        await using var sp = TestHost.Build(_server.Url!, _time);

        var logs = sp.GetFakeLogCollector();
        var call = sp.GetRequiredService<IFakeApi>().CreateItemAsync(new FakeItem("1", "a"));
        await TestHost.Until(() => logs.GetSnapshot().Any(r => r.Id.Id == 1001), "the retry is scheduled");
        await _time.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));

        (await call).Id.Should().Be("1");
        _server.LogEntries.Should().HaveCount(2);
    }

    [Theory]
    [InlineData("/items?requestid=abc-1", true)]
    [InlineData("/items?minorversion=75&RequestId=abc-1", true)]
    [InlineData("/items?requestid=", false)]
    [InlineData("/items?other=1", false)]
    public void IsReplaySafe_PostWithAnIdempotencyQueryParameter(string path, bool safe)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("http://127.0.0.1" + path));

        request.IsReplaySafe([], ["requestid"]).Should().Be(safe);
    }

    [Fact]
    public async Task Get_MaxRetriesExhausted_ThrowsRetryableException()
    {
        _server.Given(Request.Create().WithPath("/items").UsingGet()).RespondWith(Response.Create().WithStatusCode(502));
        await using var sp = TestHost.Build(_server.Url!, _time, o => o.MaxRetryAttempts = 2);

        var act = () => sp.GetRequiredService<IFakeApi>().ListItemsAsync();

        (await act.Should().ThrowAsync<PlatformException>()).Which.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        _server.LogEntries.Should().HaveCount(3);
    }

    [Fact]
    public async Task Budget_PerAccount_ThrottlesOneAccountWithoutBlockingAnother()
    {
        _server.Given(Request.Create().WithPath("/items").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{\"items\":[]}"));
        await using var sp = TestHost.Build(_server.Url!, _time, o => o.RateLimit = new RateLimitOptions { PermitsPerWindow = 2, Window = TimeSpan.FromSeconds(10) });
        var api = sp.GetRequiredService<IFakeApi>();

        await api.ListItemsAsync("tenant-a");
        await api.ListItemsAsync("tenant-a");
        var third = api.ListItemsAsync("tenant-a");
        await api.ListItemsAsync("tenant-b");

        third.IsCompleted.Should().BeFalse("tenant-a spent its 2 permits");
        _server.LogEntries.Should().HaveCount(3);
        _time.Advance(TimeSpan.FromSeconds(5));
        await third;
        _server.LogEntries.Should().HaveCount(4);
    }

    [Fact]
    public async Task Budget_AdditionalWindow_IsRespectedToo()
    {
        _server.Given(Request.Create().WithPath("/items").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{\"items\":[]}"));
        await using var sp = TestHost.Build(_server.Url!, _time, o =>
        {
            o.RateLimit = new RateLimitOptions { PermitsPerWindow = 10, Window = TimeSpan.FromSeconds(1) };
            o.AdditionalRateLimits.Add(new RateLimitOptions { PermitsPerWindow = 3, Window = TimeSpan.FromMinutes(1) });
        });
        var api = sp.GetRequiredService<IFakeApi>();
        for (var i = 0; i < 3; i++)
        {
            await api.ListItemsAsync("realm-1");
        }

        var fourth = api.ListItemsAsync("realm-1");
        _time.Advance(TimeSpan.FromSeconds(5));
        fourth.IsCompleted.Should().BeFalse("the per-minute window is spent although the per-second one is not");
        _time.Advance(TimeSpan.FromSeconds(15));
        await fourth;
        _server.LogEntries.Should().HaveCount(4);
    }

    [Fact]
    public async Task CircuitBreaker_AfterRepeatedFailures_StopsCallingThePlatform()
    {
        _server.Given(Request.Create().WithPath("/items").UsingGet()).RespondWith(Response.Create().WithStatusCode(500));
        await using var sp = TestHost.Build(_server.Url!, _time, o =>
        {
            o.MaxRetryAttempts = 0;
            o.CircuitMinimumThroughput = 4;
        });
        var api = sp.GetRequiredService<IFakeApi>();
        for (var i = 0; i < 4; i++)
        {
            await FluentActions.Awaiting(() => api.ListItemsAsync()).Should().ThrowAsync<PlatformException>();
        }

        var open = await FluentActions.Awaiting(() => api.ListItemsAsync()).Should().ThrowAsync<PlatformException>();

        open.Which.ErrorCode.Should().Be("circuit_open");
        open.Which.MayHaveBeenApplied.Should().BeFalse();
        _server.LogEntries.Should().HaveCount(4, "an open circuit does not hammer a platform that is down");
        var health = await sp.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>().CheckHealthAsync();
        health.Entries["integrations-connectors"].Status.Should().Be(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy);
        health.Entries["integrations-connectors"].Description.Should().Contain("fake");

        _time.Advance(TimeSpan.FromSeconds(31));
        _server.Reset();
        _server.Given(Request.Create().WithPath("/items").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{\"items\":[]}"));
        (await api.ListItemsAsync()).Items.Should().BeEmpty("after the break the circuit lets a probe through and closes");
    }
}
