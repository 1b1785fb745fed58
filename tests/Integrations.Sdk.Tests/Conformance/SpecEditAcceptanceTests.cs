using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Integrations.Sdk.Stripe;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.Conformance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using Xunit.Abstractions;

namespace Integrations.Sdk.Tests.Conformance;

/// <summary>
/// The acceptance: the checker really reads the spec file. A request the Stripe connector sends conforms to
/// Stripe's spec as published, and stops conforming once the parameter it uses is removed from a copy of the spec.
/// Also: every built-in spec reads without reader errors, and how long each takes to load (reported, not asserted).
/// </summary>
public sealed class SpecEditAcceptanceTests(ITestOutputHelper output) : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }

    [Fact]
    public async Task RemovingADeclaredParameterFromTheSpec_MakesTheConnectorsRealRequestFail()
    {
        _server.Given(Request.Create().WithPath("/v1/invoices").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"object":"list","url":"/v1/invoices","has_more":false,"data":[]}"""));
        await using (var services = IntegrationsTestHost.Build(new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)), i => i.AddStripe(o =>
        {
            o.ApiKey = "sk_test_conformance";
            o.BaseAddress = new Uri(_server.Url!);
        })))
        {
            await foreach (var unused in services.GetRequiredService<StripeConnector>().ListInvoicesAsync("cus_9", "open"))
            {
                _ = unused;
            }
        }

        var sent = _server.LogEntries.Single().RequestMessage!;
        var exchange = Exchanges.Request("stripe", sent.Method, sent.Path + new Uri(sent.Url).Query);
        exchange.Query.Should().Contain("limit=", "the connector pages with Stripe's limit parameter");

        var published = Exchanges.Spec("stripe.spec3.json");
        ConformanceChecker.Default.Check(exchange, ConformanceSide.Request).Should().BeEmpty("the request conforms to the spec as published");

        var edited = JsonNode.Parse(published)!;
        var parameters = edited["paths"]!["/v1/invoices"]!["get"]!["parameters"]!.AsArray();
        parameters.Remove(parameters.Single(p => (string?)p!["name"] == "limit" && (string?)p["in"] == "query"));
        var violations = new OpenApiPlatformSpec("stripe", [new("spec3.json", edited.ToJsonString())]).CheckRequest(exchange);

        var violation = violations.Should().ContainSingle().Subject;
        violation.Operation.Should().Be("GET /v1/invoices");
        violation.Where.Should().Be("query:limit");
        violation.Keyword.Should().Be("additionalProperties");
        violation.SchemaLocation.Should().Be("spec3.json#/paths/~1v1~1invoices/get/parameters");
        output.WriteLine(violation.ToString());
    }

    [Fact]
    public void BuiltInSpecs_ReadWithoutReaderErrors_AndLoadTimesAreReported()
    {
        var specs = new (string Platform, string? Prefix, string[] Files, string Method, string Path)[]
        {
            ("stripe", null, ["stripe.spec3.json"], "GET", "/v1/invoices/in_1"),
            ("hubspot", null, ["hubspot.v3-objects.json", "hubspot.v3-contacts.json", "hubspot.v3-tasks.json", "hubspot.v4-associations.json"], "GET", "/crm/v4/objects/deals/1/associations/contacts"),
            ("mailchimp-transactional", "^/api/1\\.[0-9]+(?<path>/.+?)(?:\\.json)?$", ["mailchimp-transactional.transactional.json"], "POST", "/api/1.0/messages/send-template"),
            ("trello", "^/1(?<path>/.*)$", ["trello.trello-openapi.json"], "GET", "/1/cards/5abbe4b7ddc1b351ef961415"),
            ("xero", "^/api\\.xro/2\\.0(?<path>/.*)$", ["xero.xero_accounting.json"], "GET", "/api.xro/2.0/Invoices/297c2dc5-cc47-4afd-8ec8-74990b8761e9"),
        };
        foreach (var (platform, prefix, files, method, path) in specs)
        {
            var clock = Stopwatch.StartNew();
            var spec = new OpenApiPlatformSpec(platform, files.Select(f => new KeyValuePair<string, string>(f, Exchanges.Spec(f))), prefix);
            spec.Diagnostics.Should().BeEmpty(platform);
            var read = clock.Elapsed;
            spec.CheckRequest(Exchanges.Request(platform, method, path));
            var first = clock.Elapsed;
            spec.CheckRequest(Exchanges.Request(platform, method, path));
            output.WriteLine($"{platform}: read {read.TotalMilliseconds:F0} ms, first check {(first - read).TotalMilliseconds:F0} ms, second check {(clock.Elapsed - first).TotalMilliseconds:F1} ms");
        }
    }

    [Fact]
    public void ASpecOfYourOwn_ChecksItsPlatformsExchanges()
    {
        const string spec = """
            {"openapi":"3.0.1","info":{"title":"Acme","version":"1"},"paths":{"/widgets/{id}":{"get":{
              "parameters":[{"name":"id","in":"path","required":true,"schema":{"type":"string"}},
                            {"name":"X-Acme-Key","in":"header","required":true,"schema":{"type":"string"}}],
              "responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"type":"object","required":["id"],
                "properties":{"id":{"type":"string"},"size":{"type":"integer","nullable":true}}}}}}}}}}}
            """;
        var checker = new ConformanceChecker([new OpenApiPlatformSpec("acme", [new("acme.json", spec)])]);
        var request = Exchanges.Request("acme", "GET", "/widgets/w1", headers: new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["x-acme-key"] = "k" });

        checker.Check(request, ConformanceSide.Request).Should().BeEmpty();
        checker.Check(request.Answer(200, """{"id":"w1","size":null}"""), ConformanceSide.Response).Should().BeEmpty("nullable: true admits null");
        checker.Check(request with { RequestHeaders = new Dictionary<string, string>() }, ConformanceSide.Request)
            .Should().ContainSingle(v => v.Where == "header:X-Acme-Key" && v.Keyword == "required");
        checker.Check(request.Answer(200, """{"size":"big"}"""), ConformanceSide.Response).Select(v => v.Keyword).Should().BeEquivalentTo(["required", "type"]);
        checker.Check(request.Answer(200, "<p>hi</p>", "text/html"), ConformanceSide.Response).Should().ContainSingle(v => v.Keyword == "contentType");
        Encoding.UTF8.GetString(request.RequestBody.Span).Should().BeEmpty();
    }
}
