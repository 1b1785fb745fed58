using Integrations.Sdk.Testing;
using Integrations.Sdk.Testing.Trello;
using Integrations.Sdk.Trello.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Sdk.Trello.Tests;

/// <summary>
/// Extra card fields, against the simulator: a card read names its fields (<c>fields=</c>) and gets only those, a
/// list's read gets every field; what the model does not type is in <see cref="TrelloCard.Extra"/>.
/// </summary>
public sealed class TrelloExtraFieldsTests : IAsyncLifetime
{
    private readonly TrelloSimulator _simulator = new(new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)));

    public Task InitializeAsync() => _simulator.StartAsync();

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    [Fact]
    public async Task GetCard_WithExtraFields_AsksForThemAndReturnsThemInExtra_AndAListReadKeepsEveryUntypedField()
    {
        var list = _simulator.AddBoardWithList();
        await using var provider = Build();
        var connector = provider.GetRequiredService<TrelloConnector>();
        var created = await connector.CreateCard.ExecuteAsync(new CardDraft(list.Id, "Onboard Acme", ExternalId: "form-7"), IntegrationsTestHost.Write("forms", "form-7", "card"));

        var plain = await connector.GetCardAsync(created.Id);
        var card = await connector.GetCardAsync(created.Id, ["shortUrl", "labels"]);
        var listed = await connector.GetCardsInListAsync(list.Id).ToListAsync();

        plain!.Name.Should().Be("Onboard Acme");
        plain.Extra.Should().BeEmpty("the read asked only for the typed fields");
        card!.Name.Should().Be("Onboard Acme");
        card.Extra.Keys.Should().BeEquivalentTo("shortUrl", "labels");
        card.Extra["shortUrl"].GetString().Should().StartWith("https://");
        listed.Should().ContainSingle().Which.Extra.Should().ContainKeys("shortUrl", "labels", "badges");
        (await connector.GetCardAsync("5f0000000000000000000000")).Should().BeNull();
    }

    [Fact]
    public async Task GetCard_ABadFieldName_IsRefusedBeforeItIsSent()
    {
        await using var provider = Build();

        var act = () => provider.GetRequiredService<TrelloConnector>().GetCardAsync("abc", ["labels,badges"]);

        (await act.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("extraFields");
    }

    private ServiceProvider Build() => IntegrationsTestHost.Build(TimeProvider.System, integrations => integrations.AddTrello(o =>
    {
        o.ApiKey = _simulator.ApiKey;
        o.Token = _simulator.Token;
        o.WebhookSecret = _simulator.Secret;
        o.BaseAddress = _simulator.BaseAddress;
    }), services => services.RetryWithoutDelay(TrelloConnector.ConnectorName));
}
