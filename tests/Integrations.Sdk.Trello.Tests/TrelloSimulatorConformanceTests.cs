using Integrations.Sdk.Testing.Conformance;
using System.Net;
using System.Text.Json.Nodes;
using Integrations.Sdk.Testing.Trello;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.Trello.Tests;

/// <summary>
/// The Trello simulator answers with Trello's full objects and errors (trello-openapi.json and Trello's documented
/// messages; the assumed ones are listed in docs/testing.md), and takes the parameters Trello's spec declares.
/// </summary>
public sealed class TrelloSimulatorConformanceTests : IAsyncLifetime
{
    /// <summary>The properties of Trello's Card schema (trello-openapi.json #/components/schemas/Card), written out here.</summary>
    private static readonly string[] CardSchemaFields =
    [
        "id", "address", "badges", "checkItemStates", "closed", "coordinates", "creationMethod", "dateLastActivity", "desc",
        "descData", "due", "dueReminder", "idBoard", "idChecklists", "idLabels", "idList", "idMembers", "idMembersVoted",
        "idShort", "idAttachmentCover", "labels", "limits", "locationName", "manualCoverAttachment", "name", "pos",
        "shortLink", "shortUrl", "subscribed", "url", "cover",
    ];

    private static readonly string[] BadgeFields =
    [
        "attachmentsByType", "location", "votes", "viewingMemberVoted", "subscribed", "fogbugz", "checkItems",
        "checkItemsChecked", "comments", "attachments", "description", "due", "start", "dueComplete",
    ];

