using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.Conformance;
using Integrations.Sdk.Tests.Support;
using Integrations.Sdk.Transport;
using Integrations.Sdk.Transport.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integrations.Sdk.Tests.Conformance;

/// <summary>
/// The recording of exchanges: a simulator checks each request it receives and each answer it gives, a test host checks
/// each request its connectors send elsewhere, and a violation fails the test that made it when the simulator or the
/// provider is disposed. A made-up spec flags what each test sends on purpose; its recorders stay out of the run's
/// <c>conformance:</c> line.
/// </summary>
public sealed class RecordingTests : IDisposable
{
    private const string ApiKey = "key_conformance_test_0001";
    private readonly WireMockServer _server = WireMockServer.Start();

    public void Dispose() => _server.Stop();

    [Fact]
    public async Task Simulator_Enforce_BadRequest_FailsOnDisposeWithTheSpecsWords()
    {
        var sim = await StartAsync();
        using var client = new HttpClient { BaseAddress = sim.BaseAddress };

        using var response = await client.GetAsync(new Uri("v1/things/t1?bad=1", UriKind.Relative));
        response.StatusCode.Should().Be(HttpStatusCode.OK, "the simulator still answers; the check only records");

        var dispose = async () => await sim.DisposeAsync();
        var thrown = (await dispose.Should().ThrowAsync<ConformanceException>()).Which;
        thrown.Violations.Should().ContainSingle().Which.Where.Should().Be("query:bad");
        thrown.Message.Should().Contain("fake-things request GET /v1/things/t1: at query:bad (fake.json#/paths/~1v1~1things~1{id}/get/parameters) [additionalProperties] bad is not a declared parameter");
    }

    [Fact]
    public async Task Simulator_Record_BadRequest_ListsTheViolationAndDisposesQuietly()
    {
        var sim = await StartAsync(ConformanceMode.Record);
        using var client = new HttpClient { BaseAddress = sim.BaseAddress };

        (await client.GetAsync(new Uri("v1/things/t1?bad=1", UriKind.Relative))).Dispose();
        (await client.GetAsync(new Uri("v1/things/t2", UriKind.Relative))).Dispose();

        var violation = sim.ConformanceViolations.Should().ContainSingle().Subject;
        violation.Should().Be(new ConformanceViolation("fake-things", ConformanceSide.Request, "GET /v1/things/t1", "query:bad",
            "fake.json#/paths/~1v1~1things~1{id}/get/parameters", "additionalProperties", "bad is not a declared parameter"));
        sim.ConformanceRecorder.Counts.Should().Be(new ConformanceCounts(Requests: 2, Responses: 2, Violations: 1));
        await sim.DisposeAsync();
    }

    [Fact]
    public async Task Simulator_BadAnswer_IsFlagged_AndReachesTheClientUnchanged()
    {
        var sim = await StartAsync(ConformanceMode.Record);
        using var client = new HttpClient { BaseAddress = sim.BaseAddress };

        using var response = await client.GetAsync(new Uri("v1/things/t1?oops=1", UriKind.Relative));
        (await response.Content.ReadAsStringAsync()).Should().Be("""{"id":"t1","oops":true}""");
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");

        sim.ConformanceViolations.Should().ContainSingle().Which.Should().Match<ConformanceViolation>(v =>
            v.Side == ConformanceSide.Response && v.Where == "body:/oops" && v.Operation == "GET /v1/things/t1");
        await sim.DisposeAsync();

        // Enforced, the same answer fails the test.
        var enforced = await StartAsync();
        using var again = new HttpClient { BaseAddress = enforced.BaseAddress };
        (await again.GetAsync(new Uri("v1/things/t1?oops=1", UriKind.Relative))).Dispose();
        await FluentActions.Awaiting(async () => await enforced.DisposeAsync()).Should().ThrowAsync<ConformanceException>().WithMessage("*response GET /v1/things/t1: at body:/oops*");
    }

    [Fact]
    public async Task Simulator_RequestBody_IsCheckedAndStillReadByTheEndpoint()
    {
        var sim = await StartAsync(ConformanceMode.Record);
        using var client = new HttpClient { BaseAddress = sim.BaseAddress };

        using var response = await client.PostAsJsonAsync(new Uri("v1/things", UriKind.Relative), new { name = "bad" });
        (await response.Content.ReadAsStringAsync()).Should().Be("""{"name":"bad"}""", "the endpoint reads the body after the check");

        sim.ConformanceViolations.Should().ContainSingle().Which.Where.Should().Be("body:/name");
        await sim.DisposeAsync();
    }

