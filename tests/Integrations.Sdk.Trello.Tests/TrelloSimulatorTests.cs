using Integrations.Sdk.Testing.Conformance;
using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Integrations.Sdk.Connectors;
using Integrations.Sdk.Testing;
using Integrations.Sdk.Transport;
using Integrations.Sdk.Testing.Trello;
using Integrations.Sdk.Trello.Models;
using Integrations.Sdk.Trello.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.Trello.Tests;

/// <summary>The Trello simulator as Trello documents it, then the connector against it.</summary>
public sealed class TrelloSimulatorTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly TrelloSimulator _simulator;
    private readonly HttpClient _http = new();

    public TrelloSimulatorTests() => _simulator = new TrelloSimulator(_time);

    public async Task InitializeAsync() => await _simulator.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _simulator.DisposeAsync();
    }

    // (1) The simulator alone, over HTTP.

    [Theory]
    [InlineData(null, "token", "invalid key")]
    [InlineData("wrong", "token", "invalid key")]
    [InlineData("key", null, "unauthorized permission requested")]
    [InlineData("key", "wrong", "invalid token")]
    public async Task Api_WithoutValidKeyAndToken_Answers401InPlainText(string? key, string? token, string expected)
    {
        var list = _simulator.AddBoardWithList();
        var query = Query(key == "key" ? _simulator.ApiKey : key, token == "token" ? _simulator.Token : token);

        using var response = await _http.PostAsync(new Uri(_simulator.BaseAddress, $"1/cards?idList={list.Id}&name=x{query}"), null);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        (await response.Content.ReadAsStringAsync()).Should().Be(expected);
        _simulator.Cards.Should().BeEmpty();
    }

    [Fact]
    public async Task CreateCard_AnswersTheCardWithTrellosFields_AndListsIt()
    {
        var list = _simulator.AddBoardWithList("Inbox");
        var member = _simulator.MemberId;

        using var response = await _http.PostAsync(Api($"1/cards?idList={list.Id}&name=Onboard%20Acme&desc=From%20the%20form&idMembers={member}&due=2026-03-09T17:00:00.000Z"), null);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var card = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        card["id"]!.GetValue<string>().Should().MatchRegex("^[0-9a-f]{24}$");
        card["name"]!.GetValue<string>().Should().Be("Onboard Acme");
        card["desc"]!.GetValue<string>().Should().Be("From the form");
        card["idList"]!.GetValue<string>().Should().Be(list.Id);
        card["idBoard"]!.GetValue<string>().Should().Be(list.IdBoard);
        card["idMembers"]!.AsArray().Select(m => m!.GetValue<string>()).Should().Equal(member);
        card["due"]!.GetValue<string>().Should().Be("2026-03-09T17:00:00.000Z");
        card["closed"]!.GetValue<bool>().Should().BeFalse();
        card["shortUrl"]!.GetValue<string>().Should().MatchRegex("^https://trello.com/c/[A-Za-z0-9]{8}$");
        card["url"]!.GetValue<string>().Should().StartWith(card["shortUrl"]!.GetValue<string>() + "/1-onboard-acme");
        card["dateLastActivity"]!.GetValue<string>().Should().Be("2026-03-02T09:00:00.000Z");
        card["pos"]!.GetValue<double>().Should().BePositive();

        var listed = JsonNode.Parse(await _http.GetStringAsync(Api($"1/lists/{list.Id}/cards")))!.AsArray();
        listed.Should().ContainSingle().Which!["id"]!.GetValue<string>().Should().Be(card["id"]!.GetValue<string>());
        _simulator.Actions.Should().ContainSingle().Which.Type.Should().Be("createCard");
    }

    [Fact]
    public async Task CreateCard_FromAJsonBody_AsTheSpecAllows()
    {
        _simulator.Conformance = ConformanceMode.Record; // Trello takes the parameters as a JSON body too (its REST docs), which the OpenAPI file does not declare

        var list = _simulator.AddBoardWithList();
        using var content = new StringContent($$"""{"idList":"{{list.Id}}","name":"From JSON","idMembers":["{{_simulator.MemberId}}"]}""", System.Text.Encoding.UTF8, "application/json");

        using var response = await _http.PostAsync(Api("1/cards"), content);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        _simulator.Cards.Should().ContainSingle().Which.IdMembers.Should().Equal(_simulator.MemberId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("&idList=not-an-id")]
    [InlineData("&idList=5abbe4b7ddc1b351ef961414")]
    public async Task CreateCard_WithoutAKnownList_Answers400InvalidValueForIdList(string idList)
    {
        _simulator.Conformance = ConformanceMode.Record; // a missing or malformed idList, on purpose

        using var response = await _http.PostAsync(Api("1/cards?name=x" + idList), null);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Be("invalid value for idList");
    }

    [Fact]
    public async Task Requests_OverTheTokenBudget_Answer429WithTheDocumentedBody_UntilTheWindowPasses()
    {
        var list = _simulator.AddBoardWithList();
        for (var i = 0; i < 100; i++)
        {
            using var ok = await _http.GetAsync(Api($"1/lists/{list.Id}/cards"));
            ok.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using var refused = await _http.GetAsync(Api($"1/lists/{list.Id}/cards"));
        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        var body = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        body["error"]!.GetValue<string>().Should().Be("API_TOKEN_LIMIT_EXCEEDED");
        body["message"]!.GetValue<string>().Should().NotBeNullOrEmpty();

        _time.Advance(TimeSpan.FromSeconds(10));
        using var again = await _http.GetAsync(Api($"1/lists/{list.Id}/cards"));
        again.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Requests_OverTheKeyBudget_Answer429ApiKeyLimitExceeded()
    {
        _simulator.KeyRateLimit = 3;
        var list = _simulator.AddBoardWithList();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await _http.GetAsync(Api($"1/lists/{list.Id}/cards"));
        }

        using var refused = await _http.GetAsync(Api($"1/lists/{list.Id}/cards"));

        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("API_KEY_LIMIT_EXCEEDED");
    }

    [Fact]
    public async Task CommitThenDrop_OnCreate_KeepsTheCardAndDropsTheAnswer()
    {
        var list = _simulator.AddBoardWithList();
        _simulator.Faults.Add(TrelloSimulator.CreateCardEndpoint, FaultKind.CommitThenDrop);

        var act = () => _http.PostAsync(Api($"1/cards?idList={list.Id}&name=Dropped"), null);

        await act.Should().ThrowAsync<HttpRequestException>();
        _simulator.Cards.Should().ContainSingle().Which.Name.Should().Be("Dropped");
    }

    [Fact]
    public async Task SaveAndLoad_RestoreBoardsListsAndCards()
    {
        var list = _simulator.AddBoardWithList();
        using (await _http.PostAsync(Api($"1/cards?idList={list.Id}&name=Kept&desc=d"), null))
        {
        }

        var path = Path.Combine(Path.GetTempPath(), $"trello-sim-{Guid.NewGuid():N}.json");
        try
        {
            await _simulator.SaveAsync(path);
            await using var other = new TrelloSimulator(_time);
            await other.LoadAsync(path);

            other.Lists.Should().ContainSingle().Which.Should().Be(list);
            other.Cards.Should().BeEquivalentTo(_simulator.Cards);
            other.MemberId.Should().Be(_simulator.MemberId);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Load_AFileOfAnotherKind_IsRefused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"trello-sim-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """{"format":"Something else"}""");
        try
        {
            var act = () => _simulator.LoadAsync(path);
            await act.Should().ThrowAsync<InvalidDataException>();
        }
        finally
        {
            File.Delete(path);
        }
    }

    // (2) The connector against the simulator.

    [Fact]
    public async Task Connector_CreatesACard_AndTheSameExternalIdReturnsTheSameCard()
    {
        var list = _simulator.AddBoardWithList();
        await using var provider = Build();
        var connector = provider.GetRequiredService<TrelloConnector>();
        var draft = new CardDraft(list.Id, "Onboard Acme", "From the form", [_simulator.MemberId], new DateTimeOffset(2026, 3, 9, 17, 0, 0, TimeSpan.Zero), ExternalId: "form-7");

        var first = await connector.CreateCard.ExecuteAsync(draft, IntegrationsTestHost.Write("forms", "form-7", "card"));
        var second = await connector.CreateCard.ExecuteAsync(draft, IntegrationsTestHost.Write("forms", "form-7", "card-again"));

        second.Id.Should().Be(first.Id);
        var card = _simulator.Cards.Should().ContainSingle().Subject;
        card.Id.Should().Be(first.Id);
        card.Name.Should().Be("Onboard Acme");
        card.Desc.Should().StartWith("From the form").And.Contain("form-7");
        card.IdMembers.Should().Equal(_simulator.MemberId);
        card.Due.Should().Be(draft.Due);
        first.IdList.Should().Be(list.Id);
        first.Url.Should().Be(card.Url);
        var listed = await connector.GetCardsInListAsync(list.Id).ToListAsync();
        listed.Should().ContainSingle().Which.Id.Should().Be(card.Id);
    }

    [Fact]
    public async Task Connector_SyncOfDrafts_WithCommitThenDropOnCreate_EndsWithExactlyOneCardEach()
    {
        var (ambiguous, list) = await SyncAsync(count: 12, drops: 4, readErrors: 0);

        ambiguous.Should().Be(4, "each dropped create is run again once, as the sync runner does");
        _simulator.Faults.Injected[FaultKind.CommitThenDrop].Should().Be(4);
        _simulator.CardsInList(list.Id).Should().HaveCount(12);
        _simulator.DuplicateCount.Should().Be(0);
        _simulator.Cards.Select(c => c.Name).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Connector_SyncOfDrafts_WithReadFaultsRetriedByTheTransport_EndsWithExactlyOneCardEach()
    {
        var (ambiguous, list) = await SyncAsync(count: 12, drops: 4, readErrors: 2);

        ambiguous.Should().Be(4, "the transport absorbs the read faults; each dropped create is run again once");
        _simulator.CardsInList(list.Id).Should().HaveCount(12);
        _simulator.DuplicateCount.Should().Be(0);
    }

    [Fact]
    public async Task Connector_ReadRetriedAfterA503_StaysAuthenticated()
    {
        var list = _simulator.AddBoardWithList();
        _simulator.Faults.Add(TrelloSimulator.ListCardsEndpoint, FaultKind.ServerError);
        await using var provider = Build();

        var cards = await provider.GetRequiredService<TrelloConnector>().GetCardsInListAsync(list.Id).ToListAsync();

        cards.Should().BeEmpty();
        _simulator.Faults.InjectedTotal.Should().Be(1);
    }

    /// <summary>Creates <paramref name="count"/> cards as the sync runner would: each step run again while its previous attempt was ambiguous.</summary>
    private async Task<(int Ambiguous, SimulatedTrelloList List)> SyncAsync(int count, int drops, int readErrors)
    {
        var list = _simulator.AddBoardWithList();
        _simulator.Faults.Add(TrelloSimulator.CreateCardEndpoint, FaultKind.CommitThenDrop, drops);
        if (readErrors > 0)
        {
            _simulator.Faults.Add(TrelloSimulator.ListCardsEndpoint, FaultKind.ServerError, readErrors);
        }

        // The faults come in a burst; the circuit breaker (a separate concern) would otherwise open on it.
        await using var provider = Build(o => o.CircuitMinimumThroughput = 100);
        var connector = provider.GetRequiredService<TrelloConnector>();
        var ambiguous = 0;
        for (var i = 1; i <= count; i++)
        {
            var draft = new CardDraft(list.Id, $"Order {i}", $"Ship order {i}");
            var write = IntegrationsTestHost.Write("orders", $"order:{i}", "card");
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await connector.CreateCard.ExecuteAsync(draft, write with { Attempt = attempt, PreviousAttemptAmbiguous = attempt > 1 });
                    break;
                }
                catch (PlatformException ex) when (ex.MayHaveBeenApplied && attempt < 5)
                {
                    ambiguous++;
                }
            }
        }

        return (ambiguous, list);
    }

    // (3) A signed webhook from the simulator, verified by the connector's source.

    [Fact]
    public async Task Webhook_ForACreatedCard_IsSignedAsTrelloDocuments_AndVerifiesWithTheSource()
    {
        var source = new TrelloWebhookSource(Options.Create(new TrelloOptions { ApiKey = _simulator.ApiKey, Token = _simulator.Token, WebhookSecret = _simulator.Secret }));
        var received = new ConcurrentQueue<(string Method, WebhookVerification Verification, IReadOnlyList<WebhookEvent> Events)>();
        await using var receiver = await StartReceiverAsync(source, received);
        var callback = new Uri(ReceiverAddress(receiver), "hooks/trello?board=sim").ToString();
        var list = _simulator.AddBoardWithList();

        var webhook = await _simulator.AddWebhookAsync(callback, list.IdBoard, "cards");
        using (var created = await _http.PostAsync(Api($"1/cards?idList={list.Id}&name=Hooked"), null))
        {
            created.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var delivery = await _simulator.DeliverWebhooksAsync(copies: 2);

        received.Should().Contain(r => r.Method == "HEAD", "Trello checks the callback with HEAD on creation");
        delivery.Should().Be(new WebhookDeliveryResult(2, 2, 0));
        var posts = received.Where(r => r.Method == "POST").ToList();
        posts.Should().HaveCount(2).And.OnlyContain(r => r.Verification.IsValid);
        var action = _simulator.Actions.Should().ContainSingle().Subject;
        action.Delivered.Should().BeTrue();
        posts.Select(p => p.Events.Single()).Should().OnlyContain(e => e.EventId == action.Id && e.EventType == "createCard");
        webhook.IdModel.Should().Be(list.IdBoard);

        var forged = _simulator.CreateWebhookDelivery(action, webhook).WithHeader(TrelloWebhookSource.SignatureHeader, "AAAA");
        using var refused = await forged.PostAsync(_http, new Uri(callback));
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Webhook_Creation_IsRefusedWhenTheCallbackDoesNotAnswerHeadWith200()
    {
        _simulator.Conformance = ConformanceMode.Record; // sends what the spec refuses, on purpose

        var list = _simulator.AddBoardWithList();
        var act = () => _simulator.AddWebhookAsync(new Uri(_simulator.BaseAddress, "no-such-callback").ToString(), list.IdBoard);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*did not return 200*");
        _simulator.Webhooks.Should().BeEmpty();
    }

    private static string Query(string? key, string? token) =>
        (key is null ? string.Empty : "&key=" + key) + (token is null ? string.Empty : "&token=" + token);

    private Uri Api(string pathAndQuery) =>
        new(_simulator.BaseAddress, pathAndQuery + (pathAndQuery.Contains('?', StringComparison.Ordinal) ? "&" : "?") + $"key={_simulator.ApiKey}&token={_simulator.Token}");

    private ServiceProvider Build(Action<ConnectorHttpOptions>? tune = null) => IntegrationsTestHost.Build(TimeProvider.System, integrations => integrations.AddTrello(o =>
    {
        o.ApiKey = _simulator.ApiKey;
        o.Token = _simulator.Token;
        o.WebhookSecret = _simulator.Secret;
        o.BaseAddress = _simulator.BaseAddress;
    }), services => services.RetryWithoutDelay(TrelloConnector.ConnectorName, tune));

    private static Uri ReceiverAddress(WebApplication app) => new(app.Urls.First().TrimEnd('/') + "/");

    private static async Task<WebApplication> StartReceiverAsync(TrelloWebhookSource source, ConcurrentQueue<(string, WebhookVerification, IReadOnlyList<WebhookEvent>)> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapMethods("/hooks/trello", ["HEAD", "POST"], async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var url = new Uri($"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}{context.Request.QueryString}");
            var request = new WebhookRequest(context.Request.Method, url, context.Request.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString())), body.ToArray());
            var verification = source.Verify(request);
            if (source.Handshake(request, verification) is { } handshake)
            {
                received.Enqueue((context.Request.Method, verification, []));
                return Results.StatusCode(handshake.StatusCode);
            }

            received.Enqueue((context.Request.Method, verification, verification.IsValid ? source.Parse(request) : []));
            return Results.StatusCode(verification.IsValid ? 200 : 401);
        });
        await app.StartAsync();
        return app;
    }
}
