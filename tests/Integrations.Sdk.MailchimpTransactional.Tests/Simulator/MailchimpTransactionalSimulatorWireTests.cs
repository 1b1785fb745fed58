using Integrations.Sdk.Testing.Conformance;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Integrations.Sdk.Testing.MailchimpTransactional;

namespace Integrations.Sdk.MailchimpTransactional.Tests.Simulator;

/// <summary>
/// The simulator's answers on the wire, as the published Mailchimp Transactional spec declares <c>send-template</c>:
/// the per-recipient result fields, the required body fields and their types, and Mandrill's error body.
/// </summary>
public sealed class MailchimpTransactionalSimulatorWireTests : IAsyncLifetime
{
    private readonly MailchimpTransactionalSimulator _simulator = new();
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        await _simulator.StartAsync();
        _simulator.AddTemplate("order-confirmation");
        _http = new HttpClient { BaseAddress = _simulator.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task Results_CarryTheSpecsFields_WithAReasonOnlyWhereItApplies()
    {
        _simulator.AddReject("gone@example.com", "unsub");

        var (status, body) = await PostAsync("api/1.0/messages/send-template", Body(to: """[{"email":"ada@example.com"},{"email":"gone@example.com"},{"email":"not-an-address"}]"""));

        status.Should().Be(HttpStatusCode.OK);
        var results = body!.AsArray().Select(r => r!.AsObject()).ToList();
        results.Select(r => r["status"]!.GetValue<string>()).Should().Equal("sent", "rejected", "invalid");
        results[0].Select(p => p.Key).Should().Equal("email", "status", "_id");
        results[1].Select(p => p.Key).Should().Equal("email", "status", "reject_reason", "_id");
        results[1]["reject_reason"]!.GetValue<string>().Should().Be("unsub");
        results[2].Select(p => p.Key).Should().Equal("email", "status", "_id");
        results.Should().OnlyContain(r => r["_id"]!.GetValue<string>().Length == 32);
        _simulator.Sent.Should().ContainSingle().Which.Id.Should().Be(results[0]["_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnAsyncSend_IsQueued_AndOneWithAttachments_IsQueuedForThatReason()
    {
        var (_, asynchronous) = await PostAsync("api/1.0/messages/send-template", Body(extra: ""","async":true"""));
        var (_, attached) = await PostAsync("api/1.3/messages/send-template.json",
            Body(message: ""","attachments":[{"type":"text/plain","name":"a.txt","content":"aGk="}]"""));

        asynchronous![0]!["status"]!.GetValue<string>().Should().Be("queued");
        asynchronous[0]!.AsObject().ContainsKey("queued_reason").Should().BeFalse();
        attached![0]!["status"]!.GetValue<string>().Should().Be("queued");
        attached[0]!["queued_reason"]!.GetValue<string>().Should().Be("attachments");
        _simulator.Sent.Select(m => m.Status).Should().Equal("queued", "queued");
    }

    [Theory]
    [InlineData("""{"template_name":"order-confirmation","template_content":[],"message":{"to":[{"email":"a@example.com"}]}}""", "ValidationError", -1, "You must specify a key value")]
    [InlineData("""{"key":"wrong","template_name":"order-confirmation","template_content":[],"message":{"to":[{"email":"a@example.com"}]}}""", "Invalid_Key", -1, "Invalid API key")]
    [InlineData("""{"key":"K","template_name":"order-confirmation","message":{"to":[{"email":"a@example.com"}]}}""", "ValidationError", -2, "You must specify a template_content value")]
    [InlineData("""{"key":"K","template_name":"order-confirmation","template_content":[]}""", "ValidationError", -2, "You must specify a message value")]
    [InlineData("""{"key":"K","template_content":[],"message":{"to":[{"email":"a@example.com"}]}}""", "ValidationError", -2, "You must specify a template_name value")]
    [InlineData("""{"key":"K","template_name":"order-confirmation","template_content":"footer","message":{"to":[{"email":"a@example.com"}]}}""", "ValidationError", -2, "template_content")]
    [InlineData("""{"key":"K","template_name":"order-confirmation","template_content":[],"message":{"to":[{"email":"a@example.com","type":"reply-to"}]}}""", "ValidationError", -2, "message.to[0].type")]
    [InlineData("""{"key":"K","template_name":"order-confirmation","template_content":[],"message":{"to":[{"name":"Ada"}]}}""", "ValidationError", -2, "message.to[0].email")]
    [InlineData("""{"key":"K","template_name":"order-confirmation","template_content":[],"message":{"to":[{"email":"a@example.com"}],"merge_language":"liquid"}}""", "ValidationError", -2, "merge_language")]
    [InlineData("""{"key":"K","template_name":"order-confirmation","template_content":[],"message":{"to":[{"email":"a@example.com"}],"tags":[1,2]}}""", "ValidationError", -2, "message.tags")]
    [InlineData("""{"key":"K","template_name":"order-confirmation","template_content":[],"message":{"to":[{"email":"a@example.com"}]},"async":"yes"}""", "ValidationError", -2, "async")]
    [InlineData("""{"key":"K","template_name":"no-such-template","template_content":[],"message":{"to":[{"email":"a@example.com"}]}}""", "Unknown_Template", 5, "no-such-template")]
    public async Task ABodyTheSpecRefuses_IsAnswered500WithMandrillsErrorBody_AndSendsNothing(string json, string name, int code, string named)
    {
        _simulator.Conformance = ConformanceMode.Record; // most of these bodies break the spec on purpose

        var (status, body) = await PostAsync("api/1.0/messages/send-template", json.Replace("\"K\"", "\"" + _simulator.ApiKey + "\"", StringComparison.Ordinal));

        status.Should().Be(HttpStatusCode.InternalServerError);
        body!.AsObject().Select(p => p.Key).Should().Equal("status", "code", "name", "message");
        body["status"]!.GetValue<string>().Should().Be("error");
        body["name"]!.GetValue<string>().Should().Be(name);
        body["code"]!.GetValue<int>().Should().Be(code);
        body["message"]!.GetValue<string>().Should().Contain(named);
        _simulator.Sent.Should().BeEmpty();
    }

    [Fact]
    public async Task AMethodTheSimulatorDoesNotHave_IsAnsweredWithMandrillsErrorBody()
    {
        _simulator.Conformance = ConformanceMode.Record; // a method the spec does not have, on purpose

        var (status, body) = await PostAsync("api/1.0/messages/send-carrier-pigeon.json", Body());

        status.Should().Be(HttpStatusCode.InternalServerError);
        body!["status"]!.GetValue<string>().Should().Be("error");
        body["name"]!.GetValue<string>().Should().Be("GeneralError");
        body["message"]!.GetValue<string>().Should().Contain("send-carrier-pigeon");
        _simulator.RequestCount.Should().Be(0);
    }

    private string Body(string to = """[{"email":"ada@example.com"}]""", string message = "", string extra = "") =>
        $$"""{"key":"{{_simulator.ApiKey}}","template_name":"order-confirmation","template_content":[],"message":{"to":{{to}}{{message}}}{{extra}}}""";

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, string json)
    {
        using var response = await _http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }
}