    [Fact]
    public async Task Simulator_FaultInjectedAnswers_AreNotChecked_TheirRequestsAre()
    {
        var sim = await StartAsync();
        sim.Faults.Add("thing.get", FaultKind.ServerError);
        sim.Faults.Add("thing.get", FaultKind.TooManyRequests);
        sim.Faults.Add("thing.get", FaultKind.ConnectionReset);
        using var client = new HttpClient { BaseAddress = sim.BaseAddress };

        // Each injected answer carries the "oops" the spec flags in a platform answer: none is checked.
        for (var i = 0; i < 3; i++)
        {
            try
            {
                (await client.GetAsync(new Uri("v1/things/t1?oops=1", UriKind.Relative))).Dispose();
            }
            catch (HttpRequestException)
            {
                // The reset.
            }
        }

        sim.Faults.InjectedTotal.Should().Be(3);
        sim.ConformanceRecorder.Counts.Should().Be(new ConformanceCounts(Requests: 3, Responses: 0, Violations: 0));
        sim.ConformanceViolations.Should().BeEmpty();
        await sim.DisposeAsync();
    }

    [Fact]
    public async Task Simulator_CheckerThatThrows_IsAViolation_AndTheAnswerStillGoesOut()
    {
        var sim = new ThingSimulator { Conformance = ConformanceMode.Record };
        sim.ConformanceRecorder.CountsTowardProcessTotals = false;
        sim.ConformanceRecorder.Checker = new ConformanceChecker([new ThrowingSpec()]);
        await sim.StartAsync();
        using var client = new HttpClient { BaseAddress = sim.BaseAddress };

        using var response = await client.GetAsync(new Uri("v1/things/t1", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK, "a failing checker must not turn the platform's answer into a 500");
        sim.ConformanceViolations.Should().HaveCount(2).And.OnlyContain(v => v.Keyword == "exception" && v.Message.Contains("InvalidOperationException: the spec is broken"));
        await sim.DisposeAsync();
    }

    [Fact]
    public async Task Simulator_Off_ChecksNothing()
    {
        var sim = await StartAsync(ConformanceMode.Off);
        using var client = new HttpClient { BaseAddress = sim.BaseAddress };

        (await client.GetAsync(new Uri("v1/things/t1?bad=1&oops=1", UriKind.Relative))).Dispose();

        sim.ConformanceRecorder.Counts.Should().Be(default(ConformanceCounts));
        await sim.DisposeAsync();
    }

    [Fact]
    public async Task Simulator_PlatformTheCheckerDoesNotCover_IsNotChecked()
    {
        var sim = new ThingSimulator();
        sim.ConformanceRecorder.CountsTowardProcessTotals = false;
        sim.ConformanceRecorder.Checker = new ConformanceChecker([new FlaggingSpec("another-platform")]);
        await sim.StartAsync();
        using var client = new HttpClient { BaseAddress = sim.BaseAddress };

        (await client.GetAsync(new Uri("v1/things/t1?bad=1", UriKind.Relative))).Dispose();

        sim.ConformanceRecorder.Counts.Should().Be(default(ConformanceCounts));
        await sim.DisposeAsync();
    }

    [Fact]
    public async Task TestHost_Enforce_ConnectorRequestBreakingTheSpec_FailsOnDispose()
    {
        _server.Given(Request.Create().WithPath("/items").UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "i1", name = "bad" }));
        var provider = Build(_server.Url!);

        await provider.GetRequiredService<IFakeApi>().CreateItemAsync(new FakeItem("i1", "bad"));

