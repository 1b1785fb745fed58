using System.Security.Cryptography;
using System.Text;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Pipelines;
using Integrations.Sdk.Transport;
using Integrations.Sdk.Trello.Models;
using Integrations.Sdk.Trello.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integrations.Sdk.Trello.Tests;

/// <summary>The exact requests of the Trello connector, against WireMock, and its webhook source.</summary>
public sealed class TrelloConnectorTests : IDisposable
{
    private const string Key = "0123456789abcdef0123456789abcdef";
    private const string Token = "ATTAtoken-for-unit-tests-0000000000000000";
    private const string Secret = "power-up-secret-for-unit-tests";
    private const string ListId = "5abbe4b7ddc1b351ef961414";

    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly ServiceProvider _services;

    public TrelloConnectorTests() => _services = Build(o => o.BaseAddress = new Uri(_server.Url!));

    public void Dispose()
    {
        _services.Dispose();
        _server.Stop();
        _server.Dispose();
    }

    private TrelloConnector Connector => _services.GetRequiredService<TrelloConnector>();

    [Fact]
    public async Task CreateCard_LooksOnTheListFirst_ThenPostsWithKeyTokenAndMarker()
    {
        _server.Given(Request.Create().WithPath($"/1/lists/{ListId}/cards").UsingGet()).RespondWith(Json("[]"));
        _server.Given(Request.Create().WithPath("/1/cards").UsingPost()).RespondWith(Json($$"""{"id":"c1","name":"Onboard Acme","desc":"x","idList":"{{ListId}}","idMembers":["m1"]}"""));

        var card = await Connector.CreateCard.ExecuteAsync(new CardDraft(ListId, "Onboard Acme", "From the form", ["m1", "m2"], ExternalId: "form-7"), Write());

        card.Id.Should().Be("c1");
        var requests = _server.LogEntries.Select(e => e.RequestMessage!).ToList();
        requests.Select(r => r.Method).Should().Equal("GET", "POST");
        var post = requests[1];
        post.Query!["idList"].Should().Equal(ListId);
        post.Query["name"].Should().Equal("Onboard Acme");
        post.Query["desc"].Single().Should().Be("From the form\n\n[integrations-ref:form-7]");
        post.Query["idMembers"].Should().Equal("m1,m2");
        post.Query["key"].Should().Equal(Key);
        post.Query["token"].Should().Equal(Token);
    }

    [Fact]
    public async Task CreateCard_CardWithTheMarkerExists_ReturnsItWithoutPosting()
    {
        _server.Given(Request.Create().WithPath($"/1/lists/{ListId}/cards").UsingGet())
            .RespondWith(Json($$"""[{"id":"c9","name":"Onboard Acme","desc":"x\n\n[integrations-ref:form-7]","idList":"{{ListId}}"}]"""));

        var card = await Connector.CreateCard.ExecuteAsync(new CardDraft(ListId, "Onboard Acme", ExternalId: "form-7"), Write());

        card.Id.Should().Be("c9");
        _server.LogEntries.Should().ContainSingle().Which.RequestMessage!.Method.Should().Be("GET");
    }

    [Fact]
    public async Task CreateCard_WithoutAName_IsRefusedNamingTheFieldBeforeAnyRequest()
    {
        var create = () => Connector.CreateCard.ExecuteAsync(new CardDraft(ListId, " "), Write());

        (await create.Should().ThrowAsync<ArgumentException>()).WithMessage("*field Name*");
        _server.LogEntries.Should().BeEmpty();
    }

    [Fact]
    public async Task Request_OverPlainHttpToAnotherHost_IsRefusedSoTheTokenNeverTravelsInClear()
    {
        await using var services = Build(o => o.BaseAddress = new Uri("http://trello.example.test/"));

        var read = async () => await services.GetRequiredService<TrelloConnector>().GetCardsInListAsync(ListId).ToListAsync();

        var thrown = await read.Should().ThrowAsync<Exception>();
        thrown.Which.ToString().Should().Contain("plain HTTP").And.NotContain(Token);
    }

    [Fact]
    public async Task Start_WithoutToken_FailsNamingTheOption()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddIntegrations().AddTrello(o => o.ApiKey = Key);
        using var host = builder.Build();

        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).WithMessage("*Token*");
    }

    [Fact]
    public void Webhook_SignedAsTrelloDocuments_IsValidAndParsedByActionId()
    {
        var source = _services.GetRequiredService<TrelloWebhookSource>();
        const string body = """{"action":{"id":"a1","type":"createCard","date":"2026-12-05T10:00:00.000Z","data":{}},"model":{"id":"b1"}}""";
        var url = new Uri("https://hooks.example.test/webhooks/trello");
        var signature = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(body + url.AbsoluteUri)));

        var request = new WebhookRequest("POST", url, [new("X-Trello-Webhook", signature)], Encoding.UTF8.GetBytes(body));
        var elsewhere = new WebhookRequest("POST", new Uri("https://hooks.example.test/webhooks/other"), [new("X-Trello-Webhook", signature)], Encoding.UTF8.GetBytes(body));

        source.Verify(request).IsValid.Should().BeTrue();
        source.Verify(elsewhere).Failure.Should().Contain("X-Trello-Webhook").And.NotContain(Secret);
        var e = source.Parse(request).Should().ContainSingle().Subject;
        (e.EventId, e.EventType, e.OccurredAt).Should().Be(("a1", "createCard", new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero)));
        source.Handshake(new WebhookRequest("HEAD", url, [], ReadOnlyMemory<byte>.Empty), WebhookVerification.Invalid("unsigned"))!.StatusCode.Should().Be(200);
    }

    [Fact]
    public void Webhook_BodyWithoutAction_IsAFormatErrorNamingIt()
    {
        var parse = () => _services.GetRequiredService<TrelloWebhookSource>().Parse(new WebhookRequest("POST", new Uri("https://h.test/"), [], """{"model":{}}"""u8.ToArray()));

        parse.Should().Throw<FormatException>().WithMessage("*action*");
    }

    private static ServiceProvider Build(Action<TrelloOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddIntegrations().AddTrello(o =>
        {
            o.ApiKey = Key;
            o.Token = Token;
            o.WebhookSecret = Secret;
            configure(o);
        });
        services.PostConfigure<ConnectorHttpOptions>(TrelloConnector.ConnectorName, o => o.MaxRetryAttempts = 0);
        return services.BuildServiceProvider();
    }

    private static WriteContext Write() => new("form-to-trello", "form:7", "card", IdempotencyKeys.Derive("form-to-trello", "form:7", "card", 0), 1, false);

    private static IResponseBuilder Json(string body) => Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body);
}