    private readonly TrelloSimulator _simulator = new(new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)));
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => await _simulator.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _simulator.DisposeAsync();
    }

    [Theory]
    [InlineData("GET", "1/nope", "Cannot GET /1/nope")]
    [InlineData("GET", "1/boards/5abbe4b7ddc1b351ef961414/everything", "Cannot GET /1/boards/5abbe4b7ddc1b351ef961414/everything")]
    [InlineData("DELETE", "1/webhooks", "Cannot DELETE /1/webhooks")]
    [InlineData("PUT", "2/cards", "Cannot PUT /2/cards")]
    public async Task UnknownRoute_Answers404InPlainText(string method, string path, string expected)
    {
        _simulator.Conformance = ConformanceMode.Record; // routes the spec does not have, on purpose

        using var request = new HttpRequestMessage(new HttpMethod(method), Api(path));

        using var response = await _http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        (await response.Content.ReadAsStringAsync()).Should().Be(expected);
    }

    [Theory]
    [InlineData("1/cards/{card}", "unauthorized card permission requested")]
    [InlineData("1/lists/{list}/cards", "unauthorized list permission requested")]
    public async Task Read_WithTheKeyButNoToken_Answers401NamingTheModel(string path, string expected)
    {
        var (card, list) = await CreateCardAsync("x");

        using var response = await _http.GetAsync(new Uri(_simulator.BaseAddress, path.Replace("{card}", card["id"]!.GetValue<string>()).Replace("{list}", list.Id) + "?key=" + _simulator.ApiKey));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        (await response.Content.ReadAsStringAsync()).Should().Be(expected);
    }

    [Theory]
    [InlineData("1/cards/not-a-trello-id")]
    [InlineData("1/cards/5abbe4b7ddc1b351ef96141")]
    [InlineData("1/lists/XYZ/cards")]
    public async Task Read_WithAMalformedId_Answers400InvalidId(string path)
    {
        using var response = await _http.GetAsync(Api(path));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        (await response.Content.ReadAsStringAsync()).Should().Be("invalid id");
    }

    [Fact]
    public async Task Card_CarriesEveryFieldOfTrellosCardSchema_WithRealisticValues()
    {
        var (created, list) = await CreateCardAsync("Onboard Acme", "&desc=Hello&start=2026-03-03T08:00:00.000Z&due=2026-03-09T17:00:00.000Z&dueComplete=true");

        var read = JsonNode.Parse(await _http.GetStringAsync(Api($"1/cards/{created["id"]}")))!.AsObject();
        var listed = JsonNode.Parse(await _http.GetStringAsync(Api($"1/lists/{list.Id}/cards")))!.AsArray().Single()!.AsObject();

        foreach (var card in new[] { created, read, listed })
        {
            card.Select(p => p.Key).Should().Contain(CardSchemaFields).And.Contain("start", "dueComplete", "isTemplate");
            card["badges"]!.AsObject().Select(p => p.Key).Should().Contain(BadgeFields);
            card["badges"]!["description"]!.GetValue<bool>().Should().BeTrue();
            card["badges"]!["due"]!.GetValue<string>().Should().Be("2026-03-09T17:00:00.000Z");
            card["start"]!.GetValue<string>().Should().Be("2026-03-03T08:00:00.000Z");
            card["dueComplete"]!.GetValue<bool>().Should().BeTrue();
            card["cover"]!["size"]!.GetValue<string>().Should().Be("normal");
            card["shortLink"]!.GetValue<string>().Should().MatchRegex("^[A-Za-z0-9]{8}$");
            card["idShort"]!.GetValue<int>().Should().Be(1);
            card["descData"].Should().BeOfType<JsonObject>();
        }

        read.ToJsonString().Should().Be(created.ToJsonString());
    }

    [Fact]
    public async Task Fields_KeepsOnlyTheFieldsNamed_AndTheId()
    {
        _simulator.Conformance = ConformanceMode.Record; // the OpenAPI file declares no fields parameter on GET /lists/{id}/cards, which Trello honours (assumed, docs/testing.md)

        var (card, list) = await CreateCardAsync("Only some");

        var read = JsonNode.Parse(await _http.GetStringAsync(Api($"1/cards/{card["id"]}?fields=name,due,badges")))!.AsObject();
        var listed = JsonNode.Parse(await _http.GetStringAsync(Api($"1/lists/{list.Id}/cards?fields=name")))!.AsArray().Single()!.AsObject();
        var all = JsonNode.Parse(await _http.GetStringAsync(Api($"1/cards/{card["id"]}?fields=all")))!.AsObject();

        read.Select(p => p.Key).Should().BeEquivalentTo("id", "name", "due", "badges");
        listed.Select(p => p.Key).Should().BeEquivalentTo("id", "name");
        all.Select(p => p.Key).Should().Contain(CardSchemaFields);
    }

    [Theory]
    [InlineData("fields=name,nickname", "invalid value for fields")]
    [InlineData("members=yes", "invalid value for members")]
    [InlineData("attachments=some", "invalid value for attachments")]
    [InlineData("checklists=several", "invalid value for checklists")]
    public async Task DeclaredParameter_WithAValueTrelloDoesNotTake_Answers400NamingIt(string query, string expected)
    {
        _simulator.Conformance = ConformanceMode.Record; // a value the spec refuses, on purpose

        var (card, _) = await CreateCardAsync("x");

        using var response = await _http.GetAsync(Api($"1/cards/{card["id"]}?{query}"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Be(expected);
    }

    [Fact]
    public async Task UndeclaredParameters_AreIgnored_AsTrelloDoes()
    {
        _simulator.Conformance = ConformanceMode.Record; // undeclared parameters, on purpose

        var (card, list) = await CreateCardAsync("x", "&colour=blue&_=1700000000");

        using var read = await _http.GetAsync(Api($"1/cards/{card["id"]}?colour=blue&_=1700000000"));
        using var listed = await _http.GetAsync(Api($"1/lists/{list.Id}/cards?filter=open&colour=blue"));

        read.StatusCode.Should().Be(HttpStatusCode.OK);
        listed.StatusCode.Should().Be(HttpStatusCode.OK);
        card["name"]!.GetValue<string>().Should().Be("x");
    }

    [Fact]
    public async Task Read_WithMembersAttachmentsBoardListAndChecklists_AddsThem()
    {
        _simulator.Conformance = ConformanceMode.Record; // the OpenAPI file types attachments as a string with a boolean branch it can never meet; Trello takes attachments=true

        var (card, list) = await CreateCardAsync("With extras", $"&idMembers={_simulator.MemberId}");
        var board = _simulator.Boards.Single();

        var read = JsonNode.Parse(await _http.GetStringAsync(Api(
            $"1/cards/{card["id"]}?members=true&member_fields=fullName,username&attachments=true&board=true&list=true&checklists=all&actions=commentCard")))!.AsObject();

        var member = read["members"]!.AsArray().Should().ContainSingle().Subject!.AsObject();
        member.Select(p => p.Key).Should().BeEquivalentTo("id", "fullName", "username");
        member["username"]!.GetValue<string>().Should().Be(_simulator.MemberUsername);
        read["attachments"]!.AsArray().Should().BeEmpty();
        read["checklists"]!.AsArray().Should().BeEmpty();
        read["actions"]!.AsArray().Should().BeEmpty();
        read["board"]!["id"]!.GetValue<string>().Should().Be(board.Id);
        read["board"]!["name"]!.GetValue<string>().Should().Be(board.Name);
        read["list"]!["id"]!.GetValue<string>().Should().Be(list.Id);
        read["list"]!["name"]!.GetValue<string>().Should().Be(list.Name);

        var plain = JsonNode.Parse(await _http.GetStringAsync(Api($"1/cards/{card["id"]}")))!.AsObject();
        plain.Select(p => p.Key).Should().NotContain(["members", "attachments", "board", "list", "checklists", "actions"]);
    }

    [Theory]
    [InlineData("&idLabels=5abbe4b7ddc1b351ef961414", "invalid value for idLabels")]
    [InlineData("&start=someday", "invalid value for start")]
    [InlineData("&dueComplete=maybe", "invalid value for dueComplete")]
    [InlineData("&pos=-5", "invalid value for pos")]
    public async Task CreateCard_WithAValueTrelloRefuses_Answers400NamingTheParameter(string extra, string expected)
    {
        _simulator.Conformance = ConformanceMode.Record; // a value the spec refuses, on purpose

        var list = _simulator.AddBoardWithList();

        using var response = await _http.PostAsync(Api($"1/cards?idList={list.Id}&name=x{extra}"), null);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Be(expected);
        _simulator.Cards.Should().BeEmpty();
    }

    [Fact]
    public async Task CreateWebhook_TakesActive_AndAnswersEveryWebhookField()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var receiver = builder.Build();
        receiver.MapMethods("/cb", ["HEAD"], () => Results.Ok());
        await receiver.StartAsync();
        var callback = receiver.Urls.First().TrimEnd('/') + "/cb";
        var list = _simulator.AddBoardWithList();

        using var response = await _http.PostAsync(Api($"1/webhooks/?idModel={list.IdBoard}&callbackURL={Uri.EscapeDataString(callback)}&description=Paused&active=false"), null);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var webhook = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        webhook.Select(p => p.Key).Should().Contain("id", "description", "idModel", "callbackURL", "active", "consecutiveFailures", "firstConsecutiveFailDate");
        webhook["active"]!.GetValue<bool>().Should().BeFalse();
        _simulator.Webhooks.Should().ContainSingle().Which.Active.Should().BeFalse();
    }

    private async Task<(JsonObject Card, SimulatedTrelloList List)> CreateCardAsync(string name, string extra = "")
    {
        var list = _simulator.AddBoardWithList();
        using var response = await _http.PostAsync(Api($"1/cards?idList={list.Id}&name={Uri.EscapeDataString(name)}{extra}"), null);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject(), list);
    }

    private Uri Api(string pathAndQuery) =>
        new(_simulator.BaseAddress, pathAndQuery + (pathAndQuery.Contains('?', StringComparison.Ordinal) ? "&" : "?") + $"key={_simulator.ApiKey}&token={_simulator.Token}");
}