        var thrown = (await FluentActions.Awaiting(async () => await provider.DisposeAsync()).Should().ThrowAsync<ConformanceException>()).Which;
        thrown.Violations.Should().ContainSingle().Which.Should().Be(new ConformanceViolation("fake", ConformanceSide.Request, "POST /items", "body:/name",
            "fake.json#/components/schemas/item/properties/name", "enum", "bad is not one of the declared values"));
    }

    [Fact]
    public async Task TestHost_Record_ListsTheViolation_SeesEachAttemptAfterAuth()
    {
        _server.Given(Request.Create().WithPath("/items").UsingPost()).InScenario("retry").WillSetStateTo("answered")
            .RespondWith(Response.Create().WithStatusCode(503));
        _server.Given(Request.Create().WithPath("/items").UsingPost()).InScenario("retry").WhenStateIs("answered")
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "i1", name = "bad", oops = true }));
        await using var provider = Build(_server.Url!, ConformanceMode.Record);

        await provider.GetRequiredService<IFakeApi>().CreateItemIdempotentAsync(new FakeItem("i1", "bad"), "key-1");

        var recorder = provider.GetRequiredService<ConformanceRecorder>();
        recorder.Counts.Should().Be(new ConformanceCounts(Requests: 2, Responses: 0, Violations: 2), "each attempt is checked (the retry too); a stub's answers are not by default");
        recorder.Violations.Should().OnlyContain(v => v.Where == "body:/name", "the API key the auth handler adds is on the checked request");
    }

    [Fact]
    public async Task TestHost_RequestWithoutTheRequiredHeader_IsFlagged()
    {
        _server.Given(Request.Create().WithPath("/items").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { items = Array.Empty<object>() }));
        await using var provider = Build(_server.Url!, ConformanceMode.Record, auth: false);

        await provider.GetRequiredService<IFakeApi>().ListItemsAsync();

        provider.GetRequiredService<ConformanceRecorder>().Violations.Should().ContainSingle().Which.Where.Should().Be("header:X-Api-Key");
    }

    [Fact]
    public async Task TestHost_CheckResponses_ChecksTheStubsAnswersToo()
    {
        _server.Given(Request.Create().WithPath("/items").UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "i1", name = "good", oops = true }));
        await using var provider = Build(_server.Url!, ConformanceMode.Record, checkResponses: true);

        var created = await provider.GetRequiredService<IFakeApi>().CreateItemAsync(new FakeItem("i1", "good"));

        created.Name.Should().Be("good", "the connector still reads the buffered answer");
        var recorder = provider.GetRequiredService<ConformanceRecorder>();
        recorder.Counts.Should().Be(new ConformanceCounts(Requests: 1, Responses: 1, Violations: 1));
        recorder.Violations.Should().ContainSingle().Which.Should().Match<ConformanceViolation>(v => v.Side == ConformanceSide.Response && v.Where == "body:/oops");
    }

    [Fact]
    public async Task TestHost_RequestsToARunningSimulator_AreLeftToTheSimulator()
    {
        var sim = await StartAsync(ConformanceMode.Record, platform: "fake");
        var provider = Build(sim.BaseAddress.ToString(), ConformanceMode.Record);

        await provider.GetRequiredService<IFakeApi>().ListItemsAsync();

        provider.GetRequiredService<ConformanceRecorder>().Counts.Should().Be(default(ConformanceCounts), "the simulator checks it: no double count");
        sim.ConformanceRecorder.Counts.Requests.Should().Be(1);
        await provider.DisposeAsync();
        await sim.DisposeAsync();
    }

    [Fact]
    public void ProcessSummary_IsOneLine_AndLeavesOutRecordersThatDoNotCount()
    {
        ConformanceRecorder.ProcessSummary().Should().MatchRegex("^conformance: requests=[0-9]+ responses=[0-9]+ violations=[0-9]+ platforms=[a-z0-9,-]*$");
        ConformanceRecorder.ProcessCountsByPlatform.Keys.Should().NotContain(["fake", "fake-things"], "these tests' recorders stay out of the run's totals");
    }

    private static async Task<ThingSimulator> StartAsync(ConformanceMode mode = ConformanceMode.Enforce, string platform = "fake-things")
    {
        var sim = new ThingSimulator(platform) { Conformance = mode };
        sim.ConformanceRecorder.CountsTowardProcessTotals = false;
        sim.ConformanceRecorder.Checker = new ConformanceChecker([new FlaggingSpec(platform)]);
        await sim.StartAsync();
        return sim;
    }

    private static ServiceProvider Build(string baseUrl, ConformanceMode mode = ConformanceMode.Enforce, bool auth = true, bool checkResponses = false)
    {
        var provider = IntegrationsTestHost.Build(
            TestHost.Clock(),
            i => i.AddConnectorClient<IFakeApi>("fake", (_, o) =>
            {
                o.BaseAddress = new Uri(baseUrl);
                o.RetryBaseDelay = TimeSpan.Zero;
                o.Auth = auth ? new ApiKeyAuth("X-Api-Key", ApiKey) : null;
            }),
            services => services.AddConformanceRecording(o =>
            {
                o.Mode = mode;
                o.Checker = new ConformanceChecker([new FlaggingSpec("fake", requiredHeader: "X-Api-Key")]);
                o.CheckResponses = checkResponses;
            }));
        provider.GetRequiredService<ConformanceRecorder>().CountsTowardProcessTotals = false;
        return provider;
    }

    /// <summary>A made-up platform: <c>GET /v1/things/{id}</c> (answers <c>"oops"</c> when asked to) and <c>POST /v1/things</c> (echoes the body).</summary>
    private sealed class ThingSimulator(string platform = "fake-things") : SimulatorHost
    {
        public override string Platform => platform;

        protected override void MapEndpoints(IEndpointRouteBuilder endpoints)
        {
            Map(endpoints, "GET", "/v1/things/{id}", context => WithFaultsAsync(context, "thing.get", () =>
            {
                var thing = new JsonObject { ["id"] = (string)context.Request.RouteValues["id"]! };
                if (context.Request.Query.ContainsKey("oops"))
                {
                    thing["oops"] = true;
                }

                return Json(200, thing);
            }));
            Map(endpoints, "POST", "/v1/things", async context =>
            {
                var (body, _) = await ReadJsonAsync(context);
                return Json(201, body ?? new JsonObject());
            });
            Map(endpoints, "GET", "/items", _ => Task.FromResult(Json(200, new JsonObject { ["items"] = new JsonArray() })));
        }
    }

    private sealed class ThrowingSpec : IPlatformSpec
    {
        public string Platform => "fake-things";

        public IReadOnlyList<ConformanceViolation> CheckRequest(ConformanceExchange exchange) => throw new InvalidOperationException("the spec is broken");

        public IReadOnlyList<ConformanceViolation> CheckResponse(ConformanceExchange exchange) => throw new InvalidOperationException("the spec is broken");
    }

    /// <summary>A spec that flags a <c>bad</c> query parameter, a JSON body whose name is <c>bad</c>, a missing header, and an <c>oops</c> in an answer.</summary>
    private sealed class FlaggingSpec(string platform, string? requiredHeader = null) : IPlatformSpec
    {
        public string Platform => platform;

        public IReadOnlyList<ConformanceViolation> CheckRequest(ConformanceExchange exchange)
        {
            var operation = $"{exchange.Method} {exchange.Path}";
            var found = new List<ConformanceViolation>();
            if (exchange.Query.Split('&').Any(p => p.StartsWith("bad=", StringComparison.Ordinal)))
            {
                found.Add(new(Platform, ConformanceSide.Request, operation, "query:bad", "fake.json#/paths/~1v1~1things~1{id}/get/parameters", "additionalProperties", "bad is not a declared parameter"));
            }

            if (exchange.RequestBody.Length > 0 && JsonNode.Parse(exchange.RequestBody.Span)?["name"]?.GetValue<string>() == "bad")
            {
                found.Add(new(Platform, ConformanceSide.Request, operation, "body:/name", "fake.json#/components/schemas/item/properties/name", "enum", "bad is not one of the declared values"));
            }

            if (requiredHeader is not null && !exchange.RequestHeaders.ContainsKey(requiredHeader))
            {
                found.Add(new(Platform, ConformanceSide.Request, operation, $"header:{requiredHeader}", "fake.json#/components/securitySchemes/key", "required", $"{requiredHeader} is required"));
            }

            return found;
        }

        public IReadOnlyList<ConformanceViolation> CheckResponse(ConformanceExchange exchange) =>
            Encoding.UTF8.GetString(exchange.ResponseBody.Span).Contains("\"oops\"", StringComparison.Ordinal)
                ? [new(Platform, ConformanceSide.Response, $"{exchange.Method} {exchange.Path}", "body:/oops", "fake.json#/components/schemas/thing", "additionalProperties", "oops is not a declared property")]
                : [];
    }
}
